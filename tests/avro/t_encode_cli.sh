#!/usr/bin/env bash
# kout's Avro options without a schema registry: usage errors (exit 2)
# before any request, and a registry that does not answer is a setup
# failure (exit 3) with nothing produced.
. "$(dirname "$0")/../lib.sh"
. "$KPIPE_ROOT/tests/kafka/brokers.sh"
mock_broker "kout avro options" t:1
echo '{"a":1}' >"$TMP/one.json"
echo '{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}' >"$TMP/r.avsc"
echo '{"type":"record"}' >"$TMP/bad.avsc"
# Nothing listens on a port just freed.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dead=http://127.0.0.1:$port

usage() {	# NAME MESSAGE ARGS...: exit 2 and the message on stderr
	local name=$1 msg=$2; shift 2
	kout -b "$B" "$@" "$TMP/one.json" >"$TMP/out" 2>"$TMP/err"
	local rc=$?
	if [ "$rc" = 2 ] && grep -qF -- "$msg" "$TMP/err"; then ok "usage: $name"
	else fail "usage: $name" "exit $rc: $(head -c 300 "$TMP/err")"; fi
}
usage "-s takes avro, key=avro, value=avro" "-s value=json: expected avro, key=avro or value=avro" \
	-t t -s value=json --registry "$dead"
usage "--schema without -s value=avro" "--schema needs -s value=avro" -t t --schema "$TMP/r.avsc"
usage "--key-subject without -s key=avro" "--key-subject needs -s key=avro" \
	-t t -s value=avro --registry "$dead" --key-subject k
usage "--registry without -s" "--registry needs -s avro" -t t --registry "$dead"
usage "no registry named" "-s avro needs the schema registry" -t t -s value=avro
usage "an envelope's topics without --subject" "without -t needs --subject" \
	--envelope -s value=avro --registry "$dead"
usage "a schema file that is not one" "bad.avsc: not an Avro schema: Record type must have a \"name\"" \
	-t t -s value=avro --registry "$dead" --schema "$TMP/bad.avsc"
usage "a schema file that is not there" "nosuch.avsc: No such file or directory" \
	-t t -s value=avro --registry "$dead" --schema "$TMP/nosuch.avsc"
usage "credentials on the command line" "give credentials in a -F file" \
	-t t -s value=avro --registry "$dead" -X schema.registry.basic.auth.user.info=u:p
usage "an unknown registry setting" "schema.registry.colour: not a schema registry setting" \
	-t t -s value=avro --registry "$dead" -X schema.registry.colour=red
usage "a display option with -s" "cannot be used together" --csv -t t -s value=avro --registry "$dead"

# The registry from -F (the file kcat-in reads too), not answering.
printf 'schema.registry.url=%s\n' "$dead" >"$TMP/kafka.conf"
kout -b "$B" -t t -s value=avro -F "$TMP/kafka.conf" --schema "$TMP/r.avsc" "$TMP/one.json" 2>"$TMP/err"
check_eq "registry from -F not answering: exit 3" 3 $?
grep -qF "schema registry: $dead/subjects:" "$TMP/err" && ok "registry not answering: named" ||
	fail "registry not answering: named" "$(cat "$TMP/err")"
check_eq "registry not answering: nothing produced" 0 \
	"$(kcat -C -b "$B" -t t -e -q 2>/dev/null | wc -l)"
# Without -s, a schema.registry.* key in the shared file is not librdkafka's
# business: kout produces as before.
kout -b "$B" -t t -F "$TMP/kafka.conf" "$TMP/one.json" 2>"$TMP/err"
check_eq "schema.registry.url in -F without -s: produced" "0 {\"a\":1}" \
	"$? $(kcat -C -b "$B" -t t -e -q 2>/dev/null)"
