#!/usr/bin/env python3
"""drive.py SCRIPT -- COMMAND...: feed COMMAND's standard input one line at
a time and read its output as it comes, to test a live stream without
sleeping.  SCRIPT lines: "> JSON" writes a line, "< N" reads N lines
(failing after 20 s, a guard against hanging, not a timing assumption),
"EOF" closes the input and reads the rest.  Prints every line read."""
import select, subprocess, sys

script = open(sys.argv[1]).read().splitlines()
cmd = sys.argv[sys.argv.index("--") + 1:]
p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
buf = b""


def read_line():
    global buf
    while b"\n" not in buf:
        r, _, _ = select.select([p.stdout], [], [], 20)
        if not r:
            sys.exit("drive.py: no output within 20 s")
        chunk = p.stdout.read1(65536) if hasattr(p.stdout, "read1") else p.stdout.read(1)
        if not chunk:
            sys.exit("drive.py: output ended early")
        buf += chunk
    line, buf = buf.split(b"\n", 1)
    return line.decode()


for step in script:
    if step.startswith("> "):
        p.stdin.write(step[2:].encode() + b"\n")
        p.stdin.flush()
    elif step.startswith("< "):
        for _ in range(int(step[2:])):
            print(read_line())
    elif step == "EOF":
        p.stdin.close()
        rest = buf + p.stdout.read()
        sys.stdout.write(rest.decode())
sys.exit(p.wait())
