#!/usr/bin/env bash
# Documentation that runs: every example in README.md and in the EXAMPLES
# section of every man page must print what the page shows.
#   t_examples.sh [PAGE...]    those pages only (default: all of them)
#
# What an example is (tests/docs/examples.py reads the pages):
#   - README.md: each fenced code block, but those fenced as ```text
#     (pictures); man pages: each .EX/.EE or .nf/.fi block of EXAMPLES,
#     its escapes undone as man(1) shows them (\- is -, \e is \, \(aq is ',
#     \[u2500] is U+2500, \& is nothing: write \&... for a line "...");
#     first, that man(1) shows each of their lines so is checked.
#   - A line starting with "$ " is a command, continued by the following
#     lines while it ends in \ or |.  The lines after it, up to the next
#     command or the end of the block, are its output: standard output and
#     standard error together, exactly; a line "..." stands for any number
#     of lines, a line ending in "..." for any line that starts with what
#     precedes it.  Its exit status is not checked (show "; echo rc=$?").
#   - A block without "$ " lines is a recipe: it must run and exit 0
#     (with pipefail) against the fixtures below.
#   - Every man page has examples: one where none is found fails (a page
#     in mdoc is read as having none), unless it says it has none with
#     the line  .\" doc-test: no examples REASON  (then a skip).
#   - A block that cannot run here is marked just before it, in a man page
#     with the line  .\" doc-test: skip REASON  and in README.md with
#     <!-- doc-test: skip REASON -->; it is reported as a skip, not a pass.
#   - "timestamp":"..." values (the time Kafka stamped a message) are
#     replaced by "..." in the shown and the printed output alike.
#
# Each block runs in a fresh directory holding the fixtures the pages name:
#   events.json, events.ndjson   python3 tests/gen-events.py -n 10000
#   data.csv                     g,x,y: a,1,2 a,2,5 b,3,1 b,4,4 b,6,3
#   Apache_2k.log, OpenSSH_2k.log  loghub's samples, from $TESTDATA/loghub
#   tests/                       this repository's tests (gen-events.py)
# and, when it names $B or localhost:9092, with an embedded broker
# (build/tools/mock-kafka) at $B, localhost:9092 rewritten to it: one broker
# for each page, shared by its blocks in their order, started with the
# topics events:3 (events.json, produced with kout -k user --time timestamp),
# and, empty, topic_log:4 app:1 logins:1 purchases:1 events-by-user:4,
# and events-avro:1 orders:1 (the Avro examples' topics: one partition, as
# Kafka's auto-creation makes one by default, so their messages come back in the
# order sent, whatever the timing of the fetches).
# When a block names http://localhost:8081 (a schema registry's usual
# address) it is rewritten to a real one (tests/registry/registry.sh),
# started at the first such block and kept for the rest of the run; one
# that cannot start skips those blocks (fails them with
# KPIPE_REQUIRE_REGISTRY=1).
# `make` in an example is make in this repository (when the commands under
# test are its bin/; a skip otherwise, as under make asan).  Each command
# runs in bash with pipefail, no terminal size (COLUMNS and LINES unset, so
# kout draws its default width) and $KPIPE_DOC_TIMEOUT (30) seconds.
. "$(dirname "$0")/../lib.sh"

if [ $# -gt 0 ]; then pages=("$@")	# some pages only, e.g. man/kout.1
else pages=("$KPIPE_ROOT/README.md" "$KPIPE_ROOT"/man/*.1 "$KPIPE_ROOT/man/kpipe.7"); fi
examples=$KPIPE_ROOT/tests/docs/examples.py
step_timeout=${KPIPE_DOC_TIMEOUT:-30}
mock= B=
REG= registry_down=
trap 'stop_broker; stop_registry; rm -rf "$TMP"' EXIT

fixtures=$TMP/fixtures
mkdir -p "$fixtures"
python3 "$KPIPE_ROOT/tests/gen-events.py" -n 10000 >"$fixtures/events.json"
cp "$fixtures/events.json" "$fixtures/events.ndjson"
printf 'g,x,y\na,1,2\na,2,5\nb,3,1\nb,4,4\nb,6,3\n' >"$fixtures/data.csv"
have_loghub=1
for log in Apache/Apache_2k.log OpenSSH/OpenSSH_2k.log; do
	if [ -f "$TESTDATA/loghub/$log" ]; then cp "$TESTDATA/loghub/$log" "$fixtures/"; else have_loghub=0; fi
done

for page in "${pages[@]}"; do
	case $page in *.md) continue ;; esac
	name="man shows the examples of ${page##*/} as they are run"
	if ! command -v man >/dev/null; then skip "$name" "no man(1)"; continue; fi
	MANWIDTH=400 man -l "$page" >"$TMP/rendered" 2>/dev/null
	msg=$(python3 "$examples" shown "$page" "$TMP/rendered")
	case $? in
	0) ok "$name" ;;
	3) skip "$name" "the page says it has no examples: $msg" ;;
	*) fail "$name" "$msg" ;;
	esac
done

python3 "$examples" extract "$TMP/ex" "${pages[@]}" || { fail "examples extracted" "examples.py failed"; exit 1; }

start_broker() {	# sets B
	local out=$TMP/mock.$1.out i
	mock-kafka events:3 topic_log:4 app:1 logins:1 purchases:1 events-by-user:4 \
		events-avro:1 orders:1 \
		</dev/null >"$out" 2>"$TMP/mock.err" &
	mock=$!
	for ((i = 0; i < 50; i++)); do [ -s "$out" ] && break; sleep 0.1; done
	B=$(head -n 1 "$out")
	[ -n "$B" ] && kout -b "$B" -t events -k user --time timestamp "$fixtures/events.json" 2>>"$TMP/mock.err"
}

stop_broker() {
	[ -n "$mock" ] || return 0
	kill "$mock" 2>/dev/null
	wait "$mock" 2>/dev/null
	mock= B=
}

start_registry() {	# sets REG, or registry_down to why not
	"$KPIPE_ROOT/tests/registry/registry.sh" start "$TMP/registry" \
		>"$TMP/registry.url" 2>"$TMP/registry.err" </dev/null || {
		registry_down="the schema registry did not start: $(tail -n 3 "$TMP/registry.err" | tr '\n' ' ')"
		return 1
	}
	REG=$(head -n 1 "$TMP/registry.url")
}

stop_registry() {
	[ -n "$REG" ] && "$KPIPE_ROOT/tests/registry/registry.sh" stop "$TMP/registry"
	REG=
}

run_step() {	# DIR CMDFILE OUTFILE: the command's exit status
	local prelude='set -o pipefail
unset COLUMNS LINES
make() { command make --no-print-directory -s -C "$KPIPE_ROOT" "$@"; }'
	(cd "$1" && B=$B KPIPE_ROOT=$KPIPE_ROOT timeout -k 5 "$step_timeout" \
		bash -c "$prelude"$'\n'"$(sed -e "s/localhost:9092/$B/g" -e "s|http://localhost:8081|$REG|g" "$2")" \
		</dev/null >"$3" 2>&1)
}

run_block() {	# EXAMPLE-DIR
	local ex=$1 where name dir s rc line
	where=$(cat "$ex/where")
	if [ -f "$ex/skip" ]; then
		skip "example $where" "$(cat "$ex/skip")"
		return
	fi
	if [ "$KPIPE_BIN" != "$KPIPE_ROOT/bin" ] && grep -q -E '(^|[;|&] *)make ' "$ex"/*.cmd; then
		skip "example $where" "make builds and runs bin/; these tests run $KPIPE_BIN"
		return
	fi
	dir=$TMP/run/${ex##*/}
	mkdir -p "$dir"
	cp "$fixtures"/* "$dir/"
	ln -s "$KPIPE_ROOT/tests" "$dir/tests"
	if grep -q http://localhost:8081 "$ex"/*.cmd && [ -z "$REG" ] &&
		{ [ -n "$registry_down" ] || ! start_registry; }; then
		if [ "${KPIPE_REQUIRE_REGISTRY:-0}" = 1 ]; then fail "example $where" "$registry_down"
		else skip "example $where" "$registry_down"; fi
		return
	fi
	if [ -z "$mock" ] && grep -q -e '\$B' -e localhost:9092 "$ex"/*.cmd; then
		start_broker "${ex##*/}" || { fail "example $where" "mock-kafka did not start or take the events: $(head -c 300 "$TMP/mock.err")"; return; }
	fi
	for ((s = 0; ; s++)); do
		[ -f "$ex/$s.cmd" ] || break
		line=$(cat "$ex/$s.line")
		name="example ${where%:*}:$line: $(head -n 1 "$ex/$s.cmd" | cut -c 1-60)"
		if [ $have_loghub = 0 ] && grep -q -e Apache_2k.log -e OpenSSH_2k.log "$ex/$s.cmd"; then
			skip "$name" "no loghub samples in $TESTDATA/loghub"
			continue
		fi
		run_step "$dir" "$ex/$s.cmd" "$dir/.out"
		rc=$?
		if [ -f "$ex/$s.want" ]; then
			if msg=$(python3 "$examples" compare "$ex/$s.want" "$dir/.out"); then ok "$name"
			else fail "$name" "$msg"; fi
		elif [ $rc -eq 0 ]; then
			ok "$name"
		else
			fail "$name" "exit $rc: $(head -c 300 "$dir/.out" | tr '\n' ' ')"
		fi
	done
}

page=
for ex in "$TMP"/ex/*/; do
	[ -f "$ex/where" ] || continue	# no example at all: failed above
	where=$(cat "$ex/where")
	[ "${where%%:*}" = "$page" ] || stop_broker
	page=${where%%:*}
	run_block "${ex%/}"
done
