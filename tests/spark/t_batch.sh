# jwindow and jstats against PySpark in batch mode, the engine whose
# answers kpipe promises (issues 5 and 8).  One Spark session
# (spark_batch.py) computes every reference over 20 000 generated events
# (200 users over 5.5 hours, up to 5 minutes out of order); each test runs
# the same job in kpipe and compares the rows as sets keyed by window and
# group, numbers to 1e-9 relative.  Without a watermark nothing is late,
# so batch Spark and kpipe see the same records in every window.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
need_spark spark-batch

ev=$TMP/events
python3 "$KPIPE_ROOT/tests/gen-events.py" -n 20000 --users 200 --step 1 --disorder 300 --seed 7 >"$ev"
# The awkward input: 3 000 events over 1969-12-31T23:00Z to 1970-01-01T00:40Z
# (negative epoch times), every 7th latency_ms null, every 11th record
# without bytes, and every 13th time is not a time and every 17th is
# missing (Spark drops such records silently, jwindow rejects them: exit
# status 1, one message each, the windows otherwise the same); once with
# RFC 3339 times and once with epoch milliseconds.
odd() {
	python3 "$KPIPE_ROOT/tests/gen-events.py" -n 3000 --users 20 --step 2 --disorder 300 --seed 3 \
		--start 1969-12-31T23:00:00 "$@" | python3 -c '
import json, sys
for i, line in enumerate(sys.stdin):
    r = json.loads(line)
    if i % 7 == 3:
        r["latency_ms"] = None
    if i % 11 == 5:
        del r["bytes"]
    if i % 13 == 6:
        r["timestamp"] = "garbage"
    if i % 17 == 8:
        del r["timestamp"]
    print(json.dumps(r))'
}
# their line numbers, counted here: 1-based i % 13 == 6 or i % 17 == 8
bad_lines=$(seq 0 2999 | awk '$1 % 13 == 6 || $1 % 17 == 8 { print $1 + 1 }')
odd >"$TMP/odd"
odd --epoch >"$TMP/odd-ms"
mkdir "$TMP/spark"
run_spark spark-batch "$spark_dir/spark_batch.py" "$ev" "$TMP/odd" "$TMP/odd-ms" "$TMP/spark"

basic='count(*), avg(latency_ms), stddev(latency_ms), min(latency_ms), max(latency_ms), sum(latency_ms)'
jw() { jwindow --time timestamp --by user "$@" "$ev"; }

# a) tumbling hours: groupBy(window('ts', '1 hour'), 'user')
jw --tumble 1h --agg "$basic" >"$TMP/tumble"
compare spark-tumble-1h "$TMP/tumble" "$TMP/spark/tumble"

# b) sliding: window('ts', '10 minutes', '5 minutes')
jw --window 10m --slide 5m --agg "$basic" >"$TMP/slide"
compare spark-slide-10m-5m "$TMP/slide" "$TMP/spark/slide"

# c) session_window('ts', '5 minutes') with collect_list(action).  The
# lists compare sorted: Spark orders a session's rows by event time before
# merging them, jwindow keeps arrival order, and the input is
# out of order; only the multiset of actions is the same.
jw --session 5m --agg 'count(*), collect_list(action) as actions' >"$TMP/session"
compare spark-session-5m "$TMP/session" "$TMP/spark/session" --sorted-lists

# d) exact percentiles (linear interpolation), corr, covar_samp
jw --tumble 1h --agg 'percentile(latency_ms, 0.5) as p50, percentile(latency_ms, 0.9) as p90,
	corr(latency_ms, bytes) as corr, covar_samp(latency_ms, bytes) as covar' >"$TMP/pct"
compare spark-percentile-corr "$TMP/pct" "$TMP/spark/pct"

# e) jstats per user over the whole input: describe-like statistics and
# the covariance and correlation of a pair
jstats -g user -f latency_ms -a count,mean,stddev,var,var_pop,min,max,median,p90,p99 "$ev" >"$TMP/stats"
compare spark-jstats "$TMP/stats" "$TMP/spark/stats" --key user
jstats -g user --pair latency_ms,bytes -a cov_samp,cov_pop,corr "$ev" >"$TMP/pair"
compare spark-jstats-pair "$TMP/pair" "$TMP/spark/pair" --key user

# g) pipeline job 1 (without its watermark, which batch Spark lacks):
# logins per user and hour, then mean, stddev and p99 across users
jfilter 'select(.action == "login")' "$ev" |
	jwindow --time timestamp --tumble 1h --by user --agg 'count() as logins' |
	jstats --by window.start --fields logins --stats mean,stddev,p99 >"$TMP/job1"
compare spark-job1-pipeline "$TMP/job1" "$TMP/spark/job1" --key window.start

# h) the awkward input
jwindow --time timestamp --by user --window 10m --slide 3m --agg 'count(*), count(latency_ms),
	avg(latency_ms), sum(bytes), var_pop(latency_ms), stddev_pop(latency_ms), var_samp(bytes), min(bytes),
	covar_pop(latency_ms, bytes), corr(latency_ms, bytes), count_distinct(action), collect_set(action)' \
	--errors "$TMP/odd.dead" "$TMP/odd" >"$TMP/odd_slide" 2>/dev/null
check_eq spark-odd-rejected-status 1 $?
check_eq spark-odd-rejected-lines "$(echo $bad_lines)" "$(echo $(jq -r .line "$TMP/odd.dead"))"
compare spark-odd-slide-10m-3m "$TMP/odd_slide" "$TMP/spark/odd_slide" --sorted-lists
jwindow --time timestamp --by user --session 90s --agg 'count(*), max(latency_ms), collect_list(bytes)' \
	"$TMP/odd" >"$TMP/odd_session" 2>/dev/null
compare spark-odd-session "$TMP/odd_session" "$TMP/spark/odd_session" --sorted-lists
jwindow --time timestamp --by user --tumble 1h --agg 'approx_percentile(latency_ms, 0.5) as a50,
	approx_percentile(latency_ms, 0.9) as a90, percentile(latency_ms, 0) as p0,
	percentile(latency_ms, 1) as p100, percentile(bytes, 0.25) as p25' "$TMP/odd" >"$TMP/odd_pct" 2>/dev/null
compare spark-odd-approx-percentile "$TMP/odd_pct" "$TMP/spark/odd_pct"
jwindow --time timestamp --epoch-unit ms --by user --window 1h --slide 20m --offset 7m \
	--agg 'count(*), sum(latency_ms)' "$TMP/odd-ms" >"$TMP/odd_epoch" 2>/dev/null
compare spark-odd-epoch-ms-offset "$TMP/odd_epoch" "$TMP/spark/odd_epoch"
jstats -g user -f latency_ms,bytes -a count,sum,mean,var_pop,stddev_pop,skewness,kurtosis,distinct \
	"$TMP/odd" >"$TMP/odd_stats"
compare spark-odd-jstats "$TMP/odd_stats" "$TMP/spark/odd_stats" --key user

# i) times written every way Spark reads them: each in the same second.
# (Spark drops, and jwindow accepts, 2024-03-01T12:02Z without seconds and
# the leap second 23:59:60; they are not in the file.)
jwindow --time timestamp --by user --tumble 1s --agg 'count(*), collect_list(timestamp)' \
	"$spark_dir/times.ndjson" >"$TMP/times"
compare spark-time-formats "$TMP/times" "$TMP/spark/times" --sorted-lists

# j) degenerate groups (one value, equal values, only nulls, a pair with a
# null): which aggregates are null and which are 0
jwindow --time ts --by g --tumble 1h --agg 'count(*), count(x), sum(x), avg(x), min(x), max(x),
	var_samp(x), var_pop(x), stddev_samp(x), stddev_pop(x), covar_samp(x, y), covar_pop(x, y), corr(x, y),
	percentile(x, 0.5), approx_percentile(x, 0.5), collect_list(s), collect_set(s), count_distinct(s)' \
	"$spark_dir/degenerate.ndjson" | jfilter '.user = .g | del(.g)' >"$TMP/degenerate"
compare spark-degenerate-groups "$TMP/degenerate" "$TMP/spark/degenerate" --sorted-lists
jstats -g g -f x -a count,sum,mean,stddev,var,var_pop,stddev_pop,min,max,median,skewness,kurtosis,distinct \
	"$spark_dir/degenerate.ndjson" >"$TMP/degenerate_stats"
jstats -g g --pair x,y -a cov_samp,cov_pop,corr "$spark_dir/degenerate.ndjson" >"$TMP/degenerate_pair"
python3 -c '
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = {r["g"]: r for r in map(json.loads, open(sys.argv[2]))}
for r in a:
    print(json.dumps({**r, **b[r["g"]]}))' "$TMP/degenerate_stats" "$TMP/degenerate_pair" >"$TMP/degenerate_jstats"
compare spark-degenerate-jstats "$TMP/degenerate_jstats" "$TMP/spark/degenerate_stats" --key g
