/*
 * --regex and the presets: a PCRE2 pattern, JIT-compiled when the
 * library can, whose named captures become the record's fields in the
 * order the groups appear.  Lines reach here already checked to be valid
 * UTF-8, so matching skips PCRE2's own check.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jparse.h"

struct capture {
	int group;
	const char *name;	/* into the pattern's name table */
	size_t namelen;
};

struct rx {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mc;
	pcre2_jit_stack *stack;
	int jit;
	struct capture *cap;
	int ncap;
	int dups;
};

static int
by_group(const void *a, const void *b)
{
	const struct capture *x = a, *y = b;

	return (x->group > y->group) - (x->group < y->group);
}

struct rx *
rx_compile(const char *pattern, char *err, size_t errlen)
{
	struct rx *x;
	int ecode;
	PCRE2_SIZE eoff;
	uint32_t count, entry;
	PCRE2_SPTR table;

	x = xcalloc(1, sizeof *x);
	x->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF, &ecode, &eoff, NULL);
	if (x->code == NULL) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(ecode, msg, sizeof msg);
		snprintf(err, errlen, "regex at offset %zu: %s", (size_t)eoff, (char *)msg);
		free(x);
		return NULL;
	}
	pcre2_pattern_info(x->code, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(x->code, PCRE2_INFO_NAMEENTRYSIZE, &entry);
	pcre2_pattern_info(x->code, PCRE2_INFO_NAMETABLE, &table);
	if (count == 0) {
		snprintf(err, errlen, "regex has no named captures (?<name>...)");
		rx_free(x);
		return NULL;
	}
	/* The name table is sorted by name; fields follow the pattern. */
	x->cap = xcalloc(count, sizeof *x->cap);
	x->ncap = (int)count;
	for (uint32_t i = 0; i < count; i++) {
		PCRE2_SPTR e = table + (size_t)i * entry;

		x->cap[i].group = (e[0] << 8) | e[1];
		x->cap[i].name = (const char *)e + 2;
		x->cap[i].namelen = strlen(x->cap[i].name);
		if (i > 0 && strcmp(x->cap[i].name, x->cap[i - 1].name) == 0)
			x->dups = 1;
	}
	qsort(x->cap, count, sizeof *x->cap, by_group);
	x->jit = pcre2_jit_compile(x->code, PCRE2_JIT_COMPLETE) == 0;
	x->md = pcre2_match_data_create_from_pattern(x->code, NULL);
	x->mc = pcre2_match_context_create(NULL);
	/* The default 32 KB JIT stack fails a repeated group after some
	 * thousand repetitions; 64 MB is mapped but only touched as needed. */
	if (x->jit && (x->stack = pcre2_jit_stack_create(32 * 1024, 64 << 20, NULL)) != NULL)
		pcre2_jit_stack_assign(x->mc, NULL, x->stack);
	return x;
}

static int
same_capture_name(const struct capture *a, const struct capture *b)
{
	return a->namelen == b->namelen && memcmp(a->name, b->name, a->namelen) == 0;
}

/* Under (?J) several groups share a name: the field is placed at the
 * first of them and takes the first that is set, as PCRE2's own
 * pcre2_substring_get_byname does (a group that did not take part must
 * not hide one that did).  The group for capture i; -2 when i is not the
 * first of its name (the field is already out). */
static int
name_group(const struct rx *x, int i, int rc)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->md);

	for (int j = 0; j < i; j++)
		if (same_capture_name(&x->cap[j], &x->cap[i]))
			return -2;
	for (int j = i; j < x->ncap; j++)
		if (same_capture_name(&x->cap[j], &x->cap[i]) && x->cap[j].group < rc &&
		    ov[2 * x->cap[j].group] != PCRE2_UNSET)
			return x->cap[j].group;
	return x->cap[i].group;
}

int
rx_match(struct rx *x, const char *p, size_t n, struct record_builder *r, const char **why)
{
	PCRE2_SIZE *ov;
	int rc;

	/* PCRE2's default limit (10 M steps) guards against runaway
	 * backtracking, but a plain linear pattern hits it on a line of some
	 * megabytes: let the limit grow with the line. */
	pcre2_set_match_limit(x->mc, n > 100000000 ? UINT32_MAX : 10000000 + 40 * (uint32_t)n);
	if (x->jit)
		rc = pcre2_jit_match(x->code, (PCRE2_SPTR)p, n, 0, 0, x->md, x->mc);
	else
		rc = pcre2_match(x->code, (PCRE2_SPTR)p, n, 0, PCRE2_NO_UTF_CHECK, x->md, x->mc);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0) {
		static PCRE2_UCHAR msg[256];

		pcre2_get_error_message(rc, msg, sizeof msg);
		*why = (const char *)msg;
		return -1;
	}
	ov = pcre2_get_ovector_pointer(x->md);
	for (int i = 0; i < x->ncap; i++) {
		const struct capture *c = &x->cap[i];
		int g = x->dups ? name_group(x, i, rc) : c->group;

		if (g == -2)
			continue;
		PCRE2_SIZE s = g < rc ? ov[2 * g] : PCRE2_UNSET;
		if (s == PCRE2_UNSET)
			rec_add(r, c->name, c->namelen, "", 0, V_NULL);
		else
			rec_add(r, c->name, c->namelen, p + s, ov[2 * g + 1] - s, V_TEXT);
	}
	return 1;
}

void
rx_free(struct rx *x)
{
	if (x == NULL)
		return;
	pcre2_match_data_free(x->md);
	pcre2_match_context_free(x->mc);
	pcre2_jit_stack_free(x->stack);
	pcre2_code_free(x->code);
	free(x->cap);
	free(x);
}
