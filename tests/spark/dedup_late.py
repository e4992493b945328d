#!/usr/bin/env python3
"""dedup_late.py EVENTS JDEDUP_OUT JDEDUP_LATE SPARK_SEQS NFILES:
bounds between jdedup -k id --time t -W 10m and Spark's
withWatermark("ts", "10 minutes").dropDuplicates(["id", "ts"]) on input
with late rows, where they may legitimately differ (jdedup(1),
WATERMARK): Spark's watermark, which moves between micro-batches, is
never ahead of jdedup's, so
  - each key (id and instant) passes at most once in each;
  - every key jdedup passes, Spark passes (its first copy that jdedup
    finds in time, Spark finds in time too);
  - every key Spark passes and jdedup does not had all its copies dropped
    as late by jdedup (JDEDUP_LATE, its --late file);
  - both dropped rows as late: some keys had every copy late in Spark
    (never passed there), and so in jdedup;
  - Spark passed exactly the rows that the rule of jdedup(1) passes when
    the input is cut into its NFILES micro-batches and each batch is
    judged by the greatest event time of the batches before the previous
    one, minus the delay (what jdedup(1) says Spark does).
Prints the counts, or what breaks a bound and exits 1."""
import collections, datetime, json, sys

events, kp_out, kp_late, sp_seqs, nfiles = sys.argv[1:]


def key(r):
    t = datetime.datetime.fromisoformat(r["t"].replace("Z", "+00:00"))
    return (r.get("id"), t)


rows = {}
for line in open(events):
    r = json.loads(line)
    rows[r["seq"]] = r
kp = [key(json.loads(l)) for l in open(kp_out)]
late_rows = [json.loads(json.loads(l)["raw"]) for l in open(kp_late)]
late_keys = collections.Counter(key(r) for r in late_rows)
sp = [key(rows[int(l)]) for l in open(sp_seqs)]
copies = collections.Counter(key(r) for r in rows.values())
bad = []
for name, keys in (("jdedup", kp), ("Spark", sp)):
    twice = [k for k, c in collections.Counter(keys).items() if c > 1]
    if twice:
        bad.append("%s passed %d keys twice, e.g. %s" % (name, len(twice), twice[0]))
missing = set(kp) - set(sp)
if missing:
    bad.append("%d keys passed by jdedup and not by Spark, e.g. %s" % (len(missing), sorted(missing)[0]))
extra = set(sp) - set(kp)
unexplained = [k for k in extra if late_keys[k] != copies[k]]
if unexplained:
    bad.append("%d keys Spark passed that jdedup dropped not only as late, e.g. %s" % (len(unexplained), unexplained[0]))
sp_all_late = set(copies) - set(sp)
kp_all_late = set(copies) - set(kp)
if not sp_all_late:
    bad.append("Spark passed every key: the input has no rows late for Spark")


def batch_rule(lines, n):
    """The seqs passed with the watermark two micro-batches behind."""
    per = -(-len(lines) // n)
    batches = [lines[i * per:(i + 1) * per] for i in range(n)]
    tops, held, passed = [], set(), set()
    for b, batch in enumerate(batches):
        wm = max(tops[:b - 1]) - datetime.timedelta(minutes=10) if b >= 2 else None
        for r in batch:
            k = key(r)
            if (wm is None or k[1] > wm) and k not in held:
                held.add(k)
                passed.add(r["seq"])
        tops.append(max(key(r)[1] for r in batch))
    return passed


lines = [json.loads(l) for l in open(events)]
if batch_rule(lines, int(nfiles)) != {int(l) for l in open(sp_seqs)}:
    bad.append("Spark's rows are not those of the rule with the watermark two batches behind")
if bad:
    print("; ".join(bad))
    sys.exit(1)
print("%d keys passed by both, %d more by Spark, all late in jdedup; every copy late: %d keys in Spark, %d in jdedup"
      % (len(kp), len(extra), len(sp_all_late), len(kp_all_late)))
