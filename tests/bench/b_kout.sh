#!/usr/bin/env bash
# kout throughput on 1 M generated events (tests/gen-events.py), against
# Miller's JSON-lines to CSV conversion in the same run (target >= 5x):
#   kout --format csv     the same CSV Miller writes
#   kout --format table   aligned table (batches of 1000 rows)
# and a check that kout's CSV equals Miller's byte for byte on this input,
# so the two do the same work.
. "$(dirname "$0")/lib.sh"

n=${BENCH_LINES:-1000000}
mkdir -p "$BENCH_DATA"
json=$BENCH_DATA/events-$n.ndjson
events "$json" "$n"
mb=$(awk -v b="$(stat -c %s "$json")" 'BEGIN { printf "%.0f", b / 1e6 }')

if ! cmp -s <(kout --format csv "$json") <(mlr --ijsonl --ocsv cat "$json"); then
	echo "kout --format csv: output differs from mlr --ijsonl --ocsv cat on $json"
fi
o=$(median_time "mlr --ijsonl --ocsv cat '$json'")
k=$(median_time "kout --format csv '$json'")
row "kout --format csv, $n lines ($mb MB)" "$k" "$o" "mlr csv" ">=5x"
k=$(median_time "kout --format table '$json'")
row "kout --format table, $n lines ($mb MB)" "$k" "$o" "mlr csv" ">=5x"

# Memory stays flat in the input's length: batches are bounded.
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }
tenth=$BENCH_DATA/kout-tenth.ndjson
head -n $((n / 10)) "$json" >"$tenth"
for f in csv table; do
	printf '%-46s %s KB on %d lines, %s KB on %d lines\n' "kout --format $f peak RSS" \
		"$(rss kout --format $f "$json")" "$n" "$(rss kout --format $f "$tenth")" $((n / 10))
done
rm -f "$tenth"
