/*
 * kout's console side: the options every writer sees, and the writers.
 * main.c reads records and hands each valid JSON object to one sink; the
 * sink learns when the input would block (a batch boundary) and, with
 * --refresh, when it is time to redraw.
 */
#ifndef KOUT_H
#define KOUT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "input.h"
#include "json.h"
#include "path.h"
#include "timefmt.h"

enum kout_format { FMT_NDJSON, FMT_TABLE, FMT_CSV, FMT_TSV, FMT_MARKDOWN, FMT_SVG };
enum chart_kind { CHART_NONE, CHART_BAR, CHART_LINE, CHART_HEATMAP };

struct kout_opts {
	enum kout_format format;
	int tty;		/* standard output is a terminal */
	int color;		/* tty and NO_COLOR unset */
	size_t truncate;	/* display columns per value; 0 = no limit */
	struct path *columns;	/* --columns, or NULL for first-seen fields */
	int ncolumns;
	struct path *keys;	/* --key */
	int nkeys;
	int64_t refresh_us;	/* --refresh; 0 = stream */
	size_t batch;		/* rows that decide widths / the CSV header */
	enum chart_kind chart;
	struct path *x, *y, *z, *series;	/* NULL when not given */
	enum epoch_unit unit;	/* for numeric --x times */
	const char *svg_file;	/* --svg FILE, or NULL for stdout */
	int width, height;	/* --width/--height, 0 = from the terminal */
	const char *title;
};

/* Terminal geometry: --width/--height, else COLUMNS/LINES, else the
 * terminal's own size, else 80x24. */
int term_width(const struct kout_opts *o);
int term_height(void);

/* The record currently handed to a sink, for messages. */
struct rec {
	const struct line *line;
	struct json_val obj;	/* the whole object */
};

struct sink {
	void (*add)(void *self, const struct rec *r);
	void (*idle)(void *self);	/* input would block: end of a batch (or NULL) */
	void (*tick)(void *self);	/* --refresh interval elapsed (or NULL without --refresh) */
	void (*finish)(void *self);	/* end of input */
	void (*free)(void *self);	/* after finish: give back its memory (or NULL) */
	void *self;
};

void table_sink(struct sink *s, const struct kout_opts *o, int markdown);
void csv_sink(struct sink *s, const struct kout_opts *o, int tsv);
void chart_sink(struct sink *s, const struct kout_opts *o);

/* Drawing in place for --refresh: cursor home before a frame, clear to
 * the end of the line after each line, clear the rest at the end. */
#define ANSI_HOME "\033[H"
#define ANSI_EOL "\033[K"
#define ANSI_EOS "\033[J"
#define ANSI_BOLD "\033[1m"
#define ANSI_RESET "\033[0m"

#endif
