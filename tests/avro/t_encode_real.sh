#!/usr/bin/env bash
# kout -s value=avro against a real Apache Kafka broker (tests/kafka/broker.sh)
# and a real schema registry: the cases of encode_cases.sh, read back by
# confluent-kafka and fastavro.  KPIPE_REQUIRE_REAL_KAFKA=1 and
# KPIPE_REQUIRE_REGISTRY=1 (.ci/run) make a server that cannot start a
# failure.
. "$(dirname "$0")/../lib.sh"
. "$KPIPE_ROOT/tests/kafka/brokers.sh"
. "$KPIPE_ROOT/tests/registry/lib.sh"
need_avro_python "kout avro (real Kafka)"
real_broker "kout avro (real Kafka)"
start_registry "kout avro (real Kafka)"
# One partition each, so that the order read back is the order written.
"$avro_py" - "$B" <<'PY' || fail "real: topics created" "AdminClient failed"
import sys
from confluent_kafka.admin import AdminClient, NewTopic
a = AdminClient({"bootstrap.servers": sys.argv[1]})
for f in a.create_topics([NewTopic(t, 1, 1) for t in ("orders", "mixed", "users", "points", "wrapped", "limits")]).values():
    f.result(30)
PY
KIND=real
. "$(dirname "$0")/encode_cases.sh"
