#!/usr/bin/env python3
"""A brute-force reference for jwindow, written from the rules of jwindow(1)
and not from jwindow's code: every record is kept, windows are found by
trying every candidate start, and each aggregate is computed from the
kept records when its window is emitted.  Slow and simple on purpose.

Understands a subset of jwindow's options: --time FIELD (epoch numbers in
--epoch-unit, or RFC 3339 with Z), --tumble/--window/--slide/--offset or
--session, --watermark, --by (top-level fields), --agg with count(*),
count(f), sum, avg, min, max, var_samp, var_pop, stddev, stddev_pop,
collect_list, collect_set, count_distinct, first, last, percentile(f, p),
approx_percentile(f, p), corr(x, y), covar_samp(x, y).  Durations: Ns,
Nms, Nm, Nh.
"""
import argparse, datetime, json, math, re, sys
from fractions import Fraction

ap = argparse.ArgumentParser()
ap.add_argument("--time", required=True)
ap.add_argument("--epoch-unit", default="s")
ap.add_argument("--tumble")
ap.add_argument("--window")
ap.add_argument("--slide")
ap.add_argument("--offset", default="0s")
ap.add_argument("--session")
ap.add_argument("--watermark")
ap.add_argument("--by", default="")
ap.add_argument("--agg", required=True)
ap.add_argument("file")
a = ap.parse_args()

UNITS = {"ms": 1000, "s": 10**6, "m": 60 * 10**6, "h": 3600 * 10**6}


def dur(s):
    m = re.fullmatch(r"(-?\d+)(ms|s|m|h)", s)
    if not m:
        sys.exit("ref.py: bad duration " + s)
    return int(m.group(1)) * UNITS[m.group(2)]


def parse_time(v):
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        scale = {"s": 10**6, "ms": 1000, "us": 1}[a.epoch_unit]
        return int(Fraction(str(v)) * scale)
    if isinstance(v, str):
        m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?Z", v)
        if not m:
            return None
        d = datetime.datetime(*map(int, m.groups()[:6]), tzinfo=datetime.timezone.utc)
        epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
        frac = int((m.group(7) or "0").ljust(6, "0"))
        return (d - epoch) // datetime.timedelta(microseconds=1) + frac
    return None


def fmt_time(us):
    d = datetime.datetime(1970, 1, 1) + datetime.timedelta(microseconds=us)
    s = d.strftime("%Y-%m-%dT%H:%M:%S")
    f = us % 10**6
    if f % 1000 == 0 and f:
        s += ".%03d" % (f // 1000)
    elif f:
        s += ".%06d" % f
    return s + "Z"


# --agg: func(args) [AS name], split at top-level commas.
def split_top(s):
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
            continue
        depth += ch in "(["
        depth -= ch in ")]"
        cur += ch
    out.append(cur)
    return [x.strip() for x in out]


aggs = []
for item in split_top(a.agg):
    m = re.fullmatch(r"(\w+)\s*\((.*)\)(?:\s+[aA][sS]\s+(\w+))?", item)
    func, args, alias = m.group(1).lower(), split_top(m.group(2)), m.group(3)
    if func == "count" and args in ([""], ["*"]):
        func, fields, extra = "count", [], []
    elif func in ("corr", "covar_samp"):
        fields, extra = args[:2], []
    elif func in ("percentile", "approx_percentile"):
        fields, extra = args[:1], [float(args[1])]
    else:
        fields, extra = args[:1], []
        if func == "count":
            func = "count_f"
    name = alias or "_".join([m.group(1).lower()] + fields)
    aggs.append((name, func, fields, extra))

by = [f for f in a.by.split(",") if f]
time_field = a.time
if a.tumble:
    size = slide = dur(a.tumble)
elif a.window:
    size = dur(a.window)
    slide = dur(a.slide) if a.slide else size
offset = dur(a.offset)
gap = dur(a.session) if a.session else None
delay = dur(a.watermark) if a.watermark else None


def canon(v):
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False)


def num(v):
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v) if re.fullmatch(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*", v) else None
        except ValueError:
            return None
    return None


def exact_var(xs, ddof):
    fr = [Fraction(x) for x in xs]
    mean = sum(fr) / len(fr)
    return float(sum((x - mean) ** 2 for x in fr) / (len(fr) - ddof))


def aggregate(rows):
    out = []
    for name, func, fields, extra in aggs:
        vals = [r["rec"].get(f) for r in rows for f in fields[:1]]
        nums = [x for x in map(num, vals) if x is not None]
        if func == "count":
            v = len(rows)
        elif func == "count_f":
            v = sum(x is not None for x in vals)
        elif func == "sum":
            v = math.fsum(nums) if nums else None
        elif func == "avg":
            v = float(sum(Fraction(x) for x in nums) / len(nums)) if nums else None
        elif func == "min":
            v = min(nums) if nums else None
        elif func == "max":
            v = max(nums) if nums else None
        elif func in ("var_samp", "variance"):
            v = exact_var(nums, 1) if len(nums) > 1 else None
        elif func == "var_pop":
            v = exact_var(nums, 0) if nums else None
        elif func in ("stddev", "stddev_samp", "std"):
            v = math.sqrt(exact_var(nums, 1)) if len(nums) > 1 else None
        elif func == "stddev_pop":
            v = math.sqrt(exact_var(nums, 0)) if nums else None
        elif func in ("corr", "covar_samp"):
            pairs = [(num(r["rec"].get(fields[0])), num(r["rec"].get(fields[1]))) for r in rows]
            pairs = [(Fraction(x), Fraction(y)) for x, y in pairs if x is not None and y is not None]
            v = None
            if len(pairs) > 1:
                mx = sum(p[0] for p in pairs) / len(pairs)
                my = sum(p[1] for p in pairs) / len(pairs)
                c = sum((x - mx) * (y - my) for x, y in pairs)
                if func == "covar_samp":
                    v = float(c / (len(pairs) - 1))
                else:
                    sx = sum((x - mx) ** 2 for x, _ in pairs)
                    sy = sum((y - my) ** 2 for _, y in pairs)
                    v = float(c) / math.sqrt(float(sx) * float(sy)) if sx and sy else None
        elif func == "collect_list":
            v = [x for x in vals if x is not None]
        elif func == "collect_set":
            seen = {}
            for x in vals:
                if x is not None:
                    seen.setdefault(canon(x), x)
            v = list(seen.values())
        elif func == "count_distinct":
            v = len({canon(x) for x in vals if x is not None})
        elif func in ("first", "last"):
            v = vals[0] if func == "first" else vals[-1]
        elif func == "percentile":
            s = sorted(nums)
            v = None
            if s:
                h = extra[0] * (len(s) - 1)
                lo = math.floor(h)
                hi = min(lo + 1, len(s) - 1)
                v = s[lo] + (s[hi] - s[lo]) * (h - lo)
        elif func == "approx_percentile":
            s = sorted(nums)
            v = s[max(1, math.ceil(extra[0] * len(s))) - 1] if s else None
        else:
            sys.exit("ref.py: no " + func)
        out.append((name, v))
    return out


open_w = {}      # (start, end, key) -> rows
key_order = {}   # key -> first appearance
max_ts = None
seq = 0
output = []


def watermark():
    if delay is None or max_ts is None:
        return None
    return max_ts - delay


def emit(items):
    items.sort(key=lambda kv: (kv[0][1], kv[0][0], key_order[kv[0][2]]))
    for (start, end, key), rows in items:
        rows.sort(key=lambda r: r["seq"])
        rec = {"window": {"start": fmt_time(start), "end": fmt_time(end)}}
        for f, v in zip(by, json.loads("[" + key + "]")):
            rec[f] = v
        rec.update(aggregate(rows))
        output.append(rec)


for line in open(a.file, encoding="utf-8"):
    try:
        rec = json.loads(line)
    except ValueError:
        continue
    if not isinstance(rec, dict):
        continue
    ts = parse_time(rec.get(time_field))
    if ts is None:
        continue
    key = ",".join(canon(rec.get(f)) for f in by)
    key_order.setdefault(key, len(key_order))
    wm = watermark()
    row = {"rec": rec, "seq": seq}
    seq += 1
    if gap is None:
        # Every start on the grid offset + k*slide that contains ts.
        k0 = (ts - size - offset) // slide - 1
        k1 = (ts - offset) // slide + 1
        for k in range(k0, k1 + 1):
            start = offset + k * slide
            end = start + size
            if start <= ts < end and not (wm is not None and end <= wm):
                open_w.setdefault((start, end, key), []).append(row)
    elif not (wm is not None and ts + gap <= wm):
        lo, hi, rows = ts, ts + gap, [row]
        for (s, e, k) in list(open_w):
            if k == key and s <= ts + gap and ts <= e:
                lo, hi = min(lo, s), max(hi, e)
                rows += open_w.pop((s, e, k))
        open_w[(lo, hi, key)] = rows
    max_ts = ts if max_ts is None else max(max_ts, ts)
    wm = watermark()
    if wm is not None:
        done = [(w, open_w.pop(w)) for w in list(open_w) if w[1] <= wm]
        emit(done)

emit(list(open_w.items()))
for rec in output:
    print(json.dumps(rec, separators=(",", ":"), ensure_ascii=False))
