# jdedup against ref.py, the rules of jdedup(1) written the plain way in
# Python, on random streams: many keys recurring at every distance from
# the delay, disorder larger than the delay (so late records), missing and
# null ids, 1 and 1.0 spellings.  jdedup's output and its --dropped and
# --late files must say, line for line, what ref.py says; this exercises
# the key table's forgetting (slots emptied and shifted back, the heap)
# far more than the hand-worked cases.
. "$(dirname "$0")/../lib.sh"

gen() {
	python3 - "$@" <<'PY'
import random, sys
n, keys, step, disorder, seed = map(int, sys.argv[1:])
rnd = random.Random(seed)
for i in range(n):
    k = rnd.randrange(keys)
    t = i * step - rnd.randrange(disorder + 1)
    f = ['"seq":%d' % i]
    if k == 0:
        pass
    elif k == 1:
        f.append('"id":null')
    else:
        f.append('"id":' + rnd.choice(["%d", "%d.0"]) % k)
    f.append('"t":%d' % t)
    print("{" + ",".join(f) + "}")
PY
}

# what jdedup did with each line, from where the line went
verdicts() {
	python3 - "$1" "$2" "$3" <<'PY'
import json, sys
out, dropped, late = sys.argv[1:]
what = {}
for name, path, raw in (("pass", out, False), ("dup", dropped, True), ("late", late, True)):
    for line in open(path):
        r = json.loads(line)
        what[(json.loads(r["raw"]) if raw else r)["seq"]] = name
for i in range(len(what)):
    print(what.get(i, "missing"))
PY
}

run() {
	local name=$1 mode=$2 delay=$3; shift 3
	local -a opt=()
	case $mode in
	watermark) opt=(--time t --epoch-unit ms -W "${delay}ms" --late "$TMP/late");;
	within) opt=(--time t --epoch-unit ms --within "${delay}ms" --late "$TMP/late");;
	esac
	gen "$@" >"$TMP/in"
	: >"$TMP/late"
	rm -f "$TMP/dropped"
	if ! jdedup -q -k id "${opt[@]}" --dropped "$TMP/dropped" "$TMP/in" >"$TMP/out" 2>"$TMP/err"; then
		fail "$name" "jdedup failed: $(head -c 300 "$TMP/err")"; return
	fi
	touch "$TMP/dropped"
	python3 "$KPIPE_ROOT/tests/jdedup/ref.py" "$mode" "$delay" <"$TMP/in" >"$TMP/want"
	verdicts "$TMP/out" "$TMP/dropped" "$TMP/late" >"$TMP/got"
	if cmp -s "$TMP/want" "$TMP/got"; then
		ok "$name ($(sort "$TMP/got" | uniq -c | awk '{printf "%s%s %s", s, $1, $2; s=", "}'))"
	else
		fail "$name" "first difference (line: ref.py jdedup): $(paste -d' ' "$TMP/want" "$TMP/got" | grep -n -v -E '^(pass pass|dup dup|late late)$' | head -n 3 | tr '\n' ' ')"
	fi
}

#   name                   mode      delay  n      keys   step disorder seed
run ref-forever            forever   0      100000 30000  10   0        1
run ref-watermark          watermark 5000   100000 50     10   8000     2
run ref-within             within    5000   100000 3000   10   8000     3
run ref-within-many-keys   within    20000  200000 100000 1    30000    4
run ref-within-few-keys    within    1000   100000 20     7    1500     5
run ref-watermark-dense    watermark 3      50000  5      1    4        6
run ref-watermark-zero     watermark 0      50000  10     1    3        7
