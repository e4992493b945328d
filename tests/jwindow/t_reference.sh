# jwindow against the brute-force reference (ref.py, written from the
# rules of jwindow(1)) on random streams: disorder, sliding windows with and
# without offsets, sessions, watermarks, times before 1970.
. "$(dirname "$0")/../lib.sh"

here=$(dirname "$0")
seeds=${JWINDOW_SEEDS:-30}
fixed='count(*), count(x), sum(x), avg(x), min(x), max(x), var_samp(x), var_pop(x), stddev(x), stddev_pop(x), collect_list(y), collect_set(x), count_distinct(y), first(x), last(x), percentile(x, 0.3), approx_percentile(x, 0.7), corr(x, y), covar_samp(x, y)'
for seed in $(seq 1 "$seeds"); do
	mapfile -t opts < <(python3 "$here/gen.py" "$seed" "$TMP/in")
	agg=$fixed
	python3 "$here/ref.py" --time ts --epoch-unit ms "${opts[@]}" --by user --agg "$agg" "$TMP/in" >"$TMP/want" ||
		{ fail "reference-$seed" "ref.py failed"; continue; }
	jwindow -q --time ts --epoch-unit ms "${opts[@]}" --by user --agg "$agg" "$TMP/in" >"$TMP/got" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -gt 1 ]; then
		fail "reference-$seed" "exit $rc: $(head -c 300 "$TMP/err")"
	elif diff=$(python3 "$here/cmp.py" "$TMP/got" "$TMP/want" collect_set_x); then
		ok "reference-$seed (${opts[*]}, $(wc -l <"$TMP/want") rows)"
	else
		fail "reference-$seed" "${opts[*]}: $diff"
	fi
done
