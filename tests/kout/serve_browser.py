"""kout --serve seen in a real browser while records stream in.

Headless Chromium (over DevTools, cdp.py) loads the dashboard while kout
reads a pipe that this script writes in two parts.  After each part the
page must show what a person would expect from the records sent so far,
worked out here from the records themselves: the table holds the latest
row per --key, the bar chart one bar per region with its latest total, the
heat map one cell per (minute, region) with its latest total.  The two
moments must differ, the page must redraw without reloading, and a
screenshot is kept.  Prints ok / not ok lines (tests/lib.sh's format).

usage: serve_browser.py KOUT ARTIFACT_DIR WORKDIR
"""
import json
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

kout, artifacts, work = sys.argv[1:4]
failures = 0


def ok(name):
    print("ok " + name, flush=True)


def fail(name, detail):
    global failures
    failures += 1
    print("not ok %s: %s" % (name, str(detail).replace("\n", " ")[:600]), flush=True)


def check_eq(name, want, got):
    if want == got:
        ok(name)
    else:
        fail(name, "expected %r got %r" % (want, got))


# jwindow --emit update style: the latest row for a region replaces the last.
part1 = [
    {"region": "eu-west", "minute": "10:00", "count": 3, "total": 120},
    {"region": "us-east", "minute": "10:00", "count": 1, "total": 40},
    {"region": "eu-west", "minute": "10:01", "count": 5, "total": 210},
    {"region": "ap-south", "minute": "10:01", "count": 2, "total": 75},
]
part2 = [
    {"region": "us-east", "minute": "10:01", "count": 4, "total": 160},
    {"region": "eu-west", "minute": "10:02", "count": 6, "total": 260},
    {"region": "sa-east", "minute": "10:02", "count": 1, "total": 15},
    {"region": "ap-south", "minute": "10:02", "count": 3, "total": 98},
]


def oracle(records):
    """Rows (first-seen key order, latest values), bar and heat-map titles."""
    latest, order = {}, []
    cells = {}
    for r in records:
        if r["region"] not in latest:
            order.append(r["region"])
        latest[r["region"]] = r
        cells[(r["minute"], r["region"])] = r["total"]
    columns = ["region", "minute", "count", "total"]
    rows = [[str(latest[k][c]) for c in columns] for k in order]
    bars = ["%s: %d" % (k, latest[k]["total"]) for k in order]
    heat = sorted("%s, %s: %d" % (m, g, v) for (m, g), v in cells.items())
    return columns, rows, bars, heat


SEEN = """(() => {
  const figs = document.querySelectorAll('#charts figure');
  const titles = (f) => f ? [...f.querySelectorAll('rect > title')].map(t => t.textContent) : [];
  const box = (e) => e ? e.getBoundingClientRect() : {width: 0, height: 0};
  return {
    records: Number(document.body.dataset.records || -1),
    status: document.getElementById('status').textContent,
    columns: [...document.querySelectorAll('#table thead th')].map(c => c.textContent),
    rows: [...document.querySelectorAll('#table tbody tr')].map(r => [...r.cells].map(c => c.textContent)),
    bars: titles(figs[0]), heat: titles(figs[1]).sort(), charts: figs.length,
    chartBox: [box(figs[0]).width, box(figs[0]).height],
    tableBox: [box(document.getElementById('table')).width, box(document.getElementById('table')).height],
    loads: performance.getEntriesByType('navigation').length,
    resources: performance.getEntriesByType('resource').map(e => e.name),
  };
})()"""


def look(browser, n, name):
    browser.wait_for("Number(document.body.dataset.records) === %d" % n, 20)
    seen = browser.evaluate(SEEN)
    columns, rows, bars, heat = oracle((part1 + part2)[:n])
    check_eq(name + ": the page counts the records sent", n, seen["records"])
    check_eq(name + ": table columns", columns, seen["columns"])
    check_eq(name + ": table rows are the latest per region", rows, seen["rows"])
    check_eq(name + ": bar chart shows each region's latest total", bars, seen["bars"])
    check_eq(name + ": heat map shows each minute and region", heat, seen["heat"])
    if seen["chartBox"][0] > 100 and seen["chartBox"][1] > 50 and seen["tableBox"][1] > 20:
        ok(name + ": chart and table are drawn on the screen")
    else:
        fail(name + ": chart and table are drawn on the screen",
             "chart %r table %r" % (seen["chartBox"], seen["tableBox"]))
    return seen


def main():
    global proc
    os.makedirs(artifacts, exist_ok=True)
    out = open(os.path.join(work, "kout.out"), "wb")
    err = open(os.path.join(work, "kout.err"), "w+b")
    proc = subprocess.Popen(
        [kout, "--serve", "0", "--linger", "60", "--key", "region",
         "--chart", "bar", "--x", "region", "--y", "total", "--title", "latest total by region",
         "--panel", "heatmap,x=minute,y=region,z=total,title=total by minute and region"],
        stdin=subprocess.PIPE, stdout=out, stderr=err)
    url = None
    deadline = time.time() + 10
    while url is None and time.time() < deadline:
        err.seek(0)
        m = re.search(rb"kout: serving (http://127\.0\.0\.1:\d+/)", err.read())
        url = m and m.group(1).decode()
        time.sleep(0.05)
    if url is None:
        fail("kout prints the URL it serves", "no URL on stderr")
        proc.kill()
        return
    ok("kout prints the URL it serves")

    def send(records):
        for r in records:
            proc.stdin.write((json.dumps(r, separators=(",", ":")) + "\n").encode())
        proc.stdin.flush()

    try:
        browser = cdp.Browser()
    except OSError as e:
        if os.environ.get("KPIPE_REQUIRE_BROWSER") == "1":
            fail("chromium starts", e)
        else:
            print("skip chromium starts: %s" % e)
        proc.kill()
        return
    try:
        send(part1)
        browser.navigate(url)
        first = look(browser, len(part1), "after part 1")
        if "live" in first["status"]:
            ok("status says the stream is live")
        else:
            fail("status says the stream is live", first["status"])
        send(part2)
        second = look(browser, len(part1) + len(part2), "after part 2")
        if first["rows"] != second["rows"] and first["bars"] != second["bars"]:
            ok("table and chart changed as records arrived")
        else:
            fail("table and chart changed as records arrived", "the same at both moments")
        check_eq("the page redrew without reloading", 1, second["loads"])
        others = [u for u in second["resources"] if not u.startswith(url)]
        check_eq("the page loaded nothing from elsewhere", [], others)
        shot = os.path.join(artifacts, "kout-dashboard.png")
        browser.screenshot(shot)
        with open(shot, "rb") as f:
            png = f.read()
        if png.startswith(b"\x89PNG") and len(png) > 10000:
            ok("screenshot kept as %s" % shot)
        else:
            fail("screenshot kept", "%d bytes" % len(png))
        proc.stdin.close()
        status = browser.wait_for(
            "document.getElementById('status').textContent.includes('input ended') && "
            "document.getElementById('status').textContent", 20)
        if status and "input ended" in status:
            ok("status says the input ended, and the page still shows it")
        else:
            fail("status says the input ended", status)
    finally:
        browser.close()
    proc.send_signal(signal.SIGTERM)
    try:
        rc = proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = "hung"
    check_eq("kout ends with status 0 on SIGTERM after the input", 0, rc)
    out.close()
    with open(os.path.join(work, "kout.out"), "rb") as f:
        passed = f.read().decode().splitlines()
    check_eq("every record passed through to standard output",
             [json.dumps(r, separators=(",", ":")) for r in part1 + part2], passed)
    err.seek(0)
    summary = err.read().decode()
    if re.search(r"dashboard: \d+ frames published, \d+ skipped for slow clients, [1-9]\d* event streams",
                 summary):
        ok("the summary counts the page's event stream")
    else:
        fail("the summary counts the page's event stream", summary)


try:
    main()
finally:
    if "proc" in globals() and proc.poll() is None:
        proc.kill()
sys.exit(1 if failures else 0)
