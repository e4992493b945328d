/*
 * jfilter's libjq engine.
 */
#ifndef JFILTER_JQRUN_H
#define JFILTER_JQRUN_H

#include <stddef.h>
#include <stdint.h>
#include <jq.h>
#include "jfilter.h"

/* The record being evaluated: where it came from and its bytes. */
struct source_record {
	const char *file;
	uint64_t lineno;
	const char *raw;	/* as read, for messages and dead letters */
	size_t rawlen;
	const char *compact;	/* the same JSON without insignificant space */
	size_t compactlen;
	int passthrough;	/* outputs are this record: write compact as is */
};

/* Compile; a program that does not compile is a usage error (exit 2) with
 * jq's messages.  named is the --arg/--argjson/... object, positional the
 * --args array, libpath an array of -L directories or null for jq's
 * default; self is argv[0] (for $ORIGIN). */
void jqr_init(const char *program, const char *prog_origin, jv named, jv positional,
    jv libpath, const char *self, int raw, int seq);
/* The source of jq's input and inputs builtins. */
void jqr_set_input_cb(jv (*cb)(jq_state *, void *), void *data);
/* Run the program on input (consumed), writing its outputs, until it ends
 * or output can no longer be written.  An error is reported on the record
 * current() returns (the line read last). */
enum last_state jqr_run(jv input, const struct source_record *r, const struct source_record *(*current)(void));
/* -1, or the exit status asked for by halt / halt_error. */
int jqr_halted(void);
void jqr_free(void);

#endif
