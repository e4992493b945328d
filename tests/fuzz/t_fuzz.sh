# Every fuzz target for a few seconds, from its seeds only (make fuzz runs
# them longer and grows their corpora).
. "$(dirname "$0")/../lib.sh"
FUZZ_CHECK=1 FUZZ_SECONDS=${FUZZ_CHECK_SECONDS:-3} "$KPIPE_ROOT/tests/fuzz/run"
