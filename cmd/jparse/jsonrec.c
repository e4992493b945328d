/*
 * --json: one admitted JSON text (kpipe(7), INPUT: validated, compacted,
 * repeated keys resolved; every other byte, numbers included, kept as
 * written) becomes one record.  A value that is not an object is wrapped
 * as {"value": ...}, --time rewrites the field it names, and with -f the
 * envelope is put under its key.
 */
#include <stdio.h>
#include <string.h>

#include "admit.h"
#include "json.h"
#include "timefmt.h"
#include "jparse.h"

/* The instant v stands for, by --time's format or else by every form
 * time_from_json knows.  0 ok, -1 not a time. */
static int
value_time(const struct emit *e, struct json_val v, struct buf *tmp, int64_t *us)
{
	if (e->time_format && v.type == JSON_STRING) {
		buf_reset(tmp);
		if (json_string_decode(v, tmp) != 0 || tmp->p == NULL)
			return -1;
		return time_parse_format(tmp->p, tmp->len, e->time_format, us);
	}
	return time_from_json(v, (enum epoch_unit)e->epoch_unit, us);
}

/* --time on the object in out: the value at the path, wherever it is
 * nested, is replaced by its RFC 3339 text. */
static int
rewrite_time(const struct emit *e, struct buf *out, struct buf *tmp, char *why, size_t whylen)
{
	struct json_val v;
	char t[TIME_FMT_MAX];
	size_t at, tail, tlen;
	int64_t us;

	if (path_lookup(out->p, out->len, e->time, &v) != 1) {
		snprintf(why, whylen, "no field %s for --time", e->time->text);
		return -1;
	}
	if (value_time(e, v, tmp, &us) != 0) {
		snprintf(why, whylen, "field %s: not a time: %.*s", e->time->text,
		    (int)(v.len > 60 ? 60 : v.len), v.p);
		return -1;
	}
	tlen = time_format(us, t);
	at = (size_t)(v.p - out->p);
	tail = out->len - at - v.len;
	buf_grow(out, tlen + 2);
	memmove(out->p + at + tlen + 2, out->p + at + v.len, tail);
	out->p[at] = '"';
	memcpy(out->p + at + 1, t, tlen);
	out->p[at + 1 + tlen] = '"';
	out->len = at + tlen + 2 + tail;
	out->p[out->len] = '\0';
	return 0;
}

/* Whether the object o has a member named key: by its members (an array
 * of struct json_member) when admission listed them, else by a look. */
static int
has_member(const struct buf *members, const char *o, size_t n, const char *key)
{
	const struct json_member *m = members ? (const void *)members->p : NULL;
	size_t nm = members ? members->len / sizeof *m : 0, keylen = strlen(key);
	struct json_iter it;
	struct json_val k, v, obj = {JSON_OBJECT, o, n};

	for (size_t i = 0; i < nm; i++)
		if (json_string_eq(m[i].key, key, keylen))
			return 1;
	if (members || json_iter_init(&it, obj) != 0)
		return 0;
	while (json_iter_next(&it, &k, &v) == 1)
		if (json_string_eq(k, key, keylen))
			return 1;
	return 0;
}

/* Put the envelope's members (the JSON object meta) under e->meta_key at
 * the end of the object in out.  A record that has that key itself is
 * rejected rather than given it twice. */
static int
attach_meta(const struct emit *e, struct buf *out, const struct buf *members,
	    const char *meta, size_t metalen, char *why, size_t whylen)
{
	if (has_member(members, out->p, out->len, e->meta_key)) {
		snprintf(why, whylen, "the record has its own field %s, where the envelope "
		    "goes: name another with --meta NAME", e->meta_key);
		return -1;
	}
	out->len--;	/* reopen the object */
	meta_put(out, e, meta, metalen, out->len <= 1);
	buf_addc(out, '}');
	return 0;
}

int
json_record(const struct emit *e, struct json_val rec, const struct buf *members,
	    const char *meta, size_t metalen, struct buf *out, struct buf *tmp,
	    char *why, size_t whylen)
{
	buf_reset(out);
	if (rec.type == JSON_OBJECT) {
		buf_add(out, rec.p, rec.len);
	} else {
		buf_add(out, "{\"value\":", 9);
		buf_add(out, rec.p, rec.len);
		buf_addc(out, '}');
	}
	if (e->time && rewrite_time(e, out, tmp, why, whylen) != 0)
		return -1;
	if (meta && e->meta_key)
		return attach_meta(e, out, members, meta, metalen, why, whylen);
	return 0;
}

int
json_text_admit(struct admit *a, const char *p, size_t n, struct buf *compact,
		struct buf *members, struct json_val *rec, char *why, size_t whylen)
{
	struct json_error err;
	struct line l = {0};
	int r;

	buf_reset(compact);
	r = json_check_record(p, n, compact, &a->scratch, members, &err);
	if (r < 0) {
		snprintf(why, whylen, "field's JSON text: %s at byte %zu", err.msg, err.offset + 1);
		return -1;
	}
	*rec = (struct json_val){JSON_NONE, compact->p, compact->len};
	if (r == 0) {
		json_value(compact->p, compact->p + compact->len, rec);
		return 0;
	}
	/* Repeated keys: admission resolves them, and cannot reject the
	 * text it is given, which has just passed the same check. */
	l.p = compact->p;
	l.len = compact->len;
	l.lineno = 2;
	if (admit_line(a, &l, rec) != ADMIT_RECORD) {
		snprintf(why, whylen, "field's JSON text: repeated keys not resolved");
		return -1;
	}
	return 0;
}
