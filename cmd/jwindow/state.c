#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "state.h"
#include "stio.h"

static const char magic[16] = "kpipe-jwindow-1\n";
#define ENDIAN_CHECK 0x0102030405060708ULL
#define TRAILER 0x656e646a77696e64ULL	/* "endjwind": the file is complete */

void
state_load(const char *path, const char *config, struct group_table *g, struct engine *e)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char m[sizeof magic];
	uint64_t endian, n, trailer;

	if (f == NULL) {
		if (errno == ENOENT)
			return;		/* the first run */
		diag_fatal("%s: %s", path, strerror(errno));
	}
	if (st_get(f, m, sizeof m) != 0 || memcmp(m, magic, sizeof m) != 0 ||
	    st_get_u64(f, &endian) != 0 || endian != ENDIAN_CHECK)
		diag_fatal("%s: not a jwindow state file of this version and machine", path);
	if (st_get_bytes(f, &b) != 0)
		goto bad;
	if (strcmp(b.p, config) != 0)
		diag_usage("%s was saved with other options (%s); use those, or another state file",
			   path, b.p);
	if (st_get_u64(f, &n) != 0)
		goto bad;
	for (uint64_t i = 0; i < n; i++) {
		if (st_get_bytes(f, &b) != 0)
			goto bad;
		int added;
		if (group_intern(g, b.p, b.len, &added) != i || !added)
			goto bad;
	}
	if (engine_load(e, f, group_count(g)) != 0 || st_get_u64(f, &trailer) != 0 ||
	    trailer != TRAILER)
		goto bad;
	fclose(f);
	buf_free(&b);
	return;
bad:
	diag_fatal("%s: state file is damaged or truncated", path);
}

void
state_save(const char *path, const char *config, const struct group_table *g,
	   const struct engine *e)
{
	struct buf tmp = BUF_INIT;
	size_t n = group_count(g);

	buf_printf(&tmp, "%s.XXXXXX", path);
	int fd = mkstemp(tmp.p);
	if (fd < 0)
		diag_fatal("%s: %s", tmp.p, strerror(errno));
	FILE *f = fdopen(fd, "wb");
	if (f == NULL)
		diag_fatal("%s: %s", tmp.p, strerror(errno));
	st_put(f, magic, sizeof magic);
	st_put_u64(f, ENDIAN_CHECK);
	st_put_bytes(f, config, strlen(config));
	st_put_u64(f, n);
	for (size_t i = 0; i < n; i++) {
		size_t kn;
		const char *k = group_key(g, i, &kn);
		st_put_bytes(f, k, kn);
	}
	engine_save(e, f);
	st_put_u64(f, TRAILER);
	/* Only a complete file on disk may replace the old one. */
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
		int err = errno;
		fclose(f);
		unlink(tmp.p);
		diag_fatal("%s: %s", tmp.p, strerror(err));
	}
	if (fclose(f) != 0 || rename(tmp.p, path) != 0) {
		int err = errno;
		unlink(tmp.p);
		diag_fatal("%s: %s", path, strerror(err));
	}
	/* And the rename itself should survive a crash. */
	char *dir = xstrdup(path);
	int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(dir);
	buf_free(&tmp);
}

void
state_remove(const char *path)
{
	if (unlink(path) != 0 && errno != ENOENT)
		diag_fatal("%s: %s", path, strerror(errno));
}
