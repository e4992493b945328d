/*
 * The joined record (joined.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "joined.h"

#define CLASH_PREFIX "right_"

void
joined_names_init(struct joined_names *s)
{
	s->seen = group_new();
}

/* The decoded text of member name key (a JSON string slice) appended to
 * out: the bytes between the quotes when there is no escape. */
static void
decode_name(struct json_val key, struct buf *out)
{
	const char *body = key.p + 1;
	size_t n = key.len - 2;

	if (memchr(body, '\\', n) == NULL || json_string_decode(key, out) != 0)
		buf_add(out, body, n);
}

void
joined_names_add(struct joined_names *s, const struct json_member *m, size_t nm)
{
	struct buf name = BUF_INIT;

	for (size_t i = 0; i < nm; i++) {
		buf_reset(&name);
		decode_name(m[i].key, &name);
		group_intern(s->seen, name.p, name.len, NULL);
	}
	buf_free(&name);
}

void
joined_names_free(struct joined_names *s)
{
	group_free(s->seen);
	s->seen = NULL;
}

int
joined_init(struct joined *j, const struct joinkey *k, const char *prefix, char *err,
	    size_t errlen)
{
	memset(j, 0, sizeof *j);
	j->k = k;
	if (prefix == NULL)
		return 0;
	const char *comma = strchr(prefix, ',');
	if (comma == NULL || strchr(comma + 1, ',')) {
		snprintf(err, errlen, "--prefix takes LEFT,RIGHT (one comma; either may be empty), not '%s'",
			 prefix);
		return -1;
	}
	j->prefix[0] = xstrndup(prefix, (size_t)(comma - prefix));
	j->prefix[1] = xstrdup(comma + 1);
	if (strcmp(j->prefix[0], j->prefix[1]) == 0) {
		snprintf(err, errlen, "--prefix: the two prefixes must differ, to tell the sides apart");
		joined_free(j);
		return -1;
	}
	return 0;
}

void
joined_free(struct joined *j)
{
	free(j->prefix[0]);
	free(j->prefix[1]);
	buf_free(&j->line);
	buf_free(&j->names);
	buf_free(&j->members);
	buf_free(&j->keep);
	buf_free(&j->name);
	buf_free(&j->out);
	buf_free(&j->shape_keys);
	buf_free(&j->shape_heads);
	buf_free(&j->shape);
	free(j->name_off);
	free(j->name_len);
	memset(j, 0, sizeof *j);
}

/* Which of side's top-level key names name (n bytes) is, or -1. */
static int
key_index(const struct joinkey *k, int side, const char *name, size_t n)
{
	for (int i = 0; i < k->n; i++) {
		const char *t = k->top[side][i];
		if (t && strlen(t) == n && memcmp(t, name, n) == 0)
			return i;
	}
	return -1;
}

/* The members of a side's record: as given, or read here. */
static const struct json_member *
side_members(struct joined *j, const struct joined_side *s, size_t *nm)
{
	struct json_iter it;
	struct json_member mb;

	if (s->m) {
		*nm = s->nm;
		return s->m;
	}
	buf_reset(&j->members);
	if (json_iter_init(&it, s->rec) == 0)
		while (json_iter_next(&it, &mb.key, &mb.val) == 1)
			buf_add(&j->members, &mb, sizeof mb);
	*nm = j->members.len / sizeof mb;
	return (const struct json_member *)(void *)j->members.p;
}

/* Remember an output name of the left side, for the clash rule. */
static void
note_left_name(struct joined *j, const char *name, size_t n, size_t *count)
{
	if (*count == j->ncap) {
		j->ncap = j->ncap ? 2 * j->ncap : 32;
		j->name_off = xrealloc(j->name_off, j->ncap * sizeof *j->name_off);
		j->name_len = xrealloc(j->name_len, j->ncap * sizeof *j->name_len);
	}
	j->name_off[*count] = j->names.len;
	j->name_len[*count] = n;
	buf_add(&j->names, name, n);
	(*count)++;
}

static int
left_has(const struct joined *j, size_t count, const char *name, size_t n)
{
	for (size_t i = 0; i < count; i++)
		if (j->name_len[i] == n && memcmp(j->names.p + j->name_off[i], name, n) == 0)
			return 1;
	return 0;
}

/* One member "name":value, the name given decoded (json_put_string
 * escapes it again the one fixed way). */
static void
put_member(struct buf *line, const char *name, size_t n, const char *val, size_t vlen)
{
	if (line->len > 1)
		buf_addc(line, ',');
	json_put_string(line, name, n);
	buf_addc(line, ':');
	buf_add(line, val, vlen);
}

/* The output name of a side's field into out: the prefix unless it is a
 * key field, then for the right side right_ until the left lacks it. */
static void
output_name(struct joined *j, int side, const char *name, size_t n, size_t nleft,
	    struct buf *out)
{
	buf_reset(out);
	if (j->prefix[side] && key_index(j->k, side, name, n) < 0)
		buf_adds(out, j->prefix[side]);
	buf_add(out, name, n);
	if (side == JOINKEY_RIGHT)
		while (left_has(j, nleft, out->p, out->len)) {
			size_t len = out->len;
			buf_add(out, CLASH_PREFIX, strlen(CLASH_PREFIX));
			memmove(out->p + strlen(CLASH_PREFIX), out->p, len);
			memcpy(out->p, CLASH_PREFIX, strlen(CLASH_PREFIX));
		}
}

/* The value of the right record's member named name, for a written-once
 * key when there is no left record. */
static struct json_val
right_value(const struct json_member *m, size_t nm, const char *name, size_t n)
{
	struct json_val none = {JSON_NULL, "null", 4};

	for (size_t i = 0; i < nm; i++)
		if (json_string_eq(m[i].key, name, n))
			return m[i].val;
	return none;
}

/* One member of the shape: its name's JSON slice in shape_keys, and the
 * "name": written for it in shape_heads (head_len 0: not written, a key
 * field written once). */
struct shape_member {
	size_t key_off, key_len, head_off, head_len;
};

static void
shape_add(struct joined *j, struct json_val key, const char *out, size_t n)
{
	struct shape_member sm = {j->shape_keys.len, key.len, j->shape_heads.len, 0};

	buf_add(&j->shape_keys, key.p, key.len);
	if (out) {
		json_put_string(&j->shape_heads, out, n);
		buf_addc(&j->shape_heads, ':');
		sm.head_len = j->shape_heads.len - sm.head_off;
	}
	buf_add(&j->shape, &sm, sizeof sm);
}

/* Whether the members' names are those of the shape, byte for byte. */
static int
shape_fits(const struct joined *j, const struct json_member *lm, size_t nl,
	   const struct json_member *rm, size_t nr)
{
	const struct shape_member *sm = (const struct shape_member *)(void *)j->shape.p;

	if (j->shape.len == 0 || nl != j->shape_nl || nr != j->shape_nr)
		return 0;
	for (size_t i = 0; i < nl + nr; i++) {
		struct json_val key = i < nl ? lm[i].key : rm[i - nl].key;
		if (key.len != sm[i].key_len ||
		    memcmp(key.p, j->shape_keys.p + sm[i].key_off, key.len) != 0)
			return 0;
	}
	return 1;
}

/* Work out the output names of a left and a right record's members. */
static void
shape_build(struct joined *j, const struct json_member *lm, size_t nl,
	    const struct json_member *rm, size_t nr)
{
	struct buf *name = &j->name, *out = &j->out;
	size_t nleft = 0;

	buf_reset(&j->shape_keys);
	buf_reset(&j->shape_heads);
	buf_reset(&j->shape);
	buf_reset(&j->names);
	j->shape_nl = nl;
	j->shape_nr = nr;
	for (size_t i = 0; i < nl; i++) {
		buf_reset(name);
		decode_name(lm[i].key, name);
		output_name(j, JOINKEY_LEFT, name->p, name->len, 0, out);
		note_left_name(j, out->p, out->len, &nleft);
		shape_add(j, lm[i].key, out->p, out->len);
	}
	for (size_t i = 0; i < nr; i++) {
		buf_reset(name);
		decode_name(rm[i].key, name);
		int ki = key_index(j->k, JOINKEY_RIGHT, name->p, name->len);
		if (ki >= 0 && j->k->same[ki]) {
			shape_add(j, rm[i].key, NULL, 0);
			continue;
		}
		output_name(j, JOINKEY_RIGHT, name->p, name->len, nleft, out);
		shape_add(j, rm[i].key, out->p, out->len);
	}
}

/* Both sides have a record: their members under the shape's names. */
static void
write_both(struct joined *j, const struct json_member *lm, size_t nl,
	   const struct json_member *rm, size_t nr)
{
	if (!shape_fits(j, lm, nl, rm, nr))
		shape_build(j, lm, nl, rm, nr);

	const struct shape_member *sm = (const struct shape_member *)(void *)j->shape.p;

	for (size_t i = 0; i < nl + nr; i++) {
		struct json_val v = i < nl ? lm[i].val : rm[i - nl].val;
		if (sm[i].head_len == 0)
			continue;
		if (j->line.len > 1)
			buf_addc(&j->line, ',');
		buf_add(&j->line, j->shape_heads.p + sm[i].head_off, sm[i].head_len);
		buf_add(&j->line, v.p, v.len);
	}
}

enum out_status
joined_write(struct joined *j, const struct joined_side *left, const struct joined_side *right)
{
	const struct joinkey *k = j->k;
	struct buf *name = &j->name, *out = &j->out;
	size_t nl = 0, nr = 0, nleft = 0;
	const struct json_member *lm = NULL, *rm = NULL;
	int have_left = left->rec.type != JSON_NONE, have_right = right->rec.type != JSON_NONE;

	buf_reset(&j->line);
	buf_reset(&j->names);
	buf_addc(&j->line, '{');
	if (have_right)
		rm = side_members(j, right, &nr);
	if (have_left) {
		/* j->members may hold the right's: copy the left's out first. */
		if (!left->m && rm == (const struct json_member *)(void *)j->members.p) {
			buf_reset(&j->keep);
			buf_add(&j->keep, j->members.p, j->members.len);
			rm = (const struct json_member *)(void *)j->keep.p;
		}
		lm = side_members(j, left, &nl);
		if (have_right)
			write_both(j, lm, nl, rm, nr);
		else
			for (size_t i = 0; i < nl; i++) {
				buf_reset(name);
				decode_name(lm[i].key, name);
				output_name(j, JOINKEY_LEFT, name->p, name->len, 0, out);
				note_left_name(j, out->p, out->len, &nleft);
				put_member(&j->line, out->p, out->len, lm[i].val.p, lm[i].val.len);
			}
	} else if (left->absent) {
		size_t count = group_count(left->absent->seen);
		for (size_t i = 0; i < count; i++) {
			size_t n;
			const char *nm = group_key(left->absent->seen, i, &n);
			int ki = key_index(k, JOINKEY_LEFT, nm, n);
			struct json_val v = {JSON_NULL, "null", 4};
			if (ki >= 0 && k->same[ki])
				v = right_value(rm, nr, nm, n);
			output_name(j, JOINKEY_LEFT, nm, n, 0, out);
			note_left_name(j, out->p, out->len, &nleft);
			put_member(&j->line, out->p, out->len, v.p, v.len);
		}
	}
	if (!have_left && have_right)
		for (size_t i = 0; i < nr; i++) {
			buf_reset(name);
			decode_name(rm[i].key, name);
			int ki = key_index(k, JOINKEY_RIGHT, name->p, name->len);
			if (ki >= 0 && k->same[ki] && left_has(j, nleft, name->p, name->len))
				continue;
			output_name(j, JOINKEY_RIGHT, name->p, name->len, nleft, out);
			put_member(&j->line, out->p, out->len, rm[i].val.p, rm[i].val.len);
		}
	if (!have_right && right->absent) {
		size_t count = group_count(right->absent->seen);
		for (size_t i = 0; i < count; i++) {
			size_t n;
			const char *nm = group_key(right->absent->seen, i, &n);
			int ki = key_index(k, JOINKEY_RIGHT, nm, n);
			if (ki >= 0 && k->same[ki])
				continue;
			output_name(j, JOINKEY_RIGHT, nm, n, nleft, out);
			put_member(&j->line, out->p, out->len, "null", 4);
		}
	}
	buf_addc(&j->line, '}');
	return out_line(j->line.p, j->line.len);
}
