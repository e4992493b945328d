/*
 * Field paths, one syntax for every command that names a field:
 *   user  .user        the field "user"
 *   window.start       a nested field
 *   .a[0]  a[-1]       an array element (negative counts from the end)
 *   ."odd key".x       any key, quoted as a JSON string
 */
#ifndef KPIPE_PATH_H
#define KPIPE_PATH_H

#include <stddef.h>

#include "json.h"

struct path_step {
	const char *key;	/* NULL for an array index; decoded, NUL-terminated */
	size_t keylen;
	long index;
};

struct path {
	char *text;		/* as written, without a leading '.' */
	int nsteps;
	struct path_step *steps;
};

/* 0 on success; -1 with a message in err. */
int path_parse(const char *s, struct path *p, char *err, size_t errlen);

/* A comma-separated list "a,b.c,.\"x,y\"": commas inside quotes belong to
 * the key.  0 on success; -1 with a message in err. */
int path_parse_list(const char *s, struct path **paths, int *npaths, char *err, size_t errlen);

/* Look the path up in the JSON text p[0..n).  1 found (*v set), 0 missing
 * (including a path through a value that is not a container), -1 malformed
 * text.  Keys compare by their decoded text ("a\u0062" is the key ab). */
int path_lookup(const char *p, size_t n, const struct path *path, struct json_val *v);

void path_free(struct path *p);
void path_free_list(struct path *paths, int npaths);

#endif
