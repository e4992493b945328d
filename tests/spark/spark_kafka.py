#!/usr/bin/env python3
"""spark_kafka.py [-m MAX_OFFSETS_PER_TRIGGER] [-p MIN_PARTITIONS] BROKERS
OUTDIR TOPIC...: pipeline job 1 in Spark Structured Streaming, reading
each topic through Spark's Kafka connector as the seeds' jobs do, for
tests/spark/t_kafka.sh and tests/bench/b_spark_kafka.sh:

    readStream.format("kafka") from the earliest offsets, the value cast to
    a string and read with from_json, filter action == "login",
    withWatermark("ts", "10 minutes"), groupBy(window("ts", "1 hour"),
    "user").count(), append mode, trigger(availableNow=True), memory sink.

The hours' statistics (mean, stddev_samp and percentile 0.99 of the
logins across the users of each hour) are then a batch query over what
the stream emitted: a streaming query cannot aggregate an aggregate in
append mode, and the stream only emits the windows its watermark closed.
One query per TOPIC, all in one session and running at once.
MAX_OFFSETS_PER_TRIGGER, when given, cuts each topic into micro-batches
of that many records, so the watermark moves between them as it does on
a live topic.  MIN_PARTITIONS (Kafka source option minPartitions) splits
a topic partition's records among that many Spark tasks, so that one
partition does not keep Spark to one core.

The connector's jars are the *.jar files in $KPIPE_SPARK_KAFKA_JARS
(default: spark-kafka/jars/ in the virtualenv, where `make spark-deps` puts
them).  OUTDIR gets, for each TOPIC:
    TOPIC.windows    {"window":{"start":US,"end":US},"user":U,"logins":N}
    TOPIC.hours      {"window.start":US,"logins_mean":..,"logins_stddev":..,
                     "logins_p99":..}
    TOPIC.watermark  the query's last watermark, epoch microseconds
    TOPIC.batches    how many micro-batches read records
(US: epoch microseconds, as tests/spark/compare.py reads them).  The last
line of standard output is "job_seconds J query_seconds Q cpu_seconds C":
J is the wall time of the jobs alone, after the session started, the
hours' batch query included; Q the streaming queries' own time, the sum of
their micro-batches' triggerExecution; C the CPU time of the JVM and of
this Python process, start-up included (the JVM is not a child that
/usr/bin/time would count)."""
import argparse, datetime, glob, json, os, shutil, sys, tempfile, time

from pyspark.sql import SparkSession, functions as F

ap = argparse.ArgumentParser()
ap.add_argument("-m", "--max-offsets")
ap.add_argument("-p", "--min-partitions")
ap.add_argument("brokers")
ap.add_argument("outdir")
ap.add_argument("topics", nargs="+")
a = ap.parse_args()
jardir = os.environ.get("KPIPE_SPARK_KAFKA_JARS") or os.path.join(sys.prefix, "spark-kafka", "jars")
jars = sorted(glob.glob(os.path.join(jardir, "*.jar")))
if not jars:
    sys.exit("spark_kafka.py: no connector jars in %s (make spark-deps)" % jardir)

spark = (SparkSession.builder.master("local[2]").appName("kpipe-spark-kafka")
         .config("spark.jars", ",".join(jars))
         .config("spark.sql.session.timeZone", "UTC")
         .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.shuffle.partitions", "2").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
tmp = tempfile.mkdtemp(prefix="kpipe-spark-kafka-")
t0 = time.monotonic()

schema = "user string, action string, timestamp string, latency_ms double, bytes double"
epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def start(topic):
    src = (spark.readStream.format("kafka").option("kafka.bootstrap.servers", a.brokers)
           .option("subscribe", topic).option("startingOffsets", "earliest"))
    if a.max_offsets:
        src = src.option("maxOffsetsPerTrigger", a.max_offsets)
    if a.min_partitions:
        src = src.option("minPartitions", a.min_partitions)
    ev = (src.load().select(F.from_json(F.col("value").cast("string"), schema).alias("e")).select("e.*")
          .withColumn("ts", F.to_timestamp("timestamp")))
    logins = (ev.where(F.col("action") == "login").withWatermark("ts", "10 minutes")
              .groupBy(F.window("ts", "1 hour").alias("w"), "user").agg(F.count(F.lit(1)).alias("logins")))
    return (logins.writeStream.outputMode("append").format("memory").queryName("job1_%d" % len(queries))
            .option("checkpointLocation", os.path.join(tmp, "checkpoint-%d" % len(queries)))
            .trigger(availableNow=True).start())


def write(path, rows):
    with open(path, "w") as f:
        for r in rows:
            f.write(json.dumps(r.asDict(recursive=True), separators=(",", ":")) + "\n")


queries, query_ms = [], 0
for topic in a.topics:
    queries.append(start(topic))
for topic, q in zip(a.topics, queries):
    q.awaitTermination()
    query_ms += sum(p["durationMs"].get("triggerExecution", 0) for p in q.recentProgress)
    out = os.path.join(a.outdir, topic)
    emitted = spark.table(q.name)
    write(out + ".windows", emitted.select(
        F.struct(F.unix_micros("w.start").alias("start"), F.unix_micros("w.end").alias("end")).alias("window"),
        "user", "logins").collect())
    write(out + ".hours", emitted.groupBy(F.unix_micros("w.start").alias("window.start")).agg(
        F.avg("logins").alias("logins_mean"), F.stddev_samp("logins").alias("logins_stddev"),
        F.expr("percentile(logins, 0.99)").alias("logins_p99")).collect())
    with open(out + ".batches", "w") as f:
        f.write("%d\n" % sum(1 for p in q.recentProgress if p["numInputRows"] > 0))
    with open(out + ".watermark", "w") as f:
        wm = q.lastProgress["eventTime"].get("watermark")
        if wm:
            d = datetime.datetime.fromisoformat(wm.replace("Z", "+00:00"))
            f.write("%d\n" % ((d - epoch) // datetime.timedelta(microseconds=1)))
job = time.monotonic() - t0

with open("/proc/%d/stat" % spark.sparkContext._gateway.proc.pid) as f:
    ticks = f.read().rsplit(")", 1)[1].split()
jvm = (int(ticks[11]) + int(ticks[12])) / os.sysconf("SC_CLK_TCK")    # utime, stime
me = os.times()
print("job_seconds %.2f query_seconds %.2f cpu_seconds %.2f" % (job, query_ms / 1000, jvm + me.user + me.system))
spark.stop()
shutil.rmtree(tmp)
