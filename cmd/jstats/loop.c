#include <inttypes.h>
#include <stdlib.h>

#include "admit.h"
#include "diag.h"
#include "emit.h"
#include "input.h"
#include "loop.h"
#include "now.h"
#include "path.h"
#include "table.h"

struct run {
	struct job *job;
	struct table table;
	struct admit admit;
	const struct line *cur;
	/* What is read from each record: the columns, then the --by fields
	 * (with --merge only these, by literal name). */
	struct path *paths;
	int npaths, by_base;
	struct path_memo *memo;	/* path_lookup_members' */
	/* per record: the value of each path, each column's number */
	struct json_val *val;
	double *num;
	unsigned char *isnum;
	/* --merge: the parts of a state, checked before any is taken */
	struct json_val *fv, *cv;
	struct comoments *tmpcm;
	uint64_t lines;		/* not blank, for --every */
};

static void
reject(const struct run *r, const char *why)
{
	diag_reject(r->cur->file, r->cur->lineno, r->cur->p, r->cur->len, "%s", why);
}

/* Values that are not numbers, or beyond a double, are left out of a
 * column's numeric statistics: the first of each is reported where it is. */
static void
read_number(struct run *r, int c)
{
	struct col *col = &r->job->cols[c];
	struct json_val v = r->val[c];
	int k = agg_number(v, &r->num[c]);
	int shown = (int)(v.len > 40 ? 40 : v.len);

	r->isnum[c] = k == 1;
	if (k < 0 && col->huge++ == 0)
		diag_warn("%s:%" PRIu64 ": field %s: %.*s is beyond the range of a double; "
			  "such numbers are left out of its statistics", r->cur->file, r->cur->lineno,
			  col->path.text, shown, v.p);
	if (k == 0 && col->numeric && v.type != JSON_NONE && v.type != JSON_NULL &&
	    col->nonnum++ == 0)
		diag_warn("%s:%" PRIu64 ": field %s: %.*s is not a number; "
			  "such values are left out of its statistics", r->cur->file, r->cur->lineno,
			  col->path.text, shown, v.p);
}

static void
add_pair(struct run *r, struct comoments *cm, int x, int y)
{
	if (r->isnum[x] && r->isnum[y])
		comoments_add(cm, r->num[x], r->num[y]);
}

/* The value of each path in record rec (JSON_NONE when missing), from
 * the members admission found: 0, or -1 when malformed on the way. */
static int
read_fields(struct run *r, struct json_val rec)
{
	size_t nm;
	const struct json_member *m = admit_members(&r->admit, &nm);

	return path_lookup_members(rec, m, nm, r->paths, r->npaths, r->memo, r->val);
}

/* A record's values into its group's states: the group id, or -1 when the
 * record was rejected. */
static long
add_record(struct run *r, struct json_val rec)
{
	const struct job *job = r->job;

	if (read_fields(r, rec) != 0) {
		reject(r, "malformed JSON");
		return -1;
	}
	long id = table_group(&r->table, r->val + r->by_base);
	if (id < 0) {
		reject(r, "malformed JSON");
		return -1;
	}
	for (int c = 0; c < job->ncols; c++)
		read_number(r, c);
	struct fstate *fs = table_fields(&r->table, (size_t)id);
	long grown = 0;
	for (int i = 0; i < job->nfields; i++) {
		int c = job->fcol[i];
		grown += fstate_add(&fs[i], &job->need, r->val[c], r->isnum[c], r->num[c]);
	}
	struct comoments *cm = table_pairs(&r->table, (size_t)id);
	for (int k = 0; k < job->npairs; k++)
		add_pair(r, &cm[k], job->pairs[k][0], job->pairs[k][1]);
	for (int i = 0, k = job->npairs; i < job->ncorr; i++)
		for (int j = i; j < job->ncorr; j++, k++)
			add_pair(r, &cm[k], job->ccol[i], job->ccol[j]);
	table_account(&r->table, grown);
	return id;
}

/* The "_jstats" object of a --partial record, its signature checked:
 * 0, or -1 when the record was rejected. */
static int
state_parts(struct run *r, struct json_val rec, struct json_val *f, struct json_val *c)
{
	static const struct path_step step = {"_jstats", 7, 0};
	static const struct path state = {"_jstats", 1, (struct path_step *)&step};
	struct json_val v, k, x, sig = {0};
	struct json_iter it;
	struct path_memo memo = {0};
	size_t nm;
	const struct json_member *m = admit_members(&r->admit, &nm);
	int more;

	if (path_lookup_members(rec, m, nm, &state, 1, &memo, &v) != 0 || v.type != JSON_OBJECT) {
		reject(r, "not a jstats --partial state (no \"_jstats\" object)");
		return -1;
	}
	f->type = c->type = JSON_NONE;
	json_iter_init(&it, v);
	while ((more = json_iter_next(&it, &k, &x)) == 1) {
		if (json_string_eq(k, "sig", 3))
			sig = x;
		else if (json_string_eq(k, "fields", 6))
			*f = x;
		else if (json_string_eq(k, "comoments", 9))
			*c = x;
	}
	if (more < 0 || sig.type != JSON_STRING || f->type != JSON_ARRAY || c->type != JSON_OBJECT) {
		reject(r, "malformed jstats state");
		return -1;
	}
	const char *differs = stats_sig_differs(sig.p + 1, sig.len - 2, r->job->sig);
	if (differs) {
		diag_reject(r->cur->file, r->cur->lineno, r->cur->p, r->cur->len,
			    "state from jstats with another %s", differs);
		return -1;
	}
	return 0;
}

/* Check every part of a state into scratch states: 0, or -1 rejected. */
static int
check_state(struct run *r, struct json_val f, struct json_val c)
{
	const struct job *job = r->job;
	struct json_iter ai;
	struct json_val k;

	json_iter_init(&ai, f);
	for (int i = 0; i < job->nfields; i++) {
		struct fstate t;
		long d;
		char why[200] = "missing";
		fstate_init(&t, &job->need);
		int bad = json_iter_next(&ai, &k, &r->fv[i]) != 1 ||
			  fstate_get(r->fv[i], &t, &job->need, &d, why, sizeof(why)) < 0;
		fstate_free(&t);
		if (bad) {
			diag_reject(r->cur->file, r->cur->lineno, r->cur->p, r->cur->len,
				    "jstats state of field %s: %s", job->cols[job->fcol[i]].path.text, why);
			return -1;
		}
	}
	char why[200];
	if (pairs_get(c, &c, why, sizeof why) != 0) {
		diag_reject(r->cur->file, r->cur->lineno, r->cur->p, r->cur->len,
			    "jstats pair states: %s", why);
		return -1;
	}
	json_iter_init(&ai, c);
	for (int i = 0; i < job->ncm; i++) {
		comoments_init(&r->tmpcm[i]);
		if (json_iter_next(&ai, &k, &r->cv[i]) != 1 || comoments_get(r->cv[i], &r->tmpcm[i]) < 0) {
			reject(r, "malformed jstats pair state");
			return -1;
		}
	}
	return 0;
}

/* --merge: a --partial state, taken whole or not at all, into its group. */
static long
merge_record(struct run *r, struct json_val rec)
{
	const struct job *job = r->job;
	struct json_val f, c;

	if (state_parts(r, rec, &f, &c) != 0 || check_state(r, f, c) != 0)
		return -1;
	long id = -1;
	if (read_fields(r, rec) != 0 ||
	    (id = table_group(&r->table, r->val + r->by_base)) < 0) {
		reject(r, "malformed JSON");
		return -1;
	}
	struct fstate *fs = table_fields(&r->table, (size_t)id);
	long grown = 0;
	for (int i = 0; i < job->nfields; i++) {
		long d = 0;
		char why[200];
		fstate_get(r->fv[i], &fs[i], &job->need, &d, why, sizeof(why));
		grown += d;
	}
	for (int i = 0; i < job->ncm; i++)
		comoments_merge(&table_pairs(&r->table, (size_t)id)[i], &r->tmpcm[i]);
	table_account(&r->table, grown);
	return id;
}

/* A record's group after it is taken: with --running the record is
 * written, else the group is marked as changed. */
static enum out_status
taken(struct run *r, struct json_val rec, long id)
{
	if (id < 0)
		return OUT_OK;
	if (r->job->running)
		return emit_running(&r->table, rec, (size_t)id);
	table_touch(&r->table, (size_t)id);
	return OUT_OK;
}

/* One line: nothing (blank), a rejected line, or a record taken; every
 * --every lines that are not blank, the changed groups are written. */
static enum out_status
line(struct run *r, const struct line *l)
{
	struct json_val rec;
	enum out_status st = OUT_OK;

	r->cur = l;
	switch (admit_line(&r->admit, l, &rec)) {
	case ADMIT_BLANK:
		return OUT_OK;
	case ADMIT_RECORD:
		st = taken(r, rec, r->job->merge ? merge_record(r, rec) : add_record(r, rec));
		break;
	case ADMIT_REJECTED:
		break;
	}
	if (st == OUT_OK && r->job->every && ++r->lines % r->job->every == 0)
		st = emit_changed(&r->table);
	return st;
}

static void
read_all(struct run *r, struct operands files)
{
	const struct job *job = r->job;
	int64_t due = job->interval_us ? mono_us() + job->interval_us : 0;
	struct input in;
	struct line l;

	input_open(&in, files.n, files.v);
	while (out_status() == OUT_OK) {
		if (job->interval_us) {
			input_wait(&in, due);
			if (mono_us() >= due) {
				if (emit_changed(&r->table) != OUT_OK)
					break;
				due = mono_us() + job->interval_us;
			}
		}
		if (!input_next(&in, &l) || line(r, &l) != OUT_OK)
			break;
		out_idle(&in);
	}
	input_close(&in);
}

/* The sums of what was left out; 1 if anything was. */
static int
report_left_out(const struct job *job)
{
	int any = 0;

	for (int i = 0; i < job->ncols; i++) {
		const struct col *c = &job->cols[i];
		if (c->nonnum)
			diag_warn("field %s: %" PRIu64 " non-numeric value%s left out of its statistics",
				  c->path.text, c->nonnum, c->nonnum == 1 ? "" : "s");
		any |= c->nonnum != 0;
	}
	for (int i = 0; i < job->ncols; i++) {
		const struct col *c = &job->cols[i];
		if (c->huge)
			diag_warn("field %s: %" PRIu64 " number%s beyond the range of a double left "
				  "out of its statistics", c->path.text, c->huge, c->huge == 1 ? "" : "s");
		any |= c->huge != 0;
	}
	if (stats_overflows())
		diag_warn("%" PRIu64 " result%s beyond the range of a double written as null",
			  stats_overflows(), stats_overflows() == 1 ? "" : "s");
	return any || stats_overflows();
}

/* The paths read from each record: the columns and the --by fields, or
 * with --merge the group fields of a state. */
static void
gather_paths(struct run *r)
{
	const struct job *job = r->job;

	r->by_base = job->merge ? 0 : job->ncols;
	r->npaths = r->by_base + job->nby;
	r->paths = xcalloc((size_t)r->npaths + 1, sizeof(*r->paths));
	for (int c = 0; c < r->by_base; c++)
		r->paths[c] = job->cols[c].path;
	for (int i = 0; i < job->nby; i++)
		r->paths[r->by_base + i] = job->merge ? job->bylit[i] : job->by[i];
}

int
loop_run(struct job *job, struct operands files)
{
	static struct run r;
	size_t ncols = (size_t)job->ncols + 1;

	r.job = job;
	table_init(&r.table, job);
	admit_init(&r.admit, ADMIT_MEMBERS);
	gather_paths(&r);
	r.val = xcalloc((size_t)r.npaths + 1, sizeof(*r.val));
	r.memo = xcalloc((size_t)r.npaths + 1, sizeof(*r.memo));
	r.num = xcalloc(ncols, sizeof(*r.num));
	r.isnum = xcalloc(ncols, 1);
	r.fv = xcalloc((size_t)job->nfields + 1, sizeof(*r.fv));
	r.cv = xcalloc((size_t)job->ncm + 1, sizeof(*r.cv));
	r.tmpcm = xcalloc((size_t)job->ncm + 1, sizeof(*r.tmpcm));

	read_all(&r, files);
	if (out_status() == OUT_OK) {
		if (job->every || job->interval_us)
			emit_changed(&r.table);
		else if (!job->running)
			emit_all(&r.table);
	}
	int left_out = report_left_out(job);

	table_free(&r.table);
	admit_free(&r.admit);
	free(r.paths);
	free(r.val);
	free(r.memo);
	free(r.num);
	free(r.isnum);
	free(r.fv);
	free(r.cv);
	free(r.tmpcm);
	return left_out;
}
