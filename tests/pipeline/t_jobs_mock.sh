#!/usr/bin/env bash
# The pipeline jobs (jobs.sh) against librdkafka's mock cluster
# (build/tools/mock-kafka), which needs no Kafka installation: always run.
. "$(dirname "$0")/../lib.sh"
KIND=mock

. "$KPIPE_ROOT/tests/kafka/brokers.sh"
. "$(dirname "$0")/jobs.sh" --topics-only
mock_broker "pipeline jobs (mock)" $(for t in $JOB_TOPICS; do echo "$t:4"; done)

. "$(dirname "$0")/jobs.sh"
