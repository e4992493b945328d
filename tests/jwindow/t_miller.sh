# jwindow against Miller, an independent implementation, on generated
# events: hourly tumbling and 10-minute windows sliding by one minute,
# count, mean and sample stddev per user (no watermark: a batch job).
. "$(dirname "$0")/../lib.sh"

command -v mlr >/dev/null || { skip miller "mlr not installed (make deps)"; exit 0; }
python3 "$KPIPE_ROOT/tests/gen-events.py" -n 3000 --step 1 --users 20 >"$TMP/ev"

compare() {
	python3 - "$1" "$2" <<'PY'
import json, math, sys
m = {}
for l in open(sys.argv[2]):
    r = json.loads(l)
    m[(r["w"], r["user"])] = (r["latency_ms_count"], r["latency_ms_mean"], r.get("latency_ms_stddev"))
j = {}
for l in open(sys.argv[1]):
    r = json.loads(l)
    j[(r["window"]["start"], r["user"])] = (r["count"], r["avg_latency_ms"], r["stddev_latency_ms"])
def same(a, b):
    if a is None or b is None or b == "":
        return (a is None) == (b is None or b == "")
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
bad = [k for k in m if k not in j or j[k][0] != m[k][0] or not same(j[k][1], m[k][1]) or not same(j[k][2], m[k][2])]
if bad or len(j) != len(m) or not m:
    print("%d groups in jwindow, %d in Miller, %d differ, e.g. %s" % (len(j), len(m), len(bad), bad[:1]))
    sys.exit(1)
PY
}

jwindow --time timestamp --tumble 1h --by user --agg 'count(*), avg(latency_ms), stddev(latency_ms)' "$TMP/ev" >"$TMP/jw"
mlr --ijsonl --ojsonl put '$w = sec2gmt(3600 * floor(gmt2sec($timestamp) / 3600))' \
	then stats1 -a count,mean,stddev -f latency_ms -g w,user "$TMP/ev" >"$TMP/mlr"
if out=$(compare "$TMP/jw" "$TMP/mlr"); then ok "miller-tumbling ($(wc -l <"$TMP/jw") groups)"; else fail miller-tumbling "$out"; fi

jwindow --time timestamp --window 10m --slide 1m --by user --agg 'count(*), avg(latency_ms), stddev(latency_ms)' "$TMP/ev" >"$TMP/jw"
mlr --ijsonl --ojsonl put 't = gmt2sec($timestamp); last = 60 * floor(t / 60); s = sec2gmt(last);
	for (i = 1; i < 10; i += 1) { s = s . ";" . sec2gmt(last - 60 * i) } $w = s' \
	then nest --explode --values --across-records -f w --nested-fs ';' \
	then stats1 -a count,mean,stddev -f latency_ms -g w,user "$TMP/ev" >"$TMP/mlr"
if out=$(compare "$TMP/jw" "$TMP/mlr"); then ok "miller-sliding ($(wc -l <"$TMP/jw") groups)"; else fail miller-sliding "$out"; fi
