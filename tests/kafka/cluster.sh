#!/usr/bin/env bash
# A three-node Apache Kafka 4.x (KRaft) cluster on loopback, for tests that
# lose brokers.  Every node is both controller and broker, so any two keep
# the controller quorum and, with min.insync.replicas=2, take writes.
#
#   cluster.sh start DIR      format three nodes' storage under DIR, start
#                             them on free loopback ports, wait until every
#                             one answers with all three brokers registered;
#                             prints the bootstrap list (host:port,...)
#   cluster.sh kill DIR N     kill -9 node N (1-3); its data stays
#   cluster.sh restart DIR N  start node N again on its ports and storage
#   cluster.sh stop DIR       kill -9 every node still running (a test's
#                             data is thrown away: no graceful shutdown)
#   cluster.sh addr DIR N     node N's host:port
#   cluster.sh topics DIR NAME:PARTITIONS...
#                             create the topics with replication factor 3
#                             and min.insync.replicas=2 through Kafka's Admin
#                             API, then print what the cluster says of each:
#                             "NAME partitions=P replicas=R min.insync.replicas=M"
#                             (R: the fewest replicas of any partition)
#   cluster.sh in-sync DIR    wait, at most 90 s, until every partition of
#                             every topic has all three replicas in sync
#
# Topics created otherwise (auto-created, __consumer_offsets) get the same
# replication by the brokers' defaults.  Failure detection is shortened
# (broker.session.timeout.ms=4000) so a killed leader is replaced within
# seconds.  Heaps are small ($KPIPE_KAFKA_HEAP, default -Xmx256m).
#
# The jars are those of tests/kafka/broker.sh (it fetches them through
# Maven into the same cache).  Exit status: 0 ok, 1 failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
KAFKA_VERSION=${KPIPE_KAFKA_VERSION:-4.0.0}
cache=${KPIPE_KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kpipe/kafka-$KAFKA_VERSION}
heap=${KPIPE_KAFKA_HEAP:--Xmx256m}
NODES="1 2 3"

die() { echo "cluster.sh: $*" >&2; exit 1; }

# Six distinct free ports: held open together so none is handed out twice.
free_ports() {
	python3 -c '
import socket
ss = [socket.socket() for _ in range(6)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))'
}

java_exec() {	# CLASS-OR-SOURCE ARGS...: become java, with the cached jars
	exec java $heap -Xss1m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
		-Dlog4j2.configurationFile="$dir/log4j2.properties" \
		-cp "$cache/lib/*" "$@"
}

node_props() {	# N: node N's server.properties
	local n=$1 voters="" m
	for m in $NODES; do
		voters=$voters${voters:+,}$m@127.0.0.1:$(cat "$dir/n$m/cport")
	done
	cat <<EOF
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$(cat "$dir/n$n/port"),CONTROLLER://127.0.0.1:$(cat "$dir/n$n/cport")
advertised.listeners=PLAINTEXT://127.0.0.1:$(cat "$dir/n$n/port")
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/n$n/data
num.partitions=4
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.retention.ms=-1
broker.session.timeout.ms=4000
broker.heartbeat.interval.ms=500
num.network.threads=2
num.io.threads=2
background.threads=2
log.cleaner.threads=1
EOF
}

launch() {	# N: start node N in the background
	local n=$1
	(java_exec kafka.Kafka "$dir/n$n/server.properties") >>"$dir/n$n/broker.log" 2>&1 &
	echo $! >"$dir/n$n/pid"
}

running() { [ -f "$dir/n$1/pid" ] && kill -0 "$(cat "$dir/n$1/pid")" 2>/dev/null; }

# Node N answers metadata naming all three brokers (those registered and
# not fenced by the controllers).
answers() {
	kcat -b "127.0.0.1:$(cat "$dir/n$1/port")" -L -J -m 2 2>/dev/null |
		python3 -c 'import json, sys; sys.exit(len(json.load(sys.stdin)["brokers"]) != 3)' 2>/dev/null
}

wait_ready() {	# N...: wait until these nodes answer, at most 120 s
	local n left end=$((SECONDS + 120))
	while [ "$SECONDS" -lt "$end" ]; do
		left=
		for n in "$@"; do
			running "$n" || { tail -n 20 "$dir/n$n/broker.log" >&2; die "node $n exited during start-up"; }
			answers "$n" || left="$left $n"
		done
		[ -z "$left" ] && return 0
		sleep 0.5
	done
	die "node(s)$left did not answer within 120 s (logs: $dir/n*/broker.log)"
}

bootstrap() {
	local n list=
	for n in $NODES; do list=$list${list:+,}127.0.0.1:$(cat "$dir/n$n/port"); done
	echo "$list"
}

start() {
	local ports n id i=0
	"$here/broker.sh" fetch || exit 1
	mkdir -p "$dir" || die "cannot create $dir"
	read -ra ports <<<"$(free_ports)"
	for n in $NODES; do
		mkdir -p "$dir/n$n"
		echo "${ports[i]}" >"$dir/n$n/port"
		echo "${ports[i + 1]}" >"$dir/n$n/cport"
		i=$((i + 2))
	done
	cat >"$dir/log4j2.properties" <<EOF
rootLogger.level=WARN
rootLogger.appenderRef.out.ref=out
appender.out.type=Console
appender.out.name=out
appender.out.layout.type=PatternLayout
appender.out.layout.pattern=%d %p %c: %m%n
EOF
	# One cluster id for all three; a base64 id may begin with "-".
	id=$(python3 -c 'import base64,uuid; print(base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("="))')
	for n in $NODES; do
		node_props "$n" >"$dir/n$n/server.properties"
		(java_exec kafka.tools.StorageTool format --cluster-id="$id" \
			-c "$dir/n$n/server.properties") >"$dir/n$n/format.log" 2>&1 &
	done
	for n in $NODES; do
		wait -n || { cat "$dir"/n*/format.log >&2; stop; die "formatting storage failed"; }
	done
	# A start-up that fails leaves no node behind.
	trap 'stop' EXIT
	for n in $NODES; do launch "$n"; done
	wait_ready $NODES
	trap - EXIT
	bootstrap
}

stop() {	# all at once, then wait for each to be gone
	local n pids=
	for n in $NODES; do
		[ -f "$dir/n$n/pid" ] || continue
		pids="$pids $(cat "$dir/n$n/pid")"
		rm -f "$dir/n$n/pid"
	done
	for n in $pids; do kill -9 "$n" 2>/dev/null; done
	for n in $pids; do
		while kill -0 "$n" 2>/dev/null; do sleep 0.1; done
	done
	return 0
}

kill_node() {
	local n=$1 pid
	[ -f "$dir/n$n/pid" ] || die "node $n is not running"
	pid=$(cat "$dir/n$n/pid")
	kill -9 "$pid" 2>/dev/null
	while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
	rm -f "$dir/n$n/pid"
}

restart() {
	local n=$1
	running "$n" && die "node $n is running"
	launch "$n"
	wait_ready "$n"
}

# The Admin API program behind "topics": Kafka 4's own command-line tools
# are not among kafka_2.13's dependencies, the client library is.
admin_source() {
	cat <<'EOF'
import java.util.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.common.config.ConfigResource;

public class ClusterTopics {
    public static void main(String[] a) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", a[0]);
        List<String> names = new ArrayList<>();
        List<NewTopic> topics = new ArrayList<>();
        for (String arg : Arrays.asList(a).subList(1, a.length)) {
            String[] np = arg.split(":");
            names.add(np[0]);
            topics.add(new NewTopic(np[0], Integer.parseInt(np[1]), (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")));
        }
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(topics).all().get();
            Map<String, TopicDescription> d = null;
            // A broker may not know a topic yet right after its creation.
            for (int i = 0; d == null; i++) {
                try {
                    d = admin.describeTopics(names).allTopicNames().get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (i == 40) throw e;
                    Thread.sleep(250);
                }
            }
            for (String n : names) {
                ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, n);
                Config c = admin.describeConfigs(List.of(r)).all().get().get(r);
                int replicas = d.get(n).partitions().stream()
                        .mapToInt(t -> t.replicas().size()).min().orElse(0);
                System.out.println(n + " partitions=" + d.get(n).partitions().size()
                        + " replicas=" + replicas
                        + " min.insync.replicas=" + c.get("min.insync.replicas").value());
            }
        }
    }
}
EOF
}

topics() {
	admin_source >"$dir/ClusterTopics.java"
	(java_exec "$dir/ClusterTopics.java" "$(bootstrap)" "$@") 2>"$dir/topics.err" ||
		{ tail -n 20 "$dir/topics.err" >&2; die "could not create topics $*"; }
}

# Every partition's in-sync replicas are all three brokers.
all_in_sync() {
	kcat -b "$(bootstrap)" -L -J -m 2 2>/dev/null | python3 -c '
import json, sys
md = json.load(sys.stdin)
sys.exit(not md["topics"] or any(len(p["isrs"]) != 3 for t in md["topics"] for p in t["partitions"]))' 2>/dev/null
}

in_sync() {
	local end=$((SECONDS + 90))
	while [ "$SECONDS" -lt "$end" ]; do
		all_in_sync && return 0
		sleep 0.5
	done
	die "replicas not all in sync after 90 s"
}

node_arg() {
	case "${1:-}" in 1|2|3) ;; *) die "expected a node number 1-3, got '${1:-}'" ;; esac
}

dir=${2:-}
[ -n "$dir" ] || { echo "usage: cluster.sh start|stop|kill|restart|addr|topics|in-sync DIR ..." >&2; exit 2; }
case "${1:-}" in
start) start ;;
stop) stop ;;
kill) node_arg "${3:-}"; kill_node "$3" ;;
restart) node_arg "${3:-}"; restart "$3" ;;
addr) node_arg "${3:-}"; echo "127.0.0.1:$(cat "$dir/n$3/port")" ;;
topics) shift 2; [ $# -ge 1 ] || die "topics DIR NAME:PARTITIONS..."; topics "$@" ;;
in-sync) in_sync ;;
*) echo "usage: cluster.sh start|stop|kill|restart|addr|topics|in-sync DIR ..." >&2; exit 2 ;;
esac
