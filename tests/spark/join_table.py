#!/usr/bin/env python3
"""join_table.py gen DIR | spark DIR | compare KPIPE SPARK

The reference answers of t_join_table.sh: a stream joined with a table as
PySpark joins two DataFrames in batch (Spark's stream-static join gives
each stream row the rows of the static side that a batch join gives it).

  gen DIR      writes DIR/{num,str}.{stream,table}: keys that repeat on
               both sides, keys only on one side, null and absent keys;
               numeric keys spelled 1, 1.0 and 1e0 (one value to Spark's
               double column as to jjoin), string keys spelled with and
               without escapes ("ab", "a\\u0062").  One key type per
               column, as a Spark schema needs.
  spark DIR    for each data set and each of inner, left_outer,
               left_semi, left_anti, on the same name (id) and on
               different names (id = code), writes DIR/out.SET.ON.HOW.
  compare A B  the rows of A (jjoin) and B (Spark) as multisets, each row
               taken over the union of both files' columns (an absent
               field and a null are one, as a Spark row cannot tell them
               apart), numbers as doubles.  Prints the row count, or the
               first differences and exits 1.
"""
import json
import os
import random
import sys


def gen(d):
    rnd = random.Random(11)
    sets = {
        "num": ([["1", "1.0", "1e0"], ["2", "2.0"], ["3"], ["-0", "0"], ["4.25", "425e-2"], ["99"]],
                "double"),
        "str": ([['"ab"', '"a\\u0062"'], ['"x\\"y"'], ['"\\u00e9t\\u00e9"', '"été"'], ['"tab\\t"', '"tab\\u0009"'],
                 ['"a,b"'], ['"only-stream"']], "string"),
    }
    for name, (keys, _) in sets.items():
        def key():
            r = rnd.random()
            if r < 0.1:
                return None
            if r < 0.2:
                return "null"
            return rnd.choice(rnd.choice(keys))
        with open(os.path.join(d, name + ".stream"), "w") as f:
            for i in range(600):
                fields = [("id", key()), ("n", str(i)), ("s", rnd.choice(['"p"', '"q"', "null", None]))]
                f.write("{" + ",".join('"%s":%s' % kv for kv in fields if kv[1] is not None) + "}\n")
        with open(os.path.join(d, name + ".table"), "w") as f:
            for i in range(120):
                k = key()
                if k in ('"only-stream"', "99"):
                    k = "null"
                fields = [("id", k), ("code", key()), ("t", '"r%d"' % i), ("price", rnd.choice([str(i / 4), "null", None]))]
                f.write("{" + ",".join('"%s":%s' % kv for kv in fields if kv[1] is not None) + "}\n")


def spark(d):
    from pyspark.sql import SparkSession
    s = (SparkSession.builder.master("local[1]").appName("kpipe-jjoin-oracle")
         .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.shuffle.partitions", "2").getOrCreate())
    s.sparkContext.setLogLevel("ERROR")
    for name, ktype in (("num", "double"), ("str", "string")):
        st = s.read.schema("id %s, n long, s string" % ktype).json(os.path.join(d, name + ".stream"))
        tb = s.read.schema("id %s, code %s, t string, price double" % (ktype, ktype)).json(
            os.path.join(d, name + ".table"))
        for how in ("inner", "left_outer", "left_semi", "left_anti"):
            same = st.join(tb, on="id", how=how)
            other = st.join(tb.withColumnRenamed("id", "tid"), st.id == tb.code, how=how)
            if how in ("inner", "left_outer"):
                other = other.withColumnRenamed("tid", "right_id")
            for on, df in (("same", same), ("code", other)):
                with open(os.path.join(d, "out.%s.%s.%s" % (name, on, how)), "w") as f:
                    for row in df.toJSON(use_unicode=True).collect():
                        f.write(row + "\n")
    s.stop()


def rows(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def norm(v):
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    return json.dumps(v, sort_keys=True)


def compare(a, b):
    ra, rb = rows(a), rows(b)
    cols = sorted({k for r in ra + rb for k in r})
    ta = sorted(repr(tuple(norm(r.get(c)) for c in cols)) for r in ra)
    tb = sorted(repr(tuple(norm(r.get(c)) for c in cols)) for r in rb)
    if ta == tb:
        print("%d rows" % len(ta))
        return 0
    only_a = [x for x in ta if x not in tb][:3]
    only_b = [x for x in tb if x not in ta][:3]
    print("%d vs %d rows over %s; only jjoin: %s; only Spark: %s" % (len(ta), len(tb), cols, only_a, only_b))
    return 1


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2])
    elif sys.argv[1] == "spark":
        spark(sys.argv[2])
    else:
        sys.exit(compare(sys.argv[2], sys.argv[3]))
