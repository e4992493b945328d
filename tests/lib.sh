# Shared helpers for command tests (tests/<area>/t_*.sh): source this file.
#   ok NAME / fail NAME DETAIL / skip NAME REASON    report one result
#   check NAME CMD...            passes when CMD exits 0
#   check_eq NAME EXPECTED ACTUAL
#   check_exit NAME CODE CMD...  passes when CMD exits with CODE
#   check_file_eq NAME FILE1 FILE2
# $TMP is a fresh directory removed at exit; the built commands are on PATH;
# $TESTDATA is ../shared/testdata.
set -u
KPIPE_ROOT=${KPIPE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
KPIPE_BIN=${KPIPE_BIN:-$KPIPE_ROOT/bin}
KPIPE_BUILD=${KPIPE_BUILD:-$KPIPE_ROOT/build}
TESTDATA=${TESTDATA:-$KPIPE_ROOT/../shared/testdata}
PATH=$KPIPE_BIN:$KPIPE_BUILD/tools:$PATH
export LC_ALL=C.UTF-8
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kpipe-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

ok()   { echo "ok $1"; }
fail() { echo "not ok $1: ${2:-}"; }
skip() { echo "skip $1: ${2:-no reason given}"; }

check() {
	local name=$1; shift
	if "$@" >"$TMP/.out" 2>&1; then ok "$name"; else fail "$name" "exit $?: $(head -c 300 "$TMP/.out")"; fi
}

check_eq() {
	if [ "$2" == "$3" ]; then ok "$1"
	else fail "$1" "expected [$(printf %s "$2" | head -c 400)] got [$(printf %s "$3" | head -c 400)]"; fi
}

check_exit() {
	local name=$1 want=$2; shift 2
	"$@" >"$TMP/.out" 2>&1
	local rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$name"; else fail "$name" "exit $rc, wanted $want: $(head -c 300 "$TMP/.out")"; fi
}

check_file_eq() {
	if cmp -s "$2" "$3"; then ok "$1"
	else fail "$1" "$(diff "$2" "$3" | head -n 10 | tr '\n' ' ')"; fi
}
