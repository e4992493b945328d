# jwindow against PySpark itself: batch groupBy(window(...)) and
# session_window over the same events (no late records), the same numbers.
# PySpark is heavy (a JVM and ~300 MB from PyPI) and not part of make deps:
# pip install pyspark to run this test; JWINDOW_PYSPARK_PYTHON picks the
# interpreter.
. "$(dirname "$0")/../lib.sh"

here=$(dirname "$0")
py=${JWINDOW_PYSPARK_PYTHON:-python3}
if ! "$py" -c 'import pyspark' 2>/dev/null; then
	skip pyspark "pyspark is not installed (pip install pyspark; it is not in make deps)"
	exit 0
fi
command -v java >/dev/null || { skip pyspark "no java for pyspark"; exit 0; }

python3 "$KPIPE_ROOT/tests/gen-events.py" -n 1500 --step 0.5 --users 4 --disorder 20 --seed 5 >"$TMP/ev"
mkdir -p "$TMP/spark"
if ! "$py" "$here/spark_ref.py" "$TMP/ev" "$TMP/spark" >"$TMP/spark.log" 2>&1; then
	fail pyspark "spark_ref.py failed: $(tail -n 5 "$TMP/spark.log" | tr '\n' ' ')"
	exit 0
fi

agg='count(*), count(latency_ms), sum(latency_ms), avg(latency_ms), min(latency_ms), max(latency_ms), stddev(latency_ms), var_pop(latency_ms), percentile(latency_ms, 0.5), count_distinct(bytes), corr(latency_ms, bytes)'
sort_rows() { python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
rows.sort(key=lambda r: (r["window"]["end"], r["window"]["start"], r["user"]))
for r in rows: print(json.dumps(r))' "$1"; }

run() {
	local name=$1; shift
	jwindow --time timestamp --by user --agg "$agg" "$@" "$TMP/ev" >"$TMP/jw-$name"
	sort_rows "$TMP/jw-$name" >"$TMP/jw-$name.sorted"
	if diff=$(python3 "$here/cmp.py" "$TMP/jw-$name.sorted" "$TMP/spark/$name"); then
		ok "pyspark-$name ($(wc -l <"$TMP/spark/$name") rows)"
	else
		fail "pyspark-$name" "$diff"
	fi
}
run tumble --tumble '1 minute'
run slide --window '1 minute' --slide '20 seconds' --offset '5 seconds'
run session --session '5 seconds'
