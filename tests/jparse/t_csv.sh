#!/usr/bin/env bash
# jparse --csv / --tsv.  Oracle: python3's csv module on generated tricky
# CSV (quotes, delimiters and newlines inside quotes, CRLF, unicode).
. "$(dirname "$0")/../lib.sh"

# Differential: random RFC 4180 files, both line endings, csv and tsv.
for dialect in csv-lf csv-crlf tsv-lf; do
	python3 - "$dialect" "$TMP/$dialect.in" <<'PY'
import csv, random, sys
dialect, path = sys.argv[1:3]
rnd = random.Random(dialect)
delim = "\t" if dialect.startswith("tsv") else ","
eol = "\r\n" if dialect.endswith("crlf") else "\n"
pieces = ["a", "b c", "x,y", "say \"hi\"", "line\nbreak", "cr\r\nlf", "tab\tin", "ü€😀",
          "  padded  ", "42", "-1.5", "007", "true", "", "'single'", "semi;colon"]
with open(path, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, delimiter=delim, lineterminator=eol,
                   quoting=csv.QUOTE_ALL if dialect == "csv-crlf" else csv.QUOTE_MINIMAL)
    ncol = 5
    w.writerow(["id", "name with space", "q\"uote", "c,omma", "last"])
    for i in range(300):
        row = ["".join(rnd.choice(pieces) for _ in range(rnd.randrange(3))) for _ in range(ncol)]
        if all(c == "" for c in row): row[0] = "x"   # python writes an all-empty row as a blank line
        w.writerow(row)
PY
	opt=--csv; [ "${dialect%%-*}" = tsv ] && opt=--tsv
	jparse $opt --strings "$TMP/$dialect.in" >"$TMP/$dialect.out" 2>"$TMP/$dialect.err"
	rc=$?
	msg=$(python3 - "$dialect" "$TMP/$dialect.in" "$TMP/$dialect.out" 2>&1 <<'PY'
import csv, json, sys
dialect, src, out = sys.argv[1:4]
delim = "\t" if dialect.startswith("tsv") else ","
want = list(csv.DictReader(open(src, newline="", encoding="utf-8"), delimiter=delim))
got = [json.loads(l) for l in open(out, encoding="utf-8")]
if len(want) != len(got): sys.exit(f"{len(want)} rows, {len(got)} records")
for i, (w, g) in enumerate(zip(want, got), 1):
    if dict(w) != g or list(w) != list(g): sys.exit(f"row {i}: want {dict(w)} got {g}")
PY
	)
	if [ "$rc" -eq 0 ] && [ -z "$msg" ]; then ok "python-csv-$dialect"
	else fail "python-csv-$dialect" "exit $rc $msg $(head -c 200 "$TMP/$dialect.err")"; fi
done

# Inference on cells; quoted "" is the empty string, an empty cell null.
got=$(printf 'a,b,c,d,e,f,g\n42,4.5,true,,"",007,"x"\n' | jparse --csv)
check_eq infer '{"a":42,"b":4.5,"c":true,"d":null,"e":"","f":"007","g":"x"}' "$got"
got=$(printf 'a,b\n,""\n' | jparse --csv --strings)
check_eq strings-empty '{"a":"","b":""}' "$got"

# --header: the first line is data.
got=$(printf '1,2\n3,4\n' | jparse --csv --header x,y | tr '\n' ' ')
check_eq header-option '{"x":1,"y":2} {"x":3,"y":4} ' "$got"

# BOM, CRLF, missing final newline, blank lines between rows.
got=$(printf '\xef\xbb\xbfa,b\r\n1,2\r\n\r\n3,4' | jparse --csv | tr '\n' ' ')
check_eq bom-crlf-eof '{"a":1,"b":2} {"a":3,"b":4} ' "$got"

# -d: another delimiter; each file has its own header.
printf 'a;b\n1;2\n' >"$TMP/semi.csv"
printf 'x;y\n"3;3";4\n' >"$TMP/semi2.csv"
got=$(jparse --csv -d ';' "$TMP/semi.csv" "$TMP/semi2.csv" | tr '\n' ' ')
check_eq delimiter-files '{"a":1,"b":2} {"x":"3;3","y":4} ' "$got"

# A repeated column name: the last value wins, at the first place.
got=$(printf 'a,b,a\n1,2,3\n' | jparse --csv)
check_eq dup-header '{"a":3,"b":2}' "$got"

# Bad rows: ragged, stray quote, invalid UTF-8, NUL; a row spanning lines
# is reported at its first line; the good rows all come through.
printf 'a,b\n1,2\n3\n"multi\nline",4,5\n6,7\nx"y,8\n9,\xff\n10,1\x002\n11,12\n' >"$TMP/bad.csv"
jparse --csv --errors "$TMP/dead.ndjson" "$TMP/bad.csv" >"$TMP/bad.out" 2>"$TMP/bad.err"
check_eq bad-exit 1 "$?"
check_eq bad-good '{"a":1,"b":2} {"a":6,"b":7} {"a":11,"b":12} ' "$(tr '\n' ' ' <"$TMP/bad.out")"
check_eq bad-lines "3 4 7 8 9" "$(sed -n 's/^jparse: .*bad.csv:\([0-9]*\): .*/\1/p' "$TMP/bad.err" | tr '\n' ' ' | sed 's/ $//')"
grep -q 'bad.csv:3: 1 fields where the header has 2' "$TMP/bad.err" && ok ragged-reason || fail ragged-reason "$(cat "$TMP/bad.err")"
grep -q 'bad.csv:8: invalid UTF-8 at line 8 byte 3' "$TMP/bad.err" && ok utf8-reason || fail utf8-reason "$(cat "$TMP/bad.err")"
msg=$(python3 - "$TMP/dead.ndjson" 2>&1 <<'PY'
import base64, json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
raw = [r["raw"].encode() if "raw" in r else base64.b64decode(r["raw_b64"]) for r in recs]
want = [b'3', b'"multi\nline",4,5', b'x"y,8', b'9,\xff', b'10,1\x002']
if raw != want: sys.exit(f"raw {raw}")
PY
) && ok bad-dead-letters || fail bad-dead-letters "$msg"

# An unterminated quote is reported at the line it opened on.
printf 'a,b\n1,2\n3,"open\n4,5\n' | jparse --csv >"$TMP/open.out" 2>"$TMP/open.err"
check_eq unterminated-exit "1 {\"a\":1,\"b\":2}" "$? $(cat "$TMP/open.out")"
grep -q -- '-:3: unterminated quoted field' "$TMP/open.err" && ok unterminated-line || fail unterminated-line "$(cat "$TMP/open.err")"

# A 50 MB field in quotes, spanning two lines.
python3 -c '
import sys
sys.stdout.write("a,b\n1,\"" + "y" * (25 << 20) + "\n" + "z" * (25 << 20) + "\"\n2,3\n")' >"$TMP/big.csv"
jparse --csv "$TMP/big.csv" >"$TMP/big.out"
check_eq big-field-exit 0 "$?"
got=$(python3 -c '
import json, sys
ls = open(sys.argv[1]).read().splitlines()
print(len(ls), len(json.loads(ls[0])["b"]), ls[1])' "$TMP/big.out")
check_eq big-field "2 $(((50 << 20) + 1)) {\"a\":2,\"b\":3}" "$got"
rm -f "$TMP/big.csv" "$TMP/big.out"
