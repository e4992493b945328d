#!/usr/bin/env bash
# kout and kcat-in against a real three-broker Kafka 4.x cluster that loses
# brokers (tests/kafka/cluster.sh; the jars of broker.sh).  Skipped without
# java and mvn, unless KPIPE_REQUIRE_REAL_KAFKA=1: then a cluster that
# cannot be had is a failure.  The independent side is Debian's kcat,
# Kafka's own Admin API and Python.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/brokers.sh"
CLUSTER=$KPIPE_ROOT/tests/kafka/cluster.sh
C=$TMP/cluster
name="three-broker Kafka cluster"
command -v java >/dev/null && command -v mvn >/dev/null ||
	kafka_unavailable "$name" "java or mvn not installed (make deps)"
command -v kcat >/dev/null || kafka_unavailable "$name" "kcat not installed (make deps)"

# Whatever happens, no broker or client outlives the test.
BG=
cleanup() {
	local p
	for p in $BG; do kill -9 "$p" 2>/dev/null; done
	"$CLUSTER" stop "$C"
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

B=$("$CLUSTER" start "$C" 2>"$TMP/cluster.err") ||
	kafka_unavailable "$name" "did not start: $(tail -n 5 "$TMP/cluster.err")"
ok "$name starts at $B"

# Short group timeouts speed rejoining up, but must outlast the cluster's
# move of a dead coordinator (broker.session.timeout.ms=4000, then an
# election): with 6 s, librdkafka 2.0.2 declares the assignment lost, and
# kcat-in's commit on revocation fails (exit 3).
GX="-X session.timeout.ms=15000 -X max.poll.interval.ms=20000 -X heartbeat.interval.ms=500"
count_lines() { wc -l <"$1" | tr -d ' '; }
since() { echo $((SECONDS - $1)); }

# The node leading partition P of TOPIC, as the cluster's metadata says.
leader_of() {
	kcat -b "$B" -L -J -t "$1" 2>/dev/null | python3 -c '
import json, sys
md = json.load(sys.stdin)
print(next(p["leader"] for p in md["topics"][0]["partitions"] if p["partition"] == int(sys.argv[1])))' "$2"
}

# The number of messages in partition P of TOPIC (its high watermark).
high_mark() { kcat -b "$B" -Q -t "$1:$2:-1" 2>/dev/null | awk '{ print $NF }'; }

# Lines of FILE on standard output, N every 0.1 s: a producer's input that
# lasts long enough to lose a broker under it.
paced() {
	python3 -c '
import sys, time
lines = open(sys.argv[1]).readlines()
n = int(sys.argv[2])
for i in range(0, len(lines), n):
    sys.stdout.writelines(lines[i:i + n]); sys.stdout.flush(); time.sleep(0.1)' "$1" "$2"
}

# Numbered events of about 110 bytes: {"id":N,...} for N in 1..COUNT.
events() {
	python3 -c '
import json, sys
for i in range(1, int(sys.argv[1]) + 1):
    print(json.dumps({"id": i, "user": "u%03d" % (i * 7 % 1000), "action": "view",
                      "bytes": i * 7919 % 65536, "note": "x" * 40}, separators=(",", ":")))' "$1"
}

# --- topics: replication factor 3, min.insync.replicas=2, all replicas in sync
"$CLUSTER" topics "$C" acks:1 group:4 gone:4 >"$TMP/topics" 2>"$TMP/topics.err"
check_eq "cluster: topics have 3 replicas and min.insync.replicas=2 (Admin API)" \
	"acks partitions=1 replicas=3 min.insync.replicas=2
group partitions=4 replicas=3 min.insync.replicas=2
gone partitions=4 replicas=3 min.insync.replicas=2" "$(cat "$TMP/topics" "$TMP/topics.err")"
check "cluster: every replica in sync" "$CLUSTER" in-sync "$C"
kcat -b "$B" -L -t group >"$TMP/md"
check_eq "cluster: kcat sees 4 partitions of group on 3 replicas each" 4 \
	"$(grep -c 'replicas: [123],[123],[123], isrs: [123],[123],[123]$' "$TMP/md")"

# --- kout -X acks=all, 100 000 records, the partition's leader killed with
# kill -9 once records flow, restarted two seconds later: exit 0, and
# every record exactly once.
events 100000 >"$TMP/ev"
start=$SECONDS
paced "$TMP/ev" 2000 | kout -b "$B" -t acks -X acks=all 2>"$TMP/kout.err" & pk=$!
BG="$BG $pk"
leader=$(leader_of acks 0)
end=$((SECONDS + 60))
while [ "$SECONDS" -lt "$end" ]; do
	[ "$(high_mark acks 0)" -ge 10000 ] 2>/dev/null && break
	sleep 0.1
done
echo "# acks=all: leader $leader killed at $(high_mark acks 0) of 100000 records"
"$CLUSTER" kill "$C" "$leader"
sleep 2
"$CLUSTER" restart "$C" "$leader" >/dev/null 2>"$TMP/restart.err" & pr=$!
wait $pk
check_eq "cluster: kout acks=all, leader killed: exit 0" 0 $?
wait $pr
check_eq "cluster: killed leader restarts" 0 $?
echo "# acks=all: kout with the leader killed and restarted took $(since $start) s"
kcat-in -b "$B" -t acks -e 2>"$TMP/err" | jq -r .value | sort >"$TMP/got"
sort "$TMP/ev" >"$TMP/want"
check_eq "cluster: kout acks=all, leader killed: 100000 records in the topic" 100000 "$(count_lines "$TMP/got")"
check_file_eq "cluster: kout acks=all, leader killed: every record exactly once" "$TMP/want" "$TMP/got"
check "cluster: replicas in sync again after the restart" "$CLUSTER" in-sync "$C"

# --- a group of two kcat-in -G reading while a broker is killed.  kout
# writes 30 000 records over about six seconds; three seconds in, the node
# leading partition 0 is killed and stays down.
events 30000 >"$TMP/gev"
kcat-in -b "$B" -t group -G g1 $GX >"$TMP/ga" 2>"$TMP/ga.err" & pa=$!
kcat-in -b "$B" -t group -G g1 $GX >"$TMP/gb" 2>"$TMP/gb.err" & pb=$!
BG="$BG $pa $pb"
sleep 2
paced "$TMP/gev" 500 | kout -b "$B" -t group 2>"$TMP/gk.err" & pk=$!
BG="$BG $pk"
sleep 3
victim=$(leader_of group 0)
"$CLUSTER" kill "$C" "$victim"
killed=$SECONDS
wait $pk
check_eq "cluster: group: kout with node $victim killed: exit 0" 0 $?
for ((i = 0; i < 600; i++)); do
	[ $(($(count_lines "$TMP/ga") + $(count_lines "$TMP/gb"))) -ge 30000 ] && break
	sleep 0.1
done
echo "# group: every record read $(since $killed) s after node $victim was killed"
alive=0
kill -0 $pa 2>/dev/null && alive=$((alive + 1))
kill -0 $pb 2>/dev/null && alive=$((alive + 1))
check_eq "cluster: group: neither kcat-in exits while two brokers remain" 2 $alive
# Leaving one at a time, each commits what it wrote; then nothing is left.
# The second waits for the group to settle after the first left: told to
# stop at once, it had its assignment declared lost in one run of four
# (librdkafka 2.0.2 answers an auto-commit of the old generation with
# ILLEGAL_GENERATION), its last commit failed, and it exited 3.
start=$SECONDS
kill -TERM $pb; wait $pb; rb=$?
sleep 3
kill -TERM $pa; wait $pa; ra=$?
[ "$ra $rb" = "0 0" ] && ok "cluster: group: both leave on SIGTERM, exit 0" ||
	fail "cluster: group: both leave on SIGTERM, exit 0" "$ra $rb: $(tail -n 2 "$TMP/ga.err" "$TMP/gb.err")"
[ "$(since $start)" -le 33 ] && ok "cluster: group: leaving does not hang ($(since $start) s)" ||
	fail "cluster: group: leaving does not hang" "$(since $start) s"
jq -r .value "$TMP/ga" "$TMP/gb" | sort -u >"$TMP/gunion"
sort "$TMP/gev" >"$TMP/gwant"
check_file_eq "cluster: group: union of both is the input, nothing lost" "$TMP/gwant" "$TMP/gunion"
if [ -s "$TMP/ga" ] && [ -s "$TMP/gb" ]; then ok "cluster: group: both members got records"
else fail "cluster: group: both members got records" "$(count_lines "$TMP/ga") and $(count_lines "$TMP/gb") lines"; fi
# A record read twice is the same message (partition and offset), and it
# lies at the end of the run of offsets one member read before the
# partition moved and at the start of the run the next one read from the
# last commit: the uncommitted tail, nothing else.
python3 - "$TMP/ga" "$TMP/gb" >"$TMP/dups" 2>&1 <<'EOF'
import json, sys
runs, seen = [], {}
for f in sys.argv[1:]:
    last = {}
    for line in open(f):
        r = json.loads(line)
        p, o = r["partition"], r["offset"]
        if seen.setdefault((p, o), r["value"]) != r["value"]:
            sys.exit("partition %d offset %d: two different values" % (p, o))
        if last.get(p) is None or o != runs[last[p]][-1] + 1:
            runs.append([o]); last[p] = len(runs) - 1
            runs[-1].insert(0, p)
        else:
            runs[last[p]].append(o)
count = {}
for run in runs:
    for o in run[1:]:
        count[(run[0], o)] = count.get((run[0], o), 0) + 1
if any(c > 2 for c in count.values()):
    sys.exit("a record read more than twice")
for run in runs:
    twice = [count[(run[0], o)] == 2 for o in run[1:]]
    # twice: a prefix or a suffix of the run (or all of it)
    flips = sum(1 for a, b in zip(twice, twice[1:]) if a != b)
    if flips > 1:
        sys.exit("partition %d: a record read twice inside a run of offsets %d-%d" % (run[0], run[1], run[-1]))
print(sum(1 for c in count.values() if c == 2))
EOF
dups=$(tail -n 1 "$TMP/dups")
[[ $dups =~ ^[0-9]+$ ]] && ok "cluster: group: duplicates only from an uncommitted tail ($dups)" ||
	fail "cluster: group: duplicates only from an uncommitted tail" "$(cat "$TMP/dups")"
kcat-in -b "$B" -t group -G g1 $GX -e >"$TMP/gc" 2>"$TMP/gc.err"
check_eq "cluster: group: everything written was committed, nothing read again" "0 0" \
	"$? $(count_lines "$TMP/gc")"

# --- all three brokers gone under a kcat-in -G and a kout: both exit 3
# within their timeouts (--timeout 5; message.timeout.ms=5000), saying how
# many records were and were not delivered.
events 20000 >"$TMP/xev"
kcat-in -b "$B" -t gone -G g2 $GX --timeout 5 >"$TMP/xa" 2>"$TMP/xa.err" & pa=$!
BG="$BG $pa"
{ paced "$TMP/xev" 500; touch "$TMP/fed"; } |
	kout -b "$B" -t gone -X message.timeout.ms=5000 --errors "$TMP/xdl" 2>"$TMP/xk.err" & pk=$!
BG="$BG $pk"
# Gone while kout still reads its input, once kcat-in has written some.
end=$((SECONDS + 60))
while [ "$SECONDS" -lt "$end" ]; do
	[ "$(count_lines "$TMP/xa")" -ge 3000 ] && break
	sleep 0.1
done
"$CLUSTER" stop "$C"
gone=$SECONDS
# Both are watched together for 40 s: well past either timeout.
rk= ra= tk= ta= tfed=
while [ "$(since $gone)" -lt 40 ] && { [ -z "$rk" ] || [ -z "$ra" ]; }; do
	[ -z "$tfed" ] && [ -f "$TMP/fed" ] && tfed=$(since $gone)
	[ -z "$rk" ] && ! kill -0 $pk 2>/dev/null && { wait $pk; rk=$?; tk=$(since $gone); }
	[ -z "$ra" ] && ! kill -0 $pa 2>/dev/null && { wait $pa; ra=$?; ta=$(since $gone); }
	sleep 0.2
done
echo "# all gone: kout read its last record after ${tfed:-?} s, ended after ${tk:-more than 40} s; kcat-in ended after ${ta:-more than 40} s"
check_eq "cluster: all brokers gone: kout exits 3" 3 "${rk:-still running}"
# message.timeout.ms counts from when a message was queued: from the last
# record, read a few seconds after the brokers went.  kout has been seen
# to take 8 s more on this loaded machine: 10 s of slack, far below the
# default 300 s.
[ -n "$tk" ] && [ $((tk - ${tfed:-0})) -le 15 ] &&
	ok "cluster: all brokers gone: kout ends within message.timeout.ms of its last record ($((tk - ${tfed:-0})) s)" ||
	fail "cluster: all brokers gone: kout ends within message.timeout.ms" "after ${tk:-more than 40} s, its last record after ${tfed:-?} s"
missing=$(sed -n 's/^kout: \([0-9]*\) of 20000 messages not delivered to .*/\1/p' "$TMP/xk.err")
if [[ $missing =~ ^[0-9]+$ ]] && [ "$missing" -gt 0 ]; then
	ok "cluster: all brokers gone: kout says $missing of 20000 not delivered"
	check_eq "cluster: all brokers gone: kout dead-letters those $missing" "$missing" "$(count_lines "$TMP/xdl")"
else
	fail "cluster: all brokers gone: kout counts what was not delivered" "$(grep -v 'not delivered:' "$TMP/xk.err" | tail -n 3)"
fi
check_eq "cluster: all brokers gone: kcat-in -G exits 3" 3 "${ra:-still running}"
[ -n "$ta" ] && [ "$ta" -le 15 ] && ok "cluster: all brokers gone: kcat-in ends within --timeout ($ta s)" ||
	fail "cluster: all brokers gone: kcat-in ends within --timeout 5" "after ${ta:-more than 40} s"
written=$(count_lines "$TMP/xa")
grep -q "giving up: $written records written" "$TMP/xa.err" &&
	ok "cluster: all brokers gone: kcat-in says it wrote $written records" ||
	fail "cluster: all brokers gone: kcat-in counts what it wrote ($written)" "$(tail -n 3 "$TMP/xa.err")"
