"""The Python side of tests/bench/b_avro.sh.

  avro_bench.py fill BROKERS REGISTRY N
      N order events, registered and framed as Confluent's serializer
      does (fastavro for speed), to topic "avro"; the same events as JSON
      text to topic "json".
  avro_bench.py confluent BROKERS REGISTRY N
      reads N messages of "avro" with Confluent's AvroDeserializer and
      writes each as a JSON line (what kcat-in does), to standard output.
  avro_bench.py fastavro BROKERS REGISTRY N
      the same with fastavro's schemaless_reader on the body, the schema
      fetched once.
"""
import datetime
import decimal
import io
import json
import struct
import sys

import fastavro
from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext

SCHEMA = {"type": "record", "name": "Order", "namespace": "bench", "fields": [
    {"name": "user", "type": "string"},
    {"name": "action", "type": {"type": "enum", "name": "Action", "symbols": ["view", "cart", "buy", "refund"]}},
    {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
    {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}},
    {"name": "items", "type": "int"},
    {"name": "country", "type": ["null", "string"]},
    {"name": "tags", "type": {"type": "array", "items": "string"}},
]}
ACTIONS = ["view", "cart", "buy", "refund"]
UTC = datetime.timezone.utc
T0 = datetime.datetime(2024, 3, 1, tzinfo=UTC)


def event(i):
    return {"user": "u%04d" % (i % 5000), "action": ACTIONS[i % 4],
            "at": T0 + datetime.timedelta(milliseconds=37 * i),
            "amount": decimal.Decimal(i % 100000) / 100, "items": i % 7,
            "country": None if i % 5 == 0 else ["DE", "FR", "US", "JP"][i % 4],
            "tags": ["a", "b"][: i % 3]}


def as_json(v):
    return json.dumps(v, default=str, separators=(",", ":"))


def fill(brokers, reg_url, n):
    sid = SchemaRegistryClient({"url": reg_url}).register_schema("avro-value", Schema(json.dumps(SCHEMA), "AVRO"))
    parsed = fastavro.parse_schema(SCHEMA)
    p = Producer({"bootstrap.servers": brokers, "linger.ms": 20, "queue.buffering.max.messages": 1000000})
    head = b"\x00" + struct.pack(">I", sid)
    for i in range(n):
        e = event(i)
        body = io.BytesIO()
        fastavro.schemaless_writer(body, parsed, e)
        p.produce("avro", head + body.getvalue())
        e["at"] = e["at"].isoformat(timespec="milliseconds").replace("+00:00", "Z")
        p.produce("json", as_json(e).encode())
        if i % 10000 == 0:
            p.poll(0)
    p.flush(120)


def consumer(brokers):
    c = Consumer({"bootstrap.servers": brokers, "group.id": "bench", "auto.offset.reset": "earliest",
                  "enable.auto.commit": False})
    c.subscribe(["avro"])
    return c


def messages(brokers, n):
    c = consumer(brokers)
    seen = 0
    while seen < n:
        for m in c.consume(1000, 5):
            if m.error():
                continue
            seen += 1
            yield m
    c.close()


def read_confluent(brokers, reg_url, n):
    des = AvroDeserializer(SchemaRegistryClient({"url": reg_url}))
    ctx = SerializationContext("avro", MessageField.VALUE)
    out = sys.stdout
    for m in messages(brokers, n):
        out.write(as_json(des(m.value(), ctx)) + "\n")


def read_fastavro(brokers, reg_url, n):
    reg = SchemaRegistryClient({"url": reg_url})
    schemas = {}
    out = sys.stdout
    for m in messages(brokers, n):
        v = m.value()
        sid = struct.unpack(">I", v[1:5])[0]
        if sid not in schemas:
            schemas[sid] = fastavro.parse_schema(json.loads(reg.get_schema(sid).schema_str))
        out.write(as_json(fastavro.schemaless_reader(io.BytesIO(v[5:]), schemas[sid])) + "\n")


if __name__ == "__main__":
    cmd, brokers, reg_url, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    {"fill": fill, "confluent": read_confluent, "fastavro": read_fastavro}[cmd](brokers, reg_url, n)
