/*
 * kout --serve [HOST:]PORT: a live dashboard of the records kout reads,
 * in a web page that kout serves itself (httpd.c).  The page shows the
 * table (the latest row per --key, or the newest rows) and the charts
 * (--chart and each --panel), drawn by the same code as --svg, redrawn as
 * records arrive.
 */
#ifndef KOUT_SERVE_H
#define KOUT_SERVE_H

#include "frame.h"
#include "show.h"

/* The dashboard's own options as given. */
struct serve_args {
	const char *listen;	/* --serve [HOST:]PORT */
	const char *linger;	/* --linger DURATION: serve this long after the input ends */
	char **panels;		/* --panel SPEC, in order */
	int npanels;
};

extern struct serve_args serve_args;

/* --panel SPEC: remember another chart for the page (an option's call). */
void serve_add_panel(char **args);

/* The first dashboard option given ("--panel"), or NULL when none was. */
const char *serve_given(void);

/* Check the display options for the dashboard, serve it while the files'
 * records are read (passing them through to standard output unless it is
 * a terminal), then as --linger says; returns the exit status.
 * kafka_by is the Kafka option given, which cannot go with --serve. */
int serve_main(const struct show_args *show, const struct operands *files,
	       const char *kafka_by);

#endif
