#!/usr/bin/env bash
# kout on a terminal, driven through tmux: --refresh redraws keyed rows in
# place, a live bar chart redraws, a table is the default on a terminal,
# and NO_COLOR turns the bold header off.  Waits poll the screen with a
# generous limit, so a slow machine only makes the test slower.
. "$(dirname "$0")/../lib.sh"

if ! command -v tmux >/dev/null; then
	skip "tmux tests" "tmux not installed (make deps installs it)"
	exit 0
fi
SOCK="kout-test-$$"
T() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'T kill-server 2>/dev/null; rm -rf "$TMP"' EXIT

screen() { T capture-pane -p -t "$1" "${@:2}"; }
# wait_for PANE REGEX: up to 20 s for the screen to match.
wait_for() {
	local i
	for ((i = 0; i < 200; i++)); do
		screen "$1" | grep -q -E "$2" && return 0
		sleep 0.1
	done
	return 1
}

mkfifo "$TMP/in1" "$TMP/in2"
T new-session -d -s t1 -x 100 -y 20 \
	"env -u NO_COLOR '$KPIPE_BIN/kout' --table --refresh 100ms --key user <'$TMP/in1'; echo EXITED \$?; sleep 60"
exec 3>"$TMP/in1"
printf '{"user":"alice","n":1}\n{"user":"bob","n":22}\n' >&3
if wait_for t1 '^bob +22$'; then ok "refresh shows the first rows"; else fail "refresh shows the first rows" "$(screen t1)"; fi
printf '{"user":"alice","n":333}\n' >&3
if wait_for t1 '^alice +333$'; then ok "refresh updates a row in place"; else fail "refresh updates a row in place" "$(screen t1)"; fi
check_eq "one row per key, header on top" "$(printf '%-5s  %3s\n' user n ----- --- alice 333 bob 22)" \
	"$(screen t1 | head -n 4)"
check_eq "old value gone from the screen" 0 "$(screen t1 | grep -c -E '^alice +1$')"
exec 3>&-
if wait_for t1 '^EXITED 0'; then ok "refresh ends with the input"; else fail "refresh ends with the input" "$(screen t1)"; fi

# A live bar chart: redrawn with the latest value per label.
T new-session -d -s t2 -x 60 -y 20 \
	"'$KPIPE_BIN/kout' --chart bar --x k --y v --refresh 100ms <'$TMP/in2'; echo EXITED \$?; sleep 60"
exec 4>"$TMP/in2"
printf '{"k":"a","v":10}\n{"k":"b","v":5}\n' >&4
if wait_for t2 '^b +│.* 5$'; then ok "live bar chart drawn"; else fail "live bar chart drawn" "$(screen t2)"; fi
printf '{"k":"b","v":20}\n' >&4
if wait_for t2 '^b +│.* 20$'; then ok "live bar chart redrawn"; else fail "live bar chart redrawn" "$(screen t2)"; fi
check_eq "bar chart drawn once, in place" 1 "$(screen t2 | grep -c '^v by k$')"
exec 4>&-
wait_for t2 '^EXITED' || true

# The default on a terminal is a table; colour unless NO_COLOR is set.
printf '{"user":"u1","n":5}\n' >"$TMP/one.json"
T new-session -d -s t3 -x 80 -y 10 "env -u NO_COLOR TERM=xterm '$KPIPE_BIN/kout' '$TMP/one.json'; echo EXITED; sleep 60"
T new-session -d -s t4 -x 80 -y 10 "NO_COLOR=1 TERM=xterm '$KPIPE_BIN/kout' '$TMP/one.json'; echo EXITED; sleep 60"
wait_for t3 EXITED && wait_for t4 EXITED
check_eq "table by default on a terminal" "$(printf 'user  n\n----  -\nu1    5')" "$(screen t3 | head -n 3)"
check "bold header on a terminal" grep -q $'\033\\[1m' <(screen t3 -e)
check_eq "NO_COLOR: no bold header" 0 "$(screen t4 -e | grep -c $'\033\\[1m')"
check_eq "NO_COLOR: same table" "$(screen t3 | head -n 3)" "$(screen t4 | head -n 3)"

# On a terminal a table wider than the screen gives up width from its
# widest column, so rows never wrap.
printf '{"id":1,"msg":"%s","n":5}\n' "$(printf 'word %.0s' {1..30})" >"$TMP/long.json"
T new-session -d -s t5 -x 40 -y 10 "'$KPIPE_BIN/kout' --table '$TMP/long.json'; echo EXITED; sleep 60"
wait_for t5 EXITED
check_eq "wide table fitted to the terminal" \
	"$(printf '%-2s  %-33s  %s\n' id msg n -- --------------------------------- - ' 1' 'word word word word word word wo…' 5)" \
	"$(screen t5 | head -n 3)"
