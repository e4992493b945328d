#!/usr/bin/env bash
# kcat-in decoding Avro (-s value=avro, Confluent wire format, a real
# schema registry) against Python's Confluent AvroDeserializer and
# fastavro's schemaless_reader, each writing a JSON line per message, and
# against kcat-in reading the same events as JSON (--value json), all on
# one real Kafka broker in the same run, taking turns.  Debian's kcat has
# no Avro (its -s avro says so), so there is no kcat row.
# Targets: >= 10x Python's deserializer; Avro within 2x of JSON.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
N=${BENCH_AVRO_N:-200000}
broker=$KPIPE_ROOT/tests/kafka/broker.sh
registry=$KPIPE_ROOT/tests/registry/registry.sh
py=${KPIPE_SPARK_VENV:-$HOME/.cache/kpipe/venv}/bin/python

if ! command -v java >/dev/null || ! command -v mvn >/dev/null ||
	! "$py" -c 'import fastavro, confluent_kafka' 2>/dev/null; then
	echo "b_avro_decode: skipped: java, mvn, or fastavro/confluent-kafka in the venv missing (make deps registry-deps)"
	exit 0
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/kpipe-bench-avro.XXXXXX")
trap '"$registry" stop "$dir/registry"; "$broker" stop "$dir/kafka"; rm -rf "$dir"' EXIT
B=$("$broker" start "$dir/kafka") || { echo "b_avro_decode: the broker did not start"; exit 1; }
REG=$("$registry" start "$dir/registry") || { echo "b_avro_decode: the registry did not start"; exit 1; }
bench=$KPIPE_ROOT/tests/bench/avro_bench.py
"$py" "$bench" fill "$B" "$REG" "$N" || exit 1

if kcat -C -b "$B" -t avro -c 1 -s value=avro -r "$REG" -e -q 2>&1 | grep -q "lacks Avro"; then
	echo "b_avro_decode: Debian's kcat: \"This build of kcat lacks Avro/Schema-Registry support\": no kcat row"
fi

rate() { awk -v n="$N" -v s="$1" 'BEGIN { printf "%.0f", (s > 0) ? n / s : 0 }'; }
# The commands take turns, run by run, so that the load of a busy machine
# falls on all of them alike; each column is the median.
turns() {
	local i c t
	declare -A times
	for ((i = 0; i < BENCH_RUNS; i++)); do
		for c in "$@"; do
			t=$( { /usr/bin/time -f %e bash -c "$c >/dev/null 2>/dev/null"; } 2>&1 | tail -n 1)
			times[$c]+="$t "
		done
	done
	for c in "$@"; do
		printf '%s\n' ${times[$c]} | sort -g | awk '{a[NR]=$1} END {printf "%s ", a[int((NR+1)/2)]}'
	done
	echo
}
avro="kcat-in -b $B -t avro -e -s value=avro --registry $REG"
json="kcat-in -b $B -t json -e --value json"
l0=$(load)
read -r a c f j a1 j1 <<<"$(turns "$avro" "$py $bench confluent $B $REG $N" "$py $bench fastavro $B $REG $N" \
	"$json" "$avro -c 1" "$json -c 1")"
row "avro decode $N msgs ($(rate "$a") msg/s)" "$a" "$c" "py conflnt" ">=10x"
row "avro decode $N msgs" "$a" "$f" "py fastavr" "(information)"
row "avro decode vs the same events as JSON" "$a" "$j" "kcat-in js" ">=0.5x (within 2x)"
# Avro adds a fixed cost at start (libcurl and avro-c loaded, the registry
# asked twice): the same rows with the time of reading one message taken
# off each side, which leaves the cost per message.
minus() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; printf "%.2f", (d > 0.01 ? d : 0.01) }'; }
row "  per message (start-up of -c 1 taken off)" "$(minus "$a" "$a1")" "$(minus "$j" "$j1")" "kcat-in js" ">=0.5x (within 2x)"
echo "b_avro_decode: start-up, reading one message: avro ${a1}s, json ${j1}s"
rss=$( { /usr/bin/time -f %M bash -c "$avro >/dev/null 2>/dev/null"; } 2>&1 | tail -n 1)
echo "b_avro_decode: kcat-in -s value=avro max RSS ${rss} KB; load average $l0 before, $(load) after (1, 5, 15 min)"
