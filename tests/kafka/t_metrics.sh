#!/usr/bin/env bash
# --metrics of kcat-in and kout (kpipe(7), METRICS) against librdkafka's
# mock cluster, then a real Apache Kafka broker: per-partition positions,
# end offsets and lag against what Debian's kcat reads from the topic, the
# lag at zero at the end of a backlog, kout's delivered messages.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/brokers.sh"

python3 "$KPIPE_ROOT/tests/gen-events.py" -n 20000 >"$TMP/ev"
final() { jq -c 'select(.final)' "$1"; }

cases() {
	local K=$1 t=metrics$RANDOM
	rm -f "$TMP"/m.*
	kout -b "$B" -t "$t" -k user --metrics "$TMP/m.kout" "$TMP/ev" 2>"$TMP/err"
	check_eq "$K kout: exit 0" 0 $?
	check_eq "$K kout: deliveredMessages = wc -l, failedMessages 0" "20000 0" \
		"$(final "$TMP/m.kout" | jq -r '"\(.deliveredMessages) \(.failedMessages)"')"
	check_eq "$K kout: totalInputRows = wc -l" 20000 "$(final "$TMP/m.kout" | jq .totalInputRows)"

	# Per partition, what kcat reads: the topic is new, so offsets start at 0.
	kcat -C -b "$B" -t "$t" -e -q -f '%p\n' | sort -n | uniq -c |
		awk '{print $2, $1}' >"$TMP/want"
	kcat-in -b "$B" -t "$t" -e --metrics "$TMP/m.in" >"$TMP/out"
	check_eq "$K kcat-in: totalInputRows = totalOutputRows = lines written" "20000 20000 $(wc -l <"$TMP/out")" \
		"$(final "$TMP/m.in" | jq -r '"\(.totalInputRows) \(.totalOutputRows)"') 20000"
	final "$TMP/m.in" | jq -r '.partitions | sort_by(.partition)[] | "\(.partition) \(.position)"' >"$TMP/pos"
	check_file_eq "$K kcat-in: position per partition = kcat's count" "$TMP/want" "$TMP/pos"
	final "$TMP/m.in" | jq -r '.partitions | sort_by(.partition)[] | "\(.partition) \(.endOffset)"' >"$TMP/end"
	check_file_eq "$K kcat-in: endOffset per partition = kcat's count" "$TMP/want" "$TMP/end"
	check_eq "$K kcat-in: lag 0 on every partition at the end" '[0,0,0,0]' \
		"$(final "$TMP/m.in" | jq -c '[.partitions[].lag]')"
	check_eq "$K kcat-in: no group, committedOffset null" '[null,null,null,null]' \
		"$(final "$TMP/m.in" | jq -c '[.partitions[].committedOffset]')"

	# A slow reader: records while the backlog is read show the lag
	# going down to zero.
	kcat-in -b "$B" -t "$t" -e --metrics "$TMP/m.slow" --metrics-interval 100ms |
		{ sleep 2; cat >/dev/null; }
	check_eq "$K kcat-in, slow reader: lag above 0 on the way" true \
		"$(jq -s 'any(.[]; (.final | not) and ([.partitions[].lag // 0] | add) > 0)' "$TMP/m.slow")"
	check_eq "$K kcat-in, slow reader: lag 0 at the end" 0 \
		"$(final "$TMP/m.slow" | jq '[.partitions[].lag] | add')"
	check_eq "$K kcat-in, slow reader: numInputRows add up" 20000 \
		"$(jq -s 'map(.numInputRows) | add' "$TMP/m.slow")"

	# The progress line on a terminal (a tmux pane): the lag and the
	# backlog while a slow reader holds kcat-in up.
	if command -v tmux >/dev/null; then
		local sock=kpipe-metrics-$$ i
		rm -f "$TMP/done"
		tmux -L "$sock" -f /dev/null new-session -d -x 200 -y 20 \
			"env TMPDIR=$TMP PATH=$PATH kcat-in -b $B -t $t -e | { sleep 3; cat >/dev/null; }; touch $TMP/done; sleep 30"
		sleep 1.8
		tmux -L "$sock" capture-pane -p >"$TMP/screen"
		for ((i = 0; i < 100; i++)); do [ -e "$TMP/done" ] && break; sleep 0.1; done
		tmux -L "$sock" capture-pane -p >"$TMP/screen.after"
		tmux -L "$sock" kill-server
		if grep -q "^kcat-in: 1 in, 1 out, 0 rejected, .*lag $t 19999, backlog 0%: 1 of 20000 msgs" "$TMP/screen"; then
			ok "$K kcat-in: progress shows the lag and the backlog"
		else
			fail "$K kcat-in: progress shows the lag and the backlog" "$(cat "$TMP/screen")"
		fi
		check_eq "$K kcat-in: progress erased at the end" 0 "$(grep -c 'kcat-in:' "$TMP/screen.after")"
	else
		skip "$K kcat-in: progress" "tmux not installed"
	fi

	# With a group, the committed offset is the end.
	kcat-in -b "$B" -t "$t" -G "g$t" $GX -e --metrics "$TMP/m.g" >/dev/null 2>"$TMP/err"
	final "$TMP/m.g" | jq -r '.partitions | sort_by(.partition)[] | "\(.partition) \(.committedOffset)"' >"$TMP/com"
	check_file_eq "$K kcat-in -G: committedOffset per partition = kcat's count" "$TMP/want" "$TMP/com"
	kcat -C -b "$B" -G "g$t" -e -q -f '%p %o\n' "$t" >"$TMP/again" 2>/dev/null &
	local kp=$!
	sleep 8
	kill $kp 2>/dev/null
	wait $kp 2>/dev/null
	check_eq "$K kcat-in -G: kcat in the same group finds nothing left" 0 "$(wc -l <"$TMP/again")"
}

GX="-X session.timeout.ms=6000 -X max.poll.interval.ms=7000 -X heartbeat.interval.ms=500"
mock_broker "kafka mock metrics" "metrics:4"
cases mock
exec 3>&-
kill "$MOCK_PID" 2>/dev/null
wait "$MOCK_PID" 2>/dev/null

real_broker "real Kafka broker for metrics"
cases real
