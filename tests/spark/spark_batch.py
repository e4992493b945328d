#!/usr/bin/env python3
"""spark_batch.py EVENTS ODD ODD_MS OUTDIR: the reference answers for
t_batch.sh, computed by PySpark in batch mode (one local[2] session for
all of them).  ODD is a small input with awkward cases (times before 1970,
null and missing values); ODD_MS is the same with epoch-millisecond times.
times.ndjson and degenerate.ndjson, next to this script, are hand-written
inputs: times written in every way Spark's to_timestamp reads, and groups
of one value, equal values, only nulls.

Each job writes OUTDIR/NAME, one JSON object per row, the column names
being the ones kpipe prints for the same job.  Windows are written as
{"start": MICROS, "end": MICROS} (epoch microseconds, from unix_micros) so
that no time zone or timestamp formatting sits between the two programs;
the comparison parses kpipe's RFC 3339 instead.  Rows are in no particular
order: the comparison keys them."""
import json, os, sys

from pyspark.sql import SparkSession, functions as F

events, odd_events, odd_ms_events, outdir = sys.argv[1:5]
here = os.path.dirname(os.path.abspath(__file__))
spark = (SparkSession.builder.master("local[2]").appName("kpipe-spark-oracle")
         .config("spark.sql.session.timeZone", "UTC")
         .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.shuffle.partitions", "2").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")

# Numbers as doubles, as kpipe holds them.  Every record has every field.
schema = "user string, action string, timestamp string, latency_ms double, bytes double"
df = spark.read.schema(schema).json(events).withColumn("ts", F.to_timestamp("timestamp")).cache()
odd = spark.read.schema(schema).json(odd_events).withColumn("ts", F.to_timestamp("timestamp")).cache()
odd_ms = (spark.read.schema(schema.replace("timestamp string", "timestamp long")).json(odd_ms_events)
          .withColumn("ts", F.timestamp_millis("timestamp")))
lat = F.col("latency_ms")
pct = lambda c, p: F.expr("percentile(%s, %s)" % (c, p))


def micros(w):
    return F.struct(F.unix_micros(F.col(w + ".start")).alias("start"),
                    F.unix_micros(F.col(w + ".end")).alias("end")).alias("window")


def save(name, frame):
    with open(os.path.join(outdir, name), "w") as f:
        for r in frame.collect():
            f.write(json.dumps(r.asDict(recursive=True), separators=(",", ":")) + "\n")


def windowed(name, w, *aggs, frame=df):
    g = frame.groupBy(w.alias("w"), "user").agg(*aggs)
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

# g) pipeline job 1 without the watermark: logins per user and hour, then
# their mean, stddev and p99 across the users of each hour.
logins = (df.where(F.col("action") == "login")
          .groupBy(F.window("ts", "1 hour").alias("w"), "user").agg(F.count(F.lit(1)).alias("logins")))
save("job1", logins.groupBy(F.unix_micros("w.start").alias("window.start")).agg(
    F.avg("logins").alias("logins_mean"), F.stddev_samp("logins").alias("logins_stddev"),
    pct("logins", 0.99).alias("logins_p99")))
# h) the awkward input: windows that straddle 1970 (negative epoch times
# floor, not truncate), a slide that does not divide the window, nulls and
# missing fields skipped, population moments, distinct values and sets.
lb = ("latency_ms", "bytes")
windowed("odd_slide", F.window("ts", "10 minutes", "3 minutes"),
         F.count(F.lit(1)).alias("count"), F.count(lat).alias("count_latency_ms"),
         F.avg(lat).alias("avg_latency_ms"), F.sum("bytes").alias("sum_bytes"),
         F.var_pop(lat).alias("var_pop_latency_ms"), F.stddev_pop(lat).alias("stddev_pop_latency_ms"),
         F.var_samp("bytes").alias("var_samp_bytes"), F.min("bytes").alias("min_bytes"),
         F.covar_pop(*lb).alias("covar_pop_latency_ms_bytes"), F.corr(*lb).alias("corr_latency_ms_bytes"),
         F.countDistinct("action").alias("count_distinct_action"),
         F.collect_set("action").alias("collect_set_action"), frame=odd)
windowed("odd_session", F.session_window("ts", "90 seconds"),
         F.count(F.lit(1)).alias("count"), F.max(lat).alias("max_latency_ms"),
         F.collect_list("bytes").alias("collect_list_bytes"), frame=odd)
# approx_percentile below its accuracy is exact: an input value, not an
# interpolation; percentile at 0 and 1 is the minimum and maximum
windowed("odd_pct", F.window("ts", "1 hour"),
         F.percentile_approx(lat, 0.5).alias("a50"), F.percentile_approx(lat, 0.9).alias("a90"),
         pct("latency_ms", 0).alias("p0"), pct("latency_ms", 1).alias("p100"),
         pct("bytes", 0.25).alias("p25"), frame=odd)
windowed("odd_epoch", F.window("ts", "1 hour", "20 minutes", "7 minutes"),
         F.count(F.lit(1)).alias("count"), F.sum(lat).alias("sum_latency_ms"), frame=odd_ms)
# i) times with offsets, fractions of every length, no zone (the session's
# zone, UTC), a date alone, 1900: the same instants, to the microsecond
windowed("times", F.window("ts", "1 second"), F.count(F.lit(1)).alias("count"),
         F.collect_list("timestamp").alias("collect_list_timestamp"),
         frame=spark.read.schema("user string, timestamp string").json(os.path.join(here, "times.ndjson"))
         .withColumn("ts", F.to_timestamp("timestamp")))
# j) degenerate groups: what is null, what is 0.  first, last and the order
# of collect_list are left out: Spark calls them non-deterministic after a
# shuffle, and they are.
x, y = F.col("x"), F.col("y")
degen = (spark.read.schema("g string, ts timestamp, x double, y double, s string")
         .json(os.path.join(here, "degenerate.ndjson")))
windowed("degenerate", F.window("ts", "1 hour"),
         F.count(F.lit(1)).alias("count"), F.count(x).alias("count_x"), F.sum(x).alias("sum_x"),
         F.avg(x).alias("avg_x"), F.min(x).alias("min_x"), F.max(x).alias("max_x"),
         F.var_samp(x).alias("var_samp_x"), F.var_pop(x).alias("var_pop_x"),
         F.stddev_samp(x).alias("stddev_samp_x"), F.stddev_pop(x).alias("stddev_pop_x"),
         F.covar_samp(x, y).alias("covar_samp_x_y"), F.covar_pop(x, y).alias("covar_pop_x_y"),
         F.corr(x, y).alias("corr_x_y"), pct("x", 0.5).alias("percentile_x"),
         F.percentile_approx(x, 0.5).alias("approx_percentile_x"),
         F.collect_list("s").alias("collect_list_s"), F.collect_set("s").alias("collect_set_s"),
         F.countDistinct("s").alias("count_distinct_s"),
         frame=degen.withColumnRenamed("g", "user"))
save("degenerate_stats", degen.groupBy("g").agg(
    F.count(x).alias("x_count"), F.sum(x).alias("x_sum"), F.avg(x).alias("x_mean"),
    F.stddev_samp(x).alias("x_stddev"), F.var_samp(x).alias("x_var"), F.var_pop(x).alias("x_var_pop"),
    F.stddev_pop(x).alias("x_stddev_pop"), F.min(x).alias("x_min"), F.max(x).alias("x_max"),
    pct("x", 0.5).alias("x_median"), F.skewness(x).alias("x_skewness"), F.kurtosis(x).alias("x_kurtosis"),
    F.countDistinct(x).alias("x_distinct"), F.covar_samp(x, y).alias("x_y_cov_samp"),
    F.covar_pop(x, y).alias("x_y_cov_pop"), F.corr(x, y).alias("x_y_corr")))
stats = []
for f in lb:
    c = F.col(f)
    stats += [F.count(c).alias(f + "_count"), F.sum(c).alias(f + "_sum"), F.avg(c).alias(f + "_mean"),
              F.var_pop(c).alias(f + "_var_pop"), F.stddev_pop(c).alias(f + "_stddev_pop"),
              F.skewness(c).alias(f + "_skewness"), F.kurtosis(c).alias(f + "_kurtosis"),
              F.countDistinct(c).alias(f + "_distinct")]
save("odd_stats", odd.groupBy("user").agg(*stats))
spark.stop()
