#!/usr/bin/env python3
"""ref.py MODE DELAY_MS < records: what jdedup -k id (--time t
--epoch-unit ms -W/--within DELAY) passes, by the rules of jdedup(1)
written the plain way: prints "pass", "dup" or "late" for each line.

MODE is forever, watermark or within.  A key is held while the watermark
(the greatest t before the record, minus the delay) is below its expiry:
t for watermark (whose key is id and t), t + delay for within.  Held keys
are never removed here, only compared with the watermark, so this shares
nothing with jdedup's table and heap."""
import json, sys

mode, delay = sys.argv[1], int(sys.argv[2]) * 1000
held, top = {}, None
for line in sys.stdin:
    r = json.loads(line)
    key = r.get("id")  # missing and null are one key; 1 == 1.0 in Python
    t = r["t"] * 1000
    wm = None if top is None or mode == "forever" else top - delay
    if wm is not None and t <= wm:
        print("late")
        continue
    if mode == "watermark":
        key = (key, t)
    exp = held.get(key)
    if exp is not None and (wm is None or exp > wm):
        print("dup")
    else:
        held[key] = 0 if mode == "forever" else t + (delay if mode == "within" else 0)
        print("pass")
    if top is None or t > top:
        top = t
