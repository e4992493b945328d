/*
 * Avro schemas as a tree of nodes: see avro_model.h.
 *
 * avro-c does the parsing and checking; its schema is then walked side by
 * side with the JSON text it came from, which is where the logical-type
 * annotations are (avro-c keeps no attribute it does not know).  Both
 * list fields, symbols and branches in the text's order, so the walk
 * keeps the two in step.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <avro.h>

#include "avro_model.h"
#include "json.h"

struct named {
	avro_schema_t schema;
	struct avro_node *node;
};

struct avro_model {
	struct avro_node *root;
	struct avro_node **nodes;	/* every node, to free */
	size_t nnodes;
	struct named *named;		/* avro-c's named types, already built */
	size_t nnamed;
	struct buf text;		/* scratch for decoded JSON strings */
};

static struct avro_node *build(struct avro_model *m, avro_schema_t s, struct json_val j);

static struct avro_node *
new_node(struct avro_model *m, enum avro_kind kind, const char *name)
{
	struct avro_node *n = xcalloc(1, sizeof *n);

	n->kind = kind;
	n->name = xstrdup(name);
	n->null_branch = -1;
	m->nodes = xrealloc(m->nodes, sizeof *m->nodes * (m->nnodes + 1));
	m->nodes[m->nnodes++] = n;
	return n;
}

/* The member key of the JSON object j, or a value of type JSON_NONE. */
static struct json_val
member(struct json_val j, const char *key)
{
	struct json_val none = {JSON_NONE, NULL, 0};
	const char *p = j.p;

	if (j.type != JSON_OBJECT || json_step_key(&p, j.p + j.len, key, strlen(key)) != 1)
		return none;
	json_value(p, j.p + j.len, &none);
	return none;
}

/* The decoded text of a JSON string member, or NULL. */
static const char *
member_text(struct avro_model *m, struct json_val j, const char *key)
{
	struct json_val v = member(j, key);

	buf_reset(&m->text);
	if (v.type != JSON_STRING || json_string_decode(v, &m->text) != 0)
		return NULL;
	return m->text.p;
}

/* A small non-negative integer member; -1 when missing or not one. */
static int
member_int(struct json_val j, const char *key)
{
	struct json_val v = member(j, key);
	double d;

	if (v.type != JSON_NUMBER || json_to_double(v, &d) != 0 || d < 0 || d > 1e6 || d != floor(d))
		return -1;
	return (int)d;
}

/* The most decimal digits that size two's-complement bytes always hold. */
static int
fixed_digits(int64_t size)
{
	return size > 1000 ? INT32_MAX : (int)floor((double)(8 * size - 1) * log10(2.0));
}

static void
annotate_decimal(struct avro_node *n, struct json_val j)
{
	int precision = member_int(j, "precision"), scale = member_int(j, "scale");

	if (member(j, "scale").type == JSON_NONE)
		scale = 0;
	if (precision < 1 || scale < 0 || scale > precision)
		return;
	if (n->kind == AVRO_KIND_FIXED && precision > fixed_digits(n->size))
		return;
	n->logical = AVRO_LOGICAL_DECIMAL;
	n->precision = precision;
	n->scale = scale;
}

static const struct {
	const char *name;
	enum avro_kind kind;
	enum avro_logical logical;
} logical_names[] = {
	{"uuid", AVRO_KIND_STRING, AVRO_LOGICAL_UUID},
	{"date", AVRO_KIND_INT, AVRO_LOGICAL_DATE},
	{"time-millis", AVRO_KIND_INT, AVRO_LOGICAL_TIME_MILLIS},
	{"time-micros", AVRO_KIND_LONG, AVRO_LOGICAL_TIME_MICROS},
	{"timestamp-millis", AVRO_KIND_LONG, AVRO_LOGICAL_TIMESTAMP_MILLIS},
	{"timestamp-micros", AVRO_KIND_LONG, AVRO_LOGICAL_TIMESTAMP_MICROS},
	{"timestamp-nanos", AVRO_KIND_LONG, AVRO_LOGICAL_TIMESTAMP_NANOS},
	{"local-timestamp-millis", AVRO_KIND_LONG, AVRO_LOGICAL_LOCAL_TIMESTAMP_MILLIS},
	{"local-timestamp-micros", AVRO_KIND_LONG, AVRO_LOGICAL_LOCAL_TIMESTAMP_MICROS},
	{"local-timestamp-nanos", AVRO_KIND_LONG, AVRO_LOGICAL_LOCAL_TIMESTAMP_NANOS},
};

/* Set n's logical type from the object j's logicalType, when it is one
 * that fits n's type; otherwise n stays its plain type. */
static void
annotate(struct avro_model *m, struct avro_node *n, struct json_val j)
{
	const char *lt = member_text(m, j, "logicalType");

	if (lt == NULL)
		return;
	if (strcmp(lt, "decimal") == 0) {
		if (n->kind == AVRO_KIND_BYTES || n->kind == AVRO_KIND_FIXED)
			annotate_decimal(n, j);
		return;
	}
	if (strcmp(lt, "duration") == 0) {
		if (n->kind == AVRO_KIND_FIXED && n->size == 12)
			n->logical = AVRO_LOGICAL_DURATION;
		return;
	}
	if (strcmp(lt, "uuid") == 0 && n->kind == AVRO_KIND_FIXED && n->size == 16) {
		n->logical = AVRO_LOGICAL_UUID;
		return;
	}
	for (size_t i = 0; i < sizeof logical_names / sizeof *logical_names; i++)
		if (strcmp(lt, logical_names[i].name) == 0 && n->kind == logical_names[i].kind)
			n->logical = logical_names[i].logical;
}

static void
set_names(struct avro_node *n, size_t count)
{
	n->n = count;
	n->names = xcalloc(count ? count : 1, sizeof *n->names);
	n->namelen = xcalloc(count ? count : 1, sizeof *n->namelen);
}

static void
set_name(struct avro_node *n, size_t i, const char *name)
{
	n->names[i] = xstrdup(name);
	n->namelen[i] = strlen(name);
}

/* The full name of a named avro-c schema. */
static char *
full_name(avro_schema_t s)
{
	const char *ns = avro_schema_namespace(s), *name = avro_schema_name(s);
	struct buf b = BUF_INIT;

	if (ns && *ns)
		buf_printf(&b, "%s.", ns);
	buf_adds(&b, name ? name : "");
	return b.p;
}

static struct avro_node *
known(struct avro_model *m, avro_schema_t s)
{
	for (size_t i = 0; i < m->nnamed; i++)
		if (m->named[i].schema == s)
			return m->named[i].node;
	return NULL;
}

static struct avro_node *
named_node(struct avro_model *m, avro_schema_t s, enum avro_kind kind)
{
	char *name = full_name(s);
	struct avro_node *n = new_node(m, kind, name);

	free(name);
	m->named = xrealloc(m->named, sizeof *m->named * (m->nnamed + 1));
	m->named[m->nnamed++] = (struct named){s, n};
	return n;
}

/* The i-th element of the JSON array j (its type JSON_NONE if missing). */
static struct json_val
element(struct json_val j, size_t i)
{
	struct json_val v = {JSON_NONE, NULL, 0};
	const char *p = j.p;

	if (j.type == JSON_ARRAY && json_step_index(&p, j.p + j.len, (long)i) == 1)
		json_value(p, j.p + j.len, &v);
	return v;
}

static void
build_record(struct avro_model *m, struct avro_node *n, avro_schema_t s, struct json_val j)
{
	struct json_val fields = member(j, "fields");
	size_t count = avro_schema_record_size(s);

	set_names(n, count);
	n->child = xcalloc(count ? count : 1, sizeof *n->child);
	n->defaults = xcalloc(count ? count : 1, sizeof *n->defaults);
	for (size_t i = 0; i < count; i++) {
		struct json_val field = element(fields, i), d = member(field, "default");

		set_name(n, i, avro_schema_record_field_name(s, (int)i));
		n->child[i] = build(m, avro_schema_record_field_get_by_index(s, (int)i),
				    member(field, "type"));
		if (d.type != JSON_NONE)
			n->defaults[i] = xstrndup(d.p, d.len);
	}
}

static void
build_union(struct avro_model *m, struct avro_node *n, avro_schema_t s, struct json_val j)
{
	size_t count = avro_schema_union_size(s);

	n->n = count;
	n->child = xcalloc(count ? count : 1, sizeof *n->child);
	for (size_t i = 0; i < count; i++) {
		n->child[i] = build(m, avro_schema_union_branch(s, (int)i), element(j, i));
		if (n->child[i]->kind == AVRO_KIND_NULL && n->null_branch < 0)
			n->null_branch = (int)i;
	}
}

static void
build_one_child(struct avro_model *m, struct avro_node *n, avro_schema_t s, struct json_val j)
{
	n->n = 1;
	n->child = xcalloc(1, sizeof *n->child);
	n->child[0] = build(m, s, j);
}

static const char *const primitive_names[] = {
	[AVRO_KIND_NULL] = "null", [AVRO_KIND_BOOLEAN] = "boolean", [AVRO_KIND_INT] = "int",
	[AVRO_KIND_LONG] = "long", [AVRO_KIND_FLOAT] = "float", [AVRO_KIND_DOUBLE] = "double",
	[AVRO_KIND_BYTES] = "bytes", [AVRO_KIND_STRING] = "string",
};

static enum avro_kind
primitive_kind(avro_schema_t s)
{
	switch (avro_typeof(s)) {
	case AVRO_STRING: return AVRO_KIND_STRING;
	case AVRO_BYTES: return AVRO_KIND_BYTES;
	case AVRO_INT32: return AVRO_KIND_INT;
	case AVRO_INT64: return AVRO_KIND_LONG;
	case AVRO_FLOAT: return AVRO_KIND_FLOAT;
	case AVRO_DOUBLE: return AVRO_KIND_DOUBLE;
	case AVRO_BOOLEAN: return AVRO_KIND_BOOLEAN;
	default: return AVRO_KIND_NULL;
	}
}

/* The node for avro-c's schema s, whose JSON text is j (JSON_NONE when
 * out of step, which only loses annotations). */
static struct avro_node *
build(struct avro_model *m, avro_schema_t s, struct json_val j)
{
	struct avro_node *n;

	while (avro_typeof(s) == AVRO_LINK)
		s = avro_schema_link_target(s);
	if ((n = known(m, s)) != NULL)
		return n;
	/* {"type": {...}}: the schema is the inner value. */
	if (j.type == JSON_OBJECT && member(j, "type").type != JSON_STRING &&
	    member(j, "type").type != JSON_NONE)
		return build(m, s, member(j, "type"));
	switch (avro_typeof(s)) {
	case AVRO_RECORD:
		n = named_node(m, s, AVRO_KIND_RECORD);
		build_record(m, n, s, j);
		return n;
	case AVRO_ENUM:
		n = named_node(m, s, AVRO_KIND_ENUM);
		set_names(n, (size_t)avro_schema_enum_number_of_symbols(s));
		for (size_t i = 0; i < n->n; i++)
			set_name(n, i, avro_schema_enum_get(s, (int)i));
		return n;
	case AVRO_FIXED:
		n = named_node(m, s, AVRO_KIND_FIXED);
		n->size = avro_schema_fixed_size(s);
		break;
	case AVRO_ARRAY:
		n = new_node(m, AVRO_KIND_ARRAY, "array");
		build_one_child(m, n, avro_schema_array_items(s), member(j, "items"));
		return n;
	case AVRO_MAP:
		n = new_node(m, AVRO_KIND_MAP, "map");
		build_one_child(m, n, avro_schema_map_values(s), member(j, "values"));
		return n;
	case AVRO_UNION:
		n = new_node(m, AVRO_KIND_UNION, "union");
		build_union(m, n, s, j);
		return n;
	default:
		n = new_node(m, primitive_kind(s), primitive_names[primitive_kind(s)]);
		break;
	}
	annotate(m, n, j);
	return n;
}

int
avro_model_parse(const char *text, size_t n, struct avro_model **out, struct buf *err)
{
	struct avro_model *m;
	avro_schema_t s;
	struct json_val j;
	struct json_error jerr;

	if (json_validate(text, n, &jerr) != 0) {
		buf_printf(err, "schema is not JSON: %s", jerr.msg);
		return -1;
	}
	if (avro_schema_from_json_length(text, n, &s) != 0) {
		const char *why = avro_strerror();
		size_t len = strlen(why);

		/* avro-c's messages end in a newline or a period at times. */
		while (len && (why[len - 1] == '\n' || why[len - 1] == ' '))
			len--;
		buf_adds(err, "not an Avro schema: ");
		buf_add(err, why, len);
		return -1;
	}
	json_value(text, text + n, &j);
	m = xcalloc(1, sizeof *m);
	m->root = build(m, s, j);
	avro_schema_decref(s);
	buf_free(&m->text);
	free(m->named);
	m->named = NULL;
	*out = m;
	return 0;
}

const struct avro_node *
avro_model_root(const struct avro_model *m)
{
	return m->root;
}

void
avro_model_free(struct avro_model *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->nnodes; i++) {
		struct avro_node *n = m->nodes[i];

		for (size_t k = 0; n->names && k < n->n; k++)
			free(n->names[k]);
		for (size_t k = 0; n->defaults && k < n->n; k++)
			free(n->defaults[k]);
		free(n->names);
		free(n->defaults);
		free(n->namelen);
		free(n->child);
		free((char *)n->name);
		free(n);
	}
	free(m->nodes);
	free(m);
}
