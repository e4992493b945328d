# jjoin --stream: the interval join of two streams.
#   - every join type against a brute-force join of every pair of rows
#     (ref_stream.py) on generated streams with null and missing keys; with
#     late rows too, where the reference leaves out exactly the rows jjoin
#     reported late, and each of those must be at or before the watermark
#     its reason names;
#   - the time bound and the watermark at their boundaries, worked by hand;
#   - both inputs read as they arrive: a silent FIFO, or one that stops
#     in the middle of a line, does not hold back the other side, and an
#     outer row comes out as soon as the watermark passes it;
#   - option errors and rejected records.
. "$(dirname "$0")/../lib.sh"
here=$(dirname "$0")

lines() { printf '%s\n' "$@"; }
js() { jjoin --stream "$@" 2>"$TMP/err"; }

# --- the brute-force reference -------------------------------------------
python3 "$here/gen_stream.py" "$TMP/L" "$TMP/R" -n 1500 --keys 40 --nulls 0.05 --seed 7
for how in inner left right full; do
	js "$TMP/R" --on ad --time lt=rt --between -5m,1h -W 2m --how "$how" "$TMP/L" | sort >"$TMP/k"
	python3 "$here/ref_stream.py" "$TMP/L" "$TMP/R" ad lt rt -300 3600 "$how" >"$TMP/r"
	if [ -s "$TMP/err" ]; then
		fail "reference-$how" "jjoin said: $(head -c 300 "$TMP/err")"
	elif [ "$(wc -l <"$TMP/r")" -lt 1000 ]; then
		fail "reference-$how" "the reference has only $(wc -l <"$TMP/r") rows"
	else
		check_file_eq "reference-$how ($(wc -l <"$TMP/r") rows)" "$TMP/r" "$TMP/k"
	fi
done

# A bound of negative times only, and one watermark each side.
js "$TMP/R" --on ad --time lt=rt --between -30m,-1m -W 2m,90s --how full "$TMP/L" | sort >"$TMP/k"
python3 "$here/ref_stream.py" "$TMP/L" "$TMP/R" ad lt rt -1800 -60 full >"$TMP/r"
check_file_eq "reference-before ($(wc -l <"$TMP/r") rows)" "$TMP/r" "$TMP/k"

# Late rows: whatever jjoin found late is left out, the rest joins exactly.
python3 "$here/gen_stream.py" "$TMP/L" "$TMP/R" -n 1500 --keys 40 --late 25 --seed 8
for how in inner full; do
	rm -f "$TMP/late"
	js "$TMP/R" --on ad --time lt=rt --between -5m,1h -W 2m --how "$how" --late "$TMP/late" "$TMP/L" |
		sort >"$TMP/k"
	python3 "$here/ref_stream.py" "$TMP/L" "$TMP/R" ad lt rt -300 3600 "$how" "$TMP/late" >"$TMP/r"
	n=$(wc -l <"$TMP/late")
	if [ "$n" -lt 20 ]; then
		fail "late-$how" "only $n rows reported late of the 50 moved back"
	else
		check_file_eq "late-$how ($n late rows)" "$TMP/r" "$TMP/k"
	fi
done
check_eq late-summary "jjoin: $n late records dropped ($(grep -c '"source":"[^"]*/L"' "$TMP/late") left, $(grep -c '"source":"[^"]*/R"' "$TMP/late") right); see $TMP/late" "$(cat "$TMP/err")"
# each reason names the row's own time (as the raw line has it) and a
# watermark it is at or before
check late-reasons python3 -c '
import datetime, json, re, sys
def t(s): return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
for line in open(sys.argv[1]):
    d = json.loads(line)
    m = re.fullmatch(r"late: its time (\S+) is at or before the watermark (\S+)", d["reason"])
    raw = json.loads(d["raw"])
    assert m and t(m.group(1)) == t(raw.get("lt") or raw.get("rt")) and t(m.group(1)) <= t(m.group(2)), line
' "$TMP/late"

# --- the bound, by hand: both ends are inside ----------------------------
lines '{"k":1,"lt":100,"a":"x"}' >"$TMP/l1"
lines '{"k":1,"rt":99}' '{"k":1,"rt":100}' '{"k":1,"rt":110}' '{"k":1,"rt":111}' '{"k":2,"rt":105}' >"$TMP/r1"
check_eq bound-inclusive "$(lines \
	'{"k":1,"lt":100,"a":"x","rt":100}' \
	'{"k":1,"lt":100,"a":"x","rt":110}')" \
	"$(js "$TMP/r1" --on k --time lt=rt --between 0,10 "$TMP/l1")"
# equal times only
check_eq bound-zero '{"k":1,"lt":100,"a":"x","rt":100}' "$(js "$TMP/r1" --on k --time lt=rt --between 0,0 "$TMP/l1")"
# full: what did not join comes out with the other side's fields null, the
# key once, from the side that has it
check_eq bound-full "$(lines \
	'{"k":1,"lt":100,"a":"x","rt":100}' \
	'{"k":1,"lt":100,"a":"x","rt":110}' \
	'{"k":1,"lt":null,"a":null,"rt":111}' \
	'{"k":1,"lt":null,"a":null,"rt":99}' \
	'{"k":2,"lt":null,"a":null,"rt":105}')" \
	"$(js "$TMP/r1" --on k --time lt=rt --between 0,10 --how full "$TMP/l1" | sort)"

# --- the watermark, by hand ----------------------------------------------
# -W 5 on both sides.  jjoin reads the side behind in time first:
# L@100; R@150 (watermark min(95, 145) = 95); L@200 (min(195, 145) = 145);
# R@145 is exactly at the watermark: late; R@146 is not, and joins both.
lines '{"k":1,"lt":100}' '{"k":1,"lt":200}' >"$TMP/l2"
lines '{"k":1,"rt":150}' '{"k":1,"rt":145}' '{"k":1,"rt":146}' >"$TMP/r2"
rm -f "$TMP/late"
check_eq at-watermark-late "$(lines \
	'{"k":1,"lt":100,"rt":150}' \
	'{"k":1,"lt":200,"rt":150}' \
	'{"k":1,"lt":100,"rt":146}' \
	'{"k":1,"lt":200,"rt":146}')" \
	"$(js "$TMP/r2" --on k --time lt=rt --between -100,100 -W 5 --late "$TMP/late" "$TMP/l2")"
check_eq at-watermark-reason \
	"{\"source\":\"$TMP/r2\",\"line\":2,\"reason\":\"late: its time 1970-01-01T00:02:25Z is at or before the watermark 1970-01-01T00:02:25Z\",\"raw\":\"{\\\"k\\\":1,\\\"rt\\\":145}\"}" \
	"$(cat "$TMP/late")"
check_eq at-watermark-summary "jjoin: 1 late record dropped (0 left, 1 right); see $TMP/late" "$(cat "$TMP/err")"

# -W 0: a second row at the same time as the first is at the watermark.
lines '{"k":1,"rt":100}' '{"k":1,"rt":100}' >"$TMP/r3"
check_eq equal-times-zero-delay '{"k":1,"lt":100,"a":"x","rt":100}' \
	"$(js "$TMP/r3" --on k --time lt=rt --between 0,0 -W 0 "$TMP/l1")"
# No watermark: nothing is late.
check_eq no-watermark-none-late "$(lines '{"k":1,"lt":100,"a":"x","rt":100}' '{"k":1,"lt":100,"a":"x","rt":100}')" \
	"$(js "$TMP/r3" --on k --time lt=rt --between 0,0 "$TMP/l1")"

# A null or missing key matches nothing, not even another null: such a
# row comes out at once (L@1, L@2), the others when the right side ends
# (L@0).  Read in time order: L@0, R@1, L@1, L@2, R@2.
lines '{"k":5,"lt":0}' '{"k":null,"lt":1}' '{"lt":2}' >"$TMP/ln"
lines '{"k":null,"rt":1}' '{"rt":2}' >"$TMP/rn"
check_eq null-keys "$(lines '{"k":null,"lt":1,"rt":null}' '{"lt":2,"rt":null}' '{"k":5,"lt":0,"rt":null}')" \
	"$(js "$TMP/rn" --on k --time lt=rt --between -10,10 --how left "$TMP/ln")"

# --- read as they arrive ---------------------------------------------------
# The right side is a FIFO whose writer sends one row, then half a line,
# and stays silent; the left side's row joins at once all the same.
mkfifo "$TMP/fifo"
{ printf '{"k":1,"rt":50}\n{"k":1,'; sleep 4; printf '"rt":51}\n'; } >"$TMP/fifo" &
{ sleep 0.5; printf '{"k":1,"lt":50}\n'; sleep 4; } |
	timeout 20 jjoin --stream "$TMP/fifo" --on k --time lt=rt --between 0,10 >"$TMP/live" &
sleep 2.5
check_eq fifo-silent-does-not-stall '{"k":1,"lt":50,"rt":50}' "$(cat "$TMP/live")"
wait
check_eq fifo-rest "$(lines '{"k":1,"lt":50,"rt":50}' '{"k":1,"lt":50,"rt":51}')" "$(cat "$TMP/live")"

# A left row without a match comes out as soon as the watermark passes
# its time + the bound, while both streams are still open.
{ printf '{"k":9,"rt":1000}\n'; sleep 4; } >"$TMP/fifo" &
{ printf '{"k":1,"lt":100}\n{"k":2,"lt":1000}\n'; sleep 4; } |
	timeout 20 jjoin --stream "$TMP/fifo" --on k --time lt=rt --between 0,10 -W 0 --how left >"$TMP/live" &
sleep 2
check_eq outer-at-watermark '{"k":1,"lt":100,"rt":null}' "$(cat "$TMP/live")"
wait
check_eq outer-at-end "$(lines '{"k":1,"lt":100,"rt":null}' '{"k":2,"lt":1000,"rt":null}')" "$(cat "$TMP/live")"

# The right side on standard input, the left from a file.
check_eq right-stdin '{"k":1,"lt":100,"a":"x","rt":100}' \
	"$(lines '{"k":1,"rt":100}' | jjoin --on k --time lt=rt --between 0,0 --stream - "$TMP/l1")"

# --- options and rejects -----------------------------------------------------
u() { check_exit "$1" 2 jjoin --stream "$TMP/r1" --on k --time lt=rt "${@:2}" "$TMP/l1"; }
u between-missing
u between-one --between 5m
u between-three --between 1m,2m,3m
u between-reversed --between 1h,-5m
u between-word --between a,b
u between-double-sign --between --5m,1h
u between-too-long --between -10000000d,1d
u watermark-bad --between 0,1 -W 5m,x
u late-without-watermark --between 0,1 --late "$TMP/x"
u how-semi --between 0,1 --how semi
u epoch-unit-bad --between 0,1 --epoch-unit h
check_exit time-missing 2 jjoin --stream "$TMP/r1" --on k --between 0,1 "$TMP/l1"
check_exit both-stdin 2 jjoin --stream - --on k --time t --between 0,1 -
check_exit between-plus 0 jjoin --stream "$TMP/r1" --on k --time lt=rt --between +0s,+10s "$TMP/l1"

lines '{"k":1,"lt":"soon"}' '{"k":1,"lt":100}' >"$TMP/lbad"
lines '{"k":1}' 'nope' '{"k":1,"rt":100}' >"$TMP/rbad"
check_exit rejects-exit-1 1 jjoin --stream "$TMP/rbad" --on k --time lt=rt --between 0,0 "$TMP/lbad"
jjoin --stream "$TMP/rbad" --on k --time lt=rt --between 0,0 "$TMP/lbad" >"$TMP/out" 2>"$TMP/err"
check_eq rejects-joined-rest '{"k":1,"lt":100,"rt":100}' "$(cat "$TMP/out")"
check rejects-left-named grep -q "^jjoin: $TMP/lbad:1: field 'lt' is not a time" "$TMP/err"
check rejects-right-named grep -q "^jjoin: $TMP/rbad:1: no time in field 'rt'" "$TMP/err"
check rejects-right-json grep -q "^jjoin: $TMP/rbad:2: " "$TMP/err"

# Lines longer than the read buffer, CRLF endings and a last line without
# a newline come through the two-input reader as through every command's.
big=$(head -c 700000 /dev/zero | tr '\0' 'x')
printf '{"k":1,"rt":100,"s":"%s"}\r\n{"k":1,"rt":101}' "$big" >"$TMP/rbig"
jjoin --stream "$TMP/rbig" --on k --time lt=rt --between 0,10 "$TMP/l1" >"$TMP/out" 2>"$TMP/err"
check_eq long-crlf-lines 2 "$(wc -l <"$TMP/out")"
check_eq long-crlf-first "{\"k\":1,\"lt\":100,\"a\":\"x\",\"rt\":100,\"s\":\"$big\"}" "$(head -n 1 "$TMP/out")"
check_eq long-crlf-last "{\"k\":1,\"lt\":100,\"a\":\"x\",\"rt\":101}" "$(tail -n 1 "$TMP/out")"

# A stream that cannot be opened is said, the other side still read
# (here its rows come out unmatched), and the exit status is 3.
check_exit missing-stream-exit-3 3 jjoin --stream "$TMP/nonexistent" --on k --time lt=rt --between 0,1 --how left "$TMP/l1"
check_eq missing-stream-left-rows '{"k":1,"lt":100,"a":"x"}' \
	"$(jjoin --stream "$TMP/nonexistent" --on k --time lt=rt --between 0,1 --how left "$TMP/l1" 2>"$TMP/err")"
check missing-stream-said grep -q "^jjoin: $TMP/nonexistent: No such file or directory" "$TMP/err"
