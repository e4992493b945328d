#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "input.h"
#include "meter.h"
#include "now.h"

#define INPUT_BUFSIZE (256 * 1024)

static char *stdin_name[] = {"-"};

void
input_open(struct input *in, int nfiles, char **files)
{
	memset(in, 0, sizeof *in);
	if (nfiles <= 0) {
		files = stdin_name;
		nfiles = 1;
	}
	in->files = files;
	in->nfiles = nfiles;
	in->fd = -1;
	in->cap = INPUT_BUFSIZE;
	in->buf = xmalloc(in->cap + 1);	/* +1: room for the NUL after a last unterminated line */
}

/* Open the next operand.  One that cannot be opened is said and skipped:
 * the others are still read, and the run ends with status 3. */
static int
open_next(struct input *in)
{
	for (;;) {
		if (in->next_file >= in->nfiles)
			return 0;
		in->name = in->files[in->next_file++];
		if (strcmp(in->name, "-") == 0) {
			in->fd = STDIN_FILENO;
			break;
		}
		in->fd = open(in->name, O_RDONLY | O_CLOEXEC);
		if (in->fd >= 0)
			break;
		diag_error("%s: %s", in->name, strerror(errno));
	}
	in->lineno = 0;
	in->start = in->end = 0;
	in->at_eof = 0;
	return 1;
}

static void
close_current(struct input *in)
{
	if (in->fd > STDIN_FILENO)
		close(in->fd);
	in->fd = -1;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Nothing but white space: not a record (admit.h), so not counted as
 * one.  The first byte decides for nearly every line. */
static int
blank(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_space(p[i]))
			return 0;
	return 1;
}

/* Make bytes p[0..len) line l, dropping a CR before the LF.  A parser that
 * must see the terminator (CSV: a CRLF inside quotes is data) finds it in
 * l->eol.  Inlined: it runs once per line. */
static inline __attribute__((always_inline)) void
fill_line(struct line *l, char *p, size_t len, int terminated, const char *file,
	  uint64_t lineno)
{
	l->eol = terminated ? LINE_LF : 0;
	if (terminated && len > 0 && p[len - 1] == '\r') {
		len--;
		l->eol = LINE_CRLF;
	}
	p[len] = '\0';
	l->p = p;
	l->len = len;
	l->file = file;
	l->lineno = lineno;
}

/* A line that is not blank is a record in, for the meter. */
static inline __attribute__((always_inline)) void
count_line(const struct line *l)
{
	if ((l->len > 0 && !is_space(*l->p)) || !blank(l->p, l->len))
		meter_add(&meter.in, 1);
}

void
input_line(struct line *l, char *p, size_t len, int terminated, const char *file,
	   uint64_t lineno)
{
	fill_line(l, p, len, terminated, file, lineno);
	count_line(l);
}

/* Hand out bytes p[0..len) as the next line of in.  Inlined into its four
 * calls. */
static inline __attribute__((always_inline)) int
emit(struct input *in, struct line *l, char *p, size_t len, int terminated)
{
	fill_line(l, p, len, terminated, in->name, ++in->lineno);
	if (!in->uncounted)
		count_line(l);
	return 1;
}

int
input_next(struct input *in, struct line *l)
{
	buf_reset(&in->joined);
	for (;;) {
		if (in->fd < 0 && !open_next(in))
			return 0;

		char *s = in->buf + in->start;
		char *nl = memchr(s, '\n', in->end - in->start);
		if (nl) {
			size_t len = (size_t)(nl - s);
			in->start += len + 1;
			if (in->joined.len == 0)
				return emit(in, l, s, len, 1);
			buf_add(&in->joined, s, len);
			return emit(in, l, in->joined.p, in->joined.len, 1);
		}

		if (in->at_eof) {
			size_t len = in->end - in->start;
			close_current(in);
			if (len > 0 || in->joined.len > 0) {
				in->start = in->end;
				if (in->joined.len == 0)
					return emit(in, l, s, len, 0);
				buf_add(&in->joined, s, len);
				return emit(in, l, in->joined.p, in->joined.len, 0);
			}
			continue;
		}

		/* No newline buffered: make room and read more.  A line longer
		 * than the buffer collects in joined, so any length works. */
		if (in->start == 0 && in->end == in->cap) {
			buf_add(&in->joined, in->buf, in->end);
			in->end = 0;
		} else if (in->start > 0) {
			memmove(in->buf, in->buf + in->start, in->end - in->start);
			in->end -= in->start;
			in->start = 0;
		}
		ssize_t n = read(in->fd, in->buf + in->end, in->cap - in->end);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			diag_fatal("%s: read error: %s", in->name, strerror(errno));
		}
		if (n == 0)
			in->at_eof = 1;
		in->end += (size_t)n;
	}
}

int
input_pending(struct input *in)
{
	if (in->fd < 0)
		return in->next_file < in->nfiles;
	if (in->at_eof || memchr(in->buf + in->start, '\n', in->end - in->start))
		return 1;
	struct pollfd pfd = {.fd = in->fd, .events = POLLIN};
	return poll(&pfd, 1, 0) > 0;
}

int
input_wait(struct input *in, int64_t deadline_us)
{
	while (!input_pending(in)) {
		if (in->fd < 0)
			return 1;
		int64_t left = deadline_us - mono_us();
		if (left <= 0)
			return 0;
		int64_t ms = (left + 999) / 1000;
		struct pollfd pfd = {.fd = in->fd, .events = POLLIN};
		if (poll(&pfd, 1, ms > INT_MAX ? INT_MAX : (int)ms) > 0)
			return 1;
	}
	return 1;
}

void
input_close(struct input *in)
{
	close_current(in);
	free(in->buf);
	in->buf = NULL;
	buf_free(&in->joined);
}
