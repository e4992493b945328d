# The cases of kout -s value=avro, against the broker at $B and the schema
# registry at $REG; sourced by t_encode.sh (librdkafka's mock cluster) and
# t_encode_real.sh (a real Kafka).  $KIND names the broker in test names.
# What kout wrote is read back by read_avro.py (confluent-kafka, fastavro,
# the registry's REST API) and compared in Python with the values of
# expect_orders.py, written by hand.
here=$KPIPE_ROOT/tests/avro
export PYTHONPATH=$here

# --- every type and logical type, in kcat-in's mapping and in the forms
# users write (epoch numbers, decimal strings, tagged unions, offsets)
check_exit "$KIND: orders: exit 0" 0 \
	kout -b "$B" -t orders -s value=avro --registry "$REG" --schema "$here/order.avsc" "$here/orders.json"
cat >"$TMP/orders.py" <<'PY'
import sys
from read_avro import read
from expect_orders import ORDERS, normal, diff
msgs = read(sys.argv[1], sys.argv[2], "orders")
ids = {m.value_id for m in msgs}
print(len(msgs), "messages,", len(ids), "schema id")
for i, (want, m) in enumerate(zip(ORDERS, msgs)):
    d = diff(want, normal(m.value))
    if d:
        print("record", i + 1, "differs:", d)
PY
check_eq "$KIND: orders: fastavro reads back every value" "3 messages, 1 schema id" \
	"$("$avro_py" "$TMP/orders.py" "$B" "$REG" 2>&1)"

# The registry holds the schema under TOPIC-value, as the file has it.
cat >"$TMP/subject.py" <<'PY'
import json, sys, requests
reg, subject, path = sys.argv[1:4]
r = requests.get(f"{reg}/subjects/{subject}/versions/latest", timeout=30).json()
same = json.loads(r["schema"]) == json.load(open(path))
print(r["version"], "same schema" if same else "another schema: " + r["schema"][:200])
PY
check_eq "$KIND: orders: the registry has the schema under orders-value" "1 same schema" \
	"$("$avro_py" "$TMP/subject.py" "$REG" orders-value "$here/order.avsc" 2>&1)"

# --- records that do not fit: each rejected with its path, the rest sent
good=$(head -n 1 "$here/orders.json")
bad() { printf '%s\n' "$good" | sed "$1"; }
{
	echo "$good"
	bad 's/"price":12.50/"price":1.234/'			# 2: more fraction digits than scale
	bad 's/"qty":2,/"qty":2147483648,/'			# 3: beyond int
	bad 's/"name":"h\\u00e9llo ✓",//'			# 4: missing, no default
	bad 's/"status":"PAID"/"status":"LOST"/'		# 5: not a symbol
	bad 's/"x":"1"/"x":1/'					# 6: map value not a string
	bad 's/"id":1,/"id":1,"bogus":true,/'			# 7: a field the schema lacks
	bad 's/"ts_ms":"2024-03-01T12:00:00.123Z"/"ts_ms":"2024-03-01T12:00:00.1234Z"/'	# 8: finer than ms
	bad 's/"amount":123456789012.3456/"amount":123456789012345.0001/'	# 9: precision 18
	bad 's/"zip":null/"zip":7/'				# 10: fits no branch
	bad 's/"tag":"3q2+7w=="/"tag":"3q2+"/'			# 11: 3 bytes for fixed 4
	bad 's/"lts_ms":"2024-03-01T12:00:00.123"/"lts_ms":"2024-03-01T12:00:00.123Z"/'	# 12: zone
	bad 's/"t_ms":"23:59:59.999"/"t_ms":86400000/'		# 13: not a time of day
	bad 's/"ratio":1.5/"ratio":1e39/'			# 14: beyond float
	bad 's/"n":-5/"n":1.5/'					# 15: not an integer
	echo "$good"
} >"$TMP/mixed.json"
kout -b "$B" -t mixed -s value=avro --registry "$REG" --schema "$here/order.avsc" \
	--errors "$TMP/dead.json" "$TMP/mixed.json" 2>"$TMP/mixed.err"
check_eq "$KIND: misfits: exit 1" 1 $?
want_paths='mixed.json:2: value.items[0].price: 1.234 is not a decimal with at most 2 fraction digits
mixed.json:3: value.items[0].qty: 2147483648 is out of range for int
mixed.json:4: value.name: missing, and the field has no default
mixed.json:5: value.status: "LOST" is not a symbol of the enum shop.Status
mixed.json:6: value.attrs.x: 1 is not a string
mixed.json:7: value.bogus: no such field in the record shop.Order
mixed.json:8: value.ts_ms: "2024-03-01T12:00:00.1234Z": timestamp-millis, finer than its unit
mixed.json:9: value.amount: 123456789012345.0001 has more than the decimal'"'"'s precision of 18 digits
mixed.json:10: value.ship.zip: 7 is not a string
mixed.json:11: value.tag: 3 bytes, the fixed shop.Tag holds 4
mixed.json:12: value.lts_ms: "2024-03-01T12:00:00.123Z": local-timestamp-millis, a local timestamp has no zone
mixed.json:13: value.t_ms: 86400000 is not a time of day
mixed.json:14: value.ratio: 1e39 is out of range for float
mixed.json:15: value.n: 1.5 is not an integer'
printf '%s\n' "$want_paths" >"$TMP/want.err"
# The first ten are shown in full, every one is dead-lettered with its reason.
jq -r '"mixed.json:\(.line): \(.reason)"' "$TMP/dead.json" >"$TMP/got.err"
check_file_eq "$KIND: misfits: each named with its path and reason" "$TMP/want.err" "$TMP/got.err"
check_eq "$KIND: misfits: all 14 dead-lettered" 14 "$(wc -l <"$TMP/dead.json")"
cat >"$TMP/count.py" <<'PY'
import sys
from read_avro import read
from expect_orders import ORDERS, normal, same
msgs = read(sys.argv[1], sys.argv[2], "mixed")
print(len(msgs), all(same(ORDERS[0], normal(m.value)) for m in msgs))
PY
check_eq "$KIND: misfits: the 2 that fit are delivered, intact" "2 True" \
	"$("$avro_py" "$TMP/count.py" "$B" "$REG" 2>&1)"

# --- schema evolution: a field added with a default is a new version; a
# record without it gets the default; both ids on the topic, and
# Confluent's AvroDeserializer reads both
cat >"$TMP/v1.avsc" <<'JSON'
{"type":"record","name":"User","fields":[{"name":"name","type":"string"},{"name":"age","type":"int"}]}
JSON
cat >"$TMP/v2.avsc" <<'JSON'
{"type":"record","name":"User","fields":[{"name":"name","type":"string"},{"name":"age","type":"int"},
 {"name":"email","type":["null","string"],"default":null},
 {"name":"plan","type":{"type":"enum","name":"Plan","symbols":["FREE","PRO"]},"default":"FREE"},
 {"name":"blob","type":"bytes","default":"\u00ff\u0001A"},
 {"name":"home","type":{"type":"record","name":"Home","fields":[{"name":"city","type":"string"}]},"default":{"city":"?"}}]}
JSON
printf '%s\n' '{"name":"ann","age":30}' >"$TMP/u1.json"
printf '%s\n' '{"name":"bob","age":40,"email":"b@x","plan":"PRO","blob":"AQ==","home":{"city":"Oslo"}}' \
	'{"name":"cid","age":50}' >"$TMP/u2.json"
kout -b "$B" -t users -s value=avro --registry "$REG" --schema "$TMP/v1.avsc" "$TMP/u1.json" 2>"$TMP/u.err" &&
	kout -b "$B" -t users -s value=avro --registry "$REG" --schema "$TMP/v2.avsc" "$TMP/u2.json" 2>>"$TMP/u.err"
check_eq "$KIND: evolution: both runs exit 0" "0 " "$? $(cat "$TMP/u.err")"
cat >"$TMP/evolve.py" <<'PY'
import sys, requests
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import SerializationContext, MessageField
from read_avro import raw_messages, decode
b, reg = sys.argv[1:3]
msgs = raw_messages(b, "users")
des = AvroDeserializer(SchemaRegistryClient({"url": reg, "timeout": 20}))
vals = [des(m.value(), SerializationContext("users", MessageField.VALUE)) for m in msgs]
ids = [decode(reg, m.value())[0] for m in msgs]
versions = requests.get(f"{reg}/subjects/users-value/versions", timeout=30).json()
print(versions, ids[0] != ids[1], ids[1] == ids[2])
for v in vals:
    print(sorted(v.items()))
PY
check_eq "$KIND: evolution: two versions, two ids, defaults filled" \
"[1, 2] True True
[('age', 30), ('name', 'ann')]
[('age', 40), ('blob', b'\\x01'), ('email', 'b@x'), ('home', {'city': 'Oslo'}), ('name', 'bob'), ('plan', 'PRO')]
[('age', 50), ('blob', b'\\xff\\x01A'), ('email', None), ('home', {'city': '?'}), ('name', 'cid'), ('plan', 'FREE')]" \
	"$("$avro_py" "$TMP/evolve.py" "$B" "$REG" 2>&1)"

# --- no --schema: the subject's latest, registered by Confluent's client;
# an Avro key from -k with its own schema
cat >"$TMP/latest.py" <<'PY'
import sys
from confluent_kafka.schema_registry import SchemaRegistryClient, Schema
c = SchemaRegistryClient({"url": sys.argv[1], "timeout": 20})
print(c.register_schema("points-value", Schema(
    '{"type":"record","name":"P","fields":[{"name":"x","type":"double"},{"name":"id","type":"long"}]}', "AVRO")))
PY
pid=$("$avro_py" "$TMP/latest.py" "$REG" 2>&1)
printf '%s\n' '{"x":0.5,"id":7}' '{"x":-1,"id":8}' >"$TMP/points.json"
cat >"$TMP/key.avsc" <<'JSON'
"long"
JSON
check_exit "$KIND: latest schema, Avro key: exit 0" 0 kout -b "$B" -t points -k id -s value=avro -s key=avro \
	--registry "$REG" --key-schema "$TMP/key.avsc" "$TMP/points.json"
cat >"$TMP/points.py" <<'PY'
import sys
from read_avro import read
msgs = read(sys.argv[1], sys.argv[2], "points")
print([(m.value_id == int(sys.argv[3]), m.value, m.key) for m in msgs], msgs[0].key_id != msgs[0].value_id)
PY
check_eq "$KIND: latest schema, Avro key: read back" \
	"[(True, {'x': 0.5, 'id': 7}, 7), (True, {'x': -1.0, 'id': 8}, 8)] True" \
	"$("$avro_py" "$TMP/points.py" "$B" "$REG" "$pid" 2>&1)"

# --- --value-field: the value is a field of the record, here under another
# topic's subject (--subject) with its latest schema
printf '%s\n' '{"p":{"x":2.5,"id":9},"other":"not sent"}' '{"p":{"x":1,"id":"ten"}}' >"$TMP/wrapped.json"
kout -b "$B" -t wrapped --value-field p -s value=avro --registry "$REG" --subject points-value \
	"$TMP/wrapped.json" 2>"$TMP/w.err"
check_eq "$KIND: --value-field: exit 1, the misfit named" \
	"1 kout: $TMP/wrapped.json:2: value.id: \"ten\" is not an integer" "$? $(head -n 1 "$TMP/w.err")"
cat >"$TMP/wrapped.py" <<'PY'
import sys
from read_avro import read
print([(m.value_id == int(sys.argv[3]), m.value) for m in read(sys.argv[1], sys.argv[2], "wrapped")])
PY
check_eq "$KIND: --value-field: the field's value, read back" "[(True, {'x': 2.5, 'id': 9})]" \
	"$("$avro_py" "$TMP/wrapped.py" "$B" "$REG" "$pid" 2>&1)"

# --- limits: nesting past 1000 levels, and unions of records that could
# be tried in 2^depth ways, are refused with a reason (no crash, no hang);
# a value 400 deep goes through.  kcat counts what was delivered.
cat >"$TMP/node.avsc" <<'JSON'
{"type":"record","name":"Node","fields":[{"name":"v","type":"long"},{"name":"next","type":["null","Node"],"default":null}]}
JSON
python3 -c '
for n, tag in ((3000, 1), (400, 1), (400, 0)):
    o, c = ("{\"v\":1,\"next\":{\"Node\":", "}}") if tag else ("{\"v\":1,\"next\":", "}")
    print(o * n + "{\"v\":0}" + c * n)' >"$TMP/deep.json"
timeout 60 kout -b "$B" -t limits -s value=avro --registry "$REG" --schema "$TMP/node.avsc" \
	--errors "$TMP/deep.err" "$TMP/deep.json" 2>/dev/null
check_eq "$KIND: limits: 3000 deep refused, 400 deep sent" "1 1: nested deeper than 1000" \
	"$? $(jq -r '"\(.line): \(.reason | sub(".*: "; ""))"' "$TMP/deep.err")"
cat >"$TMP/ab.avsc" <<'JSON'
{"type":"record","name":"A","fields":[{"name":"k","type":["null","A",
 {"type":"record","name":"B","fields":[{"name":"k","type":["null","A","B"]}]}]}]}
JSON
python3 -c 'print("{\"k\":" * 60 + "{\"k\":5}" + "}" * 60)' >"$TMP/ab.json"
timeout 60 kout -b "$B" -t limits -s value=avro --registry "$REG" --schema "$TMP/ab.avsc" \
	--errors "$TMP/ab.err" "$TMP/ab.json" 2>/dev/null
check_eq "$KIND: limits: 2^60 ways refused in time" "1 too many ways to read the value against the unions' branches (tag it)" \
	"$? $(jq -r '.reason | sub(".*: "; "")' "$TMP/ab.err")"
check_eq "$KIND: limits: the 2 that fit delivered" 2 "$(kcat -C -b "$B" -t limits -e -q -f '%o\n' 2>/dev/null | wc -l)"
