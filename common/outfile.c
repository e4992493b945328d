#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "outfile.h"

/* Links followed before giving up, as the kernel does (ELOOP). */
#define MAX_LINKS 40

static int
failed(struct outfile *o, int err, const char *why)
{
	o->err = err;
	o->why = why;
	return -1;
}

/* The directory part of path ("." when it has none), newly allocated. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* What a link at path points to, taken relative to the link's directory. */
static char *
link_target(const char *path)
{
	char to[PATH_MAX];
	ssize_t n = readlink(path, to, sizeof to - 1);

	if (n < 0)
		return NULL;
	to[n] = '\0';
	if (to[0] == '/')
		return strdup(to);
	char *dir = dir_of(path), *joined = NULL;
	if (dir && asprintf(&joined, "%s/%s", dir, to) < 0)
		joined = NULL;
	free(dir);
	return joined;
}

/* path with every final symbolic link followed, even to a name that does
 * not exist yet (as the shell's > does): where a file that replaces it,
 * and its temporary file, must go.  NULL with errno on failure. */
static char *
follow(const char *path)
{
	char *p = strdup(path);
	struct stat st;

	for (int hops = 0; p; hops++) {
		if (lstat(p, &st) != 0)
			return errno == ENOENT ? p : (free(p), NULL);
		if (!S_ISLNK(st.st_mode))
			return p;
		if (hops == MAX_LINKS) {
			free(p);
			errno = ELOOP;
			return NULL;
		}
		char *next = link_target(p);
		free(p);
		p = next;
	}
	return NULL;
}

/* A Unix socket cannot be open()ed: connect to it instead. */
static int
connect_socket(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof a.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(a.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		int err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* The temporary file's name: hidden, beside the target, so that the rename
 * stays on one file system and *.svg globs do not pick it up. */
static char *
temp_name(const char *target)
{
	const char *slash = strrchr(target, '/');
	const char *base = slash ? slash + 1 : target;
	int dirlen = slash ? (int)(slash - target + 1) : 0;
	char *t;

	return asprintf(&t, "%.*s.%s.XXXXXX", dirlen, target, base) < 0 ? NULL : t;
}

/* A new temporary file beside the target with the target's mode; its name
 * into *tmp.  -1 with errno. */
static int
make_temp(const struct outfile *o, char **tmp)
{
	int fd;

	if ((*tmp = temp_name(o->target)) == NULL)
		return -1;
	if ((fd = mkstemp(*tmp)) < 0 || fchmod(fd, o->mode) != 0) {
		int err = errno;
		if (fd >= 0) {
			close(fd);
			unlink(*tmp);
		}
		free(*tmp);
		*tmp = NULL;
		errno = err;
		return -1;
	}
	return fd;
}

/* A file to be replaced by rename: prove now that a temporary file can be
 * made beside it, and keep the mode of the one it replaces (a new one gets
 * 0666 less the umask, as any created file). */
static int
check_replaceable(struct outfile *o, const struct stat *st)
{
	char *tmp;
	int fd;

	if (st->st_mode && access(o->target, W_OK) != 0)
		return failed(o, errno, NULL);
	if (st->st_mode) {
		o->mode = st->st_mode & 07777;
	} else {
		mode_t mask = umask(0);
		umask(mask);
		o->mode = 0666 & ~mask;
	}
	if ((fd = make_temp(o, &tmp)) < 0)
		return failed(o, errno, NULL);
	close(fd);
	unlink(tmp);
	free(tmp);
	return 0;
}

/* Open in place what is already there (device, FIFO, socket, or any file
 * when appending). */
static int
open_in_place(struct outfile *o, const struct stat *st, int flags)
{
	int how = O_WRONLY | O_NOCTTY | O_CLOEXEC;

	if (flags & OUTFILE_APPEND)
		how |= O_APPEND | O_CREAT;
	o->fd = S_ISSOCK(st->st_mode) ? connect_socket(o->target) : open(o->target, how, 0666);
	return o->fd < 0 ? failed(o, errno, NULL) : 0;
}

int
outfile_open(struct outfile *o, const char *name, int flags)
{
	struct stat st;

	*o = (struct outfile){.name = name, .fd = -1};
	if (strcmp(name, "-") == 0) {
		if (!(flags & OUTFILE_STDOUT))
			return failed(o, 0, "standard output carries the records here; name a file");
		o->fd = STDOUT_FILENO;
		return 0;
	}
	/* What the name stands for, through links: /dev/stderr is a link
	 * whose text names no file, so anything but a file to replace is
	 * opened by the name itself, as the shell's >> would. */
	if (stat(name, &st) != 0) {
		if (errno != ENOENT)
			return failed(o, errno, NULL);
		st.st_mode = 0;
	}
	if (S_ISDIR(st.st_mode))
		return failed(o, EISDIR, NULL);
	if ((flags & OUTFILE_REGULAR) && st.st_mode && !S_ISREG(st.st_mode))
		return failed(o, 0, "not a regular file, and this file is read back");
	int in_place = (flags & OUTFILE_APPEND) || (st.st_mode && !S_ISREG(st.st_mode));
	if ((o->target = in_place ? strdup(name) : follow(name)) == NULL)
		return failed(o, errno, NULL);
	return in_place ? open_in_place(o, &st, flags) : check_replaceable(o, &st);
}

/* All n bytes, through short writes and signals. */
static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* After the rename, the directory entry itself should survive a crash;
 * a directory that cannot be synced costs only that. */
static void
sync_dir(const char *target)
{
	char *dir = dir_of(target);
	int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

static int
replace_by_rename(struct outfile *o, const void *p, size_t n)
{
	char *tmp;
	int fd = make_temp(o, &tmp), err = 0;

	if (fd < 0)
		return failed(o, errno, NULL);
	if (write_all(fd, p, n) != 0 || fsync(fd) != 0)
		err = errno;
	if (close(fd) != 0 && !err)
		err = errno;
	if (!err && rename(tmp, o->target) != 0)
		err = errno;
	if (err)
		unlink(tmp);
	free(tmp);
	if (err)
		return failed(o, err, NULL);
	sync_dir(o->target);
	return 0;
}

int
outfile_replace(struct outfile *o, const void *p, size_t n)
{
	if (o->fd >= 0)
		return write_all(o->fd, p, n) != 0 ? failed(o, errno, NULL) : 0;
	return replace_by_rename(o, p, n);
}

int
outfile_append(struct outfile *o, const void *p, size_t n)
{
	return write_all(o->fd, p, n) != 0 ? failed(o, errno, NULL) : 0;
}

int
outfile_close(struct outfile *o)
{
	int r = 0;

	if (o->fd > STDERR_FILENO && close(o->fd) != 0)
		r = failed(o, errno, NULL);
	o->fd = -1;
	free(o->target);
	o->target = NULL;
	return r;
}

const char *
outfile_error(const struct outfile *o)
{
	return o->why ? o->why : strerror(o->err);
}
