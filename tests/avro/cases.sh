# kcat-in -s value=avro / key=avro against $B (a Kafka) and $REG (a schema
# registry), the values compared with what Python's Confluent
# AvroDeserializer reads.  Sourced by t_decode_mock.sh and
# t_decode_kafka.sh after both are up; $KIND names the cluster.
oracle=$KPIPE_ROOT/tests/avro/oracle.py

# --- every type, logical types, schema evolution, keys, bad messages
timeout 120 "$avro_py" "$oracle" produce "$B" "$REG" avro >"$TMP/kinds" 2>"$TMP/produce.err" ||
	{ fail "$KIND avro: produce with Confluent's AvroSerializer" "$(tail -n 3 "$TMP/produce.err")"; exit 1; }
total=$(wc -l <"$TMP/kinds")
kcat-in -b "$B" -t avro -e -s value=avro -s key=avro --registry "$REG" \
	--errors "$TMP/dead" >"$TMP/out" 2>"$TMP/err"
check_eq "$KIND avro: exit 1, for the messages that do not decode" 1 $?
check_eq "$KIND avro: one envelope per message" "$total" "$(wc -l <"$TMP/out")"
timeout 120 "$avro_py" "$oracle" compare "$B" "$REG" avro "$TMP/out" >"$TMP/cmp" 2>&1
ok_offsets=$(awk '$2 ~ /^ok-/ {print $1}' "$TMP/kinds" | tr '\n' ' ')
same=$(awk '$2 == "same" {print $1}' "$TMP/cmp" | tr '\n' ' ')
tomb=$(awk '$2 == "tombstone" {print $1}' "$TMP/kinds")
check_eq "$KIND avro: $(wc -w <<<"$ok_offsets") records (2 schema versions, every type) decode to what Python reads" \
	"$ok_offsets$tomb " "$same"
grep -v " same$" "$TMP/cmp" | grep -v "python-error kcat-in-kept-bytes" | grep -v "^$(awk '$2 == "trailing" {print $1}' "$TMP/kinds") " |
	head -n 3 >"$TMP/odd"
check_eq "$KIND avro: no message differs from Python's reading" "" "$(cut -c1-600 "$TMP/odd")"
check_eq "$KIND avro: two schema ids on the topic (evolution), one for the key" 3 \
	"$(jq -r '.value_schema_id // empty, .key_schema_id // empty' "$TMP/out" | sort -u | wc -l)"
check_eq "$KIND avro: the evolved records carry the new fields" \
	"$(grep -c ok-v2 "$TMP/kinds")" "$(jq -c 'select((.value | type) == "object" and .value.note != null)' "$TMP/out" | wc -l)"

# Rejected: each bad message named with its offset and reason, dead-lettered
# with its bytes as Kafka holds them, and kept as bytes in the envelope.
bad=$(awk '$2 !~ /^ok-/ && $2 != "tombstone" {print $1}' "$TMP/kinds" | tr '\n' ' ')
check_eq "$KIND avro: dead letters are the bad messages" "$bad" \
	"$(jq -r .line "$TMP/dead" | tr '\n' ' ')"
first=$(awk '$2 == "bad-magic" {print $1}' "$TMP/kinds")
timeout 120 "$avro_py" "$oracle" raw "$B" avro "$first" "$(wc -w <<<"$bad")" >"$TMP/raw"
check_eq "$KIND avro: dead letters hold the raw bytes" "$(cat "$TMP/raw")" \
	"$(jq -r '"\(.line) \(.raw_b64 // (.raw | @base64))"' "$TMP/dead")"
for want in "$first:first byte 0x7b, not the Confluent wire format" \
	"$(awk '$2 == "short" {print $1}' "$TMP/kinds"):shorter than the 5-byte header" \
	"$(awk '$2 == "unknown-id" {print $1}' "$TMP/kinds"):schema id 2147483632: not in the registry" \
	"$(awk '$2 == "truncated" {print $1}' "$TMP/kinds"):run past the end" \
	"$(awk '$2 == "trailing" {print $1}' "$TMP/kinds"):1 bytes after the datum"; do
	grep -q "kcat-in: avro/0:${want%%:*}: value: .*${want#*:}" "$TMP/err" &&
		ok "$KIND avro: offset ${want%%:*} rejected: ${want#*:}" ||
		fail "$KIND avro: offset ${want%%:*} rejected: ${want#*:}" "$(cat "$TMP/err")"
done
check_eq "$KIND avro: rejected messages keep their bytes, no schema id" "$bad" \
	"$(jq -r 'select(.value_schema_id == null and .value != null or .value_b64 != null) | .offset' "$TMP/out" | tr '\n' ' ')"
grep -q "^$(awk '$2 == "trailing" {print $1}' "$TMP/kinds") differs" "$TMP/cmp" &&
	ok "$KIND avro: trailing bytes: Python ignores them, kcat-in rejects" ||
	fail "$KIND avro: trailing bytes: Python ignores them, kcat-in rejects" "$(grep -v same "$TMP/cmp" | head -3)"

# --- tagged unions: Avro's JSON encoding, as fastavro's json_writer writes it
timeout 120 "$avro_py" "$oracle" tagged "$B" "$REG" tagged >"$TMP/tagged.want" 2>"$TMP/tagged.err" ||
	fail "$KIND avro: produce with fastavro" "$(tail -n 3 "$TMP/tagged.err")"
kcat-in -b "$B" -t tagged -e -s value=avro --avro-unions tagged --registry "$REG" 2>"$TMP/err" |
	jq -c .value >"$TMP/tagged.got"
check_file_eq "$KIND avro: --avro-unions tagged is fastavro's JSON encoding" "$TMP/tagged.want" "$TMP/tagged.got"
kcat-in -b "$B" -t tagged -e -s value=avro --registry "$REG" 2>"$TMP/err" | jq -c .value >"$TMP/plain.got"
check_eq "$KIND avro: unions plain by default" 'null 3 "text" {"x":-9}' \
	"$(jq -c .u "$TMP/plain.got" | tr '\n' ' ' | sed 's/ $//')"

# --- the registry from a -F file, kept out of librdkafka's settings
printf 'schema.registry.url=%s\n' "$REG" >"$TMP/reg.conf"
kcat-in -b "$B" -t tagged -e -s value=avro -F "$TMP/reg.conf" 2>"$TMP/err" | jq -c .value >"$TMP/f.got"
check_file_eq "$KIND avro: schema.registry.url from -F" "$TMP/plain.got" "$TMP/f.got"

# --- basic authentication from the -F file, through a proxy that demands it
python3 "$KPIPE_ROOT/tests/avro/auth_proxy.py" "$REG" alice:s3cret "$TMP/proxy.port" "$TMP/proxy.log" &
proxy=$!
for ((i = 0; i < 100; i++)); do [ -s "$TMP/proxy.port" ] && break; sleep 0.1; done
AUTH=http://127.0.0.1:$(cat "$TMP/proxy.port")
printf 'schema.registry.url=%s\nschema.registry.basic.auth.user.info=alice:s3cret\n' "$AUTH" >"$TMP/auth.conf"
kcat-in -b "$B" -t tagged -e -s value=avro -F "$TMP/auth.conf" 2>"$TMP/err" | jq -c .value >"$TMP/auth.got"
check_file_eq "$KIND avro: basic auth from -F: decoded" "$TMP/plain.got" "$TMP/auth.got"
check_eq "$KIND avro: basic auth from -F: every request carried it" "" "$(grep -v ' auth$' "$TMP/proxy.log")"
printf 'schema.registry.url=%s\nschema.registry.basic.auth.user.info=alice:wrong\n' "$AUTH" >"$TMP/bad.conf"
kcat-in -b "$B" -t tagged -e -s value=avro -F "$TMP/bad.conf" 2>"$TMP/err" >"$TMP/none"
check_eq "$KIND avro: wrong password: exit 3" 3 $?
grep -q "kcat-in: schema registry: $AUTH/subjects: HTTP 401: Unauthorized" "$TMP/err" &&
	ok "$KIND avro: wrong password: the registry's reason" ||
	fail "$KIND avro: wrong password: the registry's reason" "$(cat "$TMP/err")"
grep -q wrong "$TMP/err" && fail "$KIND avro: wrong password: not shown" "$(cat "$TMP/err")" ||
	ok "$KIND avro: wrong password: not shown"
kill $proxy; wait $proxy 2>/dev/null

# --- https: the registry's certificate checked against ssl.ca.location
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
python3 "$KPIPE_ROOT/tests/avro/auth_proxy.py" "$REG" alice:s3cret "$TMP/tls.port" "$TMP/tls.log" \
	"$TMP/cert.pem" "$TMP/key.pem" &
proxy=$!
for ((i = 0; i < 100; i++)); do [ -s "$TMP/tls.port" ] && break; sleep 0.1; done
TLS=https://127.0.0.1:$(cat "$TMP/tls.port")
printf 'schema.registry.url=%s\nschema.registry.basic.auth.user.info=alice:s3cret\nschema.registry.ssl.ca.location=%s\n' \
	"$TLS" "$TMP/cert.pem" >"$TMP/tls.conf"
kcat-in -b "$B" -t tagged -e -s value=avro -F "$TMP/tls.conf" 2>"$TMP/err" | jq -c .value >"$TMP/tls.got"
check_file_eq "$KIND avro: https registry, CA from schema.registry.ssl.ca.location" "$TMP/plain.got" "$TMP/tls.got"
grep -v ssl.ca.location "$TMP/tls.conf" >"$TMP/noca.conf"
kcat-in -b "$B" -t tagged -e -s value=avro -F "$TMP/noca.conf" 2>"$TMP/err" >/dev/null
check_eq "$KIND avro: https registry, certificate not trusted: exit 3" 3 $?
grep -q "kcat-in: schema registry: $TLS/subjects: .*certificate" "$TMP/err" &&
	ok "$KIND avro: https registry, certificate not trusted: the reason" ||
	fail "$KIND avro: https registry, certificate not trusted: the reason" "$(cat "$TMP/err")"
kill $proxy; wait $proxy 2>/dev/null

# --- the registry from $KPIPE_KAFKA_CONFIG
KPIPE_KAFKA_CONFIG=$TMP/reg.conf kcat-in -b "$B" -t tagged -e -s value=avro 2>"$TMP/err" |
	jq -c .value >"$TMP/env.got"
check_file_eq "$KIND avro: schema.registry.url from \$KPIPE_KAFKA_CONFIG" "$TMP/plain.got" "$TMP/env.got"

# --- setup errors
kcat-in -b "$B" -t tagged -e -s value=protobuf --registry "$REG" 2>"$TMP/err" >/dev/null
check_eq "$KIND avro: -s value=protobuf: exit 2" 2 $?
kcat-in -b "$B" -t tagged -e -s value=avro --value json --registry "$REG" 2>"$TMP/err" >/dev/null
check_eq "$KIND avro: -s value=avro with --value json: exit 2" 2 $?
printf 'schema.registry.urll=%s\n' "$REG" >"$TMP/typo.conf"
kcat-in -b "$B" -t tagged -e -s value=avro -F "$TMP/typo.conf" 2>"$TMP/err" >/dev/null
check_eq "$KIND avro: a misspelt schema.registry key: exit 2" 2 $?
grep -q "typo.conf:1: schema.registry.urll: not a schema registry setting" "$TMP/err" &&
	ok "$KIND avro: a misspelt schema.registry key: named with FILE:LINE" ||
	fail "$KIND avro: a misspelt schema.registry key: named with FILE:LINE" "$(cat "$TMP/err")"
kcat-in -b "$B" -t tagged -e -s value=avro 2>"$TMP/err" >/dev/null
check_eq "$KIND avro: no registry: exit 2" 2 $?
kcat-in -b "$B" -t tagged -e -s value=avro --registry "$REG" \
	-X schema.registry.basic.auth.user.info=u:secret 2>"$TMP/err" >/dev/null
check_eq "$KIND avro: credentials with -X: exit 2" 2 $?
grep -q secret "$TMP/err" && fail "$KIND avro: -X credentials not echoed" "$(cat "$TMP/err")" ||
	ok "$KIND avro: -X credentials not echoed"
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
kcat-in -b "$B" -t tagged -e -s value=avro --registry "http://127.0.0.1:$closed" --timeout 3 \
	2>"$TMP/err" >"$TMP/none"
check_eq "$KIND avro: registry unreachable at start: exit 3" 3 $?
grep -q "kcat-in: schema registry: http://127.0.0.1:$closed/subjects: .*onnect" "$TMP/err" &&
	ok "$KIND avro: registry unreachable at start: the reason" ||
	fail "$KIND avro: registry unreachable at start: the reason" "$(cat "$TMP/err")"
check_eq "$KIND avro: registry unreachable at start: nothing written" 0 "$(wc -c <"$TMP/none")"

# --- the registry goes away while kcat-in runs: the message whose schema
# it has not fetched yet is rejected, with the reason, and the run goes on.
# (Last: the registry stays down.)
timeout 120 "$avro_py" "$oracle" copy "$B" tagged 1 late >/dev/null
kcat-in -b "$B" -t late -c 3 -s value=avro --registry "$REG" --timeout 3 \
	--errors "$TMP/dead2" >"$TMP/out2" 2>"$TMP/err2" &
kpid=$!
for ((i = 0; i < 200; i++)); do [ -s "$TMP/out2" ] && break; sleep 0.1; done
stop_registry
timeout 120 "$avro_py" "$oracle" copy "$B" avro 0 late >/dev/null
timeout 120 "$avro_py" "$oracle" copy "$B" tagged 2 late >/dev/null
wait $kpid
check_eq "$KIND avro: registry gone during the run: exit 1" 1 $?
check_eq "$KIND avro: registry gone: the records of a known schema still decode" '3 "text"' \
	"$(jq -c 'select(.value_schema_id) | .value.u' "$TMP/out2" | tr '\n' ' ' | sed 's/ $//')"
grep -q "kcat-in: late/0:1: value: schema id [0-9]*: registry: http.*onnect" "$TMP/err2" &&
	ok "$KIND avro: registry gone: the new schema's record rejected with the reason" ||
	fail "$KIND avro: registry gone: the new schema's record rejected with the reason" "$(cat "$TMP/err2")"
check_eq "$KIND avro: registry gone: dead-lettered" 1 "$(jq -r .line "$TMP/dead2")"
