#!/usr/bin/env bash
# kout's SVG charts as pictures: each is laid out by headless Chromium,
# which measures every <text> (getBBox through its transform) on a page
# holding the SVG.  Asserted: no NaN or infinity anywhere in the SVG, the
# expected labels present, every text inside the canvas, and no two texts
# overlapping (rotated ones compared in their own rotated frame).  The
# inputs are the awkward ones: huge, tiny, infinite-range and single
# values, negative bars, long labels, many long series, wide heat maps
# with holes.  Without Chromium every check is reported as a skip.
. "$(dirname "$0")/../lib.sh"

# mk runs at the end of a pipeline, in a subshell: the cases go to a file.
mk() {	# NAME KOUT-ARGS... < input
	local name=$1; shift
	kout "$@" --format svg >"$TMP/$name.svg" 2>"$TMP/$name.err"
	local rc=$?
	if [ $rc -ne 0 ] || grep -q -E 'runtime error|Sanitizer' "$TMP/$name.err"; then
		fail "$name: kout exits 0" "exit $rc: $(head -c 300 "$TMP/$name.err")"
		return
	fi
	echo "$name" >>"$TMP/cases"
}

ts() { python3 -c 'import datetime,sys; print(datetime.datetime.fromtimestamp(int(sys.argv[1]), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))' "$1"; }

printf '{"t":"2024-03-01T00:00:00Z","v":1e308}\n{"t":"2024-03-01T00:00:01Z","v":-1e308}\n' |
	mk line-infinite-range --chart line --x t --y v
printf '{"t":"2024-03-01T00:00:00Z","v":1e308}\n{"t":"2024-03-01T00:00:00Z","v":1e308}\n' |
	mk line-huge-one-step --chart line --x t --y v
printf '{"t":"2024-03-01T00:00:00Z","v":1.7976931348623157e308}\n' |
	mk line-largest-double --chart line --x t --y v
printf '{"t":"2024-03-01T00:00:00Z","v":1e-300}\n{"t":"2024-03-01T00:01:00Z","v":2e-300}\n{"t":"2024-03-01T00:02:00Z","v":5e-324}\n' |
	mk line-tiny --chart line --x t --y v
printf '{"t":"2024-03-01T00:00:00Z","v":42}\n' | mk line-single --chart line --x t --y v
python3 -c '
import json
names = ["checkout-service-eu-west-1-p99-latency-%02d" % i for i in range(12)]
for k in range(20):
    for i, n in enumerate(names):
        print(json.dumps({"t": 1709251200 + 60 * k, "s": n, "v": (k * (i + 1)) % 17}))' |
	mk line-many-series --chart line --x t --y v --series s
printf '%s\n' '{"k":"service-alpha-requests-per-second-total","v":-120}' \
	'{"k":"service-alpha-requests-per-second-failed","v":30}' \
	'{"k":"service-alpha-requests-per-second-retried","v":1e308}' \
	'{"k":"b","v":-1e308}' '{"k":"zero","v":0}' | mk bar-negative-long --chart bar --x k --y v
python3 -c '
import json
for h in range(50):
    for u in ["alice", "bob", "carol-with-a-rather-long-user-name-here"]:
        if (h + len(u)) % 7:
            print(json.dumps({"t": "2024-03-01T%02d:%02d:00Z" % (10 + h // 60, h % 60), "u": u, "v": h * len(u)}))' |
	mk heatmap-wide-holes --chart heatmap --x t --y u --z v
printf '{"x":"a","y":"p","z":1e308}\n{"x":"b","y":"p","z":-1e308}\n{"x":"a","y":"q","z":0}\n' |
	mk heatmap-infinite-range --chart heatmap --x x --y y --z z

mapfile -t cases <"$TMP/cases"
check_eq "every chart made" 9 "${#cases[@]}"
for c in "${cases[@]}"; do
	if grep -q -i -E '(^|[^a-z])-?(nan|inf)([^a-z]|$)' "$TMP/$c.svg"; then
		fail "$c: no NaN or inf in the SVG" "$(grep -o -i -E '.{20}(nan|inf).{10}' "$TMP/$c.svg" | head -n 2)"
	else ok "$c: no NaN or inf in the SVG"; fi
done

if ! command -v chromium >/dev/null; then
	for c in "${cases[@]}"; do skip "$c: laid out by chromium" "chromium not installed"; done
	exit 0
fi

cat >"$TMP/page.py" <<'PY'
import sys
svg = open(sys.argv[1], encoding="utf-8").read()
svg = svg[svg.index("<svg"):]
open(sys.argv[2], "w", encoding="utf-8").write("""<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>body{margin:0}</style></head><body>
%s
<pre id="out"></pre>
<script>
const svg = document.querySelector("svg");
const res = {w: svg.width.baseVal.value, h: svg.height.baseVal.value, texts: []};
for (const t of svg.querySelectorAll("text")) {
  const b = t.getBBox(), m = t.getCTM();
  const pts = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]]
    .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
  res.texts.push({s: t.textContent, pts: pts, angle: Math.round(Math.atan2(m.b, m.a) * 180 / Math.PI)});
}
document.getElementById("out").textContent = "MEASURE" + JSON.stringify(res) + "END";
</script></body></html>""" % svg)
PY

# measure.json [LABEL...]: prints one problem a line, nothing when all is well.
cat >"$TMP/judge.py" <<'PY'
import json, math, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"MEASURE(.*?)END", dom, re.S)
if not m:
    print("no measurement in the page"); sys.exit()
import html
res = json.loads(html.unescape(m.group(1)))
texts = [t for t in res["texts"] if t["s"].strip()]
def box(pts, angle):
    a = math.radians(-angle)
    r = [(x * math.cos(a) - y * math.sin(a), x * math.sin(a) + y * math.cos(a)) for x, y in pts]
    xs, ys = [p[0] for p in r], [p[1] for p in r]
    return min(xs), min(ys), max(xs), max(ys)
for t in texts:
    x0, y0, x1, y1 = box(t["pts"], 0)
    if x0 < -1 or y0 < -1 or x1 > res["w"] + 1 or y1 > res["h"] + 1:
        print("outside the %gx%g canvas: %r at (%.0f,%.0f)-(%.0f,%.0f)" % (res["w"], res["h"], t["s"], x0, y0, x1, y1))
for i in range(len(texts)):
    for j in range(i + 1, len(texts)):
        a, b = texts[i], texts[j]
        ang = a["angle"] if a["angle"] == b["angle"] else 0
        p, q = box(a["pts"], ang), box(b["pts"], ang)
        # 1px slack: a line's box includes the font's descent and ascent.
        if p[0] < q[2] - 1 and q[0] < p[2] - 1 and p[1] < q[3] - 1 and q[1] < p[3] - 1:
            print("overlap: %r and %r" % (a["s"], b["s"]))
have = {t["s"] for t in texts}
for want in sys.argv[2:]:
    if want not in have:
        print("missing label %r" % want)
PY

shoot() {	# NAME: the DOM with the measurements, and a screenshot to look at
	local page="$TMP/$1.html" prof
	prof=$(mktemp -d "$TMP/chrome.XXXXXX")
	python3 "$TMP/page.py" "$TMP/$1.svg" "$page"
	timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$prof" --dump-dom "file://$page" >"$TMP/$1.dom" 2>"$TMP/$1.chrome"
}

judge() {	# NAME LABEL...
	local name=$1; shift
	if ! shoot "$name" || ! grep -q MEASURE "$TMP/$name.dom"; then
		fail "$name: laid out by chromium" "$(grep -v -i dbus "$TMP/$name.chrome" | head -c 300)"
		return
	fi
	python3 "$TMP/judge.py" "$TMP/$name.dom" "$@" >"$TMP/$name.judged"
	if [ -s "$TMP/$name.judged" ]; then fail "$name: labels present, inside, apart" "$(head -n 4 "$TMP/$name.judged" | tr '\n' ';')"
	else ok "$name: labels present, inside, apart"; fi
}

judge line-infinite-range 1e+308 0 -1e+308 2024-03-01T00:00:00Z 2024-03-01T00:00:01Z
judge line-huge-one-step 1e+308 2024-03-01T00:00:00Z
judge line-largest-double 2024-03-01T00:00:00Z
judge line-tiny 2e-300 1e-300 2024-03-01T00:00:00Z 2024-03-01T00:02:00Z
judge line-single 42 2024-03-01T00:00:00Z
# Labels past 30 columns keep their first 14 and last 15, around an ellipsis.
judge line-many-series $(for i in 00 05 11; do printf 'checkout-servi…-p99-latency-%s ' $i; done)
judge bar-negative-long b zero -120 30 -1e+308 1e+308 \
	'service-alpha-…er-second-total' 'service-alpha-…r-second-failed' 'service-alpha-…-second-retried'
judge heatmap-wide-holes alice bob 'no data' 2024-03-01T10:00:00Z 0 1911
judge heatmap-infinite-range a b p q -1e+308 1e+308

# Bars from the zero axis: the bar of -1e308 (4th record) ends at the
# axis, that of 1e308 (3rd) starts there; the axis is where the zero bar
# (5th) is.
python3 - "$TMP/bar-negative-long.svg" >"$TMP/bars" <<'PY'
import sys, xml.etree.ElementTree as E
ns = "{http://www.w3.org/2000/svg}"
rects = [r for r in E.parse(sys.argv[1]).getroot().iter(ns + "rect") if r.find(ns + "title") is not None]
for r in rects:
    x, w = float(r.get("x")), float(r.get("width"))
    print("%.1f %.1f" % (x, x + w))
PY
axis=$(sed -n 5p "$TMP/bars" | cut -d' ' -f1)
check_eq "negative bar drawn left of the axis" "yes" \
	"$(awk -v a="$axis" 'NR==4 { print ($1 < a - 1 && $2 == a) ? "yes" : "no: " $0 }' "$TMP/bars")"
check_eq "positive bar drawn right of the axis" "yes" \
	"$(awk -v a="$axis" 'NR==3 { print ($1 == a && $2 > a + 1) ? "yes" : "no: " $0 }' "$TMP/bars")"
