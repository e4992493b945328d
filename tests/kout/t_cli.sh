#!/usr/bin/env bash
# kout's command line: help, version, exit statuses, rejected records,
# NDJSON passthrough, closed pipes.
. "$(dirname "$0")/../lib.sh"

check "--help exits 0" kout --help
check "--help prints usage on stdout" grep -q '^usage: kout' <(kout --help 2>/dev/null)
check_eq "--version" "kout (kpipe) $(sed -n 's/^VERSION *:= *//p' "$KPIPE_ROOT/Makefile")" "$(kout --version)"
check_exit "unknown option: exit 2" 2 kout --no-such-option
check_exit "bad --format: exit 2" 2 kout --format xml
check_exit "bad --refresh: exit 2" 2 kout --table --refresh soon
check_exit "--key without --refresh: exit 2" 2 kout --table --key a
check_exit "--svg without --chart: exit 2" 2 kout --svg x.svg
check_exit "--format svg without --chart: exit 2" 2 kout --format svg
check_exit "--refresh with csv: exit 2" 2 kout --csv --refresh 1s
check_exit "missing file: exit 3" 3 kout --csv "$TMP/does-not-exist"

# Not a terminal and no format: NDJSON, byte for byte (big integers, key
# order, escapes and all).
printf '%s\n' '{"id":123456789012345678901234567890,"s":"\u00e9\n","z":1.50}' '[1,2]' '"x"' >"$TMP/p.json"
kout "$TMP/p.json" >"$TMP/p.out"
check_file_eq "ndjson passthrough unchanged" "$TMP/p.json" "$TMP/p.out"
printf '{"a":1}\r\n{"a":2}' | kout --ndjson >"$TMP/crlf.out"
check_eq "CRLF and a missing final newline" "$(printf '{"a":1}\n{"a":2}')" "$(cat "$TMP/crlf.out")"

# Bad records: counted, reported with file and line, dead-lettered, exit 1;
# the good ones still come out.
printf '{"a":1}\n{"a":\n[1]\n{"a":2}\n\n' >"$TMP/bad.json"
kout --csv --errors "$TMP/dead.json" "$TMP/bad.json" >"$TMP/bad.csv" 2>"$TMP/bad.err"
check_eq "bad records: exit 1" 1 $?
check_eq "good records still written" "$(printf 'a\n1\n2')" "$(cat "$TMP/bad.csv")"
check "invalid JSON reported with its line" grep -q "bad.json:2: invalid JSON" "$TMP/bad.err"
check "non-object reported with its line" grep -q "bad.json:3: not a JSON object" "$TMP/bad.err"
check_eq "dead letters: one per rejected record" 2 "$(wc -l <"$TMP/dead.json")"
check_eq "dead letters name their lines" "2 3" "$(jq -r .line "$TMP/dead.json" | tr '\n' ' ' | sed 's/ $//')"
kout --ndjson -q "$TMP/bad.json" >/dev/null 2>"$TMP/q.err"
check_eq "-q: no per-record messages" 0 "$(grep -c 'bad.json:' "$TMP/q.err")"

# A closed pipe ends kout quietly.
python3 "$KPIPE_ROOT/tests/gen-events.py" -n 20000 >"$TMP/ev.json"
for f in ndjson csv table; do
	kout --$f "$TMP/ev.json" 2>"$TMP/pipe.err" | head -n 1 >/dev/null
	check_eq "--$f | head: quiet" "" "$(cat "$TMP/pipe.err")"
done

# A live stream: each record reaches the output while the input stays
# open (the writer holds the FIFO open until the row has been seen).
# live NAME EXPECTED KOUT-ARGS...
live() {
	local name=$1 want=$2 i; shift 2
	rm -f "$TMP/fifo" "$TMP/live.out"
	mkfifo "$TMP/fifo"
	kout "$@" <"$TMP/fifo" >"$TMP/live.out" &
	local kpid=$!
	exec 3>"$TMP/fifo"
	printf '{"a":1}\n' >&3
	for ((i = 0; i < 200; i++)); do
		[ "$(cat "$TMP/live.out")" == "$want" ] && break
		sleep 0.1
	done
	check_eq "$name" "$want" "$(cat "$TMP/live.out")"
	exec 3>&-
	wait "$kpid"
}
live "a live csv stream shows each record at once" "$(printf 'a\n1')" --csv
live "-u: each record written at once" "$(printf 'a\n1')" -u --csv
live "a live table shows each record at once" "$(printf 'a\n-\n1')" --table

# Kafka options go to the Kafka sink, never to the console writers.
kout -b 127.0.0.1:1 -t t </dev/null >"$TMP/k.out" 2>"$TMP/k.err"
check "Kafka options are not console options" \
	test "$(grep -c 'unknown option\|need --chart' "$TMP/k.err")" -eq 0

# A line of NUL bytes is not blank: rejected and counted, never dropped.
printf '{"a":1}\n\0\n{"a":2}\n' | kout --ndjson >"$TMP/nul.out" 2>"$TMP/nul.err"
check_eq "a NUL line: exit 1" 1 $?
check_eq "a NUL line: the others written" "$(printf '{"a":1}\n{"a":2}')" "$(cat "$TMP/nul.out")"
check "a NUL line: reported with its line" grep -q -- "-:2:" "$TMP/nul.err"

# A file that cannot be opened after a good one: said, the good one's rows
# still shown, exit 3 at the end.
printf '{"a":1}\n{"a":2}\n' >"$TMP/good.json"
kout --csv "$TMP/good.json" "$TMP/missing.json" "$TMP/good.json" >"$TMP/miss.out" 2>"$TMP/miss.err"
check_eq "a missing file among good ones: exit 3" 3 $?
check_eq "a missing file among good ones: every good row" "$(printf 'a\n1\n2\n1\n2')" "$(cat "$TMP/miss.out")"
check_eq "a missing file among good ones: said once" \
	"kout: $TMP/missing.json: No such file or directory" "$(cat "$TMP/miss.err")"
