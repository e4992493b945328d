#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "feeds.h"
#include "output.h"

#define FEED_BUFSIZE (256 * 1024)

static char *stdin_name[] = {"-"};

static void
feed_init(struct feed *d, int nfiles, char **files)
{
	memset(d, 0, sizeof *d);
	d->files = files;
	d->nfiles = nfiles;
	d->fd = -1;
	d->cap = FEED_BUFSIZE;
	d->buf = xmalloc(d->cap + 1);	/* +1: the NUL after a last unterminated line */
}

void
feeds_open(struct feeds *f, int nfiles, char **files, const char *other)
{
	static char *other_name[1];

	if (nfiles <= 0) {
		files = stdin_name;
		nfiles = 1;
	}
	other_name[0] = (char *)other;
	feed_init(&f->side[0], nfiles, files);
	feed_init(&f->side[1], 1, other_name);
}

/* Open the next file of the side; 0 when there is none.  A FIFO is
 * opened without waiting for its writer (poll waits for its data). */
static int
open_next(struct feed *d)
{
	while (d->next_file < d->nfiles) {
		d->name = d->files[d->next_file++];
		d->lineno = 0;
		d->start = d->end = 0;
		d->at_eof = 0;
		if (strcmp(d->name, "-") == 0) {
			d->fd = STDIN_FILENO;
			return 1;
		}
		d->fd = open(d->name, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (d->fd >= 0)
			return 1;
		diag_error("%s: %s", d->name, strerror(errno));
	}
	return 0;
}

static void
close_current(struct feed *d)
{
	if (d->fd > STDIN_FILENO)
		close(d->fd);
	d->fd = -1;
}

/* Hand out buf[start..start+len) as the next line. */
static void
take(struct feed *d, struct line *l, size_t len, int terminated)
{
	char *p = d->buf + d->start;

	d->start += len + (terminated ? 1 : 0);
	input_line(l, p, len, terminated, d->name, ++d->lineno);
}

/* What the side can give without reading: FEED_LINE, FEED_END, or -1
 * when it needs more bytes. */
static int
step(struct feed *d, struct line *l)
{
	for (;;) {
		if (d->fd < 0 && !open_next(d)) {
			d->ended = 1;
			return FEED_END;
		}
		char *s = d->buf + d->start;
		char *nl = memchr(s, '\n', d->end - d->start);
		if (nl) {
			take(d, l, (size_t)(nl - s), 1);
			return FEED_LINE;
		}
		if (!d->at_eof)
			return -1;
		if (d->end > d->start) {
			take(d, l, d->end - d->start, 0);
			return FEED_LINE;
		}
		close_current(d);
	}
}

/* One read into the side's buffer, made room for first (a line longer
 * than the buffer grows it). */
static void
fill(struct feed *d)
{
	if (d->start > 0) {
		memmove(d->buf, d->buf + d->start, d->end - d->start);
		d->end -= d->start;
		d->start = 0;
	}
	if (d->end == d->cap) {
		d->cap *= 2;
		d->buf = xrealloc(d->buf, d->cap + 1);
	}
	ssize_t n = read(d->fd, d->buf + d->end, d->cap - d->end);
	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN)
			return;
		diag_fatal("%s: read error: %s", d->name, strerror(errno));
	}
	if (n == 0)
		d->at_eof = 1;
	d->end += (size_t)n;
}

static int
readable(const struct feed *d, int timeout_ms)
{
	struct pollfd p = {.fd = d->fd, .events = POLLIN};

	return poll(&p, 1, timeout_ms) > 0;
}

/* Wait until a side that has not ended is readable, and read each that is. */
static void
wait_both(struct feeds *f)
{
	struct pollfd p[2];
	int n = 0, who[2];

	for (int s = 0; s < 2; s++)
		if (!f->side[s].ended && f->side[s].fd >= 0) {
			p[n] = (struct pollfd){.fd = f->side[s].fd, .events = POLLIN};
			who[n++] = s;
		}
	if (n == 0 || poll(p, (nfds_t)n, -1) <= 0)
		return;
	for (int i = 0; i < n; i++)
		if (p[i].revents)
			fill(&f->side[who[i]]);
}

enum feed_event
feeds_next(struct feeds *f, int prefer, int *side, struct line *l)
{
	for (;;) {
		for (int k = 0; k < 2; k++) {
			int s = k ? !prefer : prefer;
			struct feed *d = &f->side[s];
			int got;
			if (d->ended)
				continue;
			while ((got = step(d, l)) < 0 && readable(d, 0))
				fill(d);
			if (got >= 0) {
				*side = s;
				return (enum feed_event)got;
			}
		}
		if (f->side[0].ended && f->side[1].ended)
			return FEED_DONE;
		out_flush();
		wait_both(f);
	}
}

void
feeds_close(struct feeds *f)
{
	for (int s = 0; s < 2; s++) {
		close_current(&f->side[s]);
		free(f->side[s].buf);
		f->side[s].buf = NULL;
	}
}
