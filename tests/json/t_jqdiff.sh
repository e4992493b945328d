# Differential test: json_validate against libjq's parser on 300000 seeded
# random mutations of JSONTestSuite and event lines (see jqdiff.h for the
# classes where jq 1.6 departs from RFC 8259 and that are set aside).
. "$(dirname "$0")/../lib.sh"
lib=$KPIPE_BUILD/libkpipe.a
suite=$TESTDATA/jsontestsuite/test_parsing
[ -f "$lib" ] || { fail jqdiff "no $lib (make first)"; exit 0; }
[ -f /usr/include/jq.h ] || { skip jqdiff "no libjq headers (Debian package libjq-dev)"; exit 0; }

# Built here because it links libjq, which the unit-test rule does not.
# A library built under the sanitizers (make asan) needs them at link time.
san=
nm "$lib" 2>/dev/null | grep -q __asan_ && san='-fsanitize=address,undefined'
if ! ${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 $san -I"$KPIPE_ROOT/common" -o "$TMP/jqdiff" \
	"$KPIPE_ROOT/tests/json/jqdiff.c" "$lib" -ljq -lm >"$TMP/cc.out" 2>&1; then
	fail jqdiff "cannot build: $(head -c 400 "$TMP/cc.out")"
	exit 0
fi
seeds=()
[ -d "$suite" ] && seeds=("$suite"/[yn]_*)
"$TMP/jqdiff" 300000 1 "${seeds[@]}"
