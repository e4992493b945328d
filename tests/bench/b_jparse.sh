#!/usr/bin/env bash
# jparse throughput on 1 M generated events (tests/gen-events.py):
#   --json  against jq -c .                        (target >= 10x)
#   --csv   against mlr --icsv --ojsonl cat        (target >= 5x), on the
#           same rows with every field in quotes as well (as many
#           exporters write CSV)
# and peak RSS on that input and on ten times less, to show memory is flat.
. "$(dirname "$0")/lib.sh"

n=${BENCH_LINES:-1000000}
mkdir -p "$BENCH_DATA"
json=$BENCH_DATA/events-$n.ndjson
csv=$BENCH_DATA/events-$n.csv
events "$json" "$n"
[ -s "$csv" ] || python3 -c '
import csv, json, sys
w = csv.writer(sys.stdout, lineterminator="\n")
keys = None
for line in open(sys.argv[1]):
    r = json.loads(line)
    if keys is None:
        keys = list(r); w.writerow(keys)
    w.writerow(["true" if v is True else "false" if v is False else v for v in r.values()])
' "$json" >"$csv"
qcsv=$BENCH_DATA/events-$n.quoted.csv
[ -s "$qcsv" ] || python3 -c '
import csv, sys
w = csv.writer(sys.stdout, quoting=csv.QUOTE_ALL, lineterminator="\n")
w.writerows(csv.reader(open(sys.argv[1], newline="")))
' "$csv" >"$qcsv"
mb=$(awk -v b="$(stat -c %s "$json")" 'BEGIN { printf "%.0f", b / 1e6 }')

k=$(median_time "jparse '$json'")
o=$(median_time "jq -c . '$json'")
row "jparse --json, $n lines ($mb MB)" "$k" "$o" "jq -c ." ">=10x"

k=$(median_time "jparse --csv '$csv'")
o=$(median_time "mlr --icsv --ojsonl cat '$csv'")
row "jparse --csv, $n lines" "$k" "$o" "mlr" ">=5x"

k=$(median_time "jparse --csv '$qcsv'")
o=$(median_time "mlr --icsv --ojsonl cat '$qcsv'")
row "jparse --csv, $n lines, all quoted" "$k" "$o" "mlr" ">=5x"

rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }
head -n $((n / 10)) "$json" >"$BENCH_DATA/events-tenth.ndjson"
head -n $((n / 10)) "$csv" >"$BENCH_DATA/events-tenth.csv"
printf '%-46s %s KB on %d lines, %s KB on %d lines\n' "jparse --json peak RSS" \
	"$(rss jparse "$json")" "$n" "$(rss jparse "$BENCH_DATA/events-tenth.ndjson")" $((n / 10))
printf '%-46s %s KB on %d lines, %s KB on %d lines\n' "jparse --csv peak RSS" \
	"$(rss jparse --csv "$csv")" "$n" "$(rss jparse --csv "$BENCH_DATA/events-tenth.csv")" $((n / 10))
