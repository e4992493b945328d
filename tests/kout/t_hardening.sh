#!/usr/bin/env bash
# kout's display side on awkward input: records with no fields, fields that
# arrive after the CSV/TSV/Markdown header is out, and chart data that is
# huge, tiny, of infinite range or a single value.  Run it under the
# sanitizer build too (KPIPE_BIN=build-asan/bin): a crash or a sanitizer
# report is a failure here, never a skip.
. "$(dirname "$0")/../lib.sh"

# Exit status and "no sanitizer report, no NaN/inf" for one run.
runs_clean() {
	local name=$1 want=$2; shift 2
	"$@" >"$TMP/rc.out" 2>"$TMP/rc.err"
	local rc=$?
	if [ "$rc" -ne "$want" ]; then fail "$name" "exit $rc, wanted $want: $(head -c 300 "$TMP/rc.err")"
	elif grep -q -E 'runtime error|Sanitizer' "$TMP/rc.err"; then fail "$name" "$(grep -m1 -E 'runtime error|Sanitizer' "$TMP/rc.err")"
	else ok "$name"; fi
}

# --- a record with no fields ------------------------------------------------
for f in table markdown csv tsv; do
	runs_clean "empty object --$f" 0 sh -c "echo '{}' | kout --$f"
done
runs_clean "empty object then fields --table" 0 sh -c "printf '{}\n{\"a\":1}\n' | kout --table"
# With one column, an empty first value must still make a line that CSV
# readers take for a row (""), not a blank line that Python's csv module
# skips: it must read back all three records.
printf '{"a":null}\n{}\n{"a":1}\n' >"$TMP/onecol.json"
for f in csv tsv; do
	kout --$f "$TMP/onecol.json" >"$TMP/onecol.$f"
	check_eq "one column --$f: empty values kept as rows (python csv)" "['', '', '1']" \
		"$(python3 -c 'import csv,sys; print([r["a"] for r in csv.DictReader(open(sys.argv[1], newline=""), delimiter="," if sys.argv[2] == "csv" else "\t")])' "$TMP/onecol.$f" $f)"
done

# --- a field that arrives after the header ------------------------------------
# Live: the first record is a batch of its own, its header is written, and
# the second brings "b".  That record must be rejected (not written without
# "b"), named in the message with the advice to use --columns, dead-lettered,
# and kout must exit 1; the records around it are written.  Expected rows by
# hand: a=1 and a=4 under the header "a".
live() { echo '{"a":1}'; sleep 1; echo '{"a":2,"b":3}'; echo '{"a":4}'; }
for f in csv tsv markdown; do
	live | kout --$f --errors "$TMP/dead.$f" >"$TMP/live.$f" 2>"$TMP/live.$f.err"
	check_eq "live --$f: new field rejects the record, exit 1" 1 $?
	check "live --$f: message names the field and --columns" \
		grep -q -E -- '-:2: field "b" is not in the header.*--columns' "$TMP/live.$f.err"
	check_eq "live --$f: record dead-lettered" '{"a":2,"b":3}' \
		"$(jq -r 'select(.line == 2) | .raw' "$TMP/dead.$f" 2>&1)"
done
check_eq "live --csv: rows around it written" '[["a"],["1"],["4"]]' \
	"$(python3 -c 'import csv,json,sys; print(json.dumps(list(csv.reader(open(sys.argv[1]))),separators=(",",":")))' "$TMP/live.csv")"
check_eq "live --tsv: rows around it written" "$(printf 'a\n1\n4')" "$(cat "$TMP/live.tsv")"
check_eq "live --markdown: rows around it written" "1 4" \
	"$(tail -n +3 "$TMP/live.markdown" | tr -d '| ' | tr '\n' ' ' | sed 's/ $//')"
# Two new fields at once are both named.
{ echo '{"a":1}'; sleep 1; echo '{"a":2,"b":3,"c":4}'; } | kout --csv >/dev/null 2>"$TMP/two.err"
check "live --csv: both new fields named" grep -q -F 'fields "b", "c" are not in the header' "$TMP/two.err"
# --columns names the header, and nothing is rejected.
live | kout --csv --columns a,b >"$TMP/cols.csv" 2>"$TMP/cols.err"
check_eq "live --csv --columns a,b keeps b, exit 0" "0 $(printf 'a,b\n1,\n2,3\n4,')" "$? $(cat "$TMP/cols.csv")"

# From a file every record is in the first batch: the header is the union
# of the fields, as Miller's unsparsify makes it.
printf '{"a":1}\n{"a":2,"b":3}\n{"a":4}\n' >"$TMP/late.json"
kout --csv "$TMP/late.json" >"$TMP/file.csv" 2>"$TMP/file.err"
check_eq "file --csv: exit 0" 0 $?
check_eq "file --csv: header is the union (as mlr unsparsify)" \
	"$(mlr --ijson --ocsv unsparsify "$TMP/late.json")" "$(cat "$TMP/file.csv")"

# --- charts on extreme numbers ---------------------------------------------
# Each must run clean (no crash, no sanitizer report) and print no NaN or
# infinity, on the terminal and as SVG.
no_nan() {	# NAME FILE
	if grep -q -i -E '(^|[^a-z])-?(nan|inf)([^a-z]|$)' "$2"; then fail "$1" "$(grep -m1 -i -E 'nan|inf' "$2")"
	else ok "$1"; fi
}
# The widest line in columns (East Asian wide characters count two).
widest() {
	python3 -c '
import sys, unicodedata as u
print(max(sum(2 if u.east_asian_width(c) in "WF" else 1 for c in l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")))' "$1"
}
extreme() {	# NAME INPUT KOUT-ARGS...
	local name=$1 input=$2; shift 2
	printf '%b' "$input" >"$TMP/x.json"
	runs_clean "$name: runs clean" 0 kout "$@" --width 60 --height 8 "$TMP/x.json"
	no_nan "$name: no nan/inf drawn" "$TMP/rc.out"
	check_eq "$name: fits 60 columns" yes "$([ "$(widest "$TMP/rc.out")" -le 60 ] && echo yes || cat "$TMP/rc.out")"
	runs_clean "$name: SVG runs clean" 0 kout "$@" --format svg "$TMP/x.json"
	no_nan "$name: no nan/inf in SVG" "$TMP/rc.out"
}
T0='"t":"2024-03-01T00:00:00Z"' T1='"t":"2024-03-01T00:00:01Z"'
extreme "line +-1e308" "{$T0,\"v\":1e308}\n{$T1,\"v\":-1e308}\n" --chart line --x t --y v
extreme "line two 1e308 in one step" "{$T0,\"v\":1e308}\n{$T0,\"v\":1e308}\n" --chart line --x t --y v
extreme "line largest double" "{$T0,\"v\":1.7976931348623157e308}\n{$T1,\"v\":-1.7976931348623157e308}\n" --chart line --x t --y v
extreme "line tiny" "{$T0,\"v\":5e-324}\n{$T1,\"v\":1e-323}\n" --chart line --x t --y v
extreme "line single value" "{$T0,\"v\":7}\n" --chart line --x t --y v
extreme "bar +-1e308" '{"k":"a","v":1e308}\n{"k":"b","v":-1e308}\n' --chart bar --x k --y v
extreme "heatmap +-1e308" '{"x":"a","y":"p","z":1e308}\n{"x":"b","y":"p","z":-1e308}\n' --chart heatmap --x x --y y --z z
extreme "bar long labels, longest numbers" '{"k":"日本語日本語日本語日本語日本語","v":-1.7976931348623157e308}\n{"k":"b","v":1.7976931348623157e308}\n' --chart bar --x k --y v
extreme "heatmap legend of long numbers" '{"x":"a","y":"p","z":-1.7976931348623157e308}\n{"x":"b","y":"q","z":1.7976931348623157e308}\n' --chart heatmap --x x --y y --z z
extreme "heatmap single value" '{"x":"a","y":"p","z":3}\n' --chart heatmap --x x --y y --z z

# The range of +-1e308 labelled by hand: the top 1e+308, the middle 0,
# the bottom -1e+308.
printf '{%s,"v":1e308}\n{%s,"v":-1e308}\n' "$T0" "$T1" | kout --chart line --x t --y v --width 40 --height 5 >"$TMP/inf.txt" 2>&1
check_eq "line +-1e308: axis labels" "1e+308 0 -1e+308" "$(grep -o -E '^ *[-0-9e+.]+ ┤' "$TMP/inf.txt" | tr -d ' ┤' | tr '\n' ' ' | sed 's/ $//')"
check_eq "line +-1e308: first point top left, last bottom right" "1 1" \
	"$(sed -n 2p "$TMP/inf.txt" | grep -c '┤\*') $(sed -n 6p "$TMP/inf.txt" | grep -c '\*$')"

# --- readable charts ----------------------------------------------------------
# Labels that differ only at the end stay different when cut.
printf '{"k":"service-alpha-requests-per-second-%s","v":1}\n' total failed | kout --chart bar --x k --y v --width 60 >"$TMP/lab.txt"
check_eq "bar labels cut in the middle stay distinct" 2 "$(tail -n 2 "$TMP/lab.txt" | sed 's/ *│.*//' | sort -u | wc -l)"
# A negative value draws a bar left of the zero axis: by hand, -5 and 5
# over 60 columns make bars of equal length either side of one axis column.
printf '{"k":"neg","v":-5}\n{"k":"pos","v":5}\n' | kout --chart bar --x k --y v --width 40 >"$TMP/neg.txt"
check_eq "negative bar drawn, as long as its positive twin" "$(sed -n 3p "$TMP/neg.txt" | grep -o █ | wc -l)" \
	"$(sed -n 2p "$TMP/neg.txt" | grep -o █ | wc -l)"
check "negative bar left of the axis" grep -q -E '^neg +█+│ -5$' "$TMP/neg.txt"
check "positive bar right of the axis" grep -q -E '^pos +│█+ 5$' "$TMP/neg.txt"
# Twelve series get twelve different markers, each named in the legend.
for s in $(seq 10 21); do printf '{%s,"s":"s%s","v":%s}\n{%s,"s":"s%s","v":%s}\n' "$T0" "$s" "$s" "$T1" "$s" "$s"; done |
	kout --chart line --x t --y v --series s --width 80 --height 12 >"$TMP/many.txt"
check_eq "12 series: 12 distinct markers in the legend" 12 \
	"$(sed -n '/└/,$p' "$TMP/many.txt" | tail -n +3 | grep -o -E '(^|  )[^ ] s[0-9]+' | awk '{print $1}' | sort -u | wc -l)"
# Time labels of a wide heat map: what they share is written once and the
# rest shown, never a row of identical "202…".
python3 -c '
import json
for m in range(50):
    print(json.dumps({"t": "2024-03-01T10:%02d:00Z" % m, "u": "a", "v": m}))' >"$TMP/wide.json"
kout --chart heatmap --x t --y u --z v --width 50 "$TMP/wide.json" >"$TMP/wide.txt"
check "heatmap: shared label part once" grep -q -F '2024-03-01T10:…' "$TMP/wide.txt"
check "heatmap: first label's own part shown" grep -q -E '^ +00:00Z ' "$TMP/wide.txt"
# Pairs with no record are marked, and the legend says so.
printf '{"x":"a","y":"p","z":1}\n{"x":"b","y":"q","z":2}\n' | kout --chart heatmap --x x --y y --z z --width 40 >"$TMP/holes.txt"
check "heatmap: no-data mark in the legend" grep -q -F '· no data' "$TMP/holes.txt"
check "heatmap: empty pair drawn with that mark" grep -q -E '^p +[░▒▓█]+·+$' "$TMP/holes.txt"
