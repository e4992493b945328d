#!/usr/bin/env bash
# jjoin --table-topic on a real Apache Kafka broker (tests/kafka/broker.sh;
# KPIPE_REQUIRE_REAL_KAFKA=1 makes one that fails to start a failure).
. "$(dirname "$0")/../lib.sh"
KIND=kafka
. "$KPIPE_ROOT/tests/kafka/brokers.sh"
real_broker "jjoin ktable kafka"
ok "jjoin ktable kafka: broker starts at $B (topics made on first use, 4 partitions)"
. "$(dirname "$0")/ktable_cases.sh"
