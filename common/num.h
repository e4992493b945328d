/*
 * Numbers as text, independent of the locale: kpipe never calls
 * setlocale(LC_NUMERIC), and these functions do not depend on it anyway.
 */
#ifndef KPIPE_NUM_H
#define KPIPE_NUM_H

#include <stddef.h>
#include <stdint.h>

#define NUM_FMT_MAX 32

/* The shortest text that reads back to the same double; integral values
 * below 1e17 in magnitude without exponent or ".0" (42, -3), others as
 * %g-style JSON numbers (0.1, 1.5e-07, 1e+300).  Not for NaN/inf (writes
 * "null").  Returns the length; out is NUL-terminated. */
size_t num_format(double d, char out[NUM_FMT_MAX]);

/* Parse a whole JSON number (strict grammar).  0 ok, -1 otherwise.  Out of
 * range is still a number: +-HUGE_VAL, or zero for underflow. */
int num_parse_json(const char *s, size_t n, double *d);

/* Parse a number as people write it in text fields: optional spaces
 * around, optional sign, digits with optional fraction and exponent, e.g.
 * "12.5", " -3", "1e3", "+4".  Not "0x1A", "inf", "nan", "".  0 ok, -1 not. */
int num_parse_text(const char *s, size_t n, double *d);

/* Is s[0..n) an integer that fits int64 (-?[0-9]+)?  0 ok with *v set. */
int num_parse_int(const char *s, size_t n, int64_t *v);

#endif
