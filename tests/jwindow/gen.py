#!/usr/bin/env python3
"""gen.py SEED FILE: a random event stream for jwindow (epoch ms times with
disorder, before and after 1970, keys of several JSON types, values that are
numbers, numeric strings, other strings, null or missing, a few records
without a time) written to FILE, and on stdout a random window
configuration as jwindow/ref.py options, one per line."""
import json, random, sys

rnd = random.Random(int(sys.argv[1]))
kind = rnd.choice(["tumble", "slide", "session"])
opts = []
if kind == "tumble":
    opts += ["--tumble=%ds" % rnd.choice([5, 7, 10, 60])]
elif kind == "slide":
    size = rnd.choice([6, 10, 30])
    slide = rnd.choice([s for s in (1, 2, 3, 4, 5, 7, 10) if s <= size])
    opts += ["--window=%ds" % size, "--slide=%ds" % slide]
if kind != "session":
    slide_ms = int(opts[-1].split("=")[1][:-1]) * 1000
    if rnd.random() < 0.5:
        opts += ["--offset=%dms" % rnd.randrange(-slide_ms + 1, slide_ms)]
else:
    opts += ["--session=%dms" % rnd.choice([500, 2000, 5000])]
wm = rnd.choice([None, 0, 3, 10, 40])
if wm is not None:
    opts += ["--watermark=%ds" % wm]

base = rnd.randrange(-200000, 200000) * 1000
step = rnd.choice([100, 700, 2000])
disorder = rnd.choice([0, 5000, 30000])
users = ["a", "b", "c", 7, None, "missing", {"k": 1}]
with open(sys.argv[2], "w") as f:
    for i in range(rnd.randrange(150, 400)):
        r = {"ts": base + i * step - rnd.randrange(0, disorder + 1)}
        u = rnd.choice(users)
        if u != "missing":
            r["user"] = u
        x = rnd.choice([rnd.randrange(-50, 100), round(rnd.random() * 10, 3), None,
                        "12.5", "x", "missing", rnd.randrange(0, 3)])
        if x != "missing":
            r["x"] = x
        r["y"] = rnd.randrange(0, 10)
        if rnd.random() < 0.02:
            del r["ts"]
        f.write(json.dumps(r) + "\n")
print("\n".join(opts))
