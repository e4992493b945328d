#!/usr/bin/env bash
# jstats throughput on 1 M generated events (tests/gen-events.py), 1 000
# groups (user), count/mean/stddev/min/max of latency_ms:
#   against mlr --ijsonl --ojsonl stats1 on the same NDJSON    (target >= 10x)
#   against datamash -s -g 1 on the equivalent TSV             (target >= 2x)
# datamash needs its input grouped, so -s (its own sort) is part of the
# same job jstats does with a hash table.  Miller runs once (MLR_RUNS):
# it takes about a minute here.
. "$(dirname "$0")/lib.sh"

n=${BENCH_LINES:-1000000}
mkdir -p "$BENCH_DATA"
json=$BENCH_DATA/events-$n.ndjson
tsv=$BENCH_DATA/events-$n.user-latency.tsv
events "$json" "$n"
[ -s "$tsv" ] || python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    print("%s\t%s" % (r["user"], r["latency_ms"]))
' "$json" >"$tsv"
groups=$(jstats -g user -f latency_ms -a count "$json" | wc -l)

k=$(median_time "jstats -g user -f latency_ms '$json'")
o=$(BENCH_RUNS=${MLR_RUNS:-1} median_time "mlr --ijsonl --ojsonl stats1 -a count,mean,stddev,min,max -f latency_ms -g user '$json'")
row "jstats $n records, $groups groups" "$k" "$o" "mlr stats1" ">=10x"

d=$(median_time "datamash -s -g 1 count 2 mean 2 sstdev 2 min 2 max 2 <'$tsv'")
row "jstats (JSON) vs datamash -s (TSV)" "$k" "$d" "datamash" ">=2x"

# Wall time on a loaded 2-core machine also measures the scheduler and
# the page cache (the JSON is 9x the TSV); CPU time (user + sys, median)
# is the work each program does.
median_cpu() {
	local i t times=()
	for ((i = 0; i < BENCH_RUNS; i++)); do
		t=$( { /usr/bin/time -f '%U %S' bash -c "$1 >/dev/null 2>/dev/null"; } 2>&1 | tail -n 1 |
			awk '{ print $1 + $2 }')
		times+=("$t")
	done
	printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
kc=$(median_cpu "jstats -g user -f latency_ms '$json'")
dc=$(median_cpu "datamash -s -g 1 count 2 mean 2 sstdev 2 min 2 max 2 <'$tsv'")
row "  the same in CPU seconds (user + sys)" "$kc" "$dc" "datamash" ">=2x"

# For information: exact percentiles keep every value.
p=$(median_time "jstats -g user -f latency_ms -a count,median,p99 '$json'")
dp=$(median_time "datamash -s -g 1 count 2 median 2 perc:99 2 <'$tsv'")
row "jstats median,p99 vs datamash median perc:99" "$p" "$dp" "datamash" "-"

rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }
printf '%-46s %s KB (count..max), %s KB (median,p99)\n' "jstats peak RSS, $n records" \
	"$(rss jstats -g user -f latency_ms "$json")" "$(rss jstats -g user -f latency_ms -a median,p99 "$json")"
