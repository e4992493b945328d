#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kout.h"

static int
env_int(const char *name)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return 0;
	v = strtol(s, &end, 10);
	return *end == '\0' && v > 0 && v < 100000 ? (int)v : 0;
}

/* Asked again at every frame, so a resized terminal is followed. */
static int
size(int cols)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0)
		return cols ? ws.ws_col : ws.ws_row;
	return 0;
}

int
term_width(const struct kout_opts *o)
{
	int w = o->width;

	if (w <= 0)
		w = env_int("COLUMNS");
	if (w <= 0)
		w = size(1);
	return w > 20 ? w : w > 0 ? 20 : 80;
}

int
term_height(void)
{
	int h = env_int("LINES");

	if (h <= 0)
		h = size(0);
	return h > 0 ? h : 24;
}
