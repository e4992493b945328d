#!/usr/bin/env bash
# kout -s value=avro: JSON events encoded in Avro and produced to librdkafka's
# mock cluster, with the schema registered in a real registry
# (tests/registry/registry.sh), next to what a team would otherwise write:
# confluent-kafka's Producer with its AvroSerializer (fastavro underneath),
# reading the same JSON lines.  Also kout without Avro, for what the
# encoding costs.  The two sides take turns run by run.
# Target: >= 3x the Python serializer.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
N=${BENCH_AVRO_N:-200000}
py=${KPIPE_SPARK_VENV:-$HOME/.cache/kpipe/venv}/bin/python
if ! "$py" -c 'import fastavro, confluent_kafka' 2>/dev/null; then
	echo "b_avro: skipped: no fastavro/confluent-kafka (make registry-deps)"
	exit 0
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/kpipe-bench-avro.XXXXXX")
registry=$KPIPE_ROOT/tests/registry/registry.sh
mock-kafka >"$dir/mock.out" 2>"$dir/mock.err" </dev/null & mock=$!
trap '"$registry" stop "$dir/reg"; kill $mock; wait $mock 2>/dev/null; rm -rf "$dir"' EXIT
REG=$("$registry" start "$dir/reg") || { echo "b_avro: the registry did not start"; exit 1; }
for ((i = 0; i < 100; i++)); do [ -s "$dir/mock.out" ] && break; sleep 0.1; done
B=$(head -n 1 "$dir/mock.out")
mkdir -p "$BENCH_DATA"
ev=$BENCH_DATA/events-$N.json
events "$ev" "$N"
schema=$KPIPE_ROOT/tests/avro/event.avsc

cat >"$dir/produce.py" <<'PY'
import datetime, json, sys
from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import SerializationContext, MessageField
b, reg, schema, path = sys.argv[1:5]
ser = AvroSerializer(SchemaRegistryClient({"url": reg}), open(schema).read())
p = Producer({"bootstrap.servers": b, "linger.ms": 20, "enable.idempotence": True, "acks": "all"})
ctx = SerializationContext("out-py", MessageField.VALUE)
for line in open(path):
    r = json.loads(line)
    r["timestamp"] = datetime.datetime.fromisoformat(r["timestamp"].replace("Z", "+00:00"))
    while True:
        try:
            p.produce("out-py", ser(r, ctx))
            break
        except BufferError:
            p.poll(0.1)
    p.poll(0)
p.flush()
PY

rss() { { /usr/bin/time -f %M bash -c "$1 >/dev/null 2>/dev/null"; } 2>&1 | tail -n 1; }
l0=$(load)
kavro="kout -b $B -t out-kout -s value=avro --registry $REG --schema $schema $ev"
read -r k o <<<"$(pair "$kavro" "$py $dir/produce.py $B $REG $schema $ev")"
row "avro encode+produce $N events" "$k" "$o" "confluent" ">=3x"
read -r k o <<<"$(pair "$kavro" "kout -b $B -t out-json $ev")"
row "avro: kout -s value=avro vs kout JSON" "$k" "$o" "kout json" "(information: <1 is the cost)"
echo "b_avro: max RSS kout -s value=avro $(rss "$kavro") KiB, Python $(rss "$py $dir/produce.py $B $REG $schema $ev") KiB"
echo "b_avro: load average $l0 before, $(load) after (1, 5, 15 min)"
