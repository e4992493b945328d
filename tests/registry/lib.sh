# A schema registry and the Python Avro oracles for tests; source after
# tests/lib.sh.
#
#   registry_unavailable NAME REASON
#       a skip, or with KPIPE_REQUIRE_REGISTRY=1 (set by .ci/run) a
#       failure; either way the test ends.
#   need_avro_python NAME
#       sets $avro_py to a Python with fastavro and confluent-kafka (the
#       virtualenv `make registry-deps` fills), or registry_unavailable.
#   start_registry NAME
#       starts tests/registry/registry.sh in $TMP/registry, sets $REG to
#       its Confluent API URL; it is stopped when the test exits.
#
# Stopping at exit replaces lib.sh's trap; a test that also starts a Kafka
# broker calls real_broker first and start_registry after (both stop).
registry_script=$KPIPE_ROOT/tests/registry/registry.sh
avro_venv=${KPIPE_SPARK_VENV:-$HOME/.cache/kpipe/venv}
avro_py=$avro_venv/bin/python
REG=

registry_unavailable() {
	if [ "${KPIPE_REQUIRE_REGISTRY:-0}" = 1 ]; then fail "$1" "$2, and KPIPE_REQUIRE_REGISTRY=1"; exit 1; fi
	skip "$1" "$2"; exit 0
}

need_avro_python() {
	"$avro_py" -c 'import fastavro, confluent_kafka, requests' 2>/dev/null ||
		registry_unavailable "$1" "no fastavro/confluent-kafka in $avro_venv (make registry-deps)"
}

stop_registry() {
	"$registry_script" stop "$TMP/registry"
}

start_registry() {
	local name=$1 prev
	command -v mvn >/dev/null || registry_unavailable "$name" "mvn not installed (make deps)"
	prev=$(trap -p EXIT | sed "s/^trap -- '\(.*\)' EXIT\$/\1/")
	# shellcheck disable=SC2064
	trap "stop_registry; ${prev:-rm -rf \"\$TMP\"}" EXIT
	# 3>&-: a FIFO a test holds open on fd 3 (mock_broker) must not stay
	# open in the JVM.
	"$registry_script" start "$TMP/registry" >"$TMP/registry.url" 2>"$TMP/registry.err" 3>&- ||
		registry_unavailable "$name" "registry did not start: $(tail -n 5 "$TMP/registry.err")"
	REG=$(head -n 1 "$TMP/registry.url")
}
