# jstats and jwindow share one aggregate registry: every aggregate both
# know gives the same value on the same data (jstats per group against one
# jwindow window per group spanning all records), and python3 computes the
# expected values independently: exactly for count, min, max, first, last,
# distinct, mode, collect_list and collect_set; within rounding for the
# moments and percentiles.
. "$(dirname "$0")/../lib.sh"

python3 - "$TMP/in.json" <<'EOF_PY'
import json, random, sys
random.seed(11)
with open(sys.argv[1], "w") as f:
    for i in range(3000):
        r = {"t": 1700000000 + i, "g": random.choice(["a", "b", "c"])}
        k = random.random()
        if k < 0.05:
            pass                                    # x missing
        elif k < 0.10:
            r["x"] = None
        elif k < 0.15:
            r["x"] = random.choice(["s1", "s\u00e9", "1"])   # strings ("1" is a number to sums)
        elif k < 0.40:
            r["x"] = random.randint(-50, 50)
        else:
            r["x"] = round(random.uniform(-100, 100), random.choice([0, 1, 2]))
        r["y"] = random.randint(0, 1000) if random.random() < 0.9 else None
        # ids: big integers beyond a double's 53 bits, and the same value
        # written two ways
        r["id"] = random.choice([9007199254740993, 9007199254740992, 123456789012345678901234567890,
                                 -9007199254740993, 7, 7.0])
        f.write(json.dumps(r).replace("7.0}", "7.00}") + "\n")
EOF_PY

# name in jstats -s, call in jwindow --agg; each pair is the same aggregate.
stats='count,sum,mean,min,max,var,var_pop,stddev,stddev_pop,skewness,kurtosis,median,p90,approx_percentile(0.9),distinct,approx_distinct,collect_list,collect_set,first,last,mode'
aggs='count(x) AS count, sum(x) AS sum, avg(x) AS mean, min(x) AS min, max(x) AS max, variance(x) AS var, var_pop(x) AS var_pop, stddev(x) AS stddev, stddev_pop(x) AS stddev_pop, skewness(x) AS skewness, kurtosis(x) AS kurtosis, percentile(x, 0.5) AS median, p90(x) AS p90, approx_percentile(x, 0.9) AS "approx_percentile(0.9)", count_distinct(x) AS distinct, approx_count_distinct(x) AS approx_distinct, collect_list(x) AS collect_list, collect_set(x) AS collect_set, first(x) AS first, last(x) AS last, mode(x) AS mode'
idstats='min,max,first,last,mode,distinct,collect_set'
idaggs='min(id) AS min, max(id) AS max, first(id) AS first, last(id) AS last, mode(id) AS mode, count_distinct(id) AS distinct, collect_set(id) AS collect_set'

jstats -q -b g -f x -s "$stats" "$TMP/in.json" >"$TMP/js-x" 2>/dev/null
jstats -q -b g -f id -s "$idstats" "$TMP/in.json" >"$TMP/js-id" 2>/dev/null
jstats -q -b g --pair x,y -s covar_samp,covar_pop,corr "$TMP/in.json" >"$TMP/js-xy" 2>/dev/null
win=(--time t --epoch-unit s --tumble 1d --by g)
jwindow -q "${win[@]}" --agg "$aggs" "$TMP/in.json" >"$TMP/jw-x" 2>/dev/null
jwindow -q "${win[@]}" --agg "$idaggs" "$TMP/in.json" >"$TMP/jw-id" 2>/dev/null
jwindow -q "${win[@]}" --agg 'covar_samp(x, y) AS covar_samp, covar_pop(x, y) AS covar_pop, corr(x, y) AS corr' \
	"$TMP/in.json" >"$TMP/jw-xy" 2>/dev/null

python3 - "$TMP" <<'EOF_PY'
import json, math, sys
from decimal import Decimal
from fractions import Fraction

tmp = sys.argv[1]
def load(path):
    # numbers as exact decimals: the text is what is compared
    return [json.loads(l, parse_float=Decimal, parse_int=Decimal) for l in open(path)]
def by_group(rows, prefix):
    out = {}
    for r in rows:
        out[r["g"]] = {k[len(prefix):]: v for k, v in r.items() if k.startswith(prefix)}
    return out

def report(name, good, detail=""):
    print(("ok " if good else "not ok ") + name + ("" if good else ": " + detail[:300]))

recs = [json.loads(l, parse_float=Decimal, parse_int=Decimal) for l in open(tmp + "/in.json")]
raw = [l for l in open(tmp + "/in.json")]

def num(v):
    if isinstance(v, Decimal):
        return v
    if isinstance(v, str):
        try:
            return Decimal(v)
        except Exception:
            return None
    return None

def ident(v):
    if isinstance(v, Decimal):
        return ("n", v.normalize() if v else Decimal(0))
    return ("s", json.dumps(v, sort_keys=True))

def expected(rows, field):
    vals = [r.get(field) for r in rows]
    present = [v for v in vals if v is not None]
    nums = [num(v) for v in present if num(v) is not None]
    e = {"count": len(present)}
    e["min"] = min(nums) if nums else None
    e["max"] = max(nums) if nums else None
    e["first"], e["last"] = vals[0], vals[-1]
    seen, counts = {}, {}
    for v in present:
        seen.setdefault(ident(v), v)
        counts[ident(v)] = counts.get(ident(v), 0) + 1
    e["distinct"] = len(seen)
    e["collect_set"] = list(seen.values())
    e["collect_list"] = present
    if counts:
        best = max(counts.values())
        e["mode"] = next(v for k, v in seen.items() if counts[k] == best)
    fr = [Fraction(x) for x in nums]
    if fr:
        n = len(fr); mean = sum(fr) / n
        m2 = sum((x - mean) ** 2 for x in fr)
        m3 = sum((x - mean) ** 3 for x in fr)
        m4 = sum((x - mean) ** 4 for x in fr)
        e["sum"] = float(sum(fr)); e["mean"] = float(mean)
        e["var"] = float(m2 / (n - 1)); e["var_pop"] = float(m2 / n)
        e["stddev"] = math.sqrt(e["var"]); e["stddev_pop"] = math.sqrt(e["var_pop"])
        e["skewness"] = float(m3 / n) / float(m2 / n) ** 1.5
        e["kurtosis"] = float(m4 / n) / float(m2 / n) ** 2 - 3
        s = sorted(fr)
        for name, p in (("median", Fraction(1, 2)), ("p90", Fraction(9, 10))):
            h = p * (n - 1); lo = math.floor(h); hi = min(lo + 1, n - 1)
            e[name] = float(s[lo] + (s[hi] - s[lo]) * (h - lo))
        e["approx_percentile(0.9)"] = float(s[max(1, math.ceil(Fraction(9, 10) * n)) - 1])
    return e

exact = {"count", "min", "max", "first", "last", "distinct", "collect_set", "collect_list", "mode",
         "approx_percentile(0.9)"}

for field, jsf, jwf in (("x", "js-x", "jw-x"), ("id", "js-id", "jw-id")):
    js = by_group(load(tmp + "/" + jsf), field + "_")
    jw = {r["g"]: {k: v for k, v in r.items() if k not in ("g", "window")} for r in load(tmp + "/" + jwf)}
    report(f"groups {field}", sorted(js) == ["a", "b", "c"] and sorted(jw) == ["a", "b", "c"],
           f"jstats {sorted(js)} jwindow {sorted(jw)}")
    for g in sorted(js):
        rows = [r for r in recs if r["g"] == g]
        e = expected(rows, field)
        for name, v in js[g].items():
            w = jw[g].get(name, "missing")
            report(f"same {field} {name} g={g}", json.dumps(v, default=str) == json.dumps(w, default=str),
                   f"jstats {v} jwindow {w}")
            if name not in e:
                continue
            want = e[name]
            if name in exact:
                if name in ("collect_set", "collect_list", "first", "last", "mode", "min", "max"):
                    good = json.dumps(v, default=str) == json.dumps(want, default=str)
                elif name == "approx_percentile(0.9)":
                    good = v is not None and float(v) == want
                else:
                    good = Decimal(v) == Decimal(want) if v is not None else want is None
            else:
                good = v is not None and math.isclose(float(v), want, rel_tol=1e-9, abs_tol=1e-9)
            report(f"oracle {field} {name} g={g}", good, f"got {v} want {want}")
        if field == "x":
            n = len([1 for r in rows if r.get(field) is not None])
            good = abs(float(js[g]["approx_distinct"]) - e["distinct"]) <= 0.1 * e["distinct"] + 1
            report(f"oracle x approx_distinct g={g}", good, f"{js[g]['approx_distinct']} vs {e['distinct']}")

js = by_group(load(tmp + "/js-xy"), "x_y_")
jw = {r["g"]: r for r in load(tmp + "/jw-xy")}
report("groups x,y", sorted(js) == ["a", "b", "c"] and sorted(jw) == ["a", "b", "c"],
       f"jstats {sorted(js)} jwindow {sorted(jw)}")
for g in sorted(js):
    pairs = [(Fraction(num(r.get("x"))), Fraction(r["y"])) for r in recs
             if r["g"] == g and num(r.get("x")) is not None and r.get("y") is not None]
    n = len(pairs); mx = sum(p[0] for p in pairs) / n; my = sum(p[1] for p in pairs) / n
    c = sum((x - mx) * (y - my) for x, y in pairs)
    sx = sum((x - mx) ** 2 for x, _ in pairs); sy = sum((y - my) ** 2 for _, y in pairs)
    want = {"covar_samp": float(c / (n - 1)), "covar_pop": float(c / n),
            "corr": float(c) / math.sqrt(float(sx) * float(sy))}
    for name in want:
        v, w = js[g][name], jw[g][name]
        report(f"same {name} g={g}", v == w, f"jstats {v} jwindow {w}")
        report(f"oracle {name} g={g}", math.isclose(float(v), want[name], rel_tol=1e-9), f"{v} vs {want[name]}")
EOF_PY
