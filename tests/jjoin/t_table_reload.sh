#!/usr/bin/env bash
# jjoin --table FILE --reload: a table replaced while the stream runs is
# taken between two records; one that cannot be read whole is not, and
# the old table stays.  The stream is a FIFO, so the test decides what
# happens before which record.
. "$(dirname "$0")/../lib.sh"

# Wait until FILE has N lines (10 s at most).
wait_lines() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

echo '{"id":1,"v":"old"}' >"$TMP/tab"
mkfifo "$TMP/in"
jjoin --table "$TMP/tab" --reload --on id --how left <"$TMP/in" >"$TMP/out" 2>"$TMP/err" & pid=$!
exec 4>"$TMP/in"
echo '{"id":1}' >&4
wait_lines "$TMP/out" 1
check_eq "reload: the first table" '{"id":1,"v":"old"}' "$(sed -n 1p "$TMP/out")"

printf '{"id":1,"v":"new"}\n{"id":2,"v":"two"}\n' >"$TMP/tab.new" && mv "$TMP/tab.new" "$TMP/tab"
sleep 1.5
printf '{"id":1}\n{"id":2}\n' >&4
wait_lines "$TMP/out" 3
check_eq "reload: a table replaced by rename is taken" \
	"$(printf '{"id":1,"v":"new"}\n{"id":2,"v":"two"}')" "$(sed -n 2,3p "$TMP/out")"

# Rewritten in place, same size: the modification time tells.
sleep 0.1
printf '{"id":1,"v":"NEW"}\n{"id":2,"v":"TWO"}\n' >"$TMP/tab"
sleep 1.5
echo '{"id":2}' >&4
wait_lines "$TMP/out" 4
check_eq "reload: a table rewritten in place is taken" '{"id":2,"v":"TWO"}' "$(sed -n 4p "$TMP/out")"

printf '{"id":1,"v":"broken"}\n{"id":2,"v":\n' >"$TMP/tab.new" && mv "$TMP/tab.new" "$TMP/tab"
sleep 1.5
echo '{"id":1}' >&4
wait_lines "$TMP/out" 5
check_eq "reload: a table with a bad line is not taken" '{"id":1,"v":"NEW"}' "$(sed -n 5p "$TMP/out")"
grep -q "the previous one stays" "$TMP/err" && ok "reload: refused with a warning" ||
	fail "reload: refused with a warning" "$(cat "$TMP/err")"
grep -q "$TMP/tab:2:" "$TMP/err" && ok "reload: the bad line named FILE:LINE" ||
	fail "reload: the bad line named FILE:LINE" "$(cat "$TMP/err")"

rm "$TMP/tab"
sleep 1.5
echo '{"id":1}' >&4
wait_lines "$TMP/out" 6
check_eq "reload: a table removed: the last one stays" '{"id":1,"v":"NEW"}' "$(sed -n 6p "$TMP/out")"
echo '{"id":1,"v":"back"}' >"$TMP/tab"
sleep 1.5
echo '{"id":1}' >&4
wait_lines "$TMP/out" 7
check_eq "reload: and taken again once it is back" '{"id":1,"v":"back"}' "$(sed -n 7p "$TMP/out")"
exec 4>&-
wait $pid
check_eq "reload: exit 1 (the refused version's bad line is a rejected record)" 1 $?

# Without --reload the file is read once.
echo '{"id":1,"v":"once"}' >"$TMP/tab"
jjoin --table "$TMP/tab" --on id <"$TMP/in" >"$TMP/out" & pid=$!
exec 4>"$TMP/in"
sleep 0.3
echo '{"id":1,"v":"changed"}' >"$TMP/tab.new" && mv "$TMP/tab.new" "$TMP/tab"
sleep 1.5
echo '{"id":1}' >&4
exec 4>&-
wait $pid
check_eq "without --reload: the table read at the start" '{"id":1,"v":"once"}' "$(cat "$TMP/out")"
check_exit "--reload with a topic: exit 2" 2 jjoin --table-topic t -b 127.0.0.1:1 --reload --on id
