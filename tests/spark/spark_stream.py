#!/usr/bin/env python3
"""spark_stream.py EVENTS LATE_EVENTS OUTDIR NFILES: the reference answers
for t_stream.sh from Spark Structured Streaming, the seeds' engine as they
run it: readStream over a directory of JSON files, withWatermark('ts',
'10 minutes'), append mode, trigger(availableNow=True).

Each input is cut, in arrival order, into NFILES files with increasing
modification times and maxFilesPerTrigger 1, so each file is one
micro-batch and the watermark advances between them as it would over a
topic.  EVENTS feeds tumbling, sliding and session windows; LATE_EVENTS,
which has late records, feeds 10-minute tumbling windows ("late").  Each
job writes what Spark emitted to OUTDIR/NAME (windows as epoch
microseconds, like spark_batch.py), and OUTDIR/NAME.watermark holds the
query's last watermark in microseconds."""
import datetime, json, os, shutil, sys, tempfile

from pyspark.sql import SparkSession, functions as F

events, late_events, outdir, nfiles = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
spark = (SparkSession.builder.master("local[2]").appName("kpipe-spark-stream")
         .config("spark.sql.session.timeZone", "UTC")
         .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.shuffle.partitions", "2").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")

tmp = tempfile.mkdtemp(prefix="kpipe-spark-")


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
    return (spark.readStream.schema("user string, action string, timestamp string, latency_ms double, bytes double")
            .option("maxFilesPerTrigger", 1).json(src)
            .withColumn("ts", F.to_timestamp("timestamp")).withWatermark("ts", "10 minutes"))


df, late = source(events, "in"), source(late_events, "late-in")
lat = F.col("latency_ms")
basic = [F.count(F.lit(1)).alias("count"), F.avg(lat).alias("avg_latency_ms"),
         F.stddev_samp(lat).alias("stddev_latency_ms"), F.max(lat).alias("max_latency_ms"),
         F.sum(lat).alias("sum_latency_ms")]
jobs = {
    "tumble": (df, F.window("ts", "1 hour"), basic),
    "slide": (df, F.window("ts", "10 minutes", "5 minutes"), basic),
    "session": (df, F.session_window("ts", "5 minutes"),
                [F.count(F.lit(1)).alias("count"), F.collect_list("action").alias("actions")]),
    "late": (late, F.window("ts", "10 minutes"),
             [F.count(F.lit(1)).alias("count"), F.sum(lat).alias("sum_latency_ms")]),
}


def epoch_micros(s):
    d = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    return (d - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)) // datetime.timedelta(microseconds=1)


# The queries run at once: they share the session, and each batch's
# fixed cost overlaps another's work.
queries = {}
for name, (frame, w, aggs) in jobs.items():
    g = frame.groupBy(w.alias("w"), "user").agg(*aggs)
    out = g.select(F.struct(F.unix_micros("w.start").alias("start"), F.unix_micros("w.end").alias("end")).alias("window"),
                   "user", *[c for c in g.columns if c not in ("w", "user")])
    queries[name] = (out.writeStream.outputMode("append").format("memory").queryName(name)
                     .option("checkpointLocation", os.path.join(tmp, "ck-" + name))
                     .trigger(availableNow=True).start())
for name, q in queries.items():
    q.awaitTermination()
    with open(os.path.join(outdir, name), "w") as f:
        for r in spark.table(name).collect():
            f.write(json.dumps(r.asDict(recursive=True), separators=(",", ":")) + "\n")
    with open(os.path.join(outdir, name + ".watermark"), "w") as f:
        f.write("%d\n" % epoch_micros(q.lastProgress["eventTime"]["watermark"]))
spark.stop()
shutil.rmtree(tmp)
