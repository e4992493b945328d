/*
 * JSON to Avro binary, one schema node at a time: see avro_encode.h.
 *
 * The walk keeps the path of the value it is at, so that a value that
 * does not fit is named.  A union tries its branches in the schema's
 * order, each from the same output length, and keeps the first that
 * takes the value; a failed try leaves no bytes behind.
 *
 * A record field's default (the schema's JSON, Avro specification
 * "Schema Declaration") is read as the specification says defaults are
 * written, which differs from kpipe's mapping: a union's default is of
 * its first branch, bytes and fixed are strings whose code points 0-255
 * are the bytes, and logical types are their underlying type's value.
 */
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avro_encode.h"
#include "avro_json.h"
#include "avro_wire.h"
#include "base64.h"
#include "num.h"
#include "timefmt.h"

struct enc {
	struct buf *out;
	struct buf *err;
	struct buf path;	/* where the walk is, as a field path */
	struct buf text;	/* scratch: a string's decoded text */
	int spec_default;	/* reading a schema default: the spec's JSON */
	int depth;		/* of the walk: C's stack is the limit */
	size_t steps, max_steps;	/* values visited, and the most allowed */
};

/* Nesting deeper than this does not fit: a recursive schema walked by
 * the data could otherwise exhaust the stack. */
#define MAX_DEPTH 1000

static int value(struct enc *e, const struct avro_node *n, struct json_val v);

/* Say why the value at the current path does not fit.  Always -1. */
static int __attribute__((format(printf, 2, 3)))
mismatch(struct enc *e, const char *fmt, ...)
{
	va_list ap;

	buf_reset(e->err);
	/* A path hundreds of steps deep is shown by its two ends. */
	if (e->path.len > 160) {
		size_t head = 60, tail = e->path.len - 80;

		/* Cut between characters, not inside one. */
		while (((unsigned char)e->path.p[head] & 0xc0) == 0x80)
			head--;
		while (((unsigned char)e->path.p[tail] & 0xc0) == 0x80)
			tail++;
		buf_add(e->err, e->path.p, head);
		buf_adds(e->err, "...");
		buf_adds(e->err, e->path.p + tail);
		buf_adds(e->err, ": ");
	} else {
		buf_printf(e->err, "%s: ", e->path.p);
	}
	va_start(ap, fmt);
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	buf_adds(e->err, msg);
	return -1;
}

/* Extend the path by an object key (quoted unless a plain name) or an
 * array index; the caller cuts it back to the length it had. */
static void
path_key(struct enc *e, const char *k, size_t n)
{
	int plain = n > 0 && !(k[0] >= '0' && k[0] <= '9');

	for (size_t i = 0; plain && i < n; i++) {
		unsigned char c = (unsigned char)k[i];
		plain = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9');
	}
	if (e->path.len || !plain)
		buf_addc(&e->path, '.');
	if (plain)
		buf_add(&e->path, k, n);
	else
		json_put_string(&e->path, k, n);
}

static void
path_index(struct enc *e, size_t i)
{
	buf_printf(&e->path, "[%zu]", i);
}

/* The value as a message shows it: a scalar's JSON text (its start, if
 * long), a container's kind. */
static const char *
shown(struct json_val v)
{
	static char text[64];
	size_t n = v.len;

	if (v.type == JSON_OBJECT || v.type == JSON_ARRAY)
		return v.type == JSON_OBJECT ? "an object" : "an array";
	if (n <= 40)
		return memcpy(text, v.p, n), text[n] = '\0', text;
	n = 37;
	while (n > 0 && ((unsigned char)v.p[n] & 0xc0) == 0x80)
		n--;
	memcpy(text, v.p, n);
	memcpy(text + n, "...", 4);
	return text;
}

/* The decoded text of the JSON string v, in e->text. */
static const char *
text_of(struct enc *e, struct json_val v)
{
	buf_reset(&e->text);
	json_string_decode(v, &e->text);
	return e->text.p;
}

/* A JSON number that is an integer, exactly: 1, -7, 1.0, 2e3.  0 ok;
 * -1 not an integer; -2 an integer beyond int64. */
static int
exact_integer(struct json_val v, int64_t *out)
{
	struct buf be = BUF_INIT;
	double d;

	if (num_parse_int(v.p, v.len, out) == 0)
		return 0;
	if (json_to_double(v, &d) != 0 || d != floor(d))
		return -1;
	if (fabs(d) > 9.3e18)
		return -2;
	int r = avro_json_parse_decimal(v.p, v.len, 0, 8, &be);
	if (r == 0) {
		uint64_t u = 0;
		for (int i = 0; i < 8; i++)
			u = u << 8 | (unsigned char)be.p[i];
		*out = (int64_t)u;
	}
	buf_free(&be);
	/* Integral as a double but not as written: a digit after the point
	 * that the double could not hold (1.0000000000000000001). */
	return r == 0 ? 0 : fabs(d) >= 9.2e18 ? -2 : -1;
}

static void
put_raw(struct enc *e, const void *p, size_t n)
{
	buf_add(e->out, p, n);
}

static void
put_bytes(struct enc *e, const void *p, size_t n)
{
	avro_wire_put_long(e->out, (int64_t)n);
	buf_add(e->out, p, n);
}

/* The integer kinds: int and long, and the logical types on them. */
static const char *const logical_names[] = {
	[AVRO_LOGICAL_DATE] = "date",
	[AVRO_LOGICAL_TIME_MILLIS] = "time-millis",
	[AVRO_LOGICAL_TIME_MICROS] = "time-micros",
	[AVRO_LOGICAL_TIMESTAMP_MILLIS] = "timestamp-millis",
	[AVRO_LOGICAL_TIMESTAMP_MICROS] = "timestamp-micros",
	[AVRO_LOGICAL_TIMESTAMP_NANOS] = "timestamp-nanos",
	[AVRO_LOGICAL_LOCAL_TIMESTAMP_MILLIS] = "local-timestamp-millis",
	[AVRO_LOGICAL_LOCAL_TIMESTAMP_MICROS] = "local-timestamp-micros",
	[AVRO_LOGICAL_LOCAL_TIMESTAMP_NANOS] = "local-timestamp-nanos",
};

static int
is_time(enum avro_logical l)
{
	return l >= AVRO_LOGICAL_DATE && l <= AVRO_LOGICAL_LOCAL_TIMESTAMP_NANOS;
}

/* The fraction digits a logical time type keeps: 3, 6 or 9. */
static int
unit_digits(enum avro_logical l)
{
	switch (l) {
	case AVRO_LOGICAL_TIME_MILLIS:
	case AVRO_LOGICAL_TIMESTAMP_MILLIS:
	case AVRO_LOGICAL_LOCAL_TIMESTAMP_MILLIS:
		return 3;
	case AVRO_LOGICAL_TIMESTAMP_NANOS:
	case AVRO_LOGICAL_LOCAL_TIMESTAMP_NANOS:
		return 9;
	default:
		return 6;
	}
}

/*
 * What the text of a time says that its type cannot hold, which the
 * parser would drop: a non-zero digit of the seconds' fraction past the
 * unit, or a zone on a local timestamp.  NULL when nothing.
 */
static const char *
time_loss(const char *s, size_t n, enum avro_logical l)
{
	const char *t = s, *end = s + n;
	int local = l >= AVRO_LOGICAL_LOCAL_TIMESTAMP_MILLIS &&
		    l <= AVRO_LOGICAL_LOCAL_TIMESTAMP_NANOS;

	if (l == AVRO_LOGICAL_DATE)
		return NULL;
	if (l != AVRO_LOGICAL_TIME_MILLIS && l != AVRO_LOGICAL_TIME_MICROS) {
		/* After the date: the time of day. */
		t = n > 10 ? s + 11 : end;
		if (local && strcspn(t, "Zz+-") < (size_t)(end - t))
			return "a local timestamp has no zone";
	}
	while (t < end && *t != '.' && *t != ',')
		t++;
	for (int i = 0; t + 1 + i < end && t[1 + i] >= '0' && t[1 + i] <= '9'; i++)
		if (i >= unit_digits(l) && t[1 + i] != '0')
			return "finer than its unit";
	return NULL;
}

static int
integer(struct enc *e, const struct avro_node *n, struct json_val v)
{
	enum avro_logical l = e->spec_default ? AVRO_LOGICAL_NONE : n->logical;
	int64_t i;
	int r;

	if (is_time(l) && v.type == JSON_STRING) {
		const char *s = text_of(e, v), *loss;
		if (avro_json_parse_time(s, e->text.len, l, &i) != 0)
			return mismatch(e, "\"%s\" is not a %s", s, logical_names[l]);
		if ((loss = time_loss(s, e->text.len, l)) != NULL)
			return mismatch(e, "\"%s\": %s, %s", s, logical_names[l], loss);
	} else if (v.type != JSON_NUMBER) {
		return mismatch(e, "%s is not %s", shown(v),
				is_time(l) ? "a time or an epoch number" : "an integer");
	} else if ((r = exact_integer(v, &i)) != 0) {
		return mismatch(e, "%.*s is %s", (int)v.len, v.p,
				r == -1 ? (is_time(l) ? "not a whole number of the unit"
					  : "not an integer")
				: "out of range for long");
	}
	if (n->kind == AVRO_KIND_INT && (i < INT32_MIN || i > INT32_MAX))
		return mismatch(e, "%.*s is out of range for int", (int)v.len, v.p);
	if ((l == AVRO_LOGICAL_TIME_MILLIS && (i < 0 || i >= 86400000LL)) ||
	    (l == AVRO_LOGICAL_TIME_MICROS && (i < 0 || i >= 86400000000LL)))
		return mismatch(e, "%.*s is not a time of day", (int)v.len, v.p);
	avro_wire_put_long(e->out, i);
	return 0;
}

/* float and double: a JSON number, or "NaN", "Infinity", "-Infinity". */
static int
floating(struct enc *e, const struct avro_node *n, struct json_val v)
{
	int is_float = n->kind == AVRO_KIND_FLOAT;
	double d;

	if (v.type == JSON_STRING && !e->spec_default) {
		const char *s = text_of(e, v);
		if (strcmp(s, "NaN") == 0)
			d = NAN;
		else if (strcmp(s, "Infinity") == 0)
			d = INFINITY;
		else if (strcmp(s, "-Infinity") == 0)
			d = -INFINITY;
		else
			return mismatch(e, "\"%s\" is not a number (only \"NaN\", \"Infinity\" "
					"and \"-Infinity\" are, as strings)", s);
	} else if (v.type != JSON_NUMBER || num_parse_json(v.p, v.len, &d) != 0) {
		return mismatch(e, "%s is not a number", shown(v));
	} else if (isinf(d) || (is_float && fabs(d) > FLT_MAX)) {
		return mismatch(e, "%.*s is out of range for %s", (int)v.len, v.p,
				is_float ? "float" : "double");
	}
	unsigned char le[8];
	if (is_float) {
		float f = (float)d;
		uint32_t u;
		memcpy(&u, &f, 4);
		for (int i = 0; i < 4; i++)
			le[i] = (unsigned char)(u >> (8 * i));
		put_raw(e, le, 4);
	} else {
		uint64_t u;
		memcpy(&u, &d, 8);
		for (int i = 0; i < 8; i++)
			le[i] = (unsigned char)(u >> (8 * i));
		put_raw(e, le, 8);
	}
	return 0;
}

/* The decimal digits of the unscaled integer of the decimal text s, for
 * the precision check: the significant digits, moved by the exponent. */
static long
unscaled_digits(const char *s, size_t n, int scale)
{
	long digits = 0, frac = 0, exp = 0;
	int seen = 0, in_frac = 0;
	size_t i = 0;

	for (; i < n && s[i] != 'e' && s[i] != 'E'; i++) {
		if (s[i] == '.') {
			in_frac = 1;
		} else if (s[i] >= '0' && s[i] <= '9') {
			frac += in_frac;
			if (s[i] != '0' || seen) {
				seen = 1;
				digits++;
			} else if (in_frac) {
				continue;
			}
		}
	}
	if (!seen)
		return 0;
	if (i < n)
		exp = strtol(s + i + 1, NULL, 10);
	/* The value is D x 10^(exp - frac) with D the significant digits:
	 * times 10^scale, that many digits and as many zeros again. */
	return digits + exp - frac + scale;
}

static int
decimal(struct enc *e, const struct avro_node *n, struct json_val v)
{
	const char *s = v.p;
	size_t len = v.len;
	struct buf be = BUF_INIT;

	if (v.type == JSON_STRING) {
		s = text_of(e, v);
		len = e->text.len;
	} else if (v.type != JSON_NUMBER) {
		return mismatch(e, "%s is not a decimal number", shown(v));
	}
	if (avro_json_parse_decimal(s, len, n->scale, n->kind == AVRO_KIND_FIXED ? n->size : 0,
				    &be) != 0) {
		buf_free(&be);
		return mismatch(e, "%.*s is not a decimal with at most %d fraction digits%s",
				(int)len, s, n->scale,
				n->kind == AVRO_KIND_FIXED ? " that fits its fixed size" : "");
	}
	if (unscaled_digits(s, len, n->scale) > n->precision) {
		buf_free(&be);
		return mismatch(e, "%.*s has more than the decimal's precision of %d digits",
				(int)len, s, n->precision);
	}
	if (n->kind == AVRO_KIND_FIXED)
		put_raw(e, be.p, be.len);
	else
		put_bytes(e, be.p, be.len);
	buf_free(&be);
	return 0;
}

/* A schema default's bytes: each code point 0-255 is one byte. */
static int
latin1_bytes(struct enc *e, struct json_val v, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)text_of(e, v);

	for (size_t i = 0; i < e->text.len; i++) {
		if (s[i] < 0x80) {
			buf_addc(out, (char)s[i]);
		} else if ((s[i] == 0xc2 || s[i] == 0xc3) && i + 1 < e->text.len) {
			buf_addc(out, (char)((s[i] & 0x03) << 6 | (s[i + 1] & 0x3f)));
			i++;
		} else {
			return -1;
		}
	}
	return 0;
}

/* bytes and fixed without a logical type: base64 (a default: latin-1). */
static int
binary(struct enc *e, const struct avro_node *n, struct json_val v)
{
	struct buf raw = BUF_INIT;
	int bad;

	if (v.type != JSON_STRING)
		return mismatch(e, "%s is not a %s string", shown(v),
				e->spec_default ? "bytes" : "base64");
	if (e->spec_default) {
		bad = latin1_bytes(e, v, &raw);
	} else {
		text_of(e, v);
		bad = base64_decode(e->text.p, e->text.len, &raw);
	}
	if (bad) {
		buf_free(&raw);
		return mismatch(e, "not %s", e->spec_default ? "bytes" : "base64");
	}
	if (n->kind == AVRO_KIND_FIXED && (int64_t)raw.len != n->size) {
		size_t got = raw.len;
		buf_free(&raw);
		return mismatch(e, "%zu bytes, the fixed %s holds %lld", got, n->name,
				(long long)n->size);
	}
	if (n->kind == AVRO_KIND_FIXED)
		put_raw(e, raw.p, raw.len);
	else
		put_bytes(e, raw.p, raw.len);
	buf_free(&raw);
	return 0;
}

/* A UUID's 16 bytes from its 36-character text. */
static int
uuid_parse(const char *s, size_t n, unsigned char out[16])
{
	int k = 0;

	if (n != 36)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -1;
			continue;
		}
		int c = s[i], h = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (h < 0)
			return -1;
		out[k / 2] = (unsigned char)(k % 2 ? out[k / 2] | h : h << 4);
		k++;
	}
	return 0;
}

static int
uuid(struct enc *e, const struct avro_node *n, struct json_val v)
{
	unsigned char u[16];

	if (v.type != JSON_STRING)
		return mismatch(e, "%s is not a UUID string", shown(v));
	const char *s = text_of(e, v);
	if (uuid_parse(s, e->text.len, u) != 0)
		return mismatch(e, "\"%s\" is not a UUID", s);
	if (n->kind == AVRO_KIND_FIXED)
		put_raw(e, u, 16);
	else
		put_bytes(e, s, e->text.len);
	return 0;
}

/* duration: {"months":M,"days":D,"milliseconds":MS}, each 0..2^32-1,
 * three little-endian unsigned 32-bit integers. */
static int
duration(struct enc *e, struct json_val v)
{
	static const char *const parts[] = {"months", "days", "milliseconds"};
	unsigned char le[12];
	struct json_val k, x;
	struct json_iter it;
	int64_t got[3] = {-1, -1, -1}, i;
	int r;

	if (v.type != JSON_OBJECT)
		return mismatch(e, "%s is not a duration {\"months\",\"days\",\"milliseconds\"}",
				shown(v));
	json_iter_init(&it, v);
	while ((r = json_iter_next(&it, &k, &x)) == 1) {
		int p = 0;
		while (p < 3 && !json_string_eq(k, parts[p], strlen(parts[p])))
			p++;
		if (p == 3)
			return mismatch(e, "%.*s is not a part of a duration", (int)k.len, k.p);
		if (x.type != JSON_NUMBER || exact_integer(x, &i) != 0 || i < 0 || i > UINT32_MAX)
			return mismatch(e, "%s: not an integer 0..4294967295", parts[p]);
		got[p] = i;
	}
	for (int p = 0; p < 3; p++) {
		if (got[p] < 0)
			return mismatch(e, "the duration has no %s", parts[p]);
		for (int b = 0; b < 4; b++)
			le[4 * p + b] = (unsigned char)(got[p] >> (8 * b));
	}
	put_raw(e, le, 12);
	return 0;
}

static int
symbol(struct enc *e, const struct avro_node *n, struct json_val v)
{
	if (v.type != JSON_STRING)
		return mismatch(e, "%s is not a symbol of the enum %s", shown(v), n->name);
	for (size_t i = 0; i < n->n; i++)
		if (json_string_eq(v, n->names[i], n->namelen[i])) {
			avro_wire_put_long(e->out, (int64_t)i);
			return 0;
		}
	return mismatch(e, "%.*s is not a symbol of the enum %s", (int)v.len, v.p, n->name);
}

/* Arrays and maps: one block of all the items, then the empty block. */
static int
items(struct enc *e, const struct avro_node *n, struct json_val v)
{
	int is_map = n->kind == AVRO_KIND_MAP;
	struct json_iter it;
	struct json_val k, x;
	size_t count = 0, at = e->path.len;
	int r;

	if (v.type != (is_map ? JSON_OBJECT : JSON_ARRAY))
		return mismatch(e, "%s is not %s", shown(v), is_map ? "a map (an object)"
				: "an array");
	json_iter_init(&it, v);
	while ((r = json_iter_next(&it, &k, &x)) == 1)
		count++;
	if (count)
		avro_wire_put_long(e->out, (int64_t)count);
	json_iter_init(&it, v);
	for (size_t i = 0; (r = json_iter_next(&it, &k, &x)) == 1; i++) {
		if (is_map) {
			const char *key = text_of(e, k);
			path_key(e, key, e->text.len);
			put_bytes(e, key, e->text.len);
		} else {
			path_index(e, i);
		}
		if (value(e, n->child[0], x) != 0)
			return -1;
		e->path.len = at;
		e->path.p[at] = '\0';
	}
	avro_wire_put_long(e->out, 0);	/* the end, and all of an empty one */
	return 0;
}

/* Where a record field's default is, as a JSON value (JSON_NONE: none). */
static struct json_val
field_default(const struct avro_node *n, size_t i)
{
	struct json_val d = {JSON_NONE, NULL, 0};

	if (n->defaults && n->defaults[i])
		json_value(n->defaults[i], n->defaults[i] + strlen(n->defaults[i]), &d);
	return d;
}

static int
record(struct enc *e, const struct avro_node *n, struct json_val v)
{
	struct json_iter it;
	struct json_val k, x;
	size_t at = e->path.len;
	int r;

	if (v.type != JSON_OBJECT)
		return mismatch(e, "%s is not a record (an object) of type %s", shown(v),
				n->name);
	/* A member the schema does not name would be dropped: not a fit. */
	json_iter_init(&it, v);
	while ((r = json_iter_next(&it, &k, &x)) == 1) {
		size_t f = 0;
		while (f < n->n && !json_string_eq(k, n->names[f], n->namelen[f]))
			f++;
		if (f == n->n) {
			const char *key = text_of(e, k);
			path_key(e, key, e->text.len);
			return mismatch(e, "no such field in the record %s", n->name);
		}
	}
	for (size_t f = 0; f < n->n; f++) {
		const char *p = v.p;
		int spec = e->spec_default;

		path_key(e, n->names[f], n->namelen[f]);
		if (json_step_key(&p, v.p + v.len, n->names[f], n->namelen[f]) == 1) {
			json_value(p, v.p + v.len, &x);
		} else if ((x = field_default(n, f)).type != JSON_NONE) {
			e->spec_default = 1;
		} else {
			return mismatch(e, "missing, and the field has no default");
		}
		r = value(e, n->child[f], x);
		e->spec_default = spec;
		if (r != 0)
			return -1;
		e->path.len = at;
		e->path.p[at] = '\0';
	}
	return 0;
}

/* The branch a tagged union value {"name": value} names: an object of one
 * member whose key is a branch's name. */
static int
tagged_branch(const struct avro_node *n, struct json_val v, struct json_val *inner)
{
	struct json_iter it;
	struct json_val k, x, y;

	if (v.type != JSON_OBJECT)
		return -1;
	json_iter_init(&it, v);
	if (json_iter_next(&it, &k, &x) != 1 || json_iter_next(&it, &k, &y) != 0)
		return -1;
	json_iter_init(&it, v);
	json_iter_next(&it, &k, &x);
	for (size_t b = 0; b < n->n; b++)
		if (json_string_eq(k, n->child[b]->name, strlen(n->child[b]->name))) {
			*inner = x;
			return (int)b;
		}
	return -1;
}

/* Has the walk used up its steps?  Then its reason stands: no other
 * branch is tried. */
static int
over_budget(const struct enc *e)
{
	return e->steps > e->max_steps;
}

static int
try_branch(struct enc *e, const struct avro_node *n, size_t b, struct json_val v)
{
	size_t len = e->out->len;

	avro_wire_put_long(e->out, (int64_t)b);
	if (value(e, n->child[b], v) == 0)
		return 0;
	e->out->len = len;
	return -1;
}

/*
 * A union's value: a default is of the first branch; a tagged value is
 * of the branch it names, when it fits it; otherwise the first branch in
 * the schema's order that the plain value fits.  When none does, the
 * reason is the only non-null branch's, or a list of the branches.
 */
static int
branch(struct enc *e, const struct avro_node *n, struct json_val v)
{
	struct json_val inner;
	size_t at = e->path.len;
	int b;

	if (n->n == 0)
		return mismatch(e, "the union has no branches");
	if (e->spec_default)
		return try_branch(e, n, 0, v);
	if ((b = tagged_branch(n, v, &inner)) >= 0 && try_branch(e, n, (size_t)b, inner) == 0)
		return 0;
	if (over_budget(e))
		return -1;
	/* A tagged value that does not fit its branch: that branch's reason
	 * says more than the plain tries', unless one of them takes it. */
	struct buf tagged_why = BUF_INIT;
	if (b >= 0)
		buf_add(&tagged_why, e->err->p, e->err->len);
	e->path.len = at;
	e->path.p[at] = '\0';
	for (size_t i = 0; i < n->n; i++) {
		if (try_branch(e, n, i, v) == 0 || over_budget(e)) {
			int r = over_budget(e) ? -1 : 0;
			buf_free(&tagged_why);
			return r;
		}
		e->path.len = at;
		e->path.p[at] = '\0';
	}
	if (b >= 0) {
		buf_reset(e->err);
		buf_add(e->err, tagged_why.p, tagged_why.len);
		buf_free(&tagged_why);
		return -1;
	}
	/* Run the only other branch again for its reason, then drop what it
	 * wrote. */
	if (n->n == 2 && n->null_branch >= 0 && v.type != JSON_NULL) {
		size_t len = e->out->len;
		value(e, n->child[1 - n->null_branch], v);
		e->out->len = len;
		return -1;
	}
	struct buf names = BUF_INIT;
	for (size_t i = 0; i < n->n; i++)
		buf_printf(&names, "%s%s", i ? ", " : "", n->child[i]->name);
	mismatch(e, "%s fits no branch of the union [%s]", shown(v), names.p);
	buf_free(&names);
	return -1;
}

/* One value of schema node n. */
static int
datum(struct enc *e, const struct avro_node *n, struct json_val v)
{
	enum avro_logical l = e->spec_default ? AVRO_LOGICAL_NONE : n->logical;

	if (l == AVRO_LOGICAL_DECIMAL)
		return decimal(e, n, v);
	if (l == AVRO_LOGICAL_UUID)
		return uuid(e, n, v);
	if (l == AVRO_LOGICAL_DURATION)
		return duration(e, v);
	switch (n->kind) {
	case AVRO_KIND_NULL:
		return v.type == JSON_NULL ? 0 : mismatch(e, "%s is not null", shown(v));
	case AVRO_KIND_BOOLEAN:
		if (v.type != JSON_TRUE && v.type != JSON_FALSE)
			return mismatch(e, "%s is not a boolean", shown(v));
		buf_addc(e->out, v.type == JSON_TRUE);
		return 0;
	case AVRO_KIND_INT:
	case AVRO_KIND_LONG:
		return integer(e, n, v);
	case AVRO_KIND_FLOAT:
	case AVRO_KIND_DOUBLE:
		return floating(e, n, v);
	case AVRO_KIND_BYTES:
	case AVRO_KIND_FIXED:
		return binary(e, n, v);
	case AVRO_KIND_STRING:
		if (v.type != JSON_STRING)
			return mismatch(e, "%s is not a string", shown(v));
		text_of(e, v);
		put_bytes(e, e->text.p, e->text.len);
		return 0;
	case AVRO_KIND_RECORD:
		return record(e, n, v);
	case AVRO_KIND_ENUM:
		return symbol(e, n, v);
	case AVRO_KIND_ARRAY:
	case AVRO_KIND_MAP:
		return items(e, n, v);
	case AVRO_KIND_UNION:
		return branch(e, n, v);
	}
	return mismatch(e, "unknown schema type");
}

static int
value(struct enc *e, const struct avro_node *n, struct json_val v)
{
	int r;

	/* A union retries its branches, and unions of records that nest
	 * each other could retry without end: a budget in proportion to the
	 * value's size stops that. */
	if (++e->steps > e->max_steps)
		return e->steps == e->max_steps + 1
			? mismatch(e, "too many ways to read the value against the unions' "
				   "branches (tag it)")
			: -1;
	if (e->depth >= MAX_DEPTH)
		return mismatch(e, "nested deeper than %d", MAX_DEPTH);
	e->depth++;
	r = datum(e, n, v);
	e->depth--;
	return r;
}

int
avro_encode(const struct avro_node *root, struct json_val v, const char *name, struct buf *out,
	    struct buf *err)
{
	struct enc e = {out, err, BUF_INIT, BUF_INIT, 0, 0, 0, 0};
	size_t len = out->len;
	int r;

	e.max_steps = 16 * v.len + 100000;

	buf_grow(&e.path, 64);
	e.path.p[0] = '\0';
	buf_adds(&e.path, name);
	r = value(&e, root, v);
	if (r != 0)
		out->len = len;
	buf_free(&e.path);
	buf_free(&e.text);
	return r;
}
