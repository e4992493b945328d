# The conventions of kpipe(7) that every command promises, checked on every
# command that is built, the same way: the command frame's options and
# messages, the man page, and record admission.  A new command is picked
# up by itself; if it reads records it must be given a line in RUN below,
# or the test fails and says so.
. "$(dirname "$0")/../lib.sh"

# How to run each command that reads records so that the record
#   {"t":"2024-03-01T00:00:00Z","g":"x","a":N}
# gives output that shows the value of a (and of g where it groups).
declare -A RUN=(
	[jparse]="jparse"
	[jfilter]="jfilter ."
	[jwindow]="jwindow --time t --tumble 1h -g g -a sum(a)"
	[jstats]="jstats -g g -f a -a max"
	[jjoin]="jjoin --table /dev/null --on g --how anti"
	[kout]="kout --csv"
)
# Commands that read no records from their input (Kafka is their input).
NO_RECORDS=" kcat-in "

tools=$(ls "$KPIPE_BIN" 2>/dev/null)
[ -n "$tools" ] || { fail "conventions: commands built" "no commands in $KPIPE_BIN"; exit 0; }

# expect NAME WANT_RC STDERR_REGEX CMD...: exit status and the first line
# of standard error, which must match the regex (anchored).
expect() {
	local name=$1 want=$2 re=$3; shift 3
	"$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	local rc=$? first
	first=$(head -n 1 "$TMP/err")
	if [ "$rc" -ne "$want" ]; then fail "$name" "exit $rc, wanted $want; stderr: $(head -c 300 "$TMP/err")"
	elif ! [[ $first =~ ^$re$ ]]; then fail "$name" "stderr [$first] does not match [$re]"
	else ok "$name"; fi
}

# The frame: help, version, usage errors.
frame_checks() {
	local t=$1 out rc
	for h in -h --help; do
		out=$("$KPIPE_BIN/$t" $h 2>"$TMP/err"); rc=$?
		if [ $rc -eq 0 ] && [[ $out == "usage: $t "* ]] && [ ! -s "$TMP/err" ] &&
			printf %s "$out" | grep -q -- '--errors FILE' && printf %s "$out" | grep -q -- '-V, --version'; then
			ok "$t $h: usage on stdout with the common options, exit 0"
		else fail "$t $h" "exit $rc: $(printf %s "$out" | head -c 200) $(head -c 200 "$TMP/err")"; fi
	done
	for v in -V --version; do
		out=$("$KPIPE_BIN/$t" $v 2>/dev/null); rc=$?
		[[ $rc -eq 0 && $out =~ ^$t\ \(kpipe\)\ [0-9]+\.[0-9]+\.[0-9]+$ ]] && ok "$t $v" ||
			fail "$t $v" "exit $rc: $out"
	done
	expect "$t: unknown long option" 2 "$t: unknown option --no-such-option" "$KPIPE_BIN/$t" --no-such-option
	[ "$(sed -n 2p "$TMP/err")" = "Try '$t --help' for more information." ] &&
		ok "$t: usage error ends with the hint" || fail "$t: usage error ends with the hint" "$(cat "$TMP/err")"
	[ ! -s "$TMP/out" ] && ok "$t: usage error writes nothing on stdout" || fail "$t: usage error writes nothing on stdout" "$(head -c 200 "$TMP/out")"
	expect "$t: unknown short option" 2 "$t: unknown option -j" "$KPIPE_BIN/$t" -j
	expect "$t: missing argument" 2 "$t: --errors needs an argument \(FILE\)" "$KPIPE_BIN/$t" --errors
	# The help lists every option the parser takes, and no other.
	"$KPIPE_BIN/$t" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u >"$TMP/longs"
	local bad=""
	while read -r o; do
		timeout 10 "$KPIPE_BIN/$t" "$o" </dev/null >/dev/null 2>"$TMP/err"
		grep -q "unknown option $o\$" "$TMP/err" && bad="$bad $o"
	done <"$TMP/longs"
	[ -z "$bad" ] && ok "$t: every option --help names is parsed" || fail "$t: every option --help names is parsed" "$bad"
}

# Record admission: one rule in every command that reads records.
GOOD='{"t":"2024-03-01T00:00:00Z","g":"x","a":1}'
record_checks() {
	local t=$1 run=${RUN[$1]}
	local -a cmd
	read -r -a cmd <<<"$run"
	cmd[0]=$KPIPE_BIN/${cmd[0]}

	printf '%s\n' "$GOOD" | "${cmd[@]}" >"$TMP/good" 2>"$TMP/err"
	[ $? -eq 0 ] && [ -s "$TMP/good" ] && [ ! -s "$TMP/err" ] && ok "$t: a good record, exit 0" ||
		{ fail "$t: a good record" "$(head -c 300 "$TMP/err")"; return; }

	# name | second line | wanted reason (regex)
	while IFS='|' read -r name line reason; do
		printf '%s\n' "$GOOD" >"$TMP/in"
		printf "$line\n" >>"$TMP/in"
		"${cmd[@]}" --errors "$TMP/dl" <"$TMP/in" >"$TMP/out" 2>"$TMP/err"; rc=$?
		first=$(head -n 1 "$TMP/err")
		if [ $rc -ne 1 ]; then fail "$t: $name is rejected" "exit $rc: $(head -c 300 "$TMP/err")"
		elif ! [[ $first =~ ^$t:\ -:2:\ $reason ]]; then fail "$t: $name is rejected" "message [$first]"
		elif ! grep -q "record rejected" "$TMP/err"; then fail "$t: $name is rejected" "no summary: $(cat "$TMP/err")"
		elif ! jq -e 'select(.source == "-" and .line == 2)' "$TMP/dl" >/dev/null 2>&1; then
			fail "$t: $name is rejected" "dead letter: $(head -c 300 "$TMP/dl")"
		elif ! cmp -s "$TMP/out" "$TMP/good"; then fail "$t: $name is rejected" "the good record's output changed"
		else ok "$t: $name is rejected, reported as -:2, dead-lettered, exit 1"; fi
		rm -f "$TMP/dl"
	done <<-'EOF'
	malformed JSON|{"t":"2024-03-01T00:00:00Z","a":|.*
	trailing garbage|{"t":"2024-03-01T00:00:00Z","a":1} {"a":100}|.*
	a missing brace|{"t":"2024-03-01T00:00:00Z","a":1|.*
	extra braces|{"t":"2024-03-01T00:00:00Z","a":1}}}|.*
	a NUL byte|\0|.*
	a BOM alone|\357\273\277|.*
	a lone surrogate|{"t":"2024-03-01T00:00:00Z","g":"\\ud800","a":1}|.*
	invalid UTF-8 in a field|{"t":"2024-03-01T00:00:00Z","g":"\303(","a":1}|.*
	EOF

	# -q: the per-record message goes, the summary stays.
	printf '%s\n{\n' "$GOOD" | "${cmd[@]}" -q >/dev/null 2>"$TMP/err"; rc=$?
	[ $rc -eq 1 ] && ! grep -q -- '-:2:' "$TMP/err" && grep -q "1 record rejected" "$TMP/err" &&
		ok "$t -q: only the summary" || fail "$t -q" "exit $rc: $(cat "$TMP/err")"

	# A blank line is no record: skipped, not counted.
	printf '%s\n\n  \n' "$GOOD" | "${cmd[@]}" >"$TMP/out" 2>"$TMP/err"; rc=$?
	[ $rc -eq 0 ] && cmp -s "$TMP/out" "$TMP/good" && [ ! -s "$TMP/err" ] &&
		ok "$t: blank lines are skipped" || fail "$t: blank lines are skipped" "exit $rc: $(head -c 300 "$TMP/err")"

	# Repeated keys: the last one wins, as in jq and Miller.
	printf '%s\n' '{"t":"2024-03-01T00:00:00Z","g":"x","a":7,"a":1}' | "${cmd[@]}" >"$TMP/out" 2>"$TMP/err"
	cmp -s "$TMP/out" "$TMP/good" && ok "$t: the last of repeated keys wins" ||
		fail "$t: the last of repeated keys wins" "$(head -c 300 "$TMP/out") $(head -c 200 "$TMP/err")"

	# Output is valid JSON (or CSV for kout) whatever the input's escapes.
	printf '%s\n' '{"t":"2024-03-01T00:00:00Z","g":"\u00e9\"\\","a":1}' | "${cmd[@]}" >"$TMP/out" 2>"$TMP/err"
	if [ "$t" = kout ]; then python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1]))); assert r[1][r[0].index("g")]=="é\"\\"' "$TMP/out"
	else jq -e . "$TMP/out" >/dev/null; fi 2>/dev/null &&
		ok "$t: escapes come out valid" || fail "$t: escapes come out valid" "$(head -c 300 "$TMP/out")"

	# -u: each record is written at once, while the input is still open.
	if [ "$t" = jwindow ] || [ "$t" = jstats ]; then return; fi
	rm -f "$TMP/fifo"; mkfifo "$TMP/fifo"
	( printf '%s\n' "$GOOD"; sleep 3 ) >"$TMP/fifo" &
	timeout 2 "${cmd[@]}" -u <"$TMP/fifo" >"$TMP/out" 2>/dev/null
	wait
	cmp -s "$TMP/out" "$TMP/good" && ok "$t -u: output before the input ends" ||
		fail "$t -u: output before the input ends" "got $(wc -c <"$TMP/out") bytes"
}

for t in $tools; do
	frame_checks "$t"
	if [ -n "${RUN[$t]:-}" ]; then record_checks "$t"
	elif [[ $NO_RECORDS != *" $t "* ]]; then
		fail "$t: reads records?" "add it to RUN (or NO_RECORDS) in tests/common/t_conventions.sh"
	fi

	page="$KPIPE_ROOT/man/$t.1"
	if [ ! -f "$page" ]; then
		fail "$t: man page" "no $page"
	else
		warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
		[ -z "$warn" ] && ok "$t: man page renders without warnings" || fail "$t: man page renders without warnings" "$warn"
		for section in "EXIT STATUS" "EXAMPLES" "SYNOPSIS"; do
			grep -q "^\.S[Hh] \"\?$section" "$page" && ok "$t: man page has $section" || fail "$t: man page has $section" "missing"
		done
	fi
done

# One letter, one meaning: a letter's long form is the same in every
# command (up to a plural, and jstats' --stats for jwindow's --agg).
for t in $tools; do
	"$KPIPE_BIN/$t" --help | grep -oE '^  -[a-zA-Z], --[a-z][a-z0-9-]+' |
		sed "s/^ *//; s/s\$//; s/--stat\$/--agg/; s/\$/ $t/"
done | sort >"$TMP/letters"
awk '{ split($0, f, " "); l = f[1]; sub(/,$/, "", l); if ((l in long) && long[l] != f[2]) print l, long[l], who[l], "but", f[2], f[3]; long[l] = f[2]; who[l] = f[3] }' \
	"$TMP/letters" >"$TMP/clash"
[ ! -s "$TMP/clash" ] && ok "one letter, one long option, in every command" ||
	fail "one letter, one long option, in every command" "$(tr '\n' ';' <"$TMP/clash")"

warn=$(MANWIDTH=80 man --warnings -l "$KPIPE_ROOT/man/kpipe.7" 2>&1 >/dev/null)
check_eq "kpipe.7 renders without warnings" "" "$warn"
