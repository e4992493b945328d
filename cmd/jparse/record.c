/*
 * Records: named text fields collected by a format, written as one JSON
 * object.  This is where type inference and --time apply, so every
 * format treats values the same way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "timefmt.h"
#include "jparse.h"

void
rec_reset(struct record_builder *r)
{
	buf_reset(&r->text);
	r->n = 0;
}

void
rec_add(struct record_builder *r, const char *name, size_t namelen,
	const char *val, size_t vallen, enum vkind kind)
{
	struct field *f;

	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->f = xrealloc(r->f, r->cap * sizeof *r->f);
	}
	f = &r->f[r->n++];
	f->name = name;
	f->namelen = namelen;
	f->val = r->text.len;
	f->vallen = vallen;
	buf_add(&r->text, val, vallen);
	f->kind = kind;
}

void
rec_free(struct record_builder *r)
{
	buf_free(&r->text);
	free(r->f);
	r->f = NULL;
	r->n = r->cap = 0;
}

static int
same_name(const struct field *a, const struct field *b)
{
	return a->namelen == b->namelen &&
	    memcmp(a->name, b->name, a->namelen) == 0;
}

/* With repeated names, the first occurrence places the field and the
 * last one gives its value, as a JSON object built member by member
 * (jq, Python's dict) would end up. */
static const struct field *
effective(const struct record_builder *r, size_t i)
{
	const struct field *f = &r->f[i];

	for (size_t j = 0; j < i; j++)
		if (same_name(&r->f[j], f))
			return NULL;
	for (size_t j = r->n; j-- > i + 1;)
		if (same_name(&r->f[j], f))
			return &r->f[j];
	return f;
}

static int
put_time(struct buf *out, const struct emit *e, const char *s, size_t n)
{
	int64_t us;
	char t[TIME_FMT_MAX];
	int rc;

	if (e->time_format)
		rc = time_parse_format(s, n, e->time_format, &us);
	else
		rc = time_parse(s, n, (enum epoch_unit)e->epoch_unit, &us);
	if (rc != 0)
		return -1;
	buf_addc(out, '"');
	buf_add(out, t, time_format(us, t));
	buf_addc(out, '"');
	return 0;
}

static int
named(const struct field *f, const char *name, size_t n)
{
	return f->namelen == n && memcmp(f->name, name, n) == 0;
}

void
meta_put(struct buf *out, const struct emit *e, const char *meta, size_t metalen, int first)
{
	if (!first)
		buf_addc(out, ',');
	json_put_string(out, e->meta_key, strlen(e->meta_key));
	buf_addc(out, ':');
	buf_add(out, meta, metalen);
}

int
rec_write(const struct record_builder *r, const struct emit *e, const char *meta,
	  size_t metalen, struct buf *out, char *why, size_t whylen)
{
	const char *tkey = e->time ? e->time->steps[0].key : NULL;
	size_t start = out->len, tlen = e->time ? e->time->steps[0].keylen : 0;
	size_t mlen = meta && e->meta_key ? strlen(e->meta_key) : 0;
	int first = 1, timed = 0;

	buf_addc(out, '{');
	for (size_t i = 0; i < r->n; i++) {
		const struct field *f = r->dups ? effective(r, i) : &r->f[i];
		const char *name = r->f[i].name, *v;

		if (f == NULL)
			continue;
		if (mlen && named(f, e->meta_key, mlen)) {
			snprintf(why, whylen, "the record has its own field %s, where the envelope "
			    "goes: name another with --meta NAME", e->meta_key);
			goto fail;
		}
		v = r->text.p ? r->text.p + f->val : "";
		if (!first)
			buf_addc(out, ',');
		first = 0;
		str_put(out, name, f->namelen);
		buf_addc(out, ':');
		if (tkey && named(f, tkey, tlen)) {
			timed = 1;
			if (f->kind == V_NULL || f->kind == V_TRUE ||
			    put_time(out, e, v, f->vallen) != 0) {
				snprintf(why, whylen, "field %s: not a time: \"%.*s\"",
				    e->time->text, (int)(f->vallen > 60 ? 60 : f->vallen), v);
				goto fail;
			}
			continue;
		}
		switch (f->kind) {
		case V_TEXT:
			if (e->strings)
				str_put(out, v, f->vallen);
			else
				infer_put(out, v, f->vallen);
			break;
		case V_STRING:
			str_put(out, v, f->vallen);
			break;
		case V_NULL:
			buf_add(out, "null", 4);
			break;
		case V_TRUE:
			buf_add(out, "true", 4);
			break;
		}
	}
	if (tkey && !timed) {
		snprintf(why, whylen, "no field %s for --time", e->time->text);
		goto fail;
	}
	if (meta && e->meta_key)
		meta_put(out, e, meta, metalen, first);
	buf_addc(out, '}');
	return 0;
fail:
	out->len = start;
	if (out->p)
		out->p[start] = '\0';
	return -1;
}
