#!/usr/bin/env python3
"""spark_batch.py EVENTS OUTDIR: the reference answers for t_batch.sh,
computed by PySpark in batch mode (one local[2] session for all of them).

Each job writes OUTDIR/NAME, one JSON object per row, the column names
being the ones kpipe prints for the same job.  Windows are written as
{"start": MICROS, "end": MICROS} (epoch microseconds, from unix_micros) so
that no time zone or timestamp formatting sits between the two programs;
the comparison parses kpipe's RFC 3339 instead.  Rows are in no particular
order: the comparison keys them."""
import json, os, sys

from pyspark.sql import SparkSession, functions as F

events, outdir = sys.argv[1], sys.argv[2]
spark = (SparkSession.builder.master("local[2]").appName("kpipe-spark-oracle")
         .config("spark.sql.session.timeZone", "UTC")
         .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.shuffle.partitions", "2").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")

# Numbers as doubles, as kpipe holds them.  Every record has every field.
df = (spark.read.schema("user string, action string, timestamp string, latency_ms double, bytes double")
      .json(events).withColumn("ts", F.to_timestamp("timestamp")).cache())
lat = F.col("latency_ms")
pct = lambda c, p: F.expr("percentile(%s, %s)" % (c, p))


def micros(w):
    return F.struct(F.unix_micros(F.col(w + ".start")).alias("start"),
                    F.unix_micros(F.col(w + ".end")).alias("end")).alias("window")


def save(name, frame):
    with open(os.path.join(outdir, name), "w") as f:
        for r in frame.collect():
            f.write(json.dumps(r.asDict(recursive=True), separators=(",", ":")) + "\n")


def windowed(name, w, *aggs):
    g = df.groupBy(w.alias("w"), "user").agg(*aggs)
    save(name, g.select(micros("w"), "user", *[c for c in g.columns if c not in ("w", "user")]))


basic = [F.count(F.lit(1)).alias("count"), F.avg(lat).alias("avg_latency_ms"),
         F.stddev_samp(lat).alias("stddev_latency_ms"), F.min(lat).alias("min_latency_ms"),
         F.max(lat).alias("max_latency_ms"), F.sum(lat).alias("sum_latency_ms")]

# a) and b): tumbling and sliding windows.
windowed("tumble", F.window("ts", "1 hour"), *basic)
windowed("slide", F.window("ts", "10 minutes", "5 minutes"), *basic)

# c) sessions with their actions.  Spark sorts each group's rows by time to
# merge sessions, so its collect_list is in event-time order while
# jwindow's is in arrival order: the test compares the lists sorted.
windowed("session", F.session_window("ts", "5 minutes"),
         F.count(F.lit(1)).alias("count"), F.collect_list("action").alias("actions"))

# d) exact percentiles, correlation and sample covariance per hour.
windowed("pct", F.window("ts", "1 hour"),
         pct("latency_ms", 0.5).alias("p50"), pct("latency_ms", 0.9).alias("p90"),
         F.corr("latency_ms", "bytes").alias("corr"),
         F.covar_samp("latency_ms", "bytes").alias("covar"))

# e) per-user statistics of the whole input, named as jstats names them.
save("stats", df.groupBy("user").agg(
    F.count(lat).alias("latency_ms_count"), F.avg(lat).alias("latency_ms_mean"),
    F.stddev_samp(lat).alias("latency_ms_stddev"), F.var_samp(lat).alias("latency_ms_var"),
    F.var_pop(lat).alias("latency_ms_var_pop"), F.min(lat).alias("latency_ms_min"),
    F.max(lat).alias("latency_ms_max"), pct("latency_ms", 0.5).alias("latency_ms_median"),
    pct("latency_ms", 0.9).alias("latency_ms_p90"), pct("latency_ms", 0.99).alias("latency_ms_p99")))
save("pair", df.groupBy("user").agg(
    F.covar_samp("latency_ms", "bytes").alias("latency_ms_bytes_cov_samp"),
    F.covar_pop("latency_ms", "bytes").alias("latency_ms_bytes_cov_pop"),
    F.corr("latency_ms", "bytes").alias("latency_ms_bytes_corr")))

# g) issue 8's job 1 without the watermark: logins per user and hour, then
# their mean, stddev and p99 across the users of each hour.
logins = (df.where(F.col("action") == "login")
          .groupBy(F.window("ts", "1 hour").alias("w"), "user").agg(F.count(F.lit(1)).alias("logins")))
save("job1", logins.groupBy(F.unix_micros("w.start").alias("window.start")).agg(
    F.avg("logins").alias("logins_mean"), F.stddev_samp("logins").alias("logins_stddev"),
    pct("logins", 0.99).alias("logins_p99")))
spark.stop()
