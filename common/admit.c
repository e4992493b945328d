/*
 * Record admission (admit.h).  The common line costs one pass of
 * json_check_record over its bytes, which validates and notices repeated
 * keys at once; only a line with a repeated key is rewritten.
 */
#include <stdlib.h>
#include <string.h>

#include "admit.h"
#include "buf.h"
#include "diag.h"
#include "group.h"
#include "input.h"
#include "json.h"

typedef unsigned char uchar;

static const char bom[3] = "\xef\xbb\xbf";

void
admit_init(struct admit *a, unsigned flags)
{
	memset(a, 0, sizeof *a);
	a->flags = flags;
}

void
admit_free(struct admit *a)
{
	buf_free(&a->fixed);
	buf_free(&a->scratch);
	buf_free(&a->names);
}

static inline int
is_json_ws(uchar c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *
type_name(enum json_type t)
{
	switch (t) {
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_NUMBER: return "a number";
	case JSON_TRUE: case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	default: return "not a value";
	}
}

/* The type of the valid JSON text whose first byte is c. */
static enum json_type
type_of(uchar c)
{
	switch (c) {
	case '{': return JSON_OBJECT;
	case '[': return JSON_ARRAY;
	case '"': return JSON_STRING;
	case 't': return JSON_TRUE;
	case 'f': return JSON_FALSE;
	case 'n': return JSON_NULL;
	default: return JSON_NUMBER;
	}
}

/* Report line l, whose JSON text failed at byte e->offset of l->p: the
 * validator's reason, named more plainly for the bytes that are not text
 * at all (NUL, invalid UTF-8, a byte order mark). */
static void
reject_invalid(const struct line *l, const struct json_error *e)
{
	size_t at = e->offset, bad;
	const uchar *s = (const uchar *)l->p + at;
	size_t left = l->len - at;

	if (at < l->len && *s == 0)
		diag_reject(l->file, l->lineno, l->p, l->len, "NUL byte at byte %zu", at + 1);
	else if (left >= 3 && memcmp(s, bom, 3) == 0)
		diag_reject(l->file, l->lineno, l->p, l->len,
		    "byte order mark at byte %zu", at + 1);
	else if (at < l->len && *s >= 0x80 && utf8_validate((const char *)s, left, &bad) < 0 &&
	    bad == 0)
		diag_reject(l->file, l->lineno, l->p, l->len, "invalid UTF-8 at byte %zu", at + 1);
	else if (strcmp(e->msg, "trailing characters after the JSON text") == 0)
		diag_reject(l->file, l->lineno, l->p, l->len,
		    "trailing characters after the JSON text at byte %zu", at + 1);
	else
		diag_reject(l->file, l->lineno, l->p, l->len, "invalid JSON: %s at byte %zu",
		    e->msg, at + 1);
}

/*
 * Rewriting a record whose objects repeat keys.  Rare, so plain: each
 * object's members are gathered, each key's decoded text looked up in a
 * small hash table, and a repeat hands its value to the first occurrence.
 */
struct member {
	struct json_val key, val;
	size_t name, namelen;	/* the decoded key in a->names */
	int dropped;		/* a repeat, its value given to the first */
};

static int resolve(struct admit *a, struct json_val v, struct buf *out);

/* The members of object v into *m (count *n); keys decoded into a->names.
 * 0, or -1 if the object cannot be read. */
static int
gather(struct admit *a, struct json_val v, struct member **m, size_t *n)
{
	struct json_iter it;
	struct json_val k, val;
	size_t cap = 0;
	int r;

	*m = NULL;
	*n = 0;
	if (json_iter_init(&it, v) < 0)
		return -1;
	while ((r = json_iter_next(&it, &k, &val)) > 0) {
		struct member *e;

		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			*m = xrealloc(*m, cap * sizeof **m);
		}
		e = &(*m)[(*n)++];
		e->key = k;
		e->val = val;
		e->name = a->names.len;
		if (json_string_decode(k, &a->names) < 0)
			return -1;
		e->namelen = a->names.len - e->name;
		e->dropped = 0;
	}
	return r;
}

/* Mark every repeat among m[0..n): the last value moves to the first. */
static void
merge_repeats(struct admit *a, struct member *m, size_t n)
{
	size_t size = 16, mask, i, h;
	size_t *slot;		/* member index + 1; 0 empty */

	while (size < 2 * n)
		size *= 2;
	mask = size - 1;
	slot = xcalloc(size, sizeof *slot);
	for (i = 0; i < n; i++) {
		const char *name = a->names.p + m[i].name;

		for (h = hash_bytes(name, m[i].namelen) & mask; slot[h]; h = (h + 1) & mask) {
			struct member *f = &m[slot[h] - 1];

			if (f->namelen == m[i].namelen &&
			    memcmp(a->names.p + f->name, name, f->namelen) == 0)
				break;
		}
		if (slot[h]) {
			m[slot[h] - 1].val = m[i].val;
			m[i].dropped = 1;
		} else {
			slot[h] = i + 1;
		}
	}
	free(slot);
}

static int
resolve_object(struct admit *a, struct json_val v, struct buf *out)
{
	size_t names = a->names.len, n, i;
	struct member *m;
	int first = 1, r = -1;

	if (gather(a, v, &m, &n) < 0)
		goto done;
	merge_repeats(a, m, n);
	buf_addc(out, '{');
	for (i = 0; i < n; i++) {
		if (m[i].dropped)
			continue;
		if (!first)
			buf_addc(out, ',');
		first = 0;
		buf_add(out, m[i].key.p, m[i].key.len);
		buf_addc(out, ':');
		if (resolve(a, m[i].val, out) < 0)
			goto done;
	}
	buf_addc(out, '}');
	r = 0;
done:
	free(m);
	a->names.len = names;
	return r;
}

/* Append v to out, compact, with every object's repeats resolved.  0, or
 * -1 if v cannot be read (not after json_check_record). */
static int
resolve(struct admit *a, struct json_val v, struct buf *out)
{
	struct json_iter it;
	struct json_val k, e;
	int r, first = 1;

	if (v.type == JSON_OBJECT)
		return resolve_object(a, v, out);
	if (v.type != JSON_ARRAY) {
		buf_add(out, v.p, v.len);
		return 0;
	}
	if (json_iter_init(&it, v) < 0)
		return -1;
	buf_addc(out, '[');
	while ((r = json_iter_next(&it, &k, &e)) > 0) {
		if (!first)
			buf_addc(out, ',');
		first = 0;
		if (resolve(a, e, out) < 0)
			return -1;
	}
	buf_addc(out, ']');
	return r;
}

enum admit_result
admit_line(struct admit *a, const struct line *l, struct json_val *rec)
{
	const char *p = l->p, *end = l->p + l->len, *q;
	struct json_error e;
	size_t start = 0;
	int r;

	for (q = p; q < end && is_json_ws((uchar)*q); q++)
		;
	if (q == end)
		return ADMIT_BLANK;
	if (l->len >= 3 && memcmp(p, bom, 3) == 0) {
		if (l->lineno != 1) {
			diag_reject(l->file, l->lineno, l->p, l->len,
			    "byte order mark at byte 1 (allowed only at the start of a file)");
			return ADMIT_REJECTED;
		}
		for (q = p + 3; q < end && is_json_ws((uchar)*q); q++)
			;
		if (q == end) {
			diag_reject(l->file, l->lineno, l->p, l->len,
			    "byte order mark with no JSON text after it");
			return ADMIT_REJECTED;
		}
		start = 3;
	}
	if (a->flags & ADMIT_COMPACT)
		buf_reset(&a->fixed);
	r = json_check_record(p + start, l->len - start,
	    a->flags & ADMIT_COMPACT ? &a->fixed : NULL, &a->scratch, &e);
	if (r < 0) {
		e.offset += start;
		reject_invalid(l, &e);
		return ADMIT_REJECTED;
	}
	/* q is the first byte of the value; trim the white space after it. */
	while (is_json_ws((uchar)end[-1]))
		end--;
	rec->type = type_of((uchar)*q);
	rec->p = q;
	rec->len = end - q;
	if (rec->type != JSON_OBJECT && !(a->flags & ADMIT_ANY_VALUE)) {
		diag_reject(l->file, l->lineno, l->p, l->len, "not a JSON object: %s",
		    type_name(rec->type));
		return ADMIT_REJECTED;
	}
	if (r > 0) {
		buf_reset(&a->fixed);
		if (resolve(a, *rec, &a->fixed) < 0) {	/* cannot happen after the check */
			diag_reject(l->file, l->lineno, l->p, l->len,
			    "invalid JSON: could not resolve repeated keys");
			return ADMIT_REJECTED;
		}
	}
	if (r > 0 || (a->flags & ADMIT_COMPACT)) {
		rec->p = a->fixed.p;
		rec->len = a->fixed.len;
	}
	return ADMIT_RECORD;
}
