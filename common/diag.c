#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "buf.h"
#include "diag.h"
#include "json.h"
#include "meter.h"
#include "outfile.h"
#include "progress.h"

const char *diag_prog = "kpipe";

static int runtime_errors;	/* failures that did not end the run */
static int quiet;
static struct outfile dead_letters;	/* --errors FILE, name NULL without */
static struct buf dl_line;
static void (*at_fatal)(void);

void
diag_init(const char *prog)
{
	const char *slash = strrchr(prog, '/');

	diag_prog = slash ? slash + 1 : prog;
}

void
diag_quiet(int q)
{
	quiet = q;
}

void
diag_dead_letter(const char *path)
{
	if (outfile_open(&dead_letters, path, OUTFILE_APPEND) != 0)
		diag_usage("%s: %s", path, outfile_error(&dead_letters));
}

static void
vprint(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", diag_prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* Every message starts at the left margin, with the progress line of
 * this or another stage (progress.h) erased first. */
static void
vmessage(const char *fmt, va_list ap)
{
	progress_pause();
	vprint(fmt, ap);
	progress_resume();
}

void
diag_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}

void
diag_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	runtime_errors = 1;
}

void
diag_usage(const char *fmt, ...)
{
	va_list ap;

	progress_pause();	/* for good: the exit follows */
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", diag_prog);
	exit(EXIT_USAGE);
}

void
diag_on_fatal(void (*fn)(void))
{
	at_fatal = fn;
}

void
diag_fatal(const char *fmt, ...)
{
	va_list ap;

	if (at_fatal)	/* before the pause: it waits for a thread that may draw */
		at_fatal();
	progress_pause();	/* for good: the exit follows */
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
	exit(EXIT_RUNTIME);
}

void
diag_letter(struct buf *out, const char *file, uint64_t line, const char *raw, size_t rawlen,
	    const char *reason)
{
	struct jw w;
	size_t bad;

	jw_init(&w, out);
	jw_object(&w);
	jw_key(&w, "source", 6);
	jw_string(&w, file, strlen(file));
	jw_key(&w, "line", 4);
	jw_int(&w, (int64_t)line);
	jw_key(&w, "reason", 6);
	jw_string(&w, reason, strlen(reason));
	/* Bytes that are not UTF-8 cannot be a JSON string without loss. */
	if (utf8_validate(raw, rawlen, &bad) == 0) {
		jw_key(&w, "raw", 3);
		jw_string(&w, raw, rawlen);
	} else {
		struct buf b64 = BUF_INIT;

		base64_put_string(raw, rawlen, &b64);
		jw_key(&w, "raw_b64", 7);
		jw_raw(&w, b64.p, b64.len);
		buf_free(&b64);
	}
	jw_end(&w);
	buf_addc(out, '\n');
}

static void
write_dead_letter(const char *file, uint64_t line, const char *raw, size_t rawlen,
		  const char *reason)
{
	buf_reset(&dl_line);
	diag_letter(&dl_line, file, line, raw, rawlen, reason);
	if (outfile_append(&dead_letters, dl_line.p, dl_line.len) != 0)
		diag_fatal("%s: %s", dead_letters.name, outfile_error(&dead_letters));
}

void
diag_reject(const char *file, uint64_t line, const char *raw, size_t rawlen,
	    const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	if (file == NULL)
		file = "-";
	meter_add(&meter.rejected, 1);
	if (!quiet && meter_get(&meter.rejected) <= DIAG_FULL_REPORTS) {
		progress_pause();
		fprintf(stderr, "%s: %s:%llu: %s\n", diag_prog, file,
			(unsigned long long)line, reason);
		progress_resume();
	}
	if (dead_letters.name)
		write_dead_letter(file, line, raw ? raw : "", raw ? rawlen : 0, reason);
}

uint64_t
diag_rejected(void)
{
	return meter_get(&meter.rejected);
}

int
diag_finish(void)
{
	uint64_t rejected = diag_rejected();

	if (dead_letters.name && outfile_close(&dead_letters) != 0)
		diag_fatal("%s: %s", dead_letters.name, outfile_error(&dead_letters));
	buf_free(&dl_line);
	if (rejected == 0)
		return runtime_errors ? EXIT_RUNTIME : EXIT_OK;
	progress_pause();
	if (quiet || rejected > DIAG_FULL_REPORTS) {
		unsigned long long hidden = quiet ? rejected : rejected - DIAG_FULL_REPORTS;
		fprintf(stderr, "%s: %llu record%s rejected (%llu not shown%s)\n", diag_prog,
			(unsigned long long)rejected, rejected == 1 ? "" : "s", hidden,
			dead_letters.name ? "; all are in the error file" : "; use --errors FILE to keep them");
	} else {
		fprintf(stderr, "%s: %llu record%s rejected\n", diag_prog,
			(unsigned long long)rejected, rejected == 1 ? "" : "s");
	}
	progress_resume();
	return runtime_errors ? EXIT_RUNTIME : EXIT_REJECTED;
}
