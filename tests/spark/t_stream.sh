# jwindow --watermark against Spark Structured Streaming (spark_stream.py:
# readStream over a directory of JSON files, withWatermark('ts',
# '10 minutes'), append mode, trigger(availableNow=True), the input cut into
# 5 files that are 5 micro-batches).
#
# What is compared: the windows Spark emitted by the end of the query, with
# their numbers, against jwindow's windows that end at or before Spark's
# final watermark (max event time - 10 minutes, checked independently
# here) -- the same set of windows and groups, the same numbers.  jwindow
# also prints the windows still open at end of input, which Spark never
# emits; those are left out.
#
# Late records are not compared value for value: Spark's watermark moves
# once per micro-batch and jwindow's once per record, so on late
# data they legitimately drop different records.  The input above has
# none: it is at most 5 minutes out of order under a 10-minute watermark,
# and the test checks that jwindow reported no late record.  A second
# input, 15 minutes out of order, has late records; for it the test checks
# bounds instead (late_bounds.py): Spark, whose watermark is never ahead of
# jwindow's, drops only records that jwindow drops too.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
need_spark spark-stream

ev=$TMP/events
python3 "$KPIPE_ROOT/tests/gen-events.py" -n 10000 --users 100 --step 1 --disorder 300 --seed 11 >"$ev"
python3 "$KPIPE_ROOT/tests/gen-events.py" -n 4000 --users 30 --step 1 --disorder 900 --seed 5 >"$TMP/late-events"
mkdir "$TMP/spark"
run_spark spark-stream "$spark_dir/spark_stream.py" "$ev" "$TMP/late-events" "$TMP/spark" 5

# max event time - 10 minutes, in epoch microseconds, by Python's reading of
# the timestamps rather than either program's
final_wm() {
	python3 -c '
import datetime, json, sys
t = max(datetime.datetime.fromisoformat(json.loads(l)["timestamp"]) for l in open(sys.argv[1]))
e = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
print((t - e) // datetime.timedelta(microseconds=1) - 600 * 10**6)' "$1"
}
wm=$(final_wm "$ev")

stream() {
	local name=$1 sorted=$2; shift 2
	local sw
	sw=$(cat "$TMP/spark/$name.watermark")
	if [ "$sw" != "$wm" ]; then
		fail "spark-stream-$name" "Spark's final watermark is $sw, expected $wm"
		return
	fi
	if ! jwindow --time timestamp --watermark 10m --by user "$@" "$ev" >"$TMP/$name" 2>"$TMP/$name.err" ||
		[ -s "$TMP/$name.err" ]; then
		fail "spark-stream-$name" "jwindow failed or reported late records: $(head -c 300 "$TMP/$name.err")"
		return
	fi
	compare "spark-stream-$name" "$TMP/$name" "$TMP/spark/$name" --until "$wm" $sorted
}

basic='count(*), avg(latency_ms), stddev(latency_ms), max(latency_ms), sum(latency_ms)'
stream tumble '' --tumble 1h --agg "$basic"
stream slide '' --window 10m --slide 5m --agg "$basic"
# the actions compare sorted, as in t_batch.sh: Spark orders a session's
# rows by event time, jwindow keeps arrival order
stream session --sorted-lists --session 5m --agg 'count(*), collect_list(action) as actions'

lwm=$(final_wm "$TMP/late-events")
if [ "$(cat "$TMP/spark/late.watermark")" != "$lwm" ]; then
	fail spark-stream-late-bounds "Spark's final watermark is $(cat "$TMP/spark/late.watermark"), expected $lwm"
elif ! jwindow --time timestamp --watermark 10m --by user --tumble 10m --agg 'count(*), sum(latency_ms)' \
	--late "$TMP/late" "$TMP/late-events" >"$TMP/late-jw" 2>/dev/null; then
	fail spark-stream-late-bounds "jwindow failed"
elif out=$(python3 "$spark_dir/late_bounds.py" "$TMP/late-jw" "$TMP/late" "$TMP/spark/late" "$lwm"); then
	ok "spark-stream-late-bounds ($out)"
else
	fail spark-stream-late-bounds "$out"
fi
