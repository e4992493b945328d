/*
 * -f: the input line is an envelope (a Kafka message from kcat-in, say),
 * a JSON object one of whose fields holds the text to parse.  The
 * envelope's other members are kept, as they are, for the record's meta
 * key.
 */
#include <stdio.h>
#include <stdlib.h>

#include "json.h"
#include "jparse.h"

/*
 * One pass over the compacted envelope finds the top-level field (its
 * first occurrence, as json_lookup would) and copies every other member
 * into env->meta as it is: compacting first means the members need no
 * second look.
 */
static struct json_val
split_top(struct envelope *env, const struct path_step *key)
{
	struct json_iter it;
	struct json_val k, v, found = {JSON_NONE, NULL, 0};
	struct json_val obj = {JSON_OBJECT, env->line.p, env->line.len};
	int n = 0;

	buf_reset(&env->meta);
	buf_addc(&env->meta, '{');
	json_iter_init(&it, obj);
	while (json_iter_next(&it, &k, &v) == 1) {
		if (json_string_eq(k, key->key, key->keylen)) {
			if (found.type == JSON_NONE)
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

int
envelope_split(struct envelope *env, const struct path *field, const char *p, size_t n,
	       struct json_val *v, char *why, size_t whylen)
{
	struct json_error err;

	buf_reset(&env->line);
	if (json_compact(p, n, &env->line, &err) != 0) {
		snprintf(why, whylen, "invalid JSON at byte %zu: %s", err.offset + 1, err.msg);
		return -1;
	}
	if (env->line.p[0] != '{') {
		snprintf(why, whylen, "not a JSON object");
		return -1;
	}
	if (field->nsteps == 1 && field->steps[0].key != NULL) {
		*v = split_top(env, &field->steps[0]);
	} else {
		/* A nested field: the envelope's members all stay in meta. */
		if (json_lookup(env->line.p, env->line.len, field, v) != 1)
			v->type = JSON_NONE;
		buf_reset(&env->meta);
		buf_add(&env->meta, env->line.p, env->line.len);
	}
	if (v->type == JSON_NONE) {
		snprintf(why, whylen, "no field %s", field->text);
		return -1;
	}
	return 0;
}

void
envelope_free(struct envelope *env)
{
	buf_free(&env->line);
	buf_free(&env->meta);
}
