/*
 * -f: the input line is an envelope (a Kafka message from kcat-in, say),
 * a JSON object one of whose fields holds the text to parse.  The
 * envelope's other members are kept, as they are, for the record's meta
 * key.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "admit.h"
#include "json.h"
#include "jparse.h"

/* The envelope's top-level members as compact slices: those admission
 * listed in its pass when they are (the listed slices are of the line,
 * or of the rewritten record, and a line as long as its compact record
 * holds no white space to leave out, as kcat-in writes them); else one
 * look through the compacted record.  0 when there are none. */
static size_t
top_members(struct envelope *env, const struct line *l, const struct json_val *rec)
{
	size_t n;
	const struct json_member *m = admit_members(&env->admit, &n);
	uintptr_t at = n > 0 ? (uintptr_t)m[0].key.p : 0, from = (uintptr_t)rec->p;
	int in_rec = at >= from && at < from + rec->len;
	struct json_iter it;
	struct json_member one;

	if (n > 0 && (in_rec || l->len == rec->len)) {
		env->top = m;
		return n;
	}
	buf_reset(&env->members);
	json_iter_init(&it, *rec);
	while (json_iter_next(&it, &one.key, &one.val) == 1)
		buf_add(&env->members, &one, sizeof one);
	env->top = (const void *)env->members.p;
	return env->members.len / sizeof one;
}

/*
 * The top-level field, and every other member copied into env->meta as
 * it is: admission compacted the record and left no key twice, so the
 * members need no second look.
 */
static struct json_val
split_top(struct envelope *env, const struct line *l, const struct json_val *rec,
	  const struct path_step *key)
{
	size_t n = top_members(env, l, rec);
	struct json_val found = {JSON_NONE, NULL, 0};
	int first = 1;

	buf_reset(&env->meta);
	buf_addc(&env->meta, '{');
	for (size_t i = 0; i < n; i++) {
		const struct json_member *m = &env->top[i];

		if (json_string_eq(m->key, key->key, key->keylen)) {
			found = m->val;
			continue;
		}
		if (!first)
			buf_addc(&env->meta, ',');
		first = 0;
		buf_add(&env->meta, m->key.p, (size_t)(m->val.p + m->val.len - m->key.p));
	}
	buf_addc(&env->meta, '}');
	return found;
}

void
envelope_init(struct envelope *env)
{
	admit_init(&env->admit, ADMIT_COMPACT | ADMIT_MEMBERS);
}

enum envelope_result
envelope_split(struct envelope *env, const struct path *field, const struct line *l,
	       struct json_val *v, char *why, size_t whylen)
{
	struct json_val rec;

	if (admit_line(&env->admit, l, &rec) != ADMIT_RECORD)
		return ENV_NONE;
	if (field->nsteps == 1 && field->steps[0].key != NULL) {
		*v = split_top(env, l, &rec, &field->steps[0]);
	} else {
		/* A nested field: the envelope's members all stay in meta. */
		if (path_lookup(rec.p, rec.len, field, v) != 1)
			v->type = JSON_NONE;
		buf_reset(&env->meta);
		buf_add(&env->meta, rec.p, rec.len);
	}
	if (v->type == JSON_NONE) {
		snprintf(why, whylen, "no field %s", field->text);
		return ENV_BAD;
	}
	return ENV_OK;
}

void
envelope_free(struct envelope *env)
{
	admit_free(&env->admit);
	buf_free(&env->meta);
	buf_free(&env->members);
}
