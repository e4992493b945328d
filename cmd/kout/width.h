/*
 * Display width of UTF-8 text in a terminal cell grid.  wcwidth(3) would
 * depend on the locale, and kpipe never calls setlocale, so the widths come
 * from compact tables of Unicode ranges instead: combining marks and
 * format characters take no column, East Asian Wide and Fullwidth
 * characters (CJK, most emoji) take two, everything else one.
 */
#ifndef KOUT_WIDTH_H
#define KOUT_WIDTH_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Decode the UTF-8 sequence at p (n > 0 bytes available) into *cp and
 * return its length.  A malformed sequence yields U+FFFD and length 1. */
size_t utf8_next(const char *p, size_t n, uint32_t *cp);

/* 0, 1 or 2 columns for a printable code point. */
int cp_width(uint32_t cp);

/* Columns taken by p[0..n); the text must already be free of control
 * characters (see cell.h, which escapes them). */
size_t text_width(const char *p, size_t n);

/* The longest prefix of p[0..n) that fits in cols columns: returns its
 * length in bytes and sets *used to its width. */
size_t text_fit(const char *p, size_t n, size_t cols, size_t *used);

/* The longest suffix of p[0..n) that fits in cols columns: returns the
 * offset where it starts and sets *used to its width. */
size_t text_fit_tail(const char *p, size_t n, size_t cols, size_t *used);

/* Append p[0..n) in at most cols columns: whole when it fits, else its
 * start and its end joined by an ellipsis, so labels that differ only at
 * either end stay told apart.  Returns the columns used. */
size_t text_ellipsize(const char *p, size_t n, size_t cols, struct buf *out);

#endif
