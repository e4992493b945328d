#!/usr/bin/env bash
# jstats against GNU datamash and Miller's stats1 on the statistics they
# share, on the same generated data (TSV for datamash, NDJSON for the rest).
. "$(dirname "$0")/../lib.sh"

python3 - "$TMP/in.json" "$TMP/in.tsv" <<'EOF'
import json, random, sys
r = random.Random(7)
j, t = open(sys.argv[1], "w"), open(sys.argv[2], "w")
for i in range(3000):
    k = "k%02d" % r.randrange(20)
    # distinct values (no ties), so every tool's mode and order agree
    x = round(r.lognormvariate(3, 1), 6) + i * 1e-9
    x = float("%.12g" % x)
    j.write(json.dumps({"key": k, "x": x}) + "\n")
    t.write("%s\t%s\n" % (k, repr(x)))
EOF

# Compare two TSV tables of numbers with a relative tolerance: datamash
# prints 14 significant digits, Miller and jstats the shortest round trip.
cmp_tables() { # NAME FILE1 FILE2
	python3 - "$2" "$3" <<'EOF' && ok "$1" || fail "$1" "$(cat "$TMP/.why")"
import os, sys
a = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
b = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
why = open(os.environ["TMP"] + "/.why", "w")
if len(a) != len(b) or not a:
    why.write("%d rows vs %d rows" % (len(a), len(b))); sys.exit(1)
for ra, rb in zip(a, b):
    if len(ra) != len(rb):
        why.write("row %s vs %s" % (ra, rb)); sys.exit(1)
    for x, y in zip(ra, rb):
        if x == y: continue
        try: fx, fy = float(x), float(y)
        except ValueError:
            why.write("%s vs %s" % (x, y)); sys.exit(1)
        if abs(fx - fy) > 1e-12 * max(abs(fx), abs(fy)) * 100:
            why.write("%s: %s vs %s" % (ra[0], x, y)); sys.exit(1)
EOF
}
export TMP

to_tsv() { # FIELDS...: jstats JSON output to TSV in that column order
	jq -r "[$(printf '.%s,' "$@" | sed 's/,$//')] | map(tostring) | @tsv"
}

# datamash: count mean sstdev min max (the bench's set), then more.
datamash -s -g 1 count 2 mean 2 sstdev 2 min 2 max 2 <"$TMP/in.tsv" >"$TMP/dm1"
jstats --sort -g key -f x "$TMP/in.json" | to_tsv key x_count x_mean x_stddev x_min x_max >"$TMP/js1"
cmp_tables "datamash count mean sstdev min max" "$TMP/dm1" "$TMP/js1"

datamash -s -g 1 sum 2 svar 2 pvar 2 pstdev 2 median 2 perc:90 2 perc:99 2 pskew 2 pkurt 2 \
	countunique 2 first 2 last 2 <"$TMP/in.tsv" >"$TMP/dm2"
jstats --sort -g key -f x -a sum,var_samp,var_pop,stddev_pop,median,p90,p99,skewness,kurtosis,distinct,first,last \
	"$TMP/in.json" | to_tsv key x_sum x_var_samp x_var_pop x_stddev_pop x_median x_p90 x_p99 \
	x_skewness x_kurtosis x_distinct x_first x_last >"$TMP/js2"
# datamash's sort is stable, so first and last are in input order too.
cut -f1,2-13 "$TMP/dm2" >"$TMP/dm2c"
cmp_tables "datamash sum svar pvar pstdev median perc pskew pkurt countunique first last" "$TMP/dm2c" "$TMP/js2"

datamash -s -g 1 scov 2:3 pcov 2:3 ppearson 2:3 < <(awk -F'\t' '{ print $0 "\t" ($2 * 3 + (NR % 7)) }' "$TMP/in.tsv") >"$TMP/dm3"
awk -F'\t' '{ printf "{\"key\":\"%s\",\"x\":%s,\"y\":%s}\n", $1, $2, $2 * 3 + (NR % 7) }' "$TMP/in.tsv" |
	jstats --sort -g key --pair x,y | to_tsv key x_y_cov_samp x_y_cov_pop x_y_corr >"$TMP/js3"
cmp_tables "datamash scov pcov ppearson" "$TMP/dm3" "$TMP/js3"

# Miller: first-seen group order like jstats; -i interpolates percentiles
# as numpy does.  (Miller's skewness divides by the sample variance, not
# Spark's population one, so it is not compared.)
mlr --ijsonl --otsv --headerless-tsv-output stats1 -i -a count,sum,mean,var,stddev,min,max,p10,p50,p95,kurtosis,distinct_count \
	-f x -g key "$TMP/in.json" >"$TMP/ml1"
jstats -g key -f x -a count,sum,mean,var,stddev,min,max,p10,p50,p95,kurtosis,distinct "$TMP/in.json" |
	to_tsv key x_count x_sum x_mean x_var x_stddev x_min x_max x_p10 x_p50 x_p95 x_kurtosis x_distinct >"$TMP/js4"
cmp_tables "mlr stats1 count sum mean var stddev min max percentiles kurtosis distinct_count" "$TMP/ml1" "$TMP/js4"

# The whole stream as one group.
mlr --ijsonl --otsv --headerless-tsv-output stats1 -a count,mean,min,max -f x "$TMP/in.json" >"$TMP/ml2"
jstats -f x -a count,mean,min,max "$TMP/in.json" | to_tsv x_count x_mean x_min x_max >"$TMP/js5"
cmp_tables "mlr stats1 without groups" "$TMP/ml2" "$TMP/js5"
