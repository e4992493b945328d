# jwindow --state: a cron job that feeds each new part of a topic to
# jwindow with --state gets the output of one long-running process.
. "$(dirname "$0")/../lib.sh"

here=$(dirname "$0")
agg='count(*), sum(x), avg(x), stddev(x), collect_list(y), collect_set(y), count_distinct(y), approx_count_distinct(y), first(x), last(x), percentile(x, 0.5), corr(x, y), min(x), max(x), mode(y), variance(x), var_pop(x), stddev_pop(x), skewness(x), kurtosis(x), covar_samp(x, y), covar_pop(x, y), approx_percentile(x, array(0.1, 0.9)), count(x)'

# Runs jwindow over $TMP/in in three chunks with --state, the last with
# --flush, and compares with one run over all of it.
cron_equals_one_run() {
	local name=$1; shift
	local n a b
	n=$(wc -l <"$TMP/in"); a=$((n / 3)); b=$((2 * n / 3))
	sed -n "1,${a}p" "$TMP/in" >"$TMP/c1"
	sed -n "$((a + 1)),${b}p" "$TMP/in" >"$TMP/c2"
	sed -n "$((b + 1)),\$p" "$TMP/in" >"$TMP/c3"
	rm -f "$TMP/state" "$TMP/state2"
	jwindow -q "$@" --agg "$agg" "$TMP/in" >"$TMP/one" 2>/dev/null
	{
		jwindow -q "$@" --agg "$agg" --state "$TMP/state" "$TMP/c1"
		jwindow -q "$@" --agg "$agg" --state "$TMP/state" "$TMP/c2"
		jwindow -q "$@" --agg "$agg" --state "$TMP/state" --flush "$TMP/c3"
	} >"$TMP/cron" 2>/dev/null
	if [ ! -s "$TMP/one" ]; then
		fail "$name" "no output"
	elif cmp -s "$TMP/one" "$TMP/cron"; then
		ok "$name ($(wc -l <"$TMP/one") rows)"
	else
		fail "$name" "$(diff "$TMP/one" "$TMP/cron" | head -n 4 | tr '\n' ' ')"
	fi
	[ ! -e "$TMP/state" ] || fail "$name-flush-removes" "state file left after --flush"
}

python3 "$here/gen.py" 7 "$TMP/in" >/dev/null
cron_equals_one_run cron-tumbling --time ts --epoch-unit ms --tumble 10s --watermark 10s --by user
cron_equals_one_run cron-sliding --time ts --epoch-unit ms --window 10s --slide 3s --offset 1s --watermark 3s --by user
cron_equals_one_run cron-sessions --time ts --epoch-unit ms --session 2s --watermark 10s --by user
cron_equals_one_run cron-no-watermark --time ts --epoch-unit ms --tumble 30s --by user
python3 "$here/gen.py" 5 "$TMP/in" >/dev/null
cron_equals_one_run cron-sessions-2 --time ts --epoch-unit ms --session 500ms --watermark 3s --by user

# Between runs the open windows wait in the state file, not in the output.
opts=(--time ts --epoch-unit ms --tumble 10s --watermark 10s --by user --agg 'count(*)')
python3 "$here/gen.py" 7 "$TMP/in" >/dev/null
rm -f "$TMP/state"
jwindow -q "${opts[@]}" --state "$TMP/state" "$TMP/in" >"$TMP/saved" 2>/dev/null
jwindow -q "${opts[@]}" "$TMP/in" >"$TMP/all" 2>/dev/null
open=$(jwindow -q "${opts[@]}" --state "$TMP/state" --flush </dev/null)
check_eq state-holds-open-windows "$(cat "$TMP/all")" "$(cat "$TMP/saved"; printf '%s\n' "$open")"
check_eq state-no-temp-files "" "$(ls "$TMP" | grep '^state\.' || true)"

# A state file from other options is refused (exit 2); a damaged one is
# a runtime failure (exit 3); a missing one is the first run.
jwindow -q "${opts[@]}" --state "$TMP/state" </dev/null >/dev/null 2>&1
check_exit state-other-options 2 jwindow --time ts --epoch-unit ms --tumble 20s --watermark 10s --by user --agg 'count(*)' --state "$TMP/state"
jwindow --time ts --epoch-unit ms --tumble 10s --watermark 10s --by user --agg 'count(*), sum(x)' --state "$TMP/state" </dev/null 2>"$TMP/err"
check state-other-options-named grep -q "was saved with another --agg" "$TMP/err"
check_eq state-is-text-with-version '{"kpipe_state":2,"tool":"jwindow"' "$(head -c 33 "$TMP/state")"
head -c 100 "$TMP/state" >"$TMP/broken"
check_exit state-truncated 3 jwindow "${opts[@]}" --state "$TMP/broken"
# A damaged window state is refused with the reason.
rm -f "$TMP/state"
jwindow -q "${opts[@]}" --state "$TMP/state" "$TMP/in" >/dev/null 2>&1
sed 's/^4:\[\([0-9]\)[0-9]\]$/4:[-\1]/' "$TMP/state" >"$TMP/damaged"
check state-damaged-differs test "$(cmp "$TMP/state" "$TMP/damaged" | wc -l)" -eq 1
jwindow -q "${opts[@]}" --state "$TMP/damaged" </dev/null 2>"$TMP/err"
check_eq state-damaged-exit 3 $?
check state-damaged-reason grep -q "state file is damaged or truncated: its checksum does not match" "$TMP/err"
printf 'kpipe-jwindow-1\n\010\007\006\005' >"$TMP/old-format"
jwindow -q "${opts[@]}" --state "$TMP/old-format" </dev/null 2>"$TMP/err"
check_eq state-old-format-exit 3 $?
check state-old-format-said grep -q "first, binary format" "$TMP/err"
echo garbage >"$TMP/garbage"
check_exit state-not-a-state 3 jwindow "${opts[@]}" --state "$TMP/garbage"
check_exit state-first-run 0 jwindow "${opts[@]}" --state "$TMP/new-state" /dev/null
check state-first-run-saves test -s "$TMP/new-state"
check_exit flush-needs-state 2 jwindow "${opts[@]}" --flush

# Big integers and exact values keep their digits through the state file.
printf '%s\n' '{"ts":1000,"id":9007199254740993}' '{"ts":2000,"id":123456789012345678901234567890}' >"$TMP/b1"
printf '%s\n' '{"ts":3000,"id":9007199254740992}' '{"ts":4000,"id":1.50}' >"$TMP/b2"
bopts=(--time ts --epoch-unit ms --tumble 1h --agg 'min(id), max(id), first(id), last(id), mode(id), collect_list(id)')
rm -f "$TMP/state"
jwindow -q "${bopts[@]}" --state "$TMP/state" "$TMP/b1" >/dev/null
check_eq state-big-integers \
	'"min_id":1.50,"max_id":123456789012345678901234567890,"first_id":9007199254740993,"last_id":1.50,"mode_id":9007199254740993,"collect_list_id":[9007199254740993,123456789012345678901234567890,9007199254740992,1.50]}' \
	"$(jwindow -q "${bopts[@]}" --state "$TMP/state" --flush "$TMP/b2" | sed 's/.*},//')"

# Any change to a state file is refused (exit 3), never read as another
# state: 60 random flips, cuts and duplications of a session state.
python3 "$here/gen.py" 7 "$TMP/in" >/dev/null
sopts=(--time ts --epoch-unit ms --session 2s --watermark 10s --by user --agg "$agg")
rm -f "$TMP/state"
jwindow -q "${sopts[@]}" --state "$TMP/state" "$TMP/in" >/dev/null 2>&1
python3 - "$TMP/state" "$TMP/mut" <<'EOF_PY'
import random, sys
random.seed(5)
data = open(sys.argv[1], "rb").read()
for i in range(60):
    b = bytearray(data)
    k = i % 3
    if k == 0:
        for _ in range(random.randint(1, 3)):
            b[random.randrange(len(b))] = random.choice(b"0123456789[]{}\",:-\n x")
    elif k == 1:
        b = b[:random.randrange(len(b))]
    else:
        p = random.randrange(len(b)); b = b[:p] + b[p:p + 40] + b[p:]
    if bytes(b) != data:
        open("%s.%d" % (sys.argv[2], i), "wb").write(bytes(b))
EOF_PY
bad=0 n=0
for m in "$TMP"/mut.*; do
	n=$((n + 1))
	jwindow -q "${sopts[@]}" --state "$m" --flush </dev/null >/dev/null 2>&1
	rc=$?
	[ "$rc" -eq 3 ] || { bad=$((bad + 1)); echo "# $m: exit $rc"; }
done
check_eq "state-mutations-refused ($n files)" 0 "$bad"
check state-mutations-made test "$n" -ge 50

# Moments past the range of a double (the square of 1e200) are saved so
# that the next run reads them back: by hand, 1e200 - 1e200 + 3 = 3, and
# the standard deviation overflows (null, exit 1) as in one run.
opts=(--time ts --tumble 10s --agg 'count(*), sum(x), stddev(x)')
rm -f "$TMP/state"
printf '{"ts":0,"x":1e200}\n{"ts":1,"x":-1e200}\n' |
	jwindow -q "${opts[@]}" --state "$TMP/state" 2>/dev/null
out=$(printf '{"ts":2,"x":3}\n' |
	jwindow -q "${opts[@]}" --state "$TMP/state" --flush 2>"$TMP/err")
check_eq "state-moments-past-double: exit 1" 1 $?
check_eq state-moments-past-double \
	'{"window":{"start":"1970-01-01T00:00:00Z","end":"1970-01-01T00:00:10Z"},"count":3,"sum_x":3,"stddev_x":null}' "$out"
