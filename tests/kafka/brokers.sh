# Brokers for the tests, sourced after tests/lib.sh.  Each sets $B, the
# bootstrap address, and stops what it started when the test exits.
#
#   mock_broker NAME TOPIC:N ...
#       librdkafka's mock cluster (build/tools/mock-kafka) with these topics;
#       fd 3 writes to its control FIFO (fault injection, tests/tools).
#   real_broker NAME [--secure]
#       a real Kafka from tests/kafka/broker.sh in $TMP/kafka; what it
#       printed (with --secure, the other listeners too) is in $TMP/addrs.
#       Another broker started in a directory added to KAFKA_DIRS is
#       stopped at exit as well.
#   create_topics NAME TOPIC:N[:KEY=VALUE,...] ...
#       topics made on the real broker $B before anything is produced,
#       through Kafka's Admin API (tests/kafka/CreateTopic.java): an
#       auto-created topic has the broker's 4 partitions, and messages
#       produced while it is being created may land out of order.  A
#       failure fails NAME and ends the test.
#   kafka_unavailable NAME REASON
#       a broker cannot be had: a skip, or with KPIPE_REQUIRE_REAL_KAFKA=1
#       (set by .ci/run) a failure; either way the test ends.
#
# NAME is the test name a skip or failure is reported under.  Both need
# Debian's kcat, the independent client on the other side of the tests.

kafka_unavailable() {
	if [ "${KPIPE_REQUIRE_REAL_KAFKA:-0}" = 1 ]; then fail "$1" "$2"; exit 1; fi
	skip "$1" "$2"; exit 0
}

mock_broker() {
	local name=$1 i
	shift
	command -v kcat >/dev/null || { skip "$name" "kcat not installed (make deps)"; exit 0; }
	mkfifo "$TMP/ctl"
	mock-kafka "$@" <"$TMP/ctl" >"$TMP/mock.out" 2>"$TMP/mock.err" & MOCK_PID=$!
	exec 3>"$TMP/ctl"
	trap 'exec 3>&-; kill $MOCK_PID 2>/dev/null; wait $MOCK_PID 2>/dev/null; rm -rf "$TMP"' EXIT
	for ((i = 0; i < 300; i++)); do [ -s "$TMP/mock.out" ] && break; sleep 0.1; done
	B=$(head -n 1 "$TMP/mock.out")
	[ -n "$B" ] || { fail "mock-kafka starts" "$(cat "$TMP/mock.err")"; exit 1; }
}

KAFKA_BROKER=$KPIPE_ROOT/tests/kafka/broker.sh
KAFKA_DIRS=

stop_brokers() {
	local d
	for d in $KAFKA_DIRS; do "$KAFKA_BROKER" stop "$d"; done
	rm -rf "$TMP"
}

real_broker() {
	local name=$1
	shift
	command -v java >/dev/null && command -v mvn >/dev/null ||
		kafka_unavailable "$name" "java or mvn not installed (make deps)"
	command -v kcat >/dev/null || kafka_unavailable "$name" "kcat not installed (make deps)"
	KAFKA_DIRS="$KAFKA_DIRS $TMP/kafka"
	trap stop_brokers EXIT
	"$KAFKA_BROKER" start "$TMP/kafka" "$@" >"$TMP/addrs" 2>"$TMP/broker.err" ||
		kafka_unavailable "$name" "broker did not start: $(tail -n 5 "$TMP/broker.err")"
	B=$(head -n 1 "$TMP/addrs")
}

create_topics() {
	local name=$1
	local lib=${KPIPE_KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kpipe/kafka-${KPIPE_KAFKA_VERSION:-4.0.0}}/lib
	shift
	java -cp "$lib/*" "$KPIPE_ROOT/tests/kafka/CreateTopic.java" "$B" "$@" >"$TMP/topics.log" 2>&1 ||
		{ fail "$name: topics created" "$(grep -v SLF4J "$TMP/topics.log" | tail -n 3)"; exit 1; }
}
