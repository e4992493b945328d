#!/usr/bin/env bash
# Issue 8's job 1 from a real Kafka topic (tests/kafka/broker.sh), kpipe
# against Spark Structured Streaming in local mode, the seeds' own engine:
#   kpipe  kcat-in -e | jparse -f value | jfilter | jwindow --watermark 10m
#          | jstats | kout --table   (the pipeline of b_pipeline.sh)
#   Spark  PySpark local[2] through its Kafka connector
#          (tests/spark/spark_kafka.py): startingOffsets earliest,
#          from_json, filter, withWatermark 10 minutes, groupBy(window 1
#          hour, user).count(), append mode, trigger(availableNow=True),
#          minPartitions 2 so that it reads the one partition on both
#          cores; then the hours' mean, stddev and p99 as a batch query
#          over what the stream emitted (a stream cannot aggregate its
#          own aggregate in append mode).
# BENCH_SPARK_KAFKA_N (default 1000000) events of tests/gen-events.py in
# partition 0 of a topic, so both read them in the order produced.
# Printed: wall seconds, events/s and CPU seconds per million events for
# each; Spark's wall time with and without the JVM's start, and its
# queries' own time.  CPU is user + system of every process: for kpipe
# /usr/bin/time over the pipeline's shell; for Spark the JVM's and
# Python's, which spark_kafka.py reads itself (the JVM is not a child that
# /usr/bin/time would count).  Target: >= 3x Spark local.  kpipe runs
# BENCH_RUNS times (median), Spark once (BENCH_SPARK_RUNS): it is slow and
# the machine is shared.  The answers are checked too: the windows and
# hours Spark emitted (those its final watermark closed) against kpipe's.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
N=${BENCH_SPARK_KAFKA_N:-1000000}
SPARK_RUNS=${BENCH_SPARK_RUNS:-1}
broker=$KPIPE_ROOT/tests/kafka/broker.sh
spark_py=${KPIPE_SPARK_VENV:-$HOME/.cache/kpipe/venv}/bin/python
cmp=$KPIPE_ROOT/tests/spark/compare.py

if ! command -v java >/dev/null || ! command -v mvn >/dev/null || ! command -v kcat >/dev/null; then
	echo "b_spark_kafka: skipped: java, mvn or kcat missing (make deps)"
	exit 0
fi
if ! "$spark_py" -c 'import pyspark' 2>/dev/null ||
	! ls "${KPIPE_SPARK_KAFKA_JARS:-${spark_py%/bin/python}/spark-kafka/jars}"/spark-sql-kafka-*.jar >/dev/null 2>&1; then
	echo "b_spark_kafka: skipped: no PySpark or no Spark Kafka connector (make spark-deps)"
	exit 0
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/kpipe-bench-spark-kafka.XXXXXX")
trap '"$broker" stop "$dir/kafka"; rm -rf "$dir"' EXIT
B=$("$broker" start "$dir/kafka") || { echo "b_spark_kafka: the broker did not start"; exit 1; }

events "$BENCH_DATA/events-$N.json" "$N"
kcat -P -b "$B" -t src -p 0 -X linger.ms=20 <"$BENCH_DATA/events-$N.json" || exit 1

rate() { awk -v n="$N" -v s="$1" 'BEGIN { printf "%.0f", (s > 0) ? n / s : 0 }'; }
per_m() { awk -v n="$N" -v c="$1" 'BEGIN { printf "%.2f", c / n * 1e6 }'; }
line() {	# WHAT WALL [CPU]
	printf '  %-32s %8.2fs wall %9s events/s' "$1" "$2" "$(rate "$2")"
	[ -n "${3:-}" ] && printf ' %8s CPU s per M events' "$(per_m "$3")"
	echo
}

job1="kcat-in -b $B -t src -e | jparse -f value |
	jfilter 'select(.action == \"login\")' |
	jwindow --time timestamp --watermark 10m --tumble 1h --by user --agg 'count() as logins' |
	jstats --by window.start --fields logins --stats mean,stddev,p99 | kout --table"
k=$(median_time "$job1")
/usr/bin/time -f '%e %U %S' -o "$dir/time" bash -c "$job1 >/dev/null 2>/dev/null"
read -r _ ku ks <"$dir/time"
kc=$(awk -v u="$ku" -v s="$ks" 'BEGIN { print u + s }')
echo "job 1 from Kafka, $N events in one partition, load $(uptime | sed 's/.*load average: //'):"
line "kpipe (median of $BENCH_RUNS)" "$k" "$kc"

# kpipe's answer, for the check below
kcat-in -b "$B" -t src -e 2>/dev/null | jparse -f value | jfilter 'select(.action == "login")' |
	jwindow --time timestamp --watermark 10m --tumble 1h --by user --agg 'count() as logins' |
	tee "$dir/kpipe.windows" | jstats --by window.start --fields logins --stats mean,stddev,p99 >"$dir/kpipe.hours"

best= bestjob= bestcpu=
for ((i = 0; i < SPARK_RUNS; i++)); do
	mkdir -p "$dir/spark"
	/usr/bin/time -f '%e' -o "$dir/stime" "$spark_py" "$KPIPE_ROOT/tests/spark/spark_kafka.py" -p 2 \
		"$B" "$dir/spark" src >"$dir/spark.log" 2>&1
	read -r _ j _ q _ c <<<"$(grep '^job_seconds ' "$dir/spark.log")"
	if [ -z "${c:-}" ]; then
		echo "  Spark failed: $(grep -v '^\s*at ' "$dir/spark.log" | tail -n 3 | tr '\n' ' ')"
		continue
	fi
	w=$(tail -n 1 "$dir/stime")
	line "Spark (with JVM start)" "$w" "$c"
	line "Spark (job alone)" "$j"
	line "Spark (its queries' own time)" "$q"
	if [ -z "$best" ] || awk -v a="$w" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$w bestjob=$j bestcpu=$c; fi
done
if [ -n "$best" ]; then
	wm=$(cat "$dir/spark/src.watermark")
	r1=$(python3 "$cmp" --until "$wm" "$dir/kpipe.windows" "$dir/spark/src.windows" 2>&1) &&
		r2=$(python3 "$cmp" --key window.start --subset "$dir/kpipe.hours" "$dir/spark/src.hours" 2>&1) &&
		echo "    same answer as kpipe: windows $r1, hours $r2 (those Spark's final watermark closed)" ||
		echo "    DIFFERENT from kpipe: $r1 ${r2:-}"
	row "job 1 from Kafka vs Spark availableNow, total" "$k" "$best" "spark" ">=3x"
	row "job 1 from Kafka vs Spark, job alone" "$k" "$bestjob" "spark" ">=3x"
	awk -v k="$kc" -v s="$bestcpu" -v n="$N" 'BEGIN {
		printf "  CPU s per M events: kpipe %.2f, Spark %.2f (JVM start included), ratio %.1fx\n",
			k / n * 1e6, s / n * 1e6, (k > 0) ? s / k : 0 }'
fi
exit 0
