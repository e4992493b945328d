#!/usr/bin/env bash
# kout --serve in a real browser: headless Chromium loads the dashboard
# while records stream in, and what it shows at two moments is compared
# with what the records sent say (tests/kout/serve_browser.py).  The
# screenshot is kept in $KPIPE_ARTIFACTS (default build/artifacts).
# Without Chromium this is a skip, and a failure when
# KPIPE_REQUIRE_BROWSER=1 (CI).
. "$(dirname "$0")/../lib.sh"

if ! command -v chromium >/dev/null; then
	if [ "${KPIPE_REQUIRE_BROWSER:-0}" = 1 ]; then fail "chromium installed" "KPIPE_REQUIRE_BROWSER=1"
	else skip "kout --serve in chromium" "chromium not installed"; fi
	exit 0
fi
python3 "$KPIPE_ROOT/tests/kout/serve_browser.py" "$KPIPE_BIN/kout" \
	"${KPIPE_ARTIFACTS:-$KPIPE_BUILD/artifacts}" "$TMP"
