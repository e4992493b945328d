#!/usr/bin/env bash
# What kout --serve costs, on 1 M generated events, in the same run as the
# same work without it (target: at most 1.3x):
#   --serve --key user          against  --refresh 1h --key user --table
#                               (the latest row per user, one frame at the end)
#   --serve --chart bar --panel heatmap  against  --chart bar --format svg
#                               and --chart heatmap --format svg, run one
#                               after the other (the same two charts)
#   the same with a page open   one /events client reading every frame
# --serve also passes every record through to standard output, and draws
# a frame (table and charts) every 200 ms.  Times are medians of
# BENCH_RUNS; CPU seconds (user + system) are printed beside wall seconds,
# as they move less on a shared machine.
. "$(dirname "$0")/lib.sh"

n=${BENCH_LINES:-1000000}
mkdir -p "$BENCH_DATA"
json=$BENCH_DATA/events-$n.ndjson
events "$json" "$n"
mb=$(awk -v b="$(stat -c %s "$json")" 'BEGIN { printf "%.0f", b / 1e6 }')
charts="--chart bar --x action --y latency_ms --panel heatmap,x=action,y=ok"

median_cpu() {
	local i t=()
	for ((i = 0; i < BENCH_RUNS; i++)); do
		t+=("$( { /usr/bin/time -f '%U %S' bash -c "$1 >/dev/null 2>/dev/null"; } 2>&1 |
			tail -n 1 | awk '{ print $1 + $2 }')")
	done
	printf '%s\n' "${t[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

# The chart run with a page open: kout reads a pipe that is fed only once
# an /events client (curl) has connected; wall seconds from then to
# kout's exit.
with_page() {
	local dir fifo url i start
	dir=$(mktemp -d) fifo=$dir/in
	mkfifo "$fifo"
	kout --serve 0 --linger 0 $charts <"$fifo" >/dev/null 2>"$dir/err" &
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

table_plain="kout --refresh 1h --key user --table '$json'"
table_serve="kout --serve 0 --linger 0 --key user '$json'"
chart_plain="kout --chart bar --x action --y latency_ms --format svg '$json'; kout --chart heatmap --x action --y ok --format svg '$json'"
chart_serve="kout --serve 0 --linger 0 $charts '$json'"

# row prints other/kpipe: the plain command is "kpipe", --serve the other.
t1=$(median_time "$table_plain"); s1=$(median_time "$table_serve")
c1=$(median_cpu "$table_plain"); d1=$(median_cpu "$table_serve")
t2=$(median_time "$chart_plain"); s2=$(median_time "$chart_serve")
c2=$(median_cpu "$chart_plain"); d2=$(median_cpu "$chart_serve")
s3=$(median_page)
row "latest row per user, $n lines ($mb MB)" "$t1" "$s1" "--serve" "<=1.3x"
row "  CPU seconds" "$c1" "$d1" "--serve" "<=1.3x"
row "bar chart and heat map" "$t2" "$s2" "--serve" "<=1.3x"
row "  CPU seconds" "$c2" "$d2" "--serve" "<=1.3x"
row "  with a page open ($(cat "$BENCH_DATA/serve-frames") frames sent)" "$t2" "$s3" "--serve" "<=1.3x"
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }
printf '%-46s %s KB, --chart bar --format svg %s KB\n' "kout --serve (charts) peak RSS" \
	"$(rss kout --serve 0 --linger 0 $charts "$json")" \
	"$(rss kout --chart bar --x action --y latency_ms --format svg "$json")"
