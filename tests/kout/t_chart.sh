#!/usr/bin/env bash
# kout --chart in the terminal.  The golden files in golden/ were made by
# running kout on the fixed inputs next to them and checking them by hand:
# bar lengths proportional to the values (eighth blocks for the rest), the
# latest value per label, long labels cut in the middle; line rows and axis labels from
# the data's range, two series with their markers and legend; heatmap axes
# sorted (hours numerically), one shade per quarter of the value range,
# pairs without a record marked with a dot and named in the legend,
# columns that do not fit counted.
. "$(dirname "$0")/../lib.sh"
G=$(dirname "$0")/golden

golden() {
	local name=$1 file=$2; shift 2
	kout "$@" >"$TMP/out" 2>"$TMP/err"
	local rc=$?
	if [ $rc -ne 0 ]; then fail "$name" "exit $rc: $(head -c 300 "$TMP/err")"; return; fi
	check_file_eq "$name" "$G/$file" "$TMP/out"
}

golden "bar chart golden" bar.txt --chart bar --x action --y count --width 60 "$G/bar-in.json"
golden "bar chart of counts golden" bar-count.txt --chart bar --x action --width 60 "$G/bar-in.json"
golden "line chart with series golden" line.txt --chart line --x window.start --y count \
	--series action --width 72 --height 10 "$G/line-in.json"
golden "line chart golden" line-single.txt --chart line --x window.start --y count \
	--width 50 --height 6 "$G/line-in.json"
golden "heatmap golden" heatmap.txt --chart heatmap --x hour --y user --z count --width 80 "$G/heat-in.json"
golden "narrow heatmap golden" heatmap-narrow.txt --chart heatmap --x hour --y user --z count \
	--width 40 "$G/heat-in.json"

# The width comes from COLUMNS when no --width is given, and every line fits.
COLUMNS=50 kout --chart bar --x action --y count "$G/bar-in.json" >"$TMP/c50"
check_eq "COLUMNS sets the width" 50 "$(python3 -c '
import sys, unicodedata as u
print(max(sum(2 if u.east_asian_width(c) in "WF" else 1 for c in l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")))' "$TMP/c50")"

# The same chart whatever order the points arrive in.
# (the first record stays first, so the series are first seen in the same order)
{ head -n 1 "$G/line-in.json"; tail -n +2 "$G/line-in.json" | sort -r; } | kout --chart line --x window.start --y count --series action \
	--width 72 --height 10 >"$TMP/rev" 2>&1
check_file_eq "line chart independent of arrival order" "$G/line.txt" "$TMP/rev"

# Records a chart cannot use are rejected, counted and reported.
printf '{"action":"a","count":1}\n{"action":"b"}\n{"action":"c","count":"x"}\n{"count":3}\n' >"$TMP/bad.json"
kout --chart bar --x action --y count "$TMP/bad.json" >"$TMP/bad.out" 2>"$TMP/bad.err"
check_eq "unusable records: exit 1" 1 $?
check_eq "unusable records reported" 3 "$(grep -c 'bad.json:[234]: ' "$TMP/bad.err")"
printf '{"t":"yesterday","v":1}\n' | kout --chart line --x t --y v >/dev/null 2>"$TMP/t.err"
check "not a time is reported" grep -q 'is not a time' "$TMP/t.err"

check_exit "chart without --x is a usage error" 2 kout --chart bar
check_exit "heatmap without --y is a usage error" 2 kout --chart heatmap --x a
check_exit "unknown chart is a usage error" 2 kout --chart pie --x a
