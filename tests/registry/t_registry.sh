#!/usr/bin/env bash
# The schema registry of the Avro tests (tests/registry/registry.sh) on its
# own: it starts on loopback, speaks the Confluent REST API as Confluent's
# own Python client expects, and opens no port beyond 127.0.0.1.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
need_avro_python "registry harness"
start_registry "registry harness"
ok "registry starts at $REG"

cat >"$TMP/check.py" <<'PY'
import json, sys
from confluent_kafka.schema_registry import SchemaRegistryClient, Schema
url = sys.argv[1]
c = SchemaRegistryClient({"url": url, "timeout": 20})
s1 = json.dumps({"type": "record", "name": "r", "fields": [{"name": "a", "type": "int"}]})
s2 = json.dumps({"type": "record", "name": "r", "fields": [{"name": "a", "type": "int"},
                 {"name": "b", "type": "string", "default": ""}]})
i1 = c.register_schema("t-value", Schema(s1, "AVRO"))
i2 = c.register_schema("t-value", Schema(s2, "AVRO"))
latest = c.get_latest_version("t-value")
again = c.register_schema("t-value", Schema(s1, "AVRO"))
print(i1 != i2, latest.schema_id == i2, latest.version, again == i1,
      json.loads(c.get_schema(i1).schema_str) == json.loads(s1))
PY
check_eq "registry: register, evolve, latest, by id (Confluent's client)" \
	"True True 2 True True" "$("$avro_py" "$TMP/check.py" "$REG" 2>&1)"

pid=$(cat "$TMP/registry/pid")
# Every listening socket of the registry's JVM is on 127.0.0.1.
ss -Hltnp 2>/dev/null | grep "pid=$pid," | awk '{print $4}' >"$TMP/listen"
if [ ! -s "$TMP/listen" ]; then
	fail "registry: listens on loopback only" "ss shows no socket of pid $pid"
elif grep -v -E '^(\[::ffff:)?127\.0\.0\.1\]?:[0-9]+$' "$TMP/listen" >"$TMP/wide"; then
	fail "registry: listens on loopback only" "$(tr '\n' ' ' <"$TMP/wide")"
else
	ok "registry: listens on loopback only ($(wc -l <"$TMP/listen") ports)"
fi

"$registry_script" stop "$TMP/registry"
kill -0 "$pid" 2>/dev/null && fail "registry: stop ends it" "pid $pid alive" || ok "registry: stop ends it"
