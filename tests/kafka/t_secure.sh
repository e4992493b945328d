#!/usr/bin/env bash
# kcat-in and kout on a secured real Kafka 4.x broker (broker.sh --secure):
# TLS with a CA made here by openssl, SASL with user alice, settings and
# credentials from -F files.  Round trips through both listeners (Debian's
# kcat is the other side over TLS), a wrong password and an untrusted
# certificate end in exit 3 with a clear message, and the secret shows in
# no output of any run nor in ps.  Skipped without java and mvn, unless
# KPIPE_REQUIRE_REAL_KAFKA=1 (set by .ci/run): then that is a failure.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/brokers.sh"
broker=$KAFKA_BROKER
SECRET=alice-secret WRONG=wrong-pass-4711

unavailable() { kafka_unavailable "secured Kafka broker" "$1"; }
command -v openssl >/dev/null || unavailable "openssl not installed (make deps)"
# TLS and SASL cost the broker little memory.
KPIPE_KAFKA_HEAP=${KPIPE_KAFKA_HEAP:--Xmx384m} real_broker "secured Kafka broker" --secure
KAFKA_DIRS="$KAFKA_DIRS $TMP/kafka39"	# the Kafka 3.9 broker, further down
SSL=$(awk '$1 == "ssl" { print $2 }' "$TMP/addrs")
SASL=$(awk '$1 == "sasl" { print $2 }' "$TMP/addrs")
SASL_SSL=$(awk '$1 == "sasl_ssl" { print $2 }' "$TMP/addrs")
[ -n "$SSL" ] && [ -n "$SASL" ] && [ -n "$SASL_SSL" ] ||
	unavailable "broker.sh --secure printed no ssl/sasl/sasl_ssl address: $(cat "$TMP/addrs")"
[ "$(cat "$TMP/kafka/tls/alice.password")" = "$SECRET" ] || unavailable "broker.sh made another password for alice"
ok "secured Kafka broker starts: TLS at $SSL, SASL at $SASL, SASL over TLS at $SASL_SSL"

# Every run's stdout and stderr go to $TMP/out/N.{out,err}; the last check
# looks for the secrets in all of them.
mkdir "$TMP/out"
n=0
run() {	# NAME-FOR-FILES CMD...: run with a time bound, output kept
	n=$((n + 1))
	timeout 60 "$@" >"$TMP/out/$n.out" 2>"$TMP/out/$n.err"
}
last_err() { cat "$TMP/out/$n.err"; }
last_out() { cat "$TMP/out/$n.out"; }

cfg=$TMP/conf
mkdir "$cfg"
printf 'security.protocol=SSL\nssl.ca.location=%s\n' "$TMP/kafka/tls/ca.pem" >"$cfg/tls"
sasl_conf() {	# MECHANISM PASSWORD
	printf '# the broker says who may come in\nsecurity.protocol=SASL_PLAINTEXT\nsasl.mechanism=%s\nsasl.username=alice\nsasl.password=%s\n' "$1" "$2"
}
sasl_conf PLAIN "$SECRET" >"$cfg/plain"
sasl_conf PLAIN "$WRONG" >"$cfg/plain-wrong"
sasl_conf SCRAM-SHA-256 "$SECRET" >"$cfg/scram"
sasl_conf SCRAM-SHA-256 "$WRONG" >"$cfg/scram-wrong"
{ sasl_conf PLAIN "$SECRET" | sed 's/=SASL_PLAINTEXT/=SASL_SSL/'; grep ca.location "$cfg/tls"; } >"$cfg/sasl-ssl"
# A CA the broker's certificate does not come from.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=someone else" \
	-keyout "$TMP/other.key" -out "$TMP/other.pem" >/dev/null 2>&1
printf 'security.protocol=SSL\nssl.ca.location=%s\n' "$TMP/other.pem" >"$cfg/untrusted"

python3 "$KPIPE_ROOT/tests/gen-events.py" -n 200 >"$TMP/ev"
sort "$TMP/ev" >"$TMP/ev.sorted"

# roundtrip NAME BROKER CONF TOPIC: kout in, kcat-in out, values compared by jq
roundtrip() {
	local name=$1 b=$2 conf=$3 topic=$4
	if ! run kout -b "$b" -F "$conf" -t "$topic" -k user "$TMP/ev"; then
		fail "$name: kout" "exit $?: $(last_err | head -c 300)"; return 1
	fi
	if ! run kcat-in -b "$b" -F "$conf" -t "$topic" -e; then
		fail "$name: kcat-in" "exit $?: $(last_err | head -c 300)"; return 1
	fi
	last_out | jq -r .value | sort >"$TMP/got"
	check_file_eq "$name: kout then kcat-in, 200 records" "$TMP/ev.sorted" "$TMP/got"
}

# --- TLS
roundtrip "TLS" "$SSL" "$cfg/tls" tls
# Debian's kcat on the other side, both ways.
kcat -C -b "$SSL" -F "$cfg/tls" -t tls -e -q -f '%k %s\n' 2>"$TMP/kcat.err" | sort >"$TMP/got"
python3 -c '
import json, sys
for l in open(sys.argv[1]):
    print(json.loads(l)["user"], l.rstrip("\n"))' "$TMP/ev" | sort >"$TMP/want"
check_file_eq "TLS: kcat reads kout's keys and values" "$TMP/want" "$TMP/got"
seq 1 50 | kcat -P -b "$SSL" -F "$cfg/tls" -t tls-kcat 2>"$TMP/kcat.err"
if run kcat-in -b "$SSL" -F "$cfg/tls" -t tls-kcat -e; then
	check_eq "TLS: kcat-in reads what kcat wrote" "$(seq 1 50)" "$(last_out | jq -r .value | sort -n)"
else
	fail "TLS: kcat-in reads what kcat wrote" "exit $?: $(last_err | head -c 300)"
fi
# The same settings through $KPIPE_KAFKA_CONFIG.
if KPIPE_KAFKA_CONFIG=$cfg/tls run kcat-in -b "$SSL" -t tls-kcat -e; then
	check_eq "TLS: settings from \$KPIPE_KAFKA_CONFIG" 50 "$(last_out | wc -l | tr -d ' ')"
else
	fail "TLS: settings from \$KPIPE_KAFKA_CONFIG" "exit $?: $(last_err | head -c 300)"
fi

# untrusted NAME CMD...: exit 3 naming the certificate check
untrusted() {
	local name=$1; shift
	run "$@"
	local rc=$?
	if [ "$rc" -eq 3 ] && last_err | grep -q "certificate verify failed"; then ok "$name"
	else fail "$name" "exit $rc: $(last_err | head -c 300)"; fi
}
untrusted "TLS, untrusted certificate: kout exits 3 naming it" \
	kout -b "$SSL" -F "$cfg/untrusted" -t tls "$TMP/ev"
untrusted "TLS, untrusted certificate: kcat-in exits 3 naming it" \
	kcat-in -b "$SSL" -F "$cfg/untrusted" -t tls -e
untrusted "TLS, untrusted certificate: kcat-in -G exits 3 naming it" \
	kcat-in -b "$SSL" -F "$cfg/untrusted" -G g -t tls -e
# No CA at all: the system's store does not know the test CA either.
untrusted "TLS, no ssl.ca.location: kcat-in exits 3 naming it" \
	kcat-in -b "$SSL" -X security.protocol=SSL -t tls -e

# --- SASL (PLAIN: what Debian's librdkafka 2.0.2 can do with Kafka 4)
roundtrip "SASL/PLAIN" "$SASL" "$cfg/plain" sasl

# refused NAME CMD...: exit 3 naming the failed login
refused() {
	local name=$1; shift
	run "$@"
	local rc=$?
	if [ "$rc" -eq 3 ] && last_err | grep -q "Authentication failed"; then ok "$name"
	else fail "$name" "exit $rc: $(last_err | head -c 300)"; fi
}
refused "SASL/PLAIN, wrong password: kout exits 3 naming it" \
	kout -b "$SASL" -F "$cfg/plain-wrong" -t sasl "$TMP/ev"
refused "SASL/PLAIN, wrong password: kcat-in exits 3 naming it" \
	kcat-in -b "$SASL" -F "$cfg/plain-wrong" -t sasl -e
refused "SASL/PLAIN, wrong password with -X: kcat-in exits 3 naming it" \
	kcat-in -b "$SASL" -X security.protocol=SASL_PLAINTEXT -X sasl.mechanism=PLAIN \
	-X sasl.username=alice -X "sasl.password=$WRONG" -t sasl -G g -e
refused "SASL/PLAIN, wrong password with -X: kout exits 3 naming it" \
	kout -b "$SASL" -X security.protocol=SASL_PLAINTEXT -X sasl.mechanism=PLAIN \
	-X sasl.username=alice -X "sasl.password=$WRONG" -t sasl "$TMP/ev"
# kcat-in --commit FILE logs in too.
printf '{"group":"g","topic":"sasl","partition":0,"offset":1}\n' >"$TMP/offsets"
refused "SASL/PLAIN, wrong password: kcat-in --commit exits 3 naming it" \
	kcat-in -b "$SASL" -F "$cfg/plain-wrong" --commit "$TMP/offsets"

# --- SASL over TLS: what the man pages advise
roundtrip "SASL_SSL/PLAIN" "$SASL_SSL" "$cfg/sasl-ssl" sasl-ssl
kcat -C -b "$SASL_SSL" -F "$cfg/sasl-ssl" -t sasl-ssl -e -q -f '%k %s\n' 2>"$TMP/kcat.err" | sort >"$TMP/got"
check_file_eq "SASL_SSL/PLAIN: kcat reads kout's keys and values" "$TMP/want" "$TMP/got"

# --- SASL/SCRAM-SHA-256.  librdkafka before 2.6.1 answers the broker's
# nonce wrongly and Kafka 4 refuses it (librdkafka PR 4895): then the
# failure must be exit 3 with the reason, and the round trip is done with
# a fixed librdkafka from PyPI's confluent-kafka wheel (newer-rdkafka.sh)
# in place of Debian's, and with Kafka 3.9 below.
rdkafka_version() {	# [LIB]: librdkafka's version number and string
	python3 -c 'import ctypes, sys
l = ctypes.CDLL(sys.argv[1]); l.rd_kafka_version_str.restype = ctypes.c_char_p
print(l.rd_kafka_version(), l.rd_kafka_version_str().decode())' "${1:-librdkafka.so.1}"
}
read -r rdk rdk_str <<<"$(rdkafka_version)"
run kout -b "$SASL" -F "$cfg/scram" -t scram -k user "$TMP/ev" &&
	run kcat-in -b "$SASL" -F "$cfg/scram" -t scram -e
rc=$?
if [ "$rc" -eq 0 ]; then
	last_out | jq -r .value | sort >"$TMP/got"
	check_file_eq "SASL/SCRAM (librdkafka $rdk_str): kout then kcat-in, 200 records" "$TMP/ev.sorted" "$TMP/got"
elif [ "$rdk" -lt $((0x020601ff)) ] && [ "$rc" -eq 3 ] && last_err | grep -q "Authentication failed"; then
	ok "SASL/SCRAM with librdkafka $rdk_str < 2.6.1 on Kafka 4 (librdkafka PR 4895): exit 3 naming the failed login"
else
	fail "SASL/SCRAM round trip (librdkafka $rdk_str)" "exit $rc: $(last_err | head -c 300)"
fi
refused "SASL/SCRAM, wrong password: kout exits 3 naming it" \
	kout -b "$SASL" -F "$cfg/scram-wrong" -t scram "$TMP/ev"
refused "SASL/SCRAM, wrong password: kcat-in exits 3 naming it" \
	kcat-in -b "$SASL" -F "$cfg/scram-wrong" -t scram -e

# The same commands on a fixed librdkafka: only the library changes.
if [ "$rdk" -lt $((0x020601ff)) ]; then
	if newlib=$("$KPIPE_ROOT/tests/kafka/newer-rdkafka.sh" 2>"$TMP/newer.err"); then
		read -r _ new_str <<<"$(rdkafka_version "$newlib/librdkafka.so.1")"
		new="librdkafka $new_str from PyPI's confluent-kafka wheel"
		newpath=$newlib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
		# The loader's own answer: which file each command would run with.
		loaded=$(for c in kout kcat-in; do
			LD_LIBRARY_PATH=$newpath ldd "$KPIPE_BIN/$c" |
				awk -v c="$c" '$1 == "librdkafka.so.1" { print c, $3 }'
		done)
		check_eq "kout and kcat-in load $new with LD_LIBRARY_PATH" \
			"kout $newlib/librdkafka.so.1
kcat-in $newlib/librdkafka.so.1" "$loaded"
		{ sasl_conf SCRAM-SHA-256 "$SECRET" | sed 's/=SASL_PLAINTEXT/=SASL_SSL/'; grep ca.location "$cfg/tls"; } >"$cfg/scram-ssl4"
		LD_LIBRARY_PATH=$newpath \
			roundtrip "Kafka 4, SASL/SCRAM-SHA-256 with $new" "$SASL" "$cfg/scram" scram-new
		LD_LIBRARY_PATH=$newpath \
			roundtrip "Kafka 4, SASL_SSL/SCRAM-SHA-256 with $new" "$SASL_SSL" "$cfg/scram-ssl4" scram-ssl-new
		LD_LIBRARY_PATH=$newpath \
			refused "Kafka 4, SASL/SCRAM with $new, wrong password: kout exits 3 naming it" \
			kout -b "$SASL" -F "$cfg/scram-wrong" -t scram-new "$TMP/ev"
		LD_LIBRARY_PATH=$newpath \
			refused "Kafka 4, SASL/SCRAM with $new, wrong password: kcat-in -G exits 3 naming it" \
			kcat-in -b "$SASL" -F "$cfg/scram-wrong" -G g -t scram-new -e
	elif [ "${KPIPE_REQUIRE_REAL_KAFKA:-0}" = 1 ]; then
		fail "Kafka 4, SASL/SCRAM with a librdkafka >= 2.6.1" "$(tail -n 3 "$TMP/newer.err" | tr '\n' ' ')"
	else
		skip "Kafka 4, SASL/SCRAM with a librdkafka >= 2.6.1" "librdkafka $rdk_str < 2.6.1 and no newer one: $(tail -n 3 "$TMP/newer.err" | tr '\n' ' ')"
	fi
fi

# --- the secret in error paths of the configuration itself
# A Java-style line ("key value") and Java's JAAS string are not for
# librdkafka: usage errors that must not echo the line.
printf 'security.protocol=SASL_PLAINTEXT\nsasl.password %s\n' "$SECRET" >"$cfg/java-style"
check_exit "config file line without '=': usage error" 2 kcat-in -b "$SASL" -F "$cfg/java-style" -t sasl -e
cp "$TMP/.out" "$TMP/out/java-style.err"
printf 'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="%s";\n' \
	"$SECRET" >"$cfg/jaas"
check_exit "sasl.jaas.config (Java only): usage error" 2 kout -b "$SASL" -F "$cfg/jaas" -t sasl "$TMP/ev"
cp "$TMP/.out" "$TMP/out/jaas.err"
check_exit "-X sasl.password without '=': usage error" 2 kout -b "$SASL" -X "sasl.password$SECRET" -t sasl "$TMP/ev"
cp "$TMP/.out" "$TMP/out/noeq.err"
# Java's other separators: the whole argument would be the "key".
check_exit "-X sasl.password:VALUE: usage error" 2 kcat-in -b "$SASL" -X "sasl.password:$WRONG" -t sasl -e
cp "$TMP/.out" "$TMP/out/colon.err"
check_exit "-X 'sasl.password VALUE': usage error" 2 kout -b "$SASL" -X "sasl.password $WRONG" -t sasl "$TMP/ev"
cp "$TMP/.out" "$TMP/out/space.err"
# librdkafka's own debug output, everything it has, while logging in.
run kcat-in -b "$SASL" -F "$cfg/plain" -X debug=all -t sasl -e
check_eq "SASL/PLAIN with -X debug=all: exit 0" 0 $?

# --- ps: a password given in a file is not on the command line
: >"$TMP/ps.out"	# exists before the loop reads it
kcat-in -b "$SASL" -F "$cfg/plain" -G ps -t sasl >>"$TMP/ps.out" 2>"$TMP/out/ps.err" & pk=$!
for ((i = 0; i < 300; i++)); do
	[ "$(wc -l <"$TMP/ps.out")" -ge 200 ] && break
	kill -0 $pk 2>/dev/null || break
	sleep 0.1
done
args=$(ps -ww -o args= -p $pk)
kill $pk; wait $pk
check_eq "SASL/PLAIN consumer in a group reads 200 records" 200 "$(wc -l <"$TMP/ps.out" | tr -d ' ')"
case "$args" in
*kcat-in*"$cfg/plain"*)
	case "$args" in
	*"$SECRET"*) fail "ps shows no secret given through -F" "$args" ;;
	*) ok "ps shows no secret given through -F" ;;
	esac ;;
*) fail "ps shows no secret given through -F" "the consumer was not found in ps: [$args]" ;;
esac

# --- SCRAM with old librdkafka: against Kafka 3.9, whose brokers still
# accept it, over TLS.  One broker at a time: the machine is small.
if [ "$rdk" -lt $((0x020601ff)) ]; then
	"$broker" stop "$TMP/kafka"
	# A cache named by the caller holds 4.0's jars: 3.9's go next to it.
	if KPIPE_KAFKA_VERSION=3.9.1 KPIPE_KAFKA_HEAP=${KPIPE_KAFKA_HEAP:--Xmx384m} \
		KPIPE_KAFKA_CACHE=${KPIPE_KAFKA_CACHE:+$KPIPE_KAFKA_CACHE-3.9.1} \
		"$broker" start "$TMP/kafka39" --secure >"$TMP/addrs39" 2>"$TMP/broker39.err"; then
		S39=$(awk '$1 == "sasl_ssl" { print $2 }' "$TMP/addrs39")
		{ sasl_conf SCRAM-SHA-256 "$SECRET" | sed 's/=SASL_PLAINTEXT/=SASL_SSL/'
		  printf 'ssl.ca.location=%s\n' "$TMP/kafka39/tls/ca.pem"; } >"$cfg/scram-ssl"
		{ sasl_conf SCRAM-SHA-256 "$WRONG" | sed 's/=SASL_PLAINTEXT/=SASL_SSL/'
		  printf 'ssl.ca.location=%s\n' "$TMP/kafka39/tls/ca.pem"; } >"$cfg/scram-ssl-wrong"
		roundtrip "Kafka 3.9, SASL_SSL/SCRAM-SHA-256" "$S39" "$cfg/scram-ssl" scram
		refused "Kafka 3.9, SASL_SSL/SCRAM, wrong password: kcat-in exits 3 naming it" \
			kcat-in -b "$S39" -F "$cfg/scram-ssl-wrong" -t scram -e
	elif [ "${KPIPE_REQUIRE_REAL_KAFKA:-0}" = 1 ]; then
		fail "Kafka 3.9 broker for SCRAM" "$(tail -n 5 "$TMP/broker39.err")"
	else
		skip "Kafka 3.9 broker for SCRAM" "did not start: $(tail -n 5 "$TMP/broker39.err")"
	fi
fi

# --- no secret in any output of any run above
runs=$(ls "$TMP/out" | wc -l)
if grep -l -r -e "$SECRET" -e "$WRONG" "$TMP/out" >"$TMP/leaks"; then
	fail "no secret in the output of $runs runs" "$(head -n 3 "$TMP/leaks" | tr '\n' ' '): $(grep -h -o -r ".\{0,60\}\($SECRET\|$WRONG\).\{0,20\}" "$TMP/out" | head -n 2 |
		sed "s/$SECRET\|$WRONG/<the secret>/g")"
else
	ok "no secret in the output of $runs runs"
fi
