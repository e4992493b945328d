#!/usr/bin/env bash
# kcat-in's and kout's command lines, where no broker is needed: brokers
# must be named somewhere, and kout's two modes do not mix.
. "$(dirname "$0")/../lib.sh"
unset KPIPE_KAFKA_CONFIG

# no_brokers NAME CMD...: a usage error at once, naming -b (timeout: the
# command must not wait for a broker that is never named).
no_brokers() {
	local name=$1; shift
	echo '{}' | timeout 5 "$@" >"$TMP/out" 2>"$TMP/err"
	local rc=$?
	if [ "$rc" -eq 2 ] && grep -q -- "-b BROKERS" "$TMP/err" && grep -q -- "--help" "$TMP/err"; then
		ok "$name"
	else
		fail "$name" "exit $rc: $(head -c 300 "$TMP/err")"
	fi
}
no_brokers "kcat-in without brokers: usage error at once" kcat-in -t events -e
no_brokers "kcat-in --commit without brokers: usage error" kcat-in -G g --commit /dev/null
no_brokers "kout without brokers: usage error at once" kout -t events
no_brokers "kout --envelope without brokers: usage error" kout --envelope

# Brokers from a file, -X or $KPIPE_KAFKA_CONFIG count: these get past the
# check and fail on the unreachable address instead (exit 3).
printf 'bootstrap.servers=127.0.0.1:9\n' >"$TMP/b.properties"
check_exit "kcat-in: bootstrap.servers from -F" 3 \
	timeout 20 kcat-in -F "$TMP/b.properties" -t events -e --timeout 1
check_exit "kcat-in: metadata.broker.list from -X" 3 \
	timeout 20 kcat-in -X metadata.broker.list=127.0.0.1:9 -t events -e --timeout 1
check_exit "kcat-in: bootstrap.servers from \$KPIPE_KAFKA_CONFIG" 3 \
	env KPIPE_KAFKA_CONFIG="$TMP/b.properties" timeout 20 kcat-in -t events -e --timeout 1
echo '{"a":"x"}' >"$TMP/one"
check_exit "kout: bootstrap.servers from \$KPIPE_KAFKA_CONFIG" 3 \
	env KPIPE_KAFKA_CONFIG="$TMP/b.properties" timeout 20 kout -t events \
	-X message.timeout.ms=1000 "$TMP/one"

# kout: a display option with a Kafka destination is a usage error, and so
# is any pair of output formats.
check_exit "kout --csv with -b: usage error" 2 kout --csv -b 127.0.0.1:9 -t t "$TMP/one"
check_exit "kout --chart with -t: usage error" 2 kout --chart bar --x a -t t "$TMP/one"
check_exit "kout --columns with --envelope: usage error" 2 kout --columns a --envelope "$TMP/one"
check_exit "kout -k is a Kafka letter: with --table, usage error" 2 \
	kout --table --refresh 1s -k a "$TMP/one"
check_exit "kout -k alone: a Kafka option, so a usage error (no topic)" 2 kout -k a "$TMP/one"
check_exit "kout --table --csv: usage error" 2 kout --table --csv "$TMP/one"
check_exit "kout --csv --ndjson: usage error" 2 kout --csv --ndjson "$TMP/one"
check_exit "kout --format tsv --markdown: usage error" 2 kout --format tsv --markdown "$TMP/one"
check_exit "kout --chart bar --table: usage error" 2 kout --chart bar --x a --table "$TMP/one"
check_exit "kout --chart bar --format csv: usage error" 2 kout --chart bar --x a --format csv "$TMP/one"
check_exit "kout --chart bar --format svg: the chart as SVG" 0 kout --chart bar --x a --format svg "$TMP/one"
check_exit "kout --format csv --csv: the same format" 0 kout --format csv --csv "$TMP/one"

# kcat-in's own checks, before any broker is asked.
check_exit "kcat-in: no topic" 2 kcat-in -b 127.0.0.1:9
check_exit "kcat-in: -p with -G" 2 kcat-in -b 127.0.0.1:9 -t t -G g -p 0
check_exit "kcat-in: a pattern without -G" 2 kcat-in -b 127.0.0.1:9 -t '^t'
check_exit "kcat-in: -c 0" 2 kcat-in -b 127.0.0.1:9 -t t -c 0
check_exit "kcat-in: a bad -o" 2 kcat-in -b 127.0.0.1:9 -t t -o soon
check_exit "kcat-in: an operand" 2 kcat-in -b 127.0.0.1:9 -t t file
