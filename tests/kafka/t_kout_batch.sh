#!/usr/bin/env bash
# kout's batched path (whole lines as values, no -H) against librdkafka's
# mock cluster: a full queue retried in order, keys and partitions from
# fields, a message librdkafka refuses counted and dead-lettered under its
# own file and line, a live stream's line sent before more input comes, and
# keyless messages moving from partition to partition as librdkafka's sticky
# partitioner would move them.  The other side is Debian's kcat.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/brokers.sh"
mock_broker "kout batches" order:4 keys:4 parts:4 big:4 live:4 rand:4 turns:4

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

# --- keyless messages, the user's partitioner: with -X partitioner=consistent
# librdkafka maps every message without a key to one partition, even on a
# live stream whose lines come further apart than the stickiness (kout's
# own choice would move them round the partitions, as below)
mkfifo "$TMP/cons"
kout -b "$B" -t rand -X partitioner=consistent -X sticky.partitioning.linger.ms=1 <"$TMP/cons" 2>"$TMP/err" & pk=$!
for i in $(seq 1 40); do echo "{\"n\":$i}"; sleep 0.05; done >"$TMP/cons"
wait $pk
check_eq "kout batch: -X partitioner=consistent: exit 0" 0 $?
check_eq "kout batch: -X partitioner=consistent: the user's partitioner decides" "40 1" \
	"$(kcat -C -b "$B" -t rand -e -q -f '%p\n' | awk '{n++; p[$1]} END {print n, length(p)}')"

# --- keyless messages on a live stream, further apart than
# sticky.partitioning.linger.ms: each goes to another partition; all four
# get some, each holds its share in input order, and nothing twice.
mkfifo "$TMP/turns"
kout -b "$B" -t turns -X sticky.partitioning.linger.ms=1 <"$TMP/turns" 2>"$TMP/err" & pk=$!
for i in $(seq 1 40); do echo "{\"n\":$i}"; sleep 0.05; done >"$TMP/turns"
wait $pk
check_eq "kout batch: keyless turns: exit 0" 0 $?
kcat -C -b "$B" -t turns -e -q -f '%p %s\n' >"$TMP/got"
python3 - "$TMP/got" >"$TMP/bad" <<'EOF'
import json, sys
parts = {}
for line in open(sys.argv[1]):
    p, _, v = line.rstrip("\n").partition(" ")
    parts.setdefault(p, []).append(json.loads(v)["n"])
every = sorted(n for ns in parts.values() for n in ns)
if every != list(range(1, 41)):
    print("not each of 1..40 once:", every)
if sorted(parts) != ["0", "1", "2", "3"]:
    print("partitions used:", sorted(parts))
for p, ns in parts.items():
    if ns != sorted(ns):
        print("partition", p, "out of order:", ns)
EOF
check_eq "kout batch: keyless turns: all partitions, each in order, each record once" "" "$(cat "$TMP/bad")"

# --- one request in flight is kout's default only for the idempotent
# producer, and only when the user did not choose a number (librdkafka
# prints the settings that differ from its defaults under debug=conf)
inflight() {
	echo '{"n":1}' | kout -b "$B" -t live -X debug=conf "$@" 2>&1 |
		sed -n 's/.*\(enable\.idempotence\|max\.in\.flight\.requests\.per\.connection\) = /\1=/p' |
		sort | tr '\n' ' '
}
check_eq "kout: idempotent by default, one request in flight" \
	"enable.idempotence=true max.in.flight.requests.per.connection=1 " "$(inflight)"
check_eq "kout: -X max.in.flight=5 is kept" \
	"enable.idempotence=true max.in.flight.requests.per.connection=5 " "$(inflight -X max.in.flight=5)"
check_eq "kout: not idempotent, in flight left to librdkafka" \
	"enable.idempotence=false " "$(inflight -X enable.idempotence=false)"
