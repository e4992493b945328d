#!/usr/bin/env python3
"""Generated stream and table for jjoin's tests: keys that repeat on both
sides, keys missing on one side, null and absent key fields, numbers
spelled 1 and 1.0, strings that differ only in their escapes, fields whose
names clash between the sides.

    gen.py SEED STREAM_ROWS TABLE_ROWS STREAM_FILE TABLE_FILE
"""
import random
import sys

seed, ns, nt, sfile, tfile = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
rnd = random.Random(seed)

# Spellings of keys: each list is one key (value identity).
NUMBERS = [["1", "1.0", "1e0"], ["2", "2.00"], ["-0", "0"], ["17"], ["3.5", "35e-1"]]
STRINGS = [['"ab"', '"a\\u0062"'], ['"x\\"y"'], ['"tab\\there"', '"tab\\u0009here"'],
           ['"é"', '"\\u00e9"'], ['"a,b"'], ['"1"']]


def key_text():
    r = rnd.random()
    if r < 0.08:
        return None            # field absent
    if r < 0.15:
        return "null"
    group = rnd.choice(NUMBERS + STRINGS)
    return rnd.choice(group)


def region():
    return rnd.choice(['"eu"', '"us"', '"ap"', 'null', None])


def record(fields):
    return "{" + ",".join('"%s":%s' % (k, v) for k, v in fields if v is not None) + "}"


with open(sfile, "w") as f:
    for i in range(ns):
        f.write(record([("id", key_text()), ("reg", region()), ("n", str(i)),
                        ("name", rnd.choice(['"s"', None]))]) + "\n")
with open(tfile, "w") as f:
    for i in range(nt):
        f.write(record([("name", rnd.choice(['"t%d"' % i, None])), ("id", key_text()),
                        ("reg", region()), ("code", key_text()), ("price", rnd.choice([str(i * 1.5), "null", None]))]) + "\n")
