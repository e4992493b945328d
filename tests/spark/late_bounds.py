#!/usr/bin/env python3
"""late_bounds.py KPIPE LATE SPARK WM: bounds on Spark's answer for input
with late records, 10-minute tumbling windows of count(*) and
sum(latency_ms) by user.

Spark moves its watermark once per micro-batch, from the batches before;
jwindow once per record, from the records before.  Spark's
watermark is therefore never ahead of jwindow's, so every record Spark
drops as late jwindow drops too, and each window Spark emits lies between
jwindow's value and jwindow's value plus the records jwindow reported late
for that window (LATE, from --late):
    jwindow <= Spark <= jwindow + late    (counts and sums; latencies >= 0)
and every jwindow window that ends by Spark's final watermark WM is among
Spark's.  Prints a summary, or the first violations and exits 1."""
import datetime, json, sys

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
US = datetime.timedelta(microseconds=1)
WIN = 600 * 10**6


def micros(s):
    return (datetime.datetime.fromisoformat(s) - EPOCH) // US


kpipe, late_path, spark_path, wm = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
jw = {}
for line in open(kpipe):
    r = json.loads(line)
    jw[(micros(r["window"]["start"]), micros(r["window"]["end"]), r["user"])] = (r["count"], r["sum_latency_ms"])
late = {}
for line in open(late_path):
    r = json.loads(json.loads(line)["raw"])
    start = micros(r["timestamp"]) // WIN * WIN
    c, s = late.get((start, start + WIN, r["user"]), (0, 0))
    late[(start, start + WIN, r["user"])] = (c + 1, s + r["latency_ms"])
sp = {}
for line in open(spark_path):
    r = json.loads(line)
    sp[(r["window"]["start"], r["window"]["end"], r["user"])] = (r["count"], r["sum_latency_ms"])

bad, differ = [], 0
for k, (c, s) in sp.items():
    jc, js = jw.get(k, (0, 0))
    lc, ls = late.get(k, (0, 0))
    if not (jc <= c <= jc + lc and js <= s <= js + ls):
        bad.append("%r: Spark count %d sum %g, jwindow %d %g, late %d %g" % (k, c, s, jc, js, lc, ls))
    differ += c != jc
for k in jw:
    if k[1] <= wm and k not in sp:
        bad.append("%r: jwindow has it, Spark does not" % (k,))
if not late:
    bad.append("no late records: the input does not test what it should")
if bad:
    print("; ".join(bad[:5]))
    sys.exit(1)
print("%d windows from Spark, %d late records in jwindow, %d windows where Spark kept some of them"
      % (len(sp), sum(c for c, _ in late.values()), differ))
