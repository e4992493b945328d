#!/usr/bin/env bash
# jstats against an oracle in exact rational arithmetic (python3
# fractions.Fraction): every statistic is computed exactly from the doubles
# the input holds and rounded once, then compared with jstats' output.
# The data mixes ordinary groups, catastrophic cancellation (1e9 plus a
# spread of 1e-3, where the textbook sum of squares gives garbage), an
# empty group (nulls only), single values, missing fields, numeric strings
# and non-numeric strings.
. "$(dirname "$0")/../lib.sh"

python3 - "$TMP/in.json" <<'EOF'
import json, random, sys
r = random.Random(42)
out = open(sys.argv[1], "w")
def rec(g, x, y=None):
    d = {"g": g}
    if x is not ...: d["x"] = x
    if y is not None: d["y"] = y
    out.write(json.dumps(d) + "\n")
for i in range(400):
    g = "g%d" % r.randrange(4)
    x = r.choice([r.gauss(50, 10), r.randrange(-20, 120), round(r.uniform(0, 1), 3)])
    rec(g, x, x * 2 + r.gauss(0, 5))
for i in range(300):                       # catastrophic cancellation
    rec("cancel", 1e9 + r.randrange(1000) * 1e-6, r.gauss(0, 1))
rec("empty", None); rec("empty", ...); rec("empty", None)
rec("single", 42.5, 1)
rec("strings", "12.5"); rec("strings", "abc"); rec("strings", " -3 ")
rec("strings", 7); rec("strings", True); rec("strings", "7")
EOF

stats=count,sum,mean,min,max,var,var_pop,stddev,stddev_pop,skewness,kurtosis,median,p90,p99.9,p0,p100,distinct,mode,first,last
jstats -g g -f x -a $stats "$TMP/in.json" >"$TMP/out.json" 2>"$TMP/err"
rc=$?
check_eq "exit 1 for non-numeric values" 1 "$rc"
check "warning names file, line and value" grep -q "in.json:[0-9]*: field x: \"abc\" is not a number" "$TMP/err"
check "summary counts non-numeric values" grep -q "field x: 2 non-numeric values" "$TMP/err"
jstats -g g --pair x,y "$TMP/in.json" >"$TMP/pair.json" 2>/dev/null

python3 - "$TMP/in.json" "$TMP/out.json" "$TMP/pair.json" <<'EOF'
import json, math, sys
from fractions import Fraction as F

def num(v):
    """Spark's cast: numbers and numeric strings; None for anything else."""
    if isinstance(v, bool) or v is None: return None
    if isinstance(v, (int, float)): return F(v)
    if isinstance(v, str):
        try: return F(float(v.strip())) if v.strip() and v.strip()[0] in "+-0123456789." else None
        except ValueError: return None
    return None

groups, order = {}, []
for line in open(sys.argv[1]):
    d = json.loads(line)
    g = d["g"]
    if g not in groups: groups[g] = []; order.append(g)
    groups[g].append(d)

def canon(v):
    if isinstance(v, float) and v == int(v): return json.dumps(int(v))
    return json.dumps(v)

def expect(rows):
    raw = [d["x"] for d in rows if d.get("x") is not None]
    xs = [n for n in (num(v) for v in raw) if n is not None]
    n = len(xs)
    e = {"count": len(raw)}
    if n == 0:
        for k in ("sum", "mean", "min", "max", "var", "var_pop", "stddev", "stddev_pop",
                  "skewness", "kurtosis", "median", "p90", "p99.9", "p0", "p100"):
            e[k] = None
    else:
        mean = sum(xs) / n
        m2 = sum((x - mean) ** 2 for x in xs)
        m3 = sum((x - mean) ** 3 for x in xs)
        m4 = sum((x - mean) ** 4 for x in xs)
        e.update(sum=sum(xs), mean=mean, min=min(xs), max=max(xs), var_pop=m2 / n,
                 var=m2 / (n - 1) if n > 1 else None)
        e["stddev"] = None if e["var"] is None else math.sqrt(e["var"])
        e["stddev_pop"] = math.sqrt(m2 / n)
        e["skewness"] = None if m2 == 0 else math.sqrt(n) * float(m3) / float(m2) ** 1.5
        e["kurtosis"] = None if m2 == 0 else float(n * m4 / (m2 * m2)) - 3
        s = sorted(xs)
        for name, p in (("median", F(1, 2)), ("p90", F(9, 10)), ("p99.9", F(999, 1000)),
                        ("p0", F(0)), ("p100", F(1))):
            h = p * (n - 1); lo = math.floor(h); hi = min(lo + 1, n - 1)
            e[name] = s[lo] + (h - lo) * (s[hi] - s[lo])
    keys = []
    for v in raw:
        k = canon(v)
        if k not in keys: keys.append(k)
    e["distinct"] = len(keys)
    counts = {k: 0 for k in keys}
    for v in raw: counts[canon(v)] += 1
    e["mode"] = json.loads(max(keys, key=lambda k: (counts[k], -keys.index(k)))) if keys else None
    e["first"] = raw[0] if raw else None
    e["last"] = raw[-1] if raw else None
    return e

# Tolerance 1e-12 relative everywhere, the cancellation group included:
# the textbook sum of squares is wrong there in the first digit, and even
# unshifted Welford only keeps about four digits.  Percentiles must be
# the double nearest the exact answer.
def close(got, want, rel):
    if want is None or got is None: return got is None and want is None
    if isinstance(want, (str, bool)) or isinstance(got, (str, bool)): return got == want
    want = float(want)
    return got == want or abs(got - want) <= rel * max(abs(want), 1e-300)

out = [json.loads(l) for l in open(sys.argv[2])]
print("ok" if [o["g"] for o in out] == order else "not ok", "groups in first-seen order")
bad = {}
for o in out:
    e = expect(groups[o["g"]])
    for k, want in e.items():
        rel = 0 if k in ("median", "p90", "p99.9", "p0", "p100") else 1e-12
        got = o.get("x_" + k, "MISSING")
        if not close(got, want, rel):
            bad.setdefault(k, []).append("%s: got %r want %r" % (o["g"], got, float(want) if isinstance(want, F) else want))
for k in expect(groups["g0"]):
    print(("ok x_%s" % k) if k not in bad else ("not ok x_%s: %s" % (k, "; ".join(bad[k][:3]))))

# Pairs: both values numeric.
bad = []
for o in (json.loads(l) for l in open(sys.argv[3])):
    ps = [(num(d.get("x")), num(d.get("y"))) for d in groups[o["g"]]]
    ps = [(x, y) for x, y in ps if x is not None and y is not None]
    n = len(ps)
    if n == 0:
        want = (None, None, None)
    else:
        mx = sum(x for x, _ in ps) / n; my = sum(y for _, y in ps) / n
        c = sum((x - mx) * (y - my) for x, y in ps)
        sx = sum((x - mx) ** 2 for x, _ in ps); sy = sum((y - my) ** 2 for _, y in ps)
        want = (c / (n - 1) if n > 1 else None, c / n,
                None if n < 2 or sx == 0 or sy == 0 else float(c) / math.sqrt(float(sx) * float(sy)))
    for k, w in zip(("cov_samp", "cov_pop", "corr"), want):
        if not close(o.get("x_y_" + k, "MISSING"), w, 1e-12):
            bad.append("%s %s: got %r want %r" % (o["g"], k, o.get("x_y_" + k), w if w is None else float(w)))
print("ok pairs cov_samp cov_pop corr" if not bad else "not ok pairs: " + "; ".join(bad[:3]))
EOF
