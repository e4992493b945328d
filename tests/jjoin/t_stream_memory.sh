# jjoin --stream's memory does not grow with the streams: two streams of
# ten times the rows, joined with a 10-minute bound under 1-minute
# watermarks, take about the same peak RSS, since a kept row goes once no
# later row can match it.  The same runs without a watermark keep every
# row until the other side ends, and must grow: that shows the measure
# sees a leak, and gives the bytes a kept row costs.
. "$(dirname "$0")/../lib.sh"

# AddressSanitizer holds freed memory in quarantine: RSS then says nothing.
if ldd "$(command -v jjoin)" 2>/dev/null | grep -q libasan; then
	skip stream-memory-flat "jjoin is built with AddressSanitizer (make asan)"
	exit 0
fi

# one row a second per side, 2 000 keys; clicks 0 to 5 minutes after the
# impression of the same number, each file in time order
gen() {
	awk -v n="$1" -v side="$2" 'BEGIN {
		for (i = 0; i < n; i++)
			if (side == "L") printf "{\"ad\":\"ad%d\",\"lt\":%d,\"campaign\":\"c%d\"}\n", i % 2000, i, i % 13
			else printf "{\"ad\":\"ad%d\",\"rt\":%d,\"price\":%d}\n", (i - 300 + 2000) % 2000, i, i % 97 }'
}
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null </dev/null | tail -n 1; }
n=40000
gen $n L >"$TMP/l1"
gen $n R >"$TMP/r1"
gen $((10 * n)) L >"$TMP/l10"
gen $((10 * n)) R >"$TMP/r10"
# the join is not empty: every click is 300 s after the impression of its ad
check_eq stream-memory-joins $((n - 300)) "$(jjoin --stream "$TMP/r1" --on ad --time lt=rt --between 0,10m -W 1m "$TMP/l1" | wc -l)"

for how in inner full; do
	s=$(rss jjoin --stream "$TMP/r1" --on ad --time lt=rt --between 0,10m -W 1m --how $how "$TMP/l1")
	l=$(rss jjoin --stream "$TMP/r10" --on ad --time lt=rt --between 0,10m -W 1m --how $how "$TMP/l10")
	if [ "$l" -le $((s + 1024)) ]; then
		ok "stream-memory-flat ($how: $s KB for 2 x $n rows, $l KB for 2 x $((10 * n)))"
	else
		fail "stream-memory-flat" "$how: $s KB for 2 x $n rows, $l KB for 2 x $((10 * n))"
	fi
done

# Without a watermark no row can go before the other side ends: every row
# of both sides is kept (about 45 bytes of JSON each).
s=$(rss jjoin --stream "$TMP/r1" --on ad --time lt=rt --between 0,10m "$TMP/l1")
l=$(rss jjoin --stream "$TMP/r10" --on ad --time lt=rt --between 0,10m "$TMP/l10")
per=$(( (l - s) * 1024 / (18 * n) ))
if [ "$l" -gt $((s + 18 * n * 45 / 1024)) ]; then
	ok "stream-memory-grows-without-watermark ($s KB, $l KB: $per bytes per kept row)"
else
	fail "stream-memory-grows-without-watermark" "$s KB, $l KB"
fi
