#!/usr/bin/env python3
"""t_join_stream.py LEFT RIGHT OUTDIR NFILES LOW HIGH DELAY_L DELAY_R: the
reference answers for t_join_stream.sh (and b_jjoin_stream.sh) from Spark
Structured Streaming's stream-stream join, as its users write one:

    left.withWatermark("lts", DELAY_L).alias("l")
      .join(right.withWatermark("rts", DELAY_R).alias("r"),
            expr("l.ad = r.ad AND r.rts BETWEEN l.lts + INTERVAL LOW SECONDS
                  AND l.lts + INTERVAL HIGH SECONDS"), HOW)

over readStream.json of a directory per side, trigger(availableNow=True),
for HOW inner, left, right and full at once.  Each input is cut, in
arrival order, into NFILES files with increasing modification times, read
one per micro-batch (maxFilesPerTrigger 1), so that the watermark advances
and state is evicted between batches as over a topic.  The rows go to
OUTDIR/HOW in jjoin's shape (left's fields, then right's, the key once,
right's x as right_x), one JSON object per line; OUTDIR/HOW.seconds holds
the query's wall time alone (the session already started)."""
import json, os, shutil, sys, tempfile, time

from pyspark.sql import SparkSession, functions as F

left, right, outdir = sys.argv[1], sys.argv[2], sys.argv[3]
nfiles, low, high = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
delay_l, delay_r = sys.argv[7], sys.argv[8]
hows = sys.argv[9].split(",") if len(sys.argv) > 9 else ["inner", "left", "right", "full"]
spark = (SparkSession.builder.master("local[2]").appName("kpipe-join-stream")
         .config("spark.sql.session.timeZone", "UTC")
         .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.shuffle.partitions", "2").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
tmp = tempfile.mkdtemp(prefix="kpipe-spark-join-")


def source(path, name, schema, timef, delay):
    src = os.path.join(tmp, name)
    os.mkdir(src)
    lines = open(path).readlines()
    per = -(-len(lines) // nfiles)
    for i in range(nfiles):
        part = os.path.join(src, "part-%03d.json" % i)
        with open(part, "w") as f:
            f.writelines(lines[i * per:(i + 1) * per])
        os.utime(part, (1_000_000_000 + i, 1_000_000_000 + i))  # the file source goes by mtime
    return (spark.readStream.schema(schema).option("maxFilesPerTrigger", 1).json(src)
            .withColumn(timef + "s", F.to_timestamp(timef)).withWatermark(timef + "s", delay))


cond = F.expr("l.ad = r.ad AND r.rts BETWEEN l.lts + INTERVAL %d SECONDS AND l.lts + INTERVAL %d SECONDS"
              % (low, high))
queries = {}
for how in hows:
    ls = source(left, "left-" + how, "ad string, lt string, a long, x string", "lt", delay_l).alias("l")
    rs = source(right, "right-" + how, "ad string, rt string, b long, x string", "rt", delay_r).alias("r")
    j = ls.join(rs, cond, {"full": "full_outer", "left": "left_outer", "right": "right_outer"}.get(how, how))
    out = j.select(F.coalesce(F.col("l.ad"), F.col("r.ad")).alias("ad"), "l.lt", "l.a", F.col("l.x").alias("x"),
                   "r.rt", "r.b", F.col("r.x").alias("right_x"))
    queries[how] = (out.writeStream.outputMode("append").format("memory").queryName("j_" + how)
                    .option("checkpointLocation", os.path.join(tmp, "ck-" + how))
                    .trigger(availableNow=True), time.time())
for how, (w, _) in queries.items():
    queries[how] = (w.start(), time.time())
for how, (q, t0) in queries.items():
    q.awaitTermination()
    with open(os.path.join(outdir, how + ".seconds"), "w") as f:
        f.write("%.3f\n" % (time.time() - t0))
    with open(os.path.join(outdir, how), "w") as f:
        for r in spark.table("j_" + how).collect():
            f.write(json.dumps(r.asDict(), separators=(",", ":")) + "\n")
spark.stop()
shutil.rmtree(tmp)
