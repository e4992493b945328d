# jdedup --metrics (kpipe(7), METRICS): the counts are those of the data,
# counted by jq, sort and uniq; the watermark in the final record is the
# one the late records' reasons name; stateRows is the keys held.
. "$(dirname "$0")/../lib.sh"

final() { jq -c 'select(.final)' "$1"; }
field() { final "$1" | jq -r ".$2"; }

# --- without a watermark every key is held: duplicates = records - keys
python3 - "$TMP/in" <<'PY'
import json, random, sys
rnd = random.Random(4)
with open(sys.argv[1], "w") as f:
    for i in range(20000):
        f.write(json.dumps({"id": "u%d" % rnd.randrange(3000), "n": i}) + "\n")
PY
keys=$(jq -r .id "$TMP/in" | sort -u | wc -l)
dups=$(jq -r .id "$TMP/in" | sort | uniq -c | awk '{d += $1 - 1} END {print d}')
jdedup -k id --metrics "$TMP/m" "$TMP/in" >"$TMP/out" 2>"$TMP/err"
check_eq "keys: totalInputRows = wc -l" "$(wc -l <"$TMP/in")" "$(field "$TMP/m" totalInputRows)"
check_eq "keys: totalOutputRows = lines written" "$(wc -l <"$TMP/out")" "$(field "$TMP/m" totalOutputRows)"
check_eq "keys: droppedDuplicates = duplicates by sort | uniq -c ($dups)" "$dups" \
	"$(field "$TMP/m" droppedDuplicates)"
check_eq "keys: stateRows = distinct ids by sort -u ($keys)" "$keys" "$(field "$TMP/m" stateRows)"
check "keys: stateBytes holds at least the keys' bytes" \
	test "$(field "$TMP/m" stateBytes)" -ge "$(jq -r .id "$TMP/in" | sort -u | wc -c)"
check_eq "keys: no watermark, eventTimeWatermark null" null "$(field "$TMP/m" eventTimeWatermark)"

# --- with a watermark: a late record, and duplicates within it
T=2024-01-01T00
printf '%s\n' "{\"id\":1,\"ts\":\"$T:00:10Z\"}" "{\"id\":1,\"ts\":\"$T:00:10Z\"}" \
	"{\"id\":2,\"ts\":\"$T:05:00Z\"}" "{\"id\":3,\"ts\":\"$T:00:01Z\"}" \
	"{\"id\":2,\"ts\":\"$T:05:00Z\"}" "{\"id\":4,\"ts\":\"$T:04:30Z\"}" >"$TMP/w"
rm -f "$TMP/m"
jdedup -k id --time ts -W 1m --late "$TMP/late" --metrics "$TMP/m" "$TMP/w" >"$TMP/out" 2>"$TMP/err"
named=$(jq -r '.reason | capture("watermark (?<w>[^ ]+)$").w' "$TMP/late")
check_eq "watermark: the late record's reason names max - 1m" 2024-01-01T00:04:00Z "$named"
check_eq "watermark: the final eventTimeWatermark is the one its reason names" "$named" \
	"$(field "$TMP/m" eventTimeWatermark)"
check_eq "watermark: totalLateRows = records in --late" "$(wc -l <"$TMP/late")" "$(field "$TMP/m" totalLateRows)"
check_eq "watermark: droppedDuplicates = the two repeated id+ts (jq)" \
	"$(jq -s 'group_by([.id, .ts]) | map(length - 1) | add' "$TMP/w")" "$(field "$TMP/m" droppedDuplicates)"
# Held at the end: the keys whose time is after the watermark 00:04:00,
# id 2 (00:05) and id 4 (00:04:30); id 1 (00:00:10) was forgotten.
check_eq "watermark: stateRows = the keys still after the watermark" \
	"$(jq -s '[.[] | select(.ts > "2024-01-01T00:04:00Z") | [.id, .ts]] | unique | length' "$TMP/w")" \
	"$(field "$TMP/m" stateRows)"
check_eq "watermark: the stderr summary says the same" \
	"jdedup: 6 records in, 3 passed, $(field "$TMP/m" droppedDuplicates) duplicates dropped, $(field "$TMP/m" totalLateRows) late (watermark $named); late records in $TMP/late" \
	"$(cat "$TMP/err")"
