# Helpers for tests/bench/b_*.sh.
#   events FILE N        N generated event lines (~110 bytes each), cached
#   median_time CMD...   runs CMD (a shell string) BENCH_RUNS times (default 3),
#                        prints the median wall seconds
#   pair CMD1 CMD2       runs the two in turns BENCH_RUNS times, so that a
#                        change in the machine's load falls on both; prints
#                        their median wall seconds "S1 S2"
#   load                 the load averages (1, 5, 15 min)
#   row WHAT KPIPE_S OTHER_S NAME TARGET   prints a result line with the ratio
set -u
KPIPE_ROOT=${KPIPE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
KPIPE_BIN=${KPIPE_BIN:-$KPIPE_ROOT/bin}
BENCH_DATA=${BENCH_DATA:-$KPIPE_ROOT/tests/bench/data}
BENCH_RUNS=${BENCH_RUNS:-3}
PATH=$KPIPE_BIN:$KPIPE_ROOT/build/tools:$PATH
export LC_ALL=C.UTF-8

events() {
	local file=$1 n=$2
	[ -s "$file" ] || python3 "$KPIPE_ROOT/tests/gen-events.py" -n "$n" >"$file"
}

median_time() {
	local i t times=()
	for ((i = 0; i < BENCH_RUNS; i++)); do
		t=$( { /usr/bin/time -f %e bash -c "$1 >/dev/null 2>/dev/null"; } 2>&1 | tail -n 1)
		times+=("$t")
	done
	printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

pair() {
	local i t a=() b=()
	for ((i = 0; i < BENCH_RUNS; i++)); do
		t=$( { /usr/bin/time -f %e bash -c "$1 >/dev/null 2>/dev/null"; } 2>&1 | tail -n 1); a+=("$t")
		t=$( { /usr/bin/time -f %e bash -c "$2 >/dev/null 2>/dev/null"; } 2>&1 | tail -n 1); b+=("$t")
	done
	med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
	echo "$(med "${a[@]}") $(med "${b[@]}")"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

row() {
	awk -v what="$1" -v k="$2" -v o="$3" -v name="$4" -v target="$5" 'BEGIN {
		r = (k > 0) ? o / k : 0
		printf "%-46s kpipe %7.2fs  %-10s %7.2fs  ratio %6.1fx  (target %s)\n", what, k, name, o, r, target }'
}
