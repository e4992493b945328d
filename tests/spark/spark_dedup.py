#!/usr/bin/env python3
"""spark_dedup.py EVENTS OUTDIR NFILES: the reference answers for
t_dedup.sh from Spark Structured Streaming: readStream over a directory
of JSON files, EVENTS cut in arrival order into NFILES files with
increasing modification times and maxFilesPerTrigger 1, so each file is
one micro-batch and the watermark advances between them.

Queries, each writing the seq of every row it passed to OUTDIR/NAME, one
a line, and OUTDIR/NAME.late the rows its dedup operator dropped as late
(the numRowsDroppedByWatermark of its progress, summed over batches):
  forever    dropDuplicates(["id"])
  numbers    dropDuplicates(["n"]), n read as a double
  watermark  withWatermark("ts", "10 minutes").dropDuplicates(["id", "ts"])
  within     withWatermark("ts", "10 minutes").dropDuplicatesWithinWatermark(["id"])"""
import os, shutil, sys, tempfile

from pyspark.sql import SparkSession, functions as F

events, outdir, nfiles = sys.argv[1], sys.argv[2], int(sys.argv[3])
spark = (SparkSession.builder.master("local[2]").appName("kpipe-spark-dedup")
         .config("spark.sql.session.timeZone", "UTC")
         .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.shuffle.partitions", "2").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")

tmp = tempfile.mkdtemp(prefix="kpipe-spark-dedup-")
src = os.path.join(tmp, "in")
os.mkdir(src)
lines = open(events).readlines()
per = -(-len(lines) // nfiles)
for i in range(nfiles):
    path = os.path.join(src, "part-%03d.json" % i)
    with open(path, "w") as f:
        f.writelines(lines[i * per:(i + 1) * per])
    os.utime(path, (1_000_000_000 + i, 1_000_000_000 + i))  # the file source goes by mtime

df = (spark.readStream.schema("seq long, id string, n double, t string, user string")
      .option("maxFilesPerTrigger", 1).json(src).withColumn("ts", F.to_timestamp("t")))
timed = df.withWatermark("ts", "10 minutes")
jobs = {
    "forever": df.dropDuplicates(["id"]),
    "numbers": df.dropDuplicates(["n"]),
    "watermark": timed.dropDuplicates(["id", "ts"]),
    "within": timed.dropDuplicatesWithinWatermark(["id"]),
}
queries = {}
for name, frame in jobs.items():
    queries[name] = (frame.select("seq").writeStream.outputMode("append").format("memory")
                     .queryName(name).option("checkpointLocation", os.path.join(tmp, "ck-" + name))
                     .trigger(availableNow=True).start())
for name, q in queries.items():
    q.awaitTermination()
    with open(os.path.join(outdir, name), "w") as f:
        for r in spark.table(name).collect():
            f.write("%d\n" % r.seq)
    late = sum(op.get("numRowsDroppedByWatermark", 0)
               for p in q.recentProgress for op in p.get("stateOperators", []))
    with open(os.path.join(outdir, name + ".late"), "w") as f:
        f.write("%d\n" % late)
spark.stop()
shutil.rmtree(tmp)
