# Sourced by the benchmarks: how they check their goals, and the JVM the store runs in, as the README recommends for a small instance, and its AOT
# cache. Expects $java, $jar (the Boot jar), $heap and $work (a scratch folder) to be set.

# -Dspring.aot.enabled=true: the store starts from the bean definitions its build wrote out (Spring AOT), rather than
# working them out from its configuration on every start.
# The AOT cache (JDK 24+) needs the application as plain jars, not nested in the Boot jar. A training run records
# the classes and profiles of a start and a few pages; later starts map them instead of loading and linking again.
# The serial collector (one GC thread, no region bookkeeping; on 2 cores and a small heap it costs less CPU and
# memory than G1) and a capped code cache. glibc's per-thread malloc arenas are capped too, or native memory grows
# with the number of Tomcat threads.
export MALLOC_ARENA_MAX=2
# The heap starts small and grows as needed: the JVM would otherwise commit (and touch) all of -Xmx at once.
# After a collection the heap gives back what it does not need (at most 30% free), and glibc's freed native memory
# (the JIT's scratch space, mostly) is returned to the system every 2 s instead of being kept by the process.
jvm=(-Dspring.aot.enabled=true -Xms32m -Xmx"$heap" -XX:+UseSerialGC -XX:MaxHeapFreeRatio=30 -XX:MinHeapFreeRatio=10 -XX:ReservedCodeCacheSize=64m
     -Xss512k -XX:TrimNativeHeapInterval=2000)
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
  train_aot_cache "$jar" store/target/aot "$aot" / /books/working-in-public /search?q=engineering \
      /books/working-in-public/cover.svg /cart /login /register -- --bookstore.stripe.emulator.port=0 \
      --bookstore.stripe.emulator.state-file="$work/train-stripe.json" --bookstore.data-dir="$work/train"
}

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

# Prints one goal and whether it was met; a missed one sets $failed. Arguments: a description, the measured value,
# the limit, and "min" or "max". $goal_width is the description's column width.
goal() {
  local ok; ok=$(awk -v v="$2" -v l="$3" -v k="$4" 'BEGIN {print (k == "min" ? v >= l : v <= l) ? "met" : "MISSED"}')
  printf "  %-${goal_width:-62}s %10s  (%s %s)  %s\n" "$1" "$2" "$4" "$3" "$ok"
  [ "$ok" = met ] || failed=1
}
