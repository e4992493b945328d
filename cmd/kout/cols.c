#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cols.h"
#include "diag.h"
#include "group.h"

void
cols_init(struct cols *c, const struct kout_opts *o)
{
	memset(c, 0, sizeof *c);
	c->paths = o->columns;
	c->npaths = o->ncolumns;
	c->n = (size_t)o->ncolumns;
	c->names = group_new();
	c->cap = c->n + 16;
	c->v = xcalloc(c->cap, sizeof *c->v);
}

void
cols_free(struct cols *c)
{
	group_free(c->names);
	free(c->v);
	buf_free(&c->key);
	buf_free(&c->unfit);
}

const char *
cols_name(const struct cols *c, size_t i, size_t *n)
{
	if (c->paths) {
		*n = strlen(c->paths[i].text);
		return c->paths[i].text;
	}
	return group_key(c->names, i, n);
}

/* The field name as text: the bytes between the quotes when there is no
 * escape in them, which is nearly always. */
static void
key_text(struct cols *c, struct json_val k, const char **p, size_t *n)
{
	if (memchr(k.p + 1, '\\', k.len - 2) == NULL) {
		*p = k.p + 1;
		*n = k.len - 2;
		return;
	}
	buf_reset(&c->key);
	json_string_decode(k, &c->key);
	*p = c->key.p;
	*n = c->key.len;
}

/* A record with fields the frozen header lacks would lose them: reject it
 * whole, naming those fields (as written in the JSON, so quoted and with
 * their escapes). */
static int
reject_unfit(const struct rec *r, const struct buf *names, size_t count)
{
	diag_reject(r->line->file, r->line->lineno, r->line->p, r->line->len,
	    "field%s %.*s %s not in the header already written; name every "
	    "column with --columns", count > 1 ? "s" : "", (int)names->len,
	    names->p, count > 1 ? "are" : "is");
	return -1;
}

int
cols_split(struct cols *c, const struct rec *r)
{
	struct json_iter it;
	struct json_val k, v;
	const char *name;
	size_t i, n, id, unfit = 0;
	int added;

	if (c->paths) {
		for (i = 0; i < c->n; i++)
			if (path_lookup(r->obj.p, r->obj.len, &c->paths[i], &c->v[i]) != 1)
				c->v[i].type = JSON_NONE;
		return 0;
	}
	for (i = 0; i < c->n; i++)
		c->v[i].type = JSON_NONE;
	if (json_iter_init(&it, r->obj) < 0)
		return 0;
	buf_reset(&c->unfit);
	while (json_iter_next(&it, &k, &v) == 1) {
		key_text(c, k, &name, &n);
		if (c->frozen) {
			long f = group_find(c->names, name, n);
			if (f < 0) {
				if (unfit++)
					buf_adds(&c->unfit, ", ");
				buf_add(&c->unfit, k.p, k.len);
				continue;
			}
			id = (size_t)f;
			added = 0;
		} else {
			id = group_intern(c->names, name, n, &added);
			if (added) {
				if (id >= c->cap) {
					c->cap *= 2;
					c->v = xrealloc(c->v, c->cap * sizeof *c->v);
				}
				c->n = id + 1;
			}
		}
		/* A repeated key: the first occurrence wins, as in path_lookup. */
		if (added || c->v[id].type == JSON_NONE)
			c->v[id] = v;
	}
	return unfit ? reject_unfit(r, &c->unfit, unfit) : 0;
}
