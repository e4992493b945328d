#!/usr/bin/env python3
"""gen.py -n N --seed S [--disorder SECONDS]: events with duplicates, one JSON object per line:
{"seq":0,"id":"e00000","n":17,"t":"2024-03-01T00:00:00.250Z","user":"u3"}

seq numbers the lines; what jdedup and Spark pass is compared by it.
- t advances 3 s a line with up to 60 s of disorder (--disorder);
- about one line in five is sent again 1 to 20 lines later: half of the
  time the same line with another seq (an exact copy, same t), half of the
  time a retry whose t is 1 to 120 s later;
- about one line in twenty reuses an id last sent 2000 or more lines
  (100 minutes) before;
- id is sometimes spelled with an escape ("\\u0065" for e); line 500 and
  every 1000th line after it has no id or "id":null, which Spark reads as
  null: one key 50 minutes apart, so that Spark, which forgets keys only
  between micro-batches, has forgotten it by the next one as jdedup has;
- n is an integer from 0 to 199 written as 17, 17.0 or 17e0.
With the default disorder nothing is late under a 10-minute watermark:
the greatest time seen is at most 180 s ahead of any line."""
import argparse, datetime, json, random

ap = argparse.ArgumentParser()
ap.add_argument("-n", type=int, default=3000)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--disorder", type=float, default=60, help="max seconds out of order")
a = ap.parse_args()
rnd = random.Random(a.seed)
t0 = datetime.datetime(2024, 3, 1, tzinfo=datetime.timezone.utc)


def stamp(sec):
    return (t0 + datetime.timedelta(seconds=sec)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def spell_id(i):
    s = json.dumps(i)
    return s.replace("e", "\\u0065", 1) if rnd.random() < 0.2 else s


def spell_n(n):
    return rnd.choice(["%d", "%d.0", "%de0"]) % n


pending = {}  # line number -> list of (id, seconds) to send again there
ids, last, seq = [], {}, 0
for i in range(a.n):
    sends = [(None, None)] + pending.pop(i, [])
    for rid, sec in sends:
        if rid is None:
            sec = i * 3 - rnd.random() * a.disorder
            if len(ids) > 2000 and rnd.random() < 0.05:
                rid = ids[rnd.randrange(0, len(ids) - 2000)]
                if last[rid] > i - 2000:
                    rid = "e%05d" % i
            elif i % 1000 == 500:
                rid = "absent" if i % 2000 == 500 else "null"
            else:
                rid = "e%05d" % i
            ids.append(rid)
            last[rid] = i
            if rnd.random() < 0.2:
                later = sec if rnd.random() < 0.5 else sec + rnd.uniform(1, 120)
                pending.setdefault(i + rnd.randint(1, 20), []).append((rid, later))
        fields = ['"seq":%d' % seq]
        if rid == "null":
            fields.append('"id":null')
        elif rid != "absent":
            fields.append('"id":' + spell_id(rid))
        fields.append('"n":' + spell_n(seq % 200 if rnd.random() < 0.5 else rnd.randrange(200)))
        fields.append('"t":"%s"' % stamp(sec))
        fields.append('"user":"u%d"' % rnd.randrange(50))
        print("{" + ",".join(fields) + "}")
        seq += 1
