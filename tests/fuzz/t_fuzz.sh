# Every fuzz target for a few seconds (make fuzz runs them longer).
. "$(dirname "$0")/../lib.sh"
FUZZ_SECONDS=${FUZZ_CHECK_SECONDS:-5} "$KPIPE_ROOT/tests/fuzz/run"
