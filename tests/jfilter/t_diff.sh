#!/usr/bin/env bash
# jfilter against the jq binary: for many programs over records with
# unicode, escapes, big and oddly written numbers, nested values and
# records of every type, jfilter's output and its per-record errors must be
# jq's.  The fast path, and libjq fed only the fields a program can see,
# must also agree with plain libjq (JFILTER_NO_FASTPATH=1) on every
# program, over hand-written and random records.
. "$(dirname "$0")/../lib.sh"

command -v jq >/dev/null || { skip jfilter-diff "the jq binary is not installed"; exit 0; }

# Hand-written records, compact.  Every line is JSON that both RFC 8259 and
# jq 1.6 accept (jq stops at its first parse error, so none may be bad).
cat >"$TMP/raw" <<'EOF'
{"a":1,"b":"x","s":"abc","n":{"x":2},"arr":[1,2,3]}
{"a":2,"b":"y","s":"ab\u00e9","n":{"x":"2"},"arr":[]}
{"a":"1","b":null,"s":"h\u00e9llo w\u00f6rld","n":null,"arr":[0]}
{"a":1.0,"b":true,"s":"\u65e5\u672c\u8a9e","n":{"x":[1]},"arr":[-1,-2]}
{"a":1e2,"b":false,"s":"tab\there","n":{},"arr":[3,2,1]}
{"a":100,"b":"x","s":"quote\"back\\slash\/","n":{"x":{"y":1}}}
{"a":-0,"b":"X","s":"ctl\u0001\u001f\u007f","arr":[[1],[2]]}
{"a":12345678901234567890,"s":"big"}
{"a":0.1,"s":"abcabc","n":{"x":0.30000000000000004}}
{"a":1.5e-7,"s":"ab","b":"x"}
{"a":[1,2],"s":"arr"}
{"a":{"k":1},"s":"obj"}
{"a":null,"s":null}
{"s":"emoji \ud83d\ude00 ok","a":3}
{"a":1,"a":2,"s":"dup"}
{"b\u0061r":5,"a":4,"s":"escaped key"}
{"a":5,"s":"nl\nline"}
{"a":6,"s":"ab","n":{"x":2,"y":[{"z":null}]}}
{"a":1E+2,"s":"E","n":{"x":1e400}}
{"a":123456.789,"s":"x123"}
{"a":1e-5,"s":"u1"}
{"a":1e15,"s":"u22"}
{"a":1e17,"s":"A"}
{"a":7,"s":""}
{"a":"","s":"empty a"}
[1,2,3]
"just a string"
42
null
true
{}
[]
{"a":8,"s":"abc","b":"x","arr":[1,"2",null,true,{"q":[]}]}
EOF

# Programs: the fast path's whole subset, programs libjq runs on just
# the fields they read, and programs that see the whole record (where a
# partial record would show).
# "= " marks programs whose outputs are their input unchanged.
cat >"$TMP/progs" <<'EOF'
= .
= select(.a == 1)
= select(.a != 1)
= select(.a == "1")
= select(.a < 2)
= select(.a <= 100)
= select(.a > 1)
= select(.a >= 1.5e-7)
= select(.a > null)
= select(.a < "")
= select(.a == null)
= select(.b == "x")
= select(.b != "x")
= select(.b > "X")
= select(.b)
= select(.b | not)
= select(.a == 1 and .b == "x")
= select(.a == 1 or .b == "y")
= select((.a > 1) | not)
= select(.s | test("^ab"))
= select(.s | test("c$"))
= select(.s | test("b+c"))
= select(.s | test("[0-9]"))
= select(.s | test("\\d"))
= select(.s | test("o|w"))
= select(.s | test("(ab){2}"))
= select(.s | test("x.2"))
= select(.s | startswith("ab"))
= select(.s | endswith("bc"))
= select(.s | contains("ca"))
= select(has("n"))
= select(has("bar"))
= select(.n.x == 2)
= select(.n.x > 1)
= select(.arr[0] == 1)
= select(.arr[-1] > 0)
= select(.["s"] == "abc")
= select(."a" == 1)
= select(.a == 1) | select(.s == "abc")
= select(1 < .a)
= select(.n.x.y == 1)
= select(.a == 1), select(.a == 2)
{a, b}
{a, c: .n.x, d: "lit", e: 1.50}
{s}
{"s t": .s, n}
{a: .arr[0]}
.a
.s
.n
.n.x
.arr
.arr[1]
.b
select(.a == 1) | .s
select(.a > 1) | {a, s}
.a + 1
.s | length
.arr[]
[.a, .b]
keys
to_entries
tostring
.a | tojson
.n.x | tostring
= select(.s | test("é"))
= select(.a | . == 1)
= empty
(.a, .s)
if .a == 1 then "one" else .a end
.a as $x | $x
.s | ascii_downcase
= select(.s | contains("é"))
= select(.a == 1.0)
= select(.a == 1e2)
.a as $x | {x: $x, y: .b}
{a: (.n | keys?)}
if .a == 1 then .s else .b end
.n.x as $v | select(.a != null) | {v: $v}
"\(.a)-\(.s)"
{(.s): .a}
.arr[.a]
= select(.a | tostring | test("1"))
.a // .b
{s} | keys
select(.arr | length > 1) | {arr}
.["s"] | ascii_upcase
[.a, .b]
{a: .a?, "b": .b}
= select(.s | length > 2)
= select(.arr | length >= 2)
= select(.n | length == 1)
= select(.a | length > 1)
= select(length > 4)
.a | length
[.[]?]
del(.a)
.a = 1
{a} + .
. as $r | $r.s
[paths]
length
select(.a) | keys
if .a then . else {} end
"\(.)"
{a: .}
.a, .
select(.s == "abc") | to_entries
.b as $x | select($x) | tojson
= select(.a==1and .b == "x")
= select(.s != "a#b") # a comment, not part of the string
= select(.s | test("a#b") | not)
"\(.a)-\("<\(.s)>")"
{"a\nb": .a, "s t": ."s"} | keys
select(has("s")) | .["s"] | ascii_downcase
EOF

canon=$TMP/canon
jq -c . "$TMP/raw" >"$canon" || { fail jfilter-diff-setup "jq cannot read the corpus"; exit 0; }
# The lines a selection may write: the input's own, and for a record that
# names a key twice, that record as jq reads it (the last value at the
# first place: kpipe(7), INPUT).
cp "$TMP/raw" "$TMP/kept"
python3 -c '
import json, sys
def pairs(kv):
    if len({k for k, _ in kv}) != len(kv): raise KeyError
    return dict(kv)
for line in open(sys.argv[1], encoding="utf-8"):
    try: json.loads(line, object_pairs_hook=pairs)
    except KeyError: print(line, end="")
    except ValueError: pass' "$TMP/raw" | jq -c . >>"$TMP/kept"

# Per-record errors as "LINE: REASON", from jq's stderr and from jfilter's
# dead letters.
jq_errors() { sed -n 's/^jq: error (at [^:]*:\([0-9]*\)): \(.*\)$/\1: jq error: \2/p'; }
dl_errors() { [ -s "$1" ] && jq -r '"\(.line): \(.reason)"' "$1"; }

n=0
while IFS= read -r prog; do
	n=$((n + 1))
	pass=0
	case $prog in "= "*) pass=1 prog=${prog#= } ;; esac
	# Raw records: output and errors are jq's; programs that only select
	# (marked "= ") keep the input's bytes (1.0, 1e2, escapes, big
	# integers), so there the values must be jq's and each line one of
	# the input lines.
	rm -f "$TMP/dl"
	jq -c "$prog" "$TMP/raw" >"$TMP/want" 2>"$TMP/want.err"
	jfilter --errors "$TMP/dl" "$prog" "$TMP/raw" >"$TMP/got" 2>/dev/null
	JFILTER_NO_FASTPATH=1 jfilter "$prog" "$TMP/raw" >"$TMP/slow" 2>/dev/null
	if [ "$pass" = 1 ]; then
		jq -c . "$TMP/got" >"$TMP/got.v" 2>/dev/null
		jq -c . "$TMP/want" >"$TMP/want.v"
		check_file_eq "values-$n" "$TMP/want.v" "$TMP/got.v"
		if grep -qvxFf "$TMP/kept" "$TMP/got"; then fail "bytes-kept-$n" "[$prog] $(grep -vxFf "$TMP/kept" "$TMP/got" | head -2)"
		else ok "bytes-kept-$n"; fi
		# On canonical records the bytes are jq's too.
		jq -c "$prog" "$canon" >"$TMP/want.c" 2>/dev/null
		jfilter "$prog" "$canon" >"$TMP/got.c" 2>/dev/null
		check_file_eq "canonical-$n" "$TMP/want.c" "$TMP/got.c"
	else
		check_file_eq "output-$n" "$TMP/want" "$TMP/got"
	fi
	check_file_eq "errors-$n" <(jq_errors <"$TMP/want.err") <(dl_errors "$TMP/dl")
	check_file_eq "fast-slow-$n" "$TMP/slow" "$TMP/got"
done <"$TMP/progs"

# Raw output (-r) on strings, numbers and objects.
for prog in .s .a '{s}' 'select(.a == 1) | .s' '.s, .a'; do
	jq -rc "$prog" "$canon" >"$TMP/want" 2>/dev/null
	jfilter -r "$prog" "$canon" >"$TMP/got" 2>/dev/null
	check_file_eq "raw-output [$prog]" "$TMP/want" "$TMP/got"
done

# Random records: the fast path against libjq on every program, and
# against jq on canonical text.
python3 - "$TMP/rand" <<'PYEOF'
import json, random, sys
rnd = random.Random(7)
keys = ["a", "b", "s", "n", "arr", "x", "é"]
def scalar():
    r = rnd.random()
    if r < 0.1: return None
    if r < 0.2: return rnd.random() < 0.5
    if r < 0.45: return rnd.choice([0, 1, 2, -1, 100, 1.5, 0.1, 1e-7, 2.5e20, 123456789, -0.0, 3])
    return "".join(rnd.choice(["a", "b", "c", "é", "\n", "\"", "\\", "1", "x", "日", "\u0001", " "])
                   for _ in range(rnd.randrange(0, 6)))
def value(d=0):
    r = rnd.random()
    if d < 2 and r < 0.15: return [value(d + 1) for _ in range(rnd.randrange(0, 4))]
    if d < 2 and r < 0.3: return {rnd.choice(keys): value(d + 1) for _ in range(rnd.randrange(0, 4))}
    return scalar()
with open(sys.argv[1], "w") as f:
    for i in range(600):
        rec = {k: value() for k in rnd.sample(keys, rnd.randrange(0, len(keys)))}
        if rnd.random() < 0.05: rec = value()
        text = json.dumps(rec, separators=(",", ":"), ensure_ascii=rnd.random() < 0.5)
        if rnd.random() < 0.1: text = text.replace(":1,", ":1.0,").replace(":100", ":1e2")
        f.write(text + "\n")
PYEOF
jq -c . "$TMP/rand" >"$TMP/rand.canon"
n=0
while IFS= read -r prog; do
	n=$((n + 1))
	prog=${prog#= }
	for input in rand rand.canon; do
		jfilter "$prog" "$TMP/$input" >"$TMP/got" 2>"$TMP/got.err"
		JFILTER_NO_FASTPATH=1 jfilter "$prog" "$TMP/$input" >"$TMP/slow" 2>"$TMP/slow.err"
		if cmp -s "$TMP/got" "$TMP/slow" && cmp -s "$TMP/got.err" "$TMP/slow.err"; then ok "random-fast-slow-$n-$input"
		else fail "random-fast-slow-$n-$input" "[$prog] $(diff "$TMP/slow" "$TMP/got" | head -4 | tr '\n' ' ')$(diff "$TMP/slow.err" "$TMP/got.err" | head -4 | tr '\n' ' ')"; fi
	done
	jq -c "$prog" "$TMP/rand.canon" >"$TMP/want" 2>/dev/null
	jfilter "$prog" "$TMP/rand.canon" >"$TMP/got" 2>/dev/null
	check_file_eq "random-jq-$n" "$TMP/want" "$TMP/got"
done <"$TMP/progs"

# Numbers written every which way, and strings with every kind of escape:
# a projection prints them as jq does (the fast path formats numbers and
# re-escapes strings itself).
python3 - "$TMP/nums" <<'PYEOF'
import random, sys
rnd = random.Random(11)
def digits(n): return "".join(rnd.choice("0123456789") for _ in range(n))
def number():
    s = rnd.choice(["", "-"])
    i = rnd.choice(["0", digits(1).lstrip("0") or "1", "1" + digits(rnd.randrange(0, 20))])
    s += i
    if rnd.random() < 0.6: s += "." + digits(rnd.randrange(1, 12))
    if rnd.random() < 0.4: s += rnd.choice("eE") + rnd.choice(["", "+", "-"]) + str(rnd.randrange(0, 320))
    return s
def string():
    parts = []
    for _ in range(rnd.randrange(0, 8)):
        r = rnd.random()
        if r < 0.3: parts.append(rnd.choice(["a", "Z", " ", "é", "日", "😀", "\x7f"]))
        elif r < 0.6: parts.append(rnd.choice(['\\"', "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"]))
        else: parts.append("\\u%04x" % rnd.choice([0, 1, 0x1f, 0x20, 0x41, 0x7f, 0x80, 0xe9, 0x2028, 0xfffd, 0xffff]))
    return '"' + "".join(parts) + '"'
with open(sys.argv[1], "w") as f:
    for _ in range(3000):
        f.write('{"a":%s,"s":%s,"n":{"x":[%s,%s]}}\n' % (number(), string(), number(), string()))
PYEOF
for prog in '{a, s}' '.a' '.s' '{n}' '.n.x[1]' 'tostring' '. + {}'; do
	jq -c "$prog" "$TMP/nums" >"$TMP/want" 2>/dev/null
	jfilter "$prog" "$TMP/nums" >"$TMP/got" 2>/dev/null
	check_file_eq "numbers-strings [$prog]" "$TMP/want" "$TMP/got"
done
jq -r .s "$TMP/nums" >"$TMP/want" 2>/dev/null
jfilter -r .s "$TMP/nums" >"$TMP/got" 2>/dev/null
check_file_eq "numbers-strings raw" "$TMP/want" "$TMP/got"
