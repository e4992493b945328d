# jjoin --stream against Spark Structured Streaming's stream-stream join
# (t_join_stream.py: readStream.json of a directory per side, withWatermark
# on each, l.ad = r.ad AND r.rts BETWEEN l.lts - 5 minutes AND l.lts +
# 1 hour, trigger(availableNow=True), each side cut into 4 files that are
# 4 micro-batches, so Spark evicts state between batches).
#
# The streams are at most 60 s out of order under 2-minute watermarks, so
# neither program has a late row (jjoin must report none).  Spark emits an
# outer row only once its watermark passes the row, and never flushes at
# the end; so each stream ends with a sentinel row 30 days later, of a key
# of its own, which takes Spark's watermark past every other row.  The
# sentinels' own rows (which jjoin flushes at the end and Spark keeps) are
# left out of both answers; the rest must be the same rows, field for
# field, for inner, left, right and full joins.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
need_spark spark-join-stream

python3 "$KPIPE_ROOT/tests/jjoin/gen_stream.py" "$TMP/L" "$TMP/R" -n 2000 --keys 60 --disorder 60 --sentinel --seed 21
mkdir "$TMP/spark"
run_spark spark-join-stream "$spark_dir/t_join_stream.py" "$TMP/L" "$TMP/R" "$TMP/spark" 4 -300 3600 \
	"2 minutes" "2 minutes"
for how in inner left right full; do
	name=spark-join-stream-$how
	if ! jjoin --stream "$TMP/R" --on ad --time lt=rt --between -5m,1h -W 2m --how "$how" "$TMP/L" \
		>"$TMP/k" 2>"$TMP/err" || [ -s "$TMP/err" ]; then
		fail "$name" "jjoin failed or reported late rows: $(head -c 300 "$TMP/err")"
		continue
	fi
	grep -v '"~end' "$TMP/k" | sort >"$TMP/k.$how"
	grep -v '"~end' "$TMP/spark/$how" | sort >"$TMP/s.$how"
	n=$(wc -l <"$TMP/s.$how")
	if [ "$n" -lt 1000 ]; then
		fail "$name" "Spark gave only $n rows"
	else
		check_file_eq "$name ($n rows)" "$TMP/s.$how" "$TMP/k.$how"
	fi
done
# the outer joins must have had rows without a match, or they test nothing
# more than inner
check_eq spark-join-stream-outer-rows 0 "$(grep -c '"rt":null' "$TMP/s.inner")"
check spark-join-stream-left-has-unmatched grep -q '"rt":null' "$TMP/s.left"
check spark-join-stream-right-has-unmatched grep -q '"lt":null' "$TMP/s.right"
