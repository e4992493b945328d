# num_format and num_parse_json against Python's float, which is correctly
# rounded both ways (repr is the shortest text that reads back).
. "$(dirname "$0")/../lib.sh"
tn=$KPIPE_BUILD/tests/test_num
[ -x "$tn" ] || { fail num-oracle "no $tn (make first)"; exit 0; }

python3 - "$tn" <<'PY'
import random, struct, subprocess, sys, math
from decimal import Decimal
tn = sys.argv[1]
rnd = random.Random(20261121)

def run(mode, lines):
    r = subprocess.run([tn, mode], input="\n".join(lines) + "\n", capture_output=True, text=True, check=True)
    return r.stdout.split("\n")[:-1]

# Formatting: random bit patterns and short decimals.
xs = []
for i in range(20000):
    if i % 2:
        x = struct.unpack("<d", struct.pack("<Q", rnd.getrandbits(64)))[0]
    else:
        x = rnd.randint(-10**9, 10**9) / 10 ** rnd.randint(0, 12)
    if math.isfinite(x):
        xs.append(x)
xs += [0.1, 1e17, 1e16, 5e-324, 123456789012345678.0, 2.0**53, 1e-7, 0.30000000000000004]
got = run("--format", [x.hex() for x in xs])

def want(x):
    # kpipe's rule: integral and below 1e17 as digits; otherwise Python's
    # shortest digits laid out as %.Pg does, P = max(15, digits) (the first
    # of %.15g, %.16g, %.17g that reads back).
    if x == int(x) and abs(x) < 1e17:
        return "-0" if math.copysign(1, x) < 0 and x == 0 else str(int(x))
    d = Decimal(repr(x))
    digits = "".join(map(str, d.as_tuple().digits)).rstrip("0")
    k = d.adjusted()
    p = max(15, len(digits))
    sign = "-" if x < 0 else ""
    if k < -4 or k >= p:
        m = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return "%s%se%s%02d" % (sign, m, "-" if k < 0 else "+", abs(k))
    if k < 0:
        return sign + "0." + "0" * (-k - 1) + digits
    ip, fp = digits[:k + 1], digits[k + 1:]
    return sign + ip + "0" * (k + 1 - len(ip)) + ("." + fp if fp else "")

bad = [(x, g, want(x)) for x, g in zip(xs, got) if g != want(x)]
if bad:
    print("not ok num_format vs python repr: %d of %d differ, e.g. %s" % (len(bad), len(xs), bad[:3]))
else:
    print("ok num_format vs python repr (%d doubles)" % len(xs))
rt = [(x, g) for x, g in zip(xs, got) if float(g) != x]
print("not ok num_format reads back in python: %s" % rt[:3] if rt else "ok num_format reads back in python (%d)" % len(xs))

# Parsing: random JSON number texts of every shape.
def num():
    s = rnd.choice(["", "-"])
    n = rnd.choice([1, 2, 5, 15, 16, 17, 19, 20, 25, 40])
    s += str(rnd.randint(1, 9)) + "".join(rnd.choice("0123456789") for _ in range(n - 1)) if rnd.random() < 0.9 else "0"
    if rnd.random() < 0.6:
        s += "." + "".join(rnd.choice("0123456789") for _ in range(rnd.randint(1, 25)))
    if rnd.random() < 0.5:
        s += rnd.choice("eE") + rnd.choice(["", "+", "-"]) + str(rnd.choice([0, 1, 5, 22, 23, 100, 300, 308, 309, 320, 330, 400]))
    return s
texts = [num() for _ in range(20000)]
texts += ["0", "-0", "9007199254740993", "2.2250738585072011e-308", "4.9e-324", "2.4703282292062327e-324",
          "1.7976931348623158e308", "1e23", "8.98846567431158e307", "0.1e-7", "123456789012345678901234567890e-30"]
got = run("--parse", texts)
bad = []
for t, g in zip(texts, got):
    w = float(t)
    if g == "error" or float.fromhex(g) != w or math.copysign(1, float.fromhex(g)) != math.copysign(1, w):
        bad.append((t, g, w.hex()))
print("not ok num_parse_json vs python float: %d of %d differ, e.g. %s" % (len(bad), len(texts), bad[:3]) if bad
      else "ok num_parse_json vs python float (%d texts)" % len(texts))
bad = [g for g in run("--parse", ["01", "1.", ".5", "+1", "1e", "-", "nan", "Infinity", "0x10", "1e+", " 1", "1 "]) if g != "error"]
print("not ok num_parse_json rejects non-JSON: %s" % bad if bad else "ok num_parse_json rejects non-JSON")
PY
