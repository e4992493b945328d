#!/usr/bin/env bash
# kout --serve from the command line: what it accepts and refuses, the
# exit statuses, what the server sends (frames read from /events, checked
# against the records fed, with jq and Python as the oracles), and that
# its charts are the very SVG that kout --format svg draws.
. "$(dirname "$0")/../lib.sh"

sse=$KPIPE_ROOT/tests/kout/sse_frame.py
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT

# serve NAME ARGS... <input: kout --serve 0 in the background (given the
# caller's standard input: bash would give it /dev/null); sets URL.
serve() {
	local name=$1 i; shift
	kout --serve 0 "$@" <&0 >"$TMP/$name.out" 2>"$TMP/$name.err" &
	pids+=($!)
	URL=
	for ((i = 0; i < 100; i++)); do
		URL=$(grep -o 'http://[^ ]*/' "$TMP/$name.err" 2>/dev/null | head -n 1)
		[ -n "$URL" ] && return
		sleep 0.05
	done
}

# --- usage errors, exit 2 -----------------------------------------------------
for spec in abc 70000 : 127.0.0.1: :x 1:2:3x -1 '[::1' '' 08080x; do
	check_exit "--serve '$spec' is a usage error" 2 kout --serve "$spec" /dev/null
done
check_exit "--panel without --serve is a usage error" 2 kout --panel bar,x=a /dev/null
check_exit "--linger without --serve is a usage error" 2 kout --linger 1s /dev/null
check_exit "--serve with --csv is a usage error" 2 kout --serve 0 --csv /dev/null
check_exit "--serve with --refresh is a usage error" 2 kout --serve 0 --refresh 1s /dev/null
check_exit "--serve with -b is a usage error" 2 kout --serve 0 -b localhost:9092 -t x /dev/null
check_exit "--panel with an unknown kind is a usage error" 2 kout --serve 0 --panel pie,x=a /dev/null
check_exit "--panel without x= is a usage error" 2 kout --serve 0 --panel bar,y=a /dev/null
check_exit "--panel line without y= is a usage error" 2 kout --serve 0 --panel line,x=t /dev/null
check_exit "--panel with an unknown setting is a usage error" 2 kout --serve 0 --panel bar,x=a,colour=red /dev/null
check_exit "--x without --chart is a usage error" 2 kout --serve 0 --x a /dev/null
check_exit "--epoch-unit without --chart is a usage error" 2 kout --serve 0 --epoch-unit ms /dev/null
check_exit "--linger with a bad duration is a usage error" 2 kout --serve 0 --linger soon /dev/null
kout --serve 0 --panel bar,y=a /dev/null 2>"$TMP/err"
check_eq "a --panel error names the panel" \
	"kout: --panel bar,y=a: needs x=FIELD" "$(head -n 1 "$TMP/err")"

# --- a port in use, exit 3 ---------------------------------------------------
mkfifo "$TMP/hold"
exec 7<>"$TMP/hold"	# read-write: opening does not wait for a reader
serve hold --linger 0 <"$TMP/hold"
port=${URL##*:}; port=${port%/}
kout --serve "127.0.0.1:$port" --linger 0 /dev/null >/dev/null 2>"$TMP/inuse.err"
check_eq "a port in use is exit 3" 3 $?
check "a port in use says so" grep -q "127.0.0.1:$port: cannot listen: Address already in use" "$TMP/inuse.err"
# Meanwhile the first still serves, and HEAD has the headers without a body.
curl -s -I "$URL" >"$TMP/head" 2>&1
check "HEAD / is 200 with the page's type" grep -q -i '^content-type: text/html' "$TMP/head"
check_eq "HEAD / has no body" 0 "$(curl -s -X HEAD -m 5 "$URL" 2>/dev/null | wc -c)"
for asset in "" dashboard.js dashboard.css; do
	curl -s -f "$URL$asset" >"$TMP/asset" 2>&1
	check "/$asset is served" test -s "$TMP/asset"
	check_eq "/$asset names no URL (nothing is loaded from elsewhere)" "" \
		"$(grep -o -E '(https?:)?//[a-zA-Z0-9.-]+' "$TMP/asset" | head -n 3)"
done
curl -s -I "$URL" | tr -d '\r' >"$TMP/head"
check "the page's policy lets it load only from kout" \
	grep -q "^Content-Security-Policy: default-src 'none'; script-src 'self'" "$TMP/head"
exec 7>&-

# --- what is served ------------------------------------------------------------
check "[::1]:0 listens on IPv6 (or IPv6 is off here)" bash -c '
	out=$(kout --serve "[::1]:0" --linger 0 /dev/null 2>&1); rc=$?
	[ $rc = 0 ] && [[ $out == "kout: serving http://[::1]:"*/* ]] ||
		{ [ $rc = 3 ] && [[ $out == *"Cannot assign requested address"* || $out == *"not supported"* ]]; }'
printf '{"a":1}\n' | kout --serve 127.0.0.1:0 --linger 0 >/dev/null 2>"$TMP/url"
check "the URL printed names the address and the port taken" \
	grep -q -E '^kout: serving http://127\.0\.0\.1:[0-9]+/$' "$TMP/url"

# Without --key: the newest 50 rows, oldest of them first (jq: the last 50).
seq 1 237 | jq -c '{n: ., sq: (. * .), name: ("r" + tostring)}' >"$TMP/rows.json"
serve rows --linger 20s "$TMP/rows.json"
python3 "$sse" "$URL" >"$TMP/rows.frame"
check_eq "without --key the table is the newest 50 rows" \
	"$(tail -n 50 "$TMP/rows.json" | jq -c '[.n, .sq, .name] | map(tostring)' | jq -s -c .)" \
	"$(jq -c .rows "$TMP/rows.frame")"
check_eq "the frame counts the records and the columns are the fields" \
	'237 ["n","sq","name"] [true,true,false] 0' \
	"$(jq -r '"\(.records) \(.columns|tojson) \(.numeric|tojson) \(.more)"' "$TMP/rows.frame")"
check_file_eq "records pass through to standard output unchanged" "$TMP/rows.json" "$TMP/rows.out"

# With --key: the latest row per key, one key for the same value written
# two ways (1 and 1.0, "b" and "\u0062"); past 1000 keys the rest counted.
{
	printf '%s\n' '{"k":1,"v":"one"}' '{"k":"b","v":"bee"}' '{"k":1.0,"v":"uno"}' '{"k":"\u0062","v":"be"}'
	seq 1 1200 | jq -c '{k: ("x" + tostring), v: "n"}'
} >"$TMP/keys.json"
serve keys --linger 20s --key k "$TMP/keys.json"
python3 "$sse" "$URL" >"$TMP/keys.frame"
check_eq "with --key the latest row per key, keys compared by value" \
	'[["1.0","uno"],["b","be"],["x1","n"]]' "$(jq -c '.rows[:3]' "$TMP/keys.frame")"
check_eq "past 1000 keyed rows the rest are counted" "1000 202" \
	"$(jq -r '"\(.rows|length) \(.more)"' "$TMP/keys.frame")"

# The charts are kout's own SVG: the same bytes as --format svg draws.
python3 "$KPIPE_ROOT/tests/gen-events.py" -n 3000 >"$TMP/events.json"
kout --chart bar --x action --y latency_ms --title 'latency by action' --format svg \
	"$TMP/events.json" >"$TMP/bar.svg"
kout --chart heatmap --x action --y ok --format svg "$TMP/events.json" >"$TMP/heat.svg"
serve charts --linger 20s --chart bar --x action --y latency_ms --title 'latency by action' \
	--panel heatmap,x=action,y=ok "$TMP/events.json"
python3 "$sse" "$URL" >"$TMP/charts.frame"
jq -j '.charts[0]' "$TMP/charts.frame" >"$TMP/served-bar.svg"
jq -j '.charts[1]' "$TMP/charts.frame" >"$TMP/served-heat.svg"
check_file_eq "the bar chart served is what --format svg draws" "$TMP/bar.svg" "$TMP/served-bar.svg"
check_file_eq "a --panel heat map served is what --format svg draws" "$TMP/heat.svg" "$TMP/served-heat.svg"

# Records are admitted as everywhere: a bad line is rejected with FILE:LINE
# and exit 1, the rest shown; a record a chart cannot plot is rejected too.
printf '{"x":"a","y":1}\nnot json\n{"x":"b"}\n' >"$TMP/bad.json"
kout --serve 0 --linger 0 --chart bar --x x --y y "$TMP/bad.json" >"$TMP/bad.out" 2>"$TMP/bad.err"
check_eq "rejected records make exit 1" 1 $?
check "a rejected line is reported with FILE:LINE" grep -q "bad.json:2: " "$TMP/bad.err"
check "a record the chart cannot plot is reported" grep -q "bad.json:3: .*not a number\|bad.json:3: .*no value" "$TMP/bad.err"

# --linger: kout ends that long after its input, or at once for 0.
start=$(date +%s.%N)
kout --serve 0 --linger 1s /dev/null 2>/dev/null
# At least the second; at most a few more on a loaded machine.
check_eq "--linger 1s serves a second after the input ends" yes \
	"$(python3 -c "import sys,time; t = time.time() - float(sys.argv[1]); print('yes' if 1 <= t < 5 else t)" "$start")"
# Without --linger: until SIGTERM (or SIGINT), then exit 0.
serve forever /dev/null
sleep 1
check "without --linger kout keeps serving after the input" kill -0 "${pids[-1]}"
kill -TERM "${pids[-1]}"
wait "${pids[-1]}"
check_eq "SIGTERM ends the dashboard with status 0" 0 $?
check "and it sums up what the server did" grep -q "^kout: dashboard: 1 frames published" "$TMP/forever.err"
