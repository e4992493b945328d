/*
 * Kafka keys and values in Avro, in the Confluent wire format, to JSON
 * (kcat-in(1), AVRO, has the mapping).  The binary body is walked by hand,
 * driven by the schema's nodes (avro_model.h): avro-c's reader would build
 * a generic value of each datum first and knows no logical types.
 * Schemas come from the registry once per id; the models made of them are
 * kept for the run.
 */
#ifndef KCAT_IN_AVRO_DECODE_H
#define KCAT_IN_AVRO_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "registry.h"

/* Nesting beyond this (a recursive schema, or data made to look like
 * one) is an error, not a stack overflow. */
#define AVRO_DECODE_MAX_DEPTH 1000

enum avro_unions { AVRO_UNIONS_PLAIN, AVRO_UNIONS_TAGGED };

struct avro_decoder;

/* A decoder that asks r for schemas; r stays the caller's. */
struct avro_decoder *avro_decoder_new(struct registry *r, enum avro_unions unions);
void avro_decoder_free(struct avro_decoder *d);

/* Decode the framed message p[0..n): append its JSON to out, set *id to
 * its schema id and return NULL; or return why it cannot be decoded (the
 * text lasts until the next call), out then as it was. */
const char *avro_decode(struct avro_decoder *d, const void *p, size_t n, struct buf *out,
			uint32_t *id);

/* Decode an unframed body with a given model's root node: the part of
 * avro_decode that needs no registry (the fuzz target and unit tests use
 * it).  NULL ok, else the reason; out then as it was. */
struct avro_node;
const char *avro_decode_body(const struct avro_node *root, enum avro_unions unions,
			     const unsigned char *p, size_t n, struct buf *out);

#endif
