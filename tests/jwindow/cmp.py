#!/usr/bin/env python3
"""cmp.py GOT WANT [KEY...]: the same JSON lines in the same order, numbers
equal to 1e-9 (relative) so that summation order does not matter; arrays
under the KEYs compare as multisets (collect_set's order is Spark's
"non-deterministic").  Prints the first difference and exits 1."""
import json, math, sys


def same(x, y):
    if isinstance(x, bool) or isinstance(y, bool):
        return x is y
    if isinstance(x, (int, float)) and isinstance(y, (int, float)):
        return x == y or math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(x, dict) and isinstance(y, dict):
        return list(x) == list(y) and all(same(x[k], y[k]) for k in x)
    if isinstance(x, list) and isinstance(y, list):
        return len(x) == len(y) and all(same(a, b) for a, b in zip(x, y))
    return x == y


def load(path):
    recs = [json.loads(l) for l in open(path)]
    for r in recs:
        for k in sys.argv[3:]:
            if isinstance(r.get(k), list):
                r[k] = sorted(r[k], key=json.dumps)
    return recs


got = load(sys.argv[1])
want = load(sys.argv[2])
for i, (g, w) in enumerate(zip(got, want)):
    if not same(g, w):
        print("line %d: got %s want %s" % (i + 1, json.dumps(g), json.dumps(w)))
        sys.exit(1)
if len(got) != len(want):
    print("got %d lines, want %d" % (len(got), len(want)))
    sys.exit(1)
