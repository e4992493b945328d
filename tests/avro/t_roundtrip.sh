#!/usr/bin/env bash
# Round trip: kcat-in -s value=avro decodes a topic kout wrote, jparse takes
# the values out of the envelopes, kout -s value=avro writes them again.
# With --avro-unions tagged every message of the copy must be byte for byte
# the original (same schema, same id, same datum), logical types included,
# and so must a copy made from the envelopes with --envelope.  With plain
# unions (kcat-in's default) a union's branch may change where the JSON
# cannot tell (a double 3.0 comes back as 3, which the long branch takes:
# kout(1), AVRO), but every value must read back the same.  The original
# is written from orders.json, which holds every type and logical type.
. "$(dirname "$0")/../lib.sh"
. "$KPIPE_ROOT/tests/kafka/brokers.sh"
. "$KPIPE_ROOT/tests/registry/lib.sh"
need_avro_python "avro round trip"
mock_broker "avro round trip" orders:1 copy:1 envcopy:1 plaincopy:1
start_registry "avro round trip"
here=$KPIPE_ROOT/tests/avro
raw() { kcat -C -b "$B" -t "$1" -e -q -f '%s\n' | od -An -tx1 -v; }

check_exit "round trip: original written" 0 kout -b "$B" -t orders -s value=avro --registry "$REG" \
	--schema "$here/order.avsc" "$here/orders.json"
kcat-in -b "$B" -t orders -e -s value=avro --registry "$REG" --avro-unions tagged \
	>"$TMP/env.json" 2>"$TMP/in.err"
check_eq "round trip: kcat-in decodes all 3" "0 3" "$? $(wc -l <"$TMP/env.json")"

jparse -f value --no-meta "$TMP/env.json" |
	kout -b "$B" -t copy -s value=avro --registry "$REG" --subject orders-value 2>"$TMP/out.err"
check_eq "round trip: kout takes every decoded value" "0 " "$? $(cat "$TMP/out.err")"
raw orders >"$TMP/orig"
raw copy >"$TMP/copy"
check_file_eq "round trip (tagged unions): the copy is the original, byte for byte" "$TMP/orig" "$TMP/copy"

kout -b "$B" -t envcopy --envelope -s value=avro --registry "$REG" --subject orders-value \
	"$TMP/env.json" 2>"$TMP/out.err"
check_eq "round trip (envelopes): kout takes every envelope" "0 " "$? $(cat "$TMP/out.err")"
raw envcopy >"$TMP/envcopy"
check_file_eq "round trip (envelopes): byte for byte" "$TMP/orig" "$TMP/envcopy"

values() { kcat-in -b "$B" -t "$1" -e -s value=avro --registry "$REG" | jparse -f value --no-meta; }
values orders | kout -b "$B" -t plaincopy -s value=avro --registry "$REG" --subject orders-value \
	2>"$TMP/out.err"
check_eq "round trip (plain unions): kout takes every value" "0 " "$? $(cat "$TMP/out.err")"
values orders >"$TMP/orig.json"
values plaincopy >"$TMP/copy.json"
check_eq "round trip (plain unions): 3 values" 3 "$(wc -l <"$TMP/copy.json")"
check_file_eq "round trip (plain unions): every value reads back the same" "$TMP/orig.json" "$TMP/copy.json"
