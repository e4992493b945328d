# Job 7, ad attribution: clicks joined with their impressions within an hour
# (two topics, a stream-stream join), each click once (at-least-once
# delivery repeats some), enriched with the user's row from a table topic
# (latest value per key, tombstones delete), counted per country and hour.
# Sourced by t_jobs_mock.sh and t_jobs_real.sh after jobs.sh ($B, $KIND);
# the answer comes from ads.py, which uses Python alone.
ads=$KPIPE_ROOT/tests/pipeline/ads.py
python3 "$ads" gen "$TMP"
# On the real broker the table topic is compacted, as a table topic is; the
# mock cluster has no compaction (the job's answer does not depend on it).
[ "$KIND" = real ] &&
	create_topics "$KIND job 7" ads_users:4:cleanup.policy=compact ads_imps:4 ads_clicks:4
# Users keyed by user, a tombstone (kcat -Z: empty value as NULL) for two.
kcat -P -b "$B" -t ads_users -K: -Z <"$TMP/users.kv"
kout -b "$B" -t ads_imps -k user --time ts "$TMP/imps.ndjson"
kout -b "$B" -t ads_clicks -k click --time at "$TMP/clicks.ndjson"
check_eq "$KIND job 7: the inputs are on the broker" "38 2000 $(lines "$TMP/clicks.ndjson")" \
	"$(for t in ads_users ads_imps ads_clicks; do kcat -C -b "$B" -t $t -e -q -f 'x\n' | wc -l; done | xargs)"

kcat-in -b "$B" -t ads_imps -e | jparse -f value --no-meta |
	jjoin --stream <(kcat-in -b "$B" -t ads_clicks -e | jparse -f value --no-meta |
			jdedup -k click --time at -W 10m 2>"$TMP/ads.dedup.err") \
		--on imp --time ts=at --between 0s,1h -W 10m,10m 2>"$TMP/ads.join.err" |
	jjoin --table-topic ads_users -b "$B" --on user 2>"$TMP/ads.table.err" |
	jwindow --time at --tumble 1h --by country --agg 'count() as clicks' >"$TMP/ads.out"
check_eq "$KIND job 7 (ad attribution): pipeline exit 0" 0 $?
check_oracle_ads() {
	if python3 "$ads" check "$TMP" "$TMP/ads.out" >"$TMP/.oracle" 2>&1; then ok "$1"
	else fail "$1" "$(head -c 600 "$TMP/.oracle" | tr '\n' ' ')"; fi
}
check_oracle_ads "$KIND job 7: clicks per country and hour as Python computes them"
dups=$(( $(lines "$TMP/clicks.ndjson") - $(jq -r .click "$TMP/clicks.ndjson" | sort -u | wc -l) ))
check "$KIND job 7: jdedup says it dropped the $dups repeated clicks" \
	grep -q "\b$dups\b.*dup" "$TMP/ads.dedup.err"
cat "$TMP/ads.dedup.err" "$TMP/ads.join.err" "$TMP/ads.table.err" | sed 's/^/# job 7: /'
