#!/usr/bin/env bash
# jfilter's options against jq's (same output, same exit status), and the
# kpipe conventions: rejected records, dead letters, --strict, exit status.
. "$(dirname "$0")/../lib.sh"

command -v jq >/dev/null || { skip jfilter-options "the jq binary is not installed"; exit 0; }

printf '{"a":1,"s":"x"}\n{"a":2,"s":"y"}\n{"a":3,"s":"z\\u00e9"}\n' >"$TMP/in"
echo '[1,{"b":2}]' >"$TMP/slurp.json"
printf 'line one\nline "two"\n' >"$TMP/raw.txt"
mkdir "$TMP/lib"
echo 'def twice: . * 2;' >"$TMP/lib/m.jq"
echo '.a | select(. > 1)' >"$TMP/prog.jq"

# Same stdout and exit status as jq -c with the same arguments.
same() {
	local name=$1; shift
	local want got wrc grc
	want=$(jq -c "$@" 2>/dev/null); wrc=$?
	got=$(jfilter "$@" 2>/dev/null); grc=$?
	if [ "$want" == "$got" ] && [ $wrc -eq $grc ]; then ok "$name"
	else fail "$name" "jq [$want] exit $wrc, jfilter [$got] exit $grc"; fi
}

same arg --arg x 1 '[$x, .a]' "$TMP/in"
same argjson --argjson y '{"z":[2]}' '[$y, .a]' "$TMP/in"
same arg-first-wins --arg x 1 --arg x 2 '$x' "$TMP/in"
same args-named --arg x 1 --argjson y 2 '$ARGS.named' "$TMP/in"
same arg-fast-path --arg s y 'select(.s == $s)' "$TMP/in"
same argjson-fast-path --argjson n 2 'select(.a >= $n) | {s, n: $n}' "$TMP/in"
same argjson-object --argjson n '{"a":1}' 'select(.a == $n.a)' "$TMP/in"
check_eq arg-fast-slow "$(JFILTER_NO_FASTPATH=1 jfilter --arg s 'z\u00e9' 'select(.s != $s) | {s, t: $s}' "$TMP/in")" \
	"$(jfilter --arg s 'z\u00e9' 'select(.s != $s) | {s, t: $s}' "$TMP/in")"
same slurpfile --slurpfile s "$TMP/slurp.json" '[$s, .a]' "$TMP/in"
same rawfile --rawfile r "$TMP/raw.txt" '$r' "$TMP/in"
same args -n '$ARGS' --args a 'b c'
same jsonargs -n '$ARGS' --jsonargs 1 '{"a":[2]}'
same raw -r '.s' "$TMP/in"
same raw-non-string -r '.a, {s}' "$TMP/in"
same null-input -n '1, "two", [3]'
same inputs -n '[inputs.a]' "$TMP/in"
check_eq input "$(jq -c '[., input] | map(.a)' "$TMP/in" "$TMP/in")" "$(jfilter '[., input] | map(.a)' "$TMP/in" "$TMP/in")"
# A select that reads the next record, even from inside a string's
# interpolation, still outputs the record it was given.
same input-in-select 'select("\(input.a)" > "1")' "$TMP/in" "$TMP/in"
same from-file --from-file "$TMP/prog.jq" "$TMP/in"
same library -L "$TMP/lib" 'import "m" as m; .a | m::twice' "$TMP/in"
same env-var -n '$ENV.PATH == env.PATH'
same multi-output '.a, .s' "$TMP/in"
same iterate '.[]' "$TMP/in"
same empty-program 'empty' "$TMP/in"
same exit-truthy --exit-status '.a' "$TMP/in"
same exit-falsy --exit-status '.a == 1' "$TMP/in"
same exit-no-output --exit-status 'select(.a == 1)' "$TMP/in"
same exit-null --exit-status '.missing' "$TMP/in"
same exit-no-input --exit-status '.' /dev/null
same exit-fast-path-falsy --exit-status 'select(.a == 3) | .missing' "$TMP/in"
same halt -n '"bye\n" | halt_error(3)'
check_eq halt-zero '{"a":1,"s":"x"}' "$(jfilter '., (select(.a == 1) | halt)' "$TMP/in")"
check_exit halt-zero-exit 0 jfilter 'select(.a == 2) | halt' "$TMP/in"
check_eq stdin "$(jq -c .a <"$TMP/in")" "$(jfilter .a <"$TMP/in")"
check_eq stdin-dash "$(jq -c .a <"$TMP/in")" "$(jfilter .a - <"$TMP/in")"
same compact-flag --compact-output .s "$TMP/in"

# jq's -f, -e and -c are long-only here (kpipe(7), OPTION LETTERS): -f and
# -e belong to fields and Kafka.  Each given as jq would take it.
check_exit no-letter-f 2 jfilter -f "$TMP/prog.jq" "$TMP/in"
check_exit no-letter-e 2 jfilter -e '.a' "$TMP/in"
check_exit no-letter-c 2 jfilter -c '.a' "$TMP/in"
check_exit args-jsonargs-alternatives 2 jfilter -n '$ARGS' --jsonargs --args 1
# --arg NAME VALUE takes the word after NAME even when it looks like an option.
same arg-value-dash --arg x -r '$x' "$TMP/in"

# --seq: RS before each output (jq's --seq also reads RS-separated input).
sed 's/^/\x1e/' "$TMP/in" >"$TMP/in.seq"
got=$(jfilter --seq 'select(.a == 1)' "$TMP/in" | od -An -c)
want=$(jq -c --seq 'select(.a == 1)' "$TMP/in.seq" | od -An -c)
check_eq seq "$want" "$got"
got=$(jfilter --seq '.a, .s' "$TMP/in" | od -An -c)
want=$(jq -c --seq '.a, .s' "$TMP/in.seq" | od -An -c)
check_eq seq-libjq "$want" "$got"
got=$(jfilter -r --seq '.s' "$TMP/in" | od -An -c)
want=$(jq -r --seq '.s' "$TMP/in.seq" | od -An -c)
check_eq seq-raw "$want" "$got"

check_eq version "jfilter (kpipe) $(sed -n 's/^VERSION *:= *//p' "$KPIPE_ROOT/Makefile")" "$(jfilter --version)"
check_exit help 0 jfilter --help
check "help-usage" grep -q '^usage: jfilter' <(jfilter --help)
check_exit no-program 2 jfilter
check_exit bad-option 2 jfilter --no-such-option .
check_exit compile-error 2 jfilter '.a +' "$TMP/in"
jfilter '.a +' "$TMP/in" 2>"$TMP/err" >/dev/null
jq '.a +' "$TMP/in" 2>"$TMP/jqerr" >/dev/null
check_eq compile-error-message "$(sed 's/^jq:/jfilter: jq:/' "$TMP/jqerr")" "$(grep -v '^Try ' "$TMP/err")"
check_exit bad-argjson 2 jfilter --argjson x '{' . "$TMP/in"
check_exit missing-slurpfile 2 jfilter --slurpfile x "$TMP/none" . "$TMP/in"
check_exit arg-needs-two 2 jfilter . --arg x
check_exit missing-file 3 jfilter . "$TMP/none"

# Records that fail: reported as FILE:LINE, counted, dead-lettered, and
# the stream goes on; exit 1.
printf '{"a":1}\n{"a":"s"}\nnot json\n\n   \n{"a":4}\n' >"$TMP/mixed"
jfilter --errors "$TMP/dl" '.a + 1' "$TMP/mixed" >"$TMP/out" 2>"$TMP/err"
check_eq errors-exit 1 $?
check_eq errors-output "$(printf '2\n5')" "$(cat "$TMP/out")"
check "errors-jq-message" grep -qF "jfilter: $TMP/mixed:2: jq error: string (\"s\") and number (1) cannot be added" "$TMP/err"
check "errors-invalid-json" grep -q "jfilter: $TMP/mixed:3: invalid JSON" "$TMP/err"
check_eq errors-dead-letters "2 3" "$(jq -r .line "$TMP/dl" | tr '\n' ' ' | sed 's/ $//')"
check_eq errors-dead-letter-raw 'not json' "$(jq -r 'select(.line == 3) | .raw' "$TMP/dl")"
check_eq errors-summary "jfilter: 2 records rejected" "$(tail -n 1 "$TMP/err")"

# Admission (kpipe(7), INPUT): any JSON value, as jq; a key named twice
# keeps its last value at its first place, as jq reads it, on the fast
# path, in libjq and in a selection that writes the record's bytes.
printf '%s\n' '{"a":1,"b":2,"a":3}' '{"x":{"k":1,"k":2},"a":0}' '[{"z":1,"z":2}]' '"s"' 7 >"$TMP/dups"
for prog in . 'select(.a == 3)' 'select(.a != 5)' '.a' '{a, x}' 'select(.a | . == 3 or . == 0) | {a}' '.[0]?'; do
	check_eq "duplicate-keys $prog" "$(jq -c "$prog" "$TMP/dups" 2>/dev/null)" "$(jfilter "$prog" "$TMP/dups" 2>/dev/null)"
done
# A \u escape of half a surrogate pair, and a line that is only a byte
# order mark: rejected with FILE:LINE, dead-lettered, the stream goes on.
printf '{"a":1}\n{"a":"\\ud800"}\n\xef\xbb\xbf\n{"a":"\\ud83d\\ude00"}\n["\\udc00"]\n' >"$TMP/sur"
for prog in '{a}' 'select(.a == 1)' '.a'; do
	rm -f "$TMP/sur.dl"
	jfilter --errors "$TMP/sur.dl" "$prog" "$TMP/sur" >"$TMP/sur.out" 2>"$TMP/sur.err"
	check_eq "surrogate-exit $prog" 1 "$?"
	check_eq "surrogate-output $prog" "$(sed -n '1p;4p' "$TMP/sur" | jq -c "$prog")" "$(cat "$TMP/sur.out")"
	check_eq "surrogate-dead-letters $prog" "2 3 5" "$(jq -r .line "$TMP/sur.dl" | paste -sd ' ')"
done
check "surrogate-reason" grep -q "^jfilter: $TMP/sur:2: .*surrogate" "$TMP/sur.err"
printf '\xef\xbb\xbf{"a":1}\n' >"$TMP/bom"
check_eq bom-first-line '{"a":1}' "$(jfilter . "$TMP/bom")"

# --strict stops at the first rejected record.
jfilter --strict '.a + 1' "$TMP/mixed" >"$TMP/out" 2>/dev/null
check_eq strict-exit 1 $?
check_eq strict-output 2 "$(cat "$TMP/out")"
# Fast-path records fall back to libjq for jq's error, and --strict too.
printf '{"a":{"b":1}}\n{"a":"str"}\n{"a":{"b":2}}\n' >"$TMP/deep"
jfilter --strict 'select(.a.b == 2)' "$TMP/deep" >"$TMP/out" 2>"$TMP/err"
check_eq strict-fast-exit 1 $?
check_eq strict-fast-output "" "$(cat "$TMP/out")"
check_eq fast-path-error-message "jfilter: $TMP/deep:2: $(jq -c 'select(.a.b == 2)' "$TMP/deep" 2>&1 >/dev/null |
	sed -n 's/^jq: error (at [^)]*): /jq error: /p')" "$(head -n 1 "$TMP/err")"

# -q: counted, not printed per record.
jfilter -q '.a + 1' "$TMP/mixed" >/dev/null 2>"$TMP/err"
check "quiet" grep -q '^jfilter: 2 records rejected (2 not shown' "$TMP/err"
check_eq quiet-one-line 1 "$(wc -l <"$TMP/err")"

# CRLF lines and a missing final newline are fine.
printf '{"a":1}\r\n{"a":2}' | jfilter 'select(.a == 2)' >"$TMP/out"
check_eq crlf-no-final-newline '{"a":2}' "$(cat "$TMP/out")"

# Selections keep the record's bytes: no rounding, no reordering, no
# re-escaping; insignificant space is dropped.
printf '%s\n' '{"id":1234567890123456789,"z":1,"a":"caf\u00e9","f":1.50}' '{ "id" : 1 , "z" : 2 }' >"$TMP/keep"
check_eq keep-bytes '{"id":1234567890123456789,"z":1,"a":"caf\u00e9","f":1.50}' \
	"$(jfilter 'select(.z == 1)' "$TMP/keep")"
check_eq keep-bytes-libjq '{"id":1234567890123456789,"z":1,"a":"caf\u00e9","f":1.50}' \
	"$(jfilter 'select(.z | . == 1 and tostring == "1")' "$TMP/keep")"
check_eq keep-bytes-compacts '{"id":1,"z":2}' "$(jfilter 'select(.z == 2)' "$TMP/keep")"
check_eq projection-rounds-as-jq "$(jq -c '{id, f}' "$TMP/keep" | head -n 1)" "$(jfilter '{id, f}' "$TMP/keep" | head -n 1)"

# A closed pipe ends jfilter quietly.
yes '{"a":1}' | head -n 100000 >"$TMP/many"
jfilter . "$TMP/many" 2>"$TMP/err" | head -n 1 >/dev/null
check_eq pipe-closed-exit 0 "${PIPESTATUS[0]}"
check_eq pipe-closed-quiet "" "$(cat "$TMP/err")"

# When the reader goes away, jfilter stops: an endless input, or a program
# with endless outputs, ends with status 0 once head has its line.
endless() {	# NAME jfilter-args...
	local name=$1; shift
	yes '{"a":1}' | timeout 20 jfilter "$@" 2>"$TMP/endless.err" | head -n 1 >/dev/null
	check_eq "$name" "0" "${PIPESTATUS[1]}$(head -c 200 "$TMP/endless.err")"
}
endless reader-leaves-fast-path 'select(.a == 1)'
endless reader-leaves-libjq '.a + 1'
endless reader-leaves-outputs 'repeat(.)'
endless reader-leaves-null-input -n 'range(infinite)'
endless reader-leaves-inputs -n 'inputs'

# A live stream: each record shows as soon as it is filtered, without -u,
# while the input stays open (the read waits at most 20 s for it).
live() {
	local name=$1 prog=$2 want=$3 line pid
	rm -f "$TMP/live.in" "$TMP/live.out"
	mkfifo "$TMP/live.in" "$TMP/live.out"
	jfilter "$prog" <"$TMP/live.in" >"$TMP/live.out" &
	pid=$!
	exec 3>"$TMP/live.in" 4<"$TMP/live.out"
	echo '{"a":1,"s":"x"}' >&3
	if IFS= read -r -t 20 line <&4; then check_eq "$name" "$want" "$line"
	else fail "$name" "no output while the input stays open"; fi
	exec 3>&-
	wait "$pid"
	exec 4<&-
}
live live-fast-path 'select(.a == 1)' '{"a":1,"s":"x"}'
live live-libjq '.a + 1' '2'
