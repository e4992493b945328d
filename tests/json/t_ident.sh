# ident_append (common/ident.c) against jq: values that jq's group_by puts
# in one group, and only those, get equal canonical bytes.  The values are
# generated as text with their spellings varied: escapes in strings and
# keys, numbers as integers, fractions and exponents, -0, key order,
# nesting.  Numbers keep to 15 significant digits and modest exponents, so
# that jq 1.6's doubles are equal exactly when the decimals are (beyond
# that ident tells apart what a double cannot; see test_ident).  The
# canonical bytes must also be JSON that jq reads back to the same value.
. "$(dirname "$0")/../lib.sh"
ti=$KPIPE_BUILD/tests/test_ident
[ -x "$ti" ] || { fail ident "no $ti (make first)"; exit 0; }
command -v jq >/dev/null || { skip ident "no jq"; exit 0; }

python3 - "$ti" <<'PY'
import json, random, subprocess, sys
ti = sys.argv[1]
rnd = random.Random(3)

TEXTS = ["", "a", "ab", "a b", "A", "\u00e9", "e\u0301", "\u20ac", "\U0001f600", "q\"t", "b\\s",
         "a/b", "tab\t", "nl\n", "\x00", "\x1f", "\x7f", "1", "null", "true"]

def spell_string(s):
    out = []
    for ch in s:
        c, r = ord(ch), rnd.random()
        if ch in '"\\' or c < 0x20:
            out.append(json.dumps(ch)[1:-1] if r < .5 else "\\u%04x" % c)
        elif r < .3:
            if c > 0xffff:
                c -= 0x10000
                out.append("\\u%04x\\u%04X" % (0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff)))
            else:
                out.append(("\\u%04x" if r < .15 else "\\u%04X") % c)
        elif r < .4 and ch == "/":
            out.append("\\/")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'

def spell_number(m, e):
    """A spelling of the value m * 10**e (m an integer of up to 6 digits)."""
    neg = m < 0 or (m == 0 and rnd.random() < .3)
    digits = str(abs(m))
    shift = rnd.randrange(-3, 4)          # write (m * 10**shift) * 10**(e - shift)
    if shift > 0:
        digits += "0" * shift
    elif shift < 0 and len(digits) > -shift and digits.endswith("0" * -shift):
        digits = digits[:len(digits) + shift]
    else:
        shift = 0
    exp = e - shift
    # place a decimal point: digits[:p] . digits[p:] times 10**(exp + len - p)
    p = rnd.randrange(1, len(digits) + 1)
    exp += len(digits) - p
    intpart, frac = digits[:p].lstrip("0") or "0", digits[p:]
    if frac and rnd.random() < .3:
        frac += "0" * rnd.randrange(1, 3)
    text = intpart + ("." + frac if frac else "")
    if exp != 0 or rnd.random() < .2:
        text += rnd.choice("eE") + rnd.choice(["", "+"] if exp >= 0 else [""]) + str(exp)
    elif frac == "" and rnd.random() < .2:
        text += ".0"
    return ("-" if neg else "") + text

def number():
    m = rnd.choice([0, 1, 2, 10, 15, 25, 100, 123456, -1, -250, 7, 999999])
    e = rnd.randrange(-4, 5)
    return spell_number(m, e)

def value(d=0):
    k = rnd.randrange(7 if d < 2 else 4)
    if k == 0: return number()
    if k == 1: return spell_string(rnd.choice(TEXTS))
    if k == 2: return rnd.choice(["null", "true", "false"])
    if k == 3: return number() if rnd.random() < .5 else spell_string(rnd.choice(TEXTS[:6]))
    if k == 4:
        return "[" + ",".join(value(d + 1) for _ in range(rnd.randrange(3))) + "]"
    keys = rnd.sample(["a", "b", "\u00e9", "x y", ""], rnd.randrange(3))
    rnd.shuffle(keys)
    return "{" + " , ".join(spell_string(k) + ":" + value(d + 1) for k in keys) + "}"

vals = [value() for _ in range(4000)]
got = subprocess.run([ti, "--keys"], input="".join(v + "\n" for v in vals).encode(),
                     capture_output=True, check=True).stdout.split(b"\n")[:-1]
records = "".join('{"i":%d,"g":%s}\n' % (i, v) for i, v in enumerate(vals))
jq = subprocess.run(["jq", "-s", "-c", "group_by(.g) | map(map(.i))"], input=records.encode(),
                    capture_output=True)
if jq.returncode or len(got) != len(vals):
    print("not ok ident vs jq group_by: jq exit %d: %s; %d values, %d keys"
          % (jq.returncode, jq.stderr[:200], len(vals), len(got)))
    sys.exit(0)
theirs = {frozenset(g) for g in json.loads(jq.stdout)}
groups = {}
for i, k in enumerate(got):
    groups.setdefault(k, set()).add(i)
ours = {frozenset(g) for g in groups.values()}
if ours != theirs:
    split = [sorted(vals[i] for i in g) for g in theirs - ours][:3]
    joined = [sorted(vals[i] for i in g) for g in ours - theirs][:3]
    print("not ok ident vs jq group_by: %d groups here, %d in jq; jq's groups not here: %r; "
          "groups here not in jq: %r" % (len(ours), len(theirs), split, joined))
else:
    multi = sum(1 for g in ours if len(g) > 1)
    print("ok ident vs jq group_by (%d values, %d groups, %d with more than one spelling)"
          % (len(vals), len(ours), multi))

# The canonical bytes are JSON, and jq reads them as the value itself (-0
# aside, which jq prints but groups with 0).
prog = 'walk(if type == "number" and . == 0 then 0 else . end)'
a = subprocess.run(["jq", "-S", "-c", prog], input="".join(v + "\n" for v in vals).encode(),
                   capture_output=True)
b = subprocess.run(["jq", "-S", "-c", prog], input=b"".join(k + b"\n" for k in got),
                   capture_output=True)
if a.returncode or b.returncode or a.stdout != b.stdout:
    d = [(vals[i], got[i]) for i, (x, y) in enumerate(zip(a.stdout.split(b"\n"), b.stdout.split(b"\n")))
         if x != y][:3]
    print("not ok ident bytes are the value as JSON: jq exit %d/%d, e.g. %r" % (a.returncode, b.returncode, d))
else:
    print("ok ident bytes are the value as JSON (%d values)" % len(vals))
PY
