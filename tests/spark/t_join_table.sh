#!/usr/bin/env bash
# jjoin --table against PySpark: a stream joined with a table as Spark
# joins two DataFrames in batch (inner, left_outer, left_semi,
# left_anti), on one name (id) and on two (id = code), over numeric keys
# spelled 1 / 1.0 / 1e0 and string keys with and without escapes, with
# repeated, missing, null and absent keys.  One Spark session computes
# every reference (join_table.py).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
need_spark spark-join-table

py=$spark_dir/join_table.py
compare_rows() {
	local out
	if out=$(python3 "$py" compare "$1" "$2" 2>&1); then ok "$3 ($out)"; else fail "$3" "$out"; fi
}
python3 "$py" gen "$TMP"
run_spark spark-join-table "$py" spark "$TMP"
for set in num str; do
	for how in inner left semi anti; do
		case $how in left) sh=left_outer ;; semi | anti) sh=left_$how ;; *) sh=$how ;; esac
		jjoin --table "$TMP/$set.table" --on id --how "$how" "$TMP/$set.stream" >"$TMP/k.same"
		compare_rows "$TMP/k.same" "$TMP/out.$set.same.$sh" "spark: $set keys, --on id --how $how"
		jjoin --table "$TMP/$set.table" --on id=code --how "$how" "$TMP/$set.stream" >"$TMP/k.code"
		compare_rows "$TMP/k.code" "$TMP/out.$set.code.$sh" "spark: $set keys, --on id=code --how $how"
	done
done
