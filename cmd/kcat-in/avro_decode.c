/*
 * Avro binary to JSON: see avro_decode.h.  Each function reads one datum
 * at w->p, appends its JSON to w->out and returns 0, or sets w->why and
 * returns -1; nothing is read past w->end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avro_decode.h"
#include "avro_json.h"
#include "avro_model.h"
#include "avro_wire.h"
#include "base64.h"
#include "json.h"

struct walk {
	const unsigned char *p, *start, *end;
	struct buf *out;
	enum avro_unions unions;
	const char *why;
	int depth;
	struct buf *keys;	/* scratch: the keys of maps being written */
};

static int datum(struct walk *w, const struct avro_node *n);

static int
fail(struct walk *w, const char *why)
{
	w->why = why;
	return -1;
}

static int
read_long(struct walk *w, int64_t *v)
{
	if (avro_wire_read_long(&w->p, w->end, v) != 0)
		return fail(w, "a number runs past the end or past 64 bits");
	return 0;
}

static int
read_int(struct walk *w, int64_t *v)
{
	if (read_long(w, v) != 0)
		return -1;
	if (*v < INT32_MIN || *v > INT32_MAX)
		return fail(w, "an int out of the 32-bit range");
	return 0;
}

/* The length-prefixed bytes of a bytes or string datum. */
static int
read_bytes(struct walk *w, const unsigned char **s, size_t *n)
{
	int64_t len;

	if (read_long(w, &len) != 0)
		return -1;
	if (len < 0 || len > w->end - w->p)
		return fail(w, len < 0 ? "a negative length" : "bytes or a string run past the end");
	*s = w->p;
	*n = (size_t)len;
	w->p += len;
	return 0;
}

static int
read_fixed(struct walk *w, int64_t size, const unsigned char **s)
{
	if (size > w->end - w->p)
		return fail(w, "a fixed runs past the end");
	*s = w->p;
	w->p += size;
	return 0;
}

/* Little-endian IEEE bytes, as Avro writes float and double. */
static uint64_t
little_endian(const unsigned char *s, int n)
{
	uint64_t v = 0;

	for (int i = n; i-- > 0;)
		v = v << 8 | s[i];
	return v;
}

static int
put_text(struct walk *w, const unsigned char *s, size_t n)
{
	size_t bad;

	if (utf8_validate((const char *)s, n, &bad) != 0)
		return fail(w, "a string is not UTF-8");
	json_put_string(w->out, (const char *)s, n);
	return 0;
}

/* A uuid held in fixed(16): the usual 8-4-4-4-12 hex form. */
static void
put_uuid(struct walk *w, const unsigned char *s)
{
	static const char hex[] = "0123456789abcdef";

	buf_addc(w->out, '"');
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			buf_addc(w->out, '-');
		buf_addc(w->out, hex[s[i] >> 4]);
		buf_addc(w->out, hex[s[i] & 15]);
	}
	buf_addc(w->out, '"');
}

static void
put_duration(struct walk *w, const unsigned char *s)
{
	buf_printf(w->out, "{\"months\":%lu,\"days\":%lu,\"milliseconds\":%lu}",
		   (unsigned long)little_endian(s, 4), (unsigned long)little_endian(s + 4, 4),
		   (unsigned long)little_endian(s + 8, 4));
}

static int
bytes_like(struct walk *w, const struct avro_node *n)
{
	const unsigned char *s;
	size_t len;

	if (n->kind == AVRO_KIND_FIXED) {
		if (read_fixed(w, n->size, &s) != 0)
			return -1;
		len = (size_t)n->size;
	} else if (read_bytes(w, &s, &len) != 0) {
		return -1;
	}
	if (n->logical == AVRO_LOGICAL_DECIMAL) {
		/* Printing is quadratic in the bytes: refuse what no schema's
		 * precision needs, as kout refuses to write it. */
		if (len > AVRO_DECIMAL_MAX_DIGITS / 2)
			return fail(w, "a decimal of more digits than any precision needs");
		avro_json_put_decimal(w->out, s, len, n->scale);
	} else if (n->kind == AVRO_KIND_STRING)	/* uuid too: it is its text */
		return put_text(w, s, len);
	else if (n->logical == AVRO_LOGICAL_UUID)
		put_uuid(w, s);
	else if (n->logical == AVRO_LOGICAL_DURATION)
		put_duration(w, s);
	else
		base64_put_string(s, len, w->out);
	return 0;
}

static int
integer(struct walk *w, const struct avro_node *n)
{
	int64_t v;

	if ((n->kind == AVRO_KIND_INT ? read_int(w, &v) : read_long(w, &v)) != 0)
		return -1;
	if (n->logical == AVRO_LOGICAL_NONE)
		json_put_int(w->out, v);
	else
		avro_json_put_time(w->out, n->logical, v);
	return 0;
}

static int
floating(struct walk *w, const struct avro_node *n)
{
	int size = n->kind == AVRO_KIND_FLOAT ? 4 : 8;
	uint64_t bits;

	if (w->end - w->p < size)
		return fail(w, "a float or double runs past the end");
	bits = little_endian(w->p, size);
	w->p += size;
	if (size == 4) {
		uint32_t b32 = (uint32_t)bits;
		float f;
		memcpy(&f, &b32, sizeof f);
		avro_json_put_float(w->out, f);
	} else {
		double d;
		memcpy(&d, &bits, sizeof d);
		avro_json_put_double(w->out, d);
	}
	return 0;
}

/* Names in a schema are [A-Za-z_][A-Za-z0-9_]*: nothing to escape. */
static void
put_name(struct walk *w, const char *s, size_t n)
{
	buf_addc(w->out, '"');
	buf_add(w->out, s, n);
	buf_addc(w->out, '"');
}

static int
record(struct walk *w, const struct avro_node *n)
{
	buf_addc(w->out, '{');
	for (size_t i = 0; i < n->n; i++) {
		if (i)
			buf_addc(w->out, ',');
		put_name(w, n->names[i], n->namelen[i]);
		buf_addc(w->out, ':');
		if (datum(w, n->child[i]) != 0)
			return -1;
	}
	buf_addc(w->out, '}');
	return 0;
}

static int
enumeration(struct walk *w, const struct avro_node *n)
{
	int64_t i;

	if (read_int(w, &i) != 0)
		return -1;
	if (i < 0 || (uint64_t)i >= n->n)
		return fail(w, "an enum index out of range");
	put_name(w, n->names[i], n->namelen[i]);
	return 0;
}

static int
branch(struct walk *w, const struct avro_node *n)
{
	const struct avro_node *b;
	int64_t i;

	if (read_int(w, &i) != 0)
		return -1;
	if (i < 0 || (uint64_t)i >= n->n)
		return fail(w, "a union branch out of range");
	b = n->child[i];
	if (w->unions == AVRO_UNIONS_PLAIN || b->kind == AVRO_KIND_NULL)
		return datum(w, b);
	/* Avro's JSON encoding: {"type name": value}. */
	buf_addc(w->out, '{');
	json_put_string(w->out, b->name, strlen(b->name));
	buf_addc(w->out, ':');
	if (datum(w, b) != 0)
		return -1;
	buf_addc(w->out, '}');
	return 0;
}

/* Can a datum of n take no bytes at all?  Then a block count says nothing
 * about how much input it needs. */
static int
zero_width(const struct avro_node *n)
{
	if (n->kind == AVRO_KIND_NULL || (n->kind == AVRO_KIND_FIXED && n->size == 0))
		return 1;
	if (n->kind != AVRO_KIND_RECORD)
		return 0;
	for (size_t i = 0; i < n->n; i++)
		if (n->child[i] != n && !zero_width(n->child[i]))
			return 0;
	return 1;
}

/* Beyond this many items of a type that takes no bytes, an array or map
 * is taken for garbage rather than written out. */
#define MAX_EMPTY_ITEMS (1 << 20)

/* The count of the next block of an array or map (0: the end), its byte
 * size (when the count is negative) skipped. */
static int
block_count(struct walk *w, const struct avro_node *item, int64_t *count, int64_t *total)
{
	int64_t size;

	if (read_long(w, count) != 0)
		return -1;
	if (*count < 0) {
		if (*count == INT64_MIN)
			return fail(w, "a block count out of range");
		*count = -*count;
		if (read_long(w, &size) != 0)
			return -1;
	}
	*total += *count;
	if (zero_width(item) ? *total > MAX_EMPTY_ITEMS : *count > w->end - w->p)
		return fail(w, "a block holds more items than there are bytes");
	return 0;
}

/* The keys written for one map, as (offset, length) in w->keys, checked
 * for repeats at its end: JSON objects must not name a key twice. */
struct key_slice {
	const unsigned char *p;
	size_t n;
};

static int
cmp_key(const void *a, const void *b)
{
	const struct key_slice *x = a, *y = b;
	int c = memcmp(x->p, y->p, x->n < y->n ? x->n : y->n);

	return c ? c : (x->n > y->n) - (x->n < y->n);
}

static int
repeated_key(struct walk *w, size_t mark)
{
	size_t count = (w->keys->len - mark) / sizeof(struct key_slice);
	struct key_slice *k;

	if (count < 2)
		return 0;
	k = (struct key_slice *)(w->keys->p + mark);
	qsort(k, count, sizeof *k, cmp_key);
	for (size_t i = 1; i < count; i++)
		if (cmp_key(&k[i - 1], &k[i]) == 0)
			return fail(w, "a map has a key twice");
	return 0;
}

static int
sequence(struct walk *w, const struct avro_node *n)
{
	const struct avro_node *item = n->child[0];
	int is_map = n->kind == AVRO_KIND_MAP;
	int64_t count, total = 0, written = 0;
	size_t mark = w->keys->len;

	buf_addc(w->out, is_map ? '{' : '[');
	for (;;) {
		if (block_count(w, item, &count, &total) != 0)
			return -1;
		if (count == 0)
			break;
		while (count-- > 0) {
			if (written++)
				buf_addc(w->out, ',');
			if (is_map) {
				struct key_slice k;
				if (read_bytes(w, &k.p, &k.n) != 0 || put_text(w, k.p, k.n) != 0)
					return -1;
				buf_add(w->keys, &k, sizeof k);
				buf_addc(w->out, ':');
			}
			if (datum(w, item) != 0)
				return -1;
		}
	}
	buf_addc(w->out, is_map ? '}' : ']');
	if (is_map && repeated_key(w, mark) != 0)
		return -1;
	w->keys->len = mark;
	return 0;
}

static int
datum(struct walk *w, const struct avro_node *n)
{
	int rc;

	switch (n->kind) {
	case AVRO_KIND_NULL:
		buf_adds(w->out, "null");
		return 0;
	case AVRO_KIND_BOOLEAN:
		if (w->p == w->end || *w->p > 1)
			return fail(w, w->p == w->end ? "a boolean past the end" : "a boolean not 0 or 1");
		buf_adds(w->out, *w->p++ ? "true" : "false");
		return 0;
	case AVRO_KIND_INT:
	case AVRO_KIND_LONG:
		return integer(w, n);
	case AVRO_KIND_FLOAT:
	case AVRO_KIND_DOUBLE:
		return floating(w, n);
	case AVRO_KIND_BYTES:
	case AVRO_KIND_STRING:
	case AVRO_KIND_FIXED:
		return bytes_like(w, n);
	case AVRO_KIND_ENUM:
		return enumeration(w, n);
	default:
		break;
	}
	if (++w->depth > AVRO_DECODE_MAX_DEPTH)
		return fail(w, "nested deeper than 1000 levels");
	if (n->kind == AVRO_KIND_RECORD)
		rc = record(w, n);
	else if (n->kind == AVRO_KIND_UNION)
		rc = branch(w, n);
	else
		rc = sequence(w, n);
	w->depth--;
	return rc;
}

const char *
avro_decode_body(const struct avro_node *root, enum avro_unions unions,
		 const unsigned char *p, size_t n, struct buf *out)
{
	static char why[128];
	static struct buf keys;
	struct walk w = {p, p, p + n, out, unions, NULL, 0, &keys};
	size_t mark = out->len;

	buf_reset(&keys);
	if (datum(&w, root) == 0 && w.p == w.end)
		return NULL;
	out->len = mark;
	out->p[mark] = '\0';
	if (w.why == NULL)
		snprintf(why, sizeof why, "%zu bytes after the datum", (size_t)(w.end - w.p));
	else
		snprintf(why, sizeof why, "body byte %zu: %s", (size_t)(w.p - w.start), w.why);
	return why;
}

/* A schema as the decoder keeps it: the model, or why there is none. */
struct known_schema {
	uint32_t id;
	struct avro_model *model;
	char *why;
};

struct avro_decoder {
	struct registry *registry;
	enum avro_unions unions;
	struct known_schema *known;
	size_t nknown, last;
	struct buf why;
};

struct avro_decoder *
avro_decoder_new(struct registry *r, enum avro_unions unions)
{
	struct avro_decoder *d = xcalloc(1, sizeof *d);

	d->registry = r;
	d->unions = unions;
	return d;
}

void
avro_decoder_free(struct avro_decoder *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->nknown; i++) {
		avro_model_free(d->known[i].model);
		free(d->known[i].why);
	}
	free(d->known);
	buf_free(&d->why);
	free(d);
}

/* Fetch and parse the schema of id.  A schema that will never do (not
 * found, not Avro, not valid) is kept as such; a registry that did not
 * answer is asked again next time.  NULL and d->why when none. */
static struct known_schema *
learn(struct avro_decoder *d, uint32_t id)
{
	const struct registry_schema *s;
	enum registry_status st = registry_schema(d->registry, id, &s);
	struct buf err = BUF_INIT;
	struct avro_model *m = NULL;
	struct known_schema *k;

	buf_reset(&d->why);
	if (st == REGISTRY_UNREACHABLE || st == REGISTRY_REFUSED || st == REGISTRY_BAD_ANSWER) {
		buf_printf(&d->why, "schema id %lu: registry: %s", (unsigned long)id,
			   registry_error(d->registry));
		return NULL;
	}
	if (st == REGISTRY_NOT_FOUND)
		buf_printf(&err, "not in the registry");
	else if (strcmp(s->type, "AVRO") != 0)
		buf_printf(&err, "a %s schema, not Avro", s->type);
	else
		avro_model_parse(s->text, s->len, &m, &err);
	d->known = xrealloc(d->known, sizeof *d->known * (d->nknown + 1));
	k = &d->known[d->nknown++];
	k->id = id;
	k->model = m;
	k->why = m ? NULL : xstrdup(err.p);
	buf_free(&err);
	return k;
}

static struct known_schema *
schema_of(struct avro_decoder *d, uint32_t id)
{
	struct known_schema *k;

	/* Most messages have the schema of the one before. */
	if (d->last < d->nknown && d->known[d->last].id == id)
		return &d->known[d->last];
	for (size_t i = 0; i < d->nknown; i++)
		if (d->known[i].id == id) {
			d->last = i;
			return &d->known[i];
		}
	if ((k = learn(d, id)) != NULL)
		d->last = (size_t)(k - d->known);
	return k;
}

const char *
avro_decode(struct avro_decoder *d, const void *p, size_t n, struct buf *out, uint32_t *id)
{
	struct known_schema *k;
	const char *why;

	switch (avro_wire_parse(p, n, id)) {
	case AVRO_WIRE_SHORT:
		return "shorter than the 5-byte header of the Confluent wire format";
	case AVRO_WIRE_BAD_MAGIC:
		buf_reset(&d->why);
		buf_printf(&d->why, "first byte 0x%02x, not the Confluent wire format's 0",
			   *(const unsigned char *)p);
		return d->why.p;
	case AVRO_WIRE_OK:
		break;
	}
	if ((k = schema_of(d, *id)) == NULL)
		return d->why.p;
	if (k->model == NULL) {
		buf_reset(&d->why);
		buf_printf(&d->why, "schema id %lu: %s", (unsigned long)*id, k->why);
		return d->why.p;
	}
	why = avro_decode_body(avro_model_root(k->model), d->unions,
			       (const unsigned char *)p + AVRO_WIRE_HEADER, n - AVRO_WIRE_HEADER, out);
	if (why == NULL)
		return NULL;
	buf_reset(&d->why);
	buf_printf(&d->why, "schema id %lu: %s", (unsigned long)*id, why);
	return d->why.p;
}
