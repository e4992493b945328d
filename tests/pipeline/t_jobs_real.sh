#!/usr/bin/env bash
# The six jobs of issue 8 (jobs.sh) against a real Apache Kafka 4.x broker
# (tests/kafka/broker.sh, jars from Maven, cached).  Skipped without java,
# mvn or a broker, unless KPIPE_REQUIRE_REAL_KAFKA=1: then that is a failure.
. "$(dirname "$0")/../lib.sh"
KIND=real
broker=$KPIPE_ROOT/tests/kafka/broker.sh

unavailable() {
	if [ "${KPIPE_REQUIRE_REAL_KAFKA:-0}" = 1 ]; then fail "real Kafka broker (jobs)" "$1"; exit 1; fi
	skip "real Kafka broker (jobs)" "$1"; exit 0
}
command -v java >/dev/null && command -v mvn >/dev/null || unavailable "java or mvn not installed (make deps)"
command -v kcat >/dev/null || unavailable "kcat not installed (make deps)"
B=$("$broker" start "$TMP/kafka" 2>"$TMP/broker.err") || unavailable "broker did not start: $(tail -n 5 "$TMP/broker.err")"
trap '"$broker" stop "$TMP/kafka"; rm -rf "$TMP"' EXIT

. "$(dirname "$0")/jobs.sh"
