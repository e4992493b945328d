#!/usr/bin/env python3
"""spark_stream.py EVENTS OUTDIR WATERMARK: Spark Structured Streaming with
a watermark, one record per micro-batch (one file each, maxFilesPerTrigger
1, trigger availableNow), append mode, to the memory sink.  Writes what
Spark emitted for tumbling, sliding and session windows to OUTDIR/NAME as
jwindow's JSON lines, sorted by window end, start and user."""
import json, os, shutil, sys, tempfile

os.environ["TZ"] = "UTC"
from pyspark.sql import SparkSession, functions as F

events, outdir, wm = sys.argv[1], sys.argv[2], sys.argv[3]
spark = (SparkSession.builder.master("local[1]").appName("jwindow-stream-test")
         .config("spark.sql.session.timeZone", "UTC")
         .config("spark.ui.enabled", "false")
         .config("spark.sql.shuffle.partitions", "1").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")

src = tempfile.mkdtemp()
for i, line in enumerate(open(events)):
    path = os.path.join(src, "part-%05d.json" % i)
    with open(path, "w") as f:
        f.write(line)
    os.utime(path, (1_000_000_000 + i, 1_000_000_000 + i))    # Spark reads files in mtime order

aggs = [F.count(F.lit(1)).alias("count"), F.sum("latency_ms").alias("sum_latency_ms"),
        F.max("latency_ms").alias("max_latency_ms")]
jobs = {
    "tumble": F.window("ts", "10 seconds"),
    "slide": F.window("ts", "10 seconds", "5 seconds"),
    "session": F.session_window("ts", "3 seconds"),
}


def fmt(d):
    s = d.strftime("%Y-%m-%dT%H:%M:%S")
    if d.microsecond % 1000 == 0 and d.microsecond:
        s += ".%03d" % (d.microsecond // 1000)
    elif d.microsecond:
        s += ".%06d" % d.microsecond
    return s + "Z"


for name, w in jobs.items():
    df = (spark.readStream.schema("user string, timestamp string, latency_ms double")
          .option("maxFilesPerTrigger", 1).json(src)
          .withColumn("ts", F.to_timestamp("timestamp")).withWatermark("ts", wm))
    q = (df.groupBy(w.alias("window"), "user").agg(*aggs).writeStream
         .outputMode("append").format("memory").queryName("out_" + name)
         .option("checkpointLocation", tempfile.mkdtemp())
         .trigger(availableNow=True).start())
    q.awaitTermination()
    rows = spark.sql("select * from out_" + name).collect()
    rows.sort(key=lambda r: (r.window.end, r.window.start, r.user))
    with open(os.path.join(outdir, name), "w") as f:
        for r in rows:
            d = r.asDict(recursive=True)
            d["window"] = {"start": fmt(d["window"]["start"]), "end": fmt(d["window"]["end"])}
            f.write(json.dumps(d, separators=(",", ":")) + "\n")
shutil.rmtree(src)
spark.stop()
