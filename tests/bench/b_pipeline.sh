#!/usr/bin/env bash
# The whole pipeline against a real Kafka broker (tests/kafka/broker.sh):
#   1. job 1 (hourly logins per user, then mean/stddev/p99 per hour) end to
#      end from the broker, against the shell status quo `kcat -C -J -e | jq`
#      with jq doing the hourly windowing; events/s and CPU s per M events.
#      Target: >= 500k events/s, >= 5x the status quo.
#   2. latency at 1000 events/s for BENCH_LATENCY_S seconds (default 10), from
#      the producer writing an event to the line leaving
#      `kcat-in | jparse -f value | jfilter | kout`: p50, p99 (target <= 20 ms)
#   3. peak RSS of every stage of job 1 for N and 3N events: flat in length.
# BENCH_PIPELINE_N (default 1000000) events; the jq side runs once.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
N=${BENCH_PIPELINE_N:-1000000}
LAT_S=${BENCH_LATENCY_S:-10}
broker=$KPIPE_ROOT/tests/kafka/broker.sh
latency=$KPIPE_ROOT/tests/pipeline/latency.py

if ! command -v java >/dev/null || ! command -v mvn >/dev/null || ! command -v kcat >/dev/null; then
	echo "b_pipeline: skipped: java, mvn or kcat missing (make deps)"
	exit 0
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/kpipe-bench-pipeline.XXXXXX")
trap '"$broker" stop "$dir/kafka"; rm -rf "$dir"' EXIT
B=$("$broker" start "$dir/kafka") || { echo "b_pipeline: the broker did not start"; exit 1; }

# cpu_time CMD: runs the shell string CMD once; prints "wall user+sys".
cpu_time() {
	/usr/bin/time -f '%e %U %S' -o "$dir/time" bash -c "$1 >/dev/null 2>/dev/null"
	awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$dir/time"
}
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0) ? n / s : 0 }'; }
per_m() { awk -v n="$1" -v c="$2" 'BEGIN { printf "%.2f", c / n * 1e6 }'; }

# Events in one partition so the stream keeps their order (the watermark
# then drops nothing that the batch jq job counts).
fill() {	# TOPIC N
	events "$BENCH_DATA/events-$2.json" "$2"
	kcat -P -b "$B" -t "$1" -p 0 -X linger.ms=20 <"$BENCH_DATA/events-$2.json" || exit 1
}
fill src "$N"

# --- 1. job 1 end to end
job1="kcat-in -b $B -t src -e | jparse -f value |
	jfilter 'select(.action == \"login\")' |
	jwindow --time timestamp --watermark 10m --tumble 1h --by user --agg 'count() as logins' |
	jstats --by window.start --fields logins --stats mean,stddev,p99 | kout --table"
# The status quo: the same numbers in one jq program (reduce, not -s, which
# would hold every event in memory).
jqjob="kcat -C -J -e -q -b $B -t src | jq -n -r '
	reduce (inputs | .payload | fromjson | select(.action == \"login\")) as \$e
		({}; .[\$e.timestamp[0:13]][\$e.user] += 1)
	| to_entries[] | .key as \$h | [.value[]] | sort | length as \$n
	| (add / \$n) as \$m
	| (if \$n > 1 then (map(. - \$m | . * .) | add / (\$n - 1) | sqrt) else null end) as \$sd
	| (0.99 * (\$n - 1)) as \$r | (\$r | floor) as \$lo
	| [\$h, \$m, \$sd, .[\$lo] + (.[[\$lo + 1, \$n - 1] | min] - .[\$lo]) * (\$r - \$lo)] | @tsv'"
k=$(median_time "$job1")
kc=$(cpu_time "$job1")
o=$(BENCH_RUNS=1 median_time "$jqjob")
oc=$(cpu_time "$jqjob")
row "job 1 from Kafka, $N events ($(rate "$N" "$k") ev/s)" "$k" "$o" "kcat|jq" ">=5x, >=500k ev/s"
echo "  CPU s per M events: kpipe $(per_m "$N" "${kc#* }"), kcat|jq $(per_m "$N" "${oc#* }")"

# --- 2. latency at 1000 events/s
n=$((LAT_S * 1000))
# The topic exists before the consumer starts: one event the filter drops.
echo '{"ok":false}' | kcat -P -b "$B" -t lat
# fetch.wait.max.ms=5: librdkafka's default (500 ms) lets a fetch wait that
# long for data; linger.ms=1 on the producer (default 5 ms); the Kafka sink
# of kout sends each line as it arrives (it takes no -u).  kcat-in writes
# into a FIFO so that it can be stopped once the reader has its lines.
mkfifo "$dir/lat.fifo"
kcat-in -b "$B" -t lat -X fetch.wait.max.ms=5 >"$dir/lat.fifo" & consumer=$!
jparse -f value --no-meta <"$dir/lat.fifo" | jfilter 'select(.ok)' | kout --ndjson |
	python3 "$latency" read "$n" >"$dir/lat" &
sleep 3
# Two seconds of events the filter drops first: kout's start-up is not
# what is measured.
python3 "$latency" produce 1000 "$LAT_S" 2 | kout -b "$B" -t lat -X linger.ms=1
# (wait on the pipeline would also wait for the stages the reader left)
for ((i = 0; i < 300; i++)); do [ -s "$dir/lat" ] && break; sleep 0.1; done
kill $consumer; wait
echo "latency at 1000 ev/s for ${LAT_S}s, kcat-in | jparse | jfilter | kout (ms): $(cat "$dir/lat")  (target p99 <= 20)"

# --- 3. peak RSS per stage, N and 3N events
rss() {	# TOPIC: prints "stage=KB ..." for job 1 over TOPIC
	local t=/usr/bin/time
	$t -f %M -o "$dir/m.kcat-in" kcat-in -b "$B" -t "$1" -e |
		$t -f %M -o "$dir/m.jparse" jparse -f value |
		$t -f %M -o "$dir/m.jfilter" jfilter 'select(.action == "login")' |
		$t -f %M -o "$dir/m.jwindow" jwindow --time timestamp --watermark 10m --tumble 1h --by user --agg 'count() as logins' |
		$t -f %M -o "$dir/m.jstats" jstats --by window.start --fields logins --stats mean,stddev,p99 |
		$t -f %M -o "$dir/m.kout" kout --table >/dev/null
	for s in kcat-in jparse jfilter jwindow jstats kout; do printf '%s=%sKB ' $s "$(tail -n 1 "$dir/m.$s")"; done
	echo
}
echo "peak RSS, $N events:       $(rss src)"
fill src3 $((3 * N))
echo "peak RSS, $((3 * N)) events: $(rss src3)"
