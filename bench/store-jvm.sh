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
  "$java" -Djarmode=tools -jar "$jar" extract --destination store/target/aot >/dev/null
  local port train path
  port=$(free_port)
  "$java" -XX:AOTCacheOutput="$aot" "${jvm[@]}" -jar "$app" --server.port="$port" --bookstore.stripe.emulator.port=0 \
      --bookstore.stripe.emulator.state-file="$work/train-stripe.json" --bookstore.data-dir="$work/train" \
      --logging.level.root=WARN > "$work/train.log" 2>&1 &
  train=$!
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.5; done
  for path in / /books/working-in-public /search?q=engineering /books/working-in-public/cover.svg /cart /login /register; do
    for _ in 1 2 3; do curl -s -o /dev/null "http://127.0.0.1:$port$path"; done
  done
  kill "$train"; wait "$train" 2>/dev/null || true
  [ -f "$aot" ] || { cat "$work/train.log"; echo "bench: the AOT cache was not written" >&2; exit 1; }
}

# Prints one goal and whether it was met; a missed one sets $failed. Arguments: a description, the measured value,
# the limit, and "min" or "max". $goal_width is the description's column width.
goal() {
  local ok; ok=$(awk -v v="$2" -v l="$3" -v k="$4" 'BEGIN {print (k == "min" ? v >= l : v <= l) ? "met" : "MISSED"}')
  printf "  %-${goal_width:-62}s %10s  (%s %s)  %s\n" "$1" "$2" "$4" "$3" "$ok"
  [ "$ok" = met ] || failed=1
}
