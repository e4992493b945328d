#include <stdlib.h>
#include <string.h>

#include "emit.h"

static struct buf out, scratch, members;

static void
write_group_fields(struct jw *w, const struct table *t, size_t id)
{
	for (int i = 0; i < t->job->nby; i++) {
		struct json_val v = table_label(t, id, i);
		const char *name = t->job->by[i].text;
		jw_key(w, name, strlen(name));
		jw_raw(w, v.p, v.len);
	}
}

static void
write_stats(struct jw *w, const struct table *t, size_t id)
{
	const struct job *job = t->job;
	struct fstate *fs = table_fields(t, id);
	const struct comoments *cm = table_pairs(t, id);

	for (int i = 0; i < job->nfields; i++)
		fstate_write(w, &fs[i], job->st, job->nst, job->cols[job->fcol[i]].path.text, &scratch);
	for (int k = 0; k < job->npairs; k++) {
		struct buf pre = BUF_INIT;
		buf_printf(&pre, "%s_%s", job->cols[job->pairs[k][0]].path.text,
			   job->cols[job->pairs[k][1]].path.text);
		pair_write(w, &cm[k], job->pst, job->npst, pre.p, &scratch);
		buf_free(&pre);
	}
}

/* The matrix: one row per --corr field. */
static enum out_status
emit_corr(const struct table *t, size_t id)
{
	const struct job *job = t->job;
	enum out_status st = OUT_OK;
	struct jw w;

	for (int i = 0; i < job->ncorr && st == OUT_OK; i++) {
		const char *name = job->cols[job->ccol[i]].path.text;
		buf_reset(&out);
		jw_init(&w, &out);
		jw_object(&w);
		write_group_fields(&w, t, id);
		jw_key(&w, "field", 5);
		jw_string(&w, name, strlen(name));
		for (int j = 0; j < job->ncorr; j++) {
			buf_reset(&scratch);
			buf_printf(&scratch, "corr_%s", job->cols[job->ccol[j]].path.text);
			jw_key(&w, scratch.p, scratch.len);
			jw_double(&w, comoments_corr(&table_pairs(t, id)[job_corr_index(job, i, j)]));
		}
		jw_end(&w);
		st = out_line(out.p, out.len);
	}
	return st;
}

/* --partial: the group's values and its mergeable state. */
static void
write_state(struct jw *w, const struct table *t, size_t id)
{
	const struct job *job = t->job;

	jw_key(w, "_jstats", 7);
	jw_object(w);
	jw_key(w, "sig", 3);
	jw_string(w, job->sig, strlen(job->sig));
	jw_key(w, "fields", 6);
	jw_array(w);
	for (int i = 0; i < job->nfields; i++)
		fstate_put(w, &table_fields(t, id)[i], &job->need);
	jw_end(w);
	jw_key(w, "comoments", 9);
	pairs_put(w, table_pairs(t, id), job->ncm);
	jw_end(w);
}

static enum out_status
emit_group(const struct table *t, size_t id)
{
	struct jw w;

	if (t->job->ncorr && !t->job->partial)
		return emit_corr(t, id);
	buf_reset(&out);
	jw_init(&w, &out);
	jw_object(&w);
	write_group_fields(&w, t, id);
	if (t->job->partial)
		write_state(&w, t, id);
	else
		write_stats(&w, t, id);
	jw_end(&w);
	return out_line(out.p, out.len);
}

static enum out_status
emit_ids(struct table *t, size_t *ids, size_t n)
{
	enum out_status st = OUT_OK;

	table_order(t, ids, n);
	for (size_t i = 0; i < n && st == OUT_OK; i++)
		st = emit_group(t, ids[i]);
	return st;
}

enum out_status
emit_changed(struct table *t)
{
	enum out_status st = emit_ids(t, t->changed, t->nchanged);

	for (size_t i = 0; i < t->nchanged; i++)
		t->dirty[t->changed[i]] = 0;
	t->nchanged = 0;
	return st == OUT_OK ? out_flush() : st;
}

enum out_status
emit_all(struct table *t)
{
	size_t *ids = xmalloc((t->ngroups ? t->ngroups : 1) * sizeof(*ids));

	for (size_t i = 0; i < t->ngroups; i++)
		ids[i] = i;
	enum out_status st = emit_ids(t, ids, t->ngroups);
	free(ids);
	return st;
}

enum out_status
emit_running(struct table *t, struct json_val rec, size_t id)
{
	struct jw w;
	size_t inner = rec.len - 1;	/* the closing brace */

	while (inner > 1 && strchr(" \t\r\n", rec.p[inner - 1]))
		inner--;
	buf_reset(&members);
	jw_init(&w, &members);
	jw_object(&w);
	write_stats(&w, t, id);
	jw_end(&w);
	buf_reset(&out);
	buf_add(&out, rec.p, rec.len - 1);
	if (rec.p[inner - 1] != '{')
		buf_addc(&out, ',');
	/* The statistics' members, without their braces. */
	buf_add(&out, members.p + 1, members.len - 1);
	return out_line(out.p, out.len);
}

void
emit_free(void)
{
	buf_free(&out);
	buf_free(&scratch);
	buf_free(&members);
}
