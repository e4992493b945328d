/*
 * Record admission (admit.h).  The common line costs one pass of
 * json_check_record over its bytes, which validates, notices repeated keys
 * and (with ADMIT_MEMBERS) lists the top-level members at once; only a
 * line with a repeated key is rewritten.
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
	buf_free(&a->members);
	buf_free(&a->slots);
	buf_free(&a->spans);
}

const struct json_member *
admit_members(const struct admit *a, size_t *n)
{
	*n = a->members.len / sizeof(struct json_member);
	return (const struct json_member *)a->members.p;
}

/* The members of the rewritten object rec into a->members. */
static void
list_members(struct admit *a, struct json_val rec)
{
	struct json_iter it;
	struct json_member m;

	buf_reset(&a->members);
	if (json_iter_init(&it, rec) < 0)
		return;
	while (json_iter_next(&it, &m.key, &m.val) > 0)
		buf_add(&a->members, &m, sizeof m);
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
	const char *name;	/* the decoded key: in the line, or in a->names */
	size_t namelen;
	size_t off;		/* where in a->names, while a->names grows */
	int dropped;		/* a repeat, its value given to the first */
};

/* The members of object v into *m (count *n); keys with escapes decoded
 * into a->names, which holds only this object's.  0, or -1 if the object
 * cannot be read. */
static int
gather(struct admit *a, struct json_val v, struct member **m, size_t *n)
{
	struct json_iter it;
	struct json_val k, val;
	size_t cap = 0;
	int r;

	*m = NULL;
	*n = 0;
	buf_reset(&a->names);
	if (json_iter_init(&it, v) < 0)
		return -1;
	json_iter_spans(&it, &a->spans);
	while ((r = json_iter_next(&it, &k, &val)) > 0) {
		struct member *e;

		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			*m = xrealloc(*m, cap * sizeof **m);
		}
		e = &(*m)[(*n)++];
		e->key = k;
		e->val = val;
		e->dropped = 0;
		if (memchr(k.p + 1, '\\', k.len - 2) == NULL) {
			e->name = k.p + 1;
			e->namelen = k.len - 2;
			continue;
		}
		e->name = NULL;
		e->off = a->names.len;
		if (json_string_decode(k, &a->names) < 0)
			return -1;
		e->namelen = a->names.len - e->off;
	}
	/* a->names grows no more: point into it. */
	for (size_t i = 0; r == 0 && i < *n; i++)
		if ((*m)[i].name == NULL)
			(*m)[i].name = a->names.p + (*m)[i].off;
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
	buf_reset(&a->slots);
	buf_grow(&a->slots, size * sizeof *slot);
	slot = memset(a->slots.p, 0, size * sizeof *slot);
	for (i = 0; i < n; i++) {
		for (h = hash_bytes(m[i].name, m[i].namelen) & mask; slot[h]; h = (h + 1) & mask) {
			struct member *f = &m[slot[h] - 1];

			if (f->namelen == m[i].namelen && memcmp(f->name, m[i].name, f->namelen) == 0)
				break;
		}
		if (slot[h]) {
			m[slot[h] - 1].val = m[i].val;
			m[i].dropped = 1;
		} else {
			slot[h] = i + 1;
		}
	}
}

/* A container open while resolving: an object's members, or an array's
 * iterator. */
struct open_value {
	int is_object;
	struct json_iter it;	/* an array's */
	struct member *m;	/* an object's */
	size_t n, i;
	int first;
};

static int
is_container(struct json_val v)
{
	return v.type == JSON_OBJECT || v.type == JSON_ARRAY;
}

/* Open container v on the stack *st (depth *depth, room *cap); its
 * opening bracket goes to out.  0, or -1 if it cannot be read. */
static int
open_value(struct admit *a, struct json_val v, struct open_value **st, size_t *depth,
    size_t *cap, struct buf *out)
{
	struct open_value *f;

	if (*depth == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		*st = xrealloc(*st, *cap * sizeof **st);
	}
	f = &(*st)[(*depth)++];
	f->is_object = v.type == JSON_OBJECT;
	f->m = NULL;
	f->n = f->i = 0;
	f->first = 1;
	if (f->is_object) {
		buf_addc(out, '{');
		if (gather(a, v, &f->m, &f->n) < 0)
			return -1;
		merge_repeats(a, f->m, f->n);
		return 0;
	}
	buf_addc(out, '[');
	if (json_iter_init(&f->it, v) < 0)
		return -1;
	json_iter_spans(&f->it, &a->spans);
	return 0;
}

/* Close the innermost open container. */
static void
close_value(struct open_value *st, size_t *depth, struct buf *out)
{
	struct open_value *f = &st[--*depth];

	buf_addc(out, f->is_object ? '}' : ']');
	free(f->m);
}

/*
 * Append v to out, compact, with every object's repeats resolved.  0, or
 * -1 if v cannot be read (not after json_check_record).  Nesting goes on a
 * stack of its own instead of the C stack, and members are stepped over
 * through json_spans: a record may be thousands of levels deep.
 */
static int
resolve(struct admit *a, struct json_val v, struct buf *out)
{
	struct open_value *st = NULL, *f;
	size_t depth = 0, cap = 0;
	struct json_val k, e;
	int r = 0;

	if (!is_container(v)) {
		buf_add(out, v.p, v.len);
		return 0;
	}
	json_spans(v.p, v.len, &a->spans);
	if (open_value(a, v, &st, &depth, &cap, out) < 0)
		r = -1;
	while (r == 0 && depth > 0) {
		f = &st[depth - 1];
		if (f->is_object) {	/* its next member that stays */
			while (f->i < f->n && f->m[f->i].dropped)
				f->i++;
			if (f->i == f->n) {
				close_value(st, &depth, out);
				continue;
			}
			if (!f->first)
				buf_addc(out, ',');
			buf_add(out, f->m[f->i].key.p, f->m[f->i].key.len);
			buf_addc(out, ':');
			e = f->m[f->i++].val;
		} else {
			if ((r = json_iter_next(&f->it, &k, &e)) <= 0) {
				if (r == 0)
					close_value(st, &depth, out);
				continue;
			}
			r = 0;
			if (!f->first)
				buf_addc(out, ',');
		}
		f->first = 0;
		if (is_container(e))
			r = open_value(a, e, &st, &depth, &cap, out);
		else
			buf_add(out, e.p, e.len);
	}
	while (depth > 0)
		close_value(st, &depth, out);
	free(st);
	return r;
}

enum admit_result
admit_line(struct admit *a, const struct line *l, struct json_val *rec)
{
	const char *p = l->p, *end = l->p + l->len, *q;
	struct json_error e;
	size_t start = 0;
	int r;

	a->members.len = 0;
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
	    a->flags & ADMIT_COMPACT ? &a->fixed : NULL, &a->scratch,
	    a->flags & ADMIT_MEMBERS ? &a->members : NULL, &e);
	if (r < 0) {
		a->members.len = 0;
		e.offset += start;
		reject_invalid(l, &e);
		return ADMIT_REJECTED;
	}
	/* q is the first byte of the value; trim the white space after it. */
	while (is_json_ws((uchar)end[-1]))
		end--;
	rec->type = json_type_at((unsigned char)*q);
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
	if (r > 0 && (a->flags & ADMIT_MEMBERS))
		list_members(a, *rec);
	return ADMIT_RECORD;
}
