#!/usr/bin/env bash
# csv-spectrum (maxogden, BSD-2-Clause): every CSV must give its JSON.
# The JSON files hold strings only, hence --strings; python3's json module
# compares the parsed values, so formatting differences do not matter.
. "$(dirname "$0")/../lib.sh"

dir=$TESTDATA/csv-spectrum
if [ ! -d "$dir/csvs" ]; then
	skip csv-spectrum "no $dir"
	exit 0
fi
for csv in "$dir"/csvs/*.csv; do
	name=$(basename "$csv" .csv)
	jparse --csv --strings "$csv" >"$TMP/$name.out" 2>"$TMP/$name.err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "spectrum-$name" "exit $rc: $(head -c 300 "$TMP/$name.err")"
		continue
	fi
	if python3 - "$dir/json/$name.json" "$TMP/$name.out" <<'PY'
import json, sys
want = json.load(open(sys.argv[1], encoding="utf-8"))
got = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
if got != want:
    print("want", want, "got", got, file=sys.stderr)
    sys.exit(1)
# field order must follow the header
for w, g in zip(want, got):
    if list(w) != list(g):
        print("order", list(w), list(g), file=sys.stderr)
        sys.exit(1)
PY
	then ok "spectrum-$name"
	else fail "spectrum-$name" "output differs from json/$name.json"
	fi
done
