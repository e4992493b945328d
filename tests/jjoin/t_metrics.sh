# jjoin --metrics (kpipe(7), METRICS): the counts are those of the data
# (wc, jq); the watermark in the final record is the one the late rows'
# reasons name; the rows kept are none once both streams have ended, and
# stay within what the bound and the watermark allow on a long stream; a
# table's rows and bytes are those of its file.
. "$(dirname "$0")/../lib.sh"
here=$(dirname "$0")

final() { jq -c 'select(.final)' "$1"; }
field() { final "$1" | jq -r ".$2"; }

# --- a late row: both sides at 10:00 with -W 10s, then a left row at 09:00
printf '%s\n' '{"k":1,"t":"2024-01-01T10:00:00Z"}' '{"k":1,"t":"2024-01-01T09:00:00Z"}' >"$TMP/l"
printf '%s\n' '{"k":1,"t":"2024-01-01T10:00:00Z"}' >"$TMP/r"
jjoin --stream "$TMP/r" --on k --time t --between -1m,1m -W 10s --late "$TMP/late" \
	--metrics "$TMP/m" "$TMP/l" >"$TMP/out" 2>"$TMP/err"
named=$(jq -r '.reason | capture("watermark (?<w>[^ ]+)$").w' "$TMP/late")
check_eq "late row: its reason names a watermark" 2024-01-01T09:59:50Z "$named"
check_eq "late row: the final eventTimeWatermark is the one its reason names" "$named" \
	"$(field "$TMP/m" eventTimeWatermark)"
check_eq "late row: leftWatermark and rightWatermark are each side's max - 10s" \
	"2024-01-01T09:59:50Z 2024-01-01T09:59:50Z" \
	"$(field "$TMP/m" leftWatermark) $(field "$TMP/m" rightWatermark)"
check_eq "late row: totalLateRows = rows in --late" "$(wc -l <"$TMP/late")" "$(field "$TMP/m" totalLateRows)"
check_eq "late row: stateRows and stateBytes 0 at the end" "0 0" \
	"$(field "$TMP/m" stateRows) $(field "$TMP/m" stateBytes)"

# --- generated streams with late rows: counts against wc and jq
python3 "$here/gen_stream.py" "$TMP/L" "$TMP/R" -n 3000 --keys 40 --late 25 --seed 5
rm -f "$TMP/m" "$TMP/late"
jjoin --stream "$TMP/R" --on ad --time lt=rt --between -5m,1h -W 2m --how full --late "$TMP/late" \
	--metrics "$TMP/m" "$TMP/L" >"$TMP/out" 2>"$TMP/err"
check_eq "streams: totalInputRows = lines of both files" "$(cat "$TMP/L" "$TMP/R" | wc -l)" \
	"$(field "$TMP/m" totalInputRows)"
check_eq "streams: totalOutputRows = lines written" "$(wc -l <"$TMP/out")" "$(field "$TMP/m" totalOutputRows)"
check "streams: some rows were late" test "$(wc -l <"$TMP/late")" -gt 0
check_eq "streams: totalLateRows = rows in --late" "$(wc -l <"$TMP/late")" "$(field "$TMP/m" totalLateRows)"
check_eq "streams: numLateRows add up to the rows in --late" "$(wc -l <"$TMP/late")" \
	"$(jq -s 'map(.numLateRows) | add' "$TMP/m")"
check_eq "streams: the stderr summary counts as many" \
	"$(grep -o '^jjoin: [0-9]* late' "$TMP/err" | grep -o '[0-9]*')" "$(field "$TMP/m" totalLateRows)"
check_eq "streams: everything flushed at the end, stateRows 0" "0 0" \
	"$(field "$TMP/m" stateRows) $(field "$TMP/m" stateBytes)"

# --- a long stream: the rows kept stay bounded.  One impression and about
# one click per 10 s, 60 s of disorder: a left row waits for the right
# watermark to pass t + 1h, a right row for the left one to pass t + 5m;
# with the 2 m delay and the disorder, each side holds at most about
# (3600 + 300 + 120 + 3 * 60) / 10 = 420 rows; 1.5 times that for both is
# the bound, against 100000 rows a side.
python3 "$here/gen_stream.py" "$TMP/L" "$TMP/R" -n 100000 --keys 500 --seed 9
rm -f "$TMP/m"
jjoin --stream "$TMP/R" --on ad --time lt=rt --between -5m,1h -W 2m \
	--metrics "$TMP/m" --metrics-interval 10ms "$TMP/L" >/dev/null 2>"$TMP/err"
samples=$(jq -s '[.[] | select(.final | not) | select(.totalInputRows > 0)] | length' "$TMP/m")
check "long stream: several records sampled while it ran ($samples)" test "$samples" -ge 3
peak=$(jq -s 'map(.stateRows) | max' "$TMP/m")
check "long stream: stateRows kept bounded (peak $peak <= 1260)" test "$peak" -le 1260
check "long stream: and the samples saw rows kept (peak $peak > 0)" test "$peak" -gt 0
check_eq "long stream: stateRows 0 at the end" 0 "$(field "$TMP/m" stateRows)"
check_eq "long stream: the watermark only moves forward" true \
	"$(jq -s '[.[].eventTimeWatermark | select(. != null)] | . == sort' "$TMP/m")"

# --- a table: its rows and the bytes of its records
python3 - "$TMP/t" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(500):
        f.write(json.dumps({"ad": "ad%d" % i, "name": "n" * (i % 17)}, separators=(",", ":")) + "\n")
PY
rm -f "$TMP/m"
jjoin --table "$TMP/t" --on ad --metrics "$TMP/m" "$TMP/L" >"$TMP/out"
check_eq "table: tableRows = jq's count of the table" "$(jq -s length "$TMP/t")" "$(field "$TMP/m" tableRows)"
check_eq "table: tableBytes = the records' bytes (wc -c less the newlines)" \
	"$(($(wc -c <"$TMP/t") - $(wc -l <"$TMP/t")))" "$(field "$TMP/m" tableBytes)"
check_eq "table: tableReloads 0 without --reload" 0 "$(field "$TMP/m" tableReloads)"
check_eq "table: totalOutputRows = lines written" "$(wc -l <"$TMP/out")" "$(field "$TMP/m" totalOutputRows)"

# --- --reload: each new version of the table taken is one reload.  The
# stream is a FIFO; a record sent 1.5 s after a change (the file is looked
# at once a second) is joined with the new table, as its output shows.
. "$here/wait.sh"
echo '{"ad":"a","v":1}' >"$TMP/tab"
mkfifo "$TMP/fifo"
rm -f "$TMP/m"
jjoin --table "$TMP/tab" --reload --on ad --metrics "$TMP/m" <"$TMP/fifo" >"$TMP/out" 2>"$TMP/err" & pid=$!
exec 4>"$TMP/fifo"
echo '{"ad":"a"}' >&4
wait_lines "$TMP/out" 1
# version 2 has rows v 1..2, version 3 rows v 1..3: 1 + 2 + 3 lines out
lines_after=(0 1 3 6)
for version in 2 3; do
	seq "$version" | jq -c '{ad: "a", v: .}' >"$TMP/tab.new" && mv "$TMP/tab.new" "$TMP/tab"
	sleep 1.5
	echo '{"ad":"a"}' >&4
	wait_lines "$TMP/out" "${lines_after[$version]}"
done
exec 4>&-
wait $pid
check_eq "reload: the last record was joined with version 3's rows" "1 2 3" \
	"$(tail -n 3 "$TMP/out" | jq -r .v | tr '\n' ' ' | sed 's/ $//')"
check_eq "reload: tableReloads = the 2 new versions taken" 2 "$(field "$TMP/m" tableReloads)"
check_eq "reload: tableRows = rows of the last version (jq)" "$(jq -s length "$TMP/tab")" \
	"$(field "$TMP/m" tableRows)"
