# jdedup against Spark Structured Streaming (spark_dedup.py: readStream
# over a directory of JSON files, the input cut into 20 files that are 20
# micro-batches): dropDuplicates(["id"]), dropDuplicates(["n"]) with n
# spelled 17, 17.0 and 17e0, withWatermark("ts", "10 minutes") with
# dropDuplicates(["id", "ts"]) and with dropDuplicatesWithinWatermark(["id"]).
#
# What is compared: the set of rows each passes (by their seq), which must
# be equal.  The input (tests/jdedup/gen.py) has exact copies, retries up to
# 2 minutes later, ids reused 100 minutes later, ids spelled with escapes,
# records without an id or with "id":null, and nothing late: the test
# checks that jdedup dropped no late row (and so, its watermark being
# ahead of Spark's, neither did Spark).  Its keys recur
# either within a few minutes or after 50 minutes or more, so that Spark,
# which forgets keys only between micro-batches, and jdedup, which forgets
# them record by record, hold the same keys whenever it matters; jdedup(1),
# WATERMARK, says where the two differ, and tests/jdedup/t_rules.sh checks
# those boundaries by hand-worked cases.
#
# A second input, 40 minutes out of order, has late rows; on it the
# watermark query is not compared row for row but by bounds
# (dedup_late.py): Spark's watermark is never ahead of jdedup's, so every
# key jdedup passes Spark passes, and every key only Spark passes was late
# for jdedup; and Spark's rows are exactly those of jdedup's rule applied
# per micro-batch, with the watermark of the batches before the previous
# one, as jdedup(1) says Spark 3.5 does.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
need_spark spark-dedup

ev=$TMP/events
python3 "$KPIPE_ROOT/tests/jdedup/gen.py" -n 3000 --seed 3 >"$ev"
python3 "$KPIPE_ROOT/tests/jdedup/gen.py" -n 3000 --seed 4 --disorder 2400 >"$TMP/late-events"
mkdir "$TMP/spark"
run_spark spark-dedup "$spark_dir/spark_dedup.py" "$ev" "$TMP/late-events" "$TMP/spark" 20

dedup() {
	local name=$1; shift
	local sp=$TMP/spark/$name kp=$TMP/$name
	if ! jdedup "$@" "$ev" 2>"$kp.err" | jq -r .seq | sort -n >"$kp"; then
		fail "spark-dedup-$name" "jdedup failed: $(head -c 300 "$kp.err")"
	elif grep -q ', [1-9][0-9]* late' "$kp.err"; then
		fail "spark-dedup-$name" "jdedup dropped rows as late: $(cat "$kp.err")"
	elif ! sort -n "$sp" | cmp -s - "$kp"; then
		fail "spark-dedup-$name" "passed rows differ (< jdedup, > Spark): $(sort -n "$sp" | diff "$kp" - | head -n 6 | tr '\n' ' ')"
	else
		ok "spark-dedup-$name ($(wc -l <"$kp") of $(wc -l <"$ev") rows passed, as Spark)"
	fi
}

dedup forever -k id
dedup numbers -k n
dedup watermark -k id --time t --watermark 10m
dedup within -k id --time t --within 10m

if ! jdedup -q -k id --time t -W 10m --late "$TMP/late" "$TMP/late-events" >"$TMP/late-out" 2>"$TMP/late.err"; then
	fail spark-dedup-late-bounds "jdedup failed: $(head -c 300 "$TMP/late.err")"
elif out=$(python3 "$spark_dir/dedup_late.py" "$TMP/late-events" "$TMP/late-out" "$TMP/late" \
	"$TMP/spark/late" 20); then
	ok "spark-dedup-late-bounds ($out)"
else
	fail spark-dedup-late-bounds "$out"
fi
