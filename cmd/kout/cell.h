/*
 * A JSON value as the text of one table or CSV cell.
 */
#ifndef KOUT_CELL_H
#define KOUT_CELL_H

#include "buf.h"
#include "json.h"

/* For a terminal: strings decoded, numbers as written, true/false/null,
 * arrays and objects as compact JSON, a missing value empty; anything that
 * could move the cursor or change the terminal's state escaped (see
 * text_escape). */
void cell_display(struct json_val v, struct buf *out);

/* For CSV: like cell_display but with the decoded text unescaped, and null
 * as an empty field. */
void cell_text(struct json_val v, struct buf *out);

/* Append text with C0 and C1 control characters, DEL, the line and
 * paragraph separators and the bidirectional controls written as \n, \r,
 * \t or \uXXXX, and bytes that are not UTF-8 as U+FFFD. */
void text_escape(const char *p, size_t n, struct buf *out);

#endif
