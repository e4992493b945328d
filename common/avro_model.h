/*
 * An Avro schema as kpipe walks it: avro-c parses and checks the schema
 * text (names, references, fields, symbols), and the result is copied into
 * a tree of nodes that also carries what avro-c 1.11 drops, the logical
 * types (logicalType with precision and scale), read from the same text.
 * A decoder or encoder then walks nodes, never avro-c's accessors, once
 * per datum.
 *
 * A named type referred to again (a record that holds itself, a fixed
 * used twice) is one node reached from several places, so the tree may
 * have cycles: walk it by the data, not to the bottom.
 *
 * A logical type whose annotation is not valid (decimal with a scale above
 * its precision, uuid on an int, an unknown name) is ignored, as the Avro
 * specification says: the node is its underlying type.
 */
#ifndef KPIPE_AVRO_MODEL_H
#define KPIPE_AVRO_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"

enum avro_kind {
	AVRO_KIND_NULL,
	AVRO_KIND_BOOLEAN,
	AVRO_KIND_INT,
	AVRO_KIND_LONG,
	AVRO_KIND_FLOAT,
	AVRO_KIND_DOUBLE,
	AVRO_KIND_BYTES,
	AVRO_KIND_STRING,
	AVRO_KIND_RECORD,
	AVRO_KIND_ENUM,
	AVRO_KIND_ARRAY,
	AVRO_KIND_MAP,
	AVRO_KIND_UNION,
	AVRO_KIND_FIXED
};

enum avro_logical {
	AVRO_LOGICAL_NONE,
	AVRO_LOGICAL_DECIMAL,		/* bytes or fixed; precision, scale */
	AVRO_LOGICAL_UUID,		/* string (or fixed 16) */
	AVRO_LOGICAL_DATE,		/* int: days since 1970-01-01 */
	AVRO_LOGICAL_TIME_MILLIS,	/* int: ms after midnight */
	AVRO_LOGICAL_TIME_MICROS,	/* long: us after midnight */
	AVRO_LOGICAL_TIMESTAMP_MILLIS,	/* long: ms since the epoch, UTC */
	AVRO_LOGICAL_TIMESTAMP_MICROS,
	AVRO_LOGICAL_TIMESTAMP_NANOS,
	AVRO_LOGICAL_LOCAL_TIMESTAMP_MILLIS,	/* long: the same, no zone */
	AVRO_LOGICAL_LOCAL_TIMESTAMP_MICROS,
	AVRO_LOGICAL_LOCAL_TIMESTAMP_NANOS,
	AVRO_LOGICAL_DURATION		/* fixed 12: months, days, ms (u32 LE) */
};

struct avro_node {
	enum avro_kind kind;
	enum avro_logical logical;
	int precision, scale;		/* AVRO_LOGICAL_DECIMAL */
	int64_t size;			/* AVRO_KIND_FIXED: bytes */
	/* Records, enums, fixed: the full name ("ns.Name"), as a tagged
	 * union names the branch; otherwise the type's name ("long",
	 * "array"). */
	const char *name;
	/* Records: the fields; enums: the symbols; unions: the branches;
	 * arrays and maps: one, the items or the values. */
	size_t n;
	struct avro_node **child;	/* records, unions, arrays, maps */
	char **names;			/* records: field names; enums: symbols */
	size_t *namelen;
	/* Records: each field's default as the schema's JSON text (Avro's
	 * own mapping: a union's is of its first branch, bytes are code
	 * points 0-255), NULL for a field without one. */
	char **defaults;
	/* Unions: the index of the null branch, -1 when none. */
	int null_branch;
};

struct avro_model;

/* Parse schema text (any JSON avro-c accepts as a schema) into *out.
 * 0 ok; -1 with the reason in err (avro-c's message, or what is wrong). */
int avro_model_parse(const char *text, size_t n, struct avro_model **out, struct buf *err);

/* The root node: the type of the datum. */
const struct avro_node *avro_model_root(const struct avro_model *m);

void avro_model_free(struct avro_model *m);

#endif
