/*
 * jparse's internal interfaces: a record is a list of named text fields
 * that each format fills in and record.c turns into one JSON object.
 */
#ifndef JPARSE_H
#define JPARSE_H

#include <stddef.h>
#include <stdint.h>
#include "admit.h"
#include "buf.h"
#include "json.h"
#include "path.h"

/* How a field's bytes become a JSON value. */
enum vkind {
	V_TEXT,		/* text: inferred (number, boolean, null) unless --strings */
	V_STRING,	/* text that stays a string (a quoted logfmt value) */
	V_NULL,		/* no value at all (unset capture, empty CSV cell) */
	V_TRUE		/* a bare logfmt key */
};

/* A name points to bytes that outlive the record (a CSV header, a
 * pattern's name table, the input line); values are copied into the
 * record's buffer, reused for every record, so building a record
 * allocates nothing in the steady state. */
struct field {
	const char *name;
	size_t namelen;
	size_t val, vallen;	/* offset into record.text */
	enum vkind kind;
};

struct record_builder {
	struct buf text;
	struct field *f;
	size_t n, cap;
	int dups;		/* names may repeat: the last value wins, at the first place */
};

void rec_reset(struct record_builder *r);
void rec_add(struct record_builder *r, const char *name, size_t namelen,
	     const char *val, size_t vallen, enum vkind kind);
void rec_free(struct record_builder *r);

/* What becomes of a record on the way out. */
struct emit {
	int strings;			/* --strings: no type inference */
	const struct path *time;	/* --time FIELD, or NULL; one key for text formats */
	const char *time_format;	/* --time FIELD=FORMAT, or NULL */
	int epoch_unit;			/* enum epoch_unit */
	const char *meta_key;		/* -f: where the envelope goes; NULL drops it */
};

/* Append ,"META_KEY":meta (no comma when first): the envelope of a
 * record parsed from a field, one way for every input format. */
void meta_put(struct buf *out, const struct emit *e, const char *meta, size_t metalen, int first);

/* Append r as one JSON object to out, with meta (the JSON object of the
 * envelope's other members, or NULL) under e->meta_key.  0 ok; -1 with a
 * reason in why (out is then restored): a time that is not one, or a
 * field of r named as e->meta_key, which would give the object that key
 * twice. */
int rec_write(const struct record_builder *r, const struct emit *e, const char *meta,
	      size_t metalen, struct buf *out, char *why, size_t whylen);

/* jsonrec.c: --json.  The admitted record rec (compact) as one record in
 * out (a value that is not an object becomes {"value": ...}), --time
 * applied, and meta (the envelope's other members, or NULL) under
 * e->meta_key, unless the record has that key itself: members lists the
 * record's top-level members (struct json_member) when they are known,
 * else NULL.  0 ok; -1 with a reason in why.  tmp is scratch space. */
int json_record(const struct emit *e, struct json_val rec, const struct buf *members,
		const char *meta, size_t metalen, struct buf *out, struct buf *tmp,
		char *why, size_t whylen);
/* -f with --json: the text in the field, p[0..n), admitted by the rule
 * for lines (admit.h) into compact, its top-level members listed in
 * members (slices of p): 0 with *rec set, or -1 with why (the caller
 * reports the envelope line).  Any JSON value is taken. */
int json_text_admit(struct admit *a, const char *p, size_t n, struct buf *compact,
		    struct buf *members, struct json_val *rec, char *why, size_t whylen);

/* envelope.c: -f.  An input line that is a JSON object holding the text
 * to parse in one field; the other members are kept for the meta key. */
struct envelope {
	struct admit admit;	/* the line's admission: the field's slice points into it */
	struct buf meta;	/* a JSON object: the other top-level members, or
				 * the whole envelope when the field is nested */
	const struct json_member *top;	/* the line's top-level members */
	struct buf members;	/* top, when admission's list was not compact */
};
void envelope_init(struct envelope *env);
/* Split line l, admitted as a record (admit.h): ENV_OK with *v the
 * field's value and env->meta set; ENV_NONE for a blank line or one that
 * admission rejected (and reported); ENV_BAD with a reason in why (no
 * such field). */
enum envelope_result { ENV_OK, ENV_NONE, ENV_BAD };
enum envelope_result envelope_split(struct envelope *env, const struct path *field,
				    const struct line *l, struct json_val *v, char *why, size_t whylen);
void envelope_free(struct envelope *env);

/* Append the JSON for text s[0..n) as type inference sees it: a number
 * (kept as written), true, false, null for empty, else a string. */
void infer_put(struct buf *out, const char *s, size_t n);

/* Append s[0..n) as a JSON string: the bytes json_put_string writes,
 * without its calls per piece when the text is plain ASCII. */
void str_put(struct buf *out, const char *s, size_t n);

/* logfmt.c: parse one line of key=value pairs into r.  0 ok; -1 with a
 * static reason in *why and the byte offset in *at. */
int logfmt_parse(const char *p, size_t n, struct record_builder *r, const char **why, size_t *at);
/* The buffer logfmt_parse keeps between lines, given back at the end. */
void logfmt_free(void);

/* regex.c: PCRE2 with JIT; each named capture becomes a field, in the
 * order of the groups in the pattern. */
struct rx;
struct rx *rx_compile(const char *pattern, char *err, size_t errlen);
/* 1 matched (fields added to r), 0 no match, -1 matching failed (*why). */
int rx_match(struct rx *x, const char *p, size_t n, struct record_builder *r, const char **why);
void rx_free(struct rx *x);

/* presets.c: named log formats. */
struct preset {
	const char *name;
	const char *pattern;
	const char *time_field;		/* the field --time uses by default */
	const char *time_format;	/* NULL: time_parse's formats apply */
	const char *about;
};
const struct preset *preset_find(const char *name);
extern const struct preset presets[];

/* csv.c: CSV/TSV through libcsv.  Rows are handed to the callback with
 * the file line they started on; the parser keeps the raw bytes of the
 * pending record so a rejected one can be dead-lettered whole. */
struct csvp;
typedef void csv_row_fn(void *ctx, const struct record_builder *r, const char *file,
			uint64_t lineno, const char *raw, size_t rawlen, const char *why);
struct csvp *csvp_new(unsigned char delim, char **header, int nheader,
		      csv_row_fn *fn, void *ctx);
/* Start a new source: the header (unless given) is read again. */
void csvp_begin(struct csvp *c, const char *name);
/* Feed the bytes of one line, with its line terminator if it has one. */
void csvp_feed(struct csvp *c, const char *p, size_t n, uint64_t lineno);
/* End of the source: flush a last record without a newline. */
void csvp_end(struct csvp *c);
void csvp_free(struct csvp *c);
/* Read the operands (standard input when none, or "-") and feed them line
 * by line, each with its terminator put back where libcsv needs it (a
 * CRLF inside a quoted field is part of the value), until output can no
 * longer be written. */
void csvp_read(struct csvp *c, int nfiles, char **files);

/* lines.c: the run, as main settled it. */
enum input_format { F_NONE, F_JSON, F_CSV, F_TSV, F_LOGFMT, F_REGEX };
struct plan {
	enum input_format fmt;
	const char *fmtname;	/* for messages: "json", "clf", "the regex" ... */
	struct emit e;
	struct rx *rx;		/* F_REGEX */
	unsigned char delim;	/* F_CSV, F_TSV */
	char **header;		/* --header names, or NULL */
	int nheader;
	const struct path *field;	/* -f, or NULL */
};
/* Read the operands (standard input when none) and write a record for
 * each line, or reject it; stops early when output can no longer be
 * written. */
void lines_run(const struct plan *plan, int nfiles, char **files);

#endif
