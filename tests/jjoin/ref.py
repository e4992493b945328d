#!/usr/bin/env python3
"""A brute-force reference of jjoin's table mode, written from jjoin(1)
alone: for every stream record, every table row is compared (no index),
keys by value identity as Python sees JSON values (1 == 1.0, decoded
strings; a null or absent key field matches nothing), and the output
fields named by the OUTPUT FIELDS rule.  Prints the expected records.

    ref.py HOW ON STREAM TABLE [PREFIX]
"""
import json
import sys

how, on, sfile, tfile = sys.argv[1:5]
prefix = sys.argv[5].split(",") if len(sys.argv) > 5 else None
pairs = [p.split("=", 1) if "=" in p else [p, p] for p in on.split(",")]


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def ident(v):
    """A Python value that is equal exactly when JSON values are the same key."""
    if isinstance(v, bool):
        return ("bool", v)
    if isinstance(v, (int, float)):
        return ("num", v)
    if isinstance(v, str):
        return ("str", v)
    return ("other", json.dumps(v, sort_keys=True))


def key(rec, side):
    vals = []
    for p in pairs:
        v = rec.get(p[side])
        if v is None:
            return None
        vals.append(ident(v))
    return tuple(vals)


stream, table = load(sfile), load(tfile)
same = {l for l, r in pairs if l == r}
lkeys = {l for l, r in pairs}
rkeys = {r for l, r in pairs}
names = []
for row in table:
    for k in row:
        if k not in names:
            names.append(k)


def joined(left, right):
    out = []
    for k, v in left.items():
        out.append(((prefix[0] + k) if prefix and k not in lkeys else k, v))
    taken = {k for k, _ in out}
    src = right.items() if right is not None else [(k, None) for k in names]
    for k, v in src:
        if k in same:
            continue
        name = (prefix[1] + k) if prefix and k not in rkeys else k
        while name in taken:
            name = "right_" + name
        out.append((name, v))
    return out


for left in stream:
    lk = key(left, 0)
    matches = [r for r in table if lk is not None and key(r, 1) == lk]
    if how == "semi":
        if matches:
            print(json.dumps(list(left.items())))
    elif how == "anti":
        if not matches:
            print(json.dumps(list(left.items())))
    else:
        for r in matches:
            print(json.dumps(joined(left, r)))
        if how == "left" and not matches:
            print(json.dumps(joined(left, None)))
