#!/usr/bin/env bash
# kout --serve --metrics: the dashboard's figures (frames published and
# skipped for a client that never reads, streams, refused requests) in the
# metrics records (tests/kout/serve_metrics.py says what is checked).
. "$(dirname "$0")/../lib.sh"

python3 "$KPIPE_ROOT/tests/kout/serve_metrics.py" "$KPIPE_BIN/kout" "$TMP"
