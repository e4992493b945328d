#!/usr/bin/env bash
# jstats: options, Spark's null conventions, output shape, the error
# convention, and the live modes (--every, --interval, --running).
# Expected outputs here are worked out by hand or by python3.
. "$(dirname "$0")/../lib.sh"

version=$(sed -n 's/^VERSION *:= *//p' "$KPIPE_ROOT/Makefile")
check_eq "--version" "jstats kpipe $version" "$(jstats --version)"
check "--help on stdout, exit 0" sh -c 'jstats --help | grep -q "^usage: jstats"'
for bad in "-s nosuch -f x" "-f x -s p101" "" "--every 0 -f x" "--interval soon -f x" \
	"--partial --merge -f x" "--pair x -f y" "--corr x,y -f z" "--corr x" "--running --every 3 -f x" \
	"--max-memory lots -f x" "-s corr -f x" "--bogus" "-f x,x" "-f x -s mean,mean"; do
	# shellcheck disable=SC2086
	check_exit "usage error: jstats $bad" 2 jstats $bad /dev/null
done

# Spark's conventions: null and missing ignored, statistics over nothing
# are null, sample variance of one value is null, numeric strings count.
check_eq "no input, no groups: one record of nulls" \
	'{"x_count":0,"x_mean":null,"x_stddev":null,"x_min":null,"x_max":null}' \
	"$(jstats -f x </dev/null)"
check_eq "no input with --by: no groups" "" "$(jstats -b g -f x </dev/null)"
check_eq "single value" '{"x_count":1,"x_mean":5,"x_var":null,"x_var_pop":0,"x_median":5}' \
	"$(echo '{"x":5}' | jstats -f x -s count,mean,var,var_pop,median)"
check_eq "nulls and missing ignored, numeric strings counted" \
	'{"x_count":3,"x_sum":16.5,"x_min":2,"x_max":12.5}' \
	"$(printf '%s\n' '{"x":2}' '{"x":null}' '{"y":1}' '{"x":"12.5"}' '{"x":" 2 "}' | jstats -f x -s count,sum,min,max)"

# Non-numeric values: warned once with file:line, summed up, exit 1, yet
# the record still counts for the other fields.
printf '%s\n' '{"x":1,"y":1}' '{"x":"abc","y":2}' '{"x":true,"y":3}' >"$TMP/nn.json"
jstats -f x,y -s count,mean "$TMP/nn.json" >"$TMP/out" 2>"$TMP/err"
check_eq "non-numeric: exit 1" 1 $?
check_eq "non-numeric: other fields still count" \
	'{"x_count":3,"x_mean":1,"y_count":3,"y_mean":2}' "$(cat "$TMP/out")"
check "non-numeric: first one reported with file:line" grep -q '^jstats: .*nn.json:2: field x: "abc" is not a number' "$TMP/err"
check_eq "non-numeric: reported once, then summed" 2 "$(wc -l <"$TMP/err")"
check "non-numeric: summary count" grep -q "^jstats: field x: 2 non-numeric values" "$TMP/err"
check_exit "distinct alone takes any value: exit 0" 0 jstats -f x -s count,distinct "$TMP/nn.json"

# Rejected records follow the error convention, with dead letters.
printf '%s\n' '{"x":1}' 'not json' '[1,2]' '{"x":2}' '{"x":3' >"$TMP/rej.json"
jstats -f x -s count --errors "$TMP/dead.json" "$TMP/rej.json" >"$TMP/out" 2>"$TMP/err"
check_eq "rejected: exit 1" 1 $?
check_eq "rejected: the rest counted" '{"x_count":2}' "$(cat "$TMP/out")"
check "rejected: reported as PROG: FILE:LINE: reason" grep -q "^jstats: .*rej.json:2: not a JSON object" "$TMP/err"
check_eq "rejected: dead letters, a truncated record too" "2 3 5" "$(jq -r .line "$TMP/dead.json" | tr '\n' ' ' | sed 's/ $//')"
jstats -q -f x -s count "$TMP/rej.json" >/dev/null 2>"$TMP/err"
check "-q: no per-record messages" sh -c "! grep -q 'rej.json:2' '$TMP/err'"
check_eq "blank lines are skipped" '{"x_count":2}' "$(printf '{"x":1}\n\n  \n{"x":3}\n' | jstats -f x -s count)"
check_eq "CRLF input" '{"x_count":2,"x_sum":4}' "$(printf '{"x":1}\r\n{"x":3}\r\n' | jstats -f x -s count,sum)"

# Groups: first-seen order, or --sort (numbers by value before strings);
# group values keep their JSON text, big integers every digit.
printf '%s\n' '{"g":10,"x":1}' '{"g":"b","x":2}' '{"g":9,"x":3}' '{"g":"a","x":4}' '{"x":5}' '{"g":10,"x":6}' >"$TMP/g.json"
check_eq "first-seen order" '10 "b" 9 "a" null' "$(jstats -b g -f x -s count "$TMP/g.json" | jq -c .g | tr '\n' ' ' | sed 's/ $//')"
check_eq "--sort" 'null 9 10 "a" "b"' "$(jstats --sort -b g -f x -s count "$TMP/g.json" | jq -c .g | tr '\n' ' ' | sed 's/ $//')"
check_eq "big integer group value keeps its digits" '{"id":12345678901234567891,"x_count":1}' \
	"$(echo '{"id":12345678901234567891,"x":1}' | jstats -b id -f x -s count)"
check_eq "nested paths; two group fields" '{"w.s":"t1","k":[1,2],"a.b_max":3}' \
	"$(printf '%s\n' '{"w":{"s":"t1"},"k":[1, 2],"a":{"b":3}}' '{"w":{"s":"t1"},"k":[1,2],"a":{"b":1}}' | jstats -b w.s,k -f .a.b -s max)"

# distinct and mode tell numbers apart by value; mode, first and last give
# back the text a value came with (the mode's first occurrence).
check_eq "distinct, mode, first, last" '{"x_distinct":3,"x_mode":1.0,"x_first":1.0,"x_last":"1"}' \
	"$(printf '%s\n' '{"x":1.0}' '{"x":2}' '{"x":1}' '{"x":1e0}' '{"x":"1"}' | jstats -f x -s distinct,mode,first,last)"
check_eq "distinct: big integers keep their digits, 1.5 is 15e-1, -0 is 0" \
	'{"x_distinct":4,"x_mode":1.5,"x_first":12345678901234567890,"x_last":0}' \
	"$(printf '%s\n' '{"x":12345678901234567890}' '{"x":12345678901234567891}' '{"x":1.5}' '{"x":15e-1}' '{"x":-0}' '{"x":0}' |
	jstats -f x -s distinct,mode,first,last)"
seq 1 20000 | awk '{ print "{\"u\":\"user" $1 "\"}" }' >"$TMP/u.json"
n=$(jstats -f u -s approx_distinct "$TMP/u.json" | jq .u_approx_distinct)
check "approx_distinct within 4 standard errors ($n of 20000)" \
	awk -v n="$n" 'BEGIN { exit !(n > 20000 * 0.936 && n < 20000 * 1.064) }'

# Pairs and the correlation matrix: y = 2x + 1 and z = 10 - x exactly.
seq 1 10 | awk '{ print "{\"x\":" $1 ",\"y\":" 2 * $1 + 1 ",\"z\":" 10 - $1 "}" }' >"$TMP/p.json"
check_eq "--pair" '{"x_y_cov_samp":18.333333333333332,"x_y_corr":1}' \
	"$(jstats --pair x,y -s cov_samp,corr "$TMP/p.json")"
check_eq "--corr matrix rows" \
	'{"field":"x","corr_x":1,"corr_y":1,"corr_z":-1}|{"field":"y","corr_x":1,"corr_y":1,"corr_z":-1}|{"field":"z","corr_x":-1,"corr_y":-1,"corr_z":1}' \
	"$(jstats --corr x,y,z "$TMP/p.json" | paste -sd'|')"

# --running: each record with its group's running statistics.
printf '%s\n' '{"g":"a","x":1}' '{"g":"b","x":10}' '{"g":"a","x":3}' '{}' '{"g":"a","x":"z"}' >"$TMP/r.json"
check_eq "--running" \
	'{"g":"a","x":1,"x_count":1,"x_mean":1}|{"g":"b","x":10,"x_count":1,"x_mean":10}|{"g":"a","x":3,"x_count":2,"x_mean":2}|{"x_count":0,"x_mean":null}|{"g":"a","x":"z","x_count":3,"x_mean":2}' \
	"$(jstats --running -b g -f x -s count,mean "$TMP/r.json" 2>/dev/null | paste -sd'|')"

# --every N: the groups that changed, every N records, and at the end.
check_eq "--every 2" \
	'{"g":"a","x_count":1}|{"g":"b","x_count":1}|{"g":"a","x_count":2}|{"g":null,"x_count":0}|{"g":"a","x_count":3}' \
	"$(jstats --every 2 -b g -f x -s count "$TMP/r.json" 2>/dev/null | paste -sd'|')"

# --interval: statistics come out while the input is still open.  Not a
# timing test: it waits (up to 20 s) for output that must come before EOF.
mkfifo "$TMP/fifo"
jstats --interval 100ms -f x -s count <"$TMP/fifo" >"$TMP/live" 2>&1 &
pid=$!
exec 7>"$TMP/fifo"
echo '{"x":1}' >&7
for _ in $(seq 200); do [ -s "$TMP/live" ] && break; sleep 0.1; done
check_eq "--interval emits before the input ends" '{"x_count":1}' "$(cat "$TMP/live")"
echo '{"x":2}' >&7
exec 7>&-
wait "$pid"
check_eq "--interval: the rest at the end" '{"x_count":1}|{"x_count":2}' "$(paste -sd'|' "$TMP/live")"

# --max-memory: exact percentiles become a sketch within 1%, and it says so.
awk 'BEGIN { srand(3); for (i = 0; i < 20000; i++) printf "{\"x\":%.6f}\n", exp(rand() * 12 - 3) }' >"$TMP/m.json"
jstats -f x -s p50,p99,distinct "$TMP/m.json" >"$TMP/exact" 2>/dev/null
jstats --max-memory 64K -f x -s p50,p99,distinct "$TMP/m.json" >"$TMP/sketch" 2>"$TMP/err"
check_eq "--max-memory: still exit 0" 0 $?
check "--max-memory: announced on stderr" grep -q "max-memory.*1% relative error" "$TMP/err"
check "--max-memory: p50, p99 within 1%, distinct within 4 standard errors" python3 - "$TMP/exact" "$TMP/sketch" <<'EOF'
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for k in ("x_p50", "x_p99"):
    assert abs(a[k] - b[k]) <= 0.01 * abs(a[k]), (k, a[k], b[k])
assert abs(a["x_distinct"] - b["x_distinct"]) <= 0.064 * a["x_distinct"], (a, b)
assert a != b          # the sketch really was used
EOF
# mode past the limit: a summary of the most frequent values, which still
# finds a value that makes 2% of 30000 otherwise (nearly) distinct ones.
awk 'BEGIN { srand(5); for (i = 0; i < 30000; i++) print "{\"x\":" (rand() < 0.02 ? 777 : int(rand() * 1e6)) "}" }' >"$TMP/mode.json"
check_eq "--max-memory: mode still found" '{"x_mode":777}' "$(jstats --max-memory 32K -f x -s mode "$TMP/mode.json" 2>"$TMP/err")"
check "--max-memory: mode summary announced" grep -q "mode now keeps the 1024 most frequent" "$TMP/err"
exact=$(jstats --partial -f x -s mode "$TMP/mode.json" | wc -c)
bounded=$(jstats --partial --max-memory 32K -f x -s mode "$TMP/mode.json" 2>/dev/null | wc -c)
check "--max-memory: mode state bounded ($bounded bytes, exact $exact)" test "$bounded" -lt 100000 -a "$exact" -gt 300000
check_exit "--max-memory 0: no limit" 0 jstats --max-memory 0 -f x -s p50 "$TMP/m.json"

# Locale does not reach the numbers; a closed pipe ends quietly.
check_eq "de_DE locale keeps the decimal point" '{"x_mean":1.5}' \
	"$(printf '{"x":1}\n{"x":2}\n' | LC_ALL=de_DE.UTF-8 jstats -f x -s mean 2>/dev/null)"
seq 1 50000 | awk '{ print "{\"g\":" $1 ",\"x\":1}" }' >"$TMP/many.json"
jstats -b g -f x "$TMP/many.json" 2>"$TMP/err" | head -n 1 >/dev/null
check_eq "| head: quiet" "" "$(cat "$TMP/err")"
