#include <string.h>

#include "cell.h"
#include "width.h"

static const char hex[] = "0123456789abcdef";

/* Code points that would be obeyed rather than shown by a terminal. */
static int
unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ||
	    cp == 0x2028 || cp == 0x2029 ||
	    (cp >= 0x200E && cp <= 0x200F) ||	/* LRM, RLM */
	    (cp >= 0x202A && cp <= 0x202E) ||	/* embeddings, overrides */
	    (cp >= 0x2066 && cp <= 0x2069);	/* isolates */
}

void
text_escape(const char *p, size_t n, struct buf *out)
{
	size_t i = 0, run, len;
	uint32_t cp;

	while (i < n) {
		/* Plain ASCII goes through in one copy. */
		for (run = i; run < n; run++) {
			unsigned char c = (unsigned char)p[run];
			if (c < 0x20 || c >= 0x7F)
				break;
		}
		buf_add(out, p + i, run - i);
		if ((i = run) >= n)
			break;
		len = utf8_next(p + i, n - i, &cp);
		if (cp == 0xFFFD && len == 1)
			buf_adds(out, "\xEF\xBF\xBD");
		else if (cp == '\n')
			buf_adds(out, "\\n");
		else if (cp == '\r')
			buf_adds(out, "\\r");
		else if (cp == '\t')
			buf_adds(out, "\\t");
		else if (unsafe(cp)) {
			char u[6] = {'\\', 'u', hex[cp >> 12 & 15], hex[cp >> 8 & 15],
				     hex[cp >> 4 & 15], hex[cp & 15]};
			buf_add(out, u, sizeof u);
		} else
			buf_add(out, p + i, len);
		i += len;
	}
}

/* The string's bytes need no decoding or escaping: no backslash, no
 * control characters, nothing beyond ASCII. */
static int
plain_string(struct json_val v)
{
	const unsigned char *s = (const unsigned char *)v.p + 1;
	const unsigned char *e = (const unsigned char *)v.p + v.len - 1;

	for (; s < e; s++)
		if (*s == '\\' || *s < 0x20 || *s >= 0x7F)
			return 0;
	return 1;
}

static void
text_of(struct json_val v, struct buf *out, int display)
{
	static struct buf tmp;
	struct json_error err;

	switch (v.type) {
	case JSON_NONE:
		return;
	case JSON_NULL:
		if (display)
			buf_adds(out, "null");
		return;
	case JSON_STRING:
		if (plain_string(v)) {
			buf_add(out, v.p + 1, v.len - 2);
			return;
		}
		if (!display) {
			json_string_decode(v, out);
			return;
		}
		buf_reset(&tmp);
		json_string_decode(v, &tmp);
		text_escape(tmp.p, tmp.len, out);
		return;
	case JSON_ARRAY:
	case JSON_OBJECT:
		buf_reset(&tmp);
		if (json_compact(v.p, v.len, &tmp, &err) < 0)
			buf_add(&tmp, v.p, v.len);
		if (display)
			text_escape(tmp.p, tmp.len, out);
		else
			buf_add(out, tmp.p, tmp.len);
		return;
	default:
		/* numbers, true, false: their JSON text */
		buf_add(out, v.p, v.len);
	}
}

void
cell_display(struct json_val v, struct buf *out)
{
	text_of(v, out, 1);
}

void
cell_text(struct json_val v, struct buf *out)
{
	text_of(v, out, 0);
}
