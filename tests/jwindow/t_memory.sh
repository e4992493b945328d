# jwindow's memory does not grow with the stream: ten times the events
# with the same number of open windows and groups, about the same peak RSS.
. "$(dirname "$0")/../lib.sh"

# AddressSanitizer holds freed memory in quarantine: RSS then says nothing.
if ldd "$(command -v jwindow)" 2>/dev/null | grep -q libasan; then
	skip memory-flat "jwindow is built with AddressSanitizer (make asan)"
	exit 0
fi

gen() { awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "{\"t\":%d,\"u\":\"u%d\",\"x\":%d}\n", i, i % 100, i % 7 }'; }
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null </dev/null | tail -n 1; }
gen 30000 >"$TMP/small"
gen 300000 >"$TMP/large"
for mode in "--tumble 1m --watermark 30s" "--window 10m --slide 1m --watermark 1m" "--session 5s --watermark 10s"; do
	# shellcheck disable=SC2086
	s=$(rss jwindow --time t $mode --by u --agg 'count(*), avg(x), stddev(x)' "$TMP/small")
	# shellcheck disable=SC2086
	l=$(rss jwindow --time t $mode --by u --agg 'count(*), avg(x), stddev(x)' "$TMP/large")
	if [ "$l" -le $((s + 1024)) ]; then
		ok "memory-flat ($mode: $s KB for 30k events, $l KB for 300k)"
	else
		fail "memory-flat" "$mode: $s KB for 30k events, $l KB for 300k"
	fi
done

# Without a watermark nothing closes, but one long session per group must
# not cost memory per event.
s=$(rss jwindow --time t --session 1h --by u --agg 'count(*)' "$TMP/small")
l=$(rss jwindow --time t --session 1h --by u --agg 'count(*)' "$TMP/large")
if [ "$l" -le $((s + 1024)) ]; then
	ok "memory-flat (long sessions, no watermark: $s KB for 30k events, $l KB for 300k)"
else
	fail "memory-flat" "long sessions, no watermark: $s KB for 30k events, $l KB for 300k"
fi
