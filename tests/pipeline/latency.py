#!/usr/bin/env python3
"""Produce-to-line latency for tests/bench/b_pipeline.sh.

  latency.py produce RATE SECONDS [WARMUP]
                                    writes RATE events a second for SECONDS
                                    to stdout, one line each, flushed, each
                                    with "sent": the wall clock in ns when
                                    it was written (for kout to produce);
                                    first, for WARMUP seconds, events with
                                    "ok":false and no "sent", so that the
                                    producer's start-up (connection,
                                    idempotent producer id) is not measured
  latency.py read N                 reads lines from stdin until N carried
                                    "sent"; prints count, p50, p99 and max
                                    of arrival minus sent, in ms

Both ends run on this machine, so they share the clock.  The pacing is
absolute (event i is due at start + i/RATE), so a late wake-up does not
slow the rate down.
"""
import json, sys, time


def produce(rate, seconds, warmup=0):
    rate = float(rate)
    w, n = int(rate * float(warmup)), int(rate * float(seconds))
    out = sys.stdout
    t0 = time.monotonic()
    for i in range(w + n):
        delay = t0 + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        if i < w:
            ev = {"action": "warmup", "ok": False}
        else:
            ev = {"user": "u%03d" % (i % 1000), "action": "login", "seq": i - w, "ok": True,
                  "sent": time.time_ns()}
        out.write(json.dumps(ev, separators=(",", ":")) + "\n")
        out.flush()


def read(n):
    n, lat = int(n), []
    for line in sys.stdin:
        now = time.time_ns()
        try:
            sent = json.loads(line).get("sent")
        except ValueError:
            continue
        if sent is None:
            continue
        lat.append((now - sent) / 1e6)
        if len(lat) >= n:
            break
    lat.sort()
    if not lat:
        print("count 0")
        sys.exit(1)
    q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
    print("count %d p50 %.2f p99 %.2f max %.2f" % (len(lat), q(0.50), q(0.99), lat[-1]))


if __name__ == "__main__":
    {"produce": produce, "read": read}[sys.argv[1]](*sys.argv[2:])
