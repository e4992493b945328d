# common/json.c in memory against libjq's parser, on 100k event lines:
# the library's own speed, apart from I/O and any command's work.
. "$(dirname "$0")/lib.sh"
data=$BENCH_DATA/events-100000.ndjson
events "$data" 100000
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -I"$KPIPE_ROOT/common" -o "$dir/jsonbench" \
	"$KPIPE_ROOT/tests/json/jsonbench.c" "$KPIPE_ROOT/build/libkpipe.a" -ljq -lm || exit 1
"$dir/jsonbench" "$data" action >"$dir/out" || exit 1
sed 's/^/  /' "$dir/out"
t() { awk -v k="$1" '$1 == k { print $2 }' "$dir/out"; }
row "json_validate vs jv_parse_sized (CPU, 100k)" "$(t json_validate)" "$(t jq:jv_parse_sized)" libjq "none"
row "json_compact vs jv_parse+jv_dump (CPU, 100k)" "$(t json_compact)" "$(t jq:jv_parse+jv_dump)" libjq "none"
