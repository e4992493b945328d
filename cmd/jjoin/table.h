/*
 * A table from a file (--table FILE): NDJSON records, or CSV/TSV rows
 * read by jparse's rules (jparse(1): a header line, type inference), held
 * in a rowstore.  With --reload the file is looked at again, at most once
 * a second, and when it has changed (another inode, size or modification
 * time) it is read into a new rowstore that then replaces the old one
 * whole, between two stream records: a record is joined with the old
 * table or with the new, never with half of each.  A new version that
 * cannot be read, or that has a line that is not a record (a writer that
 * is not done: replace the file by rename, as mv does), is not taken: the
 * old table stays, with a warning, until the file changes again.
 */
#ifndef JJOIN_TABLE_H
#define JJOIN_TABLE_H

#include <stdint.h>
#include <sys/types.h>

#include "jjoin.h"
#include "rowstore.h"

struct table_file {
	const struct jjoin *job;
	struct rowstore *rows;		/* the table now */
	dev_t dev;
	ino_t ino;
	off_t size;
	int64_t mtime_ns;		/* of the version loaded, or last refused */
	int64_t next_check_us;		/* on the monotonic clock */
	uint64_t loads;			/* versions taken, the first one included */
};

/* Read the table at the start.  A file that cannot be read ends the run
 * (exit 3); a line of it that is not a record is rejected as any input
 * line (FILE:LINE, --errors, exit 1) and the rest is the table. */
void table_open(struct table_file *t, const struct jjoin *job);

/* With --reload: when a second has passed since the last look, look, and
 * take a changed file.  1 when t->rows is a new table. */
int table_refresh(struct table_file *t);

void table_close(struct table_file *t);

#endif
