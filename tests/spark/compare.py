#!/usr/bin/env python3
"""compare.py [--key F,...] [--sorted-lists] [--until MICROS] [--subset] KPIPE SPARK

Compares kpipe's JSON lines with Spark's, as sets of rows keyed by the
--key fields (default window,user).  A key "window" is an object whose
start and end are compared as epoch microseconds (kpipe prints RFC 3339,
spark_*.py prints microseconds); "window.start" likewise.  Both sides must
have the same keys and the same columns; numbers must agree to 1e-9
relative (summation order differs between the two), nulls with nulls.
--sorted-lists compares arrays as sorted lists.  --until keeps only the
kpipe rows whose window ends at or before MICROS (what a streaming Spark
query has emitted by its final watermark).  --subset ignores kpipe's rows
that Spark lacks, for a later stage of a stream whose key is not a window.
Prints the number of rows compared, or the first differences and exits 1."""
import argparse, datetime, json, math, sys

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)

ap = argparse.ArgumentParser()
ap.add_argument("--key", default="window,user")
ap.add_argument("--sorted-lists", action="store_true")
ap.add_argument("--until", type=int)
ap.add_argument("--subset", action="store_true")
ap.add_argument("kpipe")
ap.add_argument("spark")
a = ap.parse_args()
keys = a.key.split(",")


def micros(v):
    if isinstance(v, int):
        return v
    return (datetime.datetime.fromisoformat(v) - EPOCH) // datetime.timedelta(microseconds=1)


def keyof(r):
    k = []
    for f in keys:
        v = r[f]
        if f == "window":
            k.append((micros(v["start"]), micros(v["end"])))
        elif f.startswith("window"):
            k.append(micros(v))
        else:
            k.append(v)
    return tuple(k)


def load(path):
    rows = {}
    for n, line in enumerate(open(path), 1):
        r = json.loads(line)
        k = keyof(r)
        if k in rows:
            sys.exit("%s:%d: a second row for %r" % (path, n, k))
        rows[k] = {c: v for c, v in r.items() if c not in keys}
    return rows


def same(x, y):
    if isinstance(x, bool) or isinstance(y, bool) or x is None or y is None:
        return x is y
    if isinstance(x, (int, float)) and isinstance(y, (int, float)):
        return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-300)
    if isinstance(x, list) and isinstance(y, list):
        if a.sorted_lists:
            x, y = sorted(x, key=json.dumps), sorted(y, key=json.dumps)
        return len(x) == len(y) and all(same(p, q) for p, q in zip(x, y))
    return x == y


kp, sp = load(a.kpipe), load(a.spark)
if a.until is not None:
    kp = {k: v for k, v in kp.items() if k[keys.index("window")][1] <= a.until}
if a.subset:
    kp = {k: v for k, v in kp.items() if k in sp}
bad = []
for k in sorted(set(kp) - set(sp), key=repr)[:3]:
    bad.append("only kpipe has %r" % (k,))
for k in sorted(set(sp) - set(kp), key=repr)[:3]:
    bad.append("only Spark has %r" % (k,))
for k in sorted(set(kp) & set(sp), key=repr):
    if len(bad) >= 6:
        break
    x, y = kp[k], sp[k]
    if sorted(x) != sorted(y):
        bad.append("%r: kpipe columns %s, Spark columns %s" % (k, sorted(x), sorted(y)))
        continue
    for c in x:
        if not same(x[c], y[c]):
            bad.append("%r %s: kpipe %s, Spark %s" % (k, c, json.dumps(x[c]), json.dumps(y[c])))
if bad:
    print("%d rows from kpipe, %d from Spark; %s" % (len(kp), len(sp), "; ".join(bad)))
    sys.exit(1)
if not sp:
    print("no rows on either side: nothing was compared")
    sys.exit(1)
print("%d rows" % len(sp))
