#!/usr/bin/env bash
# jparse's command line, as kpipe(7) OPTION LETTERS and jparse(1) give it:
# the letters -f -d -S and nothing else of its own, one input format, and
# option values that are checked before the first record is read.
. "$(dirname "$0")/../lib.sh"

# The letters jparse has: -f, -d, -S (and the common -h -V -q -u).
check_eq letter-f '{"x":1}' "$(echo '{"v":"x=1"}' | jparse --logfmt -f v --no-meta)"
check_eq letter-d '{"a":1,"b":2}' "$(printf 'a;b\n1;2\n' | jparse --csv -d ';')"
check_eq letter-S '{"n":"1"}' "$(echo 'n=1' | jparse --logfmt -S)"
check_eq letter-q "" "$(echo '{' | jparse -q 2>&1 >/dev/null | grep ':1:')"
# Letters that kpipe(7) gives other meanings, or none: long forms only.
# Each with an argument its long form would take, so only the letter is wrong.
check_exit no-letter-t 2 jparse -t ts /dev/null
check_exit no-letter-r 2 jparse -r '(?<a>.)' /dev/null
check_exit no-letter-F 2 jparse -F clf /dev/null
check_exit no-letter-H 2 jparse --csv -H a /dev/null
for l in -e -c -n -k -g; do
	check_exit "no-letter$l" 2 jparse "$l" /dev/null
done
check_eq long-time '{"t":"2024-03-01T12:00:00Z"}' "$(echo '{"t":1709294400}' | jparse --time t)"
check_eq long-header '{"x":1}' "$(echo 1 | jparse --csv --header x)"

# The input formats are alternatives: any two of them is a usage error.
formats=(--json --csv --tsv --logfmt "--regex (?<a>.)" "--format clf")
for ((i = 0; i < ${#formats[@]}; i++)); do
	for ((j = i + 1; j < ${#formats[@]}; j++)); do
		# shellcheck disable=SC2086
		check_exit "two-formats ${formats[i]} ${formats[j]}" 2 jparse ${formats[i]} ${formats[j]}
	done
done
check_exit same-format-twice 0 jparse --csv --csv /dev/null
jparse --json --csv </dev/null 2>"$TMP/err"
check "two-formats-message" grep -q "^Try 'jparse --help'" "$TMP/err"

# Option values that cannot work are usage errors at the start, whatever
# the input: a --time format with an unknown conversion, a path that does
# not parse, a delimiter that is not one character.
check_exit time-bad-format 2 jparse --time 't=%Q' /dev/null
check_exit time-bad-format-records 2 sh -c 'echo "{\"t\":\"x\"}" | jparse --time "t=%Q"'
check_exit time-good-format 0 jparse --time 't=%Y-%m-%d' /dev/null
check_exit time-bad-path 2 jparse --time 'a..b' /dev/null
check_exit time-no-field 2 jparse --time '=%Y' /dev/null
check_exit time-nested-text-format 2 jparse --logfmt --time a.b /dev/null
check_exit delimiter-two-chars 2 jparse --csv -d ';;' /dev/null
check_exit delimiter-without-csv 2 jparse -d ';' /dev/null
check_exit year-not-a-year 2 jparse --format syslog --year 20x5 /dev/null
check_exit field-bad-path 2 jparse -f 'a[' /dev/null
check_exit meta-and-no-meta 2 jparse -f v --meta m --no-meta /dev/null
check_exit meta-without-field 2 jparse --meta m /dev/null
