#!/usr/bin/env bash
# The pipeline jobs (jobs.sh) against a real Apache Kafka 4.x broker
# (tests/kafka/broker.sh, jars from Maven, cached).  Skipped without java,
# mvn or a broker, unless KPIPE_REQUIRE_REAL_KAFKA=1: then that is a failure.
. "$(dirname "$0")/../lib.sh"
. "$KPIPE_ROOT/tests/kafka/brokers.sh"
KIND=real
real_broker "real Kafka broker (jobs)"

. "$(dirname "$0")/jobs.sh"
