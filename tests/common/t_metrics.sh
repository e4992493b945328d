# --metrics FILE on every command (kpipe(7), METRICS): the counts in the
# records are those of the data, counted here by jq, wc and grep; records
# come every --metrics-interval while the input is idle; jwindow's
# watermark is the one its late records name.  Kafka: tests/kafka/t_metrics.sh.
. "$(dirname "$0")/../lib.sh"

python3 "$KPIPE_ROOT/tests/gen-events.py" -n 3000 >"$TMP/ev"
{ head -n 1000 "$TMP/ev"; echo; echo 'not json'; echo '   '; echo '[1]'; tail -n +1001 "$TMP/ev"; } >"$TMP/in"
nonblank=$(grep -cv '^[[:space:]]*$' "$TMP/in")
final() { jq -c 'select(.final)' "$1"; }
field() { final "$1" | jq -r ".$2"; }

# --- jfilter: in, out and rejected against jq over the same lines
jfilter --metrics "$TMP/m" 'select(.latency_ms > 100)' "$TMP/in" >"$TMP/out" 2>"$TMP/err"
check_eq "jfilter: exit 1 with rejected lines" 1 $?
check_eq "jfilter: totalInputRows = non-blank lines" "$nonblank" "$(field "$TMP/m" totalInputRows)"
check_eq "jfilter: totalOutputRows = jq's count" \
	"$(jq -c 'select(.latency_ms > 100)' "$TMP/ev" | wc -l)" "$(field "$TMP/m" totalOutputRows)"
check_eq "jfilter: totalOutputRows = lines written" "$(wc -l <"$TMP/out")" "$(field "$TMP/m" totalOutputRows)"
check_eq "jfilter: totalRejectedRows = the bad lines" 2 "$(field "$TMP/m" totalRejectedRows)"
check_eq "jfilter: one final record, the last" "1 true" \
	"$(jq -s '[.[] | select(.final)] | length' "$TMP/m") $(tail -n 1 "$TMP/m" | jq .final)"
check_eq "jfilter: the record names the command" jfilter "$(field "$TMP/m" command)"

# --- every command that reads lines counts them
rm -f "$TMP/m"
for run in "jstats -f latency_ms" "jwindow --time timestamp --tumble 1m -a count(*)" \
	"kout --csv" "jparse --json" "jfilter ."; do
	rm -f "$TMP/m"
	$run --metrics "$TMP/m" "$TMP/ev" >"$TMP/out" 2>"$TMP/err"
	check_eq "${run%% *}: totalInputRows = wc -l" "$(wc -l <"$TMP/ev")" "$(field "$TMP/m" totalInputRows)"
done
rm -f "$TMP/m"
kout --csv --metrics "$TMP/m" "$TMP/ev" >"$TMP/out"
check_eq "kout --csv: totalOutputRows = CSV rows, header included (python csv)" \
	"$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1]))))' "$TMP/out")" \
	"$(field "$TMP/m" totalOutputRows)"

# --- records while the input is idle, summing up to the whole
mkfifo "$TMP/fifo"
{ head -n 1000 "$TMP/ev"; sleep 1; tail -n +1001 "$TMP/ev"; } >"$TMP/fifo" &
jstats -f latency_ms --metrics "$TMP/idle" --metrics-interval 100ms <"$TMP/fifo" >/dev/null
wait
check "idle input: records keep coming (at least 5 in a second)" \
	test "$(jq -s length "$TMP/idle")" -ge 5
check_eq "idle input: a record while idle counts the first 1000" true \
	"$(jq -s 'any(.[]; (.final | not) and .totalInputRows == 1000)' "$TMP/idle")"
check_eq "idle input: numInputRows add up to wc -l" "$(wc -l <"$TMP/ev")" \
	"$(jq -s 'map(.numInputRows) | add' "$TMP/idle")"
check_eq "idle input: batchId counts 0, 1, 2..." "true" \
	"$(jq -s '[.[].batchId] == [range(length)]' "$TMP/idle")"
check_eq "idle input: an idle interval has numInputRows 0 and rate 0" "true" \
	"$(jq -s 'any(.[]; .numInputRows == 0 and .inputRowsPerSecond == 0)' "$TMP/idle")"
check_eq "idle input: durationMs add up to about the run (1 s or more)" "true" \
	"$(jq -s 'map(.durationMs) | add >= 990' "$TMP/idle")"

# --- jwindow: the watermark is the one of its late records' reasons
{
	echo '{"t":"2024-01-01T10:00:00Z"}'
	echo '{"t":"2024-01-01T10:10:30Z"}'
	echo '{"t":"2024-01-01T09:00:00Z"}'
	echo '{"t":"2024-01-01T09:30:00Z"}'
	echo '{"t":"2024-01-01T10:12:00Z"}'
	echo '{"t":"2024-01-01T09:59:00Z"}'
} >"$TMP/w"
jwindow --time t --tumble 1m -W 5m -a 'count(*)' --late "$TMP/late" --metrics "$TMP/wm" "$TMP/w" >"$TMP/wout" 2>/dev/null
check_eq "jwindow: numLateRows = lines of --late" "$(wc -l <"$TMP/late")" "$(field "$TMP/wm" totalLateRows)"
check_eq "jwindow: watermark = the last late record's" \
	"$(tail -n 1 "$TMP/late" | jq -r '.reason | sub(".* watermark "; "")')" \
	"$(field "$TMP/wm" eventTimeWatermark)"
check_eq "jwindow: numOutputRows = windows written" "$(wc -l <"$TMP/wout")" "$(field "$TMP/wm" totalOutputRows)"
check_eq "jwindow: no open windows left at the end" "0 0" \
	"$(field "$TMP/wm" stateRows) $(field "$TMP/wm" stateBytes)"
jwindow --time t --tumble 1m -a 'count(*)' --metrics "$TMP/nowm" "$TMP/w" >/dev/null
check_eq "jwindow: no --watermark, eventTimeWatermark null" null "$(field "$TMP/nowm" eventTimeWatermark)"
# Open windows while the input is idle: --state keeps them at the end too.
jwindow --time t --tumble 1m -W 5m -a 'count(*)' --state "$TMP/st" --metrics "$TMP/sm" "$TMP/w" >/dev/null 2>&1
check_eq "jwindow --state: stateRows = the windows --flush then emits" \
	"$(jwindow --time t --tumble 1m -W 5m -a 'count(*)' --state "$TMP/st" --flush </dev/null | wc -l)" \
	"$(field "$TMP/sm" stateRows)"

# --- - is standard error; a FIFO is written in place
jfilter --metrics - . "$TMP/ev" 2>"$TMP/stderr" >/dev/null
check_eq "--metrics -: the record on standard error" 3000 "$(jq -r .totalInputRows "$TMP/stderr")"
mkfifo "$TMP/mfifo"
cat "$TMP/mfifo" >"$TMP/fromfifo" &
jfilter --metrics "$TMP/mfifo" . "$TMP/ev" >/dev/null
wait
check_eq "--metrics FIFO: the record comes through" 3000 "$(field "$TMP/fromfifo" totalInputRows)"
echo '{"old":1}' >"$TMP/app"
jfilter --metrics "$TMP/app" . "$TMP/ev" >/dev/null
check_eq "--metrics FILE: appended to, as --errors" '{"old":1} 3000' \
	"$(head -n 1 "$TMP/app" | jq -c .) $(tail -n 1 "$TMP/app" | jq .totalInputRows)"

# --- usage
check_exit "--metrics-interval without --metrics: usage error" 2 jfilter --metrics-interval 1s . /dev/null
check_exit "--metrics-interval 0: usage error" 2 jfilter --metrics - --metrics-interval 0 . /dev/null
check_exit "--progress with --no-progress: usage error" 2 jfilter --progress --no-progress . /dev/null
check_exit "--metrics in a missing directory: usage error" 2 jfilter --metrics "$TMP/no/such" . /dev/null

# --- a run stopped by a signal or a fatal error still writes its final
# record, and still dies of the signal (the shell sees 128+N)
# stopped SIG: jfilter -u with --metrics over a FIFO held open, stopped by
# SIG once it has written the first 1000 records; its status in $TMP/rc.
# A background job of a script starts with SIGINT ignored: a small Python
# gives it back its default first, as an interactive shell would.
stopped() {
	rm -f "$TMP/stop.m" "$TMP/stop.out" "$TMP/stop.fifo"
	mkfifo "$TMP/stop.fifo"
	python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' \
		jfilter -u --metrics "$TMP/stop.m" . <"$TMP/stop.fifo" >"$TMP/stop.out" &
	local pid=$!
	exec 4>"$TMP/stop.fifo"
	head -n 1000 "$TMP/ev" >&4
	for ((i = 0; i < 100; i++)); do [ "$(wc -l <"$TMP/stop.out")" = 1000 ] && break; sleep 0.05; done
	kill -"$1" "$pid"
	wait "$pid" 2>/dev/null	# not bash's "Hangup" job message
	echo $? >"$TMP/rc"
	exec 4>&-
}
for sig in INT TERM HUP; do
	stopped $sig
	check_eq "SIG$sig: the process dies of it" $((128 + $(kill -l $sig))) "$(cat "$TMP/rc")"
	check_eq "SIG$sig: one final record, the last, with the 1000 records and stoppedBy" \
		"1 true 1000 1000 SIG$sig" \
		"$(jq -s '[.[] | select(.final)] | length' "$TMP/stop.m") $(tail -n 1 "$TMP/stop.m" |
			jq -r '"\(.final) \(.totalInputRows) \(.totalOutputRows) \(.stoppedBy)"')"
done
# A signal the command was started with ignored (nohup) stays ignored.
rm -f "$TMP/stop.m"
mkfifo "$TMP/held"
(trap '' HUP; exec jfilter --metrics "$TMP/stop.m" . <"$TMP/held" >/dev/null) &
pid=$!
exec 4>"$TMP/held"
sleep 0.3
kill -HUP "$pid"
sleep 0.3
kill -0 "$pid" 2>/dev/null && ok "SIGHUP ignored at the start: still running" ||
	fail "SIGHUP ignored at the start: still running" ""
exec 4>&-
wait "$pid"
check_eq "SIGHUP ignored at the start: it ends at EOF, a plain final record" "0 true null" \
	"$? $(tail -n 1 "$TMP/stop.m" | jq -r '"\(.final) \(.stoppedBy)"')"
# A fatal error (a --late file that cannot be written): the final record
# says "error", and the window closed before it is on standard output.
printf '%s\n' '{"t":"2024-01-01T10:00:00Z"}' '{"t":"2024-01-01T12:00:00Z"}' '{"t":"2024-01-01T09:00:00Z"}' |
	jwindow --time t --watermark 1m --tumble 1h -a 'count() as n' --late /dev/full --metrics "$TMP/fatal.m" \
		>"$TMP/fatal.out" 2>"$TMP/err"
check_eq "fatal error: exit 3" 3 $?
check_eq "fatal error: the final record, stoppedBy error, 3 in, 1 late" "true error 3 1" \
	"$(tail -n 1 "$TMP/fatal.m" | jq -r '"\(.final) \(.stoppedBy) \(.totalInputRows) \(.totalLateRows)"')"
check_eq "fatal error: the window closed before it is written" \
	'{"window":{"start":"2024-01-01T10:00:00Z","end":"2024-01-01T11:00:00Z"},"n":1}' "$(cat "$TMP/fatal.out")"

# --- a metrics reader that goes away: said, exit 3, no record lost silently
mkfifo "$TMP/gone"
head -c 1 "$TMP/gone" >/dev/null &
{ cat "$TMP/ev"; sleep 1; cat "$TMP/ev"; } | jfilter --metrics "$TMP/gone" --metrics-interval 50ms . >/dev/null 2>"$TMP/err"
rc=$?
wait
check_eq "metrics reader gone: exit 3" 3 "$rc"
grep -q "gone" "$TMP/err" && ok "metrics reader gone: the file is named" ||
	fail "metrics reader gone: the file is named" "$(cat "$TMP/err")"

# --- kout --chart line draws the rates from metrics records
kout --chart line --x timestamp --y numInputRows --width 40 --height 5 "$TMP/idle" >"$TMP/chart"
check_eq "kout --chart line over --metrics: exit 0, a title" "numInputRows over timestamp" "$(head -n 1 "$TMP/chart")"
