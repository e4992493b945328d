#!/usr/bin/env bash
# kout --svg / --format svg: well-formed XML, and rendered by headless
# Chromium into a screenshot whose plotted area holds the chart's colours
# (and an empty chart's does not, so the check can fail).
. "$(dirname "$0")/../lib.sh"
G=$(dirname "$0")/golden

kout --chart bar --x action --y count --svg "$TMP/bar.svg" "$G/bar-in.json" >"$TMP/bar.out"
check_eq "--svg FILE writes nothing on a pipe" "" "$(cat "$TMP/bar.out")"
kout --chart line --x window.start --y count --series action --format svg "$G/line-in.json" >"$TMP/line.svg"
kout --chart heatmap --x hour --y user --z count --format svg "$G/heat-in.json" >"$TMP/heat.svg"
kout --chart bar --x action --y count --format svg </dev/null >"$TMP/empty.svg"
printf '{"action":"<&\\"x\\u001b>","count":1}\n' | kout --chart bar --x action --y count --format svg >"$TMP/esc.svg"

for f in bar line heat empty esc; do
	check "$f.svg is well-formed XML" python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$TMP/$f.svg"
done
check "markup in labels escaped" grep -q -F '&lt;&amp;&quot;x\u001b&gt;' "$TMP/esc.svg"

# PNG decoding without PIL: zlib and the five row filters.
cat >"$TMP/png.py" <<'PY'
import struct, sys, zlib
def load(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    assert depth == 8 and ctype in (2, 6), (depth, ctype)
    bpp = 3 if ctype == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line); prev = line
    return w, h, bpp, rows
def count(path, rgb, tol=40):
    w, h, bpp, rows = load(path)
    return sum(1 for r in rows for x in range(w)
               if all(abs(r[x * bpp + k] - rgb[k]) <= tol for k in range(3)))
path, want = sys.argv[1], int(sys.argv[3])
colour = tuple(int(sys.argv[2][i:i + 2], 16) for i in (0, 2, 4))
n = count(path, colour)
print(n, "pixels of", sys.argv[2])
sys.exit(0 if (n >= want if want > 0 else n == 0) else 1)
PY

if ! command -v chromium >/dev/null; then
	for t in bar line heatmap empty; do skip "$t.svg rendered by chromium" "chromium not installed (make deps installs it)"; done
	exit 0
fi
shot() {
	timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$(mktemp -d "$TMP/chrome.XXXXXX")" --window-size=800,600 \
		--screenshot="$2" "file://$1" >/dev/null 2>&1
}
for f in bar line heat empty; do shot "$TMP/$f.svg" "$TMP/$f.png"; done
# bars in #4e79a7; the two series in #4e79a7 and #f28e2b; the heat map's
# darker half of its blues; the empty chart has no bar at all.
check "bar.svg rendered with bars" python3 "$TMP/png.py" "$TMP/bar.png" 4e79a7 5000
check "line.svg rendered with series 1" python3 "$TMP/png.py" "$TMP/line.png" 4e79a7 500
check "line.svg rendered with series 2" python3 "$TMP/png.py" "$TMP/line.png" f28e2b 500
check "heat.svg rendered with cells" python3 "$TMP/png.py" "$TMP/heat.png" 2c5590 3000
check "empty chart renders no bars" python3 "$TMP/png.py" "$TMP/empty.png" 4e79a7 0
