# jdedup's rules by hand-worked cases: which record of a key passes, what
# is one key (value identity, missing fields), and at the boundaries of
# the watermark (equal times, a row exactly at the watermark, a key
# forgotten exactly when the watermark reaches its expiry).  Each case's
# expected answer is worked out in its comment from the rules of jdedup(1)
# (Spark's: late when the event time is at or before the watermark, the
# greatest event time before the record minus the delay; dropDuplicates
# with a watermark forgets a key + time once the watermark reaches the
# time, dropDuplicatesWithinWatermark a key once it reaches the time + the
# delay).
. "$(dirname "$0")/../lib.sh"

# case NAME WANT_PASSED WANT_STDERR ARGS... <input: records named by "s"; the
# record names that pass, in order, and all of standard error; exit 0.
case_() {
	local name=$1 want=$2 werr=$3 rc got; shift 3
	jdedup "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?
	got=$(jq -r .s "$TMP/out" | tr '\n' ' ' | sed 's/ $//')
	if [ $rc -ne 0 ]; then fail "$name" "exit $rc: $(cat "$TMP/err")"
	elif [ "$got" != "$want" ]; then fail "$name" "passed [$got], wanted [$want]"
	elif [ "$(cat "$TMP/err")" != "$werr" ]; then fail "$name" "stderr [$(cat "$TMP/err")], wanted [$werr]"
	else ok "$name"; fi
}
T=2024-01-01T00

# The first record of a key passes, later ones are dropped, whatever else
# they hold; nothing dropped, nothing said.
case_ first-passes "a b" "jdedup: 3 records in, 2 passed, 1 duplicate dropped" -k id <<'EOF2'
{"s":"a","id":1,"x":1}
{"s":"b","id":2,"x":1}
{"s":"a2","id":1,"x":2}
EOF2
case_ silent-without-duplicates "a b" "" -k id <<'EOF2'
{"s":"a","id":1}
{"s":"b","id":2}
EOF2
# Value identity: "ab" and "a\u0062", 1, 1.0 and 1e0, objects whatever the
# order of their keys are each one key; "1" (a string) is not 1.
case_ value-identity "a n o one" "jdedup: 7 records in, 4 passed, 3 duplicates dropped" -k id <<'EOF2'
{"s":"a","id":"ab"}
{"s":"a2","id":"a\u0062"}
{"s":"n","id":1}
{"s":"n2","id":1.0}
{"s":"n3","id":1e0}
{"s":"o","id":{"x":1,"y":[1,2]}}
{"s":"one","id":"1"}
EOF2
case_ object-key-order "o" "jdedup: 2 records in, 1 passed, 1 duplicate dropped" -k id <<'EOF2'
{"s":"o","id":{"x":1,"y":[1, 2]}}
{"s":"o2","id":{ "y":[1,2.0], "x":1 }}
EOF2
# A missing field and null are one key, null, as Spark reads them.
case_ missing-is-null "m s" "jdedup: 4 records in, 2 passed, 2 duplicates dropped" -k id <<'EOF2'
{"s":"m"}
{"s":"m2","id":null}
{"s":"s","id":"null"}
{"s":"m3","other":1}
EOF2
# Several fields: a comma inside a value does not join two fields.
case_ two-fields "xy xy2 x2" "jdedup: 4 records in, 3 passed, 1 duplicate dropped" -k a,b <<'EOF2'
{"s":"xy","a":"x,y","b":"z"}
{"s":"xy2","a":"x","b":"y,z"}
{"s":"x2","a":"x","b":"z"}
{"s":"xy3","b":"z","a":"x,y"}
EOF2
# -k . is the whole record, as Spark's dropDuplicates() of every column:
# exact copies, by value identity.
case_ whole-record "x y" "jdedup: 3 records in, 2 passed, 1 duplicate dropped" -k . <<'EOF2'
{"s":"x","a":1}
{"a":1.0,"s":"x"}
{"s":"y","a":1}
EOF2
case_ nested-path "a b" "jdedup: 3 records in, 2 passed, 1 duplicate dropped" -k user.id <<'EOF2'
{"s":"a","user":{"id":7,"n":"x"}}
{"s":"b","user":{"id":8}}
{"s":"a2","user":{"n":"y","id":7.0}}
EOF2

# --watermark: the key is the fields and the event time, compared as
# times (the same instant spelled two ways is one time).  Equal times:
# duplicates; another time: another key.  The summary's watermark is the
# last: c's time - 10 minutes.
case_ watermark-equal-times "a b c" \
	"jdedup: 4 records in, 3 passed, 1 duplicate dropped, 0 late (watermark 2023-12-31T23:50:00.000001Z)" \
	-k id --time t -W 10m <<EOF2
{"s":"a","id":1,"t":"$T:00:00Z"}
{"s":"a2","id":1,"t":"$T:00:00+00:00"}
{"s":"b","id":2,"t":"$T:00:00Z"}
{"s":"c","id":1,"t":"$T:00:00.000001Z"}
EOF2
# A row exactly at the watermark is late: after a (00:20) the watermark is
# 00:10; b at 00:10 is late, c one microsecond after passes.  The
# watermark is that of the records before: a itself is never late.
case_ watermark-row-at-watermark "a c" \
	"jdedup: 3 records in, 2 passed, 0 duplicates dropped, 1 late (watermark 2024-01-01T00:10:00Z)" \
	-k id --time t -W 10m <<EOF2
{"s":"a","id":1,"t":"$T:20:00Z"}
{"s":"b","id":2,"t":"$T:10:00Z"}
{"s":"c","id":3,"t":"$T:10:00.000001Z"}
EOF2
# A duplicate that is also late counts as late (Spark drops late rows
# before it looks at its state): a at 00:00, b at 00:20 moves the
# watermark to 00:10, a2 (00:00) is late.
case_ watermark-late-duplicate "a b" \
	"jdedup: 3 records in, 2 passed, 0 duplicates dropped, 1 late (watermark 2024-01-01T00:10:00Z)" \
	-k id --time t -W 10m <<EOF2
{"s":"a","id":1,"t":"$T:00:00Z"}
{"s":"b","id":2,"t":"$T:20:00Z"}
{"s":"a2","id":1,"t":"$T:00:00Z"}
EOF2
# Zero delay: the watermark is the greatest time before; a second record
# at that very time is late, not a duplicate.
case_ watermark-zero-delay "a b" \
	"jdedup: 3 records in, 2 passed, 0 duplicates dropped, 1 late (watermark 2024-01-01T00:01:00Z)" \
	-k id --time t -W 0s <<EOF2
{"s":"a","id":1,"t":"$T:00:00Z"}
{"s":"b","id":1,"t":"$T:01:00Z"}
{"s":"b2","id":1,"t":"$T:01:00Z"}
EOF2

# --within: the key alone, held until the watermark reaches its first
# time + the delay.  a at 00:00 expires at 00:10.  a2 at 00:10 is a
# duplicate, though 10 minutes later: the watermark (before a2, -00:10)
# has not reached 00:10.  b at 00:20 moves the watermark to 00:10 =
# a's expiry: a is forgotten, so a3 at 00:15 (after the watermark) passes.
case_ within-forgotten-at-expiry "a b a3" \
	"jdedup: 4 records in, 3 passed, 1 duplicate dropped, 0 late (watermark 2024-01-01T00:10:00Z)" \
	-k id --time t --within 10m <<EOF2
{"s":"a","id":1,"t":"$T:00:00Z"}
{"s":"a2","id":1,"t":"$T:10:00Z"}
{"s":"b","id":2,"t":"$T:20:00Z"}
{"s":"a3","id":1,"t":"$T:15:00Z"}
EOF2
# One microsecond short of the expiry: a is still held, a2 is dropped
# whatever its own time.
case_ within-held-before-expiry "a b" \
	"jdedup: 3 records in, 2 passed, 1 duplicate dropped, 0 late (watermark 2024-01-01T00:09:59.999999Z)" \
	-k id --time t --within 10m <<EOF2
{"s":"a","id":1,"t":"$T:00:00Z"}
{"s":"b","id":2,"t":"$T:19:59.999999Z"}
{"s":"a2","id":1,"t":"$T:15:00Z"}
EOF2
# Late under --within as under --watermark: at the watermark.
case_ within-row-at-watermark "a" \
	"jdedup: 2 records in, 1 passed, 0 duplicates dropped, 1 late (watermark 2024-01-01T00:10:00Z)" \
	-k id --time t --within 10m <<EOF2
{"s":"a","id":1,"t":"$T:20:00Z"}
{"s":"b","id":2,"t":"$T:10:00Z"}
EOF2
# Epoch numbers, in the unit asked for: a2, 500 ms after a, is within the
# second; the last watermark is 1500 ms - 1 s.
case_ epoch-ms "a b" \
	"jdedup: 3 records in, 2 passed, 1 duplicate dropped, 0 late (watermark 1970-01-01T00:00:00.500Z)" \
	-k id --time t --within 1s --epoch-unit ms <<'EOF2'
{"s":"a","id":1,"t":1000}
{"s":"b","id":2,"t":1000}
{"s":"a2","id":1,"t":1500}
EOF2
case_ quiet "a" "" -q -k id <<'EOF2'
{"s":"a","id":1}
{"s":"a2","id":1}
EOF2

# --dropped and --late: every record dropped is there, as a dead letter
# whose raw is the line; in = passed + dropped + late.
python3 "$KPIPE_ROOT/tests/jdedup/gen.py" -n 2000 --seed 9 >"$TMP/ev"
printf '%s\n' '{"seq":-1,"id":"late","t":"2000-01-01T00:00:00Z"}' >>"$TMP/ev"
jdedup -k id --time t --within 10m --dropped "$TMP/dropped" --late "$TMP/late" "$TMP/ev" >"$TMP/passed" 2>"$TMP/err"
rc=$?
cat "$TMP/passed" <(jq -r .raw "$TMP/dropped" "$TMP/late") | jq -r .seq | sort -n >"$TMP/all"
jq -r .seq "$TMP/ev" | sort -n >"$TMP/want"
if [ $rc -ne 0 ]; then fail dropped-and-late-files "exit $rc: $(cat "$TMP/err")"
elif ! cmp -s "$TMP/all" "$TMP/want"; then fail dropped-and-late-files "passed + dropped + late is not the input"
elif [ "$(jq -r '.raw|fromjson|.seq' "$TMP/late")" != -1 ]; then
	fail dropped-and-late-files "late: $(cat "$TMP/late")"
elif [ "$(jq -r .reason "$TMP/late")" != "late: its event time is at or before the watermark $(jq -r '.t' "$TMP/ev" | sort | tail -n 1 | python3 -c 'import sys,datetime; t=datetime.datetime.fromisoformat(sys.stdin.read().strip().replace("Z","+00:00"))-datetime.timedelta(minutes=10); print(t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3].removesuffix(".000")+"Z")')" ]; then
	fail dropped-and-late-files "late reason: $(jq -r .reason "$TMP/late")"
elif ! grep -q "^jdedup: $(wc -l <"$TMP/ev") records in, $(wc -l <"$TMP/passed") passed, $(wc -l <"$TMP/dropped") duplicates dropped, 1 late (watermark .*); duplicates in $TMP/dropped; late records in $TMP/late\$" "$TMP/err"; then
	fail dropped-and-late-files "summary: $(cat "$TMP/err")"
else ok "dropped-and-late-files ($(wc -l <"$TMP/passed") passed, $(wc -l <"$TMP/dropped") dropped, 1 late, all accounted for)"; fi

# --max-keys: a clear error naming the number and where, exit 3, the
# records before it written; duplicates of held keys do not count.
printf '%s\n' '{"s":"a","id":1}' '{"s":"a2","id":1}' '{"s":"b","id":2}' '{"s":"c","id":3}' '{"s":"d","id":4}' \
	| jdedup -k id --max-keys 2 >"$TMP/out" 2>"$TMP/err"
rc=$?
check_eq "max-keys: exit 3" 3 "$rc"
check_eq "max-keys: the records before it" "a b" "$(jq -r .s "$TMP/out" | tr '\n' ' ' | sed 's/ $//')"
check_eq "max-keys: the message" "jdedup: -:4: more than 2 keys held (--max-keys); stopped there" "$(head -n 1 "$TMP/err")"
# With a watermark only the keys held count: 1000 keys a minute apart
# under --within 10m.  Key j (time 60j s) is held until the watermark
# reaches 60j + 600; before key i the watermark is 60(i-1) - 600, so keys
# i-20 .. i-1 are held, and i makes 21.
awk 'BEGIN { for (i = 0; i < 1000; i++) printf "{\"id\":%d,\"t\":%d}\n", i, 60 * i }' >"$TMP/keys"
check_exit "max-keys counts the keys held, not all seen (21)" 0 jdedup -k id --time t --within 10m --max-keys 21 "$TMP/keys"
check_exit "max-keys: held keys over the limit (20)" 3 jdedup -k id --time t --within 10m --max-keys 20 "$TMP/keys"

# Rejected records: no time, a time that is not one; counted, exit 1,
# the others still deduplicated.
printf '%s\n' '{"s":"a","id":1,"t":"2024-01-01T00:00:00Z"}' '{"s":"b","id":2}' '{"s":"c","id":3,"t":"soon"}' \
	'{"s":"a2","id":1,"t":"2024-01-01T00:00:01Z"}' | jdedup -k id --time t --within 1m >"$TMP/out" 2>"$TMP/err"
rc=$?
check_eq "no time: exit 1" 1 "$rc"
check_eq "no time: the messages" "jdedup: -:2: no time in field 't'
jdedup: -:3: field 't' is not a time" "$(grep -- ':[23]:' "$TMP/err")"
check_eq "no time: the others deduplicated" a "$(jq -r .s "$TMP/out")"

# Usage errors, exit 2.
for args in "" "-k id --time t" "-k id -W 10m" "-k id --within 10m" "-k id --time t -W 1m --within 1m" \
	"-k id --late x" "-k id --epoch-unit ms" "-k id --time t -W 1m --epoch-unit h" "-k id --max-keys 0" \
	"-k id --time t -W soon" "-k id --time t -W 600000w" "-k a[" ; do
	# shellcheck disable=SC2086
	check_exit "usage: jdedup $args" 2 jdedup $args </dev/null
done
