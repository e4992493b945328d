/* Base64 (RFC 4648, with padding), for bytes that JSON strings cannot hold:
 * dead letters and Kafka payloads that are not UTF-8. */
#ifndef KPIPE_BASE64_H
#define KPIPE_BASE64_H

#include <stddef.h>
#include "buf.h"

void base64_encode(const void *p, size_t n, struct buf *out);
/* 0 ok, -1 not base64 (out is then left as it was). */
int base64_decode(const char *s, size_t n, struct buf *out);

#endif
