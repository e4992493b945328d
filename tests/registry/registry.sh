#!/usr/bin/env bash
# A schema registry speaking the Confluent REST API, for tests: Apicurio
# Registry with in-memory storage, its Confluent-compatible API under
# /apis/ccompat/v7.
#
#   registry.sh fetch         download the distribution through Maven into
#                             the cache
#   registry.sh start DIR     start it on free loopback ports, wait until it
#                             answers; prints the URL to give clients
#                             (http://127.0.0.1:PORT/apis/ccompat/v7)
#   registry.sh stop DIR      stop the registry started in DIR (its schemas
#                             are gone with it)
#
# Apicurio is a Quarkus application that opens two listeners, the API and
# the management interface (health, metrics); both are bound to 127.0.0.1
# on ports chosen at run time, so tests running at once do not collide.
# It needs Java 21 or later: $KPIPE_REGISTRY_JAVA_HOME, default the Temurin
# 25 JDK, used for the registry only (Kafka keeps the default java).
#
# The distribution (io.apicurio:apicurio-registry-app, classifier "all",
# a tar.gz) comes from Maven Central and is unpacked in
# $KPIPE_REGISTRY_CACHE (default ~/.cache/kpipe/apicurio-VERSION), so only
# the first run downloads.
# Exit status: 0 ok, 1 failure (message on stderr).
set -u
APICURIO_VERSION=${KPIPE_APICURIO_VERSION:-3.3.3}
cache=${KPIPE_REGISTRY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kpipe/apicurio-$APICURIO_VERSION}
java_home=${KPIPE_REGISTRY_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
heap=${KPIPE_REGISTRY_HEAP:--Xmx384m}

die() { echo "registry.sh: $*" >&2; exit 1; }

fetch() {
	[ -f "$cache/app/.complete" ] && return 0
	command -v mvn >/dev/null || die "mvn not found (make deps installs maven)"
	mkdir -p "$cache" || die "cannot create $cache"
	rm -rf "$cache/app" "$cache/dist"
	(cd "$cache" && mvn -q -B dependency:copy \
		-Dartifact="io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all" \
		-DoutputDirectory=dist) >"$cache/mvn.log" 2>&1 ||
		{ tail -n 20 "$cache/mvn.log" >&2; die "maven could not fetch apicurio-registry-app:$APICURIO_VERSION"; }
	mkdir -p "$cache/app" && tar -xzf "$cache"/dist/apicurio-registry-app-*-all.tar.gz -C "$cache/app" ||
		die "cannot unpack the Apicurio distribution into $cache/app"
	[ -f "$cache/app/quarkus-run.jar" ] || die "no quarkus-run.jar in $cache/app"
	rm -rf "$cache/dist"
	touch "$cache/app/.complete"
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start() {
	[ -x "$java_home/bin/java" ] || die "no Java 21+ at $java_home (set KPIPE_REGISTRY_JAVA_HOME)"
	fetch || exit 1
	mkdir -p "$dir/work" || die "cannot create $dir"
	local port mport url i
	port=$(free_port) mport=$(free_port)
	url=http://127.0.0.1:$port/apis/ccompat/v7
	# The in-memory H2 database keeps a pool of 20 connections by
	# default; two are plenty for a test.  Snapshots and imports go to
	# DIR, not /tmp.
	(cd "$dir" && JAVA_HOME=$java_home exec "$java_home/bin/java" $heap \
		-XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
		-Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" \
		-Dquarkus.http.ssl-port=0 -Dquarkus.http.insecure-requests=enabled \
		-Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$mport" \
		-Dapicurio.storage.kind=sql -Dapicurio.storage.sql.kind=h2 \
		-Dapicurio.datasource.jdbc.initial-size=2 -Dapicurio.datasource.jdbc.min-size=2 \
		-Dapicurio.storage.snapshot.location="$dir/work" -Dapicurio.import.work-dir="$dir/work" \
		-jar "$cache/app/quarkus-run.jar") >>"$dir/registry.log" 2>&1 &
	echo $! >"$dir/pid"
	echo "$url" >"$dir/url"
	for ((i = 0; i < 240; i++)); do
		kill -0 "$(cat "$dir/pid")" 2>/dev/null ||
			{ tail -n 20 "$dir/registry.log" >&2; rm -f "$dir/pid"; die "registry exited during start-up"; }
		if curl -sf -o /dev/null "$url/subjects"; then
			echo "$url"
			return 0
		fi
		sleep 0.5
	done
	stop
	die "registry did not answer within 120 s (log: $dir/registry.log)"
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
start) dir=${2:?registry.sh start DIR}; dir=$(mkdir -p "$dir" && cd "$dir" && pwd) || exit 1; start ;;
stop) dir=${2:?registry.sh stop DIR}; stop ;;
*) echo "usage: registry.sh fetch | start DIR | stop DIR" >&2; exit 2 ;;
esac
