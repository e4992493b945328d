#!/usr/bin/env python3
"""spark_dedup.py EVENTS LATE_EVENTS OUTDIR NFILES: the reference answers
for t_dedup.sh from Spark Structured Streaming: readStream over a
directory of JSON files, each input cut in arrival order into NFILES
files with increasing modification times and maxFilesPerTrigger 1, so
each file is one micro-batch and the watermark advances between them.

Queries, each writing the seq of every row it passed to OUTDIR/NAME, one
a line (Spark 3.5.9 reports no numRowsDroppedByWatermark for a dedup
operator, so late rows are told from the rows passed):
  forever    dropDuplicates(["id"])
  numbers    dropDuplicates(["n"]), n read as a double
  watermark  withWatermark("ts", "10 minutes").dropDuplicates(["id", "ts"])
  within     withWatermark("ts", "10 minutes").dropDuplicatesWithinWatermark(["id"])
  late       the watermark query over LATE_EVENTS, which has late rows"""
import os, shutil, sys, tempfile

from pyspark.sql import SparkSession, functions as F

events, late_events, outdir, nfiles = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
spark = (SparkSession.builder.master("local[2]").appName("kpipe-spark-dedup")
         .config("spark.sql.session.timeZone", "UTC")
         .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.shuffle.partitions", "2").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")

tmp = tempfile.mkdtemp(prefix="kpipe-spark-dedup-")


def source(events, name):
    src = os.path.join(tmp, name)
    os.mkdir(src)
    lines = open(events).readlines()
    per = -(-len(lines) // nfiles)
    for i in range(nfiles):
        path = os.path.join(src, "part-%03d.json" % i)
        with open(path, "w") as f:
            f.writelines(lines[i * per:(i + 1) * per])
        os.utime(path, (1_000_000_000 + i, 1_000_000_000 + i))  # the file source goes by mtime
    return (spark.readStream.schema("seq long, id string, n double, t string, user string")
            .option("maxFilesPerTrigger", 1).json(src).withColumn("ts", F.to_timestamp("t")))


df, late = source(events, "in"), source(late_events, "late-in")
timed = df.withWatermark("ts", "10 minutes")
jobs = {
    "forever": df.dropDuplicates(["id"]),
    "numbers": df.dropDuplicates(["n"]),
    "watermark": timed.dropDuplicates(["id", "ts"]),
    "within": timed.dropDuplicatesWithinWatermark(["id"]),
    "late": late.withWatermark("ts", "10 minutes").dropDuplicates(["id", "ts"]),
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
spark.stop()
shutil.rmtree(tmp)
