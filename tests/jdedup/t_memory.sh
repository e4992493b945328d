# jdedup's memory: with a watermark the keys are forgotten and the peak
# RSS stays flat for ten times the records; without one every key is
# held, and what a key costs is measured and bounded (jdedup(1), MEMORY).
. "$(dirname "$0")/../lib.sh"

if ldd "$(command -v jdedup)" 2>/dev/null | grep -q libasan; then
	skip jdedup-memory "jdedup is built with AddressSanitizer (make asan)"
	exit 0
fi

# n records with distinct ids, one a second, each sent twice
gen() { awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) { r = sprintf("{\"id\":\"k%07d\",\"t\":%d,\"x\":%d}", i, 1700000000 + i, i % 7); print r; print r } }'; }
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null </dev/null | tail -n 1; }
gen 50000 >"$TMP/small"
gen 500000 >"$TMP/large"
for mode in "--watermark 10m" "--within 10m"; do
	# shellcheck disable=SC2086
	s=$(rss jdedup -k id --time t $mode "$TMP/small")
	# shellcheck disable=SC2086
	l=$(rss jdedup -k id --time t $mode "$TMP/large")
	if [ "$l" -le $((s + 1024)) ]; then
		ok "jdedup-memory-flat ($mode: $s KB for 100k records, $l KB for 1M)"
	else
		fail "jdedup-memory-flat" "$mode: $s KB for 100k records, $l KB for 1M"
	fi
done

# Without a watermark: 450000 more keys; the man page says at most 100
# bytes a key of 10 bytes (the table at its fullest included).
s=$(rss jdedup -k id "$TMP/small")
l=$(rss jdedup -k id "$TMP/large")
per=$(( (l - s) * 1024 / 450000 ))
if [ "$per" -gt 0 ] && [ "$per" -le 100 ]; then
	ok "jdedup-memory-per-key (no watermark: $s KB for 50k keys, $l KB for 500k: $per bytes a key)"
else
	fail "jdedup-memory-per-key" "no watermark: $s KB for 50k keys, $l KB for 500k: $per bytes a key"
fi
