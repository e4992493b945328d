/*
 * The Confluent framing and Avro's varints: see avro_wire.h.
 */
#include "avro_wire.h"

enum avro_wire_status
avro_wire_parse(const void *p, size_t n, uint32_t *id)
{
	const unsigned char *u = p;

	if (n < AVRO_WIRE_HEADER)
		return n > 0 && u[0] != AVRO_WIRE_MAGIC ? AVRO_WIRE_BAD_MAGIC : AVRO_WIRE_SHORT;
	if (u[0] != AVRO_WIRE_MAGIC)
		return AVRO_WIRE_BAD_MAGIC;
	*id = (uint32_t)u[1] << 24 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 8 | u[4];
	return AVRO_WIRE_OK;
}

void
avro_wire_header(struct buf *b, uint32_t id)
{
	unsigned char h[AVRO_WIRE_HEADER] = {
		AVRO_WIRE_MAGIC, (unsigned char)(id >> 24), (unsigned char)(id >> 16),
		(unsigned char)(id >> 8), (unsigned char)id
	};

	buf_add(b, h, sizeof h);
}

int
avro_wire_read_long(const unsigned char **p, const unsigned char *end, int64_t *v)
{
	const unsigned char *s = *p;
	uint64_t u = 0;
	unsigned shift = 0;

	for (;;) {
		if (s == end || shift > 63)
			return -1;
		/* The tenth byte may only carry the 64th bit, and ends the number. */
		if (shift == 63 && (*s & 0xfe))
			return -1;
		u |= (uint64_t)(*s & 0x7f) << shift;
		shift += 7;
		if (!(*s++ & 0x80))
			break;
	}
	*p = s;
	*v = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
	return 0;
}

void
avro_wire_put_long(struct buf *b, int64_t v)
{
	uint64_t u = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
	unsigned char tmp[10];
	size_t n = 0;

	while (u >= 0x80) {
		tmp[n++] = (unsigned char)(u | 0x80);
		u >>= 7;
	}
	tmp[n++] = (unsigned char)u;
	buf_add(b, tmp, n);
}
