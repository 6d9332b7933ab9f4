#!/usr/bin/env bash
# The store's restart to its first page, with variants of its JVM flags side by side: each variant gets its own
# extracted jar and its own AOT cache, trained with its flags as bench/store-jvm.sh trains the store's, and then the
# variants are restarted in turn, round after round, each timed as bench/store-bench.sh times a start. A slower
# moment of this shared machine weighs on every variant alike, which a run of each in a row would not give; compare
# the medians. For trying something that might shorten a start before believing it.
#
#   bench/startup-ab.sh store 'c1=-XX:TieredStopAtLevel=1'          # the store as it runs, and one variant
#   bench/startup-ab.sh --rounds 8 store 'later=-XX:CompileThresholdScaling=3' 'nopd=-XX:-UsePerfData'
#   bench/startup-ab.sh store 'other@../other-checkout/store/target/store-0.1.0-SNAPSHOT.jar'   # another build
#
# A variant is NAME, NAME=FLAGS (JVM flags, space-separated, added to the store's), and either may end in @JAR to
# start another build of the store. The store's flags and heap are those of bench/store-jvm.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=6 heap=256m variants=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --heap) heap=$2; shift 2 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) variants+=("$1"); shift ;;
  esac
done
[ "${#variants[@]}" -gt 0 ] || { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source bench/store-jvm.sh
store_jvm=("${jvm[@]}")

declare -A flags jars times
names=()
for variant in "${variants[@]}"; do
  name=${variant%%[=@]*}
  [[ "$name" =~ ^[A-Za-z0-9_-]+$ ]] || { echo "bench: a variant's name is letters, digits, - and _: $variant" >&2; exit 2; }
  [ -z "${jars[$name]:-}" ] || { echo "bench: two variants are called $name" >&2; exit 2; }
  rest=${variant#"$name"}
  jars[$name]=$jar
  if [[ "$rest" == *@* ]]; then jars[$name]=${rest##*@}; rest=${rest%@*}; fi
  [ -f "${jars[$name]}" ] || { echo "bench: no jar ${jars[$name]} for $name" >&2; exit 2; }
  flags[$name]=${rest#=}
  names+=("$name")
done
for name in "${names[@]}"; do
  echo "bench: $name: extracting ${jars[$name]} and training its AOT cache${flags[$name]:+ with ${flags[$name]}}"
  # shellcheck disable=SC2206 # the flags are words on purpose
  jvm=("${store_jvm[@]}" ${flags[$name]})
  train_aot_cache "${jars[$name]}" "$work/$name" "$work/$name/store.aot" "${training_paths[@]}" -- \
      --bookstore.stripe.emulator.port=0 --bookstore.stripe.emulator.state-file="$work/train-$name.json" \
      --bookstore.data-dir="$work/train-$name"
done

# One restart of a variant: prints its seconds to the first page. Its data folder is made by a first start, untimed.
restart() {
  local name=$1 port; port=$(free_port)
  # shellcheck disable=SC2206
  local run=("${store_jvm[@]}" ${flags[$name]})
  time_first_page "$work/$name.log" "$port" "$java" -XX:AOTCache="$work/$name/store.aot" "${run[@]}" \
      -jar "$work/$name/$(basename "${jars[$name]}")" --server.port="$port" --bookstore.stripe.emulator.port=0 \
      --bookstore.stripe.emulator.state-file="$work/data-$name.json" --bookstore.data-dir="$work/data-$name" \
      --logging.level.root=WARN
}
for name in "${names[@]}"; do restart "$name" > /dev/null; done

echo "bench: $("$java" -version 2>&1 | head -n1), heap $heap, $rounds rounds, seconds from launching the JVM to the first page"
for round in $(seq 1 "$rounds"); do
  line="round $round:"
  for name in "${names[@]}"; do
    t=$(restart "$name")
    times[$name]+="$t "
    line+="  $name $t"
  done
  echo "$line"
done
for name in "${names[@]}"; do
  printf '%-16s median %s s  (%s)\n' "$name" "$(tr ' ' '\n' <<< "${times[$name]}" | grep . | median)" "${times[$name]% }"
done
