#!/usr/bin/env bash
# What --metrics and the progress line cost (kpipe(7), METRICS): each
# command with and without --metrics (a record every 100 ms, a hundred
# times the default rate), and with standard error not a terminal (no
# progress thread), interleaved run by run so that load on the machine
# falls on both alike.  The ratio is with/without: 1.0 is no cost.
. "$(dirname "$0")/lib.sh"

mkdir -p "$BENCH_DATA"
events "$BENCH_DATA/events-1000000.json" 1000000
EV=$BENCH_DATA/events-1000000.json
M=$(mktemp)
trap 'rm -f "$M"' EXIT

# Median wall seconds of two commands, run alternately BENCH_RUNS times each.
pair() {
	local i a b ta=() tb=()
	for ((i = 0; i < BENCH_RUNS; i++)); do
		a=$( { /usr/bin/time -f %e bash -c "$1 >/dev/null 2>/dev/null"; } 2>&1 | tail -n 1)
		b=$( { /usr/bin/time -f %e bash -c "$2 >/dev/null 2>/dev/null"; } 2>&1 | tail -n 1)
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
