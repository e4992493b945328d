#!/usr/bin/env bash
# jjoin --stream against Spark Structured Streaming's stream-stream join on
# the same files: ad impressions and clicks (tests/jjoin/gen_stream.py,
# BENCH_JOIN_ROWS impressions, about 1.1 clicks each, 60 s of disorder),
# inner join on the ad where the click is 5 minutes before to 1 hour after
# the impression, 2-minute watermarks on both sides.
#   kpipe   jjoin --stream clicks --on ad --time lt=rt --between -5m,1h -W 2m
#   Spark   PySpark 3.5 local[2], readStream.json over a directory per side,
#           withWatermark, the same join condition, availableNow
#           (tests/spark/t_join_stream.py); its wall time with the JVM's
#           start, and the query alone after the session started
# Target: >= 10x.  jjoin runs BENCH_RUNS times (median); Spark once, as it
# is slow and the machine is shared.  The answers must be the same rows.
. "$(dirname "$0")/lib.sh"

n=${BENCH_JOIN_ROWS:-200000}
mkdir -p "$BENCH_DATA"
left=$BENCH_DATA/impressions-$n.ndjson
right=$BENCH_DATA/clicks-$n.ndjson
[ -s "$left" ] && [ -s "$right" ] ||
	python3 "$KPIPE_ROOT/tests/jjoin/gen_stream.py" "$left" "$right" -n "$n" --keys 5000 --step 1 --sentinel --seed 4
out=$(mktemp -d "${TMPDIR:-/tmp}/kpipe-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT
rows=$(($(wc -l <"$left") + $(wc -l <"$right")))

kpipe="jjoin --stream '$right' --on ad --time lt=rt --between -5m,1h -W 2m '$left'"
eval "$kpipe" >"$out/kpipe"
k=$(median_time "$kpipe")
echo "stream-stream join (impressions x clicks, -5m..1h, 2m watermarks), $rows rows, $(wc -l <"$out/kpipe") matches:"
printf '  %-28s %8ss wall\n' "jjoin --stream" "$k"

spark_py=${KPIPE_SPARK_VENV:-$HOME/.cache/kpipe/venv}/bin/python
if "$spark_py" -c 'import pyspark' 2>/dev/null && command -v java >/dev/null; then
	mkdir "$out/spark"
	/usr/bin/time -o "$out/spark.time" -f %e "$spark_py" "$KPIPE_ROOT/tests/spark/t_join_stream.py" \
		"$left" "$right" "$out/spark" 1 -300 3600 "2 minutes" "2 minutes" inner >"$out/spark.log" 2>&1
	sw=$(tail -n 1 "$out/spark.time")
	if [ -s "$out/spark/inner.seconds" ]; then
		sj=$(cat "$out/spark/inner.seconds")
		printf '  %-28s %8ss wall\n' "Spark (with JVM start)" "$sw" "Spark (query alone)" "$sj"
		if cmp -s <(grep -v '"~end' "$out/kpipe" | sort) <(grep -v '"~end' "$out/spark/inner" | sort); then
			echo "    Spark's rows: the same as jjoin's"
		else
			echo "    Spark's rows: DIFFERENT from jjoin's"
		fi
		row "stream-stream join vs Spark, total" "$k" "$sw" "spark" ">=10x"
		row "stream-stream join vs Spark, query alone" "$k" "$sj" "spark" ">=10x"
	else
		echo "  Spark failed: $(tail -n 3 "$out/spark.log")"
	fi
else
	echo "  Spark: no PySpark in ${spark_py%/bin/python} (make spark-deps), not measured"
fi
exit 0
