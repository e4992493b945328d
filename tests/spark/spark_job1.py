#!/usr/bin/env python3
"""spark_job1.py batch|stream EVENTS OUT: pipeline job 1 in PySpark, for
tests/bench/b_spark.sh: logins per user and hour, then the mean, stddev
and p99 of those counts across the users of each hour.

batch:  spark.read.json(EVENTS), groupBy(window('ts', '1 hour'), 'user').
stream: readStream over a directory holding EVENTS, withWatermark('ts',
        '10 minutes'), append mode, trigger(availableNow=True), the memory
        sink; the hours' statistics are then a batch query over what the
        stream emitted (only the windows its final watermark closed).

OUT gets the result as JSON lines keyed by "window.start" (epoch
microseconds, as tests/spark/compare.py reads them).  The last line of
standard output is "job_seconds J cpu_seconds C": J is the wall time of
the job alone, after the session has started; C is the CPU time of the
JVM and of this Python process, start-up included, because a JVM that
PySpark starts is not a child that /usr/bin/time would count."""
import json, os, shutil, sys, tempfile, time

from pyspark.sql import SparkSession, functions as F

mode, events, out = sys.argv[1:4]
spark = (SparkSession.builder.master("local[2]").appName("kpipe-bench-job1")
         .config("spark.sql.session.timeZone", "UTC")
         .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.shuffle.partitions", "2").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
schema = "user string, action string, timestamp string, latency_ms double, bytes double"
t0 = time.monotonic()

if mode == "batch":
    df = spark.read.schema(schema).json(events)
else:
    src = tempfile.mkdtemp(prefix="kpipe-spark-")
    try:
        os.link(events, os.path.join(src, "events.json"))
    except OSError:     # another file system
        shutil.copy(events, os.path.join(src, "events.json"))
    df = spark.readStream.schema(schema).json(src)
df = df.withColumn("ts", F.to_timestamp("timestamp"))
logins = df.where(F.col("action") == "login")
if mode == "stream":
    logins = logins.withWatermark("ts", "10 minutes")
logins = logins.groupBy(F.window("ts", "1 hour").alias("w"), "user").agg(F.count(F.lit(1)).alias("logins"))
if mode == "stream":
    q = (logins.writeStream.outputMode("append").format("memory").queryName("job1")
         .option("checkpointLocation", os.path.join(src, "checkpoint"))
         .trigger(availableNow=True).start())
    q.awaitTermination()
    logins = spark.table("job1")
rows = logins.groupBy(F.unix_micros("w.start").alias("window.start")).agg(
    F.avg("logins").alias("logins_mean"), F.stddev_samp("logins").alias("logins_stddev"),
    F.expr("percentile(logins, 0.99)").alias("logins_p99")).collect()
job = time.monotonic() - t0

with open(out, "w") as f:
    for r in rows:
        f.write(json.dumps(r.asDict(), separators=(",", ":")) + "\n")
with open("/proc/%d/stat" % spark.sparkContext._gateway.proc.pid) as f:
    ticks = f.read().rsplit(")", 1)[1].split()
jvm = (int(ticks[11]) + int(ticks[12])) / os.sysconf("SC_CLK_TCK")    # utime, stime
me = os.times()
if mode == "stream":
    shutil.rmtree(src)
print("job_seconds %.2f cpu_seconds %.2f" % (job, jvm + me.user + me.system))
spark.stop()
