#!/usr/bin/env bash
# jjoin --table: every join type against a brute-force reference written
# from jjoin(1) (ref.py) on generated data with repeated keys, missing
# keys, nulls, 1 and 1.0, strings that differ only in their escapes and
# clashing field names; CSV tables by jparse's rules; errors.
. "$(dirname "$0")/../lib.sh"
D=$KPIPE_ROOT/tests/jjoin

# --- against the reference, several seeds and key specs
for seed in 1 2 3; do
	python3 "$D/gen.py" "$seed" 400 250 "$TMP/s$seed" "$TMP/t$seed"
done
for spec in "id" "id=id" "id,reg" "id=code" "reg,id=code"; do
	for how in inner left semi anti; do
		bad=
		for seed in 1 2 3; do
			python3 "$D/ref.py" "$how" "$spec" "$TMP/s$seed" "$TMP/t$seed" >"$TMP/want"
			jjoin --table "$TMP/t$seed" --on "$spec" --how "$how" "$TMP/s$seed" |
				python3 "$D/pairs.py" >"$TMP/got"
			cmp -s "$TMP/want" "$TMP/got" || bad="seed $seed: $(diff "$TMP/want" "$TMP/got" | head -n 4)"
		done
		[ -z "$bad" ] && ok "reference: --on $spec --how $how ($(wc -l <"$TMP/want") records)" ||
			fail "reference: --on $spec --how $how" "$bad"
	done
done
for how in inner left; do
	python3 "$D/ref.py" "$how" id "$TMP/s1" "$TMP/t1" s_,t_ >"$TMP/want"
	jjoin --table "$TMP/t1" --on id --how "$how" --prefix s_,t_ "$TMP/s1" | python3 "$D/pairs.py" >"$TMP/got"
	check_file_eq "reference: --prefix s_,t_ --how $how" "$TMP/want" "$TMP/got"
	python3 "$D/ref.py" "$how" id "$TMP/s1" "$TMP/t1" ,t_ >"$TMP/want"
	jjoin --table "$TMP/t1" --on id --how "$how" --prefix ,t_ "$TMP/s1" | python3 "$D/pairs.py" >"$TMP/got"
	check_file_eq "reference: --prefix ,t_ --how $how" "$TMP/want" "$TMP/got"
done

# --- semi and anti write the stream's records byte for byte, and split it
jjoin --table "$TMP/t1" --on id --how semi "$TMP/s1" >"$TMP/semi"
jjoin --table "$TMP/t1" --on id --how anti "$TMP/s1" >"$TMP/anti"
check_eq "semi + anti: every stream record once, unchanged" "$(sort "$TMP/s1")" \
	"$(sort "$TMP/semi" "$TMP/anti")"

# --- null keys never match, not even null with null (SQL, Spark)
printf '{"k":null,"t":1}\n{"t":2}\n' >"$TMP/tn"
printf '{"k":null,"s":1}\n{"s":2}\n' >"$TMP/sn"
check_eq "null and missing keys match nothing (inner)" "" "$(jjoin --table "$TMP/tn" --on k "$TMP/sn")"
check_eq "null and missing keys: anti keeps both" "$(cat "$TMP/sn")" \
	"$(jjoin --table "$TMP/tn" --on k --how anti "$TMP/sn")"
check_eq "left join without a match: the table's fields null" \
	'{"k":null,"s":1,"t":null}' "$(head -n 1 "$TMP/sn" | jjoin --table "$TMP/tn" --on k --how left)"

# --- output fields: the rule of jjoin(1), OUTPUT FIELDS
printf '{"id":1,"v":"t","x":2}\n' >"$TMP/t"
check_eq "--on a: a once, clashing right field as right_NAME" '{"id":1,"v":"s","right_v":"t","x":2}' \
	"$(echo '{"id":1,"v":"s"}' | jjoin --table "$TMP/t" --on id)"
check_eq "--on a=b: both written, each from its side" '{"k":1,"id":1,"v":"t","x":2}' \
	"$(echo '{"k":1}' | jjoin --table "$TMP/t" --on k=id)"
check_eq "right_ again while the name is taken" '{"id":1,"v":0,"right_v":1,"right_right_v":"t","x":2}' \
	"$(echo '{"id":1,"v":0,"right_v":1}' | jjoin --table "$TMP/t" --on id)"
check_eq "the left's spelling of the key is kept" '{"id":1.0,"v":"t","x":2}' \
	"$(echo '{"id":1.0}' | jjoin --table "$TMP/t" --on id)"
check_eq "nested key path" '{"u":{"id":"1"},"id":1,"v":"t","x":2}' \
	"$(echo '{"u":{"id":1}}' | jjoin --table "$TMP/t" --on u.id=id | jq -c '.u.id|=tostring')"
check_eq "several rows of a key: one record each, in table order" "$(printf '1\n2\n')" \
	"$(printf '{"k":1,"r":1}\n{"k":2}\n{"k":1,"r":2}\n' >"$TMP/tr"; echo '{"k":1.0}' | jjoin --table "$TMP/tr" --on k | jq .r)"

# --- CSV and TSV tables: read by jparse's rules
printf 'id,name,score\n1,"Smith, J",9.5\n2,,7\n"3","x ""q""",\n' >"$TMP/t.csv"
jparse --csv "$TMP/t.csv" >"$TMP/t.csv.json"
printf '{"id":1}\n{"id":2}\n{"id":3}\n{"id":"3"}\n' >"$TMP/ids"
check_eq "CSV table: the same join as jparse's records" \
	"$(jjoin --table "$TMP/t.csv.json" --on id "$TMP/ids")" "$(jjoin --table "$TMP/t.csv" --on id "$TMP/ids")"
tr , '\t' <"$TMP/t.csv" | sed 's/"Smith\t J"/Smith J/' >"$TMP/t.tsv"
check_eq "TSV table by its name" '{"id":1,"name":"Smith J","score":9.5}' \
	"$(echo '{"id":1}' | jjoin --table "$TMP/t.tsv" --on id)"
cp "$TMP/t.csv" "$TMP/table"
check_eq "--table-format csv" '{"id":2,"name":null,"score":7}' \
	"$(echo '{"id":2}' | jjoin --table "$TMP/table" --table-format csv --on id)"
printf 'id,name\n1,a\n2\n3,c\n' >"$TMP/bad.csv"
jjoin --table "$TMP/bad.csv" --on id --errors "$TMP/dead" "$TMP/ids" >"$TMP/out" 2>"$TMP/err"
check_eq "CSV table with a bad row: exit 1" 1 $?
grep -q "jjoin: $TMP/bad.csv:3: " "$TMP/err" && ok "CSV table: the bad row named FILE:LINE" ||
	fail "CSV table: the bad row named FILE:LINE" "$(cat "$TMP/err")"
check_eq "CSV table: the bad row dead-lettered" "$TMP/bad.csv 3 2" "$(jq -r '"\(.source) \(.line) \(.raw)"' "$TMP/dead")"
check_eq "CSV table: the other rows used" "2" "$(wc -l <"$TMP/out")"
# A row that is not UTF-8 keeps its bytes in jjoin's dead letter, as
# jparse's own does (raw_b64).
printf 'id,name\n1,al\377ice\n' >"$TMP/latin.csv"
jjoin -q --table "$TMP/latin.csv" --on id --errors "$TMP/dead8" /dev/null 2>/dev/null
check_eq "CSV table: a row not UTF-8 dead-lettered with its bytes" \
	"$(sed -n 2p "$TMP/latin.csv" | tr -d '\n' | base64)" "$(jq -r .raw_b64 "$TMP/dead8")"

# --- errors
printf '{"id":1}\nnot json\n{"id":2}\n' >"$TMP/badt"
jjoin --table "$TMP/badt" --on id "$TMP/ids" >"$TMP/out" 2>"$TMP/err"
check_eq "table line that is not a record: exit 1" 1 $?
grep -q "$TMP/badt:2:" "$TMP/err" && ok "table reject named FILE:LINE" || fail "table reject named FILE:LINE" "$(cat "$TMP/err")"
check_eq "table reject: the rest joined" 2 "$(wc -l <"$TMP/out")"
printf '{"id":1}\n[1]\n{"id":2}\n' | jjoin --table "$TMP/t" --on id >"$TMP/out" 2>"$TMP/err"
check_eq "stream line that is not an object: exit 1" 1 $?
grep -q -- "-:2:" "$TMP/err" && ok "stream reject named -:LINE" || fail "stream reject named -:LINE" "$(cat "$TMP/err")"
check_exit "missing table: exit 3" 3 jjoin --table "$TMP/nope" --on id "$TMP/ids"
check_exit "no --on: exit 2" 2 jjoin --table "$TMP/t" "$TMP/ids"
check_exit "--on with an empty field: exit 2" 2 jjoin --table "$TMP/t" --on 'a,' "$TMP/ids"
check_exit "--on a=b=c: exit 2" 2 jjoin --table "$TMP/t" --on 'a=b=c' "$TMP/ids"
check_exit "--how right with a table: exit 2" 2 jjoin --table "$TMP/t" --on id --how right "$TMP/ids"
check_exit "--how bogus: exit 2" 2 jjoin --table "$TMP/t" --on id --how bogus "$TMP/ids"
check_exit "--prefix without a comma: exit 2" 2 jjoin --table "$TMP/t" --on id --prefix x_ "$TMP/ids"
check_exit "--table and --table-topic: exit 2" 2 jjoin --table "$TMP/t" --table-topic x -b y --on id
check_exit "--between without --stream: exit 2" 2 jjoin --table "$TMP/t" --on id --between 0,1s
check_exit "-b with a file table: exit 2" 2 jjoin --table "$TMP/t" --on id -b localhost:1
check_eq "quoted key with a comma and =" '{"a,b=c":1,"id":1,"v":"t","x":2}' \
	"$(echo '{"a,b=c":1}' | jjoin --table "$TMP/t" --on '."a,b=c"=id')"
seq 1 100000 | sed 's/.*/{"id":&}/' | jjoin --table "$TMP/t" --on id --how anti | head -n 1 >"$TMP/out"
check_eq "output closed early (| head): exit 0" "0 {\"id\":2}" "${PIPESTATUS[2]} $(cat "$TMP/out")"
check_exit "--table-topic without brokers: exit 2" 2 env -u KPIPE_KAFKA_CONFIG jjoin --table-topic t --on id /dev/null
