#!/usr/bin/env python3
"""ref_stream.py LEFT RIGHT KEY LTIME RTIME LOW HIGH HOW [LATE]: the join
jjoin --stream must give, by brute force over every pair of rows, written
as jjoin writes it (jjoin(1), OUTPUT FIELDS), one record per line, sorted.

A pair joins when both have the same non-null KEY (a top-level field of
that name on both sides) and right time - left time lies in [LOW, HIGH]
seconds, both ends included.  left/right/full add each row of that side
that joined nothing, with the other side's fields null.  The rows that
jjoin reported late (LATE, its --late file) are left out first: every other
row must join as if the whole streams were one table each, whatever
order they came in."""
import datetime, json, sys

left_f, right_f, key, ltime, rtime = sys.argv[1:6]
low, high, how = float(sys.argv[6]), float(sys.argv[7]), sys.argv[8]
late = set()
if len(sys.argv) > 9:
    for line in open(sys.argv[9]):
        d = json.loads(line)
        late.add((d["source"], d["line"]))


def seconds(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def rows(path):
    out = []
    for n, line in enumerate(open(path), 1):
        if line.strip() and (path, n) not in late:
            out.append(json.loads(line))
    return out


L, R = rows(left_f), rows(right_f)
lnames = list(dict.fromkeys(k for r in L for k in r))
rnames = list(dict.fromkeys(k for r in R for k in r))


def joined(l, r):
    """left's fields, then right's; the key once; a clashing right name
    gets right_ in front."""
    out = {}
    for k in (l if l is not None else {n: None for n in lnames}):
        out[k] = l[k] if l is not None else None
    if l is None:
        out[key] = r.get(key)
    for k in (r if r is not None else {n: None for n in rnames}):
        if k == key:
            continue
        name = k
        while name in out:
            name = "right_" + name
        out[name] = r[k] if r is not None else None
    return out


out = []
lmatched, rmatched = [False] * len(L), [False] * len(R)
for i, l in enumerate(L):
    for j, r in enumerate(R):
        if l.get(key) is None or r.get(key) is None or l[key] != r[key]:
            continue
        d = seconds(r[rtime]) - seconds(l[ltime])
        if low <= d <= high:
            out.append(joined(l, r))
            lmatched[i] = rmatched[j] = True
if how in ("left", "full"):
    out += [joined(l, None) for i, l in enumerate(L) if not lmatched[i]]
if how in ("right", "full"):
    out += [joined(None, r) for j, r in enumerate(R) if not rmatched[j]]
for line in sorted(json.dumps(o, separators=(",", ":")) for o in out):
    print(line)
