#!/usr/bin/env bash
# kcat-in and kout against librdkafka's mock cluster (tests/tools/mock-kafka),
# which needs no Kafka installation: always run.
. "$(dirname "$0")/../lib.sh"
KIND=mock P=

. "$(dirname "$0")/brokers.sh"
topics="admit kout unbuf timed bytes copy group kill head gone sync late count cron offs goff merge inject down"
mock_broker "kafka mock" $(for t in $topics; do echo "$t:4"; done)

. "$(dirname "$0")/cases.sh"

# --- transient errors injected into the mock: retried, each record once
ctl() { echo "$*" >&3; }
python3 "$KPIPE_ROOT/tests/gen-events.py" -n 500 >"$TMP/ev500"
# 6 = NOT_LEADER_FOR_PARTITION, 7 = REQUEST_TIMED_OUT on Produce (API 0)
ctl errors 0 6 3
ctl errors 0 7 2
kout -b "$B" -t inject -X message.timeout.ms=30000 "$TMP/ev500" 2>"$TMP/err"
check_eq "mock: Produce errors injected: kout retries, exit 0" 0 $?
check_eq "mock: Produce errors injected: each record exactly once" \
	"$(sort "$TMP/ev500")" "$(kcat -C -b "$B" -t inject -e -q | sort)"

# Broker down, then up again while kout waits: all delivered, once.
ctl down 1
sleep 0.5
kout -b "$B" -t down -X message.timeout.ms=30000 "$TMP/ev500" 2>"$TMP/err" & pk=$!
sleep 2
ctl up 1
wait $pk
check_eq "mock: broker down then up: kout exit 0" 0 $?
check_eq "mock: broker down then up: each record exactly once" \
	"$(sort "$TMP/ev500")" "$(kcat -C -b "$B" -t down -e -q | sort)"

# Down for good: exit 3 naming the count.
ctl down 1
kout -b "$B" -t down -X message.timeout.ms=3000 "$TMP/two" 2>"$TMP/err"
check_eq "mock: broker down for good: exit 3" 3 $?
grep -q "2 of 2 messages not delivered" "$TMP/err" && ok "mock: down for good: count named" ||
	fail "mock: down for good: count named" "$(cat "$TMP/err")"
ctl up 1
