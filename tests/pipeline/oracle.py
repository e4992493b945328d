#!/usr/bin/env python3
"""The independent side of the pipeline jobs (tests/pipeline/jobs.sh).

Each subcommand computes what a job must print from the events the test
generated, with Python's own json, csv and statistics modules and none of
kpipe, and compares it with what kpipe printed.  Prints "ok" or the first
differences and exits 1.

  oracle.py hourly EVENTS GOT      job 1: logins per user and hour, then mean,
                                   stddev and p99 of those counts per hour
  oracle.py sessions EVENTS GOT    job 2: 5-minute session windows per user
  oracle.py csvstats CSV GOT.csv   job 3: per-group moments of x and y
  oracle.py windows EVENTS GOT...  job 6: count per user and hour; the GOT
                                   files together (counts of a window that
                                   two processes both saw are added)
  oracle.py report GOT.csv RUN=EVENTS...   job 5: count and sum of bytes per
                                   action, one block of rows per run
"""
import csv, datetime, json, math, statistics, sys
from collections import defaultdict

HOUR = 3600 * 1000


def ms(s):
    """RFC 3339 with a Z (as gen-events.py and jwindow write it) to epoch ms."""
    d = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    return round(d.timestamp() * 1000)


def events(path):
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]


def ndjson(path):
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def p(v, q):
    """Exact percentile, linear between ranks at q*(n-1) (Spark's percentile)."""
    v = sorted(v)
    r = q * (len(v) - 1)
    lo = math.floor(r)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (r - lo)


def finish(diffs):
    if diffs:
        print("\n".join(diffs[:10]))
        sys.exit(1)
    print("ok")


def hourly(evpath, gotpath):
    per = defaultdict(lambda: defaultdict(int))
    for e in events(evpath):
        if e["action"] == "login":
            per[ms(e["timestamp"]) // HOUR * HOUR][e["user"]] += 1
    want = {}
    for h, users in per.items():
        c = list(users.values())
        want[h] = (statistics.mean(c), statistics.stdev(c) if len(c) > 1 else None, p(c, 0.99))
    got = {ms(r["window.start"]): (r["logins_mean"], r["logins_stddev"], r["logins_p99"])
           for r in ndjson(gotpath)}
    diffs = []
    if sorted(want) != sorted(got):
        diffs.append("hours: want %d %s, got %d" % (len(want), sorted(want)[:3], len(got)))
    for h in sorted(set(want) & set(got)):
        if not all(close(a, b) for a, b in zip(want[h], got[h])):
            diffs.append("hour %d: want %s got %s" % (h, want[h], got[h]))
    finish(diffs)


def sessions(evpath, gotpath, gap=5 * 60 * 1000):
    byuser = defaultdict(list)
    for e in events(evpath):
        byuser[e["user"]].append((ms(e["timestamp"]), e["action"]))
    want = set()
    for u, evs in byuser.items():
        evs.sort()
        start, end, acts = None, None, []
        for t, a in evs:
            if start is not None and t <= end:
                end = max(end, t + gap)
                acts.append(a)
                continue
            if start is not None:
                want.add((u, start, end, len(acts), tuple(sorted(acts))))
            start, end, acts = t, t + gap, [a]
        want.add((u, start, end, len(acts), tuple(sorted(acts))))
    got = set()
    for r in ndjson(gotpath):
        got.add((r["user"], ms(r["window"]["start"]), ms(r["window"]["end"]), r["n"],
                 tuple(sorted(r["actions"]))))
    diffs = ["missing %s" % (x,) for x in sorted(want - got)]
    diffs += ["unexpected %s" % (x,) for x in sorted(got - want)]
    if not diffs and len(want) < 2:
        diffs.append("too few sessions to mean anything: %d" % len(want))
    finish(diffs)


def csvstats(csvpath, gotpath):
    cols = defaultdict(lambda: ([], []))
    with open(csvpath, newline="") as f:
        for r in csv.DictReader(f):
            cols[r["g"]][0].append(float(r["x"]))
            cols[r["g"]][1].append(float(r["y"]))
    diffs = []
    with open(gotpath, newline="") as f:
        got = {r["g"]: r for r in csv.DictReader(f)}
    if sorted(got) != sorted(cols):
        diffs.append("groups: want %s got %s" % (sorted(cols), sorted(got)))
    for g in sorted(set(got) & set(cols)):
        x, y = cols[g]
        want = {"x_mean": statistics.mean(x), "x_var": statistics.variance(x),
                "x_stddev": statistics.stdev(x), "y_mean": statistics.mean(y),
                "y_var": statistics.variance(y), "y_stddev": statistics.stdev(y),
                "x_y_cov_samp": statistics.covariance(x, y),
                "x_y_corr": statistics.correlation(x, y)}
        for k, v in want.items():
            if k not in got[g] or not close(v, got[g][k] or None):
                diffs.append("group %s %s: want %r got %r" % (g, k, v, got[g].get(k)))
    finish(diffs)


def windows(evpath, *gotpaths):
    want = defaultdict(int)
    for e in events(evpath):
        want[(ms(e["timestamp"]) // HOUR * HOUR, e["user"])] += 1
    got = defaultdict(int)
    for path in gotpaths:
        for r in ndjson(path):
            w = r["window"]
            if ms(w["end"]) - ms(w["start"]) != HOUR:
                sys.exit("not an hour: %s" % w)
            got[(ms(w["start"]), r["user"])] += r["n"]
    diffs = ["%s: want %d got %d" % (k, want[k], got.get(k, 0))
             for k in sorted(set(want) | set(got)) if want.get(k) != got.get(k)]
    finish(diffs)


def report(gotpath, *runs):
    want = []
    for run in runs:
        name, _, files = run.partition("=")
        agg = defaultdict(lambda: [0, 0])
        for path in files.split(","):
            for e in events(path):
                agg[e["action"]][0] += 1
                agg[e["action"]][1] += e["bytes"]
        want += [(name, a, c, s) for a, (c, s) in sorted(agg.items())]
    with open(gotpath, newline="") as f:
        got = [(r["run"], r["action"], int(r["bytes_count"]), int(float(r["bytes_sum"])))
               for r in csv.DictReader(f)]
    diffs = []
    if got != want:
        diffs.append("want %s\n got %s" % (want, got))
    finish(diffs)


if __name__ == "__main__":
    {"hourly": hourly, "sessions": sessions, "csvstats": csvstats,
     "windows": windows, "report": report}[sys.argv[1]](*sys.argv[2:])
