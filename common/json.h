/*
 * JSON on a line's bytes.  No DOM: a value is a slice of the line (its type
 * and where it starts and ends), found by scanning only as far as needed.
 * Strings keep their quotes and escapes until someone asks for the decoded
 * text, and numbers keep their digits, so a record that passes through
 * unchanged keeps every byte (big integers included).
 *
 * json_validate and json_compact accept exactly RFC 8259 (as JSONTestSuite
 * tests it): one value, optional surrounding whitespace, UTF-8 text with no
 * unescaped control characters, nesting up to JSON_MAX_DEPTH.
 */
#ifndef KPIPE_JSON_H
#define KPIPE_JSON_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"

#define JSON_MAX_DEPTH 10000

enum json_type {
	JSON_NONE = 0,		/* missing, or not a value */
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT
};

/* The type of the valid JSON value whose first byte is c. */
static inline enum json_type
json_type_at(unsigned char c)
{
	switch (c) {
	case '{': return JSON_OBJECT;
	case '[': return JSON_ARRAY;
	case '"': return JSON_STRING;
	case 't': return JSON_TRUE;
	case 'f': return JSON_FALSE;
	case 'n': return JSON_NULL;
	default: return JSON_NUMBER;
	}
}

struct json_val {
	enum json_type type;
	const char *p;		/* first byte of the value ('"' for strings) */
	size_t len;		/* bytes up to the end of the value */
};

struct json_error {
	size_t offset;		/* byte offset of the problem in the text */
	const char *msg;	/* static text, e.g. "unterminated string" */
};

/* 0 if p[0..n) is exactly one valid JSON text, else -1 and *err. */
int json_validate(const char *p, size_t n, struct json_error *err);

/* Validate and append the text without insignificant whitespace to out
 * (all other bytes unchanged).  0 ok, -1 and *err on invalid input (out's
 * length is then restored). */
int json_compact(const char *p, size_t n, struct buf *out, struct json_error *err);

/* The value at the start of p (leading whitespace skipped).  Returns the
 * byte just past it, or NULL if malformed.  Containers are skipped with a
 * light scan (brackets, strings) that does not validate their contents. */
const char *json_value(const char *p, const char *end, struct json_val *v);

/* A member of an object: its key (a JSON_STRING slice, quotes included)
 * and its value. */
struct json_member {
	struct json_val key, val;
};

/* What a record must pass (admit.h): json_validate, and also a \u escape
 * of a UTF-16 surrogate must be half of a high-low pair (jq rejects or
 * mangles lone ones, so a text with one cannot go through every command).
 * Returns 0 when valid, 1 when valid but some object, at any depth, names
 * a key twice (compared by decoded text: "a" and "\u0061" are one key),
 * -1 and *err when invalid.  When out is not NULL the text is also
 * appended without insignificant whitespace, as json_compact.  scratch is
 * working memory the caller keeps from call to call (BUF_INIT at first),
 * so that the steady state allocates nothing.  When members is not NULL
 * it is set to the members of the text's outermost object, in order, as
 * an array of struct json_member (slices of p; none for a text that is
 * not an object), found in the same pass: a reader that wants a few
 * top-level fields of every record need not scan it again. */
int json_check_record(const char *p, size_t n, struct buf *out, struct buf *scratch,
    struct buf *members, struct json_error *err);

/* One step into a container, for field paths (path_lookup): *p is at a
 * value (white space before it is skipped); move *p to the value of the
 * object's member key (compared by decoded text; when a key repeats, the
 * first counts), or to element i of the array (negative i counts from
 * the end).  1 found, 0 missing (including a step into a value that is
 * not that container), -1 malformed text. */
int json_step_key(const char **p, const char *end, const char *key, size_t keylen);
int json_step_index(const char **p, const char *end, long i);

/* Iterate over an object's members or an array's elements.  key is set to
 * the member's name (a JSON_STRING slice) for objects, type JSON_NONE for
 * arrays.  next returns 1 for a member, 0 at the end, -1 if malformed. */
struct json_span;
struct json_iter {
	const char *p, *end;
	int is_object;
	int first;
	const struct json_span *spans;	/* see json_iter_spans; NULL unless set */
	size_t nspans;
};
int json_iter_init(struct json_iter *it, struct json_val container);
int json_iter_next(struct json_iter *it, struct json_val *key, struct json_val *val);

/* Where the arrays and objects of a valid JSON text end.  An iterator
 * finds the end of a member that is a container by scanning it, so
 * walking every level of a text nested d deep scans it up to d times;
 * json_spans records every container's extent in one pass over
 * p[0..n) (into spans, an array of struct json_span in the order the
 * containers open), and json_iter_spans makes an iterator over a
 * container of that text step over members through it, so that a walk
 * of the whole text costs time in proportion to its length. */
struct json_span {
	const char *open, *close;	/* the opening bracket; just past the closing one */
};
void json_spans(const char *p, size_t n, struct buf *spans);
void json_iter_spans(struct json_iter *it, const struct buf *spans);

/* Append the decoded UTF-8 of a JSON_STRING slice.  0 ok, -1 bad escape. */
int json_string_decode(struct json_val s, struct buf *out);

/* Compare a JSON_STRING slice with plain bytes, decoding escapes. */
int json_string_eq(struct json_val s, const char *text, size_t n);

/* A number, or a string holding a number ("12.5", as Spark casts): 0 ok with
 * *d set, -1 otherwise (including null and missing). */
int json_to_double(struct json_val v, double *d);

/* Writing.  json_put_string escapes as JSON requires (", \, control
 * characters as \b \f \n \r \t or else \u00XX, as jq writes them); it
 * copies valid UTF-8 as is and turns each invalid byte into U+FFFD.
 * json_put_double writes the shortest text that reads back to the same
 * double (num_format); NaN and infinities become null. */
void json_put_string(struct buf *b, const char *s, size_t n);
void json_put_double(struct buf *b, double d);
void json_put_int(struct buf *b, int64_t i);

/* A small structural writer that places commas and colons.
 *   struct jw w; jw_init(&w, &b);
 *   jw_object(&w); jw_key(&w, "n", 1); jw_int(&w, 3); jw_end(&w);  -> {"n":3} */
#define JW_MAX_DEPTH 64
struct jw {
	struct buf *b;
	int depth;
	unsigned char need_comma[JW_MAX_DEPTH];
	unsigned char after_key;
};
void jw_init(struct jw *w, struct buf *b);
void jw_object(struct jw *w);
void jw_array(struct jw *w);
void jw_end(struct jw *w);		/* closes the innermost object or array */
void jw_key(struct jw *w, const char *k, size_t n);
void jw_string(struct jw *w, const char *s, size_t n);
void jw_raw(struct jw *w, const char *json, size_t n);	/* an already-encoded value */
void jw_double(struct jw *w, double d);
void jw_int(struct jw *w, int64_t i);
void jw_bool(struct jw *w, int v);
void jw_null(struct jw *w);

/* UTF-8 check: 0 if valid, else -1 and *bad = offset of the first bad byte. */
int utf8_validate(const char *p, size_t n, size_t *bad);

#endif
