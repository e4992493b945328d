#!/usr/bin/env bash
# jparse --json: validate and compact.  Oracles: python3's json module
# (same values), a python tokenizer that drops only the blanks outside
# strings (same bytes otherwise: every digit of every number kept), and
# the jq binary (same bytes wherever jq does not rewrite numbers).
. "$(dirname "$0")/../lib.sh"

# Generated valid lines: blanks everywhere, escapes, unicode, numbers
# that jq would rewrite, big integers, nesting, non-objects.
python3 - >"$TMP/valid.ndjson" <<'PY'
import json, random
rnd = random.Random(7)
nums = ["0", "-0", "1.0", "1e2", "1E+2", "-1.5e-7", "12345678901234567890123",
        "9007199254740993", "0.1", "100", "3.14159265358979323846", "-12"]
strs = ["", "plain", "tab\there", "quote\"s", "back\\slash", "ünï\u00e7ødé",
        "\u2028line sep", "emoji \U0001F600", "ctl \u0001", "/slash"]
def ws():
    return rnd.choice(["", " ", "  ", "\t", " \t "])
def val(d):
    k = rnd.randrange(9 if d < 3 else 5)
    if k == 0: return rnd.choice(nums)
    if k == 1: return json.dumps(rnd.choice(strs), ensure_ascii=rnd.random() < 0.5)
    if k == 2: return rnd.choice(["true", "false", "null"])
    if k in (3, 4): return json.dumps(rnd.choice(strs))
    if k in (5, 6):
        return "{" + ",".join(ws() + json.dumps("k%d" % i) + ws() + ":" + ws() + val(d + 1) + ws()
                              for i in range(rnd.randrange(4))) + "}"
    return "[" + ",".join(ws() + val(d + 1) + ws() for i in range(rnd.randrange(4))) + "]"
for i in range(400):
    if i % 10 == 9:
        print(ws() + val(1) + ws())          # any value
    else:
        print(ws() + "{" + ",".join(ws() + json.dumps("f%d" % j) + ws() + ":" + ws() + val(1)
                                   for j in range(rnd.randrange(6))) + ws() + "}" + ws())
PY

jparse "$TMP/valid.ndjson" >"$TMP/valid.out" 2>"$TMP/valid.err"
check_eq valid-exit "0" "$?"

msg=$(python3 - "$TMP/valid.ndjson" "$TMP/valid.out" 2>&1 <<'PY'
import json, sys
def strip_blanks(s):
    out, i, n = [], 0, len(s)
    while i < n:
        c = s[i]
        if c == '"':
            j = i + 1
            while s[j] != '"':
                j += 2 if s[j] == '\\' else 1
            out.append(s[i:j + 1]); i = j + 1
        elif c in ' \t\r\n':
            i += 1
        else:
            out.append(c); i += 1
    return "".join(out)
src = open(sys.argv[1], encoding="utf-8").read().split("\n")[:-1]
got = open(sys.argv[2], encoding="utf-8").read().split("\n")[:-1]
if len(src) != len(got): sys.exit(f"{len(src)} lines in, {len(got)} out")
for i, (s, g) in enumerate(zip(src, got), 1):
    compact = strip_blanks(s)
    if not compact.startswith("{"):
        compact = '{"value":' + compact + '}'
    if g != compact: sys.exit(f"line {i}: want {compact!r} got {g!r}")
    v = json.loads(s)
    if not isinstance(v, dict): v = {"value": v}
    if json.loads(g) != v: sys.exit(f"line {i}: values differ")
PY
) && ok valid-bytes-and-values || fail valid-bytes-and-values "$msg"

# Against jq: byte-identical where jq keeps the text; equal values elsewhere.
if command -v jq >/dev/null; then
	jq -c 'if type == "object" then . else {value: .} end' "$TMP/valid.ndjson" >"$TMP/jq.out"
	msg=$(python3 - "$TMP/jq.out" "$TMP/valid.out" 2>&1 <<'PY'
import json, sys
jq = open(sys.argv[1], encoding="utf-8").read().split("\n")[:-1]
kp = open(sys.argv[2], encoding="utf-8").read().split("\n")[:-1]
same = sum(a == b for a, b in zip(jq, kp))
for i, (a, b) in enumerate(zip(jq, kp), 1):
    # jq turns big integers into doubles: compare as python floats there
    fa = json.loads(a, parse_int=float); fb = json.loads(b, parse_int=float)
    if a != b and fa != fb: sys.exit(f"line {i}: jq {a!r} kpipe {b!r}")
if len(jq) != len(kp) or same < len(jq) // 4: sys.exit(f"only {same} of {len(jq)} identical")
print(f"{same} of {len(jq)} byte-identical")
PY
	) && ok "jq-differential ($msg)" || fail jq-differential "$msg"
else
	skip jq-differential "no jq binary"
fi

# Numbers keep their text.
got=$(echo '{"id": 12345678901234567890123, "f": 1.0, "e": 1E+2, "z": -0}' | jparse)
check_eq number-text '{"id":12345678901234567890123,"f":1.0,"e":1E+2,"z":-0}' "$got"

# Non-objects are wrapped.
got=$(printf '[1, 2]\n"s"\nnull\n true \n3.50\n' | jparse | tr '\n' ' ')
check_eq wrap '{"value":[1,2]} {"value":"s"} {"value":null} {"value":true} {"value":3.50} ' "$got"

# CRLF, no final newline, a BOM, blank lines.
got=$(printf '\xef\xbb\xbf{"a":1}\r\n\r\n  \n{"b":2}' | jparse | tr '\n' ' ')
check_eq crlf-bom-blank '{"a":1} {"b":2} ' "$got"

# Bad lines: each reported with its line, the rest still goes through,
# exit 1, and the dead letters hold them all.
printf '{"ok":1}\n{"a":}\n{"ok":2}\n{"s":"a\x00b"}\n{"u":"\xff"}\n[1,]\n{"ok":3}\n{"a":1}x\n' >"$TMP/bad.ndjson"
jparse --errors "$TMP/dead.ndjson" "$TMP/bad.ndjson" >"$TMP/bad.out" 2>"$TMP/bad.err"
check_eq bad-exit 1 "$?"
check_eq bad-good-lines '{"ok":1} {"ok":2} {"ok":3} ' "$(tr '\n' ' ' <"$TMP/bad.out")"
check_eq bad-messages "2 4 5 6 8" "$(sed -n 's/^jparse: .*bad.ndjson:\([0-9]*\): .*/\1/p' "$TMP/bad.err" | tr '\n' ' ' | sed 's/ $//')"
grep -q 'invalid JSON: .* at byte' "$TMP/bad.err" && ok bad-reason || fail bad-reason "$(head -c 300 "$TMP/bad.err")"
msg=$(python3 - "$TMP/dead.ndjson" 2>&1 <<'PY'
import base64, json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
lines = [r["line"] for r in recs]
if lines != [2, 4, 5, 6, 8]: sys.exit(f"lines {lines}")
raw = [r["raw"].encode() if "raw" in r else base64.b64decode(r["raw_b64"]) for r in recs]
want = [b'{"a":}', b'{"s":"a\x00b"}', b'{"u":"\xff"}', b'[1,]', b'{"a":1}x']
if raw != want: sys.exit(f"raw {raw}")
if not all(r.get("reason") for r in recs): sys.exit("a reason is missing")
PY
) && ok dead-letters || fail dead-letters "$msg"

# A 50 MB line goes through whole.
python3 -c '
import sys
sys.stdout.write("{\"big\": \"" + "x" * (50 << 20) + "\", \"n\": 1}\n{\"after\":true}\n")' >"$TMP/big.ndjson"
jparse "$TMP/big.ndjson" >"$TMP/big.out"
check_eq big-line-exit 0 "$?"
got=$(python3 -c '
import json, sys
ls = open(sys.argv[1]).read().splitlines()
print(len(ls), len(json.loads(ls[0])["big"]), ls[1])' "$TMP/big.out")
check_eq big-line "2 $((50 << 20)) {\"after\":true}" "$got"
rm -f "$TMP/big.ndjson" "$TMP/big.out"

# --time on a JSON field, epoch units.
got=$(printf '{"ts":1709294400,"x":1}\n{"ts":"2024-03-01T14:00:00+02:00","x":2}\n' | jparse --time ts | tr '\n' ' ')
check_eq json-time '{"ts":"2024-03-01T12:00:00Z","x":1} {"ts":"2024-03-01T12:00:00Z","x":2} ' "$got"
got=$(echo '{"ts":1709294400250}' | jparse --time ts --epoch-unit ms)
check_eq json-time-ms '{"ts":"2024-03-01T12:00:00.250Z"}' "$got"
got=$(echo '{"ts":"01/03/2024 12:00"}' | jparse --time 'ts=%d/%m/%Y %H:%M')
check_eq json-time-format '{"ts":"2024-03-01T12:00:00Z"}' "$got"
check_exit json-time-bad 1 sh -c 'echo "{\"ts\":\"yesterday\"}" | jparse --time ts'
check_exit json-time-missing 1 sh -c 'echo "{\"x\":1}" | jparse --time ts'

# A closed pipe downstream ends quietly with status 0.
seq 1 200000 | sed 's/.*/{"n":&}/' >"$TMP/many.ndjson"
err=$(jparse "$TMP/many.ndjson" 2>&1 >/dev/null | head -c 0; jparse "$TMP/many.ndjson" 2>"$TMP/pipe.err" | head -n 1 >/dev/null; echo "${PIPESTATUS[0]}")
check_eq head-quiet "0" "$err$(cat "$TMP/pipe.err")"

# --time FIELD is a path (kpipe(7), FIELD PATHS): a.b is the nested field,
# ."a.b" the key with a dot in it, a[0] an array element.
in='{"a":{"b":1709294400},"a.b":"not a time","c":[1709294400,2]}'
check_eq json-time-nested '{"a":{"b":"2024-03-01T12:00:00Z"},"a.b":"not a time","c":[1709294400,2]}' \
	"$(echo "$in" | jparse --time a.b)"
check_eq json-time-nested-dot '{"a":{"b":"2024-03-01T12:00:00Z"},"a.b":"not a time","c":[1709294400,2]}' \
	"$(echo "$in" | jparse --time .a.b)"
check_eq json-time-index '{"a":{"b":1709294400},"a.b":"not a time","c":["2024-03-01T12:00:00Z",2]}' \
	"$(echo "$in" | jparse --time 'c[0]')"
check_exit json-time-quoted-key 1 sh -c "echo '$in' | jparse --time '.\"a.b\"'"
check_eq json-time-quoted-key-format '{"a.b":"2024-03-01T12:00:00Z"}' \
	"$(echo '{"a.b":"01/03/2024 12:00"}' | jparse --time '."a.b"=%d/%m/%Y %H:%M')"
check_eq json-time-nested-format '{"a":{"t":"2024-03-01T12:00:00Z"}}' \
	"$(echo '{"a":{"t":"01/03/2024 12:00"}}' | jparse --time 'a.t=%d/%m/%Y %H:%M')"

# -f with a payload that has its own _meta: never one key twice in an
# object.  The record is rejected (jparse(1), Envelopes) and --meta NAME
# puts the envelope elsewhere.
nodup() {	# NAME: stdin holds jparse's output; no object may repeat a key
	python3 -c '
import json, sys
def pairs(kv):
    keys = [k for k, _ in kv]
    if len(keys) != len(set(keys)): sys.exit("duplicate key in " + repr(kv))
    return dict(kv)
for line in sys.stdin: json.loads(line, object_pairs_hook=pairs)' && ok "$1" || fail "$1" "a key repeats"
}
env='{"value":"{\"_meta\":1}","offset":7}'
echo "$env" | jparse -f value 2>"$TMP/meta.err" >"$TMP/meta.out"
check_eq meta-own-exit 1 "$?"
nodup meta-own-no-duplicate <"$TMP/meta.out"
check "meta-own-reason" grep -q -- '-:1: .*_meta.*--meta' "$TMP/meta.err"
check_eq meta-own-renamed '{"_meta":1,"kafka":{"offset":7}}' "$(echo "$env" | jparse -f value --meta kafka)"
check_eq meta-own-dropped '{"_meta":1}' "$(echo "$env" | jparse -f value --no-meta)"
check_eq meta-own-escaped-key 1 "$(echo '{"value":"{\"\\u005fmeta\":1}"}' | jparse -f value 2>/dev/null >"$TMP/m2"; echo $?)"
nodup meta-own-escaped-no-duplicate <"$TMP/m2"
for fmt in "--logfmt:_meta=1 x=2" "--csv --header _meta,x:1,2" "--regex (?<_meta>.),(?<x>.):1,2"; do
	opts=${fmt%%:*} text=${fmt#*:}
	# shellcheck disable=SC2086
	printf '{"value":"%s","offset":7}\n' "$text" | jparse $opts -f value 2>/dev/null >"$TMP/m3"
	check_eq "meta-own-exit ${opts%% *}" 1 "$?"
	nodup "meta-own-no-duplicate ${opts%% *}" <"$TMP/m3"
done

# When the reader goes away, jparse stops reading: an endless input ends
# with status 0 as soon as head has its line, whatever the format.
endless() {	# NAME LINE jparse-args...
	local name=$1 line=$2; shift 2
	yes "$line" | timeout 20 jparse "$@" 2>"$TMP/endless.err" | head -n 1 >/dev/null
	check_eq "$name" "0" "${PIPESTATUS[1]}$(head -c 200 "$TMP/endless.err")"
}
endless reader-leaves-json '{"a":1}'
endless reader-leaves-csv 'a,b' --csv
endless reader-leaves-logfmt 'a=1' --logfmt
endless reader-leaves-regex 'a 1' --regex '(?<w>\w) (?<n>\d)'
endless reader-leaves-field '{"v":"a=1"}' --logfmt -f v
endless reader-leaves-field-csv '{"v":"1,2"}' --csv --header a,b -f v

# Admission (kpipe(7), INPUT): the rule every command reads records by.
suite=$TESTDATA/jsontestsuite/test_parsing
if [ -d "$suite" ]; then
	check_exit bom-no-data-suite 1 jparse "$suite/n_structure_UTF8_BOM_no_data.json"
	check_eq bom-empty-object-suite '{}' "$(jparse "$suite/i_structure_UTF-8_BOM_empty_object.json")"
else
	skip bom-no-data-suite "no $suite"
fi
printf '\xef\xbb\xbf\n{"a":1}\n' >"$TMP/bom-only"
jparse "$TMP/bom-only" >"$TMP/bom.out" 2>"$TMP/bom.err"
check_eq bom-only-exit 1 "$?"
check_eq bom-only-rest '{"a":1}' "$(cat "$TMP/bom.out")"
check "bom-only-reported" grep -q 'bom-only:1: ' "$TMP/bom.err"
cat >"$TMP/bom-field" <<'JSON'
{"v":"\ufeff{}"}
{"v":"{}"}
JSON
check_eq bom-in-field '{}' "$(jparse -f v --no-meta "$TMP/bom-field" 2>/dev/null)"

# A \u escape of half a surrogate pair: jq refuses the text (or mangles
# it), so jparse rejects it, in a line and in a field's JSON text, and
# every record jparse passes goes through jfilter and jq.
printf '%s\n' '{"a":"\ud800"}' '{"a":"\udc00x"}' '{"a":"\ud83d\ude00"}' '{"\ud800":1}' '["\ud800"]' \
	'{"a":"\ud800\u0041"}' '{"a":"ok"}' >"$TMP/sur"
jparse "$TMP/sur" >"$TMP/sur.out" 2>/dev/null
check_eq surrogate-exit 1 "$?"
check_eq surrogate-passed '{"a":"\ud83d\ude00"} {"a":"ok"} ' "$(tr '\n' ' ' <"$TMP/sur.out")"
jfilter . "$TMP/sur.out" >/dev/null 2>"$TMP/sur.jf"
check_eq surrogate-jfilter-takes-all "0" "$?$(cat "$TMP/sur.jf")"
check_exit surrogate-jq-takes-all 0 jq -c . "$TMP/sur.out"
cat >"$TMP/sur-field" <<'JSON'
{"v":"{\"a\":\"\\ud800\"}"}
{"v":"{\"a\":\"\\ud83d\\ude00\"}"}
JSON
check_eq surrogate-in-field '{"a":"\ud83d\ude00"}' "$(jparse -f v --no-meta "$TMP/sur-field" 2>/dev/null)"

# A key named twice: the last value wins, at the first one's place, as jq
# reads it; at any depth, with escaped spellings of one key, and in a
# field's JSON text.
printf '%s\n' '{"a":1,"b":2,"a":3}' '{"x":{"k":1,"k":[{"z":1,"z":2}]},"y":0}' '{"a":1,"\u0061":2}' \
	'[{"a":1,"a":2}]' >"$TMP/dup"
check_eq duplicate-keys-as-jq "$(jq -c 'if type == "object" then . else {value: .} end' "$TMP/dup")" "$(jparse "$TMP/dup")"
env='{"value":"{\"a\":1,\"b\":2,\"a\":3}","offset":1}'
check_eq duplicate-keys-in-field "$(echo "$env" | jq -c '(.value | fromjson) + {_meta: del(.value)}')" \
	"$(echo "$env" | jparse -f value)"
env='{"value":"{}","offset":1,"offset":2}'
check_eq duplicate-keys-in-envelope "$(echo "$env" | jq -c '(.value | fromjson) + {_meta: del(.value)}')" \
	"$(echo "$env" | jparse -f value)"
