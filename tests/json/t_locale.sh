# Numbers ignore the locale: test_num's locale checks under a de_DE.UTF-8
# (decimal comma) built here with localedef, as the machine may have none.
. "$(dirname "$0")/../lib.sh"
tn=$KPIPE_BUILD/tests/test_num
[ -x "$tn" ] || { fail locale "no $tn (make first)"; exit 0; }

if locale -a 2>/dev/null | grep -qix 'de_DE.utf-\?8'; then
	"$tn" --locale de_DE.UTF-8
elif ! command -v localedef >/dev/null || [ ! -f /usr/share/i18n/locales/de_DE ]; then
	skip locale "no de_DE.UTF-8 and no locale sources to build one (Debian package 'locales')"
elif ! localedef -i de_DE -f UTF-8 "$TMP/de_DE.UTF-8" >"$TMP/localedef.out" 2>&1 &&
	[ ! -d "$TMP/de_DE.UTF-8" ]; then
	fail locale "localedef failed: $(head -c 300 "$TMP/localedef.out")"
else
	LOCPATH=$TMP "$tn" --locale de_DE.UTF-8
fi
