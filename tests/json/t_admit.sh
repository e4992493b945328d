# admit_line (common/admit.c) against two oracles written elsewhere:
#   - Python's json module decides what a record is, on generated lines
#     and seeded mutations of them (NUL, stray bytes, braces, surrogate
#     escapes, BOMs, second values), with the rules of kpipe(7) that it
#     does not apply itself: the bytes must be UTF-8, a decoded string must
#     not hold a lone surrogate, NaN and Infinity are not JSON, a record is
#     an object;
#   - jq decides what a record with repeated keys means: `jq -c .` of what
#     admit_line hands out equals `jq -c .` of the line, and what it hands
#     out repeats no key (checked with Python, keys compared decoded).
. "$(dirname "$0")/../lib.sh"
ta=$KPIPE_BUILD/tests/test_admit
[ -x "$ta" ] || { fail admit "no $ta (make first)"; exit 0; }
command -v jq >/dev/null || { skip admit "no jq"; exit 0; }

python3 - "$ta" "$TMP" <<'PY'
import json, random, subprocess, sys
ta, tmp = sys.argv[1], sys.argv[2]
rnd = random.Random(7)

# Keys from a small pool so that objects repeat them, spelled several ways.
KEYS = ["a", "b", "ab", "user", "\u00e9", "\u20ac", "x y", "q\"t", "", "k" * 20, "\U0001f600"]

def spell_string(s):
    out = []
    for ch in s:
        c = ord(ch)
        r = rnd.random()
        if ch in '"\\' or c < 0x20:
            out.append(json.dumps(ch)[1:-1] if r < .5 else "\\u%04x" % c)
        elif r < .2:
            if c > 0xffff:
                c -= 0x10000
                out.append("\\u%04X\\u%04x" % (0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff)))
            else:
                out.append("\\u%04x" % c)
        elif r < .25 and ch == "/":
            out.append("\\/")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'

def ws():
    return rnd.choice(["", "", "", " ", "\t", "  "])

def value(d):
    k = rnd.randrange(8 if d < 3 else 5)
    if k == 0: return str(rnd.randint(-1000, 1000))
    if k == 1: return rnd.choice(["1.5", "-0", "1e3", "2.50E-2", "12345678901234567890"])
    if k == 2: return spell_string(rnd.choice(["", "s", "}]\"[{", "\\", "\u00e9", "a/b", "\x01"]))
    if k == 3: return rnd.choice(["true", "false", "null"])
    if k == 4: return spell_string("v%d" % rnd.randrange(50))
    if k in (5, 6): return obj(d + 1)
    return "[" + ws() + ",".join(ws() + value(d + 1) + ws() for _ in range(rnd.randrange(4))) + "]"

def obj(d=0):
    n = rnd.randrange(6) if rnd.random() < .9 else rnd.randrange(17, 40)
    keys = [rnd.choice(KEYS) if rnd.random() < .7 else "f%d" % rnd.randrange(60) for _ in range(n)]
    return "{" + ws() + ",".join(ws() + spell_string(k) + ws() + ":" + ws() + value(d) + ws()
                                 for k in keys) + "}"

MUTATIONS = [b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"}", b"{", b"]", b",",
             b"\"", b"\\", b"\\ud800", b"\\udc00", b"\\ud800\\udc00", b"\\u00e9", b" ", b"\t",
             b"1", b" {}", b"NaN", b"Infinity", b"\x7f", b"\x01", b":"]

def mutate(line):
    b = bytearray(line)
    for _ in range(rnd.randrange(1, 3)):
        i = rnd.randrange(len(b) + 1)
        r = rnd.random()
        if r < .6:
            b[i:i] = rnd.choice(MUTATIONS)
        elif r < .8 and len(b):
            del b[min(i, len(b) - 1)]
        else:
            b[i:] = b""
    return bytes(b)

lines = [b'{"first":"line one may start with a BOM; this one does not"}']
for _ in range(6000):
    line = obj().encode()
    lines.append(mutate(line) if rnd.random() < .4 else line)
lines += [b"[1,2]", b'"s"', b"12", b"null", b"", b"   ", b"\xef\xbb\xbf", b"\xef\xbb\xbf{}",
          b'{"a":"\\ud800"}', b'{"a":"\\ud83d\\ude00"}', b"\x00", b'{"t":0,"a":1} {"t":0,"a":100}',
          b'{"a":1}}}', b'{"a":1', b'{"a":7,"a":8}', b'{"a":1,"\\u0061":2}']
lines = [l for l in lines if b"\n" not in l and b"\r" not in l]

def no_constants(name):
    raise ValueError("not JSON: " + name)

def check_text(v):
    """Raise on a decoded string holding a lone surrogate (objects are
    lists of (key, value) pairs here)."""
    if isinstance(v, str):
        v.encode("utf-8")
    elif isinstance(v, (list, tuple)):
        for x in v: check_text(x)

def oracle(line, first):
    """('B',), ('X',) or ('R', value) for one line, by Python's json."""
    if line.strip(b" \t") == b"":
        return ("B",)
    if first and line.startswith(b"\xef\xbb\xbf"):
        line = line[3:]
    try:
        text = line.decode("utf-8")
        # Every string, also in a value that a repeated key replaces.
        check_text(json.loads(text, parse_constant=no_constants, object_pairs_hook=list))
        v = json.loads(text)
    except (ValueError, UnicodeError):
        return ("X",)
    if not isinstance(v, dict):
        return ("X",)
    return ("R", v)

with open(tmp + "/lines", "wb") as f:
    f.write(b"".join(l + b"\n" for l in lines))
got = subprocess.run([ta, "--lines", tmp + "/lines"], capture_output=True).stdout.split(b"\n")[:-1]
if len(got) != len(lines):
    print("not ok admit vs python json: %d lines in, %d results" % (len(lines), len(got)))
    sys.exit(0)

def pairs_no_repeat(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise KeyError("repeated key %r" % keys)
    return dict(pairs)

wrong, counts, admitted = [], {"R": 0, "B": 0, "X": 0}, []
for i, (line, g) in enumerate(zip(lines, got)):
    want = oracle(line, i == 0)
    counts[want[0]] += 1
    kind = g[:1].decode()
    if kind != want[0]:
        wrong.append((line, g, want[0]))
        continue
    if kind != "R":
        continue
    rec = g[2:]
    try:
        mine = json.loads(rec.decode("utf-8"), object_pairs_hook=pairs_no_repeat)
    except (ValueError, KeyError) as e:
        wrong.append((line, g, "a record without repeats: %s" % e))
        continue
    if json.dumps(mine) != json.dumps(want[1]):
        wrong.append((line, g, json.dumps(want[1])))
    admitted.append((line, rec))
print("not ok admit vs python json: %d of %d lines differ, e.g. %r" % (len(wrong), len(lines), wrong[:3])
      if wrong else "ok admit vs python json (%d lines: %d records, %d blank, %d rejected)"
      % (len(lines), counts["R"], counts["B"], counts["X"]))

# A line whose objects repeat no key is handed out as it is (white space
# around it aside); one that repeats is rewritten.
def repeats(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        repeats.found = True
    return dict(pairs)
same, rewritten, bad = 0, 0, []
for line, rec in admitted:
    repeats.found = False
    json.loads(line.decode("utf-8-sig"), object_pairs_hook=repeats)
    if repeats.found:
        rewritten += 1
    elif rec == line.strip(b" \t").removeprefix(b"\xef\xbb\xbf").strip(b" \t"):
        same += 1
    else:
        bad.append((line, rec))
print("not ok admit keeps lines without repeats: %d changed, e.g. %r" % (len(bad), bad[:2]) if bad
      else "ok admit keeps lines without repeats (%d kept, %d rewritten)" % (same, rewritten))

# jq: the same value as jq makes of the line, repeated keys included.
src = b"".join(l + b"\n" for l, _ in admitted)
ours = b"".join(r + b"\n" for _, r in admitted)
jq_src = subprocess.run(["jq", "-c", "."], input=src, capture_output=True)
jq_ours = subprocess.run(["jq", "-c", "."], input=ours, capture_output=True)
a, b = jq_src.stdout.split(b"\n"), jq_ours.stdout.split(b"\n")
diff = [(admitted[i][0], b[i], a[i]) for i in range(min(len(a), len(b)) - 1) if a[i] != b[i]]
if jq_src.returncode or jq_ours.returncode or len(a) != len(b) or diff:
    print("not ok admit repeated keys vs jq: jq exit %d/%d, %d/%d lines, %d differ, e.g. %r"
          % (jq_src.returncode, jq_ours.returncode, len(a), len(b), len(diff), diff[:2]))
else:
    print("ok admit repeated keys vs jq (%d records, %d with repeats)" % (len(admitted), rewritten))
PY

# The cases the commands disagreed on, through the filter, with reasons.
printf '%s\n' '{"t":0,"a":1} {"t":0,"a":100}' '{"a":1' '{"a":1}}}' '{"a":7,"a":8}' \
	'{"value":"{\"_meta\":1}"}' '"\ud800"' '[1]' >"$TMP/cases"
printf '\000\n\357\273\277\n' >>"$TMP/cases"
"$ta" --lines --any "$TMP/cases" >"$TMP/out" 2>"$TMP/err"
check_eq "admit cases: results" "X
X
X
R {\"a\":8}
R {\"value\":\"{\\\"_meta\\\":1}\"}
X
R [1]
X
X" "$(cat "$TMP/out")"
check_eq "admit cases: reasons" "test_admit: $TMP/cases:1: trailing characters after the JSON text at byte 15
test_admit: $TMP/cases:2: invalid JSON: unexpected end of text at byte 7
test_admit: $TMP/cases:3: trailing characters after the JSON text at byte 8
test_admit: $TMP/cases:6: invalid JSON: unpaired UTF-16 surrogate escape in string at byte 2
test_admit: $TMP/cases:8: NUL byte at byte 1
test_admit: $TMP/cases:9: byte order mark at byte 1 (allowed only at the start of a file)" "$(cat "$TMP/err")"

# A BOM starts a Windows file: skipped on its first line only.
printf '\357\273\277{"a":1}\r\n\357\273\277{"a":2}\r\n' >"$TMP/bom"
check_eq "admit BOM at the start of a file" "R {\"a\":1}
X" "$("$ta" --lines "$TMP/bom" 2>/dev/null)"
printf '\357\273\277\n' >"$TMP/bomonly"
check_eq "admit BOM-only first line" "X" "$("$ta" --lines "$TMP/bomonly" 2>/dev/null)"
