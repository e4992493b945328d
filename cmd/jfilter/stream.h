/*
 * jfilter's record stream (stream.c): the input lines as records, through
 * the fast path or libjq (jqrun.c), with what -e needs to know at the end.
 */
#ifndef JFILTER_STREAM_H
#define JFILTER_STREAM_H

#include "jfilter.h"
#include "jqrun.h"

/* How each record goes through the program. */
struct stream_plan {
	struct fp_prog *fp;		/* the fast path, or NULL */
	int passthrough;		/* outputs are the record itself */
	int build;			/* libjq's input built from slices, not parsed */
	const struct fields *fields;	/* only these fields are built, or NULL */
};

/* Read the operands (standard input when none); --strict stops at the
 * first rejected record, --seq writes RS before each JSON output.  Also
 * makes the stream the source of jq's input builtins. */
void stream_open(int nfiles, char **files, int strict, int seq);
/* Every record through the program, until the input ends, the program
 * halts, output can no longer be written or --strict stops it. */
void stream_filter(const struct stream_plan *p);
/* -n: the program once, on null (it may read records with input). */
void stream_null_input(void);
/* What the last record left behind, and whether there was any record. */
enum last_state stream_last(void);
int stream_seen(void);
void stream_close(void);

#endif
