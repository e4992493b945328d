#!/usr/bin/env bash
# kcat-in and kout against a real Apache Kafka 4.x broker (tests/kafka/broker.sh,
# jars from Maven, cached).  Skipped without java and mvn, unless
# KPIPE_REQUIRE_REAL_KAFKA=1 (set by .ci/run): then a broker that cannot be
# had is a failure.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/brokers.sh"
KIND=real P=
broker=$KAFKA_BROKER
real_broker "real Kafka broker"
ok "real Kafka broker starts at $B"

. "$(dirname "$0")/cases.sh"

# --- broker stopped and restarted under kout: every record exactly once
python3 "$KPIPE_ROOT/tests/gen-events.py" -n 20000 >"$TMP/ev20k"
kout -b "$B" -t restart -X message.timeout.ms=120000 "$TMP/ev20k" 2>"$TMP/kout.err" & pk=$!
sleep 0.5
"$broker" stop "$TMP/kafka"
sleep 2
"$broker" restart "$TMP/kafka" >/dev/null 2>"$TMP/broker.err"
wait $pk
check_eq "real: broker restarted under kout: exit 0" 0 $?
kcat -C -b "$B" -t restart -e -q | sort >"$TMP/got"
sort "$TMP/ev20k" >"$TMP/want"
check_eq "real: broker restarted under kout: 20000 records" 20000 "$(count_lines "$TMP/got")"
check_file_eq "real: broker restarted under kout: each record exactly once" "$TMP/want" "$TMP/got"

# --- broker gone for good under kout: exit 3 with the count
"$broker" stop "$TMP/kafka"
kout -b "$B" -t restart -X message.timeout.ms=3000 "$TMP/two" 2>"$TMP/err"
check_eq "real: broker gone for good: exit 3" 3 $?
grep -q "2 of 2 messages not delivered" "$TMP/err" && ok "real: broker gone: count named" ||
	fail "real: broker gone: count named" "$(cat "$TMP/err")"
