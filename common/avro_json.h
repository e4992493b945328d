/*
 * The values of Avro's logical types as kpipe writes them in JSON, and
 * reads them back (kcat-in(1), AVRO, has the table):
 *
 *   decimal            a JSON number with exactly scale fraction digits,
 *                      every digit of the unscaled integer (no double)
 *   timestamp-*        RFC 3339 UTC, "2024-03-01T12:00:00.123Z", with
 *                      3, 6 or 9 fraction digits for millis, micros, nanos
 *   local-timestamp-*  the same without the Z
 *   date               "2024-03-01"
 *   time-millis        "12:00:00.123"; time-micros "12:00:00.123456"
 *   float, double      NaN and the infinities as "NaN", "Infinity",
 *                      "-Infinity" (JSON has no such numbers)
 *
 * A time outside the years 0000-9999, or a time of day outside the day,
 * has no such text: it is written as the plain number the datum holds,
 * which the parsers below also take back.
 */
#ifndef KPIPE_AVRO_JSON_H
#define KPIPE_AVRO_JSON_H

#include <stddef.h>
#include <stdint.h>
#include "avro_model.h"
#include "buf.h"

/* The unscaled two's-complement big-endian integer be[0..n) with scale
 * fraction digits, as a JSON number: "-12.50", "0.001", "12" (scale 0).
 * Zero bytes read as 0. */
void avro_json_put_decimal(struct buf *b, const unsigned char *be, size_t n, int scale);

/* The inverse: the decimal text s[0..n) (a JSON number or the digits of a
 * string, "-12.5", "1.25e3") with at most scale fraction digits after
 * the exponent is applied (fewer are padded with zeros), appended as the
 * shortest two's-complement big-endian integer, or as exactly size bytes
 * when size > 0 (fixed).  0 ok; -1 not a decimal number, more fraction
 * digits than scale, or too large: for size bytes when size > 0, else
 * more than AVRO_DECIMAL_MAX_DIGITS digits once scaled (a bound far above
 * any precision a schema uses, so that "9e99999" costs nothing). */
#define AVRO_DECIMAL_MAX_DIGITS 4096
int avro_json_parse_decimal(const char *s, size_t n, int scale, int64_t size, struct buf *out);

/* A datum of the time logical types (timestamp-*, local-timestamp-*, date,
 * time-*) as its JSON text (quotes included), or the bare number when it
 * has no text (see above). */
void avro_json_put_time(struct buf *b, enum avro_logical logical, int64_t v);

/* The inverse for a JSON string's decoded text (the text written above;
 * timestamps also take any RFC 3339 offset, turned to UTC).  0 ok with *v
 * set; -1 not that form or out of range. */
int avro_json_parse_time(const char *s, size_t n, enum avro_logical logical, int64_t *v);

/* A float or double: a JSON number (shortest round trip), or "NaN",
 * "Infinity", "-Infinity". */
void avro_json_put_double(struct buf *b, double d);
void avro_json_put_float(struct buf *b, float f);

#endif
