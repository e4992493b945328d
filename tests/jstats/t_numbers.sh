# Numbers that mean what they say, in jstats and jwindow alike: min, max,
# first, last and mode give back input values with their digits; numbers
# beyond a double and sums that overflow are reported, never a silent
# null; values are told apart by value (1 and 1.0 are one).  Expected
# values are written by hand from those rules.
. "$(dirname "$0")/../lib.sh"

win=(--time t --epoch-unit s --tumble 1d)
one_window() {
	# not jq: it would round the big integers this is about
	jwindow "${win[@]}" --agg "$1" "$TMP/in" 2>"$TMP/err" | sed 's/"window":{[^}]*},//'
}

printf '%s\n' '{"t":1,"x":9007199254740993}' '{"t":2,"x":9007199254740992}' >"$TMP/in"
check_eq "jstats: min and max of integers beyond 2^53 are input values" \
	'{"x_min":9007199254740992,"x_max":9007199254740993}' "$(jstats -f x -s min,max "$TMP/in")"
check_eq "jwindow: the same" '{"min_x":9007199254740992,"max_x":9007199254740993}' \
	"$(one_window 'min(x), max(x)')"

printf '%s\n' '{"t":1,"id":123456789012345678901234567890}' '{"t":2,"id":5}' '{"t":3,"id":123456789012345678901234567890}' >"$TMP/in"
check_eq "jwindow: min, max, first, last, mode keep a 30-digit id" \
	'{"min_id":5,"max_id":123456789012345678901234567890,"first_id":123456789012345678901234567890,"last_id":123456789012345678901234567890,"mode_id":123456789012345678901234567890}' \
	"$(one_window 'min(id), max(id), first(id), last(id), mode(id)')"
check_eq "jstats: the same" \
	'{"id_min":5,"id_max":123456789012345678901234567890,"id_first":123456789012345678901234567890,"id_last":123456789012345678901234567890,"id_mode":123456789012345678901234567890}' \
	"$(jstats -f id -s min,max,first,last,mode "$TMP/in")"

printf '%s\n' '{"t":1,"a":1}' '{"t":2,"a":1e999}' '{"t":3,"a":2}' >"$TMP/in"
check_eq "jstats: 1e999 left out of sum, mean, max" '{"a_sum":3,"a_mean":1.5,"a_max":2}' \
	"$(jstats -f a -s sum,mean,max "$TMP/in" 2>"$TMP/err")"
check_exit "jstats: 1e999 makes exit 1" 1 jstats -f a -s sum,mean,max "$TMP/in"
check "jstats: 1e999 reported with file:line" grep -q "in:2: field a: 1e999 is beyond the range of a double" "$TMP/err"
check_eq "jwindow: 1e999 left out" '{"sum_a":3,"avg_a":1.5,"max_a":2}' "$(one_window 'sum(a), avg(a), max(a)')"
check "jwindow: 1e999 reported" grep -q "field a: 1e999 is beyond the range of a double" "$TMP/err"

printf '%s\n' '{"t":1,"a":1e308}' '{"t":2,"a":1.5e308}' >"$TMP/in"
check_eq "jstats: an overflowing sum is null" '{"a_sum":null,"a_max":1.5e308}' \
	"$(jstats -f a -s sum,max "$TMP/in" 2>"$TMP/err")"
check "jstats: ... and reported" grep -q "a_sum: the result is beyond the range of a double" "$TMP/err"
check_exit "jstats: ... with exit 1" 1 jstats -f a -s sum,max "$TMP/in"
check_eq "jwindow: an overflowing sum is null" '{"sum_a":null}' "$(one_window 'sum(a)')"
check "jwindow: ... and reported" grep -q "sum_a: the result is beyond the range of a double" "$TMP/err"

printf '%s\n' '{"t":1,"x":1}' '{"t":2,"x":1.0}' '{"t":3,"x":10e-1}' '{"t":4,"x":"1"}' >"$TMP/in"
check_eq "jstats: 1, 1.0 and 10e-1 are one value, \"1\" another" '{"x_distinct":2,"x_collect_set":[1,"1"]}' \
	"$(jstats -f x -s distinct,collect_set "$TMP/in")"
check_eq "jwindow: the same" '{"count_distinct_x":2,"collect_set_x":[1,"1"]}' \
	"$(one_window 'count_distinct(x), collect_set(x)')"

# Both accept each other's names.
printf '%s\n' '{"t":1,"x":3}' '{"t":2,"x":4}' '{"t":3,"x":4}' >"$TMP/in"
check_eq "jstats: Spark's and jwindow's names" \
	'{"x_var_samp":0.3333333333333333,"x_avg":3.6666666666666665,"x_collect_list":[3,4,4],"x_approx_count_distinct":2,"x_percentile(0.5)":4}' \
	"$(jstats -f x -s 'var_samp,avg,collect_list,approx_count_distinct,percentile(0.5)' "$TMP/in")"
check_eq "jwindow: jstats', Miller's and datamash's names" \
	'{"var_x":0.3333333333333333,"mean_x":3.6666666666666665,"mode_x":4,"distinct_x":2,"p50_x":4,"countunique_x":2}' \
	"$(one_window 'var(x), mean(x), mode(x), distinct(x), p50(x), countunique(x)')"

# --partial / --merge with every aggregate: two halves merged are one run.
python3 - "$TMP/all" <<'EOF_PY'
import json, random, sys
random.seed(3)
with open(sys.argv[1], "w") as f:
    for i in range(400):
        v = random.choice([random.randint(-9, 9), round(random.uniform(-5, 5), 2), "s", None,
                           9007199254740993, 123456789012345678901234567890])
        f.write(json.dumps({"g": i % 3, "x": v}) + "\n")
EOF_PY
all='count,sum,mean,min,max,var,var_pop,stddev,stddev_pop,skewness,kurtosis,median,p90,approx_percentile(0.9),distinct,approx_distinct,collect_list,collect_set,first,last,mode'
head -n 150 "$TMP/all" | jstats -q --partial -b g -f x -s "$all" >"$TMP/p1"
tail -n +151 "$TMP/all" | jstats -q --partial -b g -f x -s "$all" >"$TMP/p2"
jstats -q -b g -f x -s "$all" "$TMP/all" >"$TMP/one" 2>/dev/null
jstats -q --merge -b g -f x -s "$all" "$TMP/p1" "$TMP/p2" >"$TMP/merged" 2>/dev/null
python3 - "$TMP/one" "$TMP/merged" >"$TMP/cmp" <<'EOF_PY'
import json, math, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
assert len(a) == 3 and len(a) == len(b), (len(a), len(b))
for x, y in zip(a, b):
    for k in x:
        u, v = x[k], y[k]
        if isinstance(u, float) and not k.endswith(("min", "max", "first", "last", "mode")):
            assert math.isclose(u, v, rel_tol=1e-12, abs_tol=1e-12), (k, u, v)
        else:
            assert u == v, (k, u, v)
print("same")
EOF_PY
check_eq "--partial/--merge: every aggregate survives the round trip" "same" "$(cat "$TMP/cmp")"
check "--partial/--merge: ... and the outputs are not empty" test -s "$TMP/merged"

# A damaged state is refused with the reason, never half merged.
# FNV-1a over the compact text of "aggs", as jstats(1) describes the sum.
damage() {
	head -n 1 "$TMP/p1" | python3 -c '
import json, sys
def fnv(b):
    h = 0xcbf29ce484222325
    for c in b:
        h = ((h ^ c) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h
r = json.loads(sys.stdin.read())
f = r["_jstats"]["fields"][0]
f["aggs"][0] = "x"                          # the count
if sys.argv[1] == "resum":
    f["sum"] = fnv(json.dumps(f["aggs"], separators=(",", ":"), ensure_ascii=False).encode())
print(json.dumps(r))' "$1"
}
damage keep >"$TMP/bad"
jstats --merge -b g -f x -s "$all" "$TMP/bad" >"$TMP/out" 2>"$TMP/err"
check_eq "damaged state: exit 1" 1 $?
check "damaged state: the checksum catches it" grep -q "jstats state of field x: its checksum does not match" "$TMP/err"
damage resum >"$TMP/bad"
jstats --merge -b g -f x -s "$all" "$TMP/bad" >"$TMP/out" 2>"$TMP/err"
check_eq "malformed state with a good sum: exit 1" 1 $?
check "malformed state: the part is named" grep -q "jstats state of field x: aggregate state part 1 (count) is malformed" "$TMP/err"
head -c 300 "$TMP/p1" >"$TMP/cut"
check_exit "truncated state: exit 1" 1 jstats --merge -b g -f x -s "$all" "$TMP/cut"
