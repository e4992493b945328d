"""Avro test data and the Python side of kcat-in's Avro tests.

  oracle.py produce BROKERS REGISTRY TOPIC
      registers two versions of a schema (the second adds fields: schema
      evolution) and produces records of both with Confluent's
      AvroSerializer, then messages that must be rejected; prints one line
      per message: OFFSET KIND (ok-v1, ok-v2, or what is wrong with it).
  oracle.py tagged BROKERS REGISTRY TOPIC
      registers a schema full of unions and produces records of it with
      fastavro and the wire framing; prints, per record, fastavro's Avro
      JSON encoding of it (json_writer), the tagged form of unions.
  oracle.py raw BROKERS TOPIC FIRST COUNT
      prints OFFSET BASE64 for COUNT messages from offset FIRST, the bytes
      as Kafka holds them.
  oracle.py copy BROKERS FROM OFFSET TO
      copies one message's bytes from topic FROM to topic TO (partition 0),
      no registry needed.
  oracle.py compare BROKERS REGISTRY TOPIC KCAT_IN_OUTPUT
      consumes the topic with Confluent's AvroDeserializer, turns what
      Python read into kpipe's documented JSON forms (kcat-in(1), AVRO)
      with the writer's schema as the guide, and compares each message
      with kcat-in's envelope of it: prints OFFSET same, OFFSET differs
      ..., or for a message Python cannot read, whether kcat-in decoded
      it (it must not).
"""
import base64
import datetime
import decimal
import faulthandler
import json
import math
import struct
import sys
import uuid

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

UTC = datetime.timezone.utc


def registry(url):
    """A registry client whose requests give up after 20 s and are retried
    (the library's default waits for ever on a stalled connection)."""
    return SchemaRegistryClient({"url": url, "timeout": 20})


def producer(brokers, **conf):
    """The tests read offsets as the order of sending: one request in
    flight, so that a retried batch cannot land after a later one."""
    return Producer({"bootstrap.servers": brokers, "max.in.flight.requests.per.connection": 1, **conf})


def deliver(p):
    """Waits for every message sent through p; a message not delivered
    ends the oracle with the reason, so that a test never reads a topic
    short of what this oracle printed."""
    left = p.flush(60)
    if left:
        raise SystemExit("oracle: %d messages not delivered after 60 s" % left)


def logical(t, name, **kw):
    return dict(type=t, logicalType=name, **kw)


INNER = {"type": "record", "name": "Inner", "fields": [
    {"name": "x", "type": "int"},
    {"name": "next", "type": ["null", "Inner"]},
]}
ITEM = {"type": "record", "name": "Item", "namespace": "com.example.parts", "fields": [
    {"name": "sku", "type": "string"},
    {"name": "qty", "type": "int"},
]}
FIELDS_V1 = [
    {"name": "id", "type": "long"},
    {"name": "name", "type": "string"},
    {"name": "active", "type": "boolean"},
    {"name": "score", "type": "float"},
    {"name": "ratio", "type": "double"},
    {"name": "count", "type": "int"},
    {"name": "nothing", "type": "null"},
    {"name": "blob", "type": "bytes"},
    {"name": "fx", "type": {"type": "fixed", "name": "Four", "size": 4}},
    {"name": "color", "type": {"type": "enum", "name": "Color", "symbols": ["RED", "GREEN", "BLUE"]}},
    {"name": "tags", "type": {"type": "array", "items": "string"}},
    {"name": "attrs", "type": {"type": "map", "values": "long"}},
    {"name": "maybe", "type": ["null", "string"]},
    {"name": "choice", "type": ["null", "int", "string", INNER]},
    {"name": "inner", "type": "Inner"},
    {"name": "items", "type": {"type": "array", "items": ITEM}},
    {"name": "by_name", "type": {"type": "map", "values": {"type": "array", "items": "com.example.parts.Item"}}},
    {"name": "price", "type": logical("bytes", "decimal", precision=20, scale=4)},
    {"name": "price_fixed", "type": {"type": "fixed", "name": "Money", "size": 9,
                                     "logicalType": "decimal", "precision": 18, "scale": 2}},
    {"name": "big", "type": logical("bytes", "decimal", precision=40, scale=10)},
    {"name": "whole", "type": logical("bytes", "decimal", precision=5)},
    {"name": "when_ms", "type": logical("long", "timestamp-millis")},
    {"name": "when_us", "type": logical("long", "timestamp-micros")},
    {"name": "when_ns", "type": logical("long", "timestamp-nanos")},
    {"name": "local_ms", "type": logical("long", "local-timestamp-millis")},
    {"name": "local_us", "type": logical("long", "local-timestamp-micros")},
    {"name": "day", "type": logical("int", "date")},
    {"name": "tod_ms", "type": logical("int", "time-millis")},
    {"name": "tod_us", "type": logical("long", "time-micros")},
    {"name": "uid", "type": logical("string", "uuid")},
    {"name": "uid_fixed", "type": {"type": "fixed", "name": "Sixteen", "size": 16, "logicalType": "uuid"}},
    {"name": "dur", "type": {"type": "fixed", "name": "Dur", "size": 12, "logicalType": "duration"}},
    {"name": "opt_ts", "type": ["null", logical("long", "timestamp-millis")]},
    {"name": "opt_dec", "type": ["null", logical("bytes", "decimal", precision=6, scale=3)]},
]
SCHEMA_V1 = {"type": "record", "name": "Order", "namespace": "com.example", "fields": FIELDS_V1}
SCHEMA_V2 = dict(SCHEMA_V1, fields=FIELDS_V1 + [
    {"name": "note", "type": "string", "default": ""},
    {"name": "extra", "type": ["null", "long"], "default": None},
])
KEY_SCHEMA = {"type": "record", "name": "Key", "fields": [{"name": "k", "type": "string"},
                                                        {"name": "n", "type": logical("int", "date")}]}
D = decimal.Decimal


def record(i, v2=False):
    """The i-th test record: edge values spread over the records."""
    neg = i % 2 == 1
    r = {
        "id": [0, -1, 2**63 - 1, -2**63, 42][i % 5],
        "name": ["plain", "quote \" backslash \\ tab \t nl \n", "ünïcødé ✓ 𝄞", "", "\u0001ctl"][i % 5],
        "active": i % 3 == 0,
        "score": [0.1, -1.5, float("nan"), float("inf"), 3.4028234663852886e38][i % 5],
        "ratio": [0.1, 1e-300, float("-inf"), -0.0, 12345678.9][i % 5],
        "count": [0, 2**31 - 1, -2**31, 7, -7][i % 5],
        "nothing": None,
        "blob": [b"", b"\x00\xff\x10", bytes(range(256)), b"abc", b"\n"][i % 5],
        "fx": [b"\x00\x01\x02\x03", b"\xff\xff\xff\xff", b"abcd", b"\x80\x00\x00\x00", b"zzzz"][i % 5],
        "color": ["RED", "GREEN", "BLUE"][i % 3],
        "tags": [[], ["a"], ["x", "y", "z"], ["dup", "dup"], ["ü"]][i % 5],
        "attrs": [{}, {"a": 1}, {"b": -2, "c": 2**40}, {"ü": 0}, {"q\"": 5}][i % 5],
        "maybe": [None, "here", None, "", "x"][i % 5],
        "choice": [None, 17, "seventeen", {"x": 1, "next": {"x": 2, "next": None}}, -5][i % 5],
        "inner": {"x": i, "next": {"x": -i, "next": None} if i % 2 else None},
        "items": [{"sku": "s%d" % k, "qty": k} for k in range(i % 4)],
        "by_name": {"a": [{"sku": "s", "qty": 1}], "b": []} if i % 2 else {},
        "price": [D("0.0000"), D("-12.5000"), D("9999999999999999.9999"), D("0.0001"), D("-0.0001")][i % 5],
        "price_fixed": [D("0.00"), D("-1.01"), D("9999999999999999.99"), D("-9999999999999999.99"), D("42.10")][i % 5],
        "big": [D("123456789012345678901234567890.1234567890"), D("-0.0000000001"), D("0E-10"),
                D("-999999999999999999999999999999.9999999999"), D("1.0000000000")][i % 5],
        "whole": [D(0), D(-99999), D(12345), D(1), D(-1)][i % 5],
        "when_ms": [datetime.datetime(2024, 3, 1, 12, 0, 0, 123000, UTC),
                    datetime.datetime(1969, 12, 31, 23, 59, 59, 999000, UTC),
                    datetime.datetime(1970, 1, 1, tzinfo=UTC),
                    datetime.datetime(9999, 12, 31, 23, 59, 59, 999000, UTC),
                    datetime.datetime(1, 1, 1, tzinfo=UTC)][i % 5],
        "when_us": [datetime.datetime(2024, 3, 1, 12, 0, 0, 123456, UTC),
                    datetime.datetime(1900, 6, 15, 1, 2, 3, 4, UTC),
                    datetime.datetime(2038, 1, 19, 3, 14, 8, tzinfo=UTC),
                    datetime.datetime(2000, 2, 29, tzinfo=UTC),
                    datetime.datetime(1969, 12, 31, 23, 59, 59, 999999, UTC)][i % 5],
        "when_ns": [1709294400123456789, -1, 0, 1, 253402300799999999999 // 100][i % 5],
        "local_ms": [datetime.datetime(2024, 3, 1, 12, 0, 0, 5000), datetime.datetime(1969, 7, 20, 20, 17, 40)][i % 2],
        "local_us": [datetime.datetime(2024, 3, 1, 12, 0, 0, 5), datetime.datetime(1970, 1, 1)][i % 2],
        "day": [datetime.date(2024, 3, 1), datetime.date(1969, 12, 31), datetime.date(1, 1, 1),
                datetime.date(9999, 12, 31), datetime.date(1970, 1, 1)][i % 5],
        "tod_ms": [datetime.time(0, 0), datetime.time(23, 59, 59, 999000), datetime.time(12, 30, 0, 1000)][i % 3],
        "tod_us": [datetime.time(0, 0, 0, 1), datetime.time(23, 59, 59, 999999), datetime.time(7)][i % 3],
        "uid": uuid.UUID(int=(i * 0x1234567890abcdef1234567890abcdef) % 2**128),
        "uid_fixed": uuid.UUID(int=(i * 0xfedcba0987654321fedcba0987654321) % 2**128).bytes,
        "dur": struct.pack("<III", i, 2 * i + 1, [0, 2**32 - 1, 86400000][i % 3]),
        "opt_ts": None if neg else datetime.datetime(2020, 1, 1, 0, 0, 0, 1000 * i, UTC),
        "opt_dec": None if i % 3 == 0 else D("%d.%03d" % (i, i)) * (-1 if neg else 1),
    }
    if v2:
        r["note"] = "v2 note %d" % i
        r["extra"] = None if neg else i * 1000
    return r


def produce(brokers, reg_url, topic):
    reg = registry(reg_url)
    conf = {"auto.register.schemas": True}
    s1 = AvroSerializer(reg, json.dumps(SCHEMA_V1), conf=conf)
    s2 = AvroSerializer(reg, json.dumps(SCHEMA_V2), conf=conf)
    sk = AvroSerializer(reg, json.dumps(KEY_SCHEMA), conf=conf)
    p = producer(brokers, **{"enable.idempotence": False, "linger.ms": 5,
                             "partitioner": "murmur2_random"})
    kinds = []

    def check(err, msg):
        if err is not None:
            raise SystemExit("oracle: message %d not delivered: %s" % (len(kinds), err))

    def send(value, key=None, kind="ok"):
        p.produce(topic, value=value, key=key, partition=0, on_delivery=check)
        kinds.append(kind)

    vctx = SerializationContext(topic, MessageField.VALUE)
    kctx = SerializationContext(topic, MessageField.KEY)
    for i in range(40):
        v2 = i >= 20 and i % 2 == 0
        ser = s2 if v2 else s1
        key = sk({"k": "key%d" % i, "n": datetime.date(2024, 1, 1 + i % 28)}, kctx) if i % 4 == 0 else None
        send(ser(record(i, v2), vctx), key, "ok-v2" if v2 else "ok-v1")
    good = s1(record(3), vctx)
    send(b'{"not":"avro"}', kind="bad-magic")
    send(b"\x00\x00\x00", kind="short")
    send(b"\x00\x7f\xff\xff\xf0" + good[5:], kind="unknown-id")
    send(good[:len(good) // 2], kind="truncated")
    send(good + b"\x00", kind="trailing")
    send(None, kind="tombstone")
    deliver(p)
    for off, kind in enumerate(kinds):
        print(off, kind)


def stamp(d):
    return "%04d-%02d-%02dT%02d:%02d:%02d" % (d.year, d.month, d.day, d.hour, d.minute, d.second)


def fraction(us_or_ns, digits):
    return ".%0*d" % (digits, us_or_ns)


def normalize(v, t, named):
    """v as read by Python, in kpipe's documented form for schema t."""
    if isinstance(t, str):
        if t in named:
            return normalize(v, named[t], named)
        t = {"type": t}
    if isinstance(t, list):
        for b in t:   # the branch Python's value belongs to
            if fits(v, b, named):
                return normalize(v, b, named)
        raise ValueError("no branch for %r" % (v,))
    kind, lt = t["type"], t.get("logicalType")
    if isinstance(kind, (dict, list)):
        return normalize(v, kind, named)
    if kind in ("record", "enum", "fixed"):
        named[t["name"]] = t
        if "namespace" in t:
            named[t["namespace"] + "." + t["name"]] = t
    if kind == "record":
        return {f["name"]: normalize(v[f["name"]], f["type"], named) for f in t["fields"]}
    if kind == "array":
        return [normalize(x, t["items"], named) for x in v]
    if kind == "map":
        return {k: normalize(x, t["values"], named) for k, x in v.items()}
    if lt == "decimal":
        return ("decimal", v.as_tuple())
    if lt in ("timestamp-millis", "timestamp-micros", "local-timestamp-millis", "local-timestamp-micros"):
        digits = 3 if lt.endswith("millis") else 6
        frac = v.microsecond // 1000 if digits == 3 else v.microsecond
        return stamp(v) + fraction(frac, digits) + ("" if lt.startswith("local") else "Z")
    if lt in ("timestamp-nanos", "local-timestamp-nanos"):   # fastavro gives the number
        s, ns = divmod(v, 10**9)
        d = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=s)
        return stamp(d) + fraction(ns, 9) + ("" if lt.startswith("local") else "Z")
    if lt == "date":
        return "%04d-%02d-%02d" % (v.year, v.month, v.day)
    if lt in ("time-millis", "time-micros"):
        digits = 3 if lt == "time-millis" else 6
        frac = v.microsecond // 1000 if digits == 3 else v.microsecond
        return v.strftime("%H:%M:%S") + fraction(frac, digits)
    if lt == "uuid":
        return str(uuid.UUID(bytes=v)) if isinstance(v, bytes) else str(v)
    if lt == "duration":
        m, d, ms = struct.unpack("<III", v)
        return {"months": m, "days": d, "milliseconds": ms}
    if kind in ("bytes", "fixed"):
        return base64.b64encode(v).decode()
    if kind in ("float", "double"):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return ("float", v) if kind == "float" else v
    return v


def fits(v, t, named):
    if isinstance(t, str):
        if t in named:
            return fits(v, named[t], named)
        t = {"type": t}
    kind, lt = t["type"], t.get("logicalType")
    if v is None:
        return kind == "null"
    if lt == "decimal":
        return isinstance(v, decimal.Decimal)
    if lt in ("timestamp-millis", "timestamp-micros"):
        return isinstance(v, datetime.datetime)
    if kind == "record":
        return isinstance(v, dict)
    if kind == "int" or kind == "long":
        return isinstance(v, int) and not isinstance(v, bool)
    if kind == "string":
        return isinstance(v, str)
    return False


def read(brokers, reg_url, topic, count):
    """What Python reads, per offset, in the documented forms."""
    reg = registry(reg_url)
    des = AvroDeserializer(reg)
    c = Consumer({"bootstrap.servers": brokers, "group.id": "oracle", "auto.offset.reset": "earliest",
                  "enable.auto.commit": False})
    c.subscribe([topic])
    got = {}
    while len(got) < count:
        m = c.poll(10)
        if m is None:
            raise SystemExit("oracle: no message after 10 s")
        if m.error():
            continue
        out = {}
        try:
            for name, raw, field in (("value", m.value(), MessageField.VALUE), ("key", m.key(), MessageField.KEY)):
                if raw is None:
                    out[name] = None
                    continue
                sid = struct.unpack(">I", raw[1:5])[0]
                v = des(raw, SerializationContext(topic, field))
                out[name] = normalize(v, json.loads(reg.get_schema(sid).schema_str), {})
                out[name + "_schema_id"] = sid
        except Exception as e:
            out = {"error": type(e).__name__}
        got[m.offset()] = out
    c.close()
    return got


def same(want, got):
    """kcat-in's value (JSON read with Decimal for fractions) against
    Python's normalized one."""
    if isinstance(want, tuple) and want[0] == "decimal":
        return isinstance(got, (int, decimal.Decimal)) and not isinstance(got, bool) and \
            decimal.Decimal(got).as_tuple() == want[1]
    if isinstance(want, tuple) and want[0] == "float":
        return isinstance(got, (int, decimal.Decimal)) and \
            struct.unpack("<f", struct.pack("<f", float(got)))[0] == want[1]
    if isinstance(want, float):
        return isinstance(got, (int, decimal.Decimal)) and float(got) == want
    if isinstance(want, dict):
        return isinstance(got, dict) and list(want) == list(got) and all(same(want[k], got[k]) for k in want)
    if isinstance(want, list):
        return isinstance(got, list) and len(want) == len(got) and all(map(same, want, got))
    return type(want) is type(got) and want == got


def compare(brokers, reg_url, topic, kcat_out):
    """One line per message: OFFSET same | OFFSET rejected | OFFSET differs: ..."""
    lines = [json.loads(l, parse_float=decimal.Decimal) for l in open(kcat_out, encoding="utf-8")]
    want = read(brokers, reg_url, topic, len(lines))
    for env in lines:
        off = env["offset"]
        w = want[off]
        if "error" in w:
            decoded = "value_schema_id" in env
            print(off, "python-error", "kcat-in-decoded" if decoded else "kcat-in-kept-bytes")
            continue
        bad = [k for k in ("key", "value", "key_schema_id", "value_schema_id")
               if (k in w) != (k in env) or (k in w and not same(w[k], env[k]))]
        print(off, "same" if not bad else "differs in %s: python %r kcat-in %r" %
              (bad, [w.get(k) for k in bad], [env.get(k) for k in bad]))


TAGGED = {"type": "record", "name": "T", "namespace": "ns", "fields": [
    {"name": "u", "type": ["null", "int", "string",
                           {"type": "record", "name": "In", "fields": [{"name": "x", "type": ["null", "long"]}]}]},
    {"name": "m", "type": {"type": "map", "values": ["null", "double", "boolean"]}},
    {"name": "a", "type": {"type": "array", "items": [
        "string", "ns.In", {"type": "enum", "name": "E", "symbols": ["A", "B"]},
        {"type": "array", "items": "int"}, {"type": "map", "values": "float"}]}},
]}


def tagged(brokers, reg_url, topic):
    import io
    import fastavro
    reg = registry(reg_url)
    from confluent_kafka.schema_registry import Schema
    sid = reg.register_schema(topic + "-value", Schema(json.dumps(TAGGED), "AVRO"))
    parsed = fastavro.parse_schema(TAGGED)
    records = [
        {"u": None, "m": {}, "a": []},
        {"u": 3, "m": {"k": 1.5, "z": None, "t": True}, "a": ["s"]},
        {"u": "text", "m": {"n": None}, "a": [{"x": 7}, {"x": None}, [1, 2], {"f": 0.5}]},
        {"u": {"x": -9}, "m": {"b": False}, "a": [[], {}, "ü"]},
    ]
    p = producer(brokers)
    for r in records:
        body = io.BytesIO()
        fastavro.schemaless_writer(body, parsed, r)
        p.produce(topic, value=b"\x00" + struct.pack(">I", sid) + body.getvalue(), partition=0)
        text = io.StringIO()
        fastavro.json_writer(text, parsed, [r])
        print(json.dumps(json.loads(text.getvalue()), separators=(",", ":"), ensure_ascii=False))
    deliver(p)


def raw(brokers, topic, first, count):
    from confluent_kafka import TopicPartition
    c = Consumer({"bootstrap.servers": brokers, "group.id": "oracle-raw", "enable.auto.commit": False})
    c.assign([TopicPartition(topic, 0, int(first))])
    for _ in range(int(count)):
        m = c.poll(10)
        if m is None:
            raise SystemExit("oracle: no message after 10 s")
        print(m.offset(), base64.b64encode(m.value() or b"").decode())
    c.close()


def copy(brokers, src, offset, dst):
    from confluent_kafka import TopicPartition
    c = Consumer({"bootstrap.servers": brokers, "group.id": "oracle-copy", "enable.auto.commit": False})
    c.assign([TopicPartition(src, 0, int(offset))])
    m = c.poll(10)
    if m is None:
        raise SystemExit("oracle: no message after 10 s")
    p = producer(brokers)
    p.produce(dst, value=m.value(), key=m.key(), partition=0)
    deliver(p)
    c.close()


if __name__ == "__main__":
    # A hang shows where it is: the tests give each run 120 s.
    faulthandler.dump_traceback_later(100, exit=True)
    cmd = sys.argv[1]
    if cmd == "produce":
        produce(*sys.argv[2:5])
    elif cmd == "tagged":
        tagged(*sys.argv[2:5])
    elif cmd == "copy":
        copy(*sys.argv[2:6])
    elif cmd == "raw":
        raw(*sys.argv[2:6])
    elif cmd == "compare":
        compare(*sys.argv[2:6])
