#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "diag.h"
#include "input.h"
#include "meter.h"
#include "output.h"
#include "progress.h"

#define OUT_BUFSIZE (128 * 1024)

static char outbuf[OUT_BUFSIZE];
static size_t outlen;
static int unbuffered;
static enum out_status status;		/* once not OUT_OK, output is discarded */
static uint64_t bytes_written;		/* handed to the kernel, partial writes too */

/* Write the vectors whole, or find out why not: the reader went away
 * (| head: the reader's choice, not an error) or the write failed (said
 * once, here).  Either way nothing more is written. */
static enum out_status
write_all(const struct iovec *iov, int iovcnt)
{
	static int first = 1;
	struct iovec v[2];

	if (first) {
		first = 0;
		progress_output_to_terminal();
	}

	memcpy(v, iov, sizeof v[0] * (size_t)iovcnt);
	while (iovcnt > 0) {
		ssize_t n = writev(STDOUT_FILENO, v, iovcnt);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			outlen = 0;
			if (errno == EPIPE)
				return status = OUT_CLOSED;
			diag_warn("write error: %s", strerror(errno));
			return status = OUT_FAILED;
		}
		bytes_written += (uint64_t)n;
		while (iovcnt > 0 && (size_t)n >= v[0].iov_len) {
			n -= (ssize_t)v[0].iov_len;
			v[0] = v[1];
			iovcnt--;
		}
		if (iovcnt > 0) {
			v[0].iov_base = (char *)v[0].iov_base + n;
			v[0].iov_len -= (size_t)n;
		}
	}
	return OUT_OK;
}

enum out_status
out_flush(void)
{
	if (status != OUT_OK || outlen == 0)
		return status;
	struct iovec v = {outbuf, outlen};
	outlen = 0;
	return write_all(&v, 1);
}

/* A run that exits early (diag_fatal) still writes the whole records it
 * made before the failure, as stdio would at exit; a record cut short
 * stays unwritten. */
static void
flush_at_exit(void)
{
	char *end = memrchr(outbuf, '\n', outlen);

	if (status != OUT_OK || end == NULL)
		return;
	outlen = (size_t)(end - outbuf) + 1;
	(void)out_flush();
}

void
out_init(int unbuf)
{
	unbuffered = unbuf;
	atexit(flush_at_exit);
	signal(SIGPIPE, SIG_IGN);
	/* A pipe holds 64 KB by default, so each 128 KB write blocks halfway
	 * and every stage of a pipeline sleeps and wakes twice per buffer.
	 * At 1 MB (the most /proc/sys/fs/pipe-max-size lets anyone ask for)
	 * stages run ahead of each other.  Best effort. */
	struct stat st;
	if (fstat(STDOUT_FILENO, &st) == 0 && S_ISFIFO(st.st_mode))
		(void)fcntl(STDOUT_FILENO, F_SETPIPE_SZ, 1 << 20);
}

enum out_status
out_write(const void *p, size_t n)
{
	if (status != OUT_OK)
		return status;
	if (outlen + n > OUT_BUFSIZE) {
		if (out_flush() != OUT_OK)
			return status;
		if (n > OUT_BUFSIZE) {
			struct iovec v = {(void *)p, n};
			return write_all(&v, 1);
		}
	}
	if (n)
		memcpy(outbuf + outlen, p, n);
	outlen += n;
	return OUT_OK;
}

enum out_status
out_line(const void *p, size_t n)
{
	if (status != OUT_OK)
		return status;
	meter_add(&meter.out, 1);
	if (outlen + n + 1 > OUT_BUFSIZE) {
		if (out_flush() != OUT_OK)
			return status;
		if (n + 1 > OUT_BUFSIZE) {
			struct iovec v[2] = {{(void *)p, n}, {"\n", 1}};
			return write_all(v, 2);
		}
	}
	if (n)		/* an empty line may come as (NULL, 0) */
		memcpy(outbuf + outlen, p, n);
	outlen += n;
	outbuf[outlen++] = '\n';
	return unbuffered ? out_flush() : OUT_OK;
}

enum out_status
out_idle(struct input *in)
{
	if (outlen > 0 && (in == NULL || !input_pending(in)))
		return out_flush();
	return status;
}

enum out_status
out_status(void)
{
	return status;
}

uint64_t
out_bytes_written(void)
{
	return bytes_written;
}
