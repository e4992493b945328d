# jwindow --emit update and complete, driven one line at a time.
. "$(dirname "$0")/../lib.sh"

here=$(dirname "$0")
lines() { printf '%s\n' "$@"; }
w0='"window":{"start":"1970-01-01T00:00:00Z","end":"1970-01-01T00:00:10Z"}'
w1='"window":{"start":"1970-01-01T00:00:10Z","end":"1970-01-01T00:00:20Z"}'

# Update: each change is emitted as soon as the input pauses; a window that
# closes unchanged since it was emitted is not repeated; late data changes
# nothing.
lines '> {"t":1,"u":"a"}' '< 1' '> {"t":2,"u":"a"}' '< 1' '> {"t":3,"u":"b"}' '< 1' \
	'> {"t":16,"u":"a"}' '< 1' '> {"t":5,"u":"a"}' '> {"t":17,"u":"a"}' '< 1' 'EOF' >"$TMP/s1"
check_eq update-live "$(lines "{$w0,\"u\":\"a\",\"n\":1}" "{$w0,\"u\":\"a\",\"n\":2}" "{$w0,\"u\":\"b\",\"n\":1}" \
	"{$w1,\"u\":\"a\",\"n\":1}" "{$w1,\"u\":\"a\",\"n\":2}")" \
	"$(python3 "$here/drive.py" "$TMP/s1" -- jwindow --time t --tumble 10s --watermark 5s --by u --emit update --agg 'count(*) AS n' 2>"$TMP/err")"
check update-late-reported grep -q '1 late record' "$TMP/err"

# Complete: the whole table whenever it changed; windows are kept (Spark
# keeps all state in complete mode).
lines '> {"t":1,"u":"a"}' '< 1' '> {"t":12,"u":"b"}' '< 2' '> {"t":2,"u":"a"}' '< 2' 'EOF' >"$TMP/s2"
check_eq complete-live "$(lines "{$w0,\"u\":\"a\",\"n\":1}" \
	"{$w0,\"u\":\"a\",\"n\":1}" "{$w1,\"u\":\"b\",\"n\":1}" \
	"{$w0,\"u\":\"a\",\"n\":2}" "{$w1,\"u\":\"b\",\"n\":1}")" \
	"$(python3 "$here/drive.py" "$TMP/s2" -- jwindow --time t --tumble 10s --watermark 5s --by u --emit complete --agg 'count(*) AS n')"

# From a file the input never pauses: update gives each window's final
# value once, as append does.
python3 "$here/gen.py" 3 "$TMP/in" >/dev/null
opts=(-q --time ts --epoch-unit ms --window 10s --slide 5s --watermark 10s --by user --agg 'count(*), avg(x)')
jwindow "${opts[@]}" "$TMP/in" >"$TMP/append" 2>/dev/null
jwindow "${opts[@]}" --emit update "$TMP/in" >"$TMP/update" 2>/dev/null
check_file_eq update-file-equals-append "$TMP/append" "$TMP/update"

# --trigger: no more often than DUR; with an hour nothing comes before the end.
lines '> {"t":1,"u":"a"}' '> {"t":2,"u":"a"}' '> {"t":3,"u":"b"}' 'EOF' >"$TMP/s3"
check_eq update-trigger "$(lines "{$w0,\"u\":\"a\",\"n\":2}" "{$w0,\"u\":\"b\",\"n\":1}")" \
	"$(python3 "$here/drive.py" "$TMP/s3" -- jwindow --time t --tumble 10s --by u --emit update --trigger 1h --agg 'count(*) AS n')"

check_exit trigger-needs-mode 2 jwindow --time t --tumble 10s --trigger 1s --agg 'count(*)'
check_exit bad-emit 2 jwindow --time t --tumble 10s --emit sometimes --agg 'count(*)'

# The same for sessions, which merge: a merged-away session that was never
# emitted is not emitted afterwards either.
opts=(-q --time ts --epoch-unit ms --session 2s --watermark 3s --by user --agg 'count(*), collect_list(y)')
jwindow "${opts[@]}" "$TMP/in" >"$TMP/append" 2>/dev/null
jwindow "${opts[@]}" --emit update "$TMP/in" >"$TMP/update" 2>/dev/null
check_file_eq update-file-equals-append-sessions "$TMP/append" "$TMP/update"

# Live sessions in update mode: a bridging event replaces two sessions by one.
lines '> {"t":0}' '< 1' '> {"t":10}' '< 1' '> {"t":5}' '< 1' 'EOF' >"$TMP/s4"
check_eq update-session-bridge "$(lines \
	'{"window":{"start":"1970-01-01T00:00:00Z","end":"1970-01-01T00:00:05Z"},"n":1}' \
	'{"window":{"start":"1970-01-01T00:00:10Z","end":"1970-01-01T00:00:15Z"},"n":1}' \
	'{"window":{"start":"1970-01-01T00:00:00Z","end":"1970-01-01T00:00:15Z"},"n":3}')" \
	"$(python3 "$here/drive.py" "$TMP/s4" -- jwindow --time t --session 5s --emit update --agg 'count(*) AS n')"
