# The conventions of kpipe(7) that every command promises, checked on every
# command that is built: --help, --version, a man page that renders cleanly
# with EXIT STATUS and EXAMPLES, exit status 2 for a bad option.
. "$(dirname "$0")/../lib.sh"

tools=$(ls "$KPIPE_BIN" 2>/dev/null)
[ -n "$tools" ] || { fail "conventions: commands built" "no commands in $KPIPE_BIN"; exit 0; }

for t in $tools; do
	out=$("$KPIPE_BIN/$t" --help 2>/dev/null); rc=$?
	if [ $rc -eq 0 ] && printf %s "$out" | grep -qi "usage"; then ok "$t --help"
	else fail "$t --help" "exit $rc, output: $(printf %s "$out" | head -c 200)"; fi

	out=$("$KPIPE_BIN/$t" --version 2>/dev/null); rc=$?
	if [ $rc -eq 0 ] && printf %s "$out" | grep -q "[0-9]\.[0-9]"; then ok "$t --version"
	else fail "$t --version" "exit $rc, output: $out"; fi

	check_exit "$t: unknown option is a usage error (2)" 2 "$KPIPE_BIN/$t" --no-such-option

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

warn=$(MANWIDTH=80 man --warnings -l "$KPIPE_ROOT/man/kpipe.7" 2>&1 >/dev/null)
check_eq "kpipe.7 renders without warnings" "" "$warn"
