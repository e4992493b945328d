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
groupkey_bytes(const struct json_val *v, int n, struct buf *key, const char **p, size_t *len)
{
	int as_written = 1;

	for (int i = 0; i < n && as_written; i++)
		as_written = ident_as_written(*value_or_null(&v[i]));
	if (as_written && n == 1) {
		const struct json_val *x = value_or_null(&v[0]);
		*p = x->p;
		*len = x->len;
		return 1;
	}
	buf_reset(key);
	for (int i = 0; i < n; i++) {
		const struct json_val *x = value_or_null(&v[i]);
		if (i)
			buf_addc(key, ',');
		if (as_written)
			buf_add(key, x->p, x->len);
		else if (ident_append(key, *x) < 0)
			return -1;
	}
	*p = key->p ? key->p : "";
	*len = key->len;
	return as_written;
}

/* The label when the key is canonical: the values as written, containers
 * without insignificant white space. */
static void
label_as_written(const struct json_val *v, int n, struct buf *label)
{
	buf_reset(label);
	for (int i = 0; i < n; i++) {
		const struct json_val *x = value_or_null(&v[i]);
		if (i)
			buf_addc(label, ',');
		if ((x->type != JSON_OBJECT && x->type != JSON_ARRAY) ||
		    json_compact(x->p, x->len, label, NULL) < 0)
			buf_add(label, x->p, x->len);
	}
}

long
groupkey_intern(struct group_table *g, const struct json_val *v, int n, struct buf *key,
		struct buf *label, int *added)
{
	const char *k;
	size_t klen;
	int as_written = groupkey_bytes(v, n, key, &k, &klen);

	if (as_written < 0)
		return -1;
	if (as_written)
		return (long)group_intern_label(g, k, klen, k, klen, added);
	label_as_written(v, n, label);
	return (long)group_intern_label(g, k, klen, label->p ? label->p : "", label->len, added);
}
