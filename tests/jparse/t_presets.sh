#!/usr/bin/env bash
# The presets against loghub (logpai; Zhu et al., ISSRE 2023): for each
# system, all 2 000 lines parsed with the preset must give the fields of
# the dataset authors' own split, <System>_2k.log_structured.csv, read with
# python3's csv module.  The mapping from their column names to ours is
# below.  Their split is on blanks, so a syslog day " 7" is their "7" and
# our time keeps the log's own spacing ("Jul  7 08:06:15").
#
# Then --time: every line's time must parse, and equal python's strptime
# of the same columns.
. "$(dirname "$0")/../lib.sh"

lh=$TESTDATA/loghub
if [ ! -d "$lh" ]; then
	skip presets "no $lh"
	exit 0
fi

compare() {	# NAME SYSTEM PRESET [jparse options]
	local name=$1 sys=$2 preset=$3; shift 3
	local log=$lh/$sys/${sys}_2k.log csv=$lh/$sys/${sys}_2k.log_structured.csv
	if ! jparse --format "$preset" "$@" "$log" >"$TMP/$name.out" 2>"$TMP/$name.err"; then
		fail "$name" "jparse failed: $(head -c 300 "$TMP/$name.err")"
		return
	fi
	local msg
	if msg=$(python3 - "$sys" "$csv" "$TMP/$name.out" "$*" 2>&1 <<'PY'
import csv, datetime, json, sys
system, csvfile, out, opts = sys.argv[1:5]
timed = "--time" in opts
rows = list(csv.DictReader(open(csvfile, newline="", encoding="utf-8")))
got = [json.loads(l) for l in open(out, encoding="utf-8")]
if len(rows) != len(got):
    sys.exit(f"{len(rows)} rows in the CSV, {len(got)} records")

def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")

def expect(r):
    if system == "Apache":
        t = r["Time"]
        if timed: t = iso(datetime.datetime.strptime(t, "%a %b %d %H:%M:%S %Y"))
        return {"time": t, "level": r["Level"], "message": r["Content"]}
    if system == "HDFS":
        t = r["Date"] + " " + r["Time"]
        if timed: t = iso(datetime.datetime.strptime(t, "%y%m%d %H%M%S"))
        return {"time": t, "pid": r["Pid"], "level": r["Level"],
                "component": r["Component"], "message": r["Content"]}
    if system == "Spark":
        t = r["Date"] + " " + r["Time"]
        if timed: t = iso(datetime.datetime.strptime(t, "%y/%m/%d %H:%M:%S"))
        return {"time": t, "level": r["Level"], "component": r["Component"],
                "message": r["Content"]}
    if system == "Linux":
        mon, day, hms = r["Month"], r["Date"], r["Time"]
        host, prog, pid = r["Level"], r["Component"], r["PID"]
    else:   # OpenSSH
        mon, day, hms = r["Date"], r["Day"], r["Time"]
        host, prog, pid = r["Component"], None, r["Pid"]
    t = f"{mon} {day:>2} {hms}"
    if timed: t = iso(datetime.datetime.strptime(f"2005 {mon} {day} {hms}", "%Y %b %d %H:%M:%S"))
    e = {"time": t, "host": host, "pid": pid or None, "message": r["Content"]}
    if prog is not None: e["program"] = prog
    return e

bad = 0
for i, (r, g) in enumerate(zip(rows, got), 1):
    e = expect(r)
    diff = {k: (v, g.get(k)) for k, v in e.items() if g.get(k) != v}
    if diff:
        bad += 1
        if bad <= 3: print(f"line {i}: {diff}")
if bad:
    sys.exit(f"{bad} of {len(rows)} lines differ")
PY
	); then ok "$name"; else fail "$name" "$msg"; fi
}

compare apache  Apache  apache-error --strings
compare hdfs    HDFS    hdfs         --strings
compare spark   Spark   spark        --strings
compare linux   Linux   linux        --strings
compare openssh OpenSSH openssh      --strings
compare apache-time  Apache  apache-error --strings --time time
compare hdfs-time    HDFS    hdfs         --strings --time time
compare spark-time   Spark   spark        --strings --time time
compare linux-time   Linux   linux        --strings --time time --year 2005
compare openssh-time OpenSSH syslog       --strings --time time --year 2005

# With inference on, a pid is a number and HDFS's date-time stays text.
got=$(head -n 1 "$lh/HDFS/HDFS_2k.log" | jparse --format hdfs | python3 -c '
import json, sys; r = json.loads(sys.stdin.read()); print(type(r["pid"]).__name__, r["time"])')
check_eq hdfs-infer "int 081109 203615" "$got"
