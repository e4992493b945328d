#!/usr/bin/env bash
# The six jobs of issue 8 (jobs.sh) against librdkafka's mock cluster
# (build/tools/mock-kafka), which needs no Kafka installation: always run.
. "$(dirname "$0")/../lib.sh"
KIND=mock

command -v kcat >/dev/null || { skip "pipeline jobs (mock)" "kcat not installed (make deps)"; exit 0; }
mkfifo "$TMP/ctl"
. "$(dirname "$0")/jobs.sh" --topics-only
mock-kafka $(for t in $JOB_TOPICS; do echo "$t:4"; done) <"$TMP/ctl" >"$TMP/mock.out" 2>"$TMP/mock.err" & mock=$!
exec 3>"$TMP/ctl"
trap 'exec 3>&-; kill $mock 2>/dev/null; wait $mock 2>/dev/null; rm -rf "$TMP"' EXIT
for ((i = 0; i < 50; i++)); do [ -s "$TMP/mock.out" ] && break; sleep 0.1; done
B=$(head -n 1 "$TMP/mock.out")
[ -n "$B" ] || { fail "mock-kafka starts" "$(cat "$TMP/mock.err")"; exit 1; }

. "$(dirname "$0")/jobs.sh"
