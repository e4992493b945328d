"""kout --serve --metrics: the dashboard's figures in the metrics records.

An /events client that never reads (a 4 kB receive buffer, as
serve_hostile.py's) is connected while records flow for a few seconds,
with 2000 keyed rows and bars, frames big enough to fill the socket buffers; three requests for
a missing path are refused.  Checked against what this script did: the
final record has framesSkipped > 0 (frames published after the stuck
client's last), requestsRefused = 3, eventStreamsOpened = 1, eventStreams
0 once the server stopped and 1 in a record while the client was held;
totalInputRows = the records written.  Prints ok / not ok lines.

usage: serve_metrics.py KOUT WORKDIR
"""
import json
import os
import re
import socket
import subprocess
import sys
import time

kout, work = sys.argv[1:3]
metrics = os.path.join(work, "metrics")
failures = 0


def check(name, cond, detail=""):
    global failures
    if cond:
        print("ok " + name, flush=True)
    else:
        failures += 1
        print("not ok %s: %s" % (name, str(detail)[:400]), flush=True)


err = open(os.path.join(work, "err"), "w+b")
proc = subprocess.Popen(
    [kout, "--serve", "0", "--metrics", metrics, "--metrics-interval", "200ms", "--linger", "0", "--key", "k",
     "--chart", "bar", "--x", "k", "--y", "v"],
    stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err)
port = None
deadline = time.time() + 10
while port is None and time.time() < deadline:
    with open(os.path.join(work, "err"), "rb") as f:
        m = re.search(rb"serving http://127\.0\.0\.1:(\d+)/", f.read())
    port = m and int(m.group(1))
    time.sleep(0.05)
if port is None:
    check("kout serves", False, "no URL on stderr")
    proc.kill()
    sys.exit(1)


def connect(rcvbuf=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(15)
    s.connect(("127.0.0.1", port))
    return s


for _ in range(3):
    s = connect()
    s.sendall(b"GET /no-such-page HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    answer = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        answer += chunk
    s.close()
    check("a missing path is refused with 404", answer.startswith(b"HTTP/1.1 404"), answer[:80])

mute = connect(rcvbuf=4096)
mute.sendall(b"GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
sent = 0
start = time.time()
while time.time() - start < 4:
    batch = "".join('{"k":"key-%d","v":%d}\n' % ((sent + i) % 2000, sent + i) for i in range(1000))
    proc.stdin.write(batch.encode())
    proc.stdin.flush()
    sent += 1000
    time.sleep(0.05)
proc.stdin.close()
proc.wait(60)
mute.close()

records = [json.loads(line) for line in open(metrics)]
final = records[-1]
check("kout ended with status 0", proc.returncode == 0, proc.returncode)
check("the last record is the final one", final.get("final") is True, final)
check("totalInputRows = records written (%d)" % sent, final.get("totalInputRows") == sent, final)
check("framesSkipped > 0 with a client that never reads (%s)" % final.get("framesSkipped"),
      final.get("framesSkipped", 0) > 0, final)
check("framesSkipped < framesPublished",
      final.get("framesSkipped", 0) < final.get("framesPublished", 0), final)
check("requestsRefused = the 3 refused requests", final.get("requestsRefused") == 3, final)
check("eventStreamsOpened = 1", final.get("eventStreamsOpened") == 1, final)
check("eventStreams = 0 once the server has stopped", final.get("eventStreams") == 0, final)
check("eventStreams = 1 in a record while the client was connected",
      any(r.get("eventStreams") == 1 for r in records[:-1]), [r.get("eventStreams") for r in records])
err.seek(0)
m = re.search(rb"dashboard: (\d+) frames published, (\d+) skipped", err.read())
check("the summary on stderr says the same skipped count",
      m is not None and int(m.group(2)) == final.get("framesSkipped"), m and m.group(0))
sys.exit(1 if failures else 0)
