#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "groupkey.h"
#include "table.h"

static size_t
new_group(struct table *t)
{
	const struct job *job = t->job;
	size_t id = t->ngroups++;

	if (id == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->fs = xrealloc(t->fs, t->cap * (size_t)job->nfields * sizeof(*t->fs));
		t->cm = xrealloc(t->cm, t->cap * (size_t)job->ncm * sizeof(*t->cm));
		t->dirty = xrealloc(t->dirty, t->cap);
		t->changed = xrealloc(t->changed, t->cap * sizeof(*t->changed));
	}
	struct fstate *fs = table_fields(t, id);
	for (int i = 0; i < job->nfields; i++) {
		fstate_init(&fs[i], &job->need);
		if (t->sketching)
			fstate_shrink(&fs[i], &job->need);
	}
	for (int k = 0; k < job->ncm; k++)
		comoments_init(&table_pairs(t, id)[k]);
	t->dirty[id] = 0;
	return id;
}

void
table_init(struct table *t, const struct job *job)
{
	memset(t, 0, sizeof(*t));
	t->job = job;
	t->groups = group_new();
	if (job->nby == 0) {
		group_intern(t->groups, "", 0, NULL);
		new_group(t);
	}
}

void
table_free(struct table *t)
{
	for (size_t i = 0; i < t->ngroups * (size_t)t->job->nfields; i++)
		fstate_free(&t->fs[i]);
	group_free(t->groups);
	free(t->fs);
	free(t->cm);
	free(t->dirty);
	free(t->changed);
	buf_free(&t->key);
	buf_free(&t->label);
}

long
table_group(struct table *t, const struct json_val *by)
{
	int added;
	long id = groupkey_intern(t->groups, by, t->job->nby, &t->key, &t->label, &added);

	if (id >= 0 && added)
		new_group(t);
	return id;
}

void
table_touch(struct table *t, size_t id)
{
	if (!t->dirty[id]) {
		t->dirty[id] = 1;
		t->changed[t->nchanged++] = id;
	}
}

static void
say_sketching(const struct table *t)
{
	const struct needs *need = &t->job->need;
	size_t max = t->job->max_memory;

	if (need->values)
		diag_warn("exact state passed --max-memory (%zu bytes): percentiles now come "
			  "from a sketch within %g%% relative error", max, QSK_ALPHA * 100);
	if (need->distinct)
		diag_warn("exact state passed --max-memory (%zu bytes): distinct now comes "
			  "from HyperLogLog (1.6%% standard error)", max);
	if (need->mode)
		diag_warn("exact state passed --max-memory (%zu bytes): mode now keeps the %d most "
			  "frequent values of each group and field (right when the mode leads the "
			  "next value by more than 1/%d of the values)", max, MODE_KEEP, MODE_KEEP + 1);
}

void
table_account(struct table *t, long delta)
{
	const struct job *job = t->job;

	t->exact_bytes += (size_t)delta;
	if (t->sketching || job->max_memory == 0 || t->exact_bytes <= job->max_memory)
		return;
	t->sketching = 1;
	for (size_t i = 0; i < t->ngroups * (size_t)job->nfields; i++)
		t->exact_bytes -= fstate_shrink(&t->fs[i], &job->need);
	say_sketching(t);
}

/* Value i of a comma-joined list of JSON texts p[0..n). */
static struct json_val
nth_value(const char *p, size_t n, int i)
{
	const char *end = p + n;
	struct json_val v = {JSON_NULL, "null", 4};

	for (int k = 0; k <= i && p < end; k++) {
		p = json_value(p, end, &v);
		if (p == NULL)
			return (struct json_val){JSON_NULL, "null", 4};
		p++;		/* the comma */
	}
	return v;
}

struct json_val
table_label(const struct table *t, size_t id, int i)
{
	size_t n;
	const char *p = group_label(t->groups, id, &n);

	return nth_value(p, n, i);
}

static int
type_rank(struct json_val v)
{
	switch (v.type) {
	case JSON_NUMBER: return 3;
	case JSON_STRING: return 4;
	case JSON_ARRAY: case JSON_OBJECT: return 5;
	case JSON_TRUE: return 2;
	case JSON_FALSE: return 1;
	default: return 0;
	}
}

static int
cmp_values(struct json_val a, struct json_val b)
{
	int ra = type_rank(a), rb = type_rank(b);
	double da, db;

	if (ra != rb)
		return ra - rb;
	if (ra == 3 && json_to_double(a, &da) == 0 && json_to_double(b, &db) == 0 && da != db)
		return da < db ? -1 : 1;
	int c = memcmp(a.p, b.p, a.len < b.len ? a.len : b.len);
	return c ? c : (a.len > b.len) - (a.len < b.len);
}

static const struct table *sorting;	/* qsort's comparison has no context */

static int
cmp_groups(const void *a, const void *b)
{
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b, na, nb;
	const char *pa = group_key(sorting->groups, ia, &na);
	const char *pb = group_key(sorting->groups, ib, &nb);

	for (int i = 0; i < sorting->job->nby; i++) {
		int c = cmp_values(nth_value(pa, na, i), nth_value(pb, nb, i));
		if (c)
			return c;
	}
	return (ia > ib) - (ia < ib);
}

void
table_order(const struct table *t, size_t *ids, size_t n)
{
	if (!t->job->sort)
		return;
	sorting = t;
	qsort(ids, n, sizeof(*ids), cmp_groups);
	sorting = NULL;
}
