#!/usr/bin/env python3
"""spark_ref.py EVENTS OUTDIR: run the same windowed aggregations as
t_pyspark.sh in PySpark (batch groupBy(window) and session_window, the
inputs have no late records) and write each result to OUTDIR/NAME as
jwindow's JSON lines, sorted by window end, start and user."""
import datetime, json, os, sys

os.environ["TZ"] = "UTC"
from pyspark.sql import SparkSession, functions as F

spark = (SparkSession.builder.master("local[1]").appName("jwindow-test")
         .config("spark.sql.session.timeZone", "UTC")
         .config("spark.ui.enabled", "false")
         .config("spark.sql.shuffle.partitions", "2").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")

df = (spark.read.schema("user string, timestamp string, latency_ms double, bytes double")
      .json(sys.argv[1]).withColumn("ts", F.to_timestamp("timestamp")))
aggs = [F.count(F.lit(1)).alias("count"), F.count("latency_ms").alias("count_latency_ms"),
        F.sum("latency_ms").alias("sum_latency_ms"), F.avg("latency_ms").alias("avg_latency_ms"),
        F.min("latency_ms").alias("min_latency_ms"), F.max("latency_ms").alias("max_latency_ms"),
        F.stddev("latency_ms").alias("stddev_latency_ms"), F.var_pop("latency_ms").alias("var_pop_latency_ms"),
        F.expr("percentile(latency_ms, 0.5)").alias("percentile_latency_ms"),
        F.countDistinct("bytes").alias("count_distinct_bytes"),
        F.corr("latency_ms", "bytes").alias("corr_latency_ms_bytes")]
jobs = {
    "tumble": F.window("ts", "1 minute"),
    "slide": F.window("ts", "1 minute", "20 seconds", "5 seconds"),
    "session": F.session_window("ts", "5 seconds"),
}


def fmt(d):
    s = d.strftime("%Y-%m-%dT%H:%M:%S")
    if d.microsecond % 1000 == 0 and d.microsecond:
        s += ".%03d" % (d.microsecond // 1000)
    elif d.microsecond:
        s += ".%06d" % d.microsecond
    return s + "Z"


for name, w in jobs.items():
    rows = df.groupBy(w.alias("window"), "user").agg(*aggs).collect()
    rows.sort(key=lambda r: (r.window.end, r.window.start, r.user))
    with open(os.path.join(sys.argv[2], name), "w") as f:
        for r in rows:
            d = r.asDict(recursive=True)
            d["window"] = {"start": fmt(d["window"]["start"]), "end": fmt(d["window"]["end"])}
            f.write(json.dumps(d, separators=(",", ":")) + "\n")
spark.stop()
