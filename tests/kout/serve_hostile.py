"""kout --serve under malformed and hostile requests, while records flow.

kout reads a stream that this script writes at a steady rate and passes
it through to standard output, which a thread here counts.  Meanwhile, all
at once: headers of 10 kB and 100 kB, path traversal in every spelling,
methods other than GET and HEAD, HTTP/0.9 and binary garbage, slowloris
clients that send a header a byte at a time, 250 connections at once,
/events clients that never read and one that reads a trickle.  Checked:
every bad request gets a 4xx (or the connection is closed) and nothing
else; no answer leaks a file; the records keep coming out with no long
stall and none lost; kout's memory stays bounded; slow clients skip
frames (and the summary says so); the page still answers afterwards.
Prints ok / not ok lines (tests/lib.sh's format).

usage: serve_hostile.py KOUT WORKDIR
"""
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time

kout, work = sys.argv[1:3]
failures = 0
RATE = 20000            # records a second
SECONDS = 20            # of records, and of attack
MAX_STALL = 3.0         # seconds without a record out, on a loaded machine
MAX_RSS_MB = 120


def ok(name):
    print("ok " + name, flush=True)


def fail(name, detail):
    global failures
    failures += 1
    print("not ok %s: %s" % (name, str(detail).replace("\n", " ")[:600]), flush=True)


def check(name, cond, detail=""):
    if cond:
        ok(name)
    else:
        fail(name, detail)


proc = subprocess.Popen(
    [kout, "--serve", "0", "--linger", "120", "--key", "k", "--chart", "bar", "--x", "k", "--y", "v"],
    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(os.path.join(work, "err"), "w+b"))
port = None
deadline = time.time() + 10
while port is None and time.time() < deadline:
    with open(os.path.join(work, "err"), "rb") as f:
        m = re.search(rb"serving http://127\.0\.0\.1:(\d+)/", f.read())
    port = m and int(m.group(1))
    time.sleep(0.05)
if port is None:
    fail("kout serves", "no URL on stderr")
    proc.kill()
    sys.exit(1)

sent = [0]
writer_end = [None]
out_times = []          # (time, lines so far), sampled by the reader
out_lines = [0]


def writer():
    i = 0
    start = time.time()
    while time.time() - start < SECONDS:
        batch = []
        for _ in range(RATE // 20):
            batch.append('{"k":"key-%d","v":%d}\n' % (i % 400, i))
            i += 1
        proc.stdin.write("".join(batch).encode())
        proc.stdin.flush()
        sent[0] = i
        time.sleep(0.05)
    writer_end[0] = time.time()
    proc.stdin.close()


def reader():
    n = 0
    last = time.time()
    for _ in proc.stdout:
        n += 1
        out_lines[0] = n
        if time.time() - last > 0.05:
            last = time.time()
            out_times.append((last, n))
    out_times.append((time.time(), n))


rss = []


def rss_sampler():
    while proc.poll() is None:
        try:
            with open("/proc/%d/status" % proc.pid) as f:
                m = re.search(r"VmRSS:\s+(\d+) kB", f.read())
            if m:
                rss.append(int(m.group(1)) / 1024)
        except OSError:
            break
        time.sleep(0.2)


def connect(rcvbuf=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(15)
    s.connect(("127.0.0.1", port))
    return s


def exchange(raw, limit=1 << 20):
    """Send raw bytes, return everything answered until the server closes
    (b"" when it closed without a word)."""
    s = connect()
    try:
        s.sendall(raw)
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        data = b""
        while len(data) < limit:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        return data
    except (ConnectionResetError, BrokenPipeError):
        return b""
    finally:
        s.close()


def status_of(answer):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", answer)
    return int(m.group(1)) if m else None


results = {}
results_ok = {}


def attack_headers():
    for size in (10 * 1024, 100 * 1024):
        a = exchange(b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * size + b"\r\n\r\n")
        results["header %d" % size] = (status_of(a), a)


TRAVERSALS = ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
              "//etc/passwd", "/dashboard.js/../../../etc/passwd", "/events/../../etc/passwd",
              "/%252e%252e/etc/passwd", "/.%00./etc/passwd", "/etc/passwd", "/dashboard.js%00.html",
              "/\\..\\..\\etc\\passwd", "/index.html"]


def attack_paths():
    for p in TRAVERSALS:
        a = exchange(("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % p).encode())
        results["path " + p] = (status_of(a), a)


def attack_query():
    """A query is no part of the path: the page, and only the page."""
    a = exchange(b"GET /?../../etc/passwd#x HTTP/1.1\r\nHost: x\r\n\r\n")
    results_ok["query"] = (status_of(a), a)


def attack_methods():
    for m in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "BREW"):
        for p in ("/", "/events"):
            body = b"x=1" if m in ("POST", "PUT", "PATCH") else b""
            a = exchange(("%s %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % (m, p, len(body))).encode() + body)
            results["method %s %s" % (m, p)] = (status_of(a), a)


GARBAGE = [b"GET /\r\n\r\n", b"GET\r\n\r\n", b"\x00\x01\x02\xff\xfe" * 200 + b"\r\n\r\n",
           b"GET / HTTP/9.9\r\n\r\n", b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 2000 + b"\r\n",
           b"GET " + b"/a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
           b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
           b"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
           b"\r\n\r\n\r\n", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"]


def attack_garbage():
    for i, g in enumerate(GARBAGE):
        a = exchange(g)
        results["garbage %d" % i] = (status_of(a), a)


stalled_closed = []
drips = []


def slowloris():
    """Partial requests: some stop after the first lines (the server's idle
    timeout must cut them off), some drip a byte a second (held, but
    within the per-address limit, while everything else goes on)."""
    stalled = []
    for i in range(30):
        try:
            s = connect()
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            (drips if i % 3 == 0 else stalled).append(s)
        except OSError:
            pass
    start = time.time()
    waiting = list(stalled)
    while waiting and time.time() - start < 30:
        for s in drips:
            try:
                s.sendall(b"X")
            except OSError:
                pass
        for s in list(waiting):
            s.settimeout(0.01)
            try:
                if s.recv(1024) != b"":
                    continue
            except socket.timeout:
                continue
            except OSError:
                pass
            waiting.remove(s)
            stalled_closed.append(time.time() - start)
        time.sleep(1)
    results["slowloris"] = (len(stalled), len(stalled_closed))
    for s in stalled:
        s.close()


crowd = {}


def crowd_attack():
    """250 connections at once, each asking for the style sheet: each is
    answered, or closed by the server at its limits; none may hang."""
    import select
    time.sleep(1)
    socks, refused = [], 0
    for _ in range(250):
        try:
            s = connect()
            s.sendall(b"GET /dashboard.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            socks.append(s)
        except OSError:
            refused += 1
    answered = closed = 0
    first = {s: b"" for s in socks}
    pending = set(socks)
    deadline = time.time() + 30
    while pending and time.time() < deadline:
        ready, _, _ = select.select(list(pending), [], [], 1)
        for s in ready:
            try:
                chunk = s.recv(64)
            except OSError:
                chunk = b""
            if chunk and len(first[s]) < 12:
                first[s] += chunk
                if len(first[s]) < 12:
                    continue
            pending.discard(s)
            if first[s].startswith(b"HTTP/1.1 200"):
                answered += 1
            else:
                closed += 1
    for s in socks:
        s.close()
    crowd.update(opened=len(socks), refused=refused, answered=answered, closed=closed,
                 hung=len(pending))


mute = []


def events_never_read():
    for _ in range(5):
        s = connect(rcvbuf=4096)
        s.sendall(b"GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
        mute.append(s)


trickle = [0]


def events_trickle():
    s = connect(rcvbuf=4096)
    s.sendall(b"GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
    start = time.time()
    while time.time() - start < SECONDS - 2:
        try:
            trickle[0] += len(s.recv(512))
        except OSError:
            break
        time.sleep(0.25)
    s.close()


def one_by_one():
    """Bad requests one at a time, so that each gets its own answer."""
    attack_headers()
    attack_paths()
    attack_query()
    attack_methods()
    attack_garbage()


def together():
    """Then all that holds connections open, at once."""
    parts = [threading.Thread(target=f, daemon=True) for f in
             (slowloris, crowd_attack, events_never_read, events_trickle)]
    for t in parts:
        t.start()
    for t in parts:
        t.join(60)


flow = [threading.Thread(target=f, daemon=True) for f in (writer, reader, rss_sampler)]
for t in flow:
    t.start()
one_by_one()
together()
flow[0].join(60)

# --- what the bad requests got ---------------------------------------------
for name, (status, answer) in sorted(results.items()):
    if name == "slowloris":
        continue
    good = (status is None and answer == b"") or (status is not None and 400 <= status < 500)
    if name.startswith("garbage") and status is not None and status == 505:
        good = True     # "HTTP version not supported" is the answer to HTTP/9.9
    check("%s: a 4xx or a closed connection, nothing else" % name, good,
          "got %r" % answer[:120])
q_status, q_answer = results_ok["query"]
check("a path with a query string gets the page, not a file",
      q_status == 200 and b"dashboard.js" in q_answer and b"root:" not in q_answer, q_answer[:100])
leaks = [n for n, (s, a) in results.items() if n != "slowloris" and (b"root:" in a or b"EventSource" in a)]
check("no answer to a traversal or garbage leaked a file or the page", not leaks, leaks)
methods = [r for n, r in results.items() if n.startswith("method")]
check("other methods are 405 Method Not Allowed with Allow: GET, HEAD",
      all(s == 405 and b"Allow: GET, HEAD" in a for s, a in methods),
      [(s, a[:60]) for s, a in methods if s != 405][:3])

opened, closed_n = results.get("slowloris", (0, 0))
check("slowloris: every stalled partial request was cut off by the idle timeout",
      opened > 0 and closed_n == opened and 5 < min(stalled_closed) and max(stalled_closed) < 25,
      "%d of %d closed, after %s s" % (closed_n, opened, stalled_closed))
check("250 connections at once: each answered or closed, none hangs",
      crowd.get("opened", 0) + crowd.get("refused", 0) == 250 and crowd.get("hung") == 0, crowd)
check("250 connections at once: the server answered some of them", crowd.get("answered", 0) > 0, crowd)

# --- afterwards ---------------------------------------------------------------
# Connections the crowd just dropped may still be counted for a moment.
deadline = time.time() + 10
page = b""
while status_of(page) != 200 and time.time() < deadline:
    page = exchange(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    time.sleep(0.2)
check("afterwards the page is still served", status_of(page) == 200 and b"dashboard.js" in page,
      page[:100])
ev = connect()
ev.sendall(b"GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
got = b""
want = ('"records":%d,' % sent[0]).encode()
deadline = time.time() + 15
while want not in got and time.time() < deadline:
    chunk = ev.recv(65536)
    if not chunk:
        break
    got += chunk
ev.close()
check("afterwards /events sends the final frame, every record counted", want in got, got[:200])

# --- the pipeline ----------------------------------------------------------
deadline = time.time() + 10
while out_lines[0] < sent[0] and time.time() < deadline:
    time.sleep(0.1)
proc.terminate()
proc.wait(30)
total = sent[0]
check("every record came out (%d)" % total, out_lines[0] == total, "%d of %d" % (out_lines[0], total))
during = [t for t in out_times if writer_end[0] and t[0] <= writer_end[0] + 1]
stalls = [b[0] - a[0] for a, b in zip(during, during[1:])]
worst = max(stalls) if stalls else 99
check("records kept flowing: no stall over %.0f s (worst %.2f s)" % (MAX_STALL, worst), worst < MAX_STALL)
peak = max(rss) if rss else 0
check("memory stayed bounded: peak RSS %.1f MB < %d MB" % (peak, MAX_RSS_MB), 0 < peak < MAX_RSS_MB)
check("kout ended with status 0", proc.returncode == 0, proc.returncode)
with open(os.path.join(work, "err"), "rb") as f:
    err = f.read().decode()
m = re.search(r"dashboard: (\d+) frames published, (\d+) skipped for slow clients, (\d+) event streams, "
              r"(\d+) requests refused", err)
check("the summary is printed", m, err[-300:])
if m:
    check("slow /events clients skipped frames, and the summary counts them (%s)" % m.group(2),
          int(m.group(2)) > 0, err[-300:])
    check("the summary counts the refused requests (%s)" % m.group(4), int(m.group(4)) >= 16, err[-300:])
check("the trickling client was sent frames", trickle[0] > 0)
for s in mute + drips:
    s.close()
sys.exit(1 if failures else 0)
