#!/usr/bin/env bash
# kout -s value=avro against librdkafka's mock cluster and a real schema
# registry (tests/registry/registry.sh); what it wrote is read back by
# confluent-kafka and fastavro (encode_cases.sh).  Without the registry or
# the Python oracles: a skip, or a failure with KPIPE_REQUIRE_REGISTRY=1.
. "$(dirname "$0")/../lib.sh"
. "$KPIPE_ROOT/tests/kafka/brokers.sh"
. "$KPIPE_ROOT/tests/registry/lib.sh"
need_avro_python "kout avro (mock)"
mock_broker "kout avro (mock)" orders:1 mixed:1 users:1 points:1 wrapped:1 limits:1
start_registry "kout avro (mock)"
KIND=mock
. "$(dirname "$0")/encode_cases.sh"
