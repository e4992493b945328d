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

/* What path_lookup_members keeps of a path from record to record, zeros
 * at first: where its key was last found, looked at first, as the
 * records of a stream mostly keep one order of keys; and whether its key
 * holds a backslash (PATH_KEY_PLAIN when not, so that a member name of
 * the same bytes is the key without decoding). */
struct path_memo {
	size_t at;
	enum { PATH_KEY_UNSEEN, PATH_KEY_PLAIN, PATH_KEY_BACKSLASH } key;
};

/* The value of each of paths[0..npaths) in record rec, an object whose
 * top-level members are m[0..nm) (admit_members), into vals[i]
 * (JSON_NONE when missing): the first step is found among the members,
 * found in the pass that admitted the record, and only the rest of a
 * longer path is walked, within that member's value, so that a record is
 * not scanned again for its fields.  A path of no steps (".") is the
 * whole record.  memo[i] is paths[i]'s, kept by the caller, zeros at
 * first.
 * 0, or -1 when a value on the way is malformed. */
int path_lookup_members(struct json_val rec, const struct json_member *m, size_t nm,
			const struct path *paths, int npaths, struct path_memo *memo,
			struct json_val *vals);

void path_free(struct path *p);
void path_free_list(struct path *paths, int npaths);

#endif
