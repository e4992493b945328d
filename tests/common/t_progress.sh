# The progress line (kpipe(7), PROGRESS), checked on a real terminal: a
# tmux pane, whose screen capture-pane shows.  A slow FIFO keeps each
# command busy while the screen is looked at.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { skip "progress line" "tmux not installed"; exit 0; }
python3 "$KPIPE_ROOT/tests/gen-events.py" -n 2000 >"$TMP/ev"
SOCK=kpipe-progress-$$
T() { tmux -L "$SOCK" "$@"; }
# The pane's shell: the commands under test on PATH, lock files in $TMP.
T -f /dev/null new-session -d -x 160 -y 30 \
	"env -i HOME=$HOME TERM=xterm PATH=$PATH TMPDIR=$TMP LC_ALL=C.UTF-8 bash --norc --noprofile" ||
	{ fail "progress: tmux starts" ""; exit 1; }
trap 'T kill-server 2>/dev/null; rm -rf "$TMP"' EXIT

# Run a command line in the pane; it touches $TMP/done when over.
n=0
run() {
	n=$((n + 1))
	rm -f "$TMP/done"
	T send-keys "clear; $1; touch $TMP/done" Enter
}
wait_done() {
	for ((i = 0; i < 100; i++)); do [ -e "$TMP/done" ] && return 0; sleep 0.1; done
	return 1
}
screen() { T capture-pane -p "$@"; }
# screen_until REGEX FILE: the screen into FILE as soon as a line of it
# matches REGEX (up to 6 s: the first draw waits 1 s, and a loaded
# machine starts a pipeline's stages late), else as it is then.
screen_until() {
	for ((i = 0; i < 60; i++)); do
		screen >"$2"
		grep -q "$1" "$2" && return 0
		sleep 0.1
	done
}
# Lines, then a pause of $1 s, then the rest: the command idles meanwhile.
slow() { echo "{ head -n 1000 $TMP/ev; sleep $1; tail -n +1001 $TMP/ev; }"; }

# --- one command on a terminal: the line while it works, nothing after
run "$(slow 7) | jstats -f latency_ms >$TMP/out"
screen_until '^jstats: 1,000 in' "$TMP/during"
if grep -q '^jstats: 1,000 in, 0 out, 0 rejected, [0-9,]*/s' "$TMP/during"; then
	ok "progress: the line shows records in, out, rejected and the rate"
else
	fail "progress: the line shows records in, out, rejected and the rate" "$(cat "$TMP/during")"
fi
wait_done
screen >"$TMP/after"
if grep -q 'jstats:' "$TMP/after"; then
	fail "progress: erased at the end" "$(cat "$TMP/after")"
else
	ok "progress: erased at the end"
fi
check_eq "progress: the output is whole" 1 "$(wc -l <"$TMP/out")"

# --- Ctrl-C: the line is erased as the command dies
run "$(slow 7) | jstats -f latency_ms >/dev/null"
screen_until '^jstats: 1,000 in' "$TMP/before"
T send-keys C-c
for ((i = 0; i < 20; i++)); do
	screen >"$TMP/interrupted"
	grep -q 'jstats:' "$TMP/interrupted" || break
	sleep 0.1
done
check_eq "progress: Ctrl-C: the line was there, then erased" "1 0" \
	"$(grep -c '^jstats: 1,000 in' "$TMP/before") $(grep -c 'jstats:' "$TMP/interrupted")"

# --- standard error a file: not one byte of it
run "$(slow 2) | jstats -f latency_ms >/dev/null 2>$TMP/err"
wait_done
check_eq "progress: stderr a file gets nothing" 0 "$(wc -c <"$TMP/err")"
run "$(slow 2) | jstats --progress -f latency_ms >/dev/null 2>$TMP/err"
wait_done
check_eq "progress: --progress with stderr a file gets nothing either" 0 "$(wc -c <"$TMP/err")"

# --- --no-progress and -q
for off in --no-progress -q; do
	run "$(slow 2.5) | jstats $off -f latency_ms >/dev/null"
	sleep 1.7
	screen >"$TMP/off"
	if grep -q 'jstats:' "$TMP/off"; then fail "progress: $off: no line" "$(cat "$TMP/off")"
	else ok "progress: $off: no line"; fi
	wait_done
done

# --- quick runs show nothing: the line waits a second
run "jstats -f latency_ms $TMP/ev >/dev/null; sleep 1.5"
sleep 0.8
screen >"$TMP/quick"
grep -q 'jstats:' "$TMP/quick" && fail "progress: a quick run shows none" "$(cat "$TMP/quick")" ||
	ok "progress: a quick run shows none"
wait_done

# --- a pipeline: one line only, the first stage's; --progress picks another
run "$(slow 7) | jfilter . | jstats -f latency_ms >/dev/null"
screen_until '^jfilter: 1,000 in' "$TMP/pipe"
check_eq "pipeline: one line, the first stage's" "1 0" \
	"$(grep -c '^jfilter: 1,000 in' "$TMP/pipe") $(grep -c 'jstats:' "$TMP/pipe")"
wait_done
run "$(slow 7) | jfilter . | jstats --progress -f latency_ms >/dev/null"
screen_until '^jstats: 1,000 in' "$TMP/forced"
check_eq "pipeline: --progress on the last stage, its line only" "1 0" \
	"$(grep -c '^jstats: 1,000 in' "$TMP/forced") $(grep -c 'jfilter:' "$TMP/forced")"
wait_done
# The first stage ends early: a later one takes over.
run "head -n 1000 $TMP/ev | jfilter . | { sleep 0.2; cat; sleep 7; } | jstats -f latency_ms >/dev/null"
screen_until '^jstats: 1,000 in' "$TMP/over"
check_eq "pipeline: when the drawer ends, a later stage draws" 1 "$(grep -c '^jstats: 1,000 in' "$TMP/over")"
wait_done

# --- records scrolling on the same terminal: no line among them
run "$(slow 3) | jfilter . | jfilter '{user}'"
sleep 2
screen >"$TMP/scroll"
check_eq "progress: records written to the terminal, no stage draws" "0 1" \
	"$(grep -c 'jfilter:' "$TMP/scroll") $(grep -c "^$(sed -n 1000p "$TMP/ev" | jq -c '{user}')\$" "$TMP/scroll")"
wait_done

# --- a diagnostic starts at the left margin, the line after it
run "{ head -n 1000 $TMP/ev; sleep 1.5; echo oops; sleep 1.5; } | jfilter . >/dev/null"
sleep 2.2
screen >"$TMP/diag"
if grep -q '^jfilter: -:1001: invalid JSON' "$TMP/diag" && grep -q '^jfilter: 1,001 in, 1,000 out, 1 rejected' "$TMP/diag"; then
	ok "progress: a diagnostic erases the line first, the line comes back"
else
	fail "progress: a diagnostic erases the line first, the line comes back" "$(cat "$TMP/diag")"
fi
wait_done

# --- colour: the command name in bold, none with NO_COLOR
run "$(slow 2.5) | jstats -f latency_ms >/dev/null"
sleep 1.8
screen -e >"$TMP/bold"
wait_done
run "$(slow 2.5) | NO_COLOR=1 jstats -f latency_ms >/dev/null"
sleep 1.8
screen -e >"$TMP/plain"
wait_done
check_eq "progress: bold name on a terminal; NO_COLOR: none" "1 0 1" \
	"$(grep -c $'\e\\[1mjstats' "$TMP/bold") $(grep -c $'\e\\[' "$TMP/plain") $(grep -c '^jstats: 1,000 in' "$TMP/plain")"

# --- jwindow shows its late records and watermark
printf '%s\n' '{"t":"2024-01-01T10:00:00Z"}' '{"t":"2024-01-01T09:00:00Z"}' >"$TMP/w"
run "{ cat $TMP/w; sleep 2.5; } | jwindow --time t --tumble 1m -W 1m -a 'count(*)' >/dev/null"
sleep 1.8
screen >"$TMP/jw"
wait_done
if grep -q '^jwindow: 2 in, 0 out, 0 rejected, 1 late, .*1 open windows, watermark 2024-01-01T09:59:00Z' "$TMP/jw"; then
	ok "progress: jwindow shows late records, open windows and the watermark"
else
	fail "progress: jwindow shows late records, open windows and the watermark" "$(cat "$TMP/jw")"
fi

# --- a fatal error on the terminal: the message, no line left, no hang
run "kcat-in -b 127.0.0.1:1 -t x --timeout 2 --progress"
if wait_done; then ok "progress: a fatal error ends the command"
else fail "progress: a fatal error ends the command" "$(screen)"; fi
screen >"$TMP/fatal"
if grep -q '^kcat-in: cannot reach Kafka at 127.0.0.1:1' "$TMP/fatal" && ! grep -q 'kcat-in: 0 in' "$TMP/fatal"; then
	ok "progress: a fatal error's message alone on the screen"
else
	fail "progress: a fatal error's message alone on the screen" "$(cat "$TMP/fatal")"
fi
