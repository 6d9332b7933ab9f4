# Sourced by the benchmarks: how they check their goals and time a start, and the JVM the store runs in, as the README
# recommends for a small instance, and its AOT cache. Expects $heap and $work (a scratch folder) to be set; $java and
# $jar (the store's Boot jar) too, or they are found here: the newest Temurin JDK installed (else the java on the
# PATH), and the jar the build left in store/target (built first if there is none).
if [ -z "${java:-}" ]; then
  java=java
  for candidate in /usr/lib/jvm/temurin-*/bin/java; do [ -x "$candidate" ] && java=$candidate; done
fi
if [ -z "${jar:-}" ]; then
  jar=$(ls store/target/store-*.jar 2>/dev/null | head -n1 || true)
  if [ -z "$jar" ]; then
    ./mvnw -q -B -DskipTests package
    jar=$(ls store/target/store-*.jar | head -n1)
  fi
fi

# -Dspring.aot.enabled=true: the store starts from the bean definitions its build wrote out (Spring AOT), rather than
# working them out from its configuration on every start.
# The AOT cache (JDK 24+) needs the application as plain jars, not nested in the Boot jar. A training run records
# the classes and profiles of a start and a few pages; later starts map them instead of loading and linking again.
# The serial collector (one GC thread, no region bookkeeping; on 2 cores and a small heap it costs less CPU and
# memory than G1) and a capped code cache. glibc's per-thread malloc arenas are capped too, or native memory grows
# with the number of Tomcat threads.
export MALLOC_ARENA_MAX=2
# The heap starts at 96 MB and grows as needed: the JVM would otherwise commit all of -Xmx at once.
# After a collection the heap gives back what it does not need (at most 30% free), and glibc's freed native memory
# (the JIT's scratch space, mostly) is returned to the system every 2 s instead of being kept by the process.
# -Xmn64m: but the young generation is 64 MB (eden 51 MB, survivor spaces of 6.4 MB) however small the rest is kept.
# Left to itself it is a third of the heap as committed, which those ratios keep small, so in a burst of webhooks (about
# 22 KB allocated a delivery) a young collection came every 2,000 or so deliveries, each holding up every delivery then
# in flight, and H2's pages (medium-lived: its page cache keeps every page written) were promoted before they died, so
# the old generation filled every 10 to 15 s, a full collection of 0.15 to 0.25 s each time. In bench/webhook-bench.sh
# (2 December, H2): 1,107 young and 13 full collections in a run without the flag, 936 and 10 with it, and an ack
# p99 of 6.7 to 12.2 ms in three runs with it against 9.8 and 19.3 ms in two without; with 96 MB, 538 to 631 young and
# 5 to 6 full, 7.2 and 7.4 ms, but the store then kept 302 to 307 MiB resident after bench/store-bench.sh's pages
# (goal 300; 280 with 64 MB, 234 without). The initial heap (-Xms96m) holds it and
# a first old generation; the heap still grows to -Xmx, and the old generation shrinks back as before.
# -XX:CompileThresholdScaling=10: a method is compiled after ten times as many calls as by default. A start runs a
# great deal of code a few hundred times each, never again; at the default thresholds the two compiler threads spent
# more CPU on it than the store's own thread (on two cores, C2 alone took most of one core until the first page),
# and the store's thread waited for a core. The cost is a slower first half-minute under full load: the pages reach
# their full speed after 16 to 40 s of it instead of 8 to 16 s (bench/store-bench.sh measures them after its 40 s
# warm-up). The AOT cache's training profiles still bring forward what its training run compiled.
# -XX:SweeperThreshold=50: the JVM empties its code cache of cold code with a full collection once 15% of the cache's
# size has been compiled since the last one (less as the cache fills). With the cache capped at 64 MB that was every 5
# to 10 MB of new code, each a pause of 0.14 to 0.38 s on the serial collector, one of them in the middle of
# bench/webhook-bench.sh's measured burst in five runs of six (its first events are acted on by code compiled only
# then, later still with the higher compile thresholds). At 50% the store's 27 MB of code after that benchmark never
# needed one, and a cache approaching full is still emptied as before.
jvm=(-Dspring.aot.enabled=true -Xms96m -Xmn64m -Xmx"$heap" -XX:+UseSerialGC -XX:MaxHeapFreeRatio=30 -XX:MinHeapFreeRatio=10 -XX:ReservedCodeCacheSize=64m
     -XX:SweeperThreshold=50 -Xss512k -XX:TrimNativeHeapInterval=2000 -XX:CompileThresholdScaling=10)
app="store/target/aot/$(basename "$jar")"
aot="store/target/aot/store.aot"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Extracts the jar and trains the AOT cache, unless a cache newer than the jar is there.
prepare_aot_cache() {
  if [ -f "$aot" ] && [ "$aot" -nt "$jar" ]; then
    return 0
  fi
  echo "bench: extracting the jar and training the AOT cache"
  rm -rf store/target/aot
  train_aot_cache "$jar" store/target/aot "$aot" "${training_paths[@]}" -- --bookstore.stripe.emulator.port=0 \
      --bookstore.stripe.emulator.state-file="$work/train-stripe.json" --bookstore.data-dir="$work/train"
}
# What a training run asks for, three times each after the store's start: the pages a visitor sees first.
training_paths=(/ /books/working-in-public /search?q=engineering /books/working-in-public/cover.svg /cart /login /register)

# Extracts a Boot jar into a folder and records an AOT cache from one run of it: its start, then each path asked
# three times. Arguments: the jar, the folder, the cache, the paths, "--", then the application's own arguments.
train_aot_cache() {
  local boot_jar=$1 folder=$2 cache=$3; shift 3
  local paths=() port train path
  while [ "$1" != "--" ]; do paths+=("$1"); shift; done
  shift
  "$java" -Djarmode=tools -jar "$boot_jar" extract --destination "$folder" >/dev/null
  port=$(free_port)
  "$java" -XX:AOTCacheOutput="$cache" "${jvm[@]}" -jar "$folder/$(basename "$boot_jar")" --server.port="$port" \
      --logging.level.root=WARN "$@" > "$work/train.log" 2>&1 &
  train=$!
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.5; done
  for path in "${paths[@]}"; do
    for _ in 1 2 3; do curl -s -o /dev/null "http://127.0.0.1:$port$path"; done
  done
  kill "$train"; wait "$train" 2>/dev/null || true
  [ -f "$cache" ] || { cat "$work/train.log"; echo "bench: the AOT cache $cache was not written" >&2; exit 1; }
}

# Prints the seconds from launching a JVM to its first "/" page, then stops it. Arguments: its log, its port, the
# command line. The page is asked for every 10 ms by one small Python process (first_page_probe), not by a curl
# started each time: on two cores, starting curl fifty times a second took more than half a core from the JVM it was
# timing, and made a start look 0.7 s slower than it is.
time_first_page() {
  local log=$1 port=$2; shift 2
  local started p
  started=$(date +%s.%N)
  "$@" > "$log" 2>&1 &
  p=$!
  first_page_probe "$port" 60 || echo "bench: no first page on port $port within 60 s" >&2
  awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}'
  kill "$p"; wait "$p" 2>/dev/null || true
}
# Waits until http://127.0.0.1:$1/ answers 200, for at most $2 seconds; fails if it never does.
first_page_probe() {
  python3 - "$1" "$2" <<'PY'
import socket, sys, time
port, deadline = int(sys.argv[1]), time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            head = b""
            while len(head) < 12:
                chunk = s.recv(12 - len(head))
                if not chunk:
                    break
                head += chunk
            if head.startswith(b"HTTP/1.1 200"):
                while s.recv(65536):
                    pass
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.01)
sys.exit(1)
PY
}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# Prints one goal and whether it was met; a missed one sets $failed. Arguments: a description, the measured value,
# the limit, and "min" or "max". $goal_width is the description's column width.
goal() {
  local ok; ok=$(awk -v v="$2" -v l="$3" -v k="$4" 'BEGIN {print (k == "min" ? v >= l : v <= l) ? "met" : "MISSED"}')
  printf "  %-${goal_width:-62}s %10s  (%s %s)  %s\n" "$1" "$2" "$4" "$3" "$ok"
  [ "$ok" = met ] || failed=1
}
