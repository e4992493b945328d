#!/usr/bin/env bash
# make demo: the README's main job on an embedded Kafka broker.
#
# Starts librdkafka's mock cluster (build/tools/mock-kafka), generates sample
# log events, produces them to topic_log with kout, and runs the pipeline
#   kcat-in | jparse -f value | jfilter | jwindow | jstats | kout --table
# A command that is not built yet is named, and the pipeline runs as far as
# the commands that exist allow.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
PATH=$root/bin:$root/build/tools:$PATH
export LC_ALL=C.UTF-8
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kpipe-demo.XXXXXX")
mock=
cleanup() { [ -n "$mock" ] && kill "$mock" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

missing=()
for c in mock-kafka kcat-in kout jparse jfilter jwindow jstats; do
	command -v "$c" >/dev/null || missing+=("$c")
done
for c in mock-kafka kcat-in kout; do
	if ! command -v "$c" >/dev/null; then
		echo "demo: $c is not built; run make first" >&2
		exit 1
	fi
done

# The mock cluster keeps a few MB per partition: 20000 events of ~110
# bytes over 4 partitions stay well inside it.  One event a second on
# average gives a few hours of event time, so hourly windows.
mock-kafka topic_log:4 </dev/null >"$tmp/mock.out" 2>"$tmp/mock.err" &
mock=$!
for ((i = 0; i < 50; i++)); do [ -s "$tmp/mock.out" ] && break; sleep 0.1; done
B=$(head -n 1 "$tmp/mock.out")
[ -n "$B" ] || { echo "demo: mock-kafka did not start: $(cat "$tmp/mock.err")" >&2; exit 1; }
echo "demo: embedded Kafka (librdkafka mock cluster) at $B"

python3 "$root/tests/gen-events.py" -n 20000 --step 1 >"$tmp/events.json"
echo "demo: producing 20000 events to topic_log:"
echo "  kout -b $B -t topic_log -k user --time timestamp events.json"
kout -b "$B" -t topic_log -k user --time timestamp "$tmp/events.json" || exit 3

echo
echo "demo: logins per user and hour, then their mean, stddev and p99 per hour:"
cat <<EOF
  kcat-in -b $B -t topic_log -G hourly -e \\
    | jparse -f value \\
    | jfilter 'select(.action == "login")' \\
    | jwindow --time timestamp --watermark 10m --tumble 1h --by user --agg 'count() as logins' \\
    | jstats --by window.start --fields logins --stats mean,stddev,p99 \\
    | kout --table

EOF
if [ ${#missing[@]} -gt 0 ]; then
	echo "demo: not built yet: ${missing[*]}; showing the pipeline as far as it goes" >&2
fi

set -o pipefail
stage() {	# run the stage if its command exists, else pass records through
	if command -v "$1" >/dev/null; then "$@"; else cat; fi
}
kcat-in -b "$B" -t topic_log -G hourly -e |
	stage jparse -f value |
	stage jfilter 'select(.action == "login")' |
	stage jwindow --time timestamp --watermark 10m --tumble 1h --by user --agg 'count() as logins' |
	stage jstats --by window.start --fields logins --stats mean,stddev,p99 |
	if command -v jstats >/dev/null; then kout --table; else head -n 5; fi
status=$?
[ ${#missing[@]} -gt 0 ] && { echo "demo: incomplete: ${missing[*]} missing" >&2; exit 1; }
exit $status
