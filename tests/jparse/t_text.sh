#!/usr/bin/env bash
# jparse's text formats (logfmt, --regex), type inference, -f envelopes
# and the command line.  Expected values are written out by hand.
. "$(dirname "$0")/../lib.sh"

# Type inference: the narrow rule of jparse(1).
printf 'v\n42\n-0\n4.5\n1e5\n-2.5E-3\n007\n0x10\nNaN\n1e400\n1234567890123456789\n12345678901234567890\n+4\n.5\n1.\n-\ntrue\nTRUE\nnull\n\n 42\n' >"$TMP/infer.csv"
got=$(jparse --csv "$TMP/infer.csv" | tr '\n' ' ')
check_eq inference '{"v":42} {"v":-0} {"v":4.5} {"v":1e5} {"v":-2.5E-3} {"v":"007"} {"v":"0x10"} {"v":"NaN"} {"v":"1e400"} {"v":1234567890123456789} {"v":"12345678901234567890"} {"v":"+4"} {"v":".5"} {"v":"1."} {"v":"-"} {"v":true} {"v":"TRUE"} {"v":"null"} {"v":" 42"} ' "$got"

# logfmt
got=$(printf 'level=info msg="user \\"bob\\" in" n=42 t=1.5 ok=true empty= flag path=/a?b=c q="" esc="a\\tb\\\\"\n' | jparse --logfmt)
check_eq logfmt '{"level":"info","msg":"user \"bob\" in","n":42,"t":1.5,"ok":true,"empty":null,"flag":true,"path":"/a?b=c","q":"","esc":"a\tb\\"}' "$got"
got=$(printf 'a=1 a=2 b=3\n' | jparse --logfmt)
check_eq logfmt-dup '{"a":2,"b":3}' "$got"
got=$(printf 'n="42" m=42\n' | jparse --logfmt)
check_eq logfmt-quoted-is-string '{"n":"42","m":42}' "$got"
printf 'a=1\nmsg="open\nx=1 =2\nk="v"x\na=2\n' >"$TMP/bad.logfmt"
jparse --logfmt "$TMP/bad.logfmt" >"$TMP/lf.out" 2>"$TMP/lf.err"
check_eq logfmt-bad-exit 1 "$?"
check_eq logfmt-bad-good '{"a":1} {"a":2} ' "$(tr '\n' ' ' <"$TMP/lf.out")"
check_eq logfmt-bad-lines "2 3 4" "$(sed -n 's/^jparse: .*bad.logfmt:\([0-9]*\): logfmt: .* at byte [0-9]*$/\1/p' "$TMP/lf.err" | tr '\n' ' ' | sed 's/ $//')"

# --regex: named captures in pattern order, unset ones null, the rest rejected.
got=$(printf 'GET /a 200\nPOST /b\nnope\n' | jparse --regex '^(?<method>[A-Z]+) (?<path>\S+)(?: (?<status>\d+))?$' 2>"$TMP/rx.err" | tr '\n' ' ')
check_eq regex '{"method":"GET","path":"/a","status":200} {"method":"POST","path":"/b","status":null} ' "$got"
grep -q -- '-:3: does not match the regex' "$TMP/rx.err" && ok regex-nomatch || fail regex-nomatch "$(cat "$TMP/rx.err")"
# (?J) lets groups share a name: one field, placed at the first of them,
# from the first one that is set (PCRE2's pcre2_substring_get_byname).
got=$(printf '1700\nabc d\nab\n' | jparse --regex '(?J)^(?:(?<t>\d+)|(?<t>[a-z]+) (?<u>.)|(?<t>a)(?<t>b))$' | tr '\n' ' ')
check_eq regex-dup-names '{"t":1700,"u":null} {"t":"abc","u":"d"} {"t":"a","u":null} ' "$got"
got=$(printf 'é=ü 1\n' | jparse --strings --regex '^(?<k>.)=(?<v>.) (?<n>\d)$')
check_eq regex-utf8 '{"k":"é","v":"ü","n":"1"}' "$got"
printf 'ok 1\nbad \xff\nnul \x00\n' | jparse --regex '(?<w>\w+) (?<x>.*)' >/dev/null 2>"$TMP/rx2.err"
check_eq regex-bad-bytes "-:2: invalid UTF-8 at byte 5|-:3: NUL byte at byte 5" "$(sed -n 's/^jparse: //p' "$TMP/rx2.err" | grep -v rejected | paste -sd '|')"
check_exit regex-no-names 2 jparse --regex '(\d+)'
check_exit regex-invalid 2 jparse --regex '(?<a>['

# Presets not covered by loghub: clf and combined.
clf='127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326'
got=$(echo "$clf" | jparse --format clf --time time)
check_eq clf '{"host":"127.0.0.1","ident":"-","user":"frank","time":"2000-10-10T20:55:36Z","request":"GET /apache_pb.gif HTTP/1.0","status":200,"bytes":2326}' "$got"
got=$(echo "$clf \"http://x/\" \"Mozilla/4.08 \\\"q\\\"\"" | jparse --format combined)
check_eq combined '{"host":"127.0.0.1","ident":"-","user":"frank","time":"10/Oct/2000:13:55:36 -0700","request":"GET /apache_pb.gif HTTP/1.0","status":200,"bytes":2326,"referer":"http://x/","agent":"Mozilla/4.08 \\\"q\\\""}' "$got"

# -f: parse a field of an envelope, the rest under _meta (or elsewhere, or dropped).
env='{"topic":"t","partition":0,"offset":12345678901234567890,"key":null,"value":"level=info n=1"}'
check_eq field-meta '{"level":"info","n":1,"_meta":{"topic":"t","partition":0,"offset":12345678901234567890,"key":null}}' "$(echo "$env" | jparse --logfmt -f value)"
check_eq field-meta-name '{"level":"info","n":1,"kafka":{"topic":"t","partition":0,"offset":12345678901234567890,"key":null}}' "$(echo "$env" | jparse --logfmt -f .value --meta kafka)"
check_eq field-no-meta '{"level":"info","n":1}' "$(echo "$env" | jparse --logfmt -f value --no-meta)"
check_eq field-json-compact '{"a":[1,2],"_meta":{"k":1}}' "$(echo '{"k":1,"value":"{\"a\" : [1, 2]}"}' | jparse -f value)"
check_eq field-json-raw '{"value":5,"_meta":{}}' "$(echo '{"value":5}' | jparse -f value)"
check_eq field-nested '{"x":1}' "$(echo '{"m":{"v":"x=1"}}' | jparse --logfmt -f m.v --no-meta)"
# Envelopes written loosely: whitespace, an escaped key, the field twice.
# jq is the oracle: the last of a repeated key wins, as admission has it
# (kpipe(7), INPUT).
loose='{ "k" : [1, 2] ,"val\u0075e": "{\"a\" : 1}", "n":{"x" : null}, "value":"{\"b\":2}" }'
check_eq field-loose-envelope "$(echo "$loose" | jq -c '(.value | fromjson) + {_meta: del(.value)}')" \
	"$(echo "$loose" | jparse -f value)"
check_eq field-nested-meta "$(echo '{"m": {"v":"x=1"}, "z":2}' | jq -c '{x: 1, _meta: .}')" "$(echo '{"m": {"v":"x=1"}, "z":2}' | jparse --logfmt -f m.v)"
got=$(printf '{"v":"1,2"}\n{"v":"3,\\"a,b\\""}\n' | jparse --csv --header a,b -f v --no-meta | tr '\n' ' ')
check_eq field-csv '{"a":1,"b":2} {"a":3,"b":"a,b"} ' "$got"
got=$(printf '{"v":"a,b"}\n{"v":"1,2"}\n' | jparse --csv -f v --no-meta)
check_eq field-csv-header '{"a":1,"b":2}' "$got"
printf '{"value":"a=1"}\n{"other":1}\n{"value":7}\nnot json\n{"value":""}\n' | jparse --logfmt -f value >"$TMP/f.out" 2>"$TMP/f.err"
check_eq field-bad-exit "1" "$?"
check_eq field-bad-reasons "-:2: no field value|-:3: field value is not a string|-:4: invalid JSON:  at byte 1|-:5: field value is empty" \
	"$(sed -n 's/^jparse: //p' "$TMP/f.err" | grep -v rejected | sed 's/\(invalid JSON: \).*\( at byte 1\)$/\1\2/' | paste -sd '|')"

# --time on text records; --strings does not stop it.
got=$(printf 'ts=2024-03-01T12:00:00.5+01:00 n=1\n' | jparse --logfmt --strings --time ts)
check_eq logfmt-time '{"ts":"2024-03-01T11:00:00.500Z","n":"1"}' "$got"
got=$(printf 'ts=1709294400123 n=1\n' | jparse --logfmt --time ts --epoch-unit ms)
check_eq logfmt-time-ms '{"ts":"2024-03-01T12:00:00.123Z","n":1}' "$got"

# The command line.
jparse --help >"$TMP/help" 2>&1
check_eq help "0 usage: jparse" "$? $(head -c 13 "$TMP/help")"
check_eq version "jparse (kpipe)" "$(jparse --version | cut -d' ' -f1,2)"
check_exit unknown-option 2 jparse --bogus
check_exit unknown-format 2 jparse --format nope
check_exit bad-epoch-unit 2 jparse --epoch-unit h
check_exit header-without-csv 2 jparse --header a,b
check_exit missing-file 3 jparse /nonexistent/file
check "format-list" sh -c 'jparse --format list | grep -q "^syslog "'
check_exit quiet 1 sh -c 'echo "{" | jparse -q 2>&1 | grep -q ":1:" && exit 9; echo "{" | jparse -q'

# A 50 MB line through a preset: PCRE2's step limit grows with the line.
python3 -c '
import sys
sys.stdout.write("Dec 10 06:55:46 LabSZ sshd[24200]: " + "word " * (10 << 20) + "\n")' >"$TMP/big.log"
got=$(jparse --format syslog "$TMP/big.log" | python3 -c '
import json, sys; r = json.loads(sys.stdin.read()); print(r["pid"], len(r["message"]))')
check_eq big-line-preset "24200 $(((50 << 20) - 1))" "$got"
rm -f "$TMP/big.log"

# -f with CSV: one string may hold several rows, each keeps the envelope.
got=$(printf '{"k":1,"v":"a,b\\n1,2\\n3,4"}\n{"k":2,"v":"5,6"}\n' | jparse --csv -f v | tr '\n' ' ')
check_eq field-csv-rows '{"a":1,"b":2,"_meta":{"k":1}} {"a":3,"b":4,"_meta":{"k":1}} {"a":5,"b":6,"_meta":{"k":2}} ' "$got"
