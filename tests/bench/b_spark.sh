#!/usr/bin/env bash
# Issue 8's job 1 without Kafka, over a file of generated events (1 000
# users, 30 s of disorder): hourly logins per user, then the mean, stddev
# and p99 of those counts across users, hour by hour.
#   kpipe   jparse | jfilter | jwindow --watermark 10m | jstats
#   Spark   PySpark 3.5 local[2], batch over the file, and Structured
#           Streaming (withWatermark, availableNow) over a directory holding
#           it (tests/spark/spark_job1.py); total wall time including the
#           JVM's start, and the job alone after the session started
#   jq      the status quo: jq filters and buckets the hour, jq -s group_by
#   mlr     Miller: filter, count -g hour,user, stats1 -g hour
# Targets: >= 3x Spark local, >= 5x the shell status quo.  kpipe runs
# BENCH_RUNS times (median); the others once each, as they are slow and
# the machine is shared.  CPU seconds per million events are user
# + system time of every process of the job; for Spark that is the JVM's
# and Python's, which the script reads itself (the JVM is not a child that
# /usr/bin/time would count).  The answers are checked too: each program
# must give the same hours and numbers as kpipe (Spark's stream only emits
# the hours its watermark closed).
. "$(dirname "$0")/lib.sh"

n=${BENCH_LINES:-1000000}
mkdir -p "$BENCH_DATA"
json=$BENCH_DATA/events-$n.ndjson
events "$json" "$n"
spark_py=${KPIPE_SPARK_VENV:-$HOME/.cache/kpipe/venv}/bin/python
job1=$KPIPE_ROOT/tests/spark/spark_job1.py
cmp=$KPIPE_ROOT/tests/spark/compare.py
out=$(mktemp -d "${TMPDIR:-/tmp}/kpipe-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT

# one run of a shell command: "wall cpu" (user + system) seconds
timed() {
	{ /usr/bin/time -f '%e %U %S' bash -c "{ $1; } >/dev/null 2>/dev/null"; } 2>&1 | tail -n 1 |
		awk '{ print $1, $2 + $3 }'
}
rate() { awk -v n="$n" -v s="$1" 'BEGIN { printf "%.2f M", (s > 0 ? n / s / 1e6 : 0) }'; }
cpu_per_m() { awk -v n="$n" -v c="$1" 'BEGIN { printf "%.2f", c / (n / 1e6) }'; }
line() { printf '  %-28s %8ss wall %10s events/s %8s CPU s per M events\n' "$1" "$2" "$(rate "$2")" "$(cpu_per_m "$3")"; }
# same FILE [compare.py options]: FILE's answer against kpipe's
same() {
	local f=$1 r; shift
	if r=$(python3 "$cmp" --key window.start "$@" "$out/kpipe" "$f" 2>&1); then echo "same as kpipe: $r"
	else echo "DIFFERENT from kpipe: $r"; fi
}

kpipe="jparse '$json' | jfilter 'select(.action == \"login\")' |
	jwindow --time timestamp --watermark 10m --tumble 1h --by user --agg 'count() as logins' |
	jstats --by window.start --fields logins --stats mean,stddev,p99"
eval "$kpipe" >"$out/kpipe"
k=$(median_time "$kpipe")
read -r _ kc <<<"$(timed "$kpipe")"
echo "job 1 (hourly logins per user, then mean/stddev/p99 across users), $n events:"
line "kpipe" "$k" "$kc"

jq="jq -c 'select(.action == \"login\") | {u: .user, h: .timestamp[0:13]}' '$json' | jq -s -c '
	group_by(.h)[] | [group_by(.u)[] | length] as \$c | (\$c | add / length) as \$m | (\$c | sort) as \$s |
	(0.99 * ((\$s | length) - 1)) as \$r |
	{\"window.start\": (.[0].h + \":00:00Z\"), logins_mean: \$m,
	 logins_stddev: (if (\$c | length) > 1 then (\$c | map((. - \$m) * (. - \$m)) | add / (length - 1) | sqrt) else null end),
	 logins_p99: (\$s[\$r | floor] + (\$r - (\$r | floor)) * (\$s[\$r | ceil] - \$s[\$r | floor]))}'"
read -r jw jc <<<"$(timed "$jq >'$out/jq'")"
line "jq + jq -s group_by" "$jw" "$jc"
echo "    $(same "$out/jq")"

mlr="mlr --ijsonl --ojsonl filter '\$action == \"login\"' then put '\$h = sec2gmt(3600 * floor(gmt2sec(\$timestamp) / 3600))' then count -g h,user then stats1 -i -a mean,stddev,p99 -f count -g h '$json'"
read -r mw mc <<<"$(timed "$mlr")"
line "mlr" "$mw" "$mc"

sw= ss=
if "$spark_py" -c 'import pyspark' 2>/dev/null && command -v java >/dev/null; then
	for mode in batch stream; do
		read -r w _ <<<"$(timed "'$spark_py' '$job1' $mode '$json' '$out/$mode' >'$out/$mode.log'")"
		read -r _ j _ c <<<"$(grep '^job_seconds ' "$out/$mode.log")"
		if [ -z "${j:-}" ]; then
			echo "  Spark $mode failed"
			continue
		fi
		line "Spark $mode (with JVM start)" "$w" "$c"
		printf '  %-28s %8ss wall %10s events/s\n' "Spark $mode (job alone)" "$j" "$(rate "$j")"
		if [ $mode = batch ]; then
			sw=$w sj=$j
			echo "    $(same "$out/batch")"
		else
			ss=$w
			echo "    $(same "$out/stream" --subset) (the hours its watermark closed)"
		fi
	done
else
	echo "  Spark: no PySpark in ${spark_py%/bin/python} (make spark-deps), not measured"
fi

row "job 1 vs jq + jq -s group_by" "$k" "$jw" "jq" ">=5x"
row "job 1 vs Miller" "$k" "$mw" "mlr" ">=5x"
if [ -n "$sw" ]; then
	row "job 1 vs Spark batch, total" "$k" "$sw" "spark" ">=3x"
	row "job 1 vs Spark batch, job alone" "$k" "$sj" "spark" ">=3x"
fi
[ -n "$ss" ] && row "job 1 vs Spark availableNow stream, total" "$k" "$ss" "spark" ">=3x"
exit 0
