#!/usr/bin/env bash
# jjoin --table-topic on librdkafka's mock cluster: the KTable cases.
. "$(dirname "$0")/../lib.sh"
KIND=mock
. "$KPIPE_ROOT/tests/kafka/brokers.sh"
mock_broker "jjoin ktable mock" kt1:3 kt2:3 kt3:2
# The mock makes any topic asked for; make it answer 3
# (UNKNOWN_TOPIC_OR_PART) for this one, as a broker does.
echo "topic-error no-such-topic 3" >&3
. "$(dirname "$0")/ktable_cases.sh"
