#!/usr/bin/env python3
"""The ad-attribution job (tests/pipeline/ads.sh): its data and its answer.

  ads.py gen DIR       write DIR/users.kv (kcat -K: lines: KEY:JSON, or
                       KEY: for a tombstone), DIR/imps.ndjson and
                       DIR/clicks.ndjson (each in event-time order; some
                       clicks delivered twice, some too late to count, some
                       for no impression)
  ads.py check DIR GOT  GOT (NDJSON: window.start, country, clicks) must be
                       what Python alone computes from DIR: each click once,
                       joined with its impression when it came within an
                       hour of it, enriched with the user's latest row
                       (a deleted user's clicks drop out), counted per
                       country and hour of the click.  Prints "ok" or the
                       differences and exits 1.

Deterministic; no part of kpipe is used.
"""
import datetime, json, os, random, sys
from collections import Counter

T0 = datetime.datetime(2024, 3, 1, tzinfo=datetime.timezone.utc)
COUNTRIES = ["DE", "FR", "US", "BR", "JP"]


def rfc3339(ms):
    d = T0 + datetime.timedelta(milliseconds=ms)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)


def gen(d):
    rnd = random.Random(7)
    users = ["u%02d" % i for i in range(1, 31)]
    with open(os.path.join(d, "users.kv"), "w") as f:
        for u in users:
            f.write("%s:%s\n" % (u, json.dumps({"user": u, "country": rnd.choice(COUNTRIES)})))
        for u in rnd.sample(users, 6):   # moved: the later row counts
            f.write("%s:%s\n" % (u, json.dumps({"user": u, "country": rnd.choice(COUNTRIES)})))
        for u in rnd.sample(users, 2):   # deleted
            f.write("%s:\n" % u)
    imps, clicks = [], []
    t = 0
    for i in range(2000):
        t += rnd.randint(1000, 20000)
        imp = {"imp": "i%05d" % i, "user": rnd.choice(users), "ad": "a%d" % rnd.randint(1, 5), "ts": t}
        imps.append(imp)
        if rnd.random() < 0.4:
            # Up to 80 minutes later: those after the hour do not count.
            clicks.append({"click": "c%05d" % i, "imp": imp["imp"], "at": t + rnd.randint(0, 80 * 60000)})
    for j in range(40):   # clicks for impressions that never were
        clicks.append({"click": "x%03d" % j, "imp": "i9%04d" % j, "at": rnd.randint(0, t)})
    clicks.sort(key=lambda c: c["at"])
    out = []
    for c in clicks:
        out.append(c)
        if rnd.random() < 0.15:   # delivered again (at-least-once)
            out.append(c)
    with open(os.path.join(d, "imps.ndjson"), "w") as f:
        for r in imps:
            f.write(json.dumps(dict(r, ts=rfc3339(r["ts"]))) + "\n")
    with open(os.path.join(d, "clicks.ndjson"), "w") as f:
        for r in out:
            f.write(json.dumps(dict(r, at=rfc3339(r["at"]))) + "\n")


def ms(s):
    return round((datetime.datetime.fromisoformat(s.replace("Z", "+00:00")) - T0).total_seconds() * 1000)


def check(d, got):
    table = {}
    with open(os.path.join(d, "users.kv")) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition(":")
            if v:
                table[k] = json.loads(v)
            else:
                table.pop(k, None)
    imps = {}
    with open(os.path.join(d, "imps.ndjson")) as f:
        for line in f:
            r = json.loads(line)
            imps[r["imp"]] = r
    seen, want = set(), Counter()
    with open(os.path.join(d, "clicks.ndjson")) as f:
        for line in f:
            c = json.loads(line)
            if c["click"] in seen:
                continue
            seen.add(c["click"])
            i = imps.get(c["imp"])
            if i is None or not 0 <= ms(c["at"]) - ms(i["ts"]) <= 3600000:
                continue
            u = table.get(i["user"])
            if u is None:
                continue
            hour = ms(c["at"]) // 3600000 * 3600000
            want[(rfc3339(hour).replace(".000Z", "Z"), u["country"])] += 1
    have = Counter()
    with open(got) as f:
        for line in f:
            r = json.loads(line)
            start = r["window"]["start"] if isinstance(r.get("window"), dict) else r["window.start"]
            have[(start, r["country"])] += r["clicks"]
    if have == want:
        print("ok")
        return 0
    keys = sorted(set(have) | set(want))
    bad = [(k, want.get(k, 0), have.get(k, 0)) for k in keys if want.get(k, 0) != have.get(k, 0)]
    print("%d of %d (hour, country) counts differ; first: %s" % (len(bad), len(keys), bad[:5]))
    return 1


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2])
    else:
        sys.exit(check(sys.argv[2], sys.argv[3]))
