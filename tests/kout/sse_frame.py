"""Print the first frame of a kout --serve dashboard whose input has ended
("ended": true), read from its /events stream; exit 1 if none comes
within the time limit.  usage: sse_frame.py URL [SECONDS]"""
import json
import sys
import time
import urllib.request

url, limit = sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 20
deadline = time.time() + limit
with urllib.request.urlopen(url + "events", timeout=limit) as r:
    if r.headers.get("Content-Type", "").split(";")[0] != "text/event-stream":
        sys.exit("not an event stream: %s" % r.headers.get("Content-Type"))
    for raw in r:
        line = raw.decode().rstrip("\n")
        if line.startswith("data: "):
            frame = json.loads(line[6:])
            if frame["ended"]:
                print(json.dumps(frame))
                sys.exit(0)
        if time.time() > deadline:
            break
sys.exit("no final frame within %g s" % limit)
