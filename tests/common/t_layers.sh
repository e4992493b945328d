# common/ is a one-way stack: no file includes (and so calls) one that
# includes it back, directly or through others.  A file and its header are
# one node; tsort(1) finds any loop.
. "$(dirname "$0")/../lib.sh"

cd "$KPIPE_ROOT/common" || exit 1
for f in *.c *.h; do
	n=${f%.*}
	sed -n 's/^#include "\([a-z_0-9]*\)\.h".*/\1/p' "$f" | while read -r d; do
		[ "$d" != "$n" ] && echo "$n $d"
	done
	echo "$n $n"
done | sort -u >"$TMP/edges"
if tsort "$TMP/edges" >"$TMP/order" 2>"$TMP/err"; then
	ok "common/ includes form no loop ($(wc -l <"$TMP/order") files)"
else
	fail "common/ includes form no loop" "$(grep -v 'input contains a loop' "$TMP/err" | sed 's/^tsort: //' | tr '\n' ' ')"
fi

# Commands use common/, never the other way round.
if grep -l '#include "\.\./cmd\|#include "\(jfilter\|jparse\|jstats\|jwindow\|kcat-in\|kout\)' *.c *.h >"$TMP/up" 2>/dev/null; then
	fail "common/ includes nothing from cmd/" "$(tr '\n' ' ' <"$TMP/up")"
else
	ok "common/ includes nothing from cmd/"
fi
