# The KTable cases of jjoin --table-topic, run against the broker at $B
# (sourced by t_table_kafka_mock.sh and t_table_kafka_real.sh after the
# broker is up, with $KIND naming it; topics kt1 and kt2 exist with
# several partitions, or are made when first produced to).  Messages are produced by kcat, the independent client:
# -K: splits key and value, -Z makes an empty value a null (a tombstone).

produce() { kcat -P -b "$B" -t "$1" -K: -Z; }

# Wait until FILE has N lines (20 s at most).
wait_lines() {
	local i
	for ((i = 0; i < 200; i++)); do
		[ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# The table before the stream starts: updates and a tombstone already in
# the topic, and a thousand keys over three partitions, all read first.
{
	printf 'k1:{"sku":"a","price":1}\nk2:{"sku":"b","price":2}\nk1:{"sku":"a","price":3}\n'
	printf 'k3:{"sku":"c","price":5}\nk3:\n'
	for i in $(seq 1 1000); do printf 'n%d:{"sku":"n%d","price":%d}\n' "$i" "$i" "$i"; done
} | produce kt1
mkfifo "$TMP/kin"
jjoin --table-topic kt1 -b "$B" --on sku --how left <"$TMP/kin" >"$TMP/kout" 2>"$TMP/kerr" & pid=$!
exec 4>"$TMP/kin"
printf '{"sku":"a"}\n{"sku":"c"}\n{"sku":"n1000"}\n{"sku":"n1"}\n' >&4
wait_lines "$TMP/kout" 4
check_eq "$KIND: KTable: the latest value per key, a tombstone deleted, the whole topic read first" \
	"$(printf '%s\n' '{"sku":"a","price":3}' '{"sku":"c","price":null}' '{"sku":"n1000","price":1000}' '{"sku":"n1","price":1}')" \
	"$(cat "$TMP/kout")"

# While the stream runs: an update, a tombstone, a new key.
printf 'k1:{"sku":"a","price":7}\nk2:\nk4:{"sku":"d","price":9}\n' | produce kt1
sleep 3
printf '{"sku":"a"}\n{"sku":"b"}\n{"sku":"d"}\n' >&4
wait_lines "$TMP/kout" 7
check_eq "$KIND: KTable followed while the stream runs: update, tombstone, new key" \
	"$(printf '%s\n' '{"sku":"a","price":7}' '{"sku":"b","price":null}' '{"sku":"d","price":9}')" \
	"$(sed -n 5,7p "$TMP/kout")"

# A row whose new value moves it to another join key.
printf 'k4:{"sku":"e","price":10}\n' | produce kt1
sleep 3
printf '{"sku":"d"}\n{"sku":"e"}\n' >&4
wait_lines "$TMP/kout" 9
check_eq "$KIND: KTable: an upsert that changes the join key moves the row" \
	"$(printf '%s\n' '{"sku":"d","price":null}' '{"sku":"e","price":10}')" "$(sed -n 8,9p "$TMP/kout")"

# A value that is not a record, and a message without a key, are rejected.
printf 'k5:not json\n' | produce kt1
printf '{"sku":"z","price":0}\n' | kcat -P -b "$B" -t kt1 -p 0
sleep 3
echo '{"sku":"z"}' >&4
wait_lines "$TMP/kout" 10
exec 4>&-
wait $pid
check_eq "$KIND: KTable: bad messages rejected: exit 1" 1 $?
grep -q "a message without a key" "$TMP/kerr" && grep -q "kt1/[0-9]*:[0-9]*: " "$TMP/kerr" &&
	ok "$KIND: KTable: rejects named TOPIC/PARTITION:OFFSET" ||
	fail "$KIND: KTable: rejects named TOPIC/PARTITION:OFFSET" "$(cat "$TMP/kerr")"
check_eq "$KIND: KTable: a keyless message is no row" '{"sku":"z","price":null}' "$(sed -n 10p "$TMP/kout")"

# Many upserts of a few keys: the replaced rows' bytes (2.4 MB) are more
# than the table's, so the arena is packed on the way; the rows stay right.
awk 'BEGIN { for (i = 1; i <= 30000; i++)
	printf "c%d:{\"sku\":\"c%d\",\"v\":%d,\"pad\":\"%050d\"}\n", i % 10, i % 10, i, i }' | produce kt3
check_eq "$KIND: KTable: 30000 upserts of 10 keys, the latest of each" \
	"$(seq 29991 30000 | awk '{ printf "{\"sku\":\"c%d\",\"v\":%d}\n", $1 % 10, $1 }' | sort)" \
	"$(seq 0 9 | sed 's/.*/{"sku":"c&"}/' | jjoin --table-topic kt3 -b "$B" --on sku | jq -c '{sku, v}' | sort)"

# The stream is not held up by an idle topic: a stream of 20000 records
# over a topic that has one message and no more goes through at once.
echo 'x:{"sku":"none"}' | produce kt2
seq 1 20000 | sed 's/.*/{"sku":"n&"}/' >"$TMP/many"
check_eq "$KIND: KTable: an idle topic, every stream record (left join)" 20000 \
	"$(timeout 60 jjoin --table-topic kt2 -b "$B" --on sku --how left "$TMP/many" | wc -l)"
check_exit "$KIND: KTable: a topic that does not exist: exit 3" 3 \
	timeout 60 jjoin --table-topic no-such-topic -b "$B" --on sku /dev/null
