/*
 * -f: the input line is an envelope (a Kafka message from kcat-in, say),
 * a JSON object one of whose fields holds the text to parse.  The
 * envelope's other members are kept, as they are, for the record's meta
 * key.
 */
#include <stdio.h>
#include <stdlib.h>

#include "admit.h"
#include "json.h"
#include "jparse.h"

/*
 * One pass over the admitted envelope finds the top-level field and
 * copies every other member into env->meta as it is: admission compacted
 * the record and left no key twice, so the members need no second look.
 */
static struct json_val
split_top(struct envelope *env, const struct json_val *rec, const struct path_step *key)
{
	struct json_iter it;
	struct json_val k, v, found = {JSON_NONE, NULL, 0};
	struct json_val obj = *rec;
	int n = 0;

	buf_reset(&env->meta);
	buf_addc(&env->meta, '{');
	json_iter_init(&it, obj);
	while (json_iter_next(&it, &k, &v) == 1) {
		if (json_string_eq(k, key->key, key->keylen)) {
			found = v;
			continue;
		}
		if (n++)
			buf_addc(&env->meta, ',');
		buf_add(&env->meta, k.p, (size_t)(v.p + v.len - k.p));
	}
	buf_addc(&env->meta, '}');
	return found;
}

void
envelope_init(struct envelope *env)
{
	admit_init(&env->admit, ADMIT_COMPACT);
}

enum envelope_result
envelope_split(struct envelope *env, const struct path *field, const struct line *l,
	       struct json_val *v, char *why, size_t whylen)
{
	struct json_val rec;

	if (admit_line(&env->admit, l, &rec) != ADMIT_RECORD)
		return ENV_NONE;
	if (field->nsteps == 1 && field->steps[0].key != NULL) {
		*v = split_top(env, &rec, &field->steps[0]);
	} else {
		/* A nested field: the envelope's members all stay in meta. */
		if (json_lookup(rec.p, rec.len, field, v) != 1)
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
}
