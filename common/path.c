#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "path.h"

static void
add_step(struct path *p, int *cap, const char *key, size_t keylen, long index)
{
	if (p->nsteps == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		p->steps = xrealloc(p->steps, sizeof *p->steps * (size_t)*cap);
	}
	struct path_step *st = &p->steps[p->nsteps++];
	st->key = key ? xstrndup(key, keylen) : NULL;
	st->keylen = keylen;
	st->index = index;
}

/* The end of a JSON string starting at s (on the opening quote), or NULL. */
static const char *
quoted_end(const char *s)
{
	for (s++; *s; s++) {
		if (*s == '\\' && s[1])
			s++;
		else if (*s == '"')
			return s + 1;
	}
	return NULL;
}

int
path_parse(const char *s, struct path *p, char *err, size_t errlen)
{
	const char *q = s;
	int cap = 0;

	memset(p, 0, sizeof *p);
	if (*q == '.')
		q++;
	p->text = xstrdup(q);
	if (*q == '\0' && *s == '.')
		return 0;	/* "." is the whole record */
	while (*q) {
		if (*q == '[') {
			char *end;
			long idx = strtol(q + 1, &end, 10);
			if (end == q + 1 || *end != ']') {
				snprintf(err, errlen, "bad array index in field path '%s'", s);
				goto fail;
			}
			add_step(p, &cap, NULL, 0, idx);
			q = end + 1;
		} else if (*q == '"') {
			const char *end = quoted_end(q);
			struct buf key = BUF_INIT;
			struct json_val v = {JSON_STRING, q, end ? (size_t)(end - q) : 0};
			if (end == NULL || json_string_decode(v, &key) != 0) {
				buf_free(&key);
				snprintf(err, errlen, "bad quoted key in field path '%s'", s);
				goto fail;
			}
			add_step(p, &cap, key.p ? key.p : "", key.len, 0);
			buf_free(&key);
			q = end;
		} else {
			size_t n = strcspn(q, ".[");
			if (n == 0) {
				snprintf(err, errlen, "empty key in field path '%s'", s);
				goto fail;
			}
			add_step(p, &cap, q, n, 0);
			q += n;
		}
		if (*q == '.') {
			q++;
			if (*q == '\0') {
				snprintf(err, errlen, "field path '%s' ends in '.'", s);
				goto fail;
			}
		} else if (*q && *q != '[') {
			snprintf(err, errlen, "unexpected '%c' in field path '%s'", *q, s);
			goto fail;
		}
	}
	if (p->nsteps == 0) {
		snprintf(err, errlen, "empty field path");
		goto fail;
	}
	return 0;
fail:
	path_free(p);
	return -1;
}

int
path_parse_list(const char *s, struct path **paths, int *npaths, char *err, size_t errlen)
{
	struct path *list = NULL;
	int n = 0;
	const char *q = s;

	for (;;) {
		/* A comma ends an item unless it is inside a quoted key. */
		const char *e = q;
		while (*e && *e != ',') {
			if (*e == '"') {
				const char *qe = quoted_end(e);
				e = qe ? qe : e + strlen(e);
			} else {
				e++;
			}
		}
		char *item = xstrndup(q, (size_t)(e - q));
		list = xrealloc(list, sizeof *list * (size_t)(n + 1));
		int rc = path_parse(item, &list[n], err, errlen);
		free(item);
		if (rc != 0) {
			path_free_list(list, n);
			return -1;
		}
		n++;
		if (*e == '\0')
			break;
		q = e + 1;
	}
	*paths = list;
	*npaths = n;
	return 0;
}

void
path_free(struct path *p)
{
	for (int i = 0; i < p->nsteps; i++)
		free((char *)p->steps[i].key);
	free(p->steps);
	free(p->text);
	memset(p, 0, sizeof *p);
}

void
path_free_list(struct path *paths, int n)
{
	for (int i = 0; i < n; i++)
		path_free(&paths[i]);
	free(paths);
}

int
path_lookup(const char *p, size_t n, const struct path *path, struct json_val *v)
{
	const char *end = p + n;

	for (int i = 0; i < path->nsteps; i++) {
		const struct path_step *st = &path->steps[i];
		int r = st->key ? json_step_key(&p, end, st->key, st->keylen)
				: json_step_index(&p, end, st->index);
		if (r <= 0)
			return r;
	}
	return json_value(p, end, v) ? 1 : -1;
}

/* Is the member name k (a JSON string slice) the step's key?  A name
 * without escapes compares as bytes; an escape is never shorter than what
 * it stands for. */
static inline int
member_is(struct json_val k, const struct path_step *st, int plain)
{
	const char *s = k.p + 1;
	size_t n = k.len - 2;

	if (n < st->keylen)
		return 0;
	if (plain && n == st->keylen && memcmp(s, st->key, n) == 0)
		return 1;
	return memchr(s, '\\', n) != NULL && json_string_eq(k, st->key, st->keylen);
}

/* The value of path pa, whose first step is a key, among the members. */
static int
member_lookup(const struct json_member *m, size_t nm, const struct path *pa,
	      struct path_memo *memo, struct json_val *v)
{
	const struct path_step *st = &pa->steps[0];
	size_t j = memo->at;

	if (memo->key == PATH_KEY_UNSEEN)
		memo->key = memchr(st->key, '\\', st->keylen) ? PATH_KEY_BACKSLASH : PATH_KEY_PLAIN;
	int plain = memo->key == PATH_KEY_PLAIN;
	if (j >= nm || !member_is(m[j].key, st, plain)) {
		for (j = 0; j < nm; j++)
			if (j != memo->at && member_is(m[j].key, st, plain))
				break;
		if (j == nm)
			return 0;
		memo->at = j;
	}
	if (pa->nsteps == 1) {
		*v = m[j].val;
		return 1;
	}
	struct path rest = {pa->text, pa->nsteps - 1, pa->steps + 1};
	return path_lookup(m[j].val.p, m[j].val.len, &rest, v);
}

int
path_lookup_members(struct json_val rec, const struct json_member *m, size_t nm,
		    const struct path *paths, int npaths, struct path_memo *memo,
		    struct json_val *vals)
{
	for (int i = 0; i < npaths; i++) {
		const struct path *pa = &paths[i];
		int found;

		if (pa->nsteps == 0) {
			vals[i] = rec;
			continue;
		}
		/* An index into an object finds nothing. */
		found = pa->steps[0].key ? member_lookup(m, nm, pa, &memo[i], &vals[i]) : 0;
		if (found < 0)
			return -1;
		if (found == 0)
			vals[i].type = JSON_NONE;
	}
	return 0;
}
