#!/usr/bin/env bash
# A live stream: each record must come out while the input is still open,
# without -u, because jparse flushes whenever no more input is ready.  The
# test writes one line, waits (up to 20 s, so a loaded machine does not
# fail it) for the record, and only then writes the next.
. "$(dirname "$0")/../lib.sh"

live() {	# NAME FIRST-LINE SECOND-LINE EXPECTED-FIRST jparse-args...
	local name=$1 l1=$2 l2=$3 want=$4; shift 4
	local got1 got2
	coproc JP { jparse "$@"; }
	printf '%s\n' "$l1" >&"${JP[1]}"
	IFS= read -r -t 20 got1 <&"${JP[0]}"
	printf '%s\n' "$l2" >&"${JP[1]}"
	exec {JP[1]}>&-
	IFS= read -r -t 20 got2 <&"${JP[0]}"
	wait "$JP_PID" 2>/dev/null
	check_eq "$name" "$want" "$got1"
}

live live-json '{"a":1}' '{"a":2}' '{"a":1}'
live live-csv '1,2' '3,4' '{"x":1,"y":2}' --csv --header x,y
live live-preset 'Dec 10 06:55:46 h p[1]: m' 'Dec 10 06:55:47 h p[1]: n' \
	'{"time":"Dec 10 06:55:46","host":"h","program":"p","pid":1,"message":"m"}' --format syslog
