/*
 * JSON to Avro's binary encoding, walking the schema model of
 * common/avro_model.h: the encoder of kout -s value=avro / key=avro.
 *
 * It takes the JSON mapping kcat-in writes (kcat-in(1), AVRO) and what a
 * user would naturally write besides (kout(1), AVRO): epoch numbers for
 * the time types, decimals as numbers or strings, a union's value plain
 * (the first branch it fits, in the schema's order) or tagged
 * {"branch": value}.  Nothing is rounded: a value that would lose a digit
 * or a fraction of its unit does not fit.
 */
#ifndef KOUT_AVRO_ENCODE_H
#define KOUT_AVRO_ENCODE_H

#include "avro_model.h"
#include "buf.h"
#include "json.h"

/* Append the Avro binary encoding of the JSON value v, a datum of schema
 * node root, to out.  0 ok; -1 when v does not fit the schema: out is then
 * as it was, and err holds the path of the value that does not fit (a
 * kpipe field path that starts with name, "value" for v itself) and why:
 * "value.items[2].price: 1.234 is not a decimal with at most 2 fraction
 * digits".  v must be valid JSON (as admit.h makes every record). */
int avro_encode(const struct avro_node *root, struct json_val v, const char *name,
		struct buf *out, struct buf *err);

#endif
