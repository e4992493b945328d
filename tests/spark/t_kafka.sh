# Issue 8's job 1 from a real Kafka topic, both ways, compared:
#   kpipe  kcat-in -e | jparse -f value | jfilter login | jwindow --watermark
#          10m --tumble 1h --by user | jstats --by window.start
#   Spark  Structured Streaming through its Kafka connector
#          (spark_kafka.py: startingOffsets earliest, from_json, filter,
#          withWatermark 10 minutes, groupBy(window 1 hour, user).count(),
#          append mode, trigger(availableNow=True), maxOffsetsPerTrigger
#          3500 so the topic is several micro-batches), then the hours'
#          mean, stddev_samp and percentile 0.99 over what it emitted.
# Topics "job1" and "late" have ONE partition, so kcat-in delivers the
# records in the order they were produced, the order jwindow's watermark
# goes by.  Topic "job4" has four, keyed by user, each message's timestamp
# the event's time (kout --envelope): kcat-in merges the partitions by
# timestamp (kcat-in(1), ORDER), Spark reads a share of each per batch.
#
# What is compared, topic "job1" (10 000 events, 50 users, 5.5 hours, at
# most 5 minutes out of order, so nothing is late under either watermark;
# the test checks that jwindow reported nothing late):
#   - Spark's final watermark is the greatest login time - 10 minutes
#     (read here by Python, not by either program), after 3 batches;
#   - the (window, user, logins) rows: exactly the set jwindow wrote for the
#     windows that end at or before that watermark.  jwindow also writes
#     the windows still open at the end of the input, which Spark keeps
#     open and never emits; those are left out;
#   - the hours' mean, stddev and p99 from jstats, to 1e-9 relative, for
#     the hours that end by the watermark (the same cut).
# Topic "job4": the same checks (8 000 events, 80 users, at most 2
# minutes out of order: Spark's batches end at about the same event time
# in every partition, so nothing is late for it either).
# Topic "late" (6 000 events, 20 minutes out of order) has late records.
# Spark moves its watermark once per micro-batch, jwindow once per record
# (man jwindow), so they legitimately drop different records; Spark's
# watermark is never ahead of jwindow's, so the bounds
#   jwindow <= Spark <= jwindow + the records jwindow reported late there
# hold for each window and user, and every jwindow window that ends by
# Spark's final watermark is among Spark's.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
need_spark spark-kafka
jars=${KPIPE_SPARK_KAFKA_JARS:-$spark_venv/spark-kafka/jars}
if ! ls "$jars"/spark-sql-kafka-*.jar >/dev/null 2>&1; then
	if [ "${KPIPE_REQUIRE_SPARK:-0}" = 1 ]; then
		fail spark-kafka "no Spark Kafka connector in $jars (make spark-deps), and KPIPE_REQUIRE_SPARK=1"
	else
		skip spark-kafka "no Spark Kafka connector in $jars (make spark-deps)"
	fi
	exit 0
fi

. "$KPIPE_ROOT/tests/kafka/brokers.sh"
broker=$KAFKA_BROKER
real_broker spark-kafka-broker

create_topics spark-kafka job1:1 late:1 job4:4
python3 "$KPIPE_ROOT/tests/gen-events.py" -n 10000 --users 50 --step 2 --disorder 300 --seed 21 >"$TMP/job1.ev"
python3 "$KPIPE_ROOT/tests/gen-events.py" -n 6000 --users 30 --step 2 --disorder 1200 --seed 5 >"$TMP/late.ev"
python3 "$KPIPE_ROOT/tests/gen-events.py" -n 8000 --users 80 --step 2 --disorder 120 --seed 9 >"$TMP/job4.ev"
for t in job1 late; do
	kcat -P -b "$B" -t $t <"$TMP/$t.ev" || { fail spark-kafka-produce "kcat -P into $t failed"; exit 0; }
	check_eq "spark-kafka-$t-one-partition" 1 \
		"$(kcat -b "$B" -L -t $t | grep -c '^    partition ')"
done
python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    print(json.dumps({"key": r["user"], "value": line.rstrip("\n"), "timestamp": r["timestamp"]}))' \
	<"$TMP/job4.ev" | kout -b "$B" -t job4 --envelope 2>"$TMP/kout.err" ||
	{ fail spark-kafka-produce "kout into job4 failed: $(tail -n 3 "$TMP/kout.err")"; exit 0; }
check_eq spark-kafka-job4-four-partitions-used 4 "$(kcat -C -b "$B" -t job4 -e -q -f '%p\n' | sort -u | wc -l)"

mkdir "$TMP/spark"
run_spark spark-kafka "$spark_dir/spark_kafka.py" -m 3500 "$B" "$TMP/spark" job1 late job4

# kpipe's job 1: T.windows, T.hours; jwindow's complaints in T.err
kpipe() {
	local t=$1; shift
	kcat-in -b "$B" -t "$t" -e 2>"$TMP/$t.kerr" | jparse -f value | jfilter 'select(.action == "login")' |
		jwindow --time timestamp --watermark 10m --tumble 1h --by user --agg 'count() as logins' "$@" \
		2>"$TMP/$t.err" | tee "$TMP/$t.windows" |
		jstats --by window.start --fields logins --stats mean,stddev,p99 >"$TMP/$t.hours"
	local st=("${PIPESTATUS[@]}")
	[ "${st[*]}" = "0 0 0 0 0 0" ] || { fail "spark-kafka-$t-pipeline" "exit statuses ${st[*]}: $(cat "$TMP/$t.kerr")"; return 1; }
}

# the greatest event time of a login - 10 minutes, in epoch microseconds,
# by Python's reading (both jobs filter before their watermark)
final_wm() {
	python3 -c '
import datetime, json, sys
t = max(datetime.datetime.fromisoformat(r["timestamp"])
        for r in map(json.loads, open(sys.argv[1])) if r["action"] == "login")
e = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
print((t - e) // datetime.timedelta(microseconds=1) - 600 * 10**6)' "$1"
}

# --- job1, job4: nothing late, the same windows and numbers
same() {	# TOPIC
	local t=$1 wm sw batches
	wm=$(final_wm "$TMP/$t.ev")
	sw=$(cat "$TMP/spark/$t.watermark")
	batches=$(cat "$TMP/spark/$t.batches")
	if [ "$sw" != "$wm" ]; then
		fail spark-kafka-$t-watermark "Spark's final watermark is $sw, expected $wm"
	elif [ "$batches" -lt 3 ]; then
		fail spark-kafka-$t-watermark "Spark read the topic in $batches micro-batches, wanted 3"
	else
		ok "spark-kafka-$t-watermark (Spark's final watermark $wm after $batches micro-batches)"
	fi
	kpipe $t || return
	if [ -s "$TMP/$t.err" ]; then
		fail spark-kafka-$t-nothing-late "jwindow: $(head -c 300 "$TMP/$t.err")"
	else
		ok spark-kafka-$t-nothing-late
	fi
	compare spark-kafka-$t-windows "$TMP/$t.windows" "$TMP/spark/$t.windows" --until "$wm"
	# jstats's hours that end by the watermark, cut here rather than by
	# compare.py --subset, which would hide an hour Spark lacks
	python3 -c '
import datetime, json, sys
e = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
for l in open(sys.argv[1]):
    s = datetime.datetime.fromisoformat(json.loads(l)["window.start"])
    if (s - e) // datetime.timedelta(microseconds=1) + 3600 * 10**6 <= int(sys.argv[2]):
        sys.stdout.write(l)' "$TMP/$t.hours" "$wm" >"$TMP/$t.closed-hours"
	compare spark-kafka-$t-hour-stats "$TMP/$t.closed-hours" "$TMP/spark/$t.hours" --key window.start
}
same job1
same job4

# --- late: bounds
lwm=$(final_wm "$TMP/late.ev")
if [ "$(cat "$TMP/spark/late.watermark")" != "$lwm" ]; then
	fail spark-kafka-late-bounds "Spark's final watermark is $(cat "$TMP/spark/late.watermark"), expected $lwm"
elif kpipe late --late "$TMP/late.late"; then
	if out=$(python3 -c '
import collections, datetime, json, sys
E = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
H = 3600 * 10**6
def us(s):
    return (datetime.datetime.fromisoformat(s) - E) // datetime.timedelta(microseconds=1)
jw_path, late_path, spark_path, wm = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
jw = {(us(r["window"]["start"]), r["user"]): r["logins"] for r in map(json.loads, open(jw_path))}
late = collections.Counter()
for d in map(json.loads, open(late_path)):
    r = json.loads(d["raw"])
    late[(us(r["timestamp"]) // H * H, r["user"])] += 1
sp = {(r["window"]["start"], r["user"]): r["logins"] for r in map(json.loads, open(spark_path))}
bad = ["Spark %r: %d, outside jwindow %d + late %d" % (k, n, jw.get(k, 0), late[k])
       for k, n in sp.items() if not jw.get(k, 0) <= n <= jw.get(k, 0) + late[k]]
bad += ["jwindow %r ends by the watermark, Spark lacks it" % (k,)
        for k in jw if k[0] + H <= wm and k not in sp]
if not late:
    bad.append("jwindow reported no late record: the input tests nothing")
if bad:
    sys.exit("; ".join(bad[:5]))
print("%d windows, %d records late for jwindow, %d more counted by Spark" %
      (len(sp), sum(late.values()), sum(sp.values()) - sum(jw.get(k, 0) for k in sp)))
' "$TMP/late.windows" "$TMP/late.late" "$TMP/spark/late.windows" "$lwm" 2>&1); then
		ok "spark-kafka-late-bounds ($out)"
	else
		fail spark-kafka-late-bounds "$out"
	fi
fi
