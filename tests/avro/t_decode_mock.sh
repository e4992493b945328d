#!/usr/bin/env bash
# kcat-in's Avro decoding (-s value=avro, -s key=avro) against librdkafka's
# mock cluster and a real schema registry (Apicurio, Confluent API), the
# values compared with Python's Confluent AvroDeserializer and fastavro.
. "$(dirname "$0")/../lib.sh"
. "$KPIPE_ROOT/tests/kafka/brokers.sh"
. "$KPIPE_ROOT/tests/registry/lib.sh"
KIND=mock
need_avro_python "$KIND avro"
mock_broker "$KIND avro" avro:1 tagged:1 late:1
start_registry "$KIND avro"
. "$(dirname "$0")/cases.sh"
