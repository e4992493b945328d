#!/usr/bin/env bash
# kout --csv / --tsv: the output read back by independent readers (Python's
# csv module, Miller) must give every input value back exactly.
. "$(dirname "$0")/../lib.sh"

# Tricky values: separators, quotes, line breaks, unicode, escapes, nested
# values (expected back as compact JSON text), null and missing (empty).
cat >"$TMP/in.json" <<'JSON'
{"id":1,"text":"plain","n":42,"f":-3.5,"ok":true,"nested":{"a":[1,2,{"b":null}]},"nul":null}
{"id":2,"text":"comma, inside","n":0,"f":1e+300,"ok":false,"nested":[],"nul":null}
{"id":3,"text":"quote \" and \"\"two\"\"","n":-7,"f":0.1,"ok":true,"nested":{},"nul":"x"}
{"id":4,"text":"line\nbreak and\r\nCRLF","n":12345678901234567890,"f":2.5e-8,"ok":false,"nested":"s"}
{"id":5,"text":"tab\there","n":1,"f":1,"ok":true,"nested":{"k":"v, \"q\""},"nul":null}
{"id":6,"text":"ünïcödé 日本語 😀 \u00e9\u0301","n":2,"f":3,"ok":true,"nested":null,"nul":null}
{"id":7,"text":"","n":3,"f":4,"ok":true,"nested":{"x":"\u2028"},"nul":null}
{"id":8,"text":"  spaces around  ","n":4,"f":5,"ok":true,"nested":[1,2],"extra":"late"}
{"id":9,"text":"\\backslash\\ and / slash","n":5,"f":6,"ok":true,"nested":[[]],"nul":null}
JSON

# What each field must read back as, from the JSON by Python: numbers keep
# their literal text; nested values must read back as JSON text that parses
# to the same value (the escapes as written are kept, so not compared as text).
cat >"$TMP/expect.py" <<'PY'
import json, sys
def text(v):
    if v is None: return ""
    if isinstance(v, bool): return "true" if v else "false"
    if isinstance(v, str): return v
    if isinstance(v, (dict, list)): return {"json": v}
    return v  # literal number text, kept by parse_int/parse_float=str
lines = open(sys.argv[1]).read().splitlines()
recs = [json.loads(l, parse_int=str, parse_float=str) for l in lines]
# nested values as ordinary JSON values
for r, l in zip(recs, lines):
    for k, v in json.loads(l).items():
        if isinstance(v, (dict, list)): r[k] = [v]  # marker: a container
def text2(v):
    if isinstance(v, list) and len(v) == 1 and isinstance(v[0], (dict, list)): return {"json": v[0]}
    return text(v)
cols = []
for r in recs:
    for k in r:
        if k not in cols: cols.append(k)
rows = [{c: text2(r.get(c)) for c in cols} for r in recs]
json.dump({"cols": cols, "rows": rows}, open(sys.argv[2], "w"))
PY
python3 "$TMP/expect.py" "$TMP/in.json" "$TMP/expect.json"

cat >"$TMP/readback.py" <<'PY'
import csv, json, sys
delim = "\t" if sys.argv[2] == "tsv" else ","
want = json.load(open(sys.argv[3]))
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f, delimiter=delim))
if rows[0] != want["cols"]:
    sys.exit("header %r != %r" % (rows[0], want["cols"]))
got = [dict(zip(rows[0], r)) for r in rows[1:]]
def same(g, w):
    if isinstance(w, dict): return json.loads(g) == w["json"]
    return g == w
for i, (g, w) in enumerate(zip(got, want["rows"])):
    if g.keys() != w.keys() or not all(same(g[k], w[k]) for k in w):
        sys.exit("row %d: %r != %r" % (i + 1, g, w))
if len(got) != len(want["rows"]):
    sys.exit("%d rows, wanted %d" % (len(got), len(want["rows"])))
PY

cat >"$TMP/mlrback.py" <<'PY'
import json, sys
got = json.load(open(sys.argv[1]))
want = json.load(open(sys.argv[2]))["rows"]
def same(g, w):
    # Miller's CSV reader splits lines before it unquotes, so a CR before a
    # line break inside a quoted field is lost: its one known difference
    # (Python's reader above keeps it, so the CSV holds it).
    if isinstance(w, str): w = w.replace("\r\n", "\n")
    # Miller writes the text "[]" and "{}" as an empty array and object.
    if isinstance(w, dict): return (json.loads(g) if isinstance(g, str) else g) == w["json"]
    return g == w
for i, (g, w) in enumerate(zip(got, want)):
    if g.keys() != w.keys() or not all(same(g[k], w[k]) for k in w):
        sys.exit("row %d: %r != %r" % (i + 1, g, w))
if len(got) != len(want):
    sys.exit("%d rows, wanted %d" % (len(got), len(want)))
PY

for fmt in csv tsv; do
	kout --$fmt "$TMP/in.json" >"$TMP/out.$fmt" 2>"$TMP/err"
	check_eq "$fmt exit status" 0 $?
	check "$fmt read back by python csv" python3 "$TMP/readback.py" "$TMP/out.$fmt" $fmt "$TMP/expect.json"
done
# Miller, with type inference off so each value is compared as text.
mlr --icsv --ojson -S cat "$TMP/out.csv" >"$TMP/mlr.json"
check "csv read back by mlr --icsv --ojson" python3 "$TMP/mlrback.py" "$TMP/mlr.json" "$TMP/expect.json"
mlr --icsv --ifs tab --ojson -S cat "$TMP/out.tsv" >"$TMP/mlr-tsv.json"
check "tsv read back by mlr --icsv --ifs tab" python3 "$TMP/mlrback.py" "$TMP/mlr-tsv.json" "$TMP/expect.json"
# Plain fields stay unquoted; only the ones that need it are quoted.
check_eq "csv quotes only where needed" "1,plain,42,-3.5,true,\"{\"\"a\"\":[1,2,{\"\"b\"\":null}]}\",," \
	"$(sed -n 2p "$TMP/out.csv")"

# --format csv is --csv; --columns picks, orders and reaches into records.
kout --format csv --columns 'nested.a[0],id,missing' "$TMP/in.json" | head -n 3 >"$TMP/cols.csv"
printf 'nested.a[0],id,missing\n1,1,\n,2,\n' >"$TMP/cols.want"
check_file_eq "csv --columns paths" "$TMP/cols.want" "$TMP/cols.csv"

# The header comes from the first batch: a record with a field first seen
# later cannot be written whole, so it is rejected (each one), never
# written without the field.
printf '{"a":1}\n{"a":2,"b":3}\n{"a":4,"b":5}\n' >"$TMP/late.json"
kout --csv --batch 1 "$TMP/late.json" >"$TMP/late.csv" 2>"$TMP/late.err"
check_eq "late field: exit 1" 1 $?
check_eq "late field: its records not written" "$(printf 'a\n1')" "$(cat "$TMP/late.csv")"
check_eq "late field: each record reported" "late.json:2: late.json:3: " \
	"$(grep -o 'late.json:[0-9]*: field "b" is not in the header' "$TMP/late.err" | cut -d' ' -f1 | tr '\n' ' ')"
kout --csv "$TMP/late.json" >"$TMP/late2.csv"
check_eq "fields of the first batch all in the header" "$(printf 'a,b\n1,\n2,3\n4,5')" "$(cat "$TMP/late2.csv")"

# A single empty column must not become an empty line (readers skip those).
printf '{"a":""}\n{"a":"x"}\n' | kout --csv >"$TMP/one.csv"
check_eq "lone empty field quoted" "$(printf 'a\n""\nx')" "$(cat "$TMP/one.csv")"

# No records: nothing, or the header when --columns names it.
check_eq "no input, no output" "" "$(kout --csv </dev/null)"
check_eq "no input, --columns header" "x,y" "$(kout --csv --columns x,y </dev/null)"

# Round trip through kpipe's own CSV reader, when it is built.
if [ -x "$KPIPE_BIN/jparse" ]; then
	printf '{"a":"x, \\"y\\"\\nz","b":"plain"}\n' >"$TMP/rt.json"
	kout --csv "$TMP/rt.json" | jparse --csv --strings >"$TMP/rt.out" 2>&1
	check_eq "csv round trip through jparse --csv" "$(cat "$TMP/rt.json")" "$(cat "$TMP/rt.out")"
else
	skip "csv round trip through jparse --csv" "jparse not built"
fi
