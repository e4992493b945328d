#!/usr/bin/env bash
# jdedup throughput on generated events (tests/gen-events.py: 1 000 users,
# 5 actions), the first event of each user and action (5 000 keys):
#   jdedup -k user,action                        (target >= 5x each)
# against
#   mlr head -n 1 -g user,action                 Miller's first-of-group
#   jq -nc 'foreach inputs as $r (...)'          awk '!seen[$k]++' in jq: a
#                                                streaming seen set keyed by
#                                                [.user,.action]|tojson,
#                                                each record out as it comes
# then the same with a key that is nearly always new (user,timestamp), the
# worst case for the key set, and jdedup --within 10m, for what the
# watermark costs.  The three first answers are checked to be the same records.
# Miller and jq run once (OTHER_RUNS); BENCH_LINES events, 1 M by default.
. "$(dirname "$0")/lib.sh"

n=${BENCH_LINES:-1000000}
mkdir -p "$BENCH_DATA"
json=$BENCH_DATA/events-$n.ndjson
events "$json" "$n"
other=${OTHER_RUNS:-1}

kp="jdedup -k user,action '$json'"
ml="mlr --ijsonl --ojsonl head -n 1 -g user,action '$json'"
jqp="jq -nc 'foreach inputs as \$r ({seen: {}, out: null};
	([\$r.user, \$r.action] | tojson) as \$k
	| if .seen[\$k] then .out = null else .seen[\$k] = true | .out = \$r end;
	.out // empty)' '$json'"

a=$(bash -c "$kp" 2>/dev/null | jq -c '[.user,.action,.timestamp]' | md5sum)
b=$(bash -c "$ml" | jq -c '[.user,.action,.timestamp]' | md5sum)
c=$(bash -c "$jqp" | jq -c '[.user,.action,.timestamp]' | md5sum)
[ "$a" = "$b" ] && [ "$a" = "$c" ] || echo "b_jdedup: the answers differ: jdedup $a, mlr $b, jq $c" >&2

rss() { /usr/bin/time -f %M bash -c "$1" 2>&1 >/dev/null | tail -n 1; }
k=$(median_time "$kp")
o=$(BENCH_RUNS=$other median_time "$ml")
row "jdedup -k user,action, $n events" "$k" "$o" "mlr" ">=5x"
k=$(median_time "$kp")
o=$(BENCH_RUNS=$other median_time "$jqp")
row "jdedup -k user,action, $n events" "$k" "$o" "jq" ">=5x"

# The worst case for a key set: nearly every key new (user and the
# millisecond timestamp), so every key is held to the end.  Not against
# jq: its seen-set slows as it grows, 1.9 ms a line from 25 000 keys on,
# which makes half an hour of 1 M lines (BENCHMARKS.md).
kh="jdedup -k user,timestamp '$json'"
k=$(median_time "$kh")
o=$(BENCH_RUNS=$other median_time "${ml//user,action/user,timestamp}")
row "jdedup -k user,timestamp (~all new), $n events" "$k" "$o" "mlr" ">=5x"
printf '%-46s %s KB\n' "jdedup peak RSS, ~$n keys held" "$(rss "$kh 2>/dev/null")"
k=$(median_time "$kp")

w=$(median_time "jdedup -k user,action --time timestamp --within 10m '$json'")
printf '%-46s %ss, without a watermark %ss\n' "jdedup --within 10m, $n events" "$w" "$k"

printf '%-46s %s KB\n' "jdedup peak RSS, 5 000 keys" "$(rss "$kp 2>/dev/null")"
