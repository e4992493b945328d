#include <stdint.h>

#include "base64.h"

static const char alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
base64_encode(const void *p, size_t n, struct buf *out)
{
	const unsigned char *s = p;
	size_t i;

	buf_grow(out, (n + 2) / 3 * 4);
	char *o = out->p + out->len;
	for (i = 0; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
		*o++ = alphabet[v >> 18];
		*o++ = alphabet[(v >> 12) & 63];
		*o++ = alphabet[(v >> 6) & 63];
		*o++ = alphabet[v & 63];
	}
	if (i < n) {
		uint32_t v = (uint32_t)s[i] << 16 | (i + 1 < n ? (uint32_t)s[i + 1] << 8 : 0);
		*o++ = alphabet[v >> 18];
		*o++ = alphabet[(v >> 12) & 63];
		*o++ = i + 1 < n ? alphabet[(v >> 6) & 63] : '=';
		*o++ = '=';
	}
	out->len = (size_t)(o - out->p);
	out->p[out->len] = '\0';
}

static int
sextet(unsigned char c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '+') return 62;
	if (c == '/') return 63;
	return -1;
}

int
base64_decode(const char *s, size_t n, struct buf *out)
{
	size_t keep = out->len, i;

	if (n % 4 != 0)
		return -1;
	for (i = 0; i < n; i += 4) {
		int a = sextet(s[i]), b = sextet(s[i + 1]);
		int last = i + 4 == n;
		int pad2 = last && s[i + 2] == '=' && s[i + 3] == '=';
		int pad1 = last && !pad2 && s[i + 3] == '=';
		int c = pad2 ? 0 : sextet(s[i + 2]);
		int d = (pad1 || pad2) ? 0 : sextet(s[i + 3]);

		if (a < 0 || b < 0 || c < 0 || d < 0) {
			out->len = keep;
			if (out->p)
				out->p[keep] = '\0';
			return -1;
		}
		uint32_t v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
		buf_addc(out, (char)(v >> 16));
		if (!pad2)
			buf_addc(out, (char)(v >> 8 & 255));
		if (!pad1 && !pad2)
			buf_addc(out, (char)(v & 255));
	}
	return 0;
}

void
base64_put_string(const void *p, size_t n, struct buf *out)
{
	buf_addc(out, '"');
	base64_encode(p, n, out);
	buf_addc(out, '"');
}
