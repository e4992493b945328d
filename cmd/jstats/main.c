/*
 * jstats: streaming statistics per group, exact, numerically stable and
 * mergeable across processes (--partial / --merge).
 *
 * Each record is read only as far as its --by and statistics fields; the
 * group key is the JSON text of the --by values, interned in a hash table
 * whose dense ids index flat arrays of per-field states, so the steady
 * state allocates nothing per record.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "diag.h"
#include "group.h"
#include "input.h"
#include "json.h"
#include "output.h"
#include "path.h"
#include "timefmt.h"
#include "stats.h"

#define DEFAULT_STATS "count,mean,stddev,min,max"
#define DEFAULT_MAX_MEMORY "256M"

/* A field read from each record: a statistics field, a --pair or --corr
 * member; each is looked up once per record however often it is used. */
struct col {
	struct path path;
	int numeric;		/* used as a number: other values are reported */
	uint64_t nonnum;	/* values that were neither numbers nor null */
	uint64_t huge;		/* numbers beyond the range of a double (1e999) */
};

static struct {
	struct path *by;
	int nby;
	struct path *bylit;	/* --merge: the group fields by literal name */
	struct col *cols;
	int ncols;
	int *fcol;		/* --fields -> cols */
	int nfields;
	int (*pairs)[2];	/* --pair -> cols */
	const char **pairargs;	/* --pair as given */
	int npairs;
	int *ccol;		/* --corr -> cols */
	int ncorr;
	struct stat *st, *pst;
	int nst, npst;
	struct needs need;
	char *sig;		/* --partial/--merge: the options a state depends on */

	int partial, merge, running, sort;
	uint64_t every;
	int64_t interval_us;
	size_t max_memory;

	struct group_table *groups;
	size_t ngroups, cap;
	struct fstate *fs;	/* [group * nfields + field] */
	struct comoments *cm;	/* [group * ncm + k]: pairs, then the corr triangle */
	int ncm;
	unsigned char *dirty;	/* changed since the last --every/--interval output */
	size_t *changed;
	size_t nchanged;
	size_t exact_bytes;
	int sketching;

	/* per record */
	struct json_val *fv, *cv;	/* --merge: the parts of a state */
	struct comoments *tmpcm;
	struct json_val *val;
	double *num;
	unsigned char *isnum;
	struct buf key, out, scratch, scratch2;
	const struct line *cur;
} S;

static void
usage(FILE *f)
{
	fprintf(f,
"usage: jstats [-b FIELDS] [-f FIELDS] [-s STATS] [--pair X,Y] [--corr FIELDS]\n"
"              [--sort] [--every N | --interval DURATION | --running]\n"
"              [--partial | --merge] [--max-memory SIZE] [-u] [-q] [--errors FILE] [FILE ...]\n"
"Statistics of numeric fields per group, as one JSON record per group.\n"
"  -b, --by FIELDS       group by these fields (default: one group)\n"
"  -f, --fields FIELDS   the fields to describe\n"
"  -s, --stats LIST      default " DEFAULT_STATS "; also sum var var_pop\n"
"                        stddev_pop skewness kurtosis median p<N> percentile(P)\n"
"                        approx_percentile(P) mode distinct approx_distinct\n"
"                        collect_list collect_set first last, and Spark's, Miller's\n"
"                        and datamash's names for them (jstats(1));\n"
"                        for pairs cov_samp cov_pop corr\n"
"  --pair X,Y            covariance and correlation of X and Y (repeatable)\n"
"  --corr FIELDS         the correlation matrix: one record per group and field\n"
"  --sort                groups in order of their --by values, not first seen\n"
"  --every N             print the groups that changed, every N records\n"
"  --interval DURATION   ... or every DURATION (10s, 1m), also when idle\n"
"  --running             append the group's running statistics to each record\n"
"  --partial             print mergeable states instead of statistics\n"
"  --merge               read --partial states and print the combined statistics\n"
"  --max-memory SIZE     exact percentiles, distinct and mode up to SIZE in all,\n"
"                        then bounded sketches (default " DEFAULT_MAX_MEMORY "; 0 = none)\n"
"  -u                    flush after every record\n"
"  -q                    count rejected records without a message for each\n"
"  --errors FILE         write rejected records there as NDJSON\n"
"  --help, --version\n");
}

/* Takes over the path. */
static int
add_col(struct path *p, int numeric)
{
	for (int i = 0; i < S.ncols; i++)
		if (strcmp(S.cols[i].path.text, p->text) == 0) {
			S.cols[i].numeric |= numeric;
			path_free(p);
			return i;
		}
	S.cols = xrealloc(S.cols, (size_t)(S.ncols + 1) * sizeof(*S.cols));
	S.cols[S.ncols] = (struct col){.path = *p, .numeric = numeric};
	return S.ncols++;
}

static struct path *
parse_paths(const char *opt, const char *s, int *n)
{
	struct path *p = NULL;
	char err[256];

	if (path_parse_list(s, &p, n, err, sizeof(err)) < 0)
		diag_usage("%s: %s", opt, err);
	return p;
}

static size_t
parse_size(const char *s)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	double mult = 1;

	switch (*end) {
	case 'k': case 'K': mult = 1024.0; end++; break;
	case 'm': case 'M': mult = 1024.0 * 1024; end++; break;
	case 'g': case 'G': mult = 1024.0 * 1024 * 1024; end++; break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (errno || end == s || *end || !(v >= 0) || v * mult > 1e18)
		diag_usage("--max-memory: '%s' is not a size such as 512M or 2G", s);
	return (size_t)(v * mult);
}

/* The options a state depends on: --merge checks that its input came
 * from a --partial run with the same ones. */
static void
make_sig(const char *stats)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "jstats2 by=");
	for (int i = 0; i < S.nby; i++)
		buf_printf(&b, "%s%s", i ? "," : "", S.by[i].text);
	buf_adds(&b, " fields=");
	for (int i = 0; i < S.nfields; i++)
		buf_printf(&b, "%s%s", i ? "," : "", S.cols[S.fcol[i]].path.text);
	buf_printf(&b, " stats=%s pairs=", stats);
	for (int i = 0; i < S.npairs; i++)
		buf_printf(&b, "%s%s,%s", i ? ";" : "", S.cols[S.pairs[i][0]].path.text,
		    S.cols[S.pairs[i][1]].path.text);
	buf_adds(&b, " corr=");
	for (int i = 0; i < S.ncorr; i++)
		buf_printf(&b, "%s%s", i ? "," : "", S.cols[S.ccol[i]].path.text);
	S.sig = b.p;
}

/* Group storage. */

static size_t
new_group(void)
{
	size_t id = S.ngroups++;

	if (id == S.cap) {
		S.cap = S.cap ? 2 * S.cap : 64;
		S.fs = xrealloc(S.fs, S.cap * (size_t)S.nfields * sizeof(*S.fs));
		S.cm = xrealloc(S.cm, S.cap * (size_t)S.ncm * sizeof(*S.cm));
		S.dirty = xrealloc(S.dirty, S.cap);
		S.changed = xrealloc(S.changed, S.cap * sizeof(*S.changed));
	}
	for (int i = 0; i < S.nfields; i++) {
		fstate_init(&S.fs[id * (size_t)S.nfields + (size_t)i], &S.need);
		if (S.sketching)
			fstate_shrink(&S.fs[id * (size_t)S.nfields + (size_t)i], &S.need);
	}
	for (int k = 0; k < S.ncm; k++)
		comoments_init(&S.cm[id * (size_t)S.ncm + (size_t)k]);
	S.dirty[id] = 0;
	return id;
}

static void
touch(size_t id)
{
	if (!S.dirty[id]) {
		S.dirty[id] = 1;
		S.changed[S.nchanged++] = id;
	}
}

/* Past --max-memory: every group's exact state goes to sketches, and new
 * groups start with them. */
static void
check_memory(void)
{
	if (S.sketching || S.max_memory == 0 || S.exact_bytes <= S.max_memory)
		return;
	S.sketching = 1;
	for (size_t i = 0; i < S.ngroups * (size_t)S.nfields; i++)
		S.exact_bytes -= fstate_shrink(&S.fs[i], &S.need);
	if (S.need.values)
		diag_warn("exact state passed --max-memory (%zu bytes): percentiles now come "
		    "from a sketch within %g%% relative error", S.max_memory, QSK_ALPHA * 100);
	if (S.need.distinct)
		diag_warn("exact state passed --max-memory (%zu bytes): distinct now comes "
		    "from HyperLogLog (1.6%% standard error)", S.max_memory);
	if (S.need.mode)
		diag_warn("exact state passed --max-memory (%zu bytes): mode now keeps the %d most frequent values of each group and field "
		    "(right when the mode leads the next value by more than 1/%d of the values)",
		    S.max_memory, MODE_KEEP, MODE_KEEP + 1);
}

/* The group key: for each --by field a 4-byte length and the value's JSON
 * text (compacted; missing is null, as Spark groups it). */
static void
key_add(struct json_val v)
{
	size_t at = S.key.len;
	uint32_t n;

	buf_grow(&S.key, 4);
	S.key.len += 4;
	if (v.type == JSON_NONE)
		buf_add(&S.key, "null", 4);
	else if ((v.type != JSON_OBJECT && v.type != JSON_ARRAY) ||
	    json_compact(v.p, v.len, &S.key, NULL) < 0)
		buf_add(&S.key, v.p, v.len);
	n = (uint32_t)(S.key.len - at - 4);
	memcpy(S.key.p + at, &n, 4);
}

static const char *
key_next(const char *p, const char **val, size_t *n)
{
	uint32_t len;

	memcpy(&len, p, 4);
	*val = p + 4;
	*n = len;
	return p + 4 + len;
}

static void
reject(const char *why)
{
	diag_reject(S.cur->file, S.cur->lineno, S.cur->p, S.cur->len, "%s", why);
}

/* Find the group of a record by its --by fields: -1 if malformed. */
static long
group_of(const struct line *l, const struct path *by)
{
	struct json_val v;

	buf_reset(&S.key);
	for (int i = 0; i < S.nby; i++) {
		int r = json_lookup(l->p, l->len, &by[i], &v);
		if (r < 0)
			return -1;
		if (r == 0)
			v.type = JSON_NONE;
		key_add(v);
	}
	int added;
	size_t id = group_intern(S.groups, S.key.p, S.key.len, &added);
	if (added)
		new_group();
	return (long)id;
}

/* Fields are found without parsing the whole line, so at least its ends
 * are checked: a truncated record is rejected, not half counted. */
static int
is_object(const struct line *l)
{
	size_t i = 0, end = l->len;

	while (i < end && (l->p[i] == ' ' || l->p[i] == '\t'))
		i++;
	while (end > i && (l->p[end - 1] == ' ' || l->p[end - 1] == '\t'))
		end--;
	return end - i >= 2 && l->p[i] == '{' && l->p[end - 1] == '}';
}

static int
blank(const struct line *l)
{
	for (size_t i = 0; i < l->len; i++)
		if (l->p[i] != ' ' && l->p[i] != '\t' && l->p[i] != '\r')
			return 0;
	return 1;
}

/* Returns the group id, or -1 when the record was rejected. */
static long
add_record(const struct line *l)
{
	if (!is_object(l)) {
		reject("not a JSON object");
		return -1;
	}
	for (int c = 0; c < S.ncols; c++) {
		int r = json_lookup(l->p, l->len, &S.cols[c].path, &S.val[c]);
		if (r < 0) {
			reject("malformed JSON");
			return -1;
		}
		if (r == 0)
			S.val[c].type = JSON_NONE;
	}
	long id = group_of(l, S.by);
	if (id < 0) {
		reject("malformed JSON");
		return -1;
	}
	for (int c = 0; c < S.ncols; c++) {
		struct json_val v = S.val[c];
		int k = agg_number(v, &S.num[c]);
		S.isnum[c] = k == 1;
		if (k < 0 && S.cols[c].huge++ == 0)
			diag_warn("%s:%" PRIu64 ": field %s: %.*s is beyond the range of a double; "
			    "such numbers are left out of its statistics", l->file, l->lineno,
			    S.cols[c].path.text, (int)(v.len > 40 ? 40 : v.len), v.p);
		if (k == 0 && S.cols[c].numeric && v.type != JSON_NONE && v.type != JSON_NULL &&
		    S.cols[c].nonnum++ == 0)
			diag_warn("%s:%" PRIu64 ": field %s: %.*s is not a number; "
			    "such values are left out of its statistics", l->file, l->lineno,
			    S.cols[c].path.text, (int)(v.len > 40 ? 40 : v.len), v.p);
	}
	struct fstate *fs = &S.fs[(size_t)id * (size_t)S.nfields];
	for (int i = 0; i < S.nfields; i++) {
		int c = S.fcol[i];
		long d = fstate_add(&fs[i], &S.need, S.val[c], S.isnum[c], S.num[c]);
		S.exact_bytes += (size_t)d;
	}
	struct comoments *cm = &S.cm[(size_t)id * (size_t)S.ncm];
	for (int k = 0; k < S.npairs; k++) {
		int x = S.pairs[k][0], y = S.pairs[k][1];
		if (S.isnum[x] && S.isnum[y])
			comoments_add(&cm[k], S.num[x], S.num[y]);
	}
	for (int i = 0, k = S.npairs; i < S.ncorr; i++)
		for (int j = i; j < S.ncorr; j++, k++) {
			int x = S.ccol[i], y = S.ccol[j];
			if (S.isnum[x] && S.isnum[y])
				comoments_add(&cm[k], S.num[x], S.num[y]);
		}
	check_memory();
	return id;
}

/* --merge: one --partial record. */
static long
merge_record(const struct line *l)
{
	static const struct path_step st = {"_jstats", 7, 0};
	static const struct path state = {"_jstats", 1, (struct path_step *)&st};
	struct json_val v, x, k;
	struct json_iter it, ai;

	if (!is_object(l)) {
		reject("not a JSON object");
		return -1;
	}
	if (json_lookup(l->p, l->len, &state, &v) != 1 || v.type != JSON_OBJECT) {
		reject("not a jstats --partial state (no \"_jstats\" object)");
		return -1;
	}
	/* Check everything before changing any state. */
	struct json_val sig = {0}, f = {0}, c = {0};
	json_iter_init(&it, v);
	int r;
	while ((r = json_iter_next(&it, &k, &x)) == 1) {
		if (json_string_eq(k, "sig", 3))
			sig = x;
		else if (json_string_eq(k, "fields", 6))
			f = x;
		else if (json_string_eq(k, "comoments", 9))
			c = x;
	}
	if (r < 0 || sig.type != JSON_STRING || f.type != JSON_ARRAY || c.type != JSON_ARRAY) {
		reject("malformed jstats state");
		return -1;
	}
	const char *differs = stats_sig_differs(sig.p + 1, sig.len - 2, S.sig);
	if (differs) {
		diag_reject(S.cur->file, S.cur->lineno, S.cur->p, S.cur->len,
		    "state from jstats with another %s", differs);
		return -1;
	}
	/* A state is taken whole or not at all: read each part into a
	 * scratch state first. */
	struct json_val *fv = S.fv, *cv = S.cv;
	struct comoments *cm = S.tmpcm;
	json_iter_init(&ai, f);
	for (int i = 0; i < S.nfields; i++) {
		struct fstate t;
		long d;
		char why[200] = "missing";
		fstate_init(&t, &S.need);
		int bad = json_iter_next(&ai, &k, &fv[i]) != 1 ||
		    fstate_get(fv[i], &t, &S.need, &d, why, sizeof(why)) < 0;
		fstate_free(&t);
		if (bad) {
			diag_reject(S.cur->file, S.cur->lineno, S.cur->p, S.cur->len,
			    "jstats state of field %s: %s", S.cols[S.fcol[i]].path.text, why);
			return -1;
		}
	}
	json_iter_init(&ai, c);
	for (int i = 0; i < S.ncm; i++) {
		comoments_init(&cm[i]);
		if (json_iter_next(&ai, &k, &cv[i]) != 1 || comoments_get(cv[i], &cm[i]) < 0) {
			reject("malformed jstats pair state");
			return -1;
		}
	}
	long id = group_of(l, S.bylit);
	if (id < 0) {
		reject("malformed JSON");
		return -1;
	}
	for (int i = 0; i < S.nfields; i++) {
		long d = 0;
		char why[200];
		fstate_get(fv[i], &S.fs[(size_t)id * (size_t)S.nfields + (size_t)i], &S.need, &d,
		    why, sizeof(why));
		S.exact_bytes += (size_t)d;
	}
	for (int i = 0; i < S.ncm; i++)
		comoments_merge(&S.cm[(size_t)id * (size_t)S.ncm + (size_t)i], &cm[i]);
	check_memory();
	return id;
}

/* Output. */

static void
write_group_fields(struct jw *w, size_t id)
{
	size_t n;
	const char *p = group_key(S.groups, id, &n);

	for (int i = 0; i < S.nby; i++) {
		const char *v;
		size_t vn;
		p = key_next(p, &v, &vn);
		jw_key(w, S.by[i].text, strlen(S.by[i].text));
		jw_raw(w, v, vn);
	}
}

static void
write_stats(struct jw *w, size_t id)
{
	for (int i = 0; i < S.nfields; i++)
		fstate_write(w, &S.fs[id * (size_t)S.nfields + (size_t)i], S.st, S.nst,
		    S.cols[S.fcol[i]].path.text, &S.scratch);
	for (int k = 0; k < S.npairs; k++) {
		struct buf pre = BUF_INIT;
		buf_printf(&pre, "%s_%s", S.cols[S.pairs[k][0]].path.text,
		    S.cols[S.pairs[k][1]].path.text);
		pair_write(w, &S.cm[id * (size_t)S.ncm + (size_t)k], S.pst, S.npst, pre.p, &S.scratch);
		buf_free(&pre);
	}
}

static const struct comoments *
corr_state(size_t id, int i, int j)
{
	if (i > j) {
		int t = i;
		i = j;
		j = t;
	}
	/* Row i of the upper triangle starts after rows 0..i-1. */
	int k = S.npairs + i * S.ncorr - i * (i - 1) / 2 + (j - i);
	return &S.cm[id * (size_t)S.ncm + (size_t)k];
}

static void
emit_group(size_t id)
{
	struct jw w;

	if (S.ncorr && !S.partial) {
		/* The matrix: one row per field. */
		for (int i = 0; i < S.ncorr; i++) {
			buf_reset(&S.out);
			jw_init(&w, &S.out);
			jw_object(&w);
			write_group_fields(&w, id);
			jw_key(&w, "field", 5);
			jw_string(&w, S.cols[S.ccol[i]].path.text, strlen(S.cols[S.ccol[i]].path.text));
			for (int j = 0; j < S.ncorr; j++) {
				buf_reset(&S.scratch);
				buf_printf(&S.scratch, "corr_%s", S.cols[S.ccol[j]].path.text);
				jw_key(&w, S.scratch.p, S.scratch.len);
				jw_double(&w, comoments_corr(corr_state(id, i, j)));
			}
			jw_end(&w);
			out_line(S.out.p, S.out.len);
		}
		return;
	}
	buf_reset(&S.out);
	jw_init(&w, &S.out);
	jw_object(&w);
	write_group_fields(&w, id);
	if (S.partial) {
		jw_key(&w, "_jstats", 7);
		jw_object(&w);
		jw_key(&w, "sig", 3);
		jw_string(&w, S.sig, strlen(S.sig));
		jw_key(&w, "fields", 6);
		jw_array(&w);
		for (int i = 0; i < S.nfields; i++)
			fstate_put(&w, &S.fs[id * (size_t)S.nfields + (size_t)i], &S.need);
		jw_end(&w);
		jw_key(&w, "comoments", 9);
		jw_array(&w);
		for (int k = 0; k < S.ncm; k++)
			comoments_put(&w, &S.cm[id * (size_t)S.ncm + (size_t)k]);
		jw_end(&w);
		jw_end(&w);
	} else
		write_stats(&w, id);
	jw_end(&w);
	out_line(S.out.p, S.out.len);
}

/* --sort: by the --by values, field by field: null, false, true, numbers
 * (by value), strings (by bytes), then arrays and objects (by text). */
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
cmp_groups(const void *a, const void *b)
{
	size_t na, nb;
	const char *pa = group_key(S.groups, *(const size_t *)a, &na);
	const char *pb = group_key(S.groups, *(const size_t *)b, &nb);

	for (int i = 0; i < S.nby; i++) {
		const char *va, *vb;
		size_t la, lb;
		struct json_val ja, jb;
		pa = key_next(pa, &va, &la);
		pb = key_next(pb, &vb, &lb);
		if (json_value(va, va + la, &ja) == NULL)
			ja.type = JSON_NONE;
		if (json_value(vb, vb + lb, &jb) == NULL)
			jb.type = JSON_NONE;
		int ra = type_rank(ja), rb = type_rank(jb);
		if (ra != rb)
			return ra - rb;
		double da, db;
		if (ra == 3 && json_to_double(ja, &da) == 0 && json_to_double(jb, &db) == 0 && da != db)
			return da < db ? -1 : 1;
		int c = memcmp(va, vb, la < lb ? la : lb);
		if (c || la != lb)
			return c ? c : la < lb ? -1 : 1;
	}
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
	return (ia > ib) - (ia < ib);
}

static void
emit_ids(size_t *ids, size_t n)
{
	if (S.sort)
		qsort(ids, n, sizeof(*ids), cmp_groups);
	for (size_t i = 0; i < n; i++)
		emit_group(ids[i]);
}

static void
emit_changed(void)
{
	emit_ids(S.changed, S.nchanged);
	for (size_t i = 0; i < S.nchanged; i++)
		S.dirty[S.changed[i]] = 0;
	S.nchanged = 0;
	out_flush();
}

static void
emit_all(void)
{
	size_t *ids = xmalloc((S.ngroups ? S.ngroups : 1) * sizeof(*ids));

	for (size_t i = 0; i < S.ngroups; i++)
		ids[i] = i;
	emit_ids(ids, S.ngroups);
	free(ids);
}

/* --running: where the record's closing brace is, so the running
 * statistics can go before it; 0 if the record does not end in one. */
static size_t
closing_brace(const struct line *l, int *empty)
{
	size_t end = l->len;

	while (end > 0 && (l->p[end - 1] == ' ' || l->p[end - 1] == '\t'))
		end--;
	if (end < 2 || l->p[end - 1] != '}')
		return 0;
	size_t inner = end - 1;
	while (inner > 0 && (l->p[inner - 1] == ' ' || l->p[inner - 1] == '\t'))
		inner--;
	*empty = l->p[inner - 1] == '{';
	return end - 1;
}

static void
emit_running(const struct line *l, size_t end, int empty, size_t id)
{
	struct jw w;

	buf_reset(&S.scratch2);
	jw_init(&w, &S.scratch2);
	jw_object(&w);
	write_stats(&w, id);
	jw_end(&w);
	buf_reset(&S.out);
	buf_add(&S.out, l->p, end);
	if (!empty)
		buf_addc(&S.out, ',');
	/* The statistics' members, without their braces. */
	buf_add(&S.out, S.scratch2.p + 1, S.scratch2.len - 1);
	out_line(S.out.p, S.out.len);
}

static void
setup(const char *stats, const char *fields, const char **pairs, int npairs, const char *corr)
{
	char err[256];
	struct path *p;
	int n;

	if (stats_parse(stats, &S.st, &S.nst, &S.pst, &S.npst, err, sizeof(err)) < 0)
		diag_usage("--stats: %s", err);
	for (int i = 0; i < S.nst + S.npst; i++)
		for (int j = 0; j < i; j++) {
			const struct stat *a = i < S.nst ? &S.st[i] : &S.pst[i - S.nst];
			const struct stat *b = j < S.nst ? &S.st[j] : &S.pst[j - S.nst];
			if (strcmp(a->name, b->name) == 0)
				diag_usage("--stats: %s named twice", a->name);
		}
	stats_needs(S.st, S.nst, &S.need);
	if (fields) {
		p = parse_paths("--fields", fields, &n);
		S.fcol = xmalloc((size_t)n * sizeof(int));
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < i; j++)
				if (strcmp(p[i].text, p[j].text) == 0)
					diag_usage("--fields: %s named twice", p[i].text);
			S.fcol[S.nfields++] = add_col(&p[i], S.need.numeric);
		}
		free(p);
	}
	if (npairs && S.npst == 0)
		stats_parse("cov_samp,cov_pop,corr", &S.st, &S.nst, &S.pst, &S.npst, err, sizeof(err));
	S.pairs = xmalloc((size_t)(npairs ? npairs : 1) * sizeof(*S.pairs));
	for (int k = 0; k < npairs; k++) {
		p = parse_paths("--pair", pairs[k], &n);
		if (n != 2)
			diag_usage("--pair wants two fields X,Y, not '%s'", pairs[k]);
		S.pairs[k][0] = add_col(&p[0], 1);
		S.pairs[k][1] = add_col(&p[1], 1);
		S.npairs++;
		free(p);
	}
	if (corr) {
		if (fields || npairs)
			diag_usage("--corr prints a matrix; ask for --fields or --pair in another run");
		p = parse_paths("--corr", corr, &n);
		if (n < 2)
			diag_usage("--corr wants two or more fields");
		S.ccol = xmalloc((size_t)n * sizeof(int));
		for (int i = 0; i < n; i++)
			S.ccol[S.ncorr++] = add_col(&p[i], 1);
		free(p);
	}
	if (S.npst && !S.npairs)
		diag_usage("--stats: cov_samp, cov_pop and corr need --pair X,Y (or --corr)");
	if (S.nfields == 0 && S.npairs == 0 && S.ncorr == 0)
		diag_usage("nothing to compute: name fields with -f, --pair or --corr");
	S.ncm = S.npairs + S.ncorr * (S.ncorr + 1) / 2;
	make_sig(stats);
	if (S.merge) {
		/* Group fields arrive under their path text as a literal name. */
		S.bylit = xcalloc((size_t)(S.nby ? S.nby : 1), sizeof(*S.bylit));
		for (int i = 0; i < S.nby; i++) {
			struct path_step *st = xcalloc(1, sizeof(*st));
			st->key = S.by[i].text;
			st->keylen = strlen(S.by[i].text);
			S.bylit[i] = (struct path){S.by[i].text, 1, st};
		}
	}
	S.fv = xcalloc((size_t)S.nfields + 1, sizeof(*S.fv));
	S.cv = xcalloc((size_t)S.ncm + 1, sizeof(*S.cv));
	S.tmpcm = xcalloc((size_t)S.ncm + 1, sizeof(*S.tmpcm));
	S.val = xcalloc((size_t)S.ncols + 1, sizeof(*S.val));
	S.num = xcalloc((size_t)S.ncols + 1, sizeof(*S.num));
	S.isnum = xcalloc((size_t)S.ncols + 1, 1);
	S.groups = group_new();
	if (S.nby == 0) {
		/* One group, reported even when no record came. */
		group_intern(S.groups, "", 0, NULL);
		new_group();
	}
}

enum {
	OPT_PAIR = 256, OPT_CORR, OPT_SORT, OPT_EVERY, OPT_INTERVAL, OPT_RUNNING,
	OPT_PARTIAL, OPT_MERGE, OPT_MAXMEM, OPT_ERRORS, OPT_HELP, OPT_VERSION
};

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"by", required_argument, NULL, 'b'},
		{"fields", required_argument, NULL, 'f'},
		{"stats", required_argument, NULL, 's'},
		{"pair", required_argument, NULL, OPT_PAIR},
		{"corr", required_argument, NULL, OPT_CORR},
		{"sort", no_argument, NULL, OPT_SORT},
		{"every", required_argument, NULL, OPT_EVERY},
		{"interval", required_argument, NULL, OPT_INTERVAL},
		{"running", no_argument, NULL, OPT_RUNNING},
		{"partial", no_argument, NULL, OPT_PARTIAL},
		{"merge", no_argument, NULL, OPT_MERGE},
		{"max-memory", required_argument, NULL, OPT_MAXMEM},
		{"errors", required_argument, NULL, OPT_ERRORS},
		{"help", no_argument, NULL, OPT_HELP},
		{"version", no_argument, NULL, OPT_VERSION},
		{NULL, 0, NULL, 0}
	};
	const char *stats = DEFAULT_STATS, *fields = NULL, *corr = NULL;
	const char **pairs = S.pairargs = xcalloc((size_t)argc, sizeof(*pairs));
	int npairs = 0, unbuffered = 0, c;
	char *end;

	diag_init("jstats");
	S.max_memory = parse_size(DEFAULT_MAX_MEMORY);
	while ((c = getopt_long(argc, argv, "b:f:s:uq", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			S.by = parse_paths("--by", optarg, &S.nby);
			break;
		case 'f': fields = optarg; break;
		case 's': stats = optarg; break;
		case OPT_PAIR: pairs[npairs++] = optarg; break;
		case OPT_CORR: corr = optarg; break;
		case OPT_SORT: S.sort = 1; break;
		case OPT_EVERY:
			errno = 0;
			S.every = strtoull(optarg, &end, 10);
			if (errno || *end || S.every == 0 || optarg[0] == '-')
				diag_usage("--every: '%s' is not a positive count of records", optarg);
			break;
		case OPT_INTERVAL:
			if (duration_parse(optarg, &S.interval_us) < 0 || S.interval_us == 0)
				diag_usage("--interval: '%s' is not a duration such as 10s or 1 minute", optarg);
			break;
		case OPT_RUNNING: S.running = 1; break;
		case OPT_PARTIAL: S.partial = 1; break;
		case OPT_MERGE: S.merge = 1; break;
		case OPT_MAXMEM: S.max_memory = parse_size(optarg); break;
		case OPT_ERRORS: diag_dead_letter(optarg); break;
		case 'u': unbuffered = 1; break;
		case 'q': diag_quiet(1); break;
		case OPT_HELP: usage(stdout); return EXIT_OK;
		case OPT_VERSION: printf("jstats kpipe %s\n", KPIPE_VERSION); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (S.partial && S.merge)
		diag_usage("--partial and --merge exclude each other (merge, then --partial is not needed)");
	if (S.running && (S.every || S.interval_us || S.partial || S.merge || corr))
		diag_usage("--running does not combine with --every, --interval, --partial, --merge or --corr");
	if (S.partial && (S.every || S.interval_us))
		diag_usage("--partial states are final: no --every or --interval");
	setup(stats, fields, pairs, npairs, corr);

	struct input in;
	struct line l;
	uint64_t nrec = 0;
	int64_t deadline = S.interval_us ? input_clock_us() + S.interval_us : 0;

	out_init(unbuffered);
	input_open(&in, argc - optind, argv + optind);
	for (;;) {
		if (S.interval_us) {
			input_wait(&in, deadline);
			if (input_clock_us() >= deadline) {
				emit_changed();
				deadline = input_clock_us() + S.interval_us;
			}
		}
		if (!input_next(&in, &l))
			break;
		S.cur = &l;
		if (blank(&l))
			continue;
		size_t brace = 0;
		int empty = 0;
		if (S.running && (brace = closing_brace(&l, &empty)) == 0) {
			reject("not a JSON object (no closing brace)");
			continue;
		}
		long id = S.merge ? merge_record(&l) : add_record(&l);
		if (id >= 0) {
			if (S.running)
				emit_running(&l, brace, empty, (size_t)id);
			else
				touch((size_t)id);
		}
		if (S.every && ++nrec % S.every == 0)
			emit_changed();
		out_idle(&in);
	}
	input_close(&in);
	if (S.every || S.interval_us)
		emit_changed();
	else if (!S.running)
		emit_all();
	out_flush();

	int rc = diag_finish();
	for (int i = 0; i < S.ncols; i++)
		if (S.cols[i].nonnum) {
			diag_warn("field %s: %" PRIu64 " non-numeric value%s left out of its statistics",
			    S.cols[i].path.text, S.cols[i].nonnum, S.cols[i].nonnum == 1 ? "" : "s");
			if (rc == EXIT_OK)
				rc = EXIT_REJECTED;
		}
	for (int i = 0; i < S.ncols; i++)
		if (S.cols[i].huge) {
			diag_warn("field %s: %" PRIu64 " number%s beyond the range of a double left out of its statistics",
			    S.cols[i].path.text, S.cols[i].huge, S.cols[i].huge == 1 ? "" : "s");
			rc = rc == EXIT_OK ? EXIT_REJECTED : rc;
		}
	if (stats_overflows()) {
		diag_warn("%" PRIu64 " result%s beyond the range of a double written as null",
		    stats_overflows(), stats_overflows() == 1 ? "" : "s");
		rc = rc == EXIT_OK ? EXIT_REJECTED : rc;
	}
	return rc;
}
