/*
 * The Confluent wire format of a Kafka key or value in Avro:
 *
 *   byte 0      0 (the magic byte)
 *   bytes 1-4   the schema's id in the registry, big-endian
 *   the rest    the Avro binary encoding of one datum
 *
 * and the two primitives of Avro's binary encoding that every other is
 * built of: a long as a zig-zag varint (int is the same on the wire) and
 * a length-prefixed byte string.  Written by hand because avro-c has no
 * notion of the framing, and both directions (kcat-in decoding, kout
 * encoding) need the same few lines.
 */
#ifndef KPIPE_AVRO_WIRE_H
#define KPIPE_AVRO_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"

#define AVRO_WIRE_HEADER 5
#define AVRO_WIRE_MAGIC 0

enum avro_wire_status {
	AVRO_WIRE_OK = 0,
	AVRO_WIRE_SHORT,	/* fewer than AVRO_WIRE_HEADER bytes */
	AVRO_WIRE_BAD_MAGIC	/* the first byte is not 0 */
};

/* The header of a framed message: its status, and on AVRO_WIRE_OK the
 * schema id in *id (the body starts at p + AVRO_WIRE_HEADER). */
enum avro_wire_status avro_wire_parse(const void *p, size_t n, uint32_t *id);

/* Append the 5-byte header for schema id. */
void avro_wire_header(struct buf *b, uint32_t id);

/* Read a zig-zag varint long at *p (before end), moving *p past it.
 * 0 ok; -1 when the bytes end first or it runs past 10 bytes / 64 bits. */
int avro_wire_read_long(const unsigned char **p, const unsigned char *end, int64_t *v);

/* Append v as a zig-zag varint. */
void avro_wire_put_long(struct buf *b, int64_t v);

#endif
