"""Read back what kout wrote to a topic in Avro, with readers no one here
wrote: confluent-kafka's consumer, the registry's REST API (requests), and
fastavro's schemaless_reader on the bytes after Confluent's 5-byte header.

    read(bootstrap, registry_url, topic) -> list of Message, in offset order
    per partition (the topics of these tests have one partition).
"""
import io
import json
import struct
from collections import namedtuple

import fastavro
import requests
from confluent_kafka import Consumer, TopicPartition, OFFSET_BEGINNING

Message = namedtuple("Message", "key_id key value_id value")
_schemas = {}


def schema(registry, sid):
    if sid not in _schemas:
        r = requests.get(f"{registry}/schemas/ids/{sid}", timeout=30)
        r.raise_for_status()
        _schemas[sid] = fastavro.parse_schema(json.loads(r.json()["schema"]))
    return _schemas[sid]


def decode(registry, data):
    """(schema id, datum) of a framed message; (None, raw bytes) if not framed."""
    if data is None or len(data) < 5 or data[0] != 0:
        return None, data
    sid = struct.unpack(">I", data[1:5])[0]
    return sid, fastavro.schemaless_reader(io.BytesIO(data[5:]), schema(registry, sid))


def raw_messages(bootstrap, topic, timeout=30.0):
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "read-avro",
                  "enable.auto.commit": False, "enable.partition.eof": True})
    md = c.list_topics(topic, timeout=timeout).topics[topic]
    parts = sorted(md.partitions)
    c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in parts])
    out, eof = [], set()
    import time
    deadline = time.time() + timeout
    while len(eof) < len(parts) and time.time() < deadline:
        m = c.poll(1.0)
        if m is None:
            continue
        if m.error():
            if m.error().code() == -191:  # _PARTITION_EOF
                eof.add(m.partition())
                continue
            raise RuntimeError(str(m.error()))
        out.append(m)
    c.close()
    if len(eof) < len(parts):
        raise RuntimeError(f"{topic}: did not reach the end of every partition")
    return out


def read(bootstrap, registry, topic):
    res = []
    for m in raw_messages(bootstrap, topic):
        kid, k = decode(registry, m.key())
        vid, v = decode(registry, m.value())
        res.append(Message(kid, k, vid, v))
    return res
