#!/usr/bin/env bash
# jwindow: sliding windows whose window/slide ratio is large.  A record
# belongs to ceil(window/slide) windows (Spark's rule); it must cost that
# many, not their square, and ratios past the documented bound (100000
# windows per record, jwindow(1)) are a usage error, not a hang.
. "$(dirname "$0")/../lib.sh"

here=$(dirname "$0")

# At most $1 seconds of CPU: a time the machine's load does not stretch.
cpu_limited() { local s=$1; shift; (ulimit -t "$s"; exec "$@"); }

# Four records, each 10 minutes before the last, in 1h windows every 36ms:
# 100000 windows each, the bound, and each record opens the 16667 windows
# before those already open.  Expected: the brute-force reference.
printf '{"ts":%s}\n' 3600000 3000000 2400000 1800000 >"$TMP/desc"
opts=(--time ts --epoch-unit ms --window 1h --slide 36ms --agg 'count(*)')
python3 "$here/ref.py" "${opts[@]}" "$TMP/desc" >"$TMP/want"
cpu_limited 3 jwindow "${opts[@]}" "$TMP/desc" >"$TMP/got" 2>"$TMP/err"
rc=$?
if [ "$rc" -ne 0 ]; then
	fail sliding-100000-windows-out-of-order "exit $rc (killed at 3 s of CPU?): $(head -c 300 "$TMP/err")"
else
	check_file_eq sliding-100000-windows-out-of-order "$TMP/want" "$TMP/got"
fi
# The windows that start in (30 min - 1 h, 1 h], one every 36 ms.
check_eq sliding-100000-windows-rows 150000 "$(wc -l <"$TMP/want")"

# The bound: 1h/36ms is 100000 windows per record and runs; 1h/35ms is
# 102858 and 1h/1ms 3600000: usage errors that say why, at once.
printf '{"ts":0}\n{"ts":1}\n' >"$TMP/two"
check_exit sliding-bound-accepted 0 cpu_limited 3 jwindow --time ts --window 1h --slide 36ms --agg 'count(*)' "$TMP/two"
check_exit sliding-bound-refused 2 cpu_limited 3 jwindow --time ts --window 1h --slide 35ms --agg 'count(*)' "$TMP/two"
cpu_limited 3 jwindow --time ts --window 1h --slide 1ms --agg 'count(*)' "$TMP/two" >"$TMP/out" 2>"$TMP/err"
check_eq sliding-1ms-refused "2:" "$?:$(cat "$TMP/out")"
check sliding-1ms-says-why grep -q '3600000 windows.*100000' "$TMP/err"
check sliding-1ms-try-help grep -q "^Try 'jwindow --help'" "$TMP/err"

# A window longer than the whole range of times cannot be written.
check_exit window-longer-than-time 2 jwindow --time ts --tumble 5000000d --agg 'count(*)' "$TMP/two"
check_exit watermark-longer-than-time 2 jwindow --time ts --tumble 1h --watermark 5000000d --agg 'count(*)' "$TMP/two"
