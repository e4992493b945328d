#!/usr/bin/env python3
"""gen_stream.py LEFT RIGHT [options]: two streams to join, in arrival order.

LEFT holds ad impressions {"ad":..,"lt":..,"a":..,"x":..}, RIGHT clicks
{"ad":..,"rt":..,"b":..,"x":..}: most clicks follow an impression of their
ad by -10 to 90 minutes (so some fall outside a -5m,1h bound), some are
for ads never shown.  Times are RFC 3339 with milliseconds, one event per
--step seconds on average.  Each file is in arrival order: sorted by event
time plus a random delay of up to --disorder seconds, so that a row is at
most --disorder seconds behind the latest time before it (a watermark delay
longer than that makes no row late).  --late N moves N random rows further
back, by 2 to 3 times --disorder.  --nulls P gives a fraction P of rows a
null or missing key.  --sentinel adds a last row to each file, far in the
future, of a key of its own, so that a streaming engine's watermark passes
every other row.  Deterministic for a --seed."""
import argparse, datetime, json, random

ap = argparse.ArgumentParser()
ap.add_argument("left")
ap.add_argument("right")
ap.add_argument("-n", type=int, default=1000, help="impressions")
ap.add_argument("--keys", type=int, default=50)
ap.add_argument("--step", type=float, default=10.0)
ap.add_argument("--disorder", type=float, default=60.0)
ap.add_argument("--late", type=int, default=0)
ap.add_argument("--nulls", type=float, default=0.0)
ap.add_argument("--sentinel", action="store_true")
ap.add_argument("--seed", type=int, default=1)
a = ap.parse_args()
rnd = random.Random(a.seed)
T0 = datetime.datetime(2024, 3, 1, tzinfo=datetime.timezone.utc).timestamp()


def stamp(t):
    ms = int(round(t * 1000))
    d = datetime.datetime.fromtimestamp(ms // 1000, datetime.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S") + ".%03dZ" % (ms % 1000)


def key(i):
    if i > 2 and rnd.random() < a.nulls:
        return rnd.choice(["null", "missing"])
    return "ad%d" % rnd.randrange(a.keys)


left, right = [], []
for i in range(a.n):
    t = T0 + i * a.step + rnd.random() * a.step
    k = key(i)
    left.append((t, k, {"lt": stamp(t), "a": i, "x": "L%d" % i}))
    for _ in range(rnd.choice([0, 0, 1, 1, 1, 2])):
        ct = t + rnd.uniform(-600, 5400)
        right.append((ct, k, {"rt": stamp(ct), "b": len(right), "x": "R%d" % len(right)}))
    if rnd.random() < 0.2:
        ct = t + rnd.uniform(0, 600)
        right.append((ct, "zz%d" % i, {"rt": stamp(ct), "b": len(right), "x": "R%d" % len(right)}))


def arrange(rows, timef):
    order = sorted(rows, key=lambda r: r[0] + rnd.random() * a.disorder)
    for _ in range(a.late):
        i = rnd.randrange(len(order) // 2, len(order))
        t, k, rec = order[i]
        t -= a.disorder * rnd.uniform(2, 3)
        rec[timef] = stamp(t)
        order[i] = (t, k, rec)
    return order


def write(path, rows, timef, sentinel):
    with open(path, "w") as f:
        for t, k, rec in rows:
            r = {}
            if k != "missing":
                r["ad"] = None if k == "null" else k
            r.update(rec)
            f.write(json.dumps(r, separators=(",", ":")) + "\n")
        if a.sentinel:
            end = max(r[0] for r in rows) + 30 * 86400
            f.write(json.dumps({"ad": sentinel, timef: stamp(end), ("a" if timef == "lt" else "b"): -1,
                                "x": sentinel}, separators=(",", ":")) + "\n")


write(a.left, arrange(left, "lt"), "lt", "~endL")
write(a.right, arrange(right, "rt"), "rt", "~endR")
