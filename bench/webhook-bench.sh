#!/usr/bin/env bash
# Stripe's webhooks at one store instance. Real orders are made through the store (buyers register, put a book in
# the cart and press "Pay", so the store makes each PaymentIntent at Stripe), and paid, declined or left at Stripe.
# Stripe is the emulator, run standalone with no webhook endpoint, so nothing reaches the store but what this script
# sends: the events Stripe recorded for those orders, each several times and shuffled (later events often before
# earlier ones), signed as Stripe signs them, from 16 kept-alive connections. Then every order is checked against
# Stripe's own record of its PaymentIntent.
#
#   bench/webhook-bench.sh                       # H2, about 7 minutes
#   bench/webhook-bench.sh --db postgres         # on a fresh schema in database "test" at 127.0.0.1:5432
#   bench/webhook-bench.sh --orders 1000 --events 10000 --warmup 40 --warmup-orders 200 --connections 16
#   bench/webhook-bench.sh --jfr /tmp/webhooks.jfr   # also records the measured run with Flight Recorder
#
# The warm-up sends the events of --warmup-orders other orders (made the same way) round and round for --warmup
# seconds (the JIT needs ~40 s; events are idempotent, so the first round does the work and the rest are
# duplicates), every fifth delivery instead an event new to the store, as in the measured run, and waits until the
# store has acted on them all. The measured run sends each of the --events deliveries exactly once. The goals are checked at the
# end; the script exits 1 if one is missed, after printing everything.
set -euo pipefail
cd "$(dirname "$0")/.."

orders=1000 events=10000 warmup=40 warmup_orders=200 connections=16 heap=256m db=h2 seed=1 jfr="" keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --orders) orders=$2; shift 2 ;;
    --events) events=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --warmup-orders) warmup_orders=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --heap) heap=$2; shift 2 ;;
    --db) db=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --jfr) jfr=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;  # a directory to keep the logs, orders and deliveries in
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$db" in h2|postgres) ;; *) echo "--db is h2 or postgres" >&2; exit 2 ;; esac

# Goals: events acknowledged per second, the 99th percentile of the time to acknowledge one, and no order wrong.
MIN_EVENTS_PER_S=2000
MAX_P99_MS=20

if ! command -v wrk >/dev/null 2>&1; then
  echo "bench: installing wrk"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
jar=$(ls store/target/store-*.jar 2>/dev/null | head -n1 || true)
emulator_jar=$(ls stripe-emulator/target/stripe-emulator-*.jar 2>/dev/null | grep -v original | head -n1 || true)
if [ -z "$jar" ] || [ -z "$emulator_jar" ]; then
  ./mvnw -q -B -DskipTests package
  jar=$(ls store/target/store-*.jar | head -n1)
  emulator_jar=$(ls stripe-emulator/target/stripe-emulator-*.jar | grep -v original | head -n1)
fi

work=$(mktemp -d)
pids=()
schema=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ -n "$schema" ]; then
    psql -q -h 127.0.0.1 -U postgres test -c "SET client_min_messages = warning; DROP SCHEMA $schema CASCADE" || true
  fi
  if [ -n "$keep" ]; then mkdir -p "$keep" && cp -r "$work"/. "$keep"/; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The store's JVM flags and AOT cache, shared with the other benchmark.
source bench/store-jvm.sh
prepare_aot_cache

# Stripe: the emulator in its own process, with this run's keys and no webhook endpoint at all, so it sends the
# store nothing; the store is given the API base, the keys and a webhook signing secret, as with real Stripe.
random() { python3 -c "import secrets; print(secrets.token_hex(12))"; }
secret_key="sk_test_bench$(random)" publishable_key="pk_test_bench$(random)" webhook_secret="whsec_bench$(random)"
emulator_port=$(free_port)
api="http://127.0.0.1:$emulator_port"
"$java" -Xms32m -Xmx512m -XX:+UseSerialGC -jar "$emulator_jar" --port "$emulator_port" --host 127.0.0.1 --require-keys \
    --secret-key "$secret_key" --publishable-key "$publishable_key" > "$work/emulator.log" 2>&1 &
emulator_pid=$!
pids+=("$emulator_pid")
for _ in $(seq 1 600); do curl -s -o /dev/null -u "$secret_key:" "$api/v1/customers?limit=1" && break; sleep 0.1; done
if [ "$(curl -s -u "$secret_key:" "$api/v1/webhook_endpoints" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["data"]))')" != 0 ]; then
  echo "bench: the emulator has a webhook endpoint; this run must be the only sender" >&2; exit 1
fi

if [ "$db" = postgres ]; then
  schema="webhook_bench_$$"
  psql -q -h 127.0.0.1 -U postgres test -c "CREATE SCHEMA $schema"
  db_url="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$schema" db_user=postgres
  db_args=(--spring.datasource.url="$db_url" --spring.datasource.username=postgres --spring.datasource.password=)
else
  # AUTO_SERVER lets this script read the database while the store has it open.
  db_url="jdbc:h2:file:$work/bookstore;WRITE_DELAY=0;AUTO_SERVER=TRUE" db_user=sa
  db_args=(--spring.datasource.url="$db_url")
fi
sql=("$java" -cp "store/target/aot/lib/*" bench/Sql.java "$db_url" "$db_user" "")
db_args_check=(--java "$java" --db-url "$db_url" --db-user "$db_user")

# The store pays on its own page (the PaymentIntent is made by the store, confirmed at Stripe), and its own
# catch-up with Stripe (reconciliation, the back office's re-check of pending orders) is put off past the run, so
# that every order's state comes from the webhooks alone.
port=$(free_port)
base="http://127.0.0.1:$port"
# The JVM's stop-the-world pauses (safepoints) are logged, one line each, with System.nanoTime's clock, so that the
# measured run's stalls can be told apart: a collection, or something else.
STRIPE_API_BASE="$api" STRIPE_SECRET_KEY="$secret_key" STRIPE_PUBLISHABLE_KEY="$publishable_key" \
STRIPE_WEBHOOK_SECRET="$webhook_secret" \
"$java" -XX:AOTCache="$aot" "${jvm[@]}" -Xlog:safepoint=info:file="$work/safepoints.log":timenanos -jar "$app" \
    --server.port="$port" --bookstore.data-dir="$work/data" \
    --bookstore.checkout.ui=embedded --bookstore.payments.reconcile-first-after=PT2H --bookstore.payments.reconcile-every=PT2H \
    --bookstore.admin.recheck-first-after=PT2H --bookstore.admin.recheck-every=PT2H \
    --bookstore.login.max-registrations-per-address=100000 --bookstore.cart.max-new-guest-carts-per-address=1000000 --bookstore.checkout.max-new-payments-per-account=1000000 \
    --bookstore.sessions.max-new-guest-sessions-per-address=1000000 \
    --logging.level.root=WARN "${db_args[@]}" > "$work/store.log" 2>&1 &
pid=$!
pids+=("$pid")
for _ in $(seq 1 1200); do curl -sf -o /dev/null "$base/" && break; sleep 0.1; done
curl -sf -o /dev/null "$base/" || { cat "$work/store.log"; echo "bench: the store did not start" >&2; exit 1; }
"${sql[@]}" "UPDATE books SET stock = 1000000"

py() { python3 bench/webhook-bench.py "$@"; }
echo "bench: $("$java" -version 2>&1 | head -n1), $db, heap $heap, $orders orders, $events deliveries, $connections connections"
echo "bench: making $warmup_orders orders for the warm-up and $orders to measure (buyers register, order, pay at Stripe)"
py orders --store "$base" --api "$api" --key "$secret_key" --orders "$warmup_orders" --prefix warmup --seed "$seed" --out "$work/warmup-orders.json"
py orders --store "$base" --api "$api" --key "$secret_key" --orders "$orders" --prefix measured --seed "$seed" --out "$work/orders.json"
py events --api "$api" --key "$secret_key" --orders "$work/warmup-orders.json" --deliveries 0 --seed "$seed" --out "$work/warmup-deliveries.jsonl"
py events --api "$api" --key "$secret_key" --orders "$work/orders.json" --deliveries "$events" --seed "$seed" --out "$work/deliveries.jsonl"
if [ "$(grep -c . "$work/warmup-deliveries.jsonl")" -eq 0 ] && [ "$warmup" -gt 0 ]; then
  echo "bench: no events for the warm-up" >&2; exit 1
fi

# wrk with $connections kept-alive connections, the requests read from a file (bench/webhook-bench.lua). The warm-up
# (cycle) runs one thread; the measured run (once) one thread a connection, so that every delivery's own time to its
# answer is measured (wrk's latency figures add samples of their own, see the script).
send() { # mode, requests file, duration, and a file for the moment of every answer (once) or of new events (cycle)
  local times="" fresh_file="" threads=1
  if [ "$1" = once ]; then times=${4:-} threads=$connections; else fresh_file=${4:-}; fi
  WEBHOOK_MODE=$1 WEBHOOK_REQUESTS=$2 WEBHOOK_TIMES=$times WEBHOOK_FRESH=$fresh_file WEBHOOK_SHARES=$threads \
      wrk -t"$threads" -c"$connections" -d"$3" --timeout 10s --latency -s bench/webhook-bench.lua "$base/stripe/webhook"
}
field() { sed -n "s/.*webhook-bench: .*\b$1=\([0-9]*\).*/\1/p" <<<"$2" | head -n1; }

failed=0
if [ "$warmup" -gt 0 ]; then
  # Every fifth delivery of the warm-up is an event new to the store, as in the measured run (a fifth of its deliveries
  # are the first of an event the store acts on): events of other integrations' PaymentIntents on the same account,
  # which the store keeps, acts on and finds not its own. With repeats only, the JIT compiles the delivery's path
  # without the insert (an event never seen before), the measured run's first new event throws that code away, and
  # the JIT compiles the insert's path during the burst, on the cores the store shares with it.
  stranger_events=$(( warmup * 2500 ))
  echo "bench: warming up for ${warmup}s with the warm-up orders' events, every fifth delivery an event of another integration's payment"
  py strangers --deliveries "$work/warmup-deliveries.jsonl" --count "$stranger_events" --seed "$seed" --out "$work/strangers.jsonl"
  py sign --store "$base" --secret "$webhook_secret" --deliveries "$work/warmup-deliveries.jsonl" --out "$work/warmup.requests" >/dev/null
  py sign --store "$base" --secret "$webhook_secret" --deliveries "$work/strangers.jsonl" --out "$work/strangers.requests" >/dev/null
  out=$(send cycle "$work/warmup.requests" "${warmup}s" "$work/strangers.requests")
  grep -E "webhook-bench:|Non-2xx|Socket errors" <<<"$out" | sed 's/^/  warm-up /'
  if grep -qE "Non-2xx|Socket errors|first answer that was not 2xx" <<<"$out"; then
    echo "bench: errors during the warm-up" >&2; failed=1
  fi
  if [ "$(field fresh "$out")" -gt "$stranger_events" ]; then
    echo "bench: the warm-up ran out of new events ($stranger_events), and sent some twice" >&2
  fi
  # The store acts on the warm-up's new events once the deliveries stop; the measured run starts when it is done.
  drained="" since=$SECONDS
  while [ $(( SECONDS - since )) -le 300 ]; do
    if [ "$("${sql[@]}" "SELECT COUNT(*) FROM stripe_inbox")" = 0 ]; then drained=$(( SECONDS - since )); break; fi
    sleep 1
  done
  [ -n "$drained" ] || { echo "bench: the store had not acted on the warm-up's events after 300 s" >&2; exit 1; }
  echo "bench: the store acted on the warm-up's $(field fresh "$out") new events within ${drained} s of its end"
fi

# The measured run: the deliveries signed just now (Stripe's tolerance is 5 minutes), each sent exactly once.
count=$(py sign --store "$base" --secret "$webhook_secret" --deliveries "$work/deliveries.jsonl" --out "$work/measured.requests" \
    --shares "$connections")
# CPU time used (user + system, in clock ticks) by a process so far: on a shared machine, what the store spends per
# delivery says more than the rate it reaches.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
[ -n "$jfr" ] && jcmd "$pid" JFR.start name=webhooks settings=profile filename="$jfr" >/dev/null
echo "bench: sending $count deliveries, each once (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
store_cpu=$(cpu_ticks "$pid") emulator_cpu=$(cpu_ticks "$emulator_pid") store_cpu_start=$(cpu_ticks "$pid") store_cpu_settled=""
out=$(send once "$work/measured.requests" 600s "$work/answer-times.txt")
acked_at=$(date +%s.%N)
store_cpu=$(( $(cpu_ticks "$pid") - store_cpu )) emulator_cpu=$(( $(cpu_ticks "$emulator_pid") - emulator_cpu ))
load_after=$(cut -d' ' -f1 /proc/loadavg)
[ -n "$jfr" ] && jcmd "$pid" JFR.stop name=webhooks >/dev/null && echo "bench: flight recording in $jfr"
echo "$out" > "$work/wrk-measured.txt"
requests=$(field requests "$out") duration_us=$(field duration_us "$out") answered=$(field answered "$out")
non2xx=$(field non2xx "$out") sent=$(field sent "$out")
socket_errors=$(( $(field connect_errors "$out") + $(field read_errors "$out") + $(field write_errors "$out") + $(field timeouts "$out") ))
ok=$(( answered - non2xx ))
rate=$(awk -v n="$ok" -v us="$duration_us" 'BEGIN {printf "%.0f", n / (us / 1e6)}')
p50=$(awk -v v="$(field p50_us "$out")" 'BEGIN {printf "%.2f", v / 1000}')
p99=$(awk -v v="$(field p99_us "$out")" 'BEGIN {printf "%.2f", v / 1000}')
max=$(awk -v v="$(field max_us "$out")" 'BEGIN {printf "%.1f", v / 1000}')
wrk_latency=$(awk -v a="$(field wrk_p50_us "$out")" -v b="$(field wrk_p99_us "$out")" -v c="$(field wrk_max_us "$out")" \
    'BEGIN {printf "%.2f / %.2f / %.1f", a / 1000, b / 1000, c / 1000}')
grep "first answer that was not 2xx" <<<"$out" >&2 || true
if [ "$sent" != "$count" ] || [ "$answered" != "$count" ]; then
  echo "bench: $sent deliveries sent and $answered answered, not each of the $count exactly once" >&2; failed=1
fi

# Every order against Stripe. The store acknowledges an event once it is kept and acts on it afterwards (after a
# burst, once the burst is answered): the time from the last ack until every order is right is reported, checked
# every 2 s for up to 60 s, with the store's CPU until then.
python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1])) + json.load(open(sys.argv[2]))))' \
    "$work/warmup-orders.json" "$work/orders.json" > "$work/all-orders.json"
settled="" verdict="" checks=0
for _ in $(seq 1 30); do
  checks=$(( checks + 1 ))
  if verdict=$(py check --api "$api" --key "$secret_key" --orders "$work/all-orders.json" "${db_args_check[@]}" 2>"$work/check.txt"); then
    settled=$(awk -v a="$acked_at" '{printf "%.1f to %.1f", $4 - a, $5 - a}' <<<"$verdict")
    store_cpu_settled=$(( $(cpu_ticks "$pid") - store_cpu_start ))
    break
  fi
  [ "$(awk -v a="$acked_at" -v b="$(date +%s.%N)" 'BEGIN {print (b - a > 60)}')" = 1 ] && break
  sleep 2
done
checked=$(awk '{print $1}' <<<"$verdict") wrong=$(awk '{print $2}' <<<"$verdict") outcomes=$(awk '{print $3}' <<<"$verdict")
cat "$work/check.txt" >&2

echo
echo "Results ($db, $(date -u +%Y-%m-%d))"
printf '  %-48s %s\n' "deliveries sent (each exactly once)" "$sent of $count"
printf '  %-48s %s\n' "acknowledged 2xx / not 2xx / socket errors" "$ok / $non2xx / $socket_errors"
printf '  %-48s %s\n' "events acknowledged per second" "$rate (over $(awk -v us="$duration_us" 'BEGIN {printf "%.2f", us / 1e6}') s)"
printf '  %-48s %s\n' "ack latency p50 / p99 / max (ms)" "$p50 / $p99 / $max (each delivery, send to answer)"
printf '  %-48s %s\n' "wrk's estimate, corrected for omission (ms)" "$wrk_latency (not a goal: see bench/webhook-bench.lua)"
spread=$(awk -v v="$(field start_spread_us "$out")" 'BEGIN {printf "%.1f", v / 1000}')
printf '  %-48s %s\n' "the connections' first deliveries sent within" "$spread ms of each other"
if [ "$(awk -v v="$spread" 'BEGIN {print (v > 50)}')" = 1 ]; then
  echo "bench: the connections did not start together (wrk's threads were slow to set up); the run is not comparable" >&2; failed=1
fi
ticks=$(getconf CLK_TCK)
printf '  %-48s %s\n' "CPU per delivery to last ack: store/Stripe (ms)" "$(awk -v s="$store_cpu" -v e="$emulator_cpu" -v n="$count" -v t="$ticks" \
    'BEGIN {printf "%.2f / %.2f", s * 1000 / t / n, e * 1000 / t / n}')"
if [ -n "$store_cpu_settled" ]; then
  printf '  %-48s %s\n' "store CPU per delivery until all orders right" "$(awk -v s="$store_cpu_settled" -v n="$count" -v t="$ticks" \
      'BEGIN {printf "%.2f ms (acting on the events after their ack, and the receipts, included)", s * 1000 / t / n}')"
fi
if stalls=$(py stalls --times "$work/answer-times.txt" --safepoints "$work/safepoints.log" 2>&1); then
  printf '  %-48s %s\n' "longest waits with no answer, ms" "$(sed -n 1p <<<"$stalls")"
  printf '  %-48s %s\n' "stop-the-world pauses meanwhile" "$(sed -n 2p <<<"$stalls")"
else
  echo "bench: could not tell where the answers stalled: $stalls" >&2
fi
printf '  %-48s %s\n' "load average at the end of the measured run" "$load_after (on $(nproc) cores)"
printf '  %-48s %s\n' "orders checked (measured + warm-up)" "${checked:-0} ($orders + $warmup_orders): ${outcomes:-}"
printf '  %-48s %s\n' "orders in a wrong state" "${wrong:-unknown}"
if [ -n "$settled" ]; then
  printf '  %-48s %s\n' "settled: every order right at check number" "$checks, which read the database ${settled} s after the last ack"
else
  printf '  %-48s %s\n' "settled" "NO: orders still wrong 60 s after the last ack"
fi

echo
echo "Goals"
goal_width=48
goal "events acknowledged per second" "$rate" "$MIN_EVENTS_PER_S" min
goal "ack p99 (ms) at $connections connections" "$p99" "$MAX_P99_MS" max
goal "deliveries not acknowledged 2xx" "$(( count - ok + socket_errors ))" 0 max
goal "orders in a wrong state" "${wrong:-1}" 0 max
[ -n "$settled" ] || failed=1
if [ "$failed" -ne 0 ]; then
  echo "bench: goals missed"
  exit 1
fi
echo "bench: every goal met"
