/*
 * jfilter's parts: the libjq engine (jqrun.c), the fast path that
 * evaluates a subset of jq directly on a line's bytes (fastpath.c), the
 * writers that print values exactly as jq 1.6 does (jqprint.c), and the
 * tokenizer of jq programs that fastpath.c and fields.c read them with
 * (jqlex.h).
 */
#ifndef JFILTER_H
#define JFILTER_H

#include <stddef.h>
#include <jv.h>
#include "buf.h"
#include "json.h"

/* What a record left behind, for -e (jq's exit status is that of the
 * last input). */
enum last_state {
	LAST_NONE,		/* no output */
	LAST_FALSY,		/* the last output was false or null */
	LAST_TRUTHY,		/* the last output was anything else, or a raw string */
	LAST_ERROR		/* the record raised an error or was not JSON */
};

/* ---- jqprint.c: jq 1.6's compact printing, without a jv ---- */

/* Append a JSON string slice (quotes included) as jq would print it after
 * parsing.  0 ok, -1 when only libjq can say (lone surrogate escapes). */
int jqp_string(struct buf *b, struct json_val s);
/* Append the decoded bytes of a string slice (for -r). */
int jqp_raw_string(struct buf *b, struct json_val s);
/* Append a number slice as jq prints the double it reads as.  -1 when the
 * text has more than 15 significant digits or an extreme exponent: then
 * only libjq's dtoa is sure to agree. */
int jqp_number(struct buf *b, const char *p, size_t n);
/* Any value, recursively; objects with repeated keys give -1. */
int jqp_value(struct buf *b, struct json_val v);
/* Whether the compact line might be read differently by jq 1.6 than by an
 * RFC 8259 parser: \uD800-\uDFFF escapes (jq rejects lone ones) or nesting
 * deeper than jq's limit of 256. */
int jqp_suspect(const char *p, size_t n);

/* ---- fastpath.c ---- */

struct fp_prog;
struct fp_out {
	int n;			/* outputs: 0 or 1 */
	int whole;		/* the output is the input itself */
	int raw;		/* the output is a raw string (-r), no --seq marker */
	int falsy;		/* the output is false or null */
};
/* Compile the jq program if it is within the subset, else NULL.  vars
 * (not consumed) holds the named arguments: scalars become literals. */
struct fp_prog *fp_compile(const char *program, jv vars, int raw_output);
/* Evaluate on one compact, valid JSON text.  Returns 0 with *o set and the
 * output (when o->n and not o->whole) in out, or -1: ask libjq. */
int fp_run(struct fp_prog *fp, const char *p, size_t n, struct buf *out, struct fp_out *o);
void fp_free(struct fp_prog *fp);
/* Whether every output of the program is its input unchanged: a pipeline
 * or comma list of select(...), ".", "empty".  Conservative. */
int fp_passthrough(const char *program);

/* ---- fields.c ---- */

/* The record fields a program can see, when it sees no more than those. */
struct fields {
	int n;
	char **name;
	size_t *len;
};
/* 0 with *f set when the program only ever looks at the record through
 * constant field names (passthrough: its outputs are written as the raw
 * record, so it may output the record); -1 otherwise. */
int fields_needed(const char *program, int passthrough, struct fields *f);
/* An object of just those fields of the compact JSON object p, as jq would
 * parse them; jv_invalid() when the record is not a plain object. */
jv fields_record(const struct fields *f, const char *p, size_t n, struct buf *scratch);
/* The value of a slice of valid JSON, as jv_parse would build it, or
 * jv_invalid(); scratch is for decoding strings. */
jv json_to_jv(struct json_val v, struct buf *scratch);
void fields_free(struct fields *f);

#endif
