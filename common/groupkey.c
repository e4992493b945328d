/*
 * The group of a record's --by values (groupkey.h).
 */
#include "groupkey.h"
#include "ident.h"

static const struct json_val null = {JSON_NULL, "null", 4};

static inline const struct json_val *
value_or_null(const struct json_val *v)
{
	return v->type == JSON_NONE ? &null : v;
}

int
groupkey_append(struct buf *key, const struct json_val *v, int n)
{
	size_t was = key->len;

	for (int i = 0; i < n; i++) {
		const struct json_val *x = value_or_null(&v[i]);
		if (i)
			buf_addc(key, ',');
		if (ident_as_written(*x)) {
			buf_add(key, x->p, x->len);
		} else if (ident_append(key, *x) < 0) {
			key->len = was;
			key->p[was] = '\0';
			return -1;
		}
	}
	return 0;
}

/* Key and label differ: each built on its own. */
static long
intern_canonical(struct group_table *g, const struct json_val *v, int n, struct buf *key,
		 struct buf *label, int *added)
{
	buf_reset(key);
	buf_reset(label);
	if (groupkey_append(key, v, n) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		const struct json_val *x = value_or_null(&v[i]);
		if (i)
			buf_addc(label, ',');
		if ((x->type != JSON_OBJECT && x->type != JSON_ARRAY) ||
		    json_compact(x->p, x->len, label, NULL) < 0)
			buf_add(label, x->p, x->len);
	}
	return (long)group_intern_label(g, key->p ? key->p : "", key->len,
					label->p ? label->p : "", label->len, added);
}

long
groupkey_intern(struct group_table *g, const struct json_val *v, int n, struct buf *key,
		struct buf *label, int *added)
{
	for (int i = 0; i < n; i++)
		if (!ident_as_written(*value_or_null(&v[i])))
			return intern_canonical(g, v, n, key, label, added);
	if (n == 1) {
		const struct json_val *x = value_or_null(&v[0]);
		return (long)group_intern_label(g, x->p, x->len, x->p, x->len, added);
	}
	buf_reset(key);
	groupkey_append(key, v, n);
	return (long)group_intern_label(g, key->p ? key->p : "", key->len, key->p ? key->p : "",
					key->len, added);
}
