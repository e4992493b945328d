/*
 * Value identity (ident.h): canonical bytes of a JSON value.  The common
 * keys cost a copy: a string without escapes and an integer of up to 21
 * digits are already canonical (ident_as_written).
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

/* An integer of up to 21 digits, written as JSON requires (no leading
 * zero), is already canonical; -0 is 0. */
static int
plain_integer(struct json_val v)
{
	size_t i = v.len > 0 && v.p[0] == '-', j = i;

	if (v.len - i > 21 || v.len == i || (v.len == 2 && i == 1 && v.p[1] == '0'))
		return 0;
	while (j < v.len && is_digit(v.p[j]))
		j++;
	return j == v.len && (v.p[i] != '0' || v.len == i + 1);
}

static int
ident_number(struct buf *out, struct json_val v)
{
	struct decimal d;

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
	if (json_string_decode(v, &text) < 0) {
		buf_free(&text);
		return -1;
	}
	json_put_string(out, text.p, text.len);
	buf_free(&text);
	return 0;
}

int
ident_as_written(struct json_val v)
{
	switch (v.type) {
	case JSON_NULL:
	case JSON_TRUE:
		return v.len == 4;
	case JSON_FALSE:
		return v.len == 5;
	case JSON_NUMBER:
		return plain_integer(v);
	case JSON_STRING:
		return v.len >= 2 && v.p[0] == '"' && v.p[v.len - 1] == '"' &&
		       memchr(v.p + 1, '\\', v.len - 2) == NULL;
	default:
		return 0;
	}
}

static int
ident_scalar(struct buf *out, struct json_val v)
{
	if ((v.type == JSON_NUMBER || v.type == JSON_STRING) && ident_as_written(v)) {
		buf_add(out, v.p, v.len);
		return 0;
	}
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
		return ident_number(out, v);
	case JSON_STRING:
		return ident_string(out, v);
	default:
		return -1;
	}
}

static int
is_container(struct json_val v)
{
	return v.type == JSON_OBJECT || v.type == JSON_ARRAY;
}

/* Values longer than this are walked through json_spans. */
#define IDENT_SPANS_FROM 4096

/* A member of an object: its key's canonical bytes in the object's key
 * buffer, and its value as written. */
struct member {
	size_t key, keylen;
	struct json_val val;
	size_t pos;		/* in the object, so that a repeat's last value wins */
};

/* By key bytes, then position; keys is the key buffer. */
static int
member_cmp(const void *pa, const void *pb, void *keys)
{
	const struct member *a = pa, *b = pb;
	const char *t = keys;
	size_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
	int c = memcmp(t + a->key, t + b->key, n);

	if (c == 0 && a->keylen != b->keylen)
		c = a->keylen < b->keylen ? -1 : 1;
	if (c == 0)
		c = a->pos < b->pos ? -1 : a->pos > b->pos;
	return c;
}

/*
 * A container open while its canonical bytes are written.  An array's
 * elements are written as they come; an object's members are gathered
 * first, sorted by their canonical keys, and then written in that order,
 * so that every byte goes straight to the output, however deep the value.
 */
struct open_value {
	int is_object;
	struct json_iter it;	/* an array's */
	struct buf keys;	/* an object's canonical keys */
	struct member *m;	/* its members, sorted */
	size_t n, i;
	int first;
};

/* The members of object v into f, sorted, each key once (its last value).
 * 0, or -1 if v cannot be read. */
static int
gather(struct open_value *f, struct json_val v, const struct buf *spans)
{
	struct json_iter it;
	struct json_val k, e;
	size_t cap = 0, i, kept = 0;
	int r;

	if (json_iter_init(&it, v) < 0)
		return -1;
	if (spans->len)
		json_iter_spans(&it, spans);
	while ((r = json_iter_next(&it, &k, &e)) > 0) {
		if (f->n == cap) {
			cap = cap ? 2 * cap : 16;
			f->m = xrealloc(f->m, cap * sizeof *f->m);
		}
		f->m[f->n].pos = f->n;
		f->m[f->n].key = f->keys.len;
		if (ident_string(&f->keys, k) < 0)
			return -1;
		f->m[f->n].keylen = f->keys.len - f->m[f->n].key;
		f->m[f->n].val = e;
		f->n++;
	}
	if (r < 0)
		return -1;
	if (f->n > 1)
		qsort_r(f->m, f->n, sizeof *f->m, member_cmp, f->keys.p);
	/* Of a repeated key, the last value only. */
	for (i = 0; i < f->n; i++) {
		const struct member *m = &f->m[i], *next = m + 1;

		if (i + 1 < f->n && next->keylen == m->keylen &&
		    memcmp(f->keys.p + next->key, f->keys.p + m->key, m->keylen) == 0)
			continue;
		f->m[kept++] = *m;
	}
	f->n = kept;
	return 0;
}

/* Open container v on the stack *st and write its opening bracket; its
 * members are stepped over through spans when there are any.  0, or -1
 * if it cannot be read. */
static int
open_value(struct open_value **st, size_t *depth, size_t *cap, struct json_val v,
    const struct buf *spans, struct buf *out)
{
	struct open_value *f;

	if (*depth == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		*st = xrealloc(*st, *cap * sizeof **st);
	}
	f = &(*st)[(*depth)++];
	memset(f, 0, sizeof *f);
	f->is_object = v.type == JSON_OBJECT;
	f->first = 1;
	buf_addc(out, f->is_object ? '{' : '[');
	if (f->is_object)
		return gather(f, v, spans);
	if (json_iter_init(&f->it, v) < 0)
		return -1;
	if (spans->len)
		json_iter_spans(&f->it, spans);
	return 0;
}

static void
close_value(struct open_value *st, size_t *depth)
{
	struct open_value *f = &st[--*depth];

	free(f->m);
	buf_free(&f->keys);
}

/*
 * The canonical bytes of container v to out.  Nesting goes on a stack of
 * its own instead of the C stack: a value may be thousands of levels deep.
 * A large value's members are stepped over through json_spans, so that
 * its depth does not multiply its length.
 */
static int
ident_container(struct buf *out, struct json_val v)
{
	struct open_value *st = NULL, *f;
	struct buf spans = BUF_INIT;
	size_t depth = 0, cap = 0;
	struct json_val k, e;
	int r;

	if (v.len > IDENT_SPANS_FROM)
		json_spans(v.p, v.len, &spans);
	r = open_value(&st, &depth, &cap, v, &spans, out);
	while (r == 0 && depth > 0) {
		f = &st[depth - 1];
		if (f->is_object) {
			if (f->i == f->n) {
				buf_addc(out, '}');
				close_value(st, &depth);
				continue;
			}
			if (!f->first)
				buf_addc(out, ',');
			buf_add(out, f->keys.p + f->m[f->i].key, f->m[f->i].keylen);
			buf_addc(out, ':');
			e = f->m[f->i++].val;
		} else {
			if ((r = json_iter_next(&f->it, &k, &e)) <= 0) {
				if (r == 0) {
					buf_addc(out, ']');
					close_value(st, &depth);
				}
				continue;
			}
			r = 0;
			if (!f->first)
				buf_addc(out, ',');
		}
		f->first = 0;
		if (is_container(e))
			r = open_value(&st, &depth, &cap, e, &spans, out);
		else
			r = ident_scalar(out, e);
	}
	while (depth > 0)	/* after a failure */
		close_value(st, &depth);
	free(st);
	buf_free(&spans);
	return r;
}

int
ident_append(struct buf *out, struct json_val v)
{
	size_t len = out->len;
	int r = is_container(v) ? ident_container(out, v) : ident_scalar(out, v);

	if (r < 0) {
		out->len = len;
		if (out->p)
			out->p[len] = '\0';
	}
	return r;
}
