#!/usr/bin/env bash
# kout's batched path (whole lines as values, no -H) against librdkafka's
# mock cluster: a full queue retried in order, keys and partitions from
# fields, a message librdkafka refuses counted and dead-lettered under its
# own file and line, and a live stream's line sent before more input comes.
# The other side is Debian's kcat.
. "$(dirname "$0")/../lib.sh"

command -v kcat >/dev/null || { skip "kout batches" "kcat not installed (make deps)"; exit 0; }
mkfifo "$TMP/ctl"
mock-kafka order:4 keys:4 parts:4 big:4 live:4 <"$TMP/ctl" >"$TMP/mock.out" 2>"$TMP/mock.err" & mock=$!
exec 3>"$TMP/ctl"
trap 'exec 3>&-; kill $mock 2>/dev/null; wait $mock 2>/dev/null; rm -rf "$TMP"' EXIT
for ((i = 0; i < 50; i++)); do [ -s "$TMP/mock.out" ] && break; sleep 0.1; done
B=$(head -n 1 "$TMP/mock.out")
[ -n "$B" ] || { fail "mock-kafka starts" "$(cat "$TMP/mock.err")"; exit 1; }

# --- a queue of 7 messages for 3000 records in two files: every batch meets
# a full queue many times; partition 0's log must be the input, in order.
seq 1 1800 | sed 's/.*/{"p":0,"n":&}/' >"$TMP/a"
seq 1801 3000 | sed 's/.*/{"p":0,"n":&}/' >"$TMP/b"
kout -b "$B" -t order -p p -X queue.buffering.max.messages=7 "$TMP/a" "$TMP/b" 2>"$TMP/err"
check_eq "kout batch: full queue: exit 0" 0 $?
cat "$TMP/a" "$TMP/b" >"$TMP/want"
kcat -C -b "$B" -t order -p 0 -e -q >"$TMP/got"
check_file_eq "kout batch: full queue: partition 0 holds the input in order, once" "$TMP/want" "$TMP/got"

# --- keys: a string, an empty string (a key of length 0), null and a
# missing field (no key), a number (its JSON text)
cat >"$TMP/keys" <<'EOF'
{"n":1,"k":"a"}
{"n":2,"k":""}
{"n":3,"k":null}
{"n":4}
{"n":5,"k":5}
EOF
kout -b "$B" -t keys -k k "$TMP/keys" 2>"$TMP/err"
check_eq "kout batch: keys: exit 0" 0 $?
kcat -C -b "$B" -t keys -e -q -f '%K:%k:%s\n' | sort -t'"' -k3 >"$TMP/got"
printf '%s\n' '1:a:{"n":1,"k":"a"}' '0::{"n":2,"k":""}' '-1::{"n":3,"k":null}' \
	'-1::{"n":4}' '1:5:{"n":5,"k":5}' >"$TMP/want"
check_file_eq "kout batch: keys as kcat sees them (length:key:value)" "$TMP/want" "$TMP/got"

# --- partitions from a field
for i in $(seq 0 39); do echo "{\"p\":$((i % 4)),\"i\":$i}"; done >"$TMP/parts"
kout -b "$B" -t parts -p p "$TMP/parts" 2>"$TMP/err"
check_eq "kout batch: -p: exit 0" 0 $?
kcat -C -b "$B" -t parts -e -q -f '%p %s\n' >"$TMP/got"
python3 - "$TMP/got" >"$TMP/bad" <<'EOF'
import json, sys
n = 0
for line in open(sys.argv[1]):
    part, _, value = line.rstrip("\n").partition(" ")
    n += 1
    if int(part) != json.loads(value)["p"]:
        print("partition", part, "holds", value)
if n != 40:
    print(n, "messages, not 40")
EOF
check_eq "kout batch: -p: each record in its partition" "" "$(cat "$TMP/bad")"

# --- a line over message.max.bytes: refused by librdkafka at once, counted,
# named by its own file and line, dead-lettered; the others delivered
seq 1 5 | sed 's/.*/{"n":&}/' >"$TMP/small"
{ echo '{"n":6}'; python3 -c 'print("{\"big\":\"" + "x" * 3000 + "\"}")'; echo '{"n":7}'; } >"$TMP/mixed"
kout -b "$B" -t big -X message.max.bytes=1000 --errors "$TMP/dl" "$TMP/small" "$TMP/mixed" 2>"$TMP/err"
check_eq "kout batch: refused message: exit 3" 3 $?
grep -q "1 of 8 messages not delivered" "$TMP/err" && ok "kout batch: refused message: count named" ||
	fail "kout batch: refused message: count named" "$(head -c 300 "$TMP/err")"
grep -q "$TMP/mixed:2: not delivered" "$TMP/err" && ok "kout batch: refused message: file and line named" ||
	fail "kout batch: refused message: file and line named" "$(head -c 300 "$TMP/err")"
sed -n 2p "$TMP/mixed" >"$TMP/want"
jq -r .raw "$TMP/dl" >"$TMP/got"
check_file_eq "kout batch: refused message: dead-lettered as it was" "$TMP/want" "$TMP/got"
check_eq "kout batch: refused message: dead letter names file and line" "$TMP/mixed 2" \
	"$(jq -r '"\(.source) \(.line)"' "$TMP/dl")"
{ cat "$TMP/small"; sed -n '1p;3p' "$TMP/mixed"; } | sort >"$TMP/want"
kcat -C -b "$B" -t big -e -q | sort >"$TMP/got"
check_file_eq "kout batch: refused message: the other seven delivered" "$TMP/want" "$TMP/got"

# --- a live stream: one line, the writer still open.  kout must send it
# without waiting for a batch to fill; the wait below only bounds a failure.
mkfifo "$TMP/live"
kout -b "$B" -t live <"$TMP/live" 2>"$TMP/err" & pk=$!
exec 4>"$TMP/live"
echo '{"live":1}' >&4
got=
for ((i = 0; i < 300; i++)); do
	got=$(kcat -C -b "$B" -t live -e -q 2>/dev/null)
	[ -n "$got" ] && break
	sleep 0.1
done
check_eq "kout batch: a live stream's line is sent while the input stays open" '{"live":1}' "$got"
exec 4>&-
wait $pk
check_eq "kout batch: live stream: exit 0 at its end" 0 $?
