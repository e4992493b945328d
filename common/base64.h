/* Base64 (RFC 4648, with padding), for bytes that JSON strings cannot hold:
 * dead letters and Kafka payloads that are not UTF-8. */
#ifndef KPIPE_BASE64_H
#define KPIPE_BASE64_H

#include <stddef.h>
#include "buf.h"

void base64_encode(const void *p, size_t n, struct buf *out);
/* The same as a JSON string, quotes included: the one form kpipe writes
 * bytes in where text was expected (raw_b64, value_b64, Avro bytes). */
void base64_put_string(const void *p, size_t n, struct buf *out);
/* 0 ok, -1 not base64 (out is then left as it was). */
int base64_decode(const char *s, size_t n, struct buf *out);

#endif
