/*
 * libFuzzer target for jparse's --regex and --format presets
 * (cmd/jparse/regex.c, presets.c).  The first byte picks a preset, or
 * --regex with the pattern on the first line of the input (then, by
 * another bit, wrapped in a named group so that it has one); the second
 * picks --strings and --time (the preset's own time field, or "t").  The
 * remaining lines are matched as jparse matches them: only those that are
 * valid UTF-8 without NUL bytes, the others being rejected before.
 *
 * Invariants, checked with abort():
 *   - a pattern that does not compile says why, and so does one that
 *     compiles without a named capture;
 *   - a line either matches, fails to match, or fails with a reason;
 *   - a matched line is written as one valid JSON object whose member
 *     names are the pattern's capture names, each exactly once (repeated
 *     names, under (?J), give one member); only --time may refuse to
 *     write it, and then with a reason;
 *   - with --strings (and no --time), each member's value is what PCRE2 itself gives for
 *     the name (pcre2_substring_get_byname: of repeated names the first
 *     group that is set), null when it is unset.
 *
 * FUZZ_LIBS: -lpcre2-8
 * FUZZ_DICT: regex.dict
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../cmd/jparse/regex.c"
#include "../../cmd/jparse/presets.c"
#include "../../cmd/jparse/record.c"
#include "../../cmd/jparse/infer.c"

/* Whether name is among names, NUL-separated. */
static int
has_member(const char *name, size_t n, const struct buf *names)
{
	for (size_t i = 0; i < names->len;) {
		size_t len = strlen(names->p + i);
		if (len == n && memcmp(names->p + i, name, n) == 0)
			return 1;
		i += len + 1;
	}
	return 0;
}

/* The member names of the object, decoded, NUL-separated, into names;
 * abort() when one occurs twice. */
static void
member_names(struct json_val obj, struct buf *names)
{
	struct json_iter it;
	struct json_val k, v;
	struct buf one = BUF_INIT;
	int r;

	buf_reset(names);
	if (json_iter_init(&it, obj) != 0)
		abort();
	while ((r = json_iter_next(&it, &k, &v)) == 1) {
		buf_reset(&one);
		if (json_string_decode(k, &one) != 0)
			abort();
		if (memchr(one.p ? one.p : "", '\0', one.len) ||
		    has_member(one.p ? one.p : "", one.len, names))
			abort();	/* capture names have no NUL; no repeats */
		buf_add(names, one.p ? one.p : "", one.len);
		buf_addc(names, '\0');
	}
	if (r != 0)
		abort();
	buf_free(&one);
}

/* The member called name in obj, as PCRE2 names its substring. */
static void
check_value(struct rx *x, struct json_val obj, const struct capture *c)
{
	struct json_iter it;
	struct json_val k, v;
	struct buf text = BUF_INIT;
	PCRE2_UCHAR *want;
	PCRE2_SIZE wantlen;
	int found = 0;

	if (json_iter_init(&it, obj) != 0)
		abort();
	while (!found && json_iter_next(&it, &k, &v) == 1)
		found = json_string_eq(k, c->name, c->namelen);
	if (!found)
		abort();
	int rc = pcre2_substring_get_byname(x->md, (PCRE2_SPTR)c->name, &want, &wantlen);
	if (rc == PCRE2_ERROR_UNSET) {
		if (v.type != JSON_NULL)
			abort();	/* a value for a group that took no part */
		return;
	}
	if (rc != 0)
		abort();
	if (v.type != JSON_STRING || json_string_decode(v, &text) != 0 || text.len != wantlen ||
	    (wantlen && memcmp(text.p, want, wantlen) != 0))
		abort();	/* not the text PCRE2 captured */
	pcre2_substring_free(want);
	buf_free(&text);
}

static void
match_line(struct rx *x, const struct emit *e, const char *p, size_t n)
{
	static struct record_builder r;
	static struct buf out, names;
	struct json_error err;
	struct json_val obj;
	const char *why = NULL;
	char msg[200] = "";

	rec_reset(&r);
	int rc = rx_match(x, p, n, &r, &why);
	if (rc == 0)
		return;
	if (rc < 0) {
		if (why == NULL || why[0] == '\0')
			abort();
		return;
	}
	if (rc != 1)
		abort();
	buf_reset(&out);
	if (rec_write(&r, e, NULL, 0, &out, msg, sizeof msg) != 0) {
		if (e->time == NULL || msg[0] == '\0')
			abort();
		return;
	}
	if (json_validate(out.p, out.len, &err) != 0 || out.p[0] != '{' ||
	    json_value(out.p, out.p + out.len, &obj) != out.p + out.len)
		abort();
	member_names(obj, &names);
	size_t members = 0;
	for (size_t i = 0; i < names.len; i++)
		members += names.p[i] == '\0';
	size_t distinct = 0;
	for (int i = 0; i < x->ncap; i++) {
		const struct capture *c = &x->cap[i];
		if (!has_member(c->name, c->namelen, &names))
			abort();	/* a named capture is missing */
		if (e->strings && e->time == NULL)
			check_value(x, obj, c);
		int first = 1;
		for (int j = 0; j < i; j++)
			if (x->cap[j].namelen == c->namelen &&
			    memcmp(x->cap[j].name, c->name, c->namelen) == 0)
				first = 0;
		distinct += first;
	}
	if (members != distinct)
		abort();	/* a member that is no capture */
}

/* --time FIELD, as jparse's options make it. */
static void
set_time(struct emit *e, const char *field)
{
	static struct path time;
	char err[100];

	path_free(&time);
	if (path_parse(field, &time, err, sizeof err) != 0)
		abort();
	e->time = &time;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const wrap_open = "(?<whole>", *const wrap_close = ")";
	const char *p = (const char *)data, *end = p + size;
	size_t npresets = 0;
	struct emit e = { 0 };
	struct rx *x;
	char err[300] = "";

	if (size < 2)
		return 0;
	while (presets[npresets].name)
		npresets++;
	unsigned choice = (unsigned char)data[0] % (npresets + 1);
	unsigned flags = (unsigned char)data[1];
	p += 2;
	e.strings = flags & 1;
	if (choice < npresets) {
		const struct preset *pr = &presets[choice];
		if (preset_find(pr->name) != pr)
			abort();
		if (flags & 2) {
			set_time(&e, pr->time_field);
			e.time_format = pr->time_format;
		}
		x = rx_compile(pr->pattern, err, sizeof err);
		if (x == NULL)
			abort();	/* the presets compile */
	} else {
		/* The pattern is a command-line argument: up to a NUL or the
		 * end of the first line. */
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct buf pat = BUF_INIT;
		if (flags & 4)
			buf_adds(&pat, wrap_open);
		buf_add(&pat, p, n);
		if (flags & 4)
			buf_adds(&pat, wrap_close);
		buf_addc(&pat, '\0');
		if (flags & 2)
			set_time(&e, "t");
		x = rx_compile(pat.p, err, sizeof err);
		buf_free(&pat);
		if (x == NULL) {
			if (err[0] == '\0')
				abort();
			return 0;
		}
		p += n + (nl != NULL);
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		size_t body = n > 0 && p[n - 1] == '\r' ? n - 1 : n;	/* as input.h cuts lines */
		if (!memchr(p, '\0', body) && utf8_validate(p, body, NULL) == 0)
			match_line(x, &e, p, body);
		p += n + 1;
	}
	rx_free(x);
	return 0;
}
