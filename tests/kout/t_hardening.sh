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
