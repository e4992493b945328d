#!/usr/bin/env bash
# --partial / --merge: the data split into N parts, one --partial run per
# part (as one process per Kafka partition would), merged, must give the
# single-pass answer: counts, extremes, percentiles, distinct, mode (when
# not a tie) exactly, moments to floating-point rounding.
. "$(dirname "$0")/../lib.sh"

python3 "$KPIPE_ROOT/tests/gen-events.py" -n 3000 --seed 3 >"$TMP/ev.json"
# catastrophic cancellation, nulls and a non-numeric value ride along
python3 - >>"$TMP/ev.json" <<'EOF'
import json, random
r = random.Random(1)
for i in range(500):
    print(json.dumps({"action": "big", "latency_ms": 1e9 + r.randrange(1000) * 1e-6, "bytes": None}))
print(json.dumps({"action": "big", "latency_ms": "n/a"}))
EOF

opts=(-g action -f latency_ms,bytes -a count,sum,mean,min,max,var,stddev_pop,skewness,kurtosis,median,p99,p99.9,distinct,mode,approx_distinct --pair latency_ms,bytes)
jstats "${opts[@]}" "$TMP/ev.json" >"$TMP/single.json" 2>/dev/null

# Numbers equal to 1e-12 relative; everything else exactly.
same() { # NAME A B
	python3 - "$2" "$3" <<'EOF' >"$TMP/.why" && ok "$1" || fail "$1" "$(cat "$TMP/.why")"
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
key = lambda r: r["action"]
a.sort(key=key); b.sort(key=key)
if [key(r) for r in a] != [key(r) for r in b] or not a:
    print("groups differ:", [key(r) for r in a], [key(r) for r in b]); sys.exit(1)
for ra, rb in zip(a, b):
    if list(ra) != list(rb):
        print("fields differ", list(ra), list(rb)); sys.exit(1)
    for k in ra:
        x, y = ra[k], rb[k]
        # bytes are nearly all distinct: its mode is a tie, which goes to
        # the first seen, and that depends on the order of the parts.
        if k == "bytes_mode": continue
        if isinstance(x, float) or isinstance(y, float):
            if x is None or y is None or abs(x - y) > 1e-12 * max(abs(x), abs(y)):
                print(ra["action"], k, x, y); sys.exit(1)
        elif x != y:
            print(ra["action"], k, x, y); sys.exit(1)
EOF
}

for n in 1 3 7; do
	rm -f "$TMP"/part.*
	split -n "r/$n" "$TMP/ev.json" "$TMP/part."	# round robin: every part sees every group
	for p in "$TMP"/part.*; do
		jstats --partial "${opts[@]}" "$p" 2>/dev/null
	done >"$TMP/partials.json"
	jstats --merge "${opts[@]}" "$TMP/partials.json" >"$TMP/merged.json"
	same "merge of $n partials equals single pass" "$TMP/single.json" "$TMP/merged.json"
done

# Order does not matter (mode ties aside, none here), and partials can
# arrive through a pipe from several processes.
tac "$TMP/partials.json" | jstats --merge "${opts[@]}" >"$TMP/merged-rev.json"
same "merge order does not matter" "$TMP/single.json" "$TMP/merged-rev.json"

# A merge of merges: --partial is not needed on the merged side because
# merging is associative; merge half the partials, then with the rest via
# the same single-pass comparison.
head -n 10 "$TMP/partials.json" >"$TMP/a.json"
tail -n +11 "$TMP/partials.json" >"$TMP/b.json"
jstats --merge "${opts[@]}" "$TMP/a.json" "$TMP/b.json" >"$TMP/merged-files.json"
same "merge reads partials from several files" "$TMP/single.json" "$TMP/merged-files.json"

# Options must match: a state from other options is rejected, not mixed in.
jstats --merge -g action -f latency_ms -a count "$TMP/partials.json" >"$TMP/out" 2>"$TMP/err"
check_eq "mismatched options exit 1" 1 $?
check "mismatched options name the option" grep -q "state from jstats with another --" "$TMP/err"
check_eq "mismatched options give no statistics" "" "$(cat "$TMP/out")"

printf '{"action":"x"}\nnot json\n' | jstats --merge "${opts[@]}" >/dev/null 2>"$TMP/err"
check_eq "non-state lines rejected" 1 $?
check "rejection says why" grep -q 'no "_jstats" object' "$TMP/err"

# A part that passed its memory limit sent a sketch: the merged
# percentiles are then within the sketch's 1%, and it says so.
rm -f "$TMP"/part.*
split -n r/3 "$TMP/ev.json" "$TMP/part."
{
	jstats --partial --max-memory 1K "${opts[@]}" "$TMP/part.aa" 2>"$TMP/warn"
	jstats --partial "${opts[@]}" "$TMP/part.ab" 2>/dev/null
	jstats --partial "${opts[@]}" "$TMP/part.ac" 2>/dev/null
} >"$TMP/mixed.json"
check "memory limit announced" grep -q "max-memory" "$TMP/warn"
jstats --merge "${opts[@]}" "$TMP/mixed.json" >"$TMP/merged-mixed.json"
python3 - "$TMP/single.json" "$TMP/merged-mixed.json" <<'EOF'
import json, sys
a = {r["action"]: r for r in map(json.loads, open(sys.argv[1]))}
b = {r["action"]: r for r in map(json.loads, open(sys.argv[2]))}
bad = []
for g in a:
    for k in ("latency_ms_median", "latency_ms_p99", "bytes_p99.9"):
        x, y = a[g][k], b[g][k]
        if (x is None) != (y is None) or (x is not None and abs(x - y) > 0.01 * abs(x) * (1 + 1e-9)):
            bad.append("%s %s %s %s" % (g, k, x, y))
    for k in ("latency_ms_distinct", "bytes_distinct"):
        x, y = a[g][k], b[g][k]
        if abs(x - y) > max(0.065 * x, 2):
            bad.append("%s %s %s %s" % (g, k, x, y))
    for k in ("latency_ms_count", "latency_ms_mean", "latency_ms_max", "bytes_count"):
        if a[g][k] != b[g][k] and abs(a[g][k] - b[g][k]) > 1e-12 * abs(a[g][k]):
            bad.append("%s %s %s %s" % (g, k, a[g][k], b[g][k]))
print("ok merge with a sketched part: percentiles within 1%, distinct within HLL error" if not bad
      else "not ok merge with a sketched part: " + "; ".join(bad[:4]))
EOF

# A state is merged whole or not at all: here the second field's state is
# broken, so the first field's count must not be taken either.
# (Each field's state is {"aggs": [...], "sum": FNV-1a of the array's
# compact text}, as jstats(1) describes it.)
python3 - >"$TMP/hand" <<'EOF_PY'
import json
def fnv(b):
    h = 0xcbf29ce484222325
    for c in b:
        h = ((h ^ c) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h
def field(aggs):
    return {"aggs": aggs, "sum": fnv(json.dumps(aggs, separators=(",", ":")).encode())}
sig = "jstats2 by= fields=a,b stats=count pairs= corr="
for parts in ([[5], ["x"]], [[2], [3]]):
    pairs = {"pairs": [], "sum": fnv(b"[]")}
    print(json.dumps({"_jstats": {"sig": sig, "fields": [field(p) for p in parts], "comoments": pairs}}))
EOF_PY
cat "$TMP/hand" |
	jstats --merge -f a,b -a count >"$TMP/out" 2>"$TMP/err"
check_eq "broken state: exit 1" 1 $?
check_eq "broken state: not merged in part" '{"a_count":2,"b_count":3}' "$(cat "$TMP/out")"

# Moments past the range of a double (the square of 1e200) are written so
# that --merge reads them back: by hand, 1e200 - 1e200 + 3 = 3, and the
# standard deviation overflows (null, exit 1) as in one run.
printf '{"x":1e200}\n' | jstats --partial -f x -a count,sum,stddev >"$TMP/p1" 2>/dev/null
printf '{"x":-1e200}\n{"x":3}\n' | jstats --partial -f x -a count,sum,stddev >"$TMP/p2" 2>/dev/null
cat "$TMP/p1" "$TMP/p2" | jstats --merge -f x -a count,sum,stddev >"$TMP/out" 2>"$TMP/err"
check_eq "moments past a double: exit 1" 1 $?
check_eq "moments past a double: merged" '{"x_count":3,"x_sum":3,"x_stddev":null}' "$(cat "$TMP/out")"

# Pair states carry a checksum too: a changed co-moment is refused, not
# merged into a wrong correlation.
printf '{"x":1,"y":2}\n{"x":2,"y":5}\n{"x":3,"y":4}\n' |
	jstats --partial -f x,y --pair x,y -a corr >"$TMP/pair.part"
sed 's/"c":[-0-9.e+]*/"c":-9/' "$TMP/pair.part" | jstats --merge -f x,y --pair x,y -a corr >"$TMP/out" 2>"$TMP/err"
check_eq "damaged pair state: exit 1" 1 $?
grep -q 'pair states: its checksum does not match' "$TMP/err" && ok "damaged pair state: named" ||
	fail "damaged pair state: named" "$(cat "$TMP/err")"
check_eq "intact pair state: merged" '{"x_y_corr":0.6546536707079771}' \
	"$(jstats --merge -f x,y --pair x,y -a corr "$TMP/pair.part")"
