#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "progress.h"

#define ERASE_LINE "\r\033[K"
#define FIRST_DRAW_US 1000000
#define RANK_DELAY_US 200000	/* a draw's time: later stages try later */
#define MAX_RANK 10

static pthread_mutex_t line_lock = PTHREAD_MUTEX_INITIALIZER;
static int on_terminal;		/* stderr is a terminal: another stage may draw */
static enum progress_mode mode;
static int drawer_fd = -1, forced_fd = -1, output_fd = -1;
static int holds_drawer, holds_forced;	/* the locks this command holds */
static int shown;		/* our line is on the screen */
static int64_t first_try_us;	/* when a stage fed by a pipe first asks for the line */

/* "$TMPDIR/kpipe-progress-UID-DEV.SUFFIX" for the terminal on stderr. */
static int
open_lock(dev_t tty, const char *suffix)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	snprintf(path, sizeof path, "%s/kpipe-progress-%u-%llx.%s", dir, (unsigned)getuid(),
		 (unsigned long long)tty, suffix);
	return open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
}

static int
try_lock(int fd)
{
	return fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0;
}

/* Some other command holds a lock on fd that excludes a lock of kind
 * how: LOCK_EX asks whether any command holds any lock (ours are
 * exclusive, except the output lock, which is shared); LOCK_SH whether
 * another holds an exclusive one (never ask of a lock we hold: asking
 * would turn ours into a shared one). */
static int
lock_taken(int fd, int how)
{
	if (fd < 0 || flock(fd, how | LOCK_NB) == 0) {
		if (fd >= 0)
			flock(fd, LOCK_UN);
		return 0;
	}
	return errno == EWOULDBLOCK;
}

static int
locked_by_any(int fd)
{
	return lock_taken(fd, LOCK_EX);
}

static int
held_elsewhere(int fd)
{
	return lock_taken(fd, LOCK_SH);
}

static int
stdin_is_pipe(void)
{
	struct stat st;

	return fstat(STDIN_FILENO, &st) == 0 && S_ISFIFO(st.st_mode);
}

/* A shell with job control starts a pipeline's processes left to right in
 * one process group led by the first: the distance from the leader ranks
 * a stage, so that the earliest stage asks for the line first.  Outside
 * such a group every stage has rank 0, and the first to ask draws. */
static int
pipeline_rank(void)
{
	long rank = (long)getpid() - (long)getpgrp();

	return rank < 0 || rank >= 64 ? 0 : rank > MAX_RANK ? MAX_RANK : (int)rank;
}

int
progress_setup(enum progress_mode m)
{
	struct stat st;

	mode = m;
	if (!isatty(STDERR_FILENO) || fstat(STDERR_FILENO, &st) != 0)
		return 0;
	on_terminal = 1;
	drawer_fd = open_lock(st.st_rdev, "lock");
	forced_fd = open_lock(st.st_rdev, "forced");
	output_fd = open_lock(st.st_rdev, "output");
	if (m == PROGRESS_OFF)
		return 0;
	if (m == PROGRESS_FORCED)
		holds_forced = try_lock(forced_fd);
	if (!holds_forced && !stdin_is_pipe())
		holds_drawer = try_lock(drawer_fd);
	first_try_us = FIRST_DRAW_US + (int64_t)pipeline_rank() * RANK_DELAY_US;
	return 1;
}

/* Whether this command draws now: the forced one always; another only
 * while it holds the drawer's lock (trying for it if not) and no command
 * holds the forced one. */
static int
may_draw(int64_t elapsed_us)
{
	if (locked_by_any(output_fd))
		return 0;
	if (holds_forced)
		return 1;
	if (!holds_drawer && elapsed_us >= first_try_us)
		holds_drawer = try_lock(drawer_fd);
	return holds_drawer && !held_elsewhere(forced_fd);
}

static size_t
terminal_width(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
		return ws.ws_col;
	return 80;
}

/* The whole of p, or nothing more: a terminal's stderr is not left half
 * drawn by an interrupted write. */
static void
write_out(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(STDERR_FILENO, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		p += k;
		n -= (size_t)k;
	}
}

/* Cut the line at a character boundary before the last column, where a
 * terminal would wrap and \r would then redraw only the second row. */
static size_t
fit(const char *text, size_t n, size_t width)
{
	size_t cols = 0, i;

	for (i = 0; i < n; i++) {
		if (((unsigned char)text[i] & 0xc0) != 0x80 && ++cols >= width)
			break;
	}
	return i;
}

void
progress_draw(const char *text, size_t n, int64_t elapsed_us)
{
	char line[1024];
	size_t len;

	if (!on_terminal || mode == PROGRESS_OFF)
		return;
	if (mode != PROGRESS_FORCED && elapsed_us < FIRST_DRAW_US)
		return;
	pthread_mutex_lock(&line_lock);
	if (!may_draw(elapsed_us)) {
		if (shown)
			write_out(ERASE_LINE, strlen(ERASE_LINE));
		shown = 0;
	} else {
		n = fit(text, n, terminal_width());
		len = (size_t)snprintf(line, sizeof line, "%s%.*s", ERASE_LINE, (int)n, text);
		write_out(line, len < sizeof line ? len : sizeof line - 1);
		shown = 1;
	}
	pthread_mutex_unlock(&line_lock);
}

void
progress_pause(void)
{
	pthread_mutex_lock(&line_lock);
	if (!on_terminal)
		return;
	if (shown || (!holds_drawer && held_elsewhere(drawer_fd)) ||
	    (!holds_forced && held_elsewhere(forced_fd)))
		write_out(ERASE_LINE, strlen(ERASE_LINE));
	shown = 0;
}

void
progress_resume(void)
{
	pthread_mutex_unlock(&line_lock);
}

void
progress_end(void)
{
	if (!on_terminal)
		return;
	pthread_mutex_lock(&line_lock);
	if (shown)
		write_out(ERASE_LINE, strlen(ERASE_LINE));
	shown = 0;
	/* The files stay open: the summary messages after this still erase
	 * another stage's line. */
	if (holds_drawer)
		flock(drawer_fd, LOCK_UN);
	if (holds_forced)
		flock(forced_fd, LOCK_UN);
	holds_drawer = holds_forced = 0;
	mode = PROGRESS_OFF;
	pthread_mutex_unlock(&line_lock);
}

void
progress_output_to_terminal(void)
{
	struct stat st;
	int fd;

	if (!isatty(STDOUT_FILENO) || fstat(STDOUT_FILENO, &st) != 0)
		return;
	if ((fd = open_lock(st.st_rdev, "output")) < 0)
		return;
	flock(fd, LOCK_SH);	/* held to the exit: fd stays open */
	/* A line drawn before the lock was seen: off the records' way. */
	write(STDOUT_FILENO, ERASE_LINE, strlen(ERASE_LINE));
}

int
progress_color(void)
{
	const char *nc = getenv("NO_COLOR");

	return nc == NULL || *nc == '\0';
}
