#!/usr/bin/env bash
# What kout --serve costs the pipeline: kout passing 1 M generated events
# through (--ndjson, what --serve writes to standard output too) against
# the same with the dashboard, in the same run, interleaved:
#   --serve --key user                   a 1000-row table, a frame every 200 ms
#   ... --chart bar --panel heatmap      and two charts in each frame
#   ... with a page open                 one /events client reading every frame
# The ratio is the dashboard's wall time over the pass-through's (target:
# at most 1.3x, the dashboard drawing at most five frames a second).
. "$(dirname "$0")/lib.sh"

n=${BENCH_LINES:-1000000}
mkdir -p "$BENCH_DATA"
json=$BENCH_DATA/events-$n.ndjson
events "$json" "$n"
mb=$(awk -v b="$(stat -c %s "$json")" 'BEGIN { printf "%.0f", b / 1e6 }')
charts="--chart bar --x action --y latency_ms --panel heatmap,x=action,y=ok"

# The same run with a page open: kout reads a pipe that is fed only once
# an /events client (curl) has connected; the time is from then to kout's
# exit.  Prints seconds.
with_page() {
	local dir fifo url i start
	dir=$(mktemp -d) fifo=$dir/in
	mkfifo "$fifo"
	kout --serve 0 --linger 0 --key user $charts <"$fifo" >/dev/null 2>"$dir/err" &
	local pid=$!
	exec 8>"$fifo"
	for ((i = 0; i < 100; i++)); do
		url=$(grep -o 'http://[^ ]*/' "$dir/err" | head -n 1)
		[ -n "$url" ] && break
		sleep 0.05
	done
	curl -s -N "${url}events" >"$dir/frames" 8>&- &
	local curl=$!
	sleep 0.3
	start=$(date +%s.%N)
	cat "$json" >&8
	exec 8>&-
	wait "$pid"
	python3 -c 'import sys, time; print("%.2f" % (time.time() - float(sys.argv[1])))' "$start"
	kill "$curl" 2>/dev/null
	wait "$curl" 2>/dev/null
	grep -c '^data: ' "$dir/frames" >"$BENCH_DATA/serve-frames"
	rm -rf "$dir"
}

median_page() {
	local i t=()
	for ((i = 0; i < BENCH_RUNS; i++)); do t+=("$(with_page)"); done
	printf '%s\n' "${t[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

base1=$(median_time "kout --ndjson '$json'")
table=$(median_time "kout --serve 0 --linger 0 --key user '$json'")
base2=$(median_time "kout --ndjson '$json'")
full=$(median_time "kout --serve 0 --linger 0 --key user $charts '$json'")
page=$(median_page)
base3=$(median_time "kout --ndjson '$json'")
base=$(printf '%s\n' "$base1" "$base2" "$base3" | sort -g | sed -n 2p)
# row prints other/kpipe: here the pass-through is "kpipe" and the
# dashboard the other, so the ratio is the dashboard's cost.
row "kout --serve --key user, $n lines ($mb MB)" "$base" "$table" "--serve" "<=1.3x"
row "... with a bar chart and a heat map" "$base" "$full" "--serve" "<=1.3x"
row "... and a page open ($(cat "$BENCH_DATA/serve-frames") frames sent)" "$base" "$page" "--serve" "<=1.3x"
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }
printf '%-46s %s KB, --ndjson %s KB\n' "kout --serve (table and charts) peak RSS" \
	"$(rss kout --serve 0 --linger 0 --key user $charts "$json")" "$(rss kout --ndjson "$json")"
