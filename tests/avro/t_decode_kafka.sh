#!/usr/bin/env bash
# kcat-in's Avro decoding against a real Kafka broker (tests/kafka/broker.sh)
# and a real schema registry: the cases of t_decode_mock.sh.
. "$(dirname "$0")/../lib.sh"
. "$KPIPE_ROOT/tests/kafka/brokers.sh"
. "$KPIPE_ROOT/tests/registry/lib.sh"
KIND=kafka
need_avro_python "$KIND avro"
real_broker "$KIND avro"
create_topics "$KIND avro" avro:1 tagged:1 late:1
start_registry "$KIND avro"
. "$(dirname "$0")/cases.sh"
