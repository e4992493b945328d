/*
 * A table from a file (table.h).  CSV and TSV tables are read by jparse
 * itself, run as a child (the jparse beside this program, else the one on
 * PATH), so that a table file is read by exactly jparse's rules with one
 * implementation of them: it writes the rows as NDJSON and its rejected
 * rows as dead letters into a private temporary directory, and jjoin
 * reads the one as a JSON table and rejects the other with the file's own
 * names and lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "admit.h"
#include "base64.h"
#include "diag.h"
#include "frame.h"
#include "input.h"
#include "now.h"
#include "table.h"

#define CHECK_EVERY_US 1000000

extern char **environ;

/* Rows from an NDJSON file into s, each line admitted (rejects reported
 * under the name shown).  0, or -1 when the file cannot be opened. */
static int
load_json(struct rowstore *s, const char *path, const char *shown)
{
	struct admit adm;
	struct input in;
	struct line l;
	struct json_val rec;
	char *files[1] = {(char *)path};
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	close(fd);
	admit_init(&adm, ADMIT_COMPACT | ADMIT_MEMBERS);
	input_open(&in, 1, files);
	while (input_next(&in, &l)) {
		if (admit_line(&adm, &l, &rec) != ADMIT_RECORD)
			continue;
		size_t nm;
		const struct json_member *m = admit_members(&adm, &nm);
		int bad;
		rowstore_add(s, rec, m, nm, &bad);
		if (bad)
			diag_reject(shown, l.lineno, l.p, l.len, "malformed JSON in a key field");
	}
	input_close(&in);
	admit_free(&adm);
	return 0;
}

/* The jparse to run: beside this program, else on PATH. */
static const char *
jparse_path(char *buf, size_t n)
{
	ssize_t len = readlink("/proc/self/exe", buf, n - 16);

	if (len > 0) {
		buf[len] = '\0';
		char *slash = strrchr(buf, '/');
		if (slash) {
			strcpy(slash + 1, "jparse");
			if (access(buf, X_OK) == 0)
				return buf;
		}
	}
	return "jparse";
}

/* jparse's dead letters, rejected again here so that they count in
 * jjoin's exit status and go to its --errors file, with the bytes of the
 * row ("raw", or "raw_b64" when they are not UTF-8: diag.h). */
static void
reject_dead_letters(const char *path)
{
	struct admit adm;
	struct input in;
	struct line l;
	struct json_val rec, v;
	char *files[1] = {(char *)path};
	struct buf src = BUF_INIT, reason = BUF_INIT, raw = BUF_INIT, enc = BUF_INIT;
	struct path pline, psrc, preason, praw, praw64;
	char err[64];

	path_parse("line", &pline, err, sizeof err);
	path_parse("source", &psrc, err, sizeof err);
	path_parse("reason", &preason, err, sizeof err);
	path_parse("raw", &praw, err, sizeof err);
	path_parse("raw_b64", &praw64, err, sizeof err);
	admit_init(&adm, 0);
	input_open(&in, 1, files);
	while (input_next(&in, &l)) {
		double line = 0;
		if (admit_line(&adm, &l, &rec) != ADMIT_RECORD)
			continue;
		buf_reset(&src);
		buf_reset(&reason);
		buf_reset(&raw);
		if (path_lookup(rec.p, rec.len, &psrc, &v) == 1)
			json_string_decode(v, &src);
		if (path_lookup(rec.p, rec.len, &pline, &v) == 1)
			json_to_double(v, &line);
		if (path_lookup(rec.p, rec.len, &preason, &v) == 1)
			json_string_decode(v, &reason);
		if (path_lookup(rec.p, rec.len, &praw, &v) == 1) {
			json_string_decode(v, &raw);
		} else if (path_lookup(rec.p, rec.len, &praw64, &v) == 1) {
			buf_reset(&enc);
			json_string_decode(v, &enc);
			base64_decode(enc.p ? enc.p : "", enc.len, &raw);
		}
		diag_reject(src.p, (uint64_t)line, raw.p ? raw.p : "", raw.len, "%s",
			    reason.p ? reason.p : "rejected by jparse");
	}
	input_close(&in);
	admit_free(&adm);
	path_free(&pline);
	path_free(&psrc);
	path_free(&preason);
	path_free(&praw);
	path_free(&praw64);
	buf_free(&enc);
	buf_free(&src);
	buf_free(&reason);
	buf_free(&raw);
}

/* Run jparse on a CSV or TSV file, its rows into rows_path and its
 * rejects into errs_path.  0, or -1 when it could not run or failed. */
static int
run_jparse(const char *file, enum table_format fmt, const char *rows_path, const char *errs_path)
{
	char exe[PATH_MAX];
	const char *prog = jparse_path(exe, sizeof exe);
	char *argv[] = {(char *)prog, fmt == TABLE_TSV ? "--tsv" : "--csv", "-q", "--errors",
			(char *)errs_path, "--", (char *)file, NULL};
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, rows_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		errno = rc;
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	/* 1 is rows rejected, all in the error file; anything else failed. */
	if (!WIFEXITED(status) || (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 1)) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/* Rows from a CSV or TSV file through jparse.  0, or -1. */
static int
load_csv(struct rowstore *s, const char *file, enum table_format fmt)
{
	const char *tmp = getenv("TMPDIR");
	char dir[PATH_MAX], rows[PATH_MAX + 8], errs[PATH_MAX + 8];
	int rc = -1;

	snprintf(dir, sizeof dir, "%s/jjoin.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(rows, sizeof rows, "%s/rows", dir);
	snprintf(errs, sizeof errs, "%s/errors", dir);
	if (access(file, R_OK) == 0 && run_jparse(file, fmt, rows, errs) == 0 &&
	    load_json(s, rows, file) == 0) {
		reject_dead_letters(errs);
		rc = 0;
	}
	int saved = errno;
	unlink(rows);
	unlink(errs);
	rmdir(dir);
	errno = saved;
	return rc;
}

static int
load(struct rowstore *s, const struct jjoin *job)
{
	if (job->table_format == TABLE_JSON)
		return load_json(s, job->table, job->table);
	return load_csv(s, job->table, job->table_format);
}

static void
remember(struct table_file *t, const struct stat *st)
{
	t->dev = st->st_dev;
	t->ino = st->st_ino;
	t->size = st->st_size;
	t->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

void
table_open(struct table_file *t, const struct jjoin *job)
{
	struct stat st;

	memset(t, 0, sizeof *t);
	t->job = job;
	t->rows = xmalloc(sizeof *t->rows);
	rowstore_init(t->rows, &job->key);
	if (stat(job->table, &st) != 0 || load(t->rows, job) != 0)
		diag_fatal("%s: cannot read the table: %s", job->table, strerror(errno));
	remember(t, &st);
	t->loads = 1;
	t->next_check_us = mono_us() + CHECK_EVERY_US;
}

static int
changed(const struct table_file *t, const struct stat *st)
{
	return st->st_dev != t->dev || st->st_ino != t->ino || st->st_size != t->size ||
	       (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec != t->mtime_ns;
}

int
table_refresh(struct table_file *t)
{
	struct stat st;
	int64_t now = mono_us();

	if (now < t->next_check_us)
		return 0;
	t->next_check_us = now + CHECK_EVERY_US;
	if (stat(t->job->table, &st) != 0 || !changed(t, &st))
		return 0;
	remember(t, &st);
	struct rowstore *fresh = xmalloc(sizeof *fresh);
	uint64_t rejected = diag_rejected();
	rowstore_init(fresh, &t->job->key);
	if (load(fresh, t->job) != 0 || diag_rejected() != rejected) {
		diag_warn("%s: the changed table could not be read whole; the previous one stays",
			  t->job->table);
		rowstore_free(fresh);
		free(fresh);
		return 0;
	}
	rowstore_free(t->rows);
	free(t->rows);
	t->rows = fresh;
	t->loads++;
	return 1;
}

void
table_close(struct table_file *t)
{
	rowstore_free(t->rows);
	free(t->rows);
	t->rows = NULL;
}
