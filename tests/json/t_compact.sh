# json_compact against an independent whitespace stripper written here in
# Python, on every JSONTestSuite y_ file and on generated documents; the
# result must also load in Python to the same value.  n_ files must fail.
. "$(dirname "$0")/../lib.sh"
tj=$KPIPE_BUILD/tests/test_json
suite=$TESTDATA/jsontestsuite/test_parsing
[ -x "$tj" ] || { fail compact "no $tj (make first)"; exit 0; }
[ -d "$suite" ] || { skip compact "no $suite"; exit 0; }

python3 - "$tj" "$suite" "$TMP" <<'PY'
import json, os, random, subprocess, sys
tj, suite, tmp = sys.argv[1:]

def strip_ws(b):
    """Drop JSON whitespace outside strings."""
    out, in_str, esc = bytearray(), False, False
    for c in b:
        if in_str:
            out.append(c)
            if esc: esc = False
            elif c == 0x5c: esc = True
            elif c == 0x22: in_str = False
        elif c in b" \t\r\n":
            continue
        else:
            out.append(c)
            in_str = c == 0x22
    return bytes(out)

def compact(path):
    r = subprocess.run([tj, "--compact", path], capture_output=True)
    return r.returncode, r.stdout

def check(name, path, data):
    rc, out = compact(path)
    if rc != 0:
        return "%s: rejected" % name
    if out != strip_ws(data):
        return "%s: got %r want %r" % (name, out[:80], strip_ws(data)[:80])
    if json.loads(out.decode("utf-8", "surrogatepass")) != json.loads(data.decode("utf-8", "surrogatepass")):
        return "%s: loads differently" % name

bad, n = [], 0
for f in sorted(os.listdir(suite)):
    if f.startswith("y_"):
        p = os.path.join(suite, f)
        e = check(f, p, open(p, "rb").read())
        n += 1
        if e: bad.append(e)
print("not ok compact y_ files: %s" % bad[:3] if bad else "ok compact y_ files (%d)" % n)

bad, n = [], 0
for f in sorted(os.listdir(suite)):
    if f.startswith("n_"):
        rc, out = compact(os.path.join(suite, f))
        n += 1
        if rc != 1 or out:
            bad.append(f)
print("not ok compact n_ files fail: %s" % bad[:5] if bad else "ok compact n_ files fail (%d)" % n)

# Generated documents with whitespace everywhere it may go.
rnd = random.Random(7)
def val(d):
    k = rnd.randrange(8 if d < 5 else 5)
    if k == 0: return rnd.randint(-10**20, 10**20)
    if k == 1: return rnd.random() * 10 ** rnd.randint(-5, 5)
    if k == 2: return "".join(rnd.choice(' ab"\\\t\n/\u00e9\u20ac\U0001f600') for _ in range(rnd.randrange(6)))
    if k == 3: return rnd.choice([True, False, None])
    if k == 4: return ""
    if k in (5, 6): return {"k%d %s" % (i, rnd.choice(['"', ' ', ''])): val(d + 1) for i in range(rnd.randrange(4))}
    return [val(d + 1) for _ in range(rnd.randrange(4))]
def ws():
    return "".join(rnd.choice(" \t\r\n") for _ in range(rnd.randrange(3)))
def dump(v):
    if isinstance(v, dict):
        return "{" + ws() + ("," + ws()).join(ws() + json.dumps(k) + ws() + ":" + ws() + dump(x) + ws() for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ws() + ("," + ws()).join(ws() + dump(x) + ws() for x in v) + "]"
    return json.dumps(v, ensure_ascii=rnd.random() < 0.5)
bad = []
for i in range(300):
    text = (ws() + dump(val(0)) + ws()).encode()
    p = os.path.join(tmp, "g.json")
    open(p, "wb").write(text)
    e = check("generated %d" % i, p, text)
    if e: bad.append(e)
print("not ok compact generated: %s" % bad[:3] if bad else "ok compact generated (300)")
PY
