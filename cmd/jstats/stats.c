#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "stats.h"

/* The end of one item of a --stats list: the first comma outside
 * parentheses and brackets. */
static size_t
item_len(const char *s)
{
	int depth = 0;
	size_t i = 0;

	for (; s[i] && (s[i] != ',' || depth > 0); i++) {
		if (s[i] == '(' || s[i] == '[')
			depth++;
		else if ((s[i] == ')' || s[i] == ']') && depth > 0)
			depth--;
	}
	return i;
}

/* NAME or NAME(PERCENTAGES). */
static int
stat_parse(const char *s, size_t len, struct stat_spec *st, char *err, size_t errlen)
{
	const char *open = memchr(s, '(', len);
	size_t nlen = open ? (size_t)(open - s) : len;

	if (len == 0 || agg_lookup(s, nlen, &st->call) != 0 || st->call.fn == AGG_COUNT_ROWS) {
		snprintf(err, errlen, "unknown statistic '%.*s'", (int)len, s);
		return -1;
	}
	if (open == NULL && st->call.wants_ps) {
		snprintf(err, errlen, "%.*s needs percentages: %.*s(0.9), or use p90 or median",
			 (int)len, s, (int)len, s);
		return -1;
	}
	if (open != NULL) {
		if (!st->call.wants_ps || s[len - 1] != ')') {
			snprintf(err, errlen, "'%.*s': only percentile and approx_percentile take "
				 "arguments here", (int)len, s);
			return -1;
		}
		char *args = xstrndup(open + 1, len - nlen - 2);
		int r = agg_parse_ps(&st->call, args, err, errlen);
		free(args);
		if (r != 0)
			return -1;
	}
	return 0;
}

int
stats_parse(const char *list, struct stat_spec **v, int *n, struct stat_spec **pv, int *pn,
	    char *err, size_t errlen)
{
	const char *s = list;

	for (;;) {
		size_t len = item_len(s);
		struct stat_spec st;

		if (stat_parse(s, len, &st, err, errlen) < 0)
			return -1;
		st.name = xstrndup(s, len);
		if (st.call.nfields == 2) {
			*pv = xrealloc(*pv, (size_t)(*pn + 1) * sizeof(**pv));
			(*pv)[(*pn)++] = st;
		} else {
			*v = xrealloc(*v, (size_t)(*n + 1) * sizeof(**v));
			(*v)[(*n)++] = st;
		}
		if (s[len] == '\0')
			return 0;
		s += len + 1;
	}
}

void
stats_needs(struct stat_spec *v, int n, struct needs *need)
{
	memset(need, 0, sizeof(*need));
	for (int i = 0; i < n; i++)
		agg_plan_add(&need->plan, &v[i].call, 0, -1);
	agg_plan_layout(&need->plan);
	int bits = agg_plan_shrinks(&need->plan);
	need->numeric = need->plan.nfields > 0 && need->plan.numeric[0];
	need->values = (bits & 1) != 0;
	need->distinct = (bits & 2) != 0;
	need->mode = (bits & 4) != 0;
}

void
fstate_init(struct fstate *f, const struct needs *need)
{
	f->plan = &need->plan;
	f->st = xmalloc(need->plan.size ? need->plan.size : 1);
	f->seq = 0;
	agg_state_init(f->plan, f->st);
}

void
fstate_free(struct fstate *f)
{
	agg_state_free(f->plan, f->st);
	free(f->st);
	f->st = NULL;
}

size_t
fstate_exact_bytes(const struct fstate *f)
{
	return agg_state_bytes(f->plan, f->st);
}

long
fstate_add(struct fstate *f, const struct needs *need, struct json_val v, int isnum, double num)
{
	unsigned char is = (unsigned char)isnum;
	struct agg_rec r = {&v, f->seq++, &num, &is};

	(void)need;
	return agg_state_add(f->plan, f->st, &r);
}

size_t
fstate_shrink(struct fstate *f, const struct needs *need)
{
	(void)need;
	return agg_state_shrink(f->plan, f->st);
}

static uint64_t overflows;

uint64_t
stats_overflows(void)
{
	return overflows;
}

static void
key(struct jw *w, struct buf *scratch, const char *prefix, const char *name)
{
	buf_reset(scratch);
	buf_adds(scratch, prefix);
	buf_addc(scratch, '_');
	buf_adds(scratch, name);
	jw_key(w, scratch->p, scratch->len);
}

static void
count_overflow(const struct buf *name)
{
	if (overflows++ == 0)
		diag_warn("%s: the result is beyond the range of a double (written as null)", name->p);
}

void
fstate_write(struct jw *w, struct fstate *f, const struct stat_spec *st, int nst,
	     const char *prefix, struct buf *scratch)
{
	for (int i = 0; i < nst; i++) {
		key(w, scratch, prefix, st[i].name);
		if (agg_result(f->plan, f->st, i, w) == AGG_OVERFLOW)
			count_overflow(scratch);
	}
}

void
pair_write(struct jw *w, const struct comoments *c, const struct stat_spec *st, int nst,
	   const char *prefix, struct buf *scratch)
{
	for (int i = 0; i < nst; i++) {
		double r;
		int defined;
		key(w, scratch, prefix, st[i].name);
		switch (st[i].call.fn) {
		case AGG_COVAR_SAMP:
			r = comoments_covar_samp(c);
			defined = c->n > 1;
			break;
		case AGG_COVAR_POP:
			r = comoments_covar_pop(c);
			defined = c->n > 0;
			break;
		default:
			r = comoments_corr(c);
			defined = c->n > 1 && c->m2_x != 0 && c->m2_y != 0;
			break;
		}
		if (defined && !isfinite(r)) {
			jw_null(w);
			count_overflow(scratch);
		} else {
			jw_double(w, r);
		}
	}
}

/* The compact text of a state's "aggs", for its checksum: scratch of
 * fstate_put and checked_aggs, given back by stats_scratch_free. */
static struct buf text;

void
stats_scratch_free(void)
{
	buf_free(&text);
}

/* {"NAME":<text>,"sum":"<16 hex digits>"}: a saved state and its
 * checksum, taken over its compact text (in text), so that a damaged
 * state is refused instead of merged into a wrong answer. */
static void
seal_put(struct jw *w, const char *name)
{
	char sum[17];

	snprintf(sum, sizeof sum, "%016" PRIx64, agg_checksum(text.p, text.len));
	jw_object(w);
	jw_key(w, name, strlen(name));
	jw_raw(w, text.p, text.len);
	jw_key(w, "sum", 3);
	jw_string(w, sum, 16);
	jw_end(w);
}

void
fstate_put(struct jw *w, const struct fstate *f, const struct needs *need)
{
	struct jw tw;

	(void)need;
	buf_reset(&text);
	jw_init(&tw, &text);
	agg_state_save(f->plan, f->st, &tw);
	seal_put(w, "aggs");
}

void
pairs_put(struct jw *w, const struct comoments *cm, int n)
{
	struct jw tw;

	buf_reset(&text);
	jw_init(&tw, &text);
	jw_array(&tw);
	for (int k = 0; k < n; k++)
		comoments_put(&tw, &cm[k]);
	jw_end(&tw);
	seal_put(w, "pairs");
}

/* The NAME member of a sealed state if its "sum" matches; 0 ok, -1 with
 * the reason in err. */
static int
seal_get(struct json_val v, const char *name, struct json_val *inner, char *err, size_t errlen)
{
	struct json_iter it;
	struct json_val k, x, sum = {0};
	char want[19];
	int r;

	inner->type = JSON_NONE;
	if (v.type != JSON_OBJECT || json_iter_init(&it, v) != 0) {
		snprintf(err, errlen, "not an object with \"%s\" and \"sum\"", name);
		return -1;
	}
	while ((r = json_iter_next(&it, &k, &x)) == 1) {
		if (json_string_eq(k, name, strlen(name)))
			*inner = x;
		else if (json_string_eq(k, "sum", 3))
			sum = x;
	}
	buf_reset(&text);
	if (r != 0 || inner->type == JSON_NONE || sum.type != JSON_STRING ||
	    json_compact(inner->p, inner->len, &text, NULL) != 0) {
		snprintf(err, errlen, "not an object with \"%s\" and \"sum\"", name);
		return -1;
	}
	snprintf(want, sizeof want, "\"%016" PRIx64 "\"", agg_checksum(text.p, text.len));
	if (sum.len != 18 || memcmp(sum.p, want, 18) != 0) {
		snprintf(err, errlen, "its checksum does not match (damaged)");
		return -1;
	}
	return 0;
}

int
fstate_get(struct json_val v, struct fstate *f, const struct needs *need, long *delta,
	   char *err, size_t errlen)
{
	struct fstate t;
	struct json_val aggs;
	size_t before = fstate_exact_bytes(f);

	*delta = 0;
	if (seal_get(v, "aggs", &aggs, err, errlen) != 0)
		return -1;
	fstate_init(&t, need);
	if (agg_state_load(f->plan, t.st, aggs, err, errlen) != 0) {
		fstate_free(&t);
		return -1;
	}
	agg_state_append(f->plan, f->st, t.st);
	fstate_free(&t);
	*delta = (long)fstate_exact_bytes(f) - (long)before;
	return 0;
}

int
pairs_get(struct json_val v, struct json_val *array, char *err, size_t errlen)
{
	if (seal_get(v, "pairs", array, err, errlen) != 0)
		return -1;
	if (array->type != JSON_ARRAY) {
		snprintf(err, errlen, "\"pairs\" is not an array");
		return -1;
	}
	return 0;
}

/* The value of "NAME=" in a signature of space-separated words; NULL if
 * absent.  *n gets its length. */
static const char *
sig_value(const char *sig, size_t len, const char *name, size_t *n)
{
	size_t k = strlen(name);

	for (const char *p = sig, *end = sig + len; p < end;) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		const char *we = sp ? sp : end;
		if ((size_t)(we - p) > k && memcmp(p, name, k) == 0 && p[k] == '=') {
			*n = (size_t)(we - p) - k - 1;
			return p + k + 1;
		}
		p = we + 1;
	}
	return NULL;
}

const char *
stats_sig_differs(const char *saved, size_t n, const char *ours)
{
	static const char *const opts[][2] = {
		{"by", "--by"}, {"fields", "--fields"}, {"stats", "--stats"},
		{"pairs", "--pair"}, {"corr", "--corr"},
	};
	size_t vl = strcspn(ours, " ");

	if (n < vl || memcmp(saved, ours, vl) != 0 || (n > vl && saved[vl] != ' '))
		return "version (a state from another version of jstats)";
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		size_t a = 0, b = 0;
		const char *x = sig_value(saved, n, opts[i][0], &a);
		const char *y = sig_value(ours, strlen(ours), opts[i][0], &b);
		if (x == NULL || y == NULL || a != b || memcmp(x, y, a) != 0)
			return opts[i][1];
	}
	return n == strlen(ours) && memcmp(saved, ours, n) == 0 ? NULL : "options";
}
