#!/usr/bin/env bash
# kout --table and --markdown.  The golden files in golden/ were made by
# running kout once and checking every line by hand (column widths counted
# with CJK and emoji as two columns and combining marks as none, control
# characters shown escaped, numbers right-aligned); the alignment of every
# code point is checked separately against Python's unicodedata.
. "$(dirname "$0")/../lib.sh"
G=$(dirname "$0")/golden

kout --table "$G/table-in.json" >"$TMP/t.txt"
check_file_eq "table golden" "$G/table.txt" "$TMP/t.txt"
kout --table --truncate 6 "$G/table-in.json" >"$TMP/t.txt"
check_file_eq "table --truncate golden" "$G/table-truncate.txt" "$TMP/t.txt"
kout --format markdown "$G/table-in.json" >"$TMP/t.md"
check_file_eq "markdown golden" "$G/table.md" "$TMP/t.md"
kout --table --columns 'latency_ms,tags[0],user' "$G/table-in.json" >"$TMP/t.txt"
check_file_eq "table --columns golden" "$G/table-columns.txt" "$TMP/t.txt"
# A stream in batches of two: a new header whenever the widths grow or a
# field appears, none when they do not.
kout --table --batch 2 "$G/stream-in.json" >"$TMP/t.txt"
check_file_eq "streaming table golden" "$G/stream.txt" "$TMP/t.txt"

# Never corrupt the terminal: no control byte but the newline, whatever
# the values hold (C0, DEL, C1 in UTF-8, escapes in keys too).
printf '%s\n' '{"k\u001b":"\u001b]0;title\u0007\u007f\u009b2J\r"}' >"$TMP/ctl.json"
kout --table "$TMP/ctl.json" "$G/table-in.json" >"$TMP/ctl.txt"
check_eq "no control characters in table output" 0 \
	"$(LC_ALL=C tr -d '\n' <"$TMP/ctl.txt" | LC_ALL=C grep -c -P '[\x00-\x1f\x7f]|\xc2[\x80-\x9f]')"
check "escaped control characters visible" grep -q -F '\u001b]0;title\u0007\u007f\u009b2J\r' "$TMP/ctl.txt"

# Alignment of every assigned code point against Python's own width rule:
# combining marks (Mn, Me) and format characters (Cf, but the soft hyphen
# and the prepended concatenation marks) take no column, East Asian Wide
# and Fullwidth take two, the rest one.  Each row is one character and a
# bar; the bar must stand in the same display column on every line.
cat >"$TMP/cp.py" <<'PY'
import json, sys, unicodedata as u
PREP = {0xAD, 0x6DD, 0x70F, 0x8E2, 0x110BD, 0x110CD, 0x890, 0x891} | set(range(0x600, 0x606))
UNSAFE = set(range(0x7F, 0xA0)) | {0x2028, 0x2029, 0x200E, 0x200F} | set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
def width(c):
    cat = u.category(c); o = ord(c)
    if cat in ("Mn", "Me") or (cat == "Cf" and o not in PREP) or 0x1160 <= o <= 0x11FF or 0xD7B0 <= o <= 0xD7FF:
        return 0
    return 2 if u.east_asian_width(c) in ("W", "F") else 1
if sys.argv[1] == "gen":
    for o in range(0x20, 0x40000):
        c = chr(o)
        if u.category(c) in ("Cn", "Cs", "Cc") or o in UNSAFE: continue
        print(json.dumps({"c": "x" + c, "bar": "|"}))
else:
    lines = open(sys.argv[2], encoding="utf-8").read().split("\n")[2:-1]
    cols = set()
    bad = []
    for l in lines:
        i = l.rindex("|")
        w = sum(width(c) for c in l[:i])
        cols.add(w)
        if len(cols) > 1 and not bad: bad.append((hex(ord(l[1])) if len(l) > 1 else "", w))
    if len(cols) != 1: sys.exit("bar at columns %s; first odd line %s" % (sorted(cols)[:5], bad))
    print(len(lines), "lines aligned")
PY
python3 "$TMP/cp.py" gen >"$TMP/cp.json"
kout --table --batch 1000000 "$TMP/cp.json" >"$TMP/cp.txt"
check "every code point aligned as Python's unicodedata says" python3 "$TMP/cp.py" check "$TMP/cp.txt"

# NO_COLOR and terminals: piped output has no escape sequences at all.
check_eq "no escapes when not a terminal" 0 "$(kout --table "$G/table-in.json" | grep -c $'\033')"

# Nested values compact, null shown, missing empty, numbers as written.
printf '{"a":{ "b" : [1, 2] },"n":12345678901234567890}\n{"a":null}\n' | kout --table >"$TMP/n.txt"
check_eq "nested compact, big number kept" \
	"$(printf '%-11s  %20s\n' a n -----------  -------------------- '{"b":[1,2]}' 12345678901234567890; echo null)" \
	"$(cat "$TMP/n.txt")"

# --refresh on a pipe: plain frames, no escapes; with a long interval only
# the last frame, at the end of the input: the latest row per key, keys in
# first-seen order.
printf '{"k":"a","n":1}\n{"k":"b","n":2}\n{"k":"a","n":30}\n{"k":"c","n":4}\n{"k":"b","n":5}\n' >"$TMP/keys.json"
kout --table --refresh 1h --key k "$TMP/keys.json" >"$TMP/keys.txt"
check_eq "refresh keyed rows on a pipe" \
	"$(printf '%-1s  %2s\n' k n - -- a 30 b 5 c 4)" "$(cat "$TMP/keys.txt")"
# Without --key: the latest rows (all of them when not on a terminal).
kout --table --refresh 1h "$TMP/keys.json" | tail -n 2 >"$TMP/tail.txt"
check_eq "refresh without --key keeps the latest rows" "$(printf '%-1s  %2s\n' c 4 b 5)" "$(cat "$TMP/tail.txt")"
check_eq "refresh with no input draws nothing" "" "$(kout --table --refresh 1h </dev/null)"
# --refresh --key compares keys by value, as jq does: 1 and 1.0, "ab" and
# "a\u0062" are one row each, holding the latest record.
printf '{"k":1,"n":1}\n{"k":1.0,"n":2}\n{"k":"a\\u0062","n":3}\n{"k":"ab","n":4}\n' >"$TMP/same.json"
check_eq "refresh keys by value: one row per jq-distinct key" \
	"$(jq -s 'map(.k) | unique | length' "$TMP/same.json")" \
	"$(kout --table --refresh 1h --key k "$TMP/same.json" | tail -n +3 | wc -l)"
check_eq "refresh keys by value: the latest record of each" "2 4" \
	"$(kout --table --refresh 1h --key k "$TMP/same.json" | tail -n +3 | awk '{print $2}' | paste -sd' ')"
