#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "frame.h"
#include "job.h"

/* The column of path p, added if new; takes over the path. */
static int
add_col(struct job *job, struct path *p, int numeric)
{
	for (int i = 0; i < job->ncols; i++)
		if (strcmp(job->cols[i].path.text, p->text) == 0) {
			job->cols[i].numeric |= numeric;
			path_free(p);
			return i;
		}
	job->cols = xrealloc(job->cols, (size_t)(job->ncols + 1) * sizeof(*job->cols));
	job->cols[job->ncols] = (struct col){.path = *p, .numeric = numeric};
	return job->ncols++;
}

static struct path *
parse_paths(const char *opt, const char *s, int *n)
{
	struct path *p = NULL;
	char err[256];

	if (path_parse_list(s, &p, n, err, sizeof(err)) < 0)
		frame_usage("%s: %s", opt, err);
	return p;
}

/* The options a state depends on: --merge checks that its input came
 * from a --partial run with the same ones. */
static void
make_sig(struct job *job, const char *stats)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "jstats2 by=");
	for (int i = 0; i < job->nby; i++)
		buf_printf(&b, "%s%s", i ? "," : "", job->by[i].text);
	buf_adds(&b, " fields=");
	for (int i = 0; i < job->nfields; i++)
		buf_printf(&b, "%s%s", i ? "," : "", job->cols[job->fcol[i]].path.text);
	buf_printf(&b, " stats=%s pairs=", stats);
	for (int i = 0; i < job->npairs; i++)
		buf_printf(&b, "%s%s,%s", i ? ";" : "", job->cols[job->pairs[i][0]].path.text,
			   job->cols[job->pairs[i][1]].path.text);
	buf_adds(&b, " corr=");
	for (int i = 0; i < job->ncorr; i++)
		buf_printf(&b, "%s%s", i ? "," : "", job->cols[job->ccol[i]].path.text);
	job->sig = b.p;
}

static void
parse_stats(struct job *job, const char *stats)
{
	char err[256];

	if (stats_parse(stats, &job->st, &job->nst, &job->pst, &job->npst, err, sizeof(err)) < 0)
		frame_usage("--stats: %s", err);
	for (int i = 0; i < job->nst + job->npst; i++)
		for (int j = 0; j < i; j++) {
			const struct stat_spec *a = i < job->nst ? &job->st[i] : &job->pst[i - job->nst];
			const struct stat_spec *b = j < job->nst ? &job->st[j] : &job->pst[j - job->nst];
			if (strcmp(a->name, b->name) == 0)
				frame_usage("--stats: %s named twice", a->name);
		}
	stats_needs(job->st, job->nst, &job->need);
}

static void
parse_fields(struct job *job, const char *fields)
{
	int n;
	struct path *p = parse_paths("--fields", fields, &n);

	job->fcol = xmalloc((size_t)n * sizeof(int));
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < i; j++)
			if (strcmp(p[i].text, p[j].text) == 0)
				frame_usage("--fields: %s named twice", p[i].text);
		job->fcol[job->nfields++] = add_col(job, &p[i], job->need.numeric);
	}
	free(p);
}

/* --pair X,Y (repeatable); pairs without pair statistics get all three. */
static void
parse_pairs(struct job *job, const char **pairs, int npairs)
{
	char err[256];
	int n;

	if (npairs && job->npst == 0)
		stats_parse("cov_samp,cov_pop,corr", &job->st, &job->nst, &job->pst, &job->npst,
			    err, sizeof(err));
	job->pairs = xmalloc((size_t)(npairs ? npairs : 1) * sizeof(*job->pairs));
	for (int k = 0; k < npairs; k++) {
		struct path *p = parse_paths("--pair", pairs[k], &n);
		if (n != 2)
			frame_usage("--pair wants two fields X,Y, not '%s'", pairs[k]);
		job->pairs[k][0] = add_col(job, &p[0], 1);
		job->pairs[k][1] = add_col(job, &p[1], 1);
		job->npairs++;
		free(p);
	}
}

static void
parse_corr(struct job *job, const char *corr)
{
	int n;
	struct path *p = parse_paths("--corr", corr, &n);

	if (n < 2)
		frame_usage("--corr wants two or more fields");
	job->ccol = xmalloc((size_t)n * sizeof(int));
	for (int i = 0; i < n; i++)
		job->ccol[job->ncorr++] = add_col(job, &p[i], 1);
	free(p);
}

/* --merge: group fields arrive under their path text as a literal name. */
static void
literal_by(struct job *job)
{
	job->bylit = xcalloc((size_t)(job->nby ? job->nby : 1), sizeof(*job->bylit));
	for (int i = 0; i < job->nby; i++) {
		struct path_step *st = xcalloc(1, sizeof(*st));
		st->key = job->by[i].text;
		st->keylen = strlen(job->by[i].text);
		job->bylit[i] = (struct path){job->by[i].text, 1, st};
	}
}

void
job_build(struct job *job, const struct job_args *args)
{
	if (args->by)
		job->by = parse_paths("--by", args->by, &job->nby);
	parse_stats(job, args->stats);
	if (args->fields)
		parse_fields(job, args->fields);
	parse_pairs(job, args->pairs, args->npairs);
	if (args->corr) {
		if (args->fields || args->npairs)
			frame_usage("--corr prints a matrix; ask for --fields or --pair in another run");
		parse_corr(job, args->corr);
	}
	if (job->npst && !job->npairs)
		frame_usage("--stats: cov_samp, cov_pop and corr need --pair X,Y (or --corr)");
	if (job->nfields == 0 && job->npairs == 0 && job->ncorr == 0)
		frame_usage("nothing to compute: name fields with -f, --pair or --corr");
	job->ncm = job->npairs + job->ncorr * (job->ncorr + 1) / 2;
	make_sig(job, args->stats);
	if (job->merge)
		literal_by(job);
}

void
job_free(struct job *job)
{
	for (int i = 0; job->bylit && i < job->nby; i++)
		free(job->bylit[i].steps);	/* the keys are by's texts */
	free(job->bylit);
	path_free_list(job->by, job->nby);
	for (int i = 0; i < job->ncols; i++)
		path_free(&job->cols[i].path);
	free(job->cols);
	free(job->fcol);
	free(job->pairs);
	free(job->ccol);
	for (int i = 0; i < job->nst; i++) {
		free((char *)job->st[i].name);
		free(job->st[i].call.ps);
	}
	free(job->st);
	for (int i = 0; i < job->npst; i++) {
		free((char *)job->pst[i].name);
		free(job->pst[i].call.ps);
	}
	free(job->pst);
	agg_plan_free(&job->need.plan);
	free(job->sig);
}

int
job_corr_index(const struct job *job, int i, int j)
{
	if (i > j) {
		int t = i;
		i = j;
		j = t;
	}
	/* Row i of the upper triangle starts after rows 0..i-1. */
	return job->npairs + i * job->ncorr - i * (i - 1) / 2 + (j - i);
}
