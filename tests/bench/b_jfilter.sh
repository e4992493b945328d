#!/usr/bin/env bash
# jfilter throughput on 1 M generated events (tests/gen-events.py) against
# jq -c with the same program, in the same run:
#   select on a string field        (fast path, target >= 5x)
#   select on a numeric comparison  (fast path, target >= 5x)
#   projection {user, latency_ms}   (fast path, target >= 2x)
#   a program only libjq runs       (target: never slower, >= 1x)
# Each pair's outputs are compared once, so a fast wrong answer cannot
# pass for a result.
. "$(dirname "$0")/lib.sh"

n=${BENCH_LINES:-1000000}
mkdir -p "$BENCH_DATA"
json=$BENCH_DATA/events-$n.ndjson
events "$json" "$n"
mb=$(awk -v b="$(stat -c %s "$json")" 'BEGIN { printf "%.0f", b / 1e6 }')
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

bench() {
	local what=$1 prog=$2 target=$3
	jfilter "$prog" "$json" >"$out/k" 2>/dev/null
	jq -c "$prog" "$json" >"$out/o" 2>/dev/null
	cmp -s "$out/k" "$out/o" || what="$what (OUTPUT DIFFERS)"
	local k o
	k=$(median_time "jfilter '$prog' '$json'")
	o=$(median_time "jq -c '$prog' '$json'")
	row "jfilter $what, $n lines ($mb MB)" "$k" "$o" "jq -c" "$target"
}

bench 'select string' 'select(.action == "login")' ">=5x"
bench 'select number' 'select(.latency_ms > 200)' ">=5x"
bench 'projection' '{user, latency_ms}' ">=2x"
bench 'general (libjq)' '{user, kb: (.bytes / 1024 | floor)}' ">=1x"
