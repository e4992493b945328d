"""The records of orders.json as Python values, written by hand from the
Avro specification (not from kout): what fastavro must read back."""
import datetime as dt
import math
import struct
import uuid
from decimal import Decimal

UTC = dt.timezone.utc

ORDERS = [
    {"id": 1, "n": -5, "ok": True, "ratio": 1.5, "score": math.nan, "name": "h\u00e9llo \u2713",
     "raw": b"\x00\x01\x02\xff", "tag": b"\xde\xad\xbe\xef", "status": "PAID", "note": None,
     "items": [{"sku": "a", "qty": 2, "price": Decimal("12.50")},
               {"sku": "b", "qty": 1, "price": Decimal("-0.01")}],
     "attrs": {"x": "1", "odd key": "2"}, "ship": {"city": "Oslo", "zip": None},
     "ts_ms": dt.datetime(2024, 3, 1, 12, 0, 0, 123000, tzinfo=UTC),
     "ts_us": dt.datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
     "ts_ns": 1709294400123456789,
     "lts_ms": dt.datetime(2024, 3, 1, 12, 0, 0, 123000),
     "lts_us": dt.datetime(2024, 3, 1, 12, 0, 0, 123456),
     "day": dt.date(2024, 2, 29), "t_ms": dt.time(23, 59, 59, 999000), "t_us": dt.time(0, 0, 0, 1),
     "amount": Decimal("123456789012.3456"), "uid": uuid.UUID("123e4567-e89b-12d3-a456-426614174000"),
     "wait": (1, 2, 3), "nums": [None, 5, 2.5]},
    {"id": 9007199254740993, "n": 2147483647, "ok": False, "ratio": 3.0, "score": -math.inf, "name": "",
     "raw": b"", "tag": b"\x00\x00\x00\x00", "status": "NEW", "note": "tagged", "items": [], "attrs": {},
     "ship": {"city": "Rome", "zip": "00100"},
     "ts_ms": dt.datetime(2024, 3, 1, 12, 0, 0, 123000, tzinfo=UTC),
     "ts_us": dt.datetime(2024, 3, 1, 12, 0, 0, 500000, tzinfo=UTC),
     "ts_ns": -1,
     "lts_ms": dt.datetime(1970, 1, 1), "lts_us": dt.datetime(1969, 12, 31, 23, 59, 59, 999999),
     "day": dt.date(2024, 2, 29), "t_ms": dt.time(23, 59, 59, 999000), "t_us": dt.time(0, 0, 0),
     "amount": Decimal("-0.0001"), "uid": uuid.UUID(int=0),
     "wait": (0, 0, 4294967295), "nums": [3.0, -9223372036854775808, 1e300]},
    {"id": 3, "n": 0, "ok": True, "ratio": -0.0, "score": 1.5e-300, "name": "line\nbreak \"q\"",
     "raw": b"\xff", "tag": b"\x01\x02\x03\x04", "status": "SHIPPED", "note": "plain",
     "items": [{"sku": "c", "qty": -1, "price": Decimal("9999999.99")}], "attrs": {"k": ""}, "ship": None,
     "ts_ms": dt.datetime(1900, 1, 1, tzinfo=UTC), "ts_us": dt.datetime(1, 1, 1, tzinfo=UTC),
     "ts_ns": 1,
     "lts_ms": dt.datetime(9999, 12, 31, 23, 59, 59, 999000), "lts_us": dt.datetime(2024, 3, 1, 12),
     "day": dt.date(1900, 3, 1), "t_ms": dt.time(0, 0), "t_us": dt.time(23, 59, 59, 999999),
     "amount": Decimal("-99999999999999.9999"), "uid": uuid.UUID(int=(1 << 128) - 1),
     "wait": (12, 31, 0), "nums": []},
]


def same(a, b):
    """Equal as Avro values: NaN equals NaN, -0.0 is not 0.0, types count
    (1 is not 1.0 where a long is not a double)."""
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def normal(v):
    """fastavro leaves the duration fixed as bytes: its three u32 LE."""
    v = dict(v)
    if isinstance(v.get("wait"), bytes):
        v["wait"] = struct.unpack("<III", v["wait"])
    return v


def diff(want, got):
    """The fields that differ, for a message."""
    return {k: (want.get(k), got.get(k)) for k in set(want) | set(got)
            if not same(want.get(k), got.get(k))}
