/*
 * The dashboard's page, script and style, compiled into kout from
 * cmd/kout/web/ (web.c), so that the server reads no file and the page
 * needs nothing but kout.
 */
#ifndef KOUT_WEB_H
#define KOUT_WEB_H

#include <stddef.h>

struct web_asset {
	const char *path;	/* as requested: "/", "/dashboard.js" */
	const char *type;	/* its Content-Type */
	const char *data;
	size_t len;
};

/* The asset served at path, filled into *a; NULL when there is none. */
const struct web_asset *web_asset(const char *path, struct web_asset *a);

#endif
