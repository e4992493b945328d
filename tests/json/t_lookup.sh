# path_lookup, and path_lookup_members over the members the record check
# lists, against Python's json module walking the same path, on
# generated documents with escaped keys, unicode, nesting and whitespace.
. "$(dirname "$0")/../lib.sh"
tj=$KPIPE_BUILD/tests/test_json
[ -x "$tj" ] || { fail lookup "no $tj (make first)"; exit 0; }

python3 - "$tj" <<'PY'
import json, random, subprocess, sys
tj = sys.argv[1]
rnd = random.Random(11)
KEYS = ["a", "b", "user", "x y", "caf\u00e9", "q\"t", "b\\s", "n\nl", "\u20ac", "", "a.b", "[0]"]

def val(d):
    k = rnd.randrange(9 if d < 4 else 5)
    if k == 0: return rnd.randint(-10**6, 10**6)
    if k == 1: return rnd.choice([1.5, -0.25, 1e300, 3.0e-5])
    if k == 2: return rnd.choice(["", "s", "}]\"[{", "\\", "\u00e9"])
    if k == 3: return rnd.choice([True, False, None])
    if k == 4: return "v%d" % rnd.randrange(100)
    if k in (5, 6, 7): return {kk: val(d + 1) for kk in rnd.sample(KEYS, rnd.randrange(5))}
    return [val(d + 1) for _ in range(rnd.randrange(5))]

def ws():
    return rnd.choice(["", "", " ", "\t", " \n "])

def dump(v):
    if isinstance(v, dict):
        return "{" + ws() + ",".join(ws() + json.dumps(k, ensure_ascii=rnd.random() < .5) + ws() + ":" + ws() + dump(x) + ws() for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ws() + ",".join(ws() + dump(x) + ws() for x in v) + "]"
    return json.dumps(v, ensure_ascii=rnd.random() < .5)

def step_text(s):
    if isinstance(s, int): return "[%d]" % s
    if s and all(c.isalnum() or c == "_" for c in s) and s.isascii(): return "." + s
    return "." + json.dumps(s)

def walk(v, steps):
    for s in steps:
        if isinstance(s, int):
            if not isinstance(v, list) or not -len(v) <= s < len(v): return ("missing",)
            v = v[s]
        else:
            if not isinstance(v, dict) or s not in v: return ("missing",)
            v = v[s]
    return ("found", v)

def path_for(v):
    """A path that mostly exists, sometimes not."""
    steps = []
    for _ in range(rnd.randrange(1, 5)):
        if isinstance(v, dict) and v and rnd.random() < .85:
            k = rnd.choice(list(v)); steps.append(k); v = v[k]
        elif isinstance(v, list) and v and rnd.random() < .85:
            i = rnd.randrange(-len(v), len(v)); steps.append(i); v = v[i]
        else:
            steps.append(rnd.choice([rnd.choice(KEYS), rnd.randrange(-3, 6)])); break
    return steps

cases = []
for _ in range(3000):
    doc = {k: val(1) for k in rnd.sample(KEYS, rnd.randrange(1, 7))}
    text = dump(doc)
    steps = path_for(doc)
    cases.append((steps, text, walk(doc, steps)))
# A key that holds a backslash: its bytes as written can equal another
# name's escaped spelling ("n\\nl" is "n\nl" written out).
for doc, steps in (({"n\nl": 1}, ["n\\nl"]), ({"n\\nl": 2}, ["n\\nl"]),
                   ({"n\\nl": 3, "n\nl": 4}, ["n\nl"]), ({"b\\s": [5]}, ["b\\s", 0])):
    for _ in range(2):      # the second time from where the key was last found
        cases.append((steps, json.dumps(doc), walk(doc, steps)))
inp = "".join("".join(step_text(s) for s in st) + "\t" + t.replace("\n", " ") + "\n" for st, t, _ in cases)
for mode, name in (("--lookup", "lookup"), ("--lookup-members", "lookup through members")):
    out = subprocess.run([tj, mode], input=inp.encode(), capture_output=True, check=True).stdout.decode().split("\n")
    bad, found = [], 0
    for (st, t, want), got in zip(cases, out):
        if want[0] == "missing":
            ok = got == "missing"
        else:
            found += 1
            ok = got.startswith("found ") and json.loads(got[6:]) == want[1] and type(json.loads(got[6:])) == type(want[1])
        if not ok:
            bad.append((st, t[:80], want, got[:80]))
    if bad or len(out) < len(cases):
        print("not ok %s vs python: %d of %d differ, e.g. %s" % (name, len(bad), len(cases), bad[:2]))
    else:
        print("ok %s vs python (%d paths, %d found)" % (name, len(cases), found))
PY
