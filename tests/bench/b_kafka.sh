#!/usr/bin/env bash
# kcat-in consume rate and kout produce rate against a real Kafka broker
# (tests/kafka/broker.sh), each next to Debian's kcat doing the same in the
# same run: `kcat -C -J -e` and `kcat -P`.  110-byte JSON events.
# Targets: >= 1.0x kcat both ways, >= 500k msg/s consume.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
N=${BENCH_KAFKA_N:-1000000}
broker=$KPIPE_ROOT/tests/kafka/broker.sh

if ! command -v java >/dev/null || ! command -v mvn >/dev/null || ! command -v kcat >/dev/null; then
	echo "b_kafka: skipped: java, mvn or kcat missing (make deps)"
	exit 0
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/kpipe-bench-kafka.XXXXXX")
trap '"$broker" stop "$dir"; rm -rf "$dir"' EXIT
B=$("$broker" start "$dir") || { echo "b_kafka: the broker did not start"; exit 1; }
ev=$BENCH_DATA/events-$N.json
events "$ev" "$N"

# The topic both consumers read, filled once.
kcat -P -b "$B" -t src -X linger.ms=20 <"$ev" || exit 1

rate() { awk -v n="$N" -v s="$1" 'BEGIN { printf "%.0f", (s > 0) ? n / s : 0 }'; }

k=$(median_time "kcat-in -b $B -t src -e >/dev/null")
o=$(median_time "kcat -C -J -e -q -b $B -t src >/dev/null")
row "kafka consume $N msgs ($(rate "$k") msg/s)" "$k" "$o" "kcat -C -J" ">=1.0x, >=500k msg/s"

# Produce.  kout runs with its defaults: idempotent, acks=all, linger.ms=20,
# one request in flight.  kcat -P is given the same acks (acks=all is also
# librdkafka's default) and otherwise its defaults: not idempotent,
# linger.ms=5, up to 1000000 requests in flight.  A second row gives kcat the
# idempotence kout has, for the same guarantees.  The programs take turns,
# run by run, so that a change in the machine's load falls on both sides.
l0=$(load)
read -r k o <<<"$(pair "kout -b $B -t out-kout <$ev" "kcat -P -b $B -t out-kcat -X acks=all <$ev")"
row "kafka produce $N msgs ($(rate "$k") msg/s)" "$k" "$o" "kcat -P" ">=1.0x, same acks=all"
read -r k o <<<"$(pair "kout -b $B -t out-kout <$ev" \
	"kcat -P -b $B -t out-kcat -X acks=all -X enable.idempotence=true <$ev")"
row "kafka produce $N msgs, kcat idempotent too" "$k" "$o" "kcat -P" "(information)"
echo "b_kafka: produce: load average $l0 before, $(load) after (1, 5, 15 min)"
