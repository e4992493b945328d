/*
 * The join key (joinkey.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "groupkey.h"
#include "ident.h"
#include "joinkey.h"

/* The end of the piece of an --on spec that starts at s: the first ',' or
 * '=' outside a quoted key (path.h: ."a,b" is one key), or the end. */
static const char *
piece_end(const char *s)
{
	int quoted = 0;

	for (; *s; s++) {
		if (quoted && *s == '\\' && s[1])
			s++;
		else if (*s == '"')
			quoted = !quoted;
		else if (!quoted && (*s == ',' || *s == '='))
			break;
	}
	return s;
}

/* The top-level name a path is, when it is one key step. */
static const char *
top_name(const struct path *p)
{
	return p->nsteps == 1 && p->steps[0].key ? p->steps[0].key : NULL;
}

static int
add_path(struct joinkey *k, int side, const char *s, size_t n, char *err, size_t errlen)
{
	char *text = xstrndup(s, n);
	int rc = 0;

	if (n == 0) {
		snprintf(err, errlen, "an empty field in --on");
		rc = -1;
	} else if (path_parse(text, &k->path[side][k->n], err, errlen) != 0) {
		rc = -1;
	}
	free(text);
	return rc;
}

int
joinkey_parse(const char *spec, struct joinkey *k, char *err, size_t errlen)
{
	const char *s = spec;

	memset(k, 0, sizeof *k);
	for (;;) {
		const char *end = piece_end(s);
		k->path[0] = xrealloc(k->path[0], (size_t)(k->n + 1) * sizeof *k->path[0]);
		k->path[1] = xrealloc(k->path[1], (size_t)(k->n + 1) * sizeof *k->path[1]);
		if (add_path(k, JOINKEY_LEFT, s, (size_t)(end - s), err, errlen) != 0)
			goto fail;
		const char *rs = s, *rend = end;
		if (*end == '=') {
			rs = end + 1;
			rend = piece_end(rs);
			if (*rend == '=') {
				snprintf(err, errlen, "two '=' in one --on pair: '%s'", spec);
				path_free(&k->path[0][k->n]);
				goto fail;
			}
		}
		if (add_path(k, JOINKEY_RIGHT, rs, (size_t)(rend - rs), err, errlen) != 0) {
			path_free(&k->path[0][k->n]);
			goto fail;
		}
		k->n++;
		if (*rend == '\0')
			break;
		s = rend + 1;
	}
	k->top[0] = xcalloc((size_t)k->n, sizeof *k->top[0]);
	k->top[1] = xcalloc((size_t)k->n, sizeof *k->top[1]);
	k->same = xcalloc((size_t)k->n, sizeof *k->same);
	for (int i = 0; i < k->n; i++) {
		k->top[0][i] = top_name(&k->path[0][i]);
		k->top[1][i] = top_name(&k->path[1][i]);
		k->same[i] = k->top[0][i] && k->top[1][i] && strcmp(k->top[0][i], k->top[1][i]) == 0;
	}
	return 0;
fail:
	joinkey_free(k);
	return -1;
}

void
joinkey_free(struct joinkey *k)
{
	for (int side = 0; side < 2; side++) {
		if (k->path[side])
			path_free_list(k->path[side], k->n);
		free(k->top[side]);
	}
	free(k->same);
	memset(k, 0, sizeof *k);
}

void
joinkey_reader_init(struct joinkey_reader *r, const struct joinkey *k, enum joinkey_side side)
{
	memset(r, 0, sizeof *r);
	r->k = k;
	r->side = side;
	r->memo = xcalloc((size_t)k->n, sizeof *r->memo);
	r->vals = xcalloc((size_t)k->n, sizeof *r->vals);
}

void
joinkey_reader_free(struct joinkey_reader *r)
{
	free(r->memo);
	free(r->vals);
	buf_free(&r->bytes);
}

/* The key fields of a record whose members are not known. */
static int
walk_fields(struct joinkey_reader *r, struct json_val rec)
{
	const struct path *paths = r->k->path[r->side];

	for (int i = 0; i < r->k->n; i++) {
		int found = path_lookup(rec.p, rec.len, &paths[i], &r->vals[i]);
		if (found < 0)
			return -1;
		if (found == 0)
			r->vals[i].type = JSON_NONE;
	}
	return 0;
}

enum joinkey_result
joinkey_read(struct joinkey_reader *r, struct json_val rec, const struct json_member *m,
	     size_t nm, const char **key, size_t *len)
{
	int n = r->k->n;
	int rc = m ? path_lookup_members(rec, m, nm, r->k->path[r->side], n, r->memo, r->vals)
		   : walk_fields(r, rec);

	if (rc != 0)
		return JOINKEY_BAD;
	for (int i = 0; i < n; i++)
		if (r->vals[i].type == JSON_NONE || r->vals[i].type == JSON_NULL)
			return JOINKEY_NULL;
	if (groupkey_bytes(r->vals, n, &r->bytes, key, len) < 0)
		return JOINKEY_BAD;
	return JOINKEY_OK;
}
