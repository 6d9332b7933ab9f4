#!/usr/bin/env bash
# The store side by side with nginx. For each page, the store's requests/s is reported as a ratio of what nginx
# (Debian's package) does serving the very bytes the store just rendered for the same URL, measured in the same run
# for half the time just before the store and half just after, so the load other work puts on the machine weighs on
# both. One run covers: the demo catalogue on
# H2 and on PostgreSQL, a 100,000-book catalogue on PostgreSQL (bench/generate-catalogue.sql), the time from
# starting the JVM to the first page with and without the AOT cache, the store's resident memory after load, and
# PostgreSQL's own ceiling on this machine (pgbench, when installed).
#
#   bench/store-bench.sh                          # everything: about 20 minutes
#   bench/store-bench.sh --only h2                # some of: h2, postgres, postgres-100k (comma-separated)
#   bench/store-bench.sh --warmup 40 --seconds 10 --connections 16 --heap 256m
#
# Every figure comes after a warm-up of --warmup seconds of load on the store (the JIT needs ~40 s). The goals
# below are checked at the end; the script exits 1 if one is missed, after printing everything.
set -euo pipefail
cd "$(dirname "$0")/.."

warmup=40 seconds=10 connections=16 heap=256m only="" side_by_side=1
while [ $# -gt 0 ]; do
  case "$1" in
    --warmup) warmup=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --heap) heap=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --side-by-side) side_by_side=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

# Goals: ratios of nginx's requests/s, the 99th percentile at 16 connections, how far the 100k catalogue may fall
# behind the demo one, startup to the first page, resident memory at a 256 MiB heap.
declare -A MIN_RATIO=([home]=0.25 [book]=0.25 [cart]=0.15)
MAX_P99_MS=15
MAX_100K_DROP=0.20
MAX_STARTUP_S=3
MAX_RSS_MIB=300

for tool in wrk nginx; do
  if ! command -v "$tool" >/dev/null 2>&1 && ! [ -x "/usr/sbin/$tool" ]; then
    echo "bench: installing $tool"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null
  fi
done
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

declare -A startup startup_all RPS P99 RATIO NGINX RSS
work=$(mktemp -d)
chmod 755 "$work"  # nginx's workers run as another user and must read the pages saved here
pids=()
schemas=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  for s in "${schemas[@]}"; do
    psql -q -h 127.0.0.1 -U postgres test -c "SET client_min_messages = warning; DROP SCHEMA $s CASCADE" || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

# The store's JVM flags and AOT cache, shared with the other benchmark.
source bench/store-jvm.sh
prepare_aot_cache

to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) print v/1000; else if (v ~ /ms$/) print v+0; else print v*1000 }'; }

# Starts the store; sets $pid and $base. $1: a name for the run, then extra arguments.
# Every bench buyer registers and fills a cart from this machine, so the per-address limits are lifted.
start_store() {
  local name=$1; shift
  local port; port=$(free_port)
  "$java" -XX:AOTCache="$aot" "${jvm[@]}" -jar "$app" --server.port="$port" --bookstore.stripe.emulator.port=0 \
      --bookstore.stripe.emulator.state-file="$work/$name-stripe.json" --bookstore.data-dir="$work/$name" \
      --bookstore.login.max-registrations-per-address=100000 --bookstore.cart.max-new-guest-carts-per-address=1000000 --bookstore.checkout.max-new-payments-per-account=1000000 \
      --bookstore.sessions.max-new-guest-sessions-per-address=1000000 \
      --logging.level.root=WARN "$@" > "$work/$name.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 1200); do curl -sf -o /dev/null "$base/" && return 0; sleep 0.1; done
  cat "$work/$name.log"; echo "bench: the store did not start" >&2; exit 1
}

stop_store() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }

# Startup: from launching the JVM to the first homepage, on H2, with and without the AOT cache: first on a new data
# folder (the schema and demo catalogue are created), then again on the same folder, as a restarted or added instance
# starts. The goal is checked on the restart; both are reported.
# Beside the restarts with the AOT cache, the reference (bench/startup-reference: one Thymeleaf page through Spring MVC
# on the store's Spring Boot version, the same JVM flags and its own AOT cache) is restarted too, one after each of the
# store's, so a slower moment of this shared machine shows in both.
# True if the setup $1 is to be run: all of them, or those listed by --only.
selected() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }

if selected h2; then
  reference_jar=bench/startup-reference/target/startup-reference.jar
  if [ ! -f "$reference_jar" ] || [ -n "$(find bench/startup-reference/src bench/startup-reference/pom.xml -newer "$reference_jar")" ]; then
    echo "bench: building the startup reference"
    ./mvnw -q -B -f bench/startup-reference/pom.xml package -DskipTests -Djacoco.skip=true > "$work/reference-build.log" 2>&1 \
      || { cat "$work/reference-build.log"; echo "bench: the startup reference did not build" >&2; exit 1; }
  fi
  train_aot_cache "$reference_jar" "$work/reference" "$work/reference.aot" / --
  reference_times=()
  for mode in aot-new aot plain-new plain; do
    flags=("${jvm[@]}"); [[ "$mode" = aot* ]] && flags+=(-XX:AOTCache="$aot")
    data="$work/start-${mode%-new}"
    # A restart is timed three times and the median kept: one slow moment of a shared machine is not the store's.
    times=()
    for _ in $( [[ "$mode" = *-new ]] && echo 1 || echo 1 2 3 ); do
      port=$(free_port)
      times+=("$(time_first_page "$work/start-$mode.log" "$port" "$java" "${flags[@]}" -jar "$app" --server.port="$port" \
          --bookstore.stripe.emulator.port=0 --bookstore.stripe.emulator.state-file="$data.json" \
          --bookstore.data-dir="$data" --logging.level.root=WARN)")
      if [ "$mode" = aot ]; then
        port=$(free_port)
        reference_times+=("$(time_first_page "$work/start-reference.log" "$port" "$java" "${jvm[@]}" \
            -XX:AOTCache="$work/reference.aot" -jar "$work/reference/$(basename "$reference_jar")" --server.port="$port" \
            --logging.level.root=WARN)")
      fi
    done
    startup[$mode]=$(printf '%s\n' "${times[@]}" | median)
    [ "${#times[@]}" -gt 1 ] && startup_all[$mode]="${times[*]}"
  done
  startup[reference]=$(printf '%s\n' "${reference_times[@]}" | median)
  startup_all[reference]="${reference_times[*]}"
fi

# nginx serving $work/www, with each bench URL mapped to the file holding what the store rendered for it.
start_nginx() {
  mkdir -p "$work/www" "$work/nginx-tmp"
  chmod 755 "$work/www"
  nginx_port=$(free_port)
  {
    echo "worker_processes auto; pid $work/nginx.pid; error_log $work/nginx-error.log; daemon on;"
    echo "events { worker_connections 1024; }"
    echo "http { access_log off; sendfile on; tcp_nopush on; keepalive_timeout 65; keepalive_requests 10000;"
    echo "  client_body_temp_path $work/nginx-tmp; proxy_temp_path $work/nginx-tmp; fastcgi_temp_path $work/nginx-tmp;"
    echo "  uwsgi_temp_path $work/nginx-tmp; scgi_temp_path $work/nginx-tmp;"
    echo "  server { listen 127.0.0.1:$nginx_port; root $work/www; location / { default_type text/html; try_files /\$arg_bench =404; } } }"
  } > "$work/nginx.conf"
  "$nginx_bin" -c "$work/nginx.conf"
}
[ "$side_by_side" = 1 ] && start_nginx

# Loads one URL with wrk; prints "requests/s p99-ms", and fails on any error response.
load() {
  local url=$1 duration=$2; shift 2
  local out; out=$(wrk -t1 -c"$connections" -d"${duration}s" --latency "$@" "$url")
  if grep -qE "Non-2xx|Socket errors" <<<"$out"; then echo "bench: errors from $url: $(grep -E 'Non-2xx|Socket errors' <<<"$out")" >&2; fi
  if ! grep -q "Requests/sec" <<<"$out"; then echo "bench: wrk failed on $url: $out" >&2; echo "0 0"; return; fi
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(to_ms "$(awk '$1=="99%" {print $2}' <<<"$out")")"
}

failed=0
report() { printf '%-15s %-6s %-42s %9s %8s %9s %7s\n' "$@"; }
# Prints a figure against a goal's limit, as goal() does, without it counting: "reaches" or "below".
reported() {
  local ok; ok=$(awk -v v="$2" -v l="$3" -v k="$4" 'BEGIN {print (k == "min" ? v >= l : v <= l) ? "reaches" : "below"}')
  printf "    %-60s %10s  (%s %s)  %s\n" "$1" "$2" "$4" "$3" "$ok"
}

# Benchmarks one database setup. $1: its name; the rest: store arguments.
run() {
  local name=$1; shift
  start_store "$name" "$@"
  if [ "$name" = postgres-100k ]; then
    echo "bench: generating 100,000 books"
    psql -q -h 127.0.0.1 -U postgres test -v count=100000 -c "SET search_path = $schema" -f bench/generate-catalogue.sql >/dev/null
  fi

  # Sixteen buyers, logged in, each with two books in the cart: one per connection, as sixteen people would be
  # (one buyer on every connection would only measure the wait for their session's row lock). Each follows the
  # redirects after registering and adding, as a browser does, so no message is left waiting in their session.
  local cookie="" b
  : > "$work/$name-buyers"
  for b in $(seq 1 "$connections"); do
    local jar_file="$work/$name-cookies-$b" page token
    page=$(curl -s -c "$jar_file" -b "$jar_file" "$base/register")
    token=$(sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' <<<"$page" | head -n1)
    curl -sL -o /dev/null -c "$jar_file" -b "$jar_file" --data-urlencode "_csrf=$token" -d name="Buyer $b" \
        -d email="bench-$name-$b@example.com" -d password="correct horse battery" "$base/register"
    page=$(curl -s -c "$jar_file" -b "$jar_file" "$base/books/working-in-public")
    token=$(sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' <<<"$page" | head -n1)
    curl -sL -o /dev/null -c "$jar_file" -b "$jar_file" --data-urlencode "_csrf=$token" -d bookId=3 -d quantity=2 "$base/cart/add"
    cookie=$(sed 's/^#HttpOnly_//' "$jar_file" | awk '!/^#/ && NF>=7 {printf "%s=%s; ", $6, $7}')
    echo "$cookie" >> "$work/$name-buyers"
  done
  grep -q "Buyer $connections" <<<"$(curl -s -H "Cookie: $cookie" "$base/cart")" || { echo "bench: the buyers are not logged in" >&2; exit 1; }
  {
    echo 'local cookies, turn = {}, 0'
    echo "for line in io.lines(\"$work/$name-buyers\") do cookies[#cookies + 1] = line end"
    echo 'request = function() turn = turn % #cookies + 1; wrk.headers["Cookie"] = cookies[turn]; return wrk.format() end'
  } > "$work/$name-buyers.lua"

  declare -A paths=([home]="/" [book]="/books/working-in-public" [cart]="/cart" [search]="/search?q=engineering"
                    [cover]="/books/working-in-public/cover.svg")
  local names=(home book cart search cover)
  if [ "$name" = postgres-100k ]; then
    local deep; deep=$(psql -qtA -h 127.0.0.1 -U postgres test -c "SET search_path = $schema; SELECT id FROM books ORDER BY title, id OFFSET 90000 LIMIT 1" | tail -n1)
    paths[deep]="/?after=$deep"
    names=(home deep book search)
  fi

  # Every page is warmed up for the whole --warmup, all at once: each request the next page in turn (the cart's as
  # the next buyer), so the JIT has seen every page's code for as long as the goal says when the first is measured.
  echo "bench: $name: warming up for ${warmup}s"
  {
    echo 'local cookies, paths, turn, buyer = {}, {}, 0, 0'
    echo "for line in io.lines(\"$work/$name-buyers\") do cookies[#cookies + 1] = line end"
    for n in "${names[@]}"; do echo "paths[#paths + 1] = \"${paths[$n]}\""; done
    echo 'request = function()'
    echo '  turn = turn % #paths + 1'
    echo '  if paths[turn] ~= "/cart" then return wrk.format("GET", paths[turn], {}) end'
    echo '  buyer = buyer % #cookies + 1'
    echo '  return wrk.format("GET", paths[turn], {["Cookie"] = cookies[buyer]})'
    echo 'end'
  } > "$work/$name-warmup.lua"
  wrk -t1 -c"$connections" -d"${warmup}s" -s "$work/$name-warmup.lua" "$base/" >/dev/null

  # nginx is measured for half the time just before the store and half just after, and the two averaged: the store's
  # figure is compared with what the machine gave nginx around it, not only after it.
  local half=$(( (seconds + 1) / 2 ))
  for n in "${names[@]}"; do
    local header=(); [ "$n" = cart ] && header=(-H "Cookie: $cookie")
    local store before after script=(); [ "$n" = cart ] && script=(-s "$work/$name-buyers.lua")
    if [ "$side_by_side" = 1 ]; then
      curl -s "${header[@]}" -o "$work/www/$name-$n" "$base${paths[$n]}"
      chmod 644 "$work/www/$name-$n"
      before=$(load "http://127.0.0.1:$nginx_port/?bench=$name-$n" "$half")
    fi
    store=$(load "$base${paths[$n]}" "$seconds" "${script[@]}")
    RPS[$name/$n]=${store% *}; P99[$name/$n]=${store#* }
    if [ "$side_by_side" = 1 ]; then
      after=$(load "http://127.0.0.1:$nginx_port/?bench=$name-$n" "$half")
      NGINX[$name/$n]=$(awk -v a="${before% *}" -v b="${after% *}" 'BEGIN {printf "%.2f", (a + b) / 2}')
      RATIO[$name/$n]=$(awk -v a="${RPS[$name/$n]}" -v b="${NGINX[$name/$n]}" 'BEGIN {printf "%.3f", a / b}')
    fi
    report "$name" "$n" "${paths[$n]}" "$(printf '%.0f' "${RPS[$name/$n]}")" "$(printf '%.2f' "${P99[$name/$n]}")" \
        "$(printf '%.0f' "${NGINX[$name/$n]:-0}")" "${RATIO[$name/$n]:--}"
  done
  RSS[$name]=$(( $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024 ))
  echo "bench: $name: store resident memory after the run: ${RSS[$name]} MiB (heap capped at $heap;" \
       "$(awk '/RssAnon|RssFile/ {printf "%s %d MiB ", $1, $2 / 1024}' "/proc/$pid/status"))"
  stop_store
  if [ "$name" = postgres ]; then
    postgres_ceiling
  fi
}

# PostgreSQL's own ceiling on this machine, measured once the store has stopped: one-row reads by primary key from
# $connections clients written in C (pgbench -S, prepared statements), with nothing else running. A logged-in page
# reads two rows' worth (the session, then the cart), so this bounds what such a page can do on PostgreSQL here.
postgres_ceiling() {
  local pgbench; pgbench=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -n1 || true)
  if [ -z "$pgbench" ]; then
    echo "bench: pgbench not found: PostgreSQL's own ceiling is not measured"
    return 0
  fi
  PGOPTIONS="-c search_path=$schema" "$pgbench" -q -i -s 1 -h 127.0.0.1 -U postgres test >/dev/null 2>&1
  PG_READS=$(PGOPTIONS="-c search_path=$schema" "$pgbench" -n -S -M prepared -c "$connections" -j 1 -T "$seconds" \
      -h 127.0.0.1 -U postgres test 2>/dev/null | awk '/^tps/ {printf "%.0f", $3}')
  echo "bench: PostgreSQL alone (pgbench -S -M prepared -c $connections, ${seconds}s): ${PG_READS:-?} one-row reads/s"
}

echo "bench: $("$java" -version 2>&1 | head -n1), heap $heap, wrk -t1 -c$connections, ${seconds}s per page, nginx $("$nginx_bin" -v 2>&1 | sed 's/.*\///')"
report setup page path "store/s" "p99 ms" "nginx/s" ratio
if selected h2; then
  run h2  # the store's own embedded H2 (durable commits included), in the run's data folder
fi
for setup in postgres postgres-100k; do
  if selected "$setup"; then
    schema="bookstore_bench_${setup//-/_}_$$"
    schemas+=("$schema")
    psql -q -h 127.0.0.1 -U postgres test -c "CREATE SCHEMA $schema"
    run "$setup" --spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$schema" \
        --spring.datasource.username=postgres --spring.datasource.password=
  fi
done

echo
echo "Goals"
goal_width=62
# The ratio and p99 goals are the store's as it ships, on its embedded H2. The same figures on PostgreSQL are
# reported under them against the same limits, without counting as goals: there a logged-in page makes two round
# trips to a database every instance shares, and PostgreSQL's own ceiling is printed beside them.
if [ -n "${RPS[h2/home]:-}" ]; then
  for n in home book cart; do
    [ -n "${RATIO[h2/$n]:-}" ] && goal "h2 $n: ratio of nginx's requests/s" "${RATIO[h2/$n]}" "${MIN_RATIO[$n]}" min
  done
  for n in home book; do goal "h2 $n: p99 ms at $connections connections" "${P99[h2/$n]}" "$MAX_P99_MS" max; done
fi
if [ -n "${RPS[postgres/home]:-}" ]; then
  echo "  PostgreSQL, reported against the same limits:"
  for n in home book cart; do
    [ -n "${RATIO[postgres/$n]:-}" ] && reported "postgres $n: ratio of nginx's requests/s" "${RATIO[postgres/$n]}" "${MIN_RATIO[$n]}" min
  done
  for n in home book; do reported "postgres $n: p99 ms at $connections connections" "${P99[postgres/$n]}" "$MAX_P99_MS" max; done
  if [ -n "${PG_READS:-}" ] && [ -n "${NGINX[postgres/cart]:-}" ]; then
    awk -v c="${RPS[postgres/cart]}" -v r="$PG_READS" -v n="${NGINX[postgres/cart]}" -v m="${MIN_RATIO[cart]}" 'BEGIN {
      printf "    the cart: 2 reads a page, %.0f reads/s of PostgreSQL'"'"'s %.0f alone; %.2f of nginx would take %.0f (%.0f%%)\n",
             2 * c, r, m, 2 * m * n, 200 * m * n / r }'
  fi
fi
if [ -n "${RPS[postgres-100k/home]:-}" ] && [ -n "${RPS[postgres/home]:-}" ]; then
  for pair in home:home deep:home book:book search:search; do
    big=${pair%%:*}; small=${pair#*:}
    # Minutes apart, the machine may be slower or faster: each figure is first taken as a share of what nginx did
    # in the same minute (as every ratio above), then the two are compared. The plain req/s share is shown too.
    raw=$(awk -v a="${RPS[postgres-100k/$big]}" -v b="${RPS[postgres/$small]}" 'BEGIN {printf "%.2f", a / b}')
    if [ -n "${RATIO[postgres-100k/$big]:-}" ] && [ -n "${RATIO[postgres/$small]:-}" ]; then
      share=$(awk -v a="${RATIO[postgres-100k/$big]}" -v b="${RATIO[postgres/$small]}" 'BEGIN {printf "%.2f", a / b}')
      goal "100k books: $big as a share of the demo's $small (nginx ratios; req/s: $raw)" "$share" "$(awk -v d=$MAX_100K_DROP 'BEGIN {print 1 - d}')" min
    else
      goal "100k books: $big as a share of the demo's $small (req/s)" "$raw" "$(awk -v d=$MAX_100K_DROP 'BEGIN {print 1 - d}')" min
    fi
  done
fi
for mode in aot-new aot plain-new plain; do
  [ -n "${startup[$mode]:-}" ] && echo "  startup to the first page (${mode/-new/, new data folder}): ${startup[$mode]} s${startup_all[$mode]:+ (median of ${startup_all[$mode]})}"
done
if [ -n "${startup[reference]:-}" ]; then
  echo "  the reference, a one-page Spring Boot application, restarted after each of the store's with the AOT cache:" \
    "${startup[reference]} s (median of ${startup_all[reference]}); the store took $(awk -v a="${startup[aot]}" \
    -v b="${startup[reference]}" 'BEGIN {printf "%.1f", a / b}') times as long"
fi
[ -n "${startup[aot]:-}" ] && goal "restart to the first page with the AOT cache (s)" "${startup[aot]}" "$MAX_STARTUP_S" max
for setup in "${!RSS[@]}"; do goal "$setup: resident memory after the run (MiB)" "${RSS[$setup]}" "$MAX_RSS_MIB" max; done
if [ "$failed" -ne 0 ]; then
  echo "bench: goals missed"
  exit 1
fi
echo "bench: every goal met"
