#!/usr/bin/env bash
# The range of times (kpipe(7), TIME: 0000-01-01T00:00:00Z to
# 9999-12-31T23:59:59.999999Z): what a command writes, it reads back.
# jwindow rejects a record whose window would start or end outside the
# range instead of writing "+10000-01-01T00:00:00Z" or "-0001-12-31...",
# and an input time outside it is rejected as such.  The expected lines
# are worked out by hand; RFC 3339's grammar (a four-digit year) is the
# oracle for "readable".
. "$(dirname "$0")/../lib.sh"

# Each window.start and window.end of NDJSON on stdin is an RFC 3339
# date-time in UTC as jwindow writes it; prints the first that is not.
rfc3339_windows() {
	python3 -c '
import json, re, sys
ok = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6})?Z\Z")
for line in sys.stdin:
    w = json.loads(line)["window"]
    for k in ("start", "end"):
        if not ok.match(w[k]):
            print(w[k]); sys.exit(1)
'
}

edge="$TMP/edge"
printf '%s\n' '{"t":"9999-12-31T23:30:00Z"}' '{"t":"0000-01-01T00:10:00Z"}' \
	'{"t":"2024-01-01T00:00:00Z"}' >"$edge"

# Tumbling hours: the last hour of 9999 ends at 10000-01-01T00:00:00Z,
# which cannot be written; the first hour of year 0 can.
jwindow --time t --tumble 1h --agg 'count(*)' --errors "$TMP/dead" "$edge" >"$TMP/out" 2>"$TMP/err"
rc=$?
check_eq tumble-edge-exit 1 "$rc"
check_eq tumble-edge-rows "$(printf '%s\n' \
	'{"window":{"start":"0000-01-01T00:00:00Z","end":"0000-01-01T01:00:00Z"},"count":1}' \
	'{"window":{"start":"2024-01-01T00:00:00Z","end":"2024-01-01T01:00:00Z"},"count":1}')" \
	"$(cat "$TMP/out")"
check tumble-edge-readable rfc3339_windows <"$TMP/out"
check tumble-edge-reason grep -q "^jwindow: $edge:1: .*end after 9999-12-31T23:59:59.999999Z" "$TMP/err"
check tumble-edge-counted grep -q '^jwindow: 1 record rejected' "$TMP/err"
check_eq tumble-edge-dead-letter 1 "$(python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(sum(r["line"] == 1 and "9999-12-31T23:59:59.999999Z" in r["reason"] for r in rows))' "$TMP/dead")"

# Sliding hours every 20 minutes: 00:10 of year 0 falls in windows from
# -0001-12-31T23:20 on, so the whole record is rejected; 23:30 of 9999
# in windows ending up to 10000-01-01T00:20.  2024's three remain.
jwindow --time t --window 1h --slide 20m --agg 'count(*)' "$edge" >"$TMP/out" 2>"$TMP/err"
rc=$?
check_eq slide-edge-exit 1 "$rc"
check_eq slide-edge-rows "$(printf '%s\n' \
	'{"window":{"start":"2023-12-31T23:20:00Z","end":"2024-01-01T00:20:00Z"},"count":1}' \
	'{"window":{"start":"2023-12-31T23:40:00Z","end":"2024-01-01T00:40:00Z"},"count":1}' \
	'{"window":{"start":"2024-01-01T00:00:00Z","end":"2024-01-01T01:00:00Z"},"count":1}')" \
	"$(cat "$TMP/out")"
check slide-edge-reason-start grep -q "^jwindow: $edge:2: .*start before 0000-01-01T00:00:00Z" "$TMP/err"
check slide-edge-reason-end grep -q "^jwindow: $edge:1: .*end after 9999-12-31T23:59:59.999999Z" "$TMP/err"

# Sessions: an event's window is [t, t + gap); one that ends on the last
# instant is written, one that would end after it is rejected.
printf '%s\n' '{"t":"9999-12-31T22:59:59.999999Z"}' '{"t":"9999-12-31T23:00:00Z"}' >"$TMP/sess"
jwindow --time t --session 1h --agg 'count(*)' "$TMP/sess" >"$TMP/out" 2>"$TMP/err"
rc=$?
check_eq session-edge \
	'1:{"window":{"start":"9999-12-31T22:59:59.999999Z","end":"9999-12-31T23:59:59.999999Z"},"count":1}' \
	"$rc:$(cat "$TMP/out")"
check session-edge-reason grep -q "^jwindow: $TMP/sess:2: .*end after" "$TMP/err"

# What jwindow writes, jwindow and kout read: no record of it rejected.
# Each of these three records is in two windows, all inside the range.
printf '%s\n' '{"t":"9999-12-31T22:00:00Z"}' '{"t":"0000-01-01T00:30:00Z"}' '{"t":"1969-12-31T23:59:59.5Z"}' |
	jwindow --time t --window 1h --slide 30m --agg 'count(*)' >"$TMP/windows" 2>"$TMP/err"
rc=$?
check_eq write-edge-rows "0:6" "$rc:$(wc -l <"$TMP/windows")"
check write-edge-readable rfc3339_windows <"$TMP/windows"
check_exit read-back-jwindow-start 0 jwindow --time window.start --tumble 1s --agg 'count(*)' "$TMP/windows"
check_exit read-back-jwindow-end 0 jwindow --time window.end --tumble 1s --agg 'count(*)' "$TMP/windows"
check_exit read-back-kout 0 kout --chart line --x window.end --y count --width 60 "$TMP/windows"

# Times outside the range in the input are rejected, saying so; text
# that is no time is rejected as before.
printf '%s\n' '{"t":"+10000-01-01T00:00:00Z"}' '{"t":"-0001-12-30T00:00:00Z"}' '{"t":253402300800}' \
	'{"t":"soon"}' >"$TMP/outside"
jwindow --time t --tumble 1h --agg 'count(*)' "$TMP/outside" >"$TMP/out" 2>"$TMP/err"
rc=$?
check_eq outside-exit "1:" "$rc:$(cat "$TMP/out")"
check_eq outside-reason 3 "$(grep -c "field 't' is outside the range of times, 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z" "$TMP/err")"
check outside-not-a-time grep -q "^jwindow: $TMP/outside:4: field 't' is not a time" "$TMP/err"
