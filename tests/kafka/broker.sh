#!/usr/bin/env bash
# A single-node Apache Kafka 4.x (KRaft) broker for tests and benchmarks.
#
#   broker.sh fetch           download the jars through Maven into the cache
#   broker.sh start DIR       format storage in DIR, start on a free loopback
#                             port, wait until it answers; prints host:port
#   broker.sh stop DIR        stop the broker started in DIR (data kept)
#   broker.sh restart DIR     start it again on the same port and storage
#   broker.sh start DIR --secure
#                             also open TLS, SASL and SASL-over-TLS listeners;
#                             prints the plaintext host:port first, then
#                             "ssl HOST:PORT", "sasl HOST:PORT" and
#                             "sasl_ssl HOST:PORT" lines
#
# Messages are kept whatever their timestamps (log.retention.ms=-1): tests
# and benchmarks produce events stamped with their 2024 event times, which
# the default seven days would delete at the broker's first retention check.
#
# --secure makes, with openssl, a CA (DIR/tls/ca.pem) and a broker
# certificate for 127.0.0.1 and localhost, and the user alice (password in
# DIR/tls/alice.password) for SASL: SCRAM-SHA-256, created when it formats
# the storage, and PLAIN, because librdkafka before 2.6.1 cannot do SCRAM
# with Kafka 4 (librdkafka PR 4895: it sent the server's nonce wrong).
# The plaintext listener stays, for the readiness check and for callers
# that do not care.  The extra addresses are also in DIR/ssl.addr,
# DIR/sasl.addr and DIR/sasl_ssl.addr; restart keeps them.
#
# The jars come from Maven Central (org.apache.kafka:kafka_2.13 and its
# runtime dependencies) and are cached in $KPIPE_KAFKA_CACHE (default
# ~/.cache/kpipe/kafka-VERSION) and ~/.m2, so only the first run downloads.
# Exit status: 0 ok, 1 failure (message on stderr).
set -u
KAFKA_VERSION=${KPIPE_KAFKA_VERSION:-4.0.0}
cache=${KPIPE_KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kpipe/kafka-$KAFKA_VERSION}
heap=${KPIPE_KAFKA_HEAP:--Xmx512m}

die() { echo "broker.sh: $*" >&2; exit 1; }

fetch() {
	[ -f "$cache/lib/.complete" ] && return 0
	command -v mvn >/dev/null || die "mvn not found (make deps installs maven)"
	command -v java >/dev/null || die "java not found (make deps installs default-jdk-headless)"
	mkdir -p "$cache" || die "cannot create $cache"
	# A throw-away project whose only purpose is to name the dependency.
	cat >"$cache/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>kpipe</groupId>
  <artifactId>kafka-for-tests</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>$KAFKA_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j2-impl</artifactId>
      <version>2.24.3</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-core</artifactId>
      <version>2.24.3</version>
    </dependency>
  </dependencies>
</project>
EOF
	rm -rf "$cache/lib"
	(cd "$cache" && mvn -q -B dependency:copy-dependencies \
		-DincludeScope=runtime -DoutputDirectory=lib) >"$cache/mvn.log" 2>&1 ||
		{ tail -n 20 "$cache/mvn.log" >&2; die "maven could not fetch kafka_2.13:$KAFKA_VERSION"; }
	ls "$cache"/lib/kafka_2.13-*.jar >/dev/null 2>&1 || die "no kafka jar in $cache/lib"
	touch "$cache/lib/.complete"
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

java_run() {	# CLASS ARGS...: run a Kafka class with the cached jars
	local class=$1; shift
	exec java $heap -Xss1m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
		-Dlog4j2.configurationFile="$dir/log4j2.properties" \
		-cp "$cache/lib/*" "$class" "$@"
}

launch() {
	local port
	port=$(cat "$dir/port")
	# java_run execs java in the background subshell: $! is the broker.
	(java_run kafka.Kafka "$dir/server.properties") >>"$dir/broker.log" 2>&1 &
	echo $! >"$dir/pid"
	# Ready when the broker accepts connections and answers metadata.
	local i
	for ((i = 0; i < 240; i++)); do
		kill -0 "$(cat "$dir/pid")" 2>/dev/null || { tail -n 20 "$dir/broker.log" >&2; die "broker exited during start-up"; }
		if kcat -b "127.0.0.1:$port" -L -m 2 >/dev/null 2>&1; then
			echo "127.0.0.1:$port"
			[ -f "$dir/ssl.addr" ] && echo "ssl $(cat "$dir/ssl.addr")"
			[ -f "$dir/sasl.addr" ] && echo "sasl $(cat "$dir/sasl.addr")"
			[ -f "$dir/sasl_ssl.addr" ] && echo "sasl_ssl $(cat "$dir/sasl_ssl.addr")"
			return 0
		fi
		sleep 0.5
	done
	stop
	die "broker did not answer within 120 s (log: $dir/broker.log)"
}

# A CA and a broker certificate signed by it, valid for the loopback names
# librdkafka may check (it verifies the host name by default).
make_certs() {
	local t=$dir/tls
	mkdir -p "$t" || die "cannot create $t"
	{
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=kpipe test CA" \
			-keyout "$t/ca.key" -out "$t/ca.pem" &&
		openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
			-keyout "$t/broker.key" -out "$t/broker.csr" &&
		printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$t/san.ext" &&
		openssl x509 -req -in "$t/broker.csr" -CA "$t/ca.pem" -CAkey "$t/ca.key" \
			-CAcreateserial -days 2 -extfile "$t/san.ext" -out "$t/broker.pem" &&
		# Kafka's PEM keystore wants the key in PKCS#8 followed by the chain.
		openssl pkcs8 -topk8 -nocrypt -in "$t/broker.key" -out "$t/broker.p8" &&
		cat "$t/broker.p8" "$t/broker.pem" "$t/ca.pem" >"$t/keystore.pem"
	} >"$t/openssl.log" 2>&1 || { tail -n 20 "$t/openssl.log" >&2; die "openssl could not make the certificates"; }
	echo alice-secret >"$t/alice.password"
}

start() {
	fetch || exit 1
	mkdir -p "$dir" || die "cannot create $dir"
	local port cport sport aport asport id listeners protomap scram=() l
	port=$(free_port) cport=$(free_port)
	echo "$port" >"$dir/port"
	listeners=PLAINTEXT://127.0.0.1:$port
	protomap=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
	rm -f "$dir/ssl.addr" "$dir/sasl.addr" "$dir/sasl_ssl.addr"
	if [ "$secure" = 1 ]; then
		make_certs
		sport=$(free_port) aport=$(free_port) asport=$(free_port)
		echo "127.0.0.1:$sport" >"$dir/ssl.addr"
		echo "127.0.0.1:$aport" >"$dir/sasl.addr"
		echo "127.0.0.1:$asport" >"$dir/sasl_ssl.addr"
		listeners=$listeners,SSL://127.0.0.1:$sport,SASL_PLAINTEXT://127.0.0.1:$aport,SASL_SSL://127.0.0.1:$asport
		protomap=$protomap,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL
		scram=(--add-scram "SCRAM-SHA-256=[name=alice,password=$(cat "$dir/tls/alice.password")]")
	fi
	cat >"$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=$listeners,CONTROLLER://127.0.0.1:$cport
advertised.listeners=$listeners
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=$protomap
log.dirs=$dir/data
num.partitions=4
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
message.max.bytes=4194304
log.retention.ms=-1
EOF
	[ "$secure" = 1 ] && cat >>"$dir/server.properties" <<EOF
ssl.keystore.type=PEM
ssl.keystore.location=$dir/tls/keystore.pem
ssl.client.auth=none
sasl.enabled.mechanisms=SCRAM-SHA-256,PLAIN
EOF
	[ "$secure" = 1 ] && for l in sasl_plaintext sasl_ssl; do
		cat >>"$dir/server.properties" <<EOF
listener.name.$l.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.$l.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="$(cat "$dir/tls/alice.password")";
EOF
	done
	cat >"$dir/log4j2.properties" <<EOF
rootLogger.level=WARN
rootLogger.appenderRef.out.ref=out
appender.out.type=Console
appender.out.name=out
appender.out.layout.type=PatternLayout
appender.out.layout.pattern=%d %p %c: %m%n
EOF
	# A base64 id may begin with "-": hence --cluster-id=ID below.
	id=$(python3 -c 'import base64,uuid; print(base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("="))')
	(java_run kafka.tools.StorageTool format --cluster-id="$id" -c "$dir/server.properties" "${scram[@]}" \
		) >"$dir/format.log" 2>&1 || { tail -n 20 "$dir/format.log" >&2; die "formatting storage failed"; }
	launch
}

stop() {
	[ -f "$dir/pid" ] || return 0
	local pid i
	pid=$(cat "$dir/pid")
	kill "$pid" 2>/dev/null
	for ((i = 0; i < 60; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.5
	done
	kill -9 "$pid" 2>/dev/null
	rm -f "$dir/pid"
}

case "${1:-}" in
fetch) fetch ;;
start)
	dir=${2:?broker.sh start DIR} secure=0
	case "${3:-}" in
	"") ;;
	--secure) secure=1 ;;
	*) die "start: unknown option $3" ;;
	esac
	start ;;
stop) dir=${2:?broker.sh stop DIR}; stop ;;
restart) dir=${2:?broker.sh restart DIR}; stop; launch ;;
*) echo "usage: broker.sh fetch | start DIR [--secure] | stop DIR | restart DIR" >&2; exit 2 ;;
esac
