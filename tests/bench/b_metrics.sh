#!/usr/bin/env bash
# What --metrics and the progress line cost (kpipe(7), METRICS): each
# command with and without --metrics (a record every 100 ms, a hundred
# times the default rate), interleaved run by run so that load on the
# machine falls on both alike, in CPU seconds (user + system, which a
# loaded machine disturbs less than wall time).  Standard error is not a
# terminal here, so neither run draws a progress line or starts its
# thread without --metrics.  The ratio is without/with: 1.0 is no cost,
# below 1 what --metrics adds.  jq against jfilter with --metrics shows
# that bench ratio unchanged.
. "$(dirname "$0")/lib.sh"

mkdir -p "$BENCH_DATA"
events "$BENCH_DATA/events-1000000.json" 1000000
EV=$BENCH_DATA/events-1000000.json
M=$(mktemp)
trap 'rm -f "$M"' EXIT

cpu() {
	{ /usr/bin/time -f '%U %S' bash -c "$1 >/dev/null 2>/dev/null"; } 2>&1 | tail -n 1 |
		awk '{print $1 + $2}'
}

# Median CPU seconds of two commands, run alternately BENCH_RUNS times each.
pair() {
	local i a b ta=() tb=()
	for ((i = 0; i < BENCH_RUNS; i++)); do
		a=$(cpu "$1")
		b=$(cpu "$2")
		ta+=("$a")
		tb+=("$b")
	done
	echo "$(printf '%s\n' "${ta[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" \
	     "$(printf '%s\n' "${tb[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
}

measure() {
	local what=$1 cmd=$2
	read -r plain metered < <(pair "$cmd" "$cmd --metrics $M --metrics-interval 100ms")
	row "$what: --metrics 100ms vs none" "$metered" "$plain" "none" "1.0x"
}

measure "jfilter select" "jfilter 'select(.latency_ms > 100)' $EV"
measure "jstats 2 fields" "jstats -f latency_ms,bytes $EV"
measure "jwindow tumble 1m count" "jwindow --time timestamp --tumble 1m -a 'count(*)' $EV"
measure "kout --csv" "kout --csv $EV"
read -r jq_s kp_s < <(pair "jq -c 'select(.latency_ms > 100)' $EV" \
	"jfilter --metrics $M --metrics-interval 100ms 'select(.latency_ms > 100)' $EV")
row "jfilter select with --metrics vs jq" "$kp_s" "$jq_s" "jq" "as b_jfilter"
