#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "state.h"
#include "stio.h"
#include "aggs.h"
#include "aggregate.h"
#include "json.h"
#include "outfile.h"

/* The file ends with a line "sum " and 16 hex digits: agg_checksum of
 * every byte before it, so a damaged or truncated file is refused rather
 * than read as a different state. */
#define SUM_LINE 21

/* The file's content without its sum line, if the sum matches. */
static int
verified_length(const char *text, size_t n, size_t *len)
{
	char want[SUM_LINE + 1];

	if (n < SUM_LINE)
		return -1;
	*len = n - SUM_LINE;
	snprintf(want, sizeof want, "sum %016" PRIx64 "\n", agg_checksum(text, *len));
	return memcmp(text + *len, want, SUM_LINE) == 0 ? 0 : -1;
}

/* The keys of the options string from main.c, in its order, and the
 * option each stands for, to name in a message. */
static const struct {
	const char *key, *option;
} options[] = {
	{"kind", "window kind (--tumble, --window or --session)"}, {"size", "window size"},
	{"slide", "--slide"}, {"offset", "--offset"}, {"gap", "--session gap"},
	{"wm", "--watermark"}, {"delay", "--watermark"}, {"emit", "--emit"},
	{"time", "--time"}, {"unit", "--epoch-unit"}, {"by", "--by"}, {"agg", "--agg"},
};
#define NOPTIONS (sizeof(options) / sizeof(options[0]))

/* The options string "kind=1 size=... agg=..." as a JSON object of
 * strings; values may hold spaces, so each runs to the next known key.
 * 0 ok; -1 if the string is not in that form. */
static int
options_object(const char *config, struct jw *w)
{
	const char *p = config;

	jw_object(w);
	for (size_t i = 0; i < NOPTIONS; i++) {
		size_t kn = strlen(options[i].key);
		if (strncmp(p, options[i].key, kn) != 0 || p[kn] != '=')
			return -1;
		p += kn + 1;
		const char *end = p + strlen(p);
		if (i + 1 < NOPTIONS) {
			char next[16];
			snprintf(next, sizeof next, " %s=", options[i + 1].key);
			end = strstr(p, next);
			if (end == NULL)
				return -1;
		}
		jw_key(w, options[i].key, kn);
		jw_string(w, p, (size_t)(end - p));
		p = *end ? end + 1 : end;
	}
	jw_end(w);
	return 0;
}

/* The header line: {"kpipe_state":2,"tool":"jwindow","options":{...}}. */
static void
header(const char *config, struct buf *out)
{
	struct jw w;
	struct buf opts = BUF_INIT;

	jw_init(&w, &opts);
	if (options_object(config, &w) != 0) {
		buf_reset(&opts);
		json_put_string(&opts, config, strlen(config));
	}
	buf_reset(out);
	buf_printf(out, "{\"kpipe_state\":%d,\"tool\":\"jwindow\",\"options\":%s}",
		   AGG_STATE_VERSION, opts.p);
	buf_free(&opts);
}

static struct json_val
member(struct json_val obj, const char *key)
{
	struct json_iter it;
	struct json_val k, v;

	if (obj.type == JSON_OBJECT && json_iter_init(&it, obj) == 0)
		while (json_iter_next(&it, &k, &v) == 1)
			if (json_string_eq(k, key, strlen(key)))
				return v;
	return (struct json_val){0};
}

/* Check the saved header against this run's: 0 if it matches; else -1
 * (another kind of file or version: a runtime failure) or -2 (a usage
 * error naming the first option that differs), with the message in msg. */
static int
check_header(const char *path, const char *saved, const char *config, char *msg, size_t msglen)
{
	struct buf want = BUF_INIT;
	struct json_val s, w, version;
	int r = -2;

	header(config, &want);
	if (json_value(saved, saved + strlen(saved), &s) == NULL || s.type != JSON_OBJECT ||
	    !json_string_eq(member(s, "tool"), "jwindow", 7)) {
		snprintf(msg, msglen, "%s: not a jwindow state file", path);
		r = -1;
		goto out;
	}
	version = member(s, "kpipe_state");
	if (version.type != JSON_NUMBER || version.len != 1 || version.p[0] != '0' + AGG_STATE_VERSION) {
		snprintf(msg, msglen, "%s: a state file of another version (%.*s; this jwindow reads %d)",
			 path, (int)version.len, version.p, AGG_STATE_VERSION);
		r = -1;
		goto out;
	}
	if (strcmp(saved, want.p) == 0) {
		r = 0;
		goto out;
	}
	json_value(want.p, want.p + want.len, &w);
	struct json_val so = member(s, "options"), wo = member(w, "options");
	for (size_t i = 0; i < NOPTIONS; i++) {
		struct json_val a = member(so, options[i].key), b = member(wo, options[i].key);
		if (a.len != b.len || memcmp(a.p, b.p, a.len) != 0) {
			snprintf(msg, msglen, "%s was saved with another %s; use the options it was "
				 "saved with, or another state file", path, options[i].option);
			goto out;
		}
	}
	snprintf(msg, msglen, "%s was saved with other options; use those, or another state file",
		 path);
out:
	buf_free(&want);
	return r;
}

/* Where the state is saved, checked when it is loaded, before any input. */
static struct outfile state_file;

/* The state is read back by the next run, so only a regular file (or a
 * new one) will do: a device or FIFO is a usage error before it is read,
 * and so is a directory that does not exist. */
static void
state_open(const char *path)
{
	if (outfile_open(&state_file, path, OUTFILE_REGULAR) != 0)
		diag_usage("%s: %s", path, outfile_error(&state_file));
}

int
state_read(const char *path, const char *text, size_t len, const char *config,
	   struct group_table *g, struct engine *e, char *msg, size_t msglen)
{
	struct buf b = BUF_INIT;
	char *line = NULL;
	size_t cap = 0, body;
	uint64_t n;
	const char *why = "the file ends early";
	int r = -1;
	FILE *f = NULL;

	if (len >= 15 && memcmp(text, "kpipe-jwindow-1", 15) == 0) {
		snprintf(msg, msglen, "%s: a state file of jwindow's first, binary format; finish it "
			 "with that jwindow's --flush, or remove it", path);
		return -1;
	}
	if (len == 0 || text[0] != '{') {
		snprintf(msg, msglen, "%s: not a jwindow state file", path);
		return -1;
	}
	if (verified_length(text, len, &body) != 0) {
		snprintf(msg, msglen, "%s: state file is damaged or truncated: its checksum does not "
			 "match", path);
		return -1;
	}
	f = fmemopen((char *)text, body, "rb");
	if (f == NULL) {
		snprintf(msg, msglen, "%s: %s", path, strerror(errno));
		return -1;
	}
	ssize_t got = getline(&line, &cap, f);
	if (got <= 0 || line[got - 1] != '\n') {
		snprintf(msg, msglen, "%s: not a jwindow state file", path);
		goto out;
	}
	line[got - 1] = '\0';
	if ((r = check_header(path, line, config, msg, msglen)) != 0)
		goto out;
	r = -1;
	if (st_get_u64(f, &n) != 0)
		goto bad;
	for (uint64_t i = 0; i < n; i++) {
		if (st_get_bytes(f, &b) != 0)
			goto bad;
		int added;
		if (group_intern(g, b.p, b.len, &added) != i || !added) {
			why = "a group is listed twice";
			goto bad;
		}
	}
	int loaded = engine_load(e, f, group_count(g));
	if (loaded == -2)
		why = "a window is listed twice or overlaps another";
	else if (loaded != 0 && aggs_load_error()[0])
		why = aggs_load_error();
	if (loaded != 0)
		goto bad;
	if (getc(f) != EOF) {
		why = "bytes after the last window";
		goto bad;
	}
	r = 0;
	goto out;
bad:
	snprintf(msg, msglen, "%s: state file is damaged or truncated: %s", path, why);
out:
	free(line);
	fclose(f);
	buf_free(&b);
	return r;
}

void
state_load(const char *path, const char *config, struct group_table *g, struct engine *e)
{
	state_open(path);
	FILE *file = fopen(path, "rb");
	struct buf all = BUF_INIT;
	char msg[8192];	/* a path of PATH_MAX and the reason */

	if (file == NULL) {
		if (errno == ENOENT)
			return;		/* the first run */
		diag_fatal("%s: %s", path, strerror(errno));
	}
	if (buf_read_stream(&all, file) != 0)
		diag_fatal("%s: %s", path, strerror(errno));
	fclose(file);
	switch (state_read(path, all.p, all.len, config, g, e, msg, sizeof msg)) {
	case -2:
		diag_usage("%s", msg);
	case -1:
		diag_fatal("%s", msg);
	}
	buf_free(&all);
}

/* Header, groups, windows: everything but the sum line. */
static void
write_state(FILE *f, const char *config, const struct group_table *g, const struct engine *e)
{
	struct buf head = BUF_INIT;
	size_t n = group_count(g);

	header(config, &head);
	st_put(f, head.p, head.len);
	st_put(f, "\n", 1);
	buf_free(&head);
	st_put_u64(f, n);
	for (size_t i = 0; i < n; i++) {
		size_t kn;
		const char *k = group_key(g, i, &kn);
		st_put_bytes(f, k, kn);
	}
	engine_save(e, f);
}

int
state_text(const char *config, const struct group_table *g, const struct engine *e,
	   char **text, size_t *len)
{
	FILE *m = open_memstream(text, len);

	if (m == NULL)
		return -1;
	write_state(m, config, g, e);
	if (fflush(m) != 0) {
		fclose(m);
		return -1;
	}
	fprintf(m, "sum %016" PRIx64 "\n", agg_checksum(*text, *len));
	return fclose(m);
}

void
state_save(const char *path, const char *config, const struct group_table *g,
	   const struct engine *e)
{
	char *mem = NULL;
	size_t memlen = 0;

	if (state_text(config, g, e, &mem, &memlen) != 0)
		diag_fatal("%s: %s", path, strerror(errno));
	if (!state_file.name)
		state_open(path);
	/* Only a complete file on disk may replace the old one. */
	if (outfile_replace(&state_file, mem, memlen) != 0 || outfile_close(&state_file) != 0)
		diag_fatal("%s: %s", path, outfile_error(&state_file));
	free(mem);
}

void
state_remove(const char *path)
{
	/* A symbolic link stays, as when the state is saved: its target goes. */
	if (unlink(state_file.target ? state_file.target : path) != 0 && errno != ENOENT)
		diag_fatal("%s: %s", path, strerror(errno));
	outfile_close(&state_file);	/* nothing was written: this frees its target */
}
