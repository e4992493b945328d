#include <string.h>

#include "fields.h"

/* Does the member name k (a JSON string slice, escaped if esc) equal the
 * step's key?  Most names carry no escapes, and those compare as bytes. */
static inline int
key_is(struct json_val k, int esc, const struct path_step *st)
{
	if (!esc)
		return k.len - 2 == st->keylen && memcmp(k.p + 1, st->key, st->keylen) == 0;
	return json_string_eq(k, st->key, st->keylen);
}

int
fields_extract(const struct path *paths, int npaths, const char *p, size_t n,
	       struct json_val *vals)
{
	struct json_val obj, k, v;
	struct json_iter it;
	int left = 0, rc = 0;

	for (int i = 0; i < npaths; i++) {
		vals[i].type = JSON_NONE;
		if (paths[i].nsteps > 0 && paths[i].steps[0].key != NULL)
			left++;
	}
	/* The members are read as far as needed: no scan of the whole object
	 * first. */
	while (n > 0 && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++, n--;
	if (n < 2 || *p != '{')
		return -1;
	obj = (struct json_val){JSON_OBJECT, p, n};
	if (json_iter_init(&it, obj) != 0)
		return -1;
	/* "." is the whole record. */
	for (int i = 0; i < npaths; i++) {
		if (paths[i].nsteps == 0 && paths[i].text != NULL) {
			char c;
			while (obj.len > 0 && ((c = obj.p[obj.len - 1]) == ' ' || c == '\t' ||
			    c == '\r' || c == '\n'))
				obj.len--;
			vals[i] = obj;
		}
	}
	while (left > 0 && (rc = json_iter_next(&it, &k, &v)) == 1) {
		int esc = memchr(k.p + 1, '\\', k.len - 2) != NULL;
		for (int i = 0; i < npaths; i++) {
			const struct path *pa = &paths[i];
			if (vals[i].type != JSON_NONE || pa->nsteps == 0 ||
			    pa->steps[0].key == NULL || !key_is(k, esc, &pa->steps[0]))
				continue;
			left--;
			if (pa->nsteps == 1) {
				vals[i] = v;
				continue;
			}
			/* The rest of a nested path, within this member. */
			struct path rest = {pa->text, pa->nsteps - 1, pa->steps + 1};
			int found = path_lookup(v.p, v.len, &rest, &vals[i]);
			if (found < 0)
				return -1;
			if (found == 0)
				vals[i].type = JSON_NONE;
		}
	}
	return left > 0 && rc < 0 ? -1 : 0;
}

const char *
canon_value(struct json_val v, struct buf *scratch, size_t *len)
{
	switch (v.type) {
	case JSON_NONE:
		*len = 4;
		return "null";
	case JSON_STRING: {
		if (memchr(v.p, '\\', v.len) == NULL)
			break;
		struct buf dec = BUF_INIT;
		buf_reset(scratch);
		if (json_string_decode(v, &dec) == 0)
			json_put_string(scratch, dec.p ? dec.p : "", dec.len);
		else
			buf_add(scratch, v.p, v.len);
		buf_free(&dec);
		*len = scratch->len;
		return scratch->p;
	}
	case JSON_ARRAY:
	case JSON_OBJECT: {
		struct json_error err;
		buf_reset(scratch);
		if (json_compact(v.p, v.len, scratch, &err) != 0) {
			buf_reset(scratch);
			buf_add(scratch, v.p, v.len);
		}
		*len = scratch->len;
		return scratch->p;
	}
	default:
		break;
	}
	*len = v.len;
	return v.p;
}
