#!/usr/bin/env bash
# Load-tests the store's busiest pages with wrk after a JVM warm-up, and reports requests/s, latency and the
# store's resident memory. Fails when a page falls below its floor (see FLOORS below).
#
#   bench/store-bench.sh                       # H2, 40 s warm-up, 15 s per page
#   bench/store-bench.sh --postgres            # against the local PostgreSQL (database test, a fresh schema)
#   bench/store-bench.sh --warmup 60 --seconds 30 --connections 32
set -euo pipefail
cd "$(dirname "$0")/.."

warmup=40 seconds=15 connections=16 db=h2
while [ $# -gt 0 ]; do
  case "$1" in
    --warmup) warmup=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --postgres) db=postgres; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

# Floors on a 2-core machine (requests/s, and 99th-percentile latency in ms) and the memory ceiling (MiB).
declare -A MIN_RPS=([home]=400 [book]=600 [cart]=400 [cover]=1500)
declare -A MAX_P99_MS=([home]=250 [book]=200 [cart]=250 [cover]=100)
MAX_RSS_MIB=700

if ! command -v wrk >/dev/null 2>&1; then
  echo "bench: installing wrk"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
java=java
for candidate in /usr/lib/jvm/temurin-*/bin/java; do [ -x "$candidate" ] && java=$candidate; done
jar=$(ls store/target/store-*.jar 2>/dev/null | head -n1 || true)
if [ -z "$jar" ]; then
  ./mvnw -q -B -DskipTests package
  jar=$(ls store/target/store-*.jar | head -n1)
fi

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
args=(--server.port="$port" --bookstore.stripe.emulator.port=0 --bookstore.stripe.emulator.state-file="$work/stripe.json"
      --logging.level.root=WARN)
if [ "$db" = postgres ]; then
  schema="bookstore_bench_$$"
  psql -q -h 127.0.0.1 -U postgres test -c "CREATE SCHEMA $schema"
  args+=(--spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$schema"
         --spring.datasource.username=postgres --spring.datasource.password=)
else
  args+=(--spring.datasource.url="jdbc:h2:file:$work/bookstore")
fi

"$java" -Xmx512m -jar "$jar" "${args[@]}" > "$work/store.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ "$db" = postgres ] && psql -q -h 127.0.0.1 -U postgres test -c "SET client_min_messages = warning; DROP SCHEMA $schema CASCADE" || true
  rm -rf "$work"
}
trap cleanup EXIT

base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do curl -sf "$base/actuator/health" >/dev/null && break; sleep 1; done
curl -sf "$base/actuator/health" >/dev/null || { cat "$work/store.log"; echo "bench: the store did not start" >&2; exit 1; }

# A guest with two books in the cart, for the cart page.
jar_file="$work/cookies"
page=$(curl -s -c "$jar_file" -b "$jar_file" "$base/books/working-in-public")
token=$(sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' <<<"$page" | head -n1)
curl -s -o /dev/null -c "$jar_file" -b "$jar_file" --data-urlencode "_csrf=$token" -d bookId=3 -d quantity=2 "$base/cart/add"
cookie=$(awk '!/^#/ && NF>=7 {printf "%s=%s; ", $6, $7}' "$jar_file")

echo "bench: $("$java" -version 2>&1 | head -n1), database $db, warming up for ${warmup}s"
wrk -t1 -c"$connections" -d"${warmup}s" "$base/" >/dev/null
wrk -t1 -c"$connections" -d"$((warmup / 4 + 1))s" "$base/books/working-in-public" >/dev/null
wrk -t1 -c"$connections" -d"$((warmup / 4 + 1))s" -H "Cookie: $cookie" "$base/cart" >/dev/null

declare -A PATHS=([home]="/" [book]="/books/working-in-public" [cart]="/cart" [cover]="/books/working-in-public/cover.svg")
failed=0
printf '%-6s %-34s %10s %9s %9s\n' page path "req/s" "p50 ms" "p99 ms"
for name in home book cart cover; do
  header=()
  [ "$name" = cart ] && header=(-H "Cookie: $cookie")
  out=$(wrk -t1 -c"$connections" -d"${seconds}s" --latency "${header[@]}" "$base${PATHS[$name]}")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out")
  to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) print v/1000; else if (v ~ /ms$/) print v+0; else print v*1000 }'; }
  p50ms=$(to_ms "$p50"); p99ms=$(to_ms "$p99")
  printf '%-6s %-34s %10.0f %9.2f %9.2f\n' "$name" "${PATHS[$name]}" "$rps" "$p50ms" "$p99ms"
  if [ -n "$errors" ]; then echo "  $name: $errors"; failed=1; fi
  if awk -v r="$rps" -v m="${MIN_RPS[$name]}" 'BEGIN {exit !(r < m)}'; then echo "  $name: below the floor of ${MIN_RPS[$name]} req/s"; failed=1; fi
  if awk -v p="$p99ms" -v m="${MAX_P99_MS[$name]}" 'BEGIN {exit !(p > m)}'; then echo "  $name: p99 above ${MAX_P99_MS[$name]} ms"; failed=1; fi
done

rss_kib=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
rss_mib=$((rss_kib / 1024))
echo "store resident memory after the run: ${rss_mib} MiB (ceiling ${MAX_RSS_MIB} MiB, heap capped at 512 MiB)"
[ "$rss_mib" -gt "$MAX_RSS_MIB" ] && { echo "  memory above the ceiling"; failed=1; }
if [ "$failed" -ne 0 ]; then
  echo "bench: FAILED"
  exit 1
fi
echo "bench: passed"
