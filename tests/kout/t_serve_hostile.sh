#!/usr/bin/env bash
# kout --serve against malformed and hostile requests while records flow
# through it (tests/kout/serve_hostile.py says what is sent and checked).
. "$(dirname "$0")/../lib.sh"

python3 "$KPIPE_ROOT/tests/kout/serve_hostile.py" "$KPIPE_BIN/kout" "$TMP"
