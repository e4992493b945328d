#!/usr/bin/env python3
"""Generate sample events, one JSON object per line (~110 bytes each):
{"user":"u042","action":"login","timestamp":"2024-03-01T12:00:07.250Z","latency_ms":123,"bytes":5120,"ok":true}

Deterministic for a given --seed.  Timestamps advance by --step seconds on
average with up to --disorder seconds of random disorder, as a real topic.
"""
import argparse, datetime, json, random, sys

ap = argparse.ArgumentParser()
ap.add_argument("-n", type=int, default=1000)
ap.add_argument("--users", type=int, default=1000)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--start", default="2024-03-01T00:00:00")
ap.add_argument("--step", type=float, default=0.01, help="mean seconds between events")
ap.add_argument("--disorder", type=float, default=30.0, help="max seconds out of order")
ap.add_argument("--epoch", action="store_true", help="timestamp as epoch milliseconds")
a = ap.parse_args()

rnd = random.Random(a.seed)
t0 = datetime.datetime.fromisoformat(a.start).replace(tzinfo=datetime.timezone.utc).timestamp()
actions = ["login", "view", "click", "purchase", "logout"]
weights = [20, 40, 25, 5, 10]
out = sys.stdout
for i in range(a.n):
    t = t0 + i * a.step - rnd.random() * a.disorder
    ms = int(t * 1000)
    if a.epoch:
        ts = ms
    else:
        ts = datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)
    ev = {"user": "u%03d" % rnd.randrange(a.users), "action": rnd.choices(actions, weights)[0],
          "timestamp": ts, "latency_ms": int(rnd.lognormvariate(4.5, 0.6)),
          "bytes": rnd.randrange(100, 100000), "ok": rnd.random() > 0.05}
    out.write(json.dumps(ev, separators=(",", ":")) + "\n")
