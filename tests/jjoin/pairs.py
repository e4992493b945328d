#!/usr/bin/env python3
"""NDJSON records as lists of [name, value] pairs in their order, one per
line, so that two outputs compare with their field order and with values
compared as JSON values (1 and 1.0 equal, escapes decoded)."""
import json
import sys

for line in sys.stdin:
    if line.strip():
        print(json.dumps(list(json.loads(line).items())))
