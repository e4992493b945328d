/*
 * kout's console mode: the display options as the command line gave them,
 * checked and turned into the writers' options (kout.h), and the loop that
 * reads records and hands each to the chosen writer.
 */
#ifndef KOUT_SHOW_H
#define KOUT_SHOW_H

#include "frame.h"
#include "kout.h"

/* --table, --csv, ...: alternatives, one int (frame.h). */
enum shown { SHOWN_DEFAULT, SHOWN_NDJSON, SHOWN_TABLE, SHOWN_CSV, SHOWN_TSV, SHOWN_MARKDOWN,
	     SHOWN_SVG };

/* The display options as given; NULL or 0 when not. */
struct show_args {
	int shown;			/* --table, --csv, --tsv, --markdown, --ndjson */
	int named;			/* --format NAME */
	enum chart_kind chart;		/* --chart KIND */
	const char *columns, *key, *truncate, *batch, *refresh;
	const char *x, *y, *z, *series, *svg, *title, *width, *height, *unit;
};

/* --format NAME: its enum shown value, or a usage error. */
int show_format(const char *name);

/* The first display option given, as "--csv", or NULL when none was. */
const char *show_given(const struct show_args *a);

/* Check the display options and turn them into o: options that do not
 * go together, or bad values, are usage errors. */
void show_options(const struct show_args *a, struct kout_opts *o);

/* Give back what show_options allocated in o (its field paths). */
void show_options_free(struct kout_opts *o);

/* Read the files' records and show them.  Returns when the input ends or
 * the output cannot take more (out_status); the caller ends with
 * frame_finish. */
void show_run(const struct kout_opts *o, const struct operands *files);

#endif
