/*
 * Value identity (ident.h): canonical bytes of a JSON value.  The common
 * keys cost a copy: a string without escapes and an integer of up to 21
 * digits are already canonical.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ident.h"
#include "json.h"

/* A number's text taken apart: [-] int [. frac] [e [+-] exp]. */
struct decimal {
	int neg;
	const char *ip, *fp, *ep;	/* digits of the integer, fraction, exponent */
	size_t il, fl, el;
	int eneg;
};

static inline int
is_digit(char c)
{
	return (unsigned)(c - '0') <= 9;
}

/* The digits from p: how many. */
static size_t
digits(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && is_digit(*q))
		q++;
	return q - p;
}

/* Take the JSON number p[0..n) apart.  0 ok, -1 if it is not one. */
static int
decimal_parse(const char *p, size_t n, struct decimal *d)
{
	const char *end = p + n;

	memset(d, 0, sizeof *d);
	if (p < end && *p == '-')
		d->neg = 1, p++;
	d->ip = p;
	d->il = digits(p, end);
	if (d->il == 0 || (d->il > 1 && *p == '0'))
		return -1;
	p += d->il;
	if (p < end && *p == '.') {
		d->fp = ++p;
		if ((d->fl = digits(p, end)) == 0)
			return -1;
		p += d->fl;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			d->eneg = *p++ == '-';
		d->ep = p;
		if ((d->el = digits(p, end)) == 0)
			return -1;
		p += d->el;
	}
	return p == end ? 0 : -1;
}

/* Digit i of the integer digits followed by the fraction digits. */
static inline char
digit_at(const struct decimal *d, size_t i)
{
	return i < d->il ? d->ip[i] : d->fp[i - d->il];
}

/* Append the decimal text of the exponent e (digits ep[0..el), no leading
 * zeros, at least 18 of them, negative if eneg) plus delta, which is far
 * smaller in magnitude (it is bounded by the length of a line). */
static void
put_big_exponent(struct buf *out, const char *ep, size_t el, int eneg, int64_t delta)
{
	char *t = xmalloc(el + 1);
	uint64_t m = delta < 0 ? -(uint64_t)delta : (uint64_t)delta;
	int add = (delta < 0) == eneg, carry = 0;
	size_t i, k;

	t[0] = '0';
	memcpy(t + 1, ep, el);
	for (i = el + 1; i-- > 0;) {
		int dv = t[i] - '0', x = (int)(m % 10);

		m /= 10;
		dv += add ? x + carry : -(x + carry);
		carry = 0;
		if (dv >= 10)
			dv -= 10, carry = 1;
		else if (dv < 0)
			dv += 10, carry = 1;
		t[i] = '0' + dv;
	}
	for (k = 0; k < el && t[k] == '0'; k++)
		;
	if (eneg)
		buf_addc(out, '-');
	buf_add(out, t + k, el + 1 - k);
	free(t);
}

/* Append the canonical text of number d: see ident.h. */
static void
put_number(struct buf *out, const struct decimal *d)
{
	size_t total = d->il + d->fl, z = 0, t = 0, k, i;
	size_t el = d->el, e0 = 0;
	int64_t delta, x;

	while (z < total && digit_at(d, z) == '0')
		z++;
	if (z == total) {			/* every zero is 0 */
		buf_addc(out, '0');
		return;
	}
	while (digit_at(d, total - 1 - t) == '0')
		t++;
	k = total - z - t;			/* significant digits */
	delta = (int64_t)d->il - (int64_t)z - 1;	/* the first one's power of ten, before the exponent */
	if (d->neg)
		buf_addc(out, '-');
	while (e0 < el && d->ep[e0] == '0')
		e0++;
	if (el - e0 >= 18) {	/* beyond 1e17: always written with an exponent */
		buf_addc(out, digit_at(d, z));
		if (k > 1) {
			buf_addc(out, '.');
			for (i = 1; i < k; i++)
				buf_addc(out, digit_at(d, z + i));
		}
		buf_addc(out, 'e');
		put_big_exponent(out, d->ep + e0, el - e0, d->eneg, delta);
		return;
	}
	x = 0;
	for (i = e0; i < el; i++)
		x = x * 10 + (d->ep[i] - '0');
	x = (d->eneg ? -x : x) + delta;		/* d1.d2d3... times 10^x */
	if (x >= 0 && x < 21 && (int64_t)k - 1 <= x) {		/* an integer */
		for (i = 0; i < k; i++)
			buf_addc(out, digit_at(d, z + i));
		for (i = k - 1; (int64_t)i < x; i++)
			buf_addc(out, '0');
	} else if (x >= 0 && x < 21) {		/* digits, a point, digits */
		for (i = 0; i < k; i++) {
			if ((int64_t)i == x + 1)
				buf_addc(out, '.');
			buf_addc(out, digit_at(d, z + i));
		}
	} else if (x < 0 && x >= -7) {		/* 0.000ddd */
		buf_add(out, "0.", 2);
		for (i = 1; (int64_t)i < -x; i++)
			buf_addc(out, '0');
		for (i = 0; i < k; i++)
			buf_addc(out, digit_at(d, z + i));
	} else {
		buf_addc(out, digit_at(d, z));
		if (k > 1) {
			buf_addc(out, '.');
			for (i = 1; i < k; i++)
				buf_addc(out, digit_at(d, z + i));
		}
		buf_printf(out, "e%lld", (long long)x);
	}
}

static int
ident_number(struct buf *out, struct json_val v)
{
	struct decimal d;
	size_t i = v.len > 0 && v.p[0] == '-';

	/* The common key: an integer of few digits, written as JSON requires
	 * (no leading zero), is already canonical; -0 is 0. */
	if (v.len - i <= 21 && v.len > i && !(v.len == 2 && i == 1 && v.p[1] == '0')) {
		size_t j = i;

		while (j < v.len && is_digit(v.p[j]))
			j++;
		if (j == v.len && (v.p[i] != '0' || v.len == i + 1)) {
			buf_add(out, v.p, v.len);
			return 0;
		}
	}
	if (decimal_parse(v.p, v.len, &d) < 0)
		return -1;
	put_number(out, &d);
	return 0;
}

static int
ident_string(struct buf *out, struct json_val v)
{
	struct buf text = BUF_INIT;

	if (v.len < 2 || v.p[0] != '"' || v.p[v.len - 1] != '"')
		return -1;
	if (memchr(v.p + 1, '\\', v.len - 2) == NULL) {
		buf_add(out, v.p, v.len);
		return 0;
	}
	if (json_string_decode(v, &text) < 0) {
		buf_free(&text);
		return -1;
	}
	json_put_string(out, text.p, text.len);
	buf_free(&text);
	return 0;
}

static int
ident_array(struct buf *out, struct json_val v)
{
	struct json_iter it;
	struct json_val k, e;
	int r, first = 1;

	if (json_iter_init(&it, v) < 0)
		return -1;
	buf_addc(out, '[');
	while ((r = json_iter_next(&it, &k, &e)) > 0) {
		if (!first)
			buf_addc(out, ',');
		first = 0;
		if (ident_append(out, e) < 0)
			return -1;
	}
	buf_addc(out, ']');
	return r;
}

/* A member of an object, its key's and its value's canonical bytes in a
 * side buffer. */
struct member {
	size_t key, keylen, val, vallen;
	size_t pos;		/* in the object, so that a repeat's last value wins */
};

/* By key bytes, then position; text is the side buffer. */
static int
member_cmp(const void *pa, const void *pb, void *text)
{
	const struct member *a = pa, *b = pb;
	const char *member_text = text;
	size_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
	int c = memcmp(member_text + a->key, member_text + b->key, n);

	if (c == 0 && a->keylen != b->keylen)
		c = a->keylen < b->keylen ? -1 : 1;
	if (c == 0)
		c = a->pos < b->pos ? -1 : a->pos > b->pos;
	return c;
}

static int
ident_object(struct buf *out, struct json_val v)
{
	struct buf text = BUF_INIT;
	struct member *m = NULL;
	size_t n = 0, cap = 0, i;
	struct json_iter it;
	struct json_val k, e;
	int r, first = 1;

	if (json_iter_init(&it, v) < 0)
		return -1;
	while ((r = json_iter_next(&it, &k, &e)) > 0) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			m = xrealloc(m, cap * sizeof *m);
		}
		m[n].pos = n;
		m[n].key = text.len;
		if (ident_string(&text, k) < 0) {
			r = -1;
			break;
		}
		m[n].keylen = text.len - m[n].key;
		m[n].val = text.len;
		if (ident_append(&text, e) < 0) {
			r = -1;
			break;
		}
		m[n].vallen = text.len - m[n].val;
		n++;
	}
	if (r == 0) {
		if (n > 1)
			qsort_r(m, n, sizeof *m, member_cmp, text.p);
		buf_addc(out, '{');
		for (i = 0; i < n; i++) {
			/* Of a repeated key, the last value only. */
			if (i + 1 < n && m[i + 1].keylen == m[i].keylen &&
			    memcmp(text.p + m[i + 1].key, text.p + m[i].key, m[i].keylen) == 0)
				continue;
			if (!first)
				buf_addc(out, ',');
			first = 0;
			buf_add(out, text.p + m[i].key, m[i].keylen);
			buf_addc(out, ':');
			buf_add(out, text.p + m[i].val, m[i].vallen);
		}
		buf_addc(out, '}');
	}
	free(m);
	buf_free(&text);
	return r;
}

int
ident_append(struct buf *out, struct json_val v)
{
	size_t len = out->len;
	int r;

	switch (v.type) {
	case JSON_NULL:
		buf_add(out, "null", 4);
		return 0;
	case JSON_TRUE:
		buf_add(out, "true", 4);
		return 0;
	case JSON_FALSE:
		buf_add(out, "false", 5);
		return 0;
	case JSON_NUMBER:
		r = ident_number(out, v);
		break;
	case JSON_STRING:
		r = ident_string(out, v);
		break;
	case JSON_ARRAY:
		r = ident_array(out, v);
		break;
	case JSON_OBJECT:
		r = ident_object(out, v);
		break;
	default:
		r = -1;
	}
	if (r < 0) {
		out->len = len;
		if (out->p)
			out->p[len] = '\0';
	}
	return r;
}
