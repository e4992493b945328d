#!/usr/bin/env bash
# Files named for output are written the way sort -o writes them (kpipe(7),
# FILES WRITTEN): a device, FIFO or symbolic link is written through, never
# replaced by a regular file; - is standard output where the records do not
# go there, refused where they do; a path that cannot be written is a usage
# error before any input, naming the user's path; a write error is reported
# once with that path.  The same cases for kout --svg, jwindow --state and
# --late, --errors (through jfilter) and kcat-in --offsets-file.
. "$(dirname "$0")/../lib.sh"

# A device that fails every write with ENOSPC.  As root, a node of our own,
# so that a kpipe that replaces devices damages nothing shared.
FULL=/dev/full
if [ "$(id -u)" = 0 ] && mknod "$TMP/full" c 1 7 2>/dev/null; then FULL=$TMP/full; fi
NOSPACE="No space left on device"

# with_reader FIFO OUT CMD...: CMD while cat reads FIFO into OUT.  A reader
# whose FIFO was replaced would wait forever: it is stopped then.
with_reader() {
	local fifo=$1 out=$2 rc rp
	shift 2
	timeout 10 cat "$fifo" >"$out" &
	rp=$!
	"$@"
	rc=$?
	if [ -p "$fifo" ]; then wait $rp; else kill $rp 2>/dev/null; wait $rp; fi
	return $rc
}

# cases NAME PROG MODE DASH: the cases for one option.  The caller defines
# run_with PATH (exit status of the command writing to PATH; its stdout in
# $TMP/stdout, its stderr in $TMP/stderr) and has put in $TMP/want what a
# new file must hold.  MODE: replace, append (a second run adds the same
# again), or state (read back: only a regular file will do).  DASH: stdout
# when - is standard output, refused when that is a usage error.
cases() {
	local name=$1 prog=$2 mode=$3 dash=$4 d=$TMP/$1 rc want_rc=3 want_err
	mkdir -p "$d"
	want_err="$prog: $FULL: $NOSPACE"
	if [ "$mode" = state ]; then
		want_rc=2 want_err="$prog: $FULL: not a regular file, and this file is read back"
	fi

	run_with "$FULL"
	rc=$?
	check_eq "$name $FULL: exit $want_rc" $want_rc $rc
	check_eq "$name $FULL: still a device" yes "$([ -c "$FULL" ] && echo yes)"
	check_eq "$name $FULL: reported once, with the path" "$want_err" "$(grep -v '^Try' "$TMP/stderr")"

	run_with "$d/plain"
	check_file_eq "$name new file: written" "$TMP/want" "$d/plain"
	check_eq "$name new file: no temporary file left" "plain" "$(ls -A "$d")"

	# A state file is read back: its link points to where it will be.
	[ "$mode" = state ] || echo old >"$d/target"
	ln -s target "$d/link"
	run_with "$d/link"
	[ "$mode" = append ] && run_with "$d/link"
	check_eq "$name symlink to a file: stays a link" yes "$([ -L "$d/link" ] && echo yes)"
	if [ "$mode" = append ]; then
		{ echo old; cat "$TMP/want" "$TMP/want"; } >"$TMP/want2"
		check_file_eq "$name symlink to a file: its target appended to" "$TMP/want2" "$d/target"
	else
		check_file_eq "$name symlink to a file: its target replaced" "$TMP/want" "$d/target"
	fi
	check_eq "$name symlink to a file: no temporary file left" "link plain target" "$(ls -A "$d" | tr '\n' ' ' | sed 's/ $//')"
	if [ "$mode" != append ]; then
		chmod 640 "$d/plain"
		run_with "$d/plain"
		check_eq "$name a replaced file keeps its mode" 640 "$(stat -c %a "$d/plain")"
	fi

	mkfifo "$d/fifo"
	ln -s fifo "$d/fifolink"
	for f in fifo fifolink; do
		local what="a FIFO"
		[ $f = fifolink ] && what="a symlink to a FIFO"
		if [ "$mode" = state ]; then
			run_with "$d/$f"
			check_eq "$name $what: usage error" 2 $?
		else
			with_reader "$d/$f" "$TMP/read" run_with "$d/$f"
			check_eq "$name $what: exit 0" 0 $?
			check_file_eq "$name $what: the reader gets it" "$TMP/want" "$TMP/read"
		fi
		check_eq "$name $what: still a FIFO" yes "$([ -p "$d/fifo" ] && echo yes)"
	done
	check_eq "$name symlink to a FIFO: stays a link" yes "$([ -L "$d/fifolink" ] && echo yes)"

	mkdir "$d/dash"
	(cd "$d/dash" && run_with -)
	rc=$?
	if [ "$dash" = stdout ]; then
		check_eq "$name -: exit 0" 0 $rc
		check_file_eq "$name -: standard output" "$TMP/want" "$TMP/stdout"
	else
		check_eq "$name -: usage error (standard output carries the records)" 2 $rc
	fi
	check_eq "$name -: no file named -" "" "$(ls -A "$d/dash")"

	# Input that comes only later: a bad path must be found before it.
	run_with "$d/none/f" < <(sleep 3)
	rc=$?
	check_eq "$name missing directory: usage error" 2 $rc
	check_eq "$name missing directory: the user's path named" \
		"$prog: $d/none/f: No such file or directory" "$(head -n 1 "$TMP/stderr")"
}

# --- kout --svg: replaced whole each frame; - is standard output
echo '{"action":"a"}' >"$TMP/ev"
kout --chart bar --x action --format svg "$TMP/ev" >"$TMP/want"
run_with() {
	if [ "$1" = "$TMP/svg/none/f" ]; then
		timeout 10 kout --chart bar --x action --svg "$1" >"$TMP/stdout" 2>"$TMP/stderr"
	else
		kout --chart bar --x action --svg "$1" "$TMP/ev" >"$TMP/stdout" 2>"$TMP/stderr"
	fi
}
cases svg kout replace stdout

# A Unix socket is connected to and written; python3 listens.
sock=$TMP/svg/sock
timeout 20 python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1]); s.listen(1)
c, _ = s.accept()
with open(sys.argv[2], "wb") as f:
    while (b := c.recv(65536)):
        f.write(b)
' "$sock" "$TMP/sock.read" & lp=$!
for ((i = 0; i < 100; i++)); do [ -S "$sock" ] && break; sleep 0.1; done
run_with "$sock"
check_eq "svg socket: exit 0" 0 $?
if [ -S "$sock" ]; then wait $lp; else kill $lp; wait $lp; fi 2>/dev/null
check_file_eq "svg socket: the listener gets it" "$TMP/want" "$TMP/sock.read"
check_eq "svg socket: still a socket" yes "$([ -S "$sock" ] && echo yes)"

# --- jwindow --state: read back, so a regular file only
printf '{"t":1}\n{"t":2}\n' >"$TMP/w1"
# Hand-written from the spec: the state of the open window [0s,10s) with count 2.
# A state read from a device must not eat memory: capped, except under
# AddressSanitizer, whose shadow memory needs more address space than that.
limit='ulimit -v 2000000;'
ldd "$(command -v jwindow)" 2>/dev/null | grep -q libasan && limit=
run_with() {
	local in=$TMP/w1
	[ "$1" = "$TMP/state/none/f" ] && in=
	timeout 10 bash -c "$limit"' exec "$@"' _ \
		jwindow --time t --tumble 10s --agg 'count(*) AS n' --state "$1" $in >"$TMP/stdout" 2>"$TMP/stderr"
}
rm -f "$TMP/want"
jwindow --time t --tumble 10s --agg 'count(*) AS n' --state "$TMP/want" "$TMP/w1"
cases state jwindow state refused
printf '{"t":3}\n' >"$TMP/w2"
check_eq "state symlink: the next run reads the target through the link" \
	'{"window":{"start":"1970-01-01T00:00:00Z","end":"1970-01-01T00:00:10Z"},"n":3}' \
	"$(jwindow --time t --tumble 10s --agg 'count(*) AS n' --state "$TMP/state/link" --flush "$TMP/w2")"
check_eq "state symlink: --flush removes the target, not the link" "yes no" \
	"$([ -L "$TMP/state/link" ] && echo yes) $([ -e "$TMP/state/target" ] && echo yes || echo no)"

# --- jwindow --late: appended
printf '{"t":100}\n{"t":200}\n{"t":50}\n' >"$TMP/late-in"
printf '%s\n' '{"t":50}' >"$TMP/want-raw"
run_with() {
	local in=$TMP/late-in
	[ "$1" = "$TMP/late/none/f" ] && in=
	timeout 10 jwindow -q --time t --tumble 10s --watermark 5s --agg 'count(*) AS n' \
		--late "$1" $in >"$TMP/stdout" 2>"$TMP/stderr"
	local rc=$?
	sed -i '/late record/d' "$TMP/stderr"	# the count at the end
	return $rc
}
rm -f "$TMP/want"
run_with "$TMP/want"
check_file_eq "late: the late record is written" "$TMP/want-raw" <(jq -c -r .raw "$TMP/want")
cases late jwindow append refused

# --- --errors: appended (jfilter)
printf '{"a":1}\nbad\n' >"$TMP/err-in"
run_with() {
	local in=$TMP/err-in
	[ "$1" = "$TMP/errors/none/f" ] && in=
	timeout 10 jfilter -q --errors "$1" . $in >"$TMP/stdout" 2>"$TMP/stderr"
	local rc=$?
	sed -i '/rejected/d' "$TMP/stderr"	# the count at the end
	[ $rc = 1 ] && return 0	# the one rejected record
	return $rc
}
rm -f "$TMP/want"
run_with "$TMP/want"
check_eq "errors: the bad record is written" bad "$(jq -r .raw "$TMP/want")"
cases errors jfilter append refused
# /dev/stderr is a link whose text (pipe:[N]) names no file: opened as is.
jfilter -q --errors /dev/stderr . "$TMP/err-in" 2>&1 >/dev/null | grep -v rejected >"$TMP/stderr"
check_file_eq "errors /dev/stderr: written to standard error" "$TMP/want" "$TMP/stderr"

# --- kcat-in --offsets-file (librdkafka's mock cluster): replaced whole
. "$KPIPE_ROOT/tests/kafka/brokers.sh"
mock_broker "named files: kcat-in" offs:1
seq 1 3 | kcat -P -b "$B" -t offs
printf '%s\n' '{"topic":"offs","partition":0,"offset":3}' >"$TMP/want"
run_with() {
	timeout 20 kcat-in -b "$B" -t offs -e --offsets-file "$1" >"$TMP/stdout" 2>"$TMP/stderr"
}
cases offsets kcat-in replace refused
