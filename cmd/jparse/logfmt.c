/*
 * logfmt: space-separated key=value pairs, as Heroku and Go's logfmt
 * write them:
 *
 *   level=info msg="user logged in" user=u042 latency=12.5 cached
 *
 * A quoted value is a string (escapes \" \\ \n \r \t decoded, any other
 * backslash kept as written); an unquoted one runs to the next blank and
 * goes through type inference; "key=" is empty (null); a bare key is true.
 */
#include <string.h>

#include "jparse.h"

static int
blank(char c)
{
	return c == ' ' || c == '\t';
}

static struct buf val;	/* a quoted value, unescaped */

int
logfmt_parse(const char *p, size_t n, struct record_builder *r, const char **why, size_t *at)
{
	size_t i = 0;

	r->dups = 1;
	for (;;) {
		size_t k, klen;

		while (i < n && blank(p[i]))
			i++;
		if (i == n)
			return 0;
		k = i;
		while (i < n && !blank(p[i]) && p[i] != '=' && p[i] != '"')
			i++;
		klen = i - k;
		if (klen == 0) {
			*why = p[i] == '=' ? "'=' without a key" : "'\"' where a key should be";
			*at = i;
			return -1;
		}
		if (i == n || blank(p[i])) {
			rec_add(r, p + k, klen, "", 0, V_TRUE);
			continue;
		}
		if (p[i] == '"') {
			*why = "'\"' inside a key";
			*at = i;
			return -1;
		}
		i++;		/* '=' */
		if (i < n && p[i] == '"') {
			size_t q = i++;

			buf_reset(&val);
			for (;;) {
				size_t s = i;

				while (i < n && p[i] != '"' && p[i] != '\\')
					i++;
				buf_add(&val, p + s, i - s);
				if (i == n) {
					*why = "unterminated quoted value";
					*at = q;
					return -1;
				}
				if (p[i] == '"')
					break;
				if (++i == n) {
					*why = "unterminated quoted value";
					*at = q;
					return -1;
				}
				switch (p[i]) {
				case '"': buf_addc(&val, '"'); break;
				case '\\': buf_addc(&val, '\\'); break;
				case 'n': buf_addc(&val, '\n'); break;
				case 'r': buf_addc(&val, '\r'); break;
				case 't': buf_addc(&val, '\t'); break;
				default:
					buf_addc(&val, '\\');
					buf_addc(&val, p[i]);
				}
				i++;
			}
			i++;	/* closing quote */
			if (i < n && !blank(p[i])) {
				*why = "no blank after a quoted value";
				*at = i;
				return -1;
			}
			rec_add(r, p + k, klen, val.p ? val.p : "", val.len, V_STRING);
		} else {
			size_t s = i;

			while (i < n && !blank(p[i]))
				i++;
			rec_add(r, p + k, klen, p + s, i - s, V_TEXT);
		}
	}
}

void
logfmt_free(void)
{
	buf_free(&val);
}
