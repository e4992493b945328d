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
# checks that neither Spark nor jdedup dropped a late row.  Its keys recur
# either within a few minutes or after 50 minutes or more, so that Spark,
# which forgets keys only between micro-batches, and jdedup, which forgets
# them record by record, hold the same keys whenever it matters; jdedup(1),
# WATERMARK, says where the two differ, and tests/jdedup/t_rules.sh checks
# those boundaries by hand-worked cases.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
need_spark spark-dedup

ev=$TMP/events
python3 "$KPIPE_ROOT/tests/jdedup/gen.py" -n 3000 --seed 3 >"$ev"
mkdir "$TMP/spark"
run_spark spark-dedup "$spark_dir/spark_dedup.py" "$ev" "$TMP/spark" 20

dedup() {
	local name=$1; shift
	local sp=$TMP/spark/$name kp=$TMP/$name
	if ! jdedup "$@" "$ev" 2>"$kp.err" | jq -r .seq | sort -n >"$kp"; then
		fail "spark-dedup-$name" "jdedup failed: $(head -c 300 "$kp.err")"
	elif [ "$(cat "$sp.late")" != 0 ]; then
		fail "spark-dedup-$name" "Spark dropped $(cat "$sp.late") rows as late; the input should have none"
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
