# jwindow: hand-worked cases for each rule of jwindow(1), and Spark's
# documentation examples.  Expected lines are written out by hand.
. "$(dirname "$0")/../lib.sh"

jw() { jwindow "$@" 2>"$TMP/err"; }
lines() { printf '%s\n' "$@"; }
t() { printf '{"t":"2024-01-01T%sZ"%s}' "$1" "${2:+,$2}"; }

# Spark's guide: a 5-minute tumbling count over 00:00:00, 00:04:30, 00:06:00.
lines "$(t 00:00:00)" "$(t 00:04:30)" "$(t 00:06:00)" >"$TMP/spark1"
check_eq spark-tumbling "$(lines \
	'{"window":{"start":"2024-01-01T00:00:00Z","end":"2024-01-01T00:05:00Z"},"count":2}' \
	'{"window":{"start":"2024-01-01T00:05:00Z","end":"2024-01-01T00:10:00Z"},"count":1}')" \
	"$(jw --time t --tumble '5 minutes' --agg 'count(*)' "$TMP/spark1")"

# Spark's guide: sessions with a 5-minute gap over 00:00:00, 00:04:30, 00:10:00.
lines "$(t 00:00:00)" "$(t 00:04:30)" "$(t 00:10:00)" >"$TMP/spark2"
check_eq spark-session "$(lines \
	'{"window":{"start":"2024-01-01T00:00:00Z","end":"2024-01-01T00:09:30Z"},"count":2}' \
	'{"window":{"start":"2024-01-01T00:10:00Z","end":"2024-01-01T00:15:00Z"},"count":1}')" \
	"$(jw --time t --session 5m --agg 'count(*)' "$TMP/spark2")"

# Start inclusive, end exclusive: 00:00:10 opens the second window.
lines "$(t 00:00:00)" "$(t 00:00:09.999)" "$(t 00:00:10)" >"$TMP/edge"
check_eq start-inclusive-end-exclusive "$(lines \
	'{"window":{"start":"2024-01-01T00:00:00Z","end":"2024-01-01T00:00:10Z"},"n":2}' \
	'{"window":{"start":"2024-01-01T00:00:10Z","end":"2024-01-01T00:00:20Z"},"n":1}')" \
	"$(jw --time t --tumble 10s --agg 'count(*) as n' "$TMP/edge")"

# Sliding 10s by 5s: 00:00:07 is in [00:00:00, 00:00:10) and [00:00:05, 00:00:15).
check_eq sliding-two-windows "$(lines \
	'{"window":{"start":"2024-01-01T00:00:00Z","end":"2024-01-01T00:00:10Z"},"n":1}' \
	'{"window":{"start":"2024-01-01T00:00:05Z","end":"2024-01-01T00:00:15Z"},"n":1}')" \
	"$(t 00:00:07 | jw --time t --window 10s --slide 5s --agg 'count(*) AS n')"

# Slide that does not divide the window: 10s every 3s holds ts=7 in the
# windows starting at 6, 3 and 0 (ceil(10/3) = 4 candidates, -3 excluded).
check_eq sliding-uneven "$(lines \
	'{"window":{"start":"1970-01-01T00:00:00Z","end":"1970-01-01T00:00:10Z"},"n":1}' \
	'{"window":{"start":"1970-01-01T00:00:03Z","end":"1970-01-01T00:00:13Z"},"n":1}' \
	'{"window":{"start":"1970-01-01T00:00:06Z","end":"1970-01-01T00:00:16Z"},"n":1}')" \
	"$(echo '{"t":7}' | jw --time t --window 10s --slide 3s --agg 'count(*) AS n')"

# Offset (Spark's startTime): hourly windows starting at :15.
check_eq offset "$(lines \
	'{"window":{"start":"2024-01-01T00:15:00Z","end":"2024-01-01T01:15:00Z"},"n":1}')" \
	"$(t 01:10:00 | jw --time t --tumble 1h --offset 15m --agg 'count(*) AS n')"
check_eq negative-offset "$(lines \
	'{"window":{"start":"2024-01-01T00:45:00Z","end":"2024-01-01T01:45:00Z"},"n":1}')" \
	"$(t 01:10:00 | jw --time t --tumble 1h --offset -15m --agg 'count(*) AS n')"

# Before 1970 windows floor, not truncate toward zero.
check_eq pre-1970 "$(lines \
	'{"window":{"start":"1969-12-31T23:59:50Z","end":"1970-01-01T00:00:00Z"},"n":2}' \
	'{"window":{"start":"1970-01-01T00:00:00Z","end":"1970-01-01T00:00:10Z"},"n":1}')" \
	"$(lines '{"t":-1}' '{"t":-10}' '{"t":0}' | jw --time t --tumble 10s --agg 'count(*) AS n')"

# Epoch milliseconds by option.
check_eq epoch-ms "$(lines \
	'{"window":{"start":"2024-03-01T12:00:00Z","end":"2024-03-01T12:01:00Z"},"n":1}')" \
	"$(echo '{"t":1709294430500}' | jw --time t --epoch-unit ms --tumble 1m --agg 'count() AS n')"

# Watermark 5s, tumbling 10s.  After 00:00:15 the watermark is 00:00:10,
# so [00:00:00, 00:00:10) closes at once (end <= wm) and is emitted before
# anything else; 00:00:09 is then late (end 10 == wm), 00:00:10 is not.
lines "$(t 00:00:01)" "$(t 00:00:15)" "$(t 00:00:09)" "$(t 00:00:10)" "$(t 00:00:31)" >"$TMP/wm"
check_eq watermark-end-equals-wm "$(lines \
	'{"window":{"start":"2024-01-01T00:00:00Z","end":"2024-01-01T00:00:10Z"},"n":1}' \
	'{"window":{"start":"2024-01-01T00:00:10Z","end":"2024-01-01T00:00:20Z"},"n":2}' \
	'{"window":{"start":"2024-01-01T00:00:30Z","end":"2024-01-01T00:00:40Z"},"n":1}')" \
	"$(jw --time t --tumble 10s --watermark 5s --agg 'count(*) AS n' --late "$TMP/late" "$TMP/wm")"
check_eq late-file "$(lines '{"source":"'"$TMP/wm"'","line":3,"reason":"late: its window ends at or before the watermark 2024-01-01T00:00:10Z","raw":"{\"t\":\"2024-01-01T00:00:09Z\"}"}')" \
	"$(cat "$TMP/late")"
check late-summary grep -q '1 late record dropped from 1 window' "$TMP/err"

# Watermark uses the max before the record: a record never makes itself late.
check_eq watermark-before-record "$(lines \
	'{"window":{"start":"2024-01-01T00:00:00Z","end":"2024-01-01T00:00:10Z"},"n":1}')" \
	"$(t 00:00:05 | jw --time t --tumble 10s --watermark 0s --agg 'count(*) AS n')"

# Sliding windows are late one by one: with wm = 00:00:10 a record at
# 00:00:08 is dropped from [00:00:00, 00:00:10) but counts in [00:00:05, 00:00:15).
lines "$(t 00:00:20)" "$(t 00:00:08)" >"$TMP/slide-late"
check_eq sliding-late-per-window "$(lines \
	'{"window":{"start":"2024-01-01T00:00:05Z","end":"2024-01-01T00:00:15Z"},"n":1}' \
	'{"window":{"start":"2024-01-01T00:00:15Z","end":"2024-01-01T00:00:25Z"},"n":1}' \
	'{"window":{"start":"2024-01-01T00:00:20Z","end":"2024-01-01T00:00:30Z"},"n":1}')" \
	"$(jw --time t --window 10s --slide 5s --watermark 10s --agg 'count(*) AS n' --late "$TMP/late2" "$TMP/slide-late")"
check sliding-late-reason grep -q '"reason":"late for 1 of its 2 windows' "$TMP/late2"

# Sessions: an event at the session's end (start == session.end) joins it.
lines "$(t 00:00:00)" "$(t 00:00:05)" "$(t 00:00:10.001)" >"$TMP/sess"
check_eq session-touch-joins "$(lines \
	'{"window":{"start":"2024-01-01T00:00:00Z","end":"2024-01-01T00:00:10Z"},"n":2}' \
	'{"window":{"start":"2024-01-01T00:00:10.001Z","end":"2024-01-01T00:00:15.001Z"},"n":1}')" \
	"$(jw --time t --session 5s --agg 'count(*) AS n' "$TMP/sess")"

# An event reaching two sessions bridges them into one, aggregates merged.
lines "$(t 00:00:00 '"x":1')" "$(t 00:00:10 '"x":3')" "$(t 00:00:05 '"x":8')" "$(t 00:00:30 '"x":5')" >"$TMP/bridge"
check_eq session-bridge "$(lines \
	'{"window":{"start":"2024-01-01T00:00:00Z","end":"2024-01-01T00:00:15Z"},"n":3,"sum_x":12,"first_x":1,"last_x":8,"max_x":8}' \
	'{"window":{"start":"2024-01-01T00:00:30Z","end":"2024-01-01T00:00:35Z"},"n":1,"sum_x":5,"first_x":5,"last_x":5,"max_x":5}')" \
	"$(jw --time t --session 5s --agg 'count(*) AS n, sum(x), first(x), last(x), max(x)' "$TMP/bridge")"

# An event before a session that reaches its start extends it backwards.
check_eq session-extends-back "$(lines \
	'{"window":{"start":"2024-01-01T00:00:07Z","end":"2024-01-01T00:00:15Z"},"n":2}')" \
	"$(lines "$(t 00:00:10)" "$(t 00:00:07)" | jw --time t --session 5s --agg 'count(*) AS n')"

# Sessions per group, closed by the watermark; a session event is late
# when ts + gap <= wm (here 00:00:05 + 5s == wm 00:00:10).
lines "$(t 00:00:00 '"u":"a"')" "$(t 00:00:02 '"u":"b"')" "$(t 00:00:20 '"u":"a"')" \
	"$(t 00:00:05 '"u":"b"')" "$(t 00:00:05.001 '"u":"b"')" >"$TMP/sess2"
check_eq session-groups-watermark "$(lines \
	'{"window":{"start":"2024-01-01T00:00:00Z","end":"2024-01-01T00:00:05Z"},"u":"a","n":1}' \
	'{"window":{"start":"2024-01-01T00:00:02Z","end":"2024-01-01T00:00:07Z"},"u":"b","n":1}' \
	'{"window":{"start":"2024-01-01T00:00:05.001Z","end":"2024-01-01T00:00:10.001Z"},"u":"b","n":1}' \
	'{"window":{"start":"2024-01-01T00:00:20Z","end":"2024-01-01T00:00:25Z"},"u":"a","n":1}')" \
	"$(jw --time t --session 5s --watermark 10s --by u --agg 'count(*) AS n' "$TMP/sess2")"
check session-late-count grep -q '1 late record dropped' "$TMP/err"

# Order when several close together: end, then start, then group by first
# appearance (b before a here).
lines "$(t 00:00:01 '"u":"b"')" "$(t 00:00:02 '"u":"a"')" "$(t 00:00:06 '"u":"a"')" "$(t 00:00:30 '"u":"c"')" >"$TMP/order"
check_eq close-order-groups "$(lines \
	'{"window":{"start":"2023-12-31T23:59:55Z","end":"2024-01-01T00:00:05Z"},"u":"b","n":1}' \
	'{"window":{"start":"2023-12-31T23:59:55Z","end":"2024-01-01T00:00:05Z"},"u":"a","n":1}' \
	'{"window":{"start":"2024-01-01T00:00:00Z","end":"2024-01-01T00:00:10Z"},"u":"b","n":1}' \
	'{"window":{"start":"2024-01-01T00:00:00Z","end":"2024-01-01T00:00:10Z"},"u":"a","n":2}' \
	'{"window":{"start":"2024-01-01T00:00:05Z","end":"2024-01-01T00:00:15Z"},"u":"a","n":1}' \
	'{"window":{"start":"2024-01-01T00:00:25Z","end":"2024-01-01T00:00:35Z"},"u":"c","n":1}' \
	'{"window":{"start":"2024-01-01T00:00:30Z","end":"2024-01-01T00:00:40Z"},"u":"c","n":1}')" \
	"$(jw --time t --window 10s --slide 5s --watermark 1s --by u --agg 'count(*) AS n' "$TMP/order")"

# Aggregates as Spark: nulls skipped, avg of nothing null, sample variance
# of one value null, population variance 0, covar_samp of one pair null,
# corr with zero variance null, count(f) counts non-null values.
lines '{"t":1,"x":4,"y":1}' '{"t":2,"x":null,"y":1}' '{"t":3}' >"$TMP/nulls"
check_eq spark-nulls '{"window":{"start":"1970-01-01T00:00:00Z","end":"1970-01-01T00:01:00Z"},"count":3,"count_x":1,"avg_z":null,"var_samp_x":null,"var_pop_x":0,"stddev_pop_x":0,"covar_samp_x_y":null,"corr_x_y":null,"sum_z":null,"collect_list_z":[],"first_x":4,"last_x":null}' \
	"$(jw --time t --tumble 1m --agg 'count(*), count(x), avg(z), var_samp(x), var_pop(x), stddev_pop(x), covar_samp(x, y), corr(x,y), sum(z), collect_list(z), first(x), last(x)' "$TMP/nulls")"

# Numbers checked by hand: x = 1, 2, 3, 4, 10 (y = 2x).
for x in 1 2 3 4 10; do echo "{\"t\":5,\"x\":$x,\"y\":$((2 * x)),\"s\":\"v$((x % 2))\"}"; done >"$TMP/nums"
check_eq aggregates-by-hand '{"window":{"start":"1970-01-01T00:00:00Z","end":"1970-01-01T00:01:00Z"},"sum_x":20,"mean_x":4,"min_x":1,"max_x":10,"variance_x":12.5,"var_pop_x":10,"p":3.4,"approx_percentile_x":3,"median_x":3,"corr_x_y":1,"covar_pop_x_y":20,"collect_set_s":["v1","v0"],"count_distinct_s":2,"approx_count_distinct_s":2,"ps":[1.4,10]}' \
	"$(jw --time t --tumble 1m --agg 'sum(x), mean(x), min(x), max(x), variance(x), var_pop(x), percentile(x, 0.6) aS p, approx_percentile(x, 0.5, 100), median(x), corr(x, y), covar_pop(x, y), collect_set(s), count(distinct s), approx_count_distinct(s), percentile(x, array(0.1, 1)) AS ps' "$TMP/nums")"

# Default names, AS in any case, stddev spellings.
check_eq names '{"window":{"start":"1970-01-01T00:00:00Z","end":"1970-01-01T00:01:00Z"},"count":5,"avg_x":4,"Std":3.5355339059327378,"stddev_samp_x":3.5355339059327378,"std_x":3.5355339059327378}' \
	"$(jw --time t --tumble 1m --agg 'COUNT(*), Avg(x), stddev(x) As Std' --agg 'stddev_samp(x), std(x)' "$TMP/nums")"

# --by: several fields, nested paths, missing ones as null.
lines '{"t":1,"a":{"b":"x"},"c":1}' '{"t":2,"a":{"b":"x"},"c":1}' '{"t":3,"c":1}' '{"t":4,"a":{"b":"x"},"c":"1"}' >"$TMP/by"
check_eq by-fields "$(lines \
	'{"window":{"start":"1970-01-01T00:00:00Z","end":"1970-01-01T00:01:00Z"},"b":"x","c":1,"n":2}' \
	'{"window":{"start":"1970-01-01T00:00:00Z","end":"1970-01-01T00:01:00Z"},"b":null,"c":1,"n":1}' \
	'{"window":{"start":"1970-01-01T00:00:00Z","end":"1970-01-01T00:01:00Z"},"b":"x","c":"1","n":1}')" \
	"$(jw --time t --tumble 1m --by a.b,c --agg 'count(*) AS n' "$TMP/by")"

# collect_list keeps arrival order, not time order.
check_eq collect-list-order '{"window":{"start":"1970-01-01T00:00:00Z","end":"1970-01-01T00:01:00Z"},"collect_list_x":[3,1,2]}' \
	"$(lines '{"t":9,"x":3}' '{"t":1,"x":1}' '{"t":5,"x":2}' | jw --time t --tumble 1m --agg 'collect_list(x)')"

# Bad records follow the error convention: counted, reported, dead-lettered, exit 1.
lines '{"t":1}' '{"u":1}' '{"t":"yesterday"}' 'not json' '{"t":2}' >"$TMP/bad"
check_exit rejects-exit-1 1 jwindow --time t --tumble 1m --agg 'count(*)' --errors "$TMP/dead" "$TMP/bad"
check_eq rejects-dead-letters 3 "$(wc -l <"$TMP/dead")"
check_eq rejects-still-count '{"window":{"start":"1970-01-01T00:00:00Z","end":"1970-01-01T00:01:00Z"},"count":2}' \
	"$(jw -q --time t --tumble 1m --agg 'count(*)' "$TMP/bad")"
cp "$TMP/.out" "$TMP/rejects"
check rejects-message grep -q "^jwindow: $TMP/bad:2: no time in field 't'" "$TMP/rejects"

# Usage errors exit 2.
check_exit usage-slide-longer 2 jwindow --time t --window 1m --slide 2m --agg 'count(*)'
check_exit usage-tumble-slide 2 jwindow --time t --tumble 1m --slide 30s --agg 'count(*)'
check_exit usage-offset 2 jwindow --time t --tumble 1m --offset 1m --agg 'count(*)'
check_exit usage-no-agg 2 jwindow --time t --tumble 1m
check_exit usage-bad-agg 2 jwindow --time t --tumble 1m --agg 'avg(x'
check_exit usage-unknown-func 2 jwindow --time t --tumble 1m --agg 'frobnicate(x)'
check_exit usage-dup-name 2 jwindow --time t --tumble 1m --agg 'avg(x), avg(x)'
check_exit usage-bad-p 2 jwindow --time t --tumble 1m --agg 'percentile(x, 1.5)'
check_exit usage-no-window 2 jwindow --time t --agg 'count(*)'
check_exit usage-bad-duration 2 jwindow --time t --tumble 1parsec --agg 'count(*)'
check_exit help 0 jwindow --help
check_eq version "jwindow (kpipe) $(sed -n 's/^VERSION *:= *//p' "$KPIPE_ROOT/Makefile")" "$(jwindow --version)"

# --max-groups: a clear error, not an OOM kill.
for i in 1 2 3 4 5; do echo "{\"t\":1,\"u\":$i}"; done >"$TMP/groups"
check_exit max-groups 3 jwindow --time t --tumble 1m --by u --max-groups 4 --agg 'count(*)' "$TMP/groups"
cp "$TMP/.out" "$TMP/maxg"
check max-groups-message grep -q 'more than 4 groups' "$TMP/maxg"
check_eq max-groups-enough 5 "$(jw --time t --tumble 1m --by u --max-groups 5 --agg 'count(*)' "$TMP/groups" | wc -l)"

# --time now: arrival time, so the window holds the present.
before=$(date -u +%s)
out=$(lines '{"x":1}' '{"x":2}' | jw --time now --tumble 1h --agg 'count(*) AS n')
after=$(date -u +%s)
start=$(printf '%s' "$out" | python3 -c 'import json,sys,datetime; w=json.loads(sys.stdin.read())["window"]; print(int(datetime.datetime.fromisoformat(w["start"].replace("Z","+00:00")).timestamp()), json.dumps(w))' | cut -d' ' -f1)
if [ -n "$start" ] && [ "$start" -le "$before" ] && [ "$after" -lt $((start + 3600)) ] && [[ $out == *'"n":2}' ]]; then
	ok time-now
else
	fail time-now "$out"
fi

# Values copied to the output are valid JSON, or the record is rejected.
lines '{"t":1,"u":[1,}' '{"t":1,"u":"a\q"}' '{"t":1,"u":"ok","x":{"a":1 ,"b":[1, 2]}}' '{"t":1,"u":"ok","x":[1 }' >"$TMP/malformed"
check_eq malformed-values-rejected '{"window":{"start":"1970-01-01T00:00:00Z","end":"1970-01-01T00:01:00Z"},"u":"ok","first_x":{"a":1,"b":[1,2]},"count":1}' \
	"$(jw --time t --tumble 1m --by u --agg 'first(x), count(*)' "$TMP/malformed")"
check_eq malformed-values-count 'jwindow: 3 records rejected' "$(tail -n 1 "$TMP/err")"

# Nested time field; big integer keys keep every digit; escaped keys and
# values group with their plain spelling.
lines '{"m":{"ts":"2024-01-01T00:00:01Z"},"id":123456789012345678901,"k":"A"}' \
	'{"m":{"ts":"2024-01-01T00:00:02Z"},"id":123456789012345678901,"\u006b":"\u0041"}' >"$TMP/nested"
check_eq nested-time-big-keys '{"window":{"start":"2024-01-01T00:00:00Z","end":"2024-01-01T00:01:00Z"},"id":123456789012345678901,"k":"A","n":2}' \
	"$(jw --time m.ts --tumble 1m --by id,k --agg 'count(*) AS n' "$TMP/nested")"

# "." is the whole record: collect the records of each window.
check_eq whole-record '{"window":{"start":"1970-01-01T00:00:00Z","end":"1970-01-01T00:01:00Z"},"records":[{"t":1,"x":2},{"t":2,"x":[1,2]}],"count":2}' \
	"$(lines '{"t":1,"x":2 } ' '{"t":2,"x":[1, 2]}' | jw --time t --tumble 1m --agg 'collect_list(.) AS records, count(.)')"
