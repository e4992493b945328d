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

# Rows without quotes are split directly, the others go through libcsv:
# a file that switches between the two at every kind of row must still
# read as python's csv module reads it.  The generator knows which cells
# it quoted (python cannot tell "" from an empty cell), so inference is
# checked against the rule in jparse(1): a JSON number (integers up to 19
# digits, exponents within a double), true, false, null for an unquoted
# empty cell, else a string.  Ragged and non-UTF-8 rows are rejected
# with their first line and their bytes, as read.
for variant in comma-lf comma-crlf semi-bom tab-header; do
	python3 - "$variant" "$TMP/mix.csv" "$TMP/mix.want" <<'PY'
import json, random, sys
variant, path, want = sys.argv[1:4]
rnd = random.Random(variant)
delim = {"comma": ",", "semi": ";", "tab": "\t"}[variant.split("-")[0]]
eol = "\r\n" if variant.endswith("crlf") else "\n"
plain = ["", "", "a", "42", "-1.5", "007", "true", "false", "ü€😀", "x y", "1e5", "1e400",
         "12345678901234567890", "1234567890123456789", "null", "TRUE", "  pad ", "0.5e-3", "\\"]
tricky = ["x" + delim + "y", 'say "hi"', "two\nlines", "cr\r\nlf", "", "42", "end\n"]
names = ["id", "näme", "with space", "q", "last"]
rows = []    # (cells, quoted flags, raw text of the row); cells None: a blank line
def row(cells, quoted):
    text = delim.join('"' + c.replace('"', '""') + '"' if q else c for c, q in zip(cells, quoted))
    rows.append((cells, quoted, text))
if variant.endswith("header"):
    opts = ["--tsv", "--header", ",".join(names)]
else:
    opts = ["--csv", "-d", delim]
    row(names, [n == "näme" for n in names])
for i in range(600):
    kind = rnd.random()
    ncol = len(names)
    if kind < 0.08:
        ncol = rnd.choice([1, 4, 6, 9])                 # ragged
    if kind > 0.95:
        rows.append((None, None, ""))
        continue
    cells, quoted = [], []
    for _ in range(ncol):
        q = kind > 0.7 and rnd.random() < 0.4
        cells.append(rnd.choice(tricky if q else plain))
        quoted.append(q)
    if len(cells) == 1 and cells[0] == "" and not quoted[0]:
        cells[0] = "a"                                  # not a blank line
    row(cells, quoted)
row(["last"] * len(names), [False] * len(names))
data = "".join(text + eol for _, _, text in rows).encode()
if variant.endswith("bom"):
    data = b"\xef\xbb\xbf" + data
# A few rows with a byte that is not UTF-8, in place of a plain "a" cell.
lines = data.split(b"\n")
for i in rnd.sample(range(2, len(lines) - 1), 12):
    if b'"' not in lines[i] and b"a" in lines[i].split(delim.encode()):
        cells = lines[i].split(delim.encode())
        cells[cells.index(b"a")] = b"a\xff"
        lines[i] = delim.encode().join(cells)
data = b"\n".join(lines)[: -len(eol)]                   # no newline at the end
open(path, "wb").write(data)
json.dump({"opts": opts, "rows": [(c, q) for c, q, _ in rows]}, open(want, "w"))
open(want + ".opts", "w").write("".join(o + "\n" for o in opts))
PY
	mapfile -t opts <"$TMP/mix.want.opts"
	rm -f "$TMP/mix.dead"
	jparse "${opts[@]}" --strings "$TMP/mix.csv" >"$TMP/mix.str" 2>/dev/null
	rc1=$?
	jparse "${opts[@]}" --errors "$TMP/mix.dead" "$TMP/mix.csv" >"$TMP/mix.out" 2>/dev/null
	rc2=$?
	msg=$(python3 - "$TMP/mix.csv" "$TMP/mix.want" "$TMP/mix.str" "$TMP/mix.out" "$TMP/mix.dead" 2>&1 <<'PY'
import base64, csv, io, json, math, re, sys
src, want, strs, out, dead = sys.argv[1:6]
spec = json.load(open(want))
opts, gen = spec["opts"], spec["rows"]
delim = "\t" if opts[0] == "--tsv" else opts[2]
raw = open(src, "rb").read()
text = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8-sig", errors="surrogateescape", newline="")
reader = csv.reader(text, delimiter=delim)
parsed, starts, prev = [], [], 0
for r in reader:
    parsed.append(r); starts.append(prev + 1); prev = reader.line_num
if len(parsed) != len(gen):
    sys.exit(f"python reads {len(parsed)} rows, {len(gen)} written")
NUM = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?\Z")
def infer(v, quoted):
    if v == "":
        return "" if quoted else None
    m = NUM.match(v)
    if m and (m.group(2) or m.group(3) or len(m.group(1)) <= 19) and math.isfinite(float(v)):
        return json.loads(v)
    return {"true": True, "false": False}.get(v, v)
header = None if opts[0] != "--tsv" else opts[2].split(",")
recs, typed, rejects = [], [], []
lines = raw.split(b"\n")
for r, (cells, quoted), start in zip(parsed, gen, starts):
    if cells is None:
        if r:
            sys.exit(f"line {start}: python reads {r} where a blank line was written")
        continue
    if [c.encode("utf-8", "surrogateescape").replace(b"\xff", b"") for c in r] != [c.encode() for c in cells]:
        sys.exit(f"line {start}: python reads {r}, {cells} written")
    if header is None:
        header = r
        continue
    # the row's bytes as they were, less its final line ending
    nl = sum(c.count("\n") for c in r)
    rawrow = b"\n".join(lines[start - 1 : start + nl]).removeprefix(b"\xef\xbb\xbf")
    rawrow = rawrow.removesuffix(b"\r")
    if any("\udcff" in c for c in r):
        rejects.append((start, "invalid UTF-8 at line %d byte " % start, rawrow))
    elif len(r) != len(header):
        rejects.append((start, "%d fields where the header has %d" % (len(r), len(header)), rawrow))
    else:
        recs.append(dict(zip(header, r)))
        typed.append(dict(zip(header, (infer(c, q) for c, q in zip(r, quoted)))))
for name, path, exp in (("--strings", strs, recs), ("inferred", out, typed)):
    got = [json.loads(l) for l in open(path, encoding="utf-8")]
    if len(got) != len(exp):
        sys.exit(f"{name}: {len(got)} records, {len(exp)} wanted")
    for g, w in zip(got, exp):
        if g != w or list(g) != list(w):
            sys.exit(f"{name}: got {g} want {w}")
got = []
for l in open(dead, encoding="utf-8"):
    d = json.loads(l)
    got.append((d["line"], d["reason"], d["raw"].encode() if "raw" in d else base64.b64decode(d["raw_b64"])))
if len(got) != len(rejects):
    sys.exit(f"{len(got)} rejected, {len(rejects)} wanted: {got[:3]} / {rejects[:3]}")
for g, w in zip(got, rejects):
    if g[0] != w[0] or not g[1].startswith(w[1]) or g[2] != w[2]:
        sys.exit(f"rejected {g}, wanted {w}")
print(len(recs), len(rejects), file=sys.stderr)
PY
	)
	case $msg in
	*[!0-9\ ]*|'') fail "mixed-$variant" "exit $rc1/$rc2: $msg" ;;
	*) if [ "$rc1" -eq 1 ] && [ "$rc2" -eq 1 ]; then ok "mixed-$variant"; echo "# records, rejected: $msg"
	   else fail "mixed-$variant" "exit $rc1/$rc2 (want 1, rows were rejected)"; fi ;;
	esac
done

# A lone CR ends a row (libcsv and python agree): the quoted field that
# opens after it holds the next lines, even one without a quote.
printf 'h1,h2\n1,2\r"x\nyyy\n",z\n3,4\n' >"$TMP/cr.csv"
jparse --csv "$TMP/cr.csv" >"$TMP/cr.out" 2>"$TMP/cr.err"
msg=$(python3 - "$TMP/cr.csv" "$TMP/cr.out" "$?" "$TMP/cr.err" 2>&1 <<'PY'
import csv, json, sys
if sys.argv[3] != "0": sys.exit("exit " + sys.argv[3] + ": " + open(sys.argv[4]).read())
rows = list(csv.reader(open(sys.argv[1], newline="")))
want = [dict(zip(rows[0], r)) for r in rows[1:]]
got = [json.loads(l) for l in open(sys.argv[2])]
got = [{k: str(v) for k, v in g.items()} for g in got]
if got != want: sys.exit(f"got {got} want {want}")
PY
) && ok lone-cr-then-quote || fail lone-cr-then-quote "$msg"
