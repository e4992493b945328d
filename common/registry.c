/*
 * The schema registry client: see registry.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "buf.h"
#include "diag.h"
#include "json.h"
#include "registry.h"

struct cached {
	struct registry_schema schema;
	enum registry_status status;	/* REGISTRY_OK or REGISTRY_NOT_FOUND */
	char *text, *type;
};

struct registry {
	struct registry_settings s;
	CURL *curl;
	struct curl_slist *headers;
	struct buf answer;		/* the body of the last response */
	struct buf error;
	long http;			/* its HTTP status */
	struct cached *cache;
	size_t ncache;
};

static const struct {
	const char *key;
	size_t offset;
	int secret;
} setting_keys[] = {
	{"url", offsetof(struct registry_settings, url), 0},
	{"basic.auth.user.info", offsetof(struct registry_settings, user_info), 1},
	{"ssl.ca.location", offsetof(struct registry_settings, ca), 0},
	{"ssl.certificate.location", offsetof(struct registry_settings, cert), 0},
	{"ssl.key.location", offsetof(struct registry_settings, key), 0},
	{"ssl.key.password", offsetof(struct registry_settings, key_password), 1},
};

void
registry_setting(struct registry_settings *s, const char *key, const char *value,
		 const char *where)
{
	const char *name = key + strlen(REGISTRY_PREFIX);

	if (strncmp(key, REGISTRY_PREFIX, strlen(REGISTRY_PREFIX)) != 0)
		name = key;
	for (size_t i = 0; i < sizeof setting_keys / sizeof *setting_keys; i++) {
		if (strcmp(name, setting_keys[i].key) != 0)
			continue;
		/* On the command line a password shows in ps and in the
		 * shell's history. */
		if (setting_keys[i].secret && strcmp(where, "-X") == 0)
			diag_usage("-X %s: give credentials in a -F file, not on the command line", key);
		char **slot = (char **)((char *)s + setting_keys[i].offset);
		free(*slot);
		*slot = xstrdup(value);
		return;
	}
	diag_usage("%s: %s: not a schema registry setting (url, basic.auth.user.info, "
		   "ssl.ca.location, ssl.certificate.location, ssl.key.location, ssl.key.password)",
		   where, key);
}

void
registry_settings_free(struct registry_settings *s)
{
	for (size_t i = 0; i < sizeof setting_keys / sizeof *setting_keys; i++) {
		char **slot = (char **)((char *)s + setting_keys[i].offset);
		free(*slot);
		*slot = NULL;
	}
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static size_t
collect(char *p, size_t size, size_t n, void *arg)
{
	buf_add(arg, p, size * n);
	return size * n;
}

struct registry *
registry_new(const struct registry_settings *s, int timeout_s)
{
	struct registry *r = xcalloc(1, sizeof *r);
	CURL *c;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	r->s.url = dup_or_null(s->url);
	r->s.user_info = dup_or_null(s->user_info);
	r->s.ca = dup_or_null(s->ca);
	r->s.cert = dup_or_null(s->cert);
	r->s.key = dup_or_null(s->key);
	r->s.key_password = dup_or_null(s->key_password);
	if ((c = r->curl = curl_easy_init()) == NULL)
		diag_fatal("schema registry: cannot start libcurl");
	r->headers = curl_slist_append(NULL, "Accept: application/vnd.schemaregistry.v1+json, "
				       "application/json");
	r->headers = curl_slist_append(r->headers,
				       "Content-Type: application/vnd.schemaregistry.v1+json");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, r->headers);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->answer);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)timeout_s);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)timeout_s);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "kpipe/" KPIPE_VERSION);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	if (r->s.user_info) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERPWD, r->s.user_info);
	}
	if (r->s.ca)
		curl_easy_setopt(c, CURLOPT_CAINFO, r->s.ca);
	if (r->s.cert)
		curl_easy_setopt(c, CURLOPT_SSLCERT, r->s.cert);
	if (r->s.key)
		curl_easy_setopt(c, CURLOPT_SSLKEY, r->s.key);
	if (r->s.key_password)
		curl_easy_setopt(c, CURLOPT_KEYPASSWD, r->s.key_password);
	return r;
}

void
registry_free(struct registry *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->ncache; i++) {
		free(r->cache[i].text);
		free(r->cache[i].type);
	}
	free(r->cache);
	curl_slist_free_all(r->headers);
	curl_easy_cleanup(r->curl);
	registry_settings_free(&r->s);
	buf_free(&r->answer);
	buf_free(&r->error);
	free(r);
	curl_global_cleanup();
}

const char *
registry_error(const struct registry *r)
{
	return r->error.len ? r->error.p : "no error";
}

/* The decoded text of the answer's member key, appended to out: 0, or -1
 * when the answer is not an object with such a string (or number). */
static int
answer_member(struct registry *r, const char *key, struct buf *out)
{
	const char *p = r->answer.p, *end = p + r->answer.len;
	struct json_val v;

	if (json_validate(p, r->answer.len, NULL) != 0 ||
	    json_step_key(&p, end, key, strlen(key)) != 1 || json_value(p, end, &v) == NULL)
		return -1;
	if (v.type == JSON_NUMBER) {
		buf_add(out, v.p, v.len);
		return 0;
	}
	return v.type == JSON_STRING ? json_string_decode(v, out) : -1;
}

/* The registry's own words for an error answer ({"error_code":..,
 * "message":..}), or the start of the body. */
static void
explain_answer(struct registry *r)
{
	size_t mark = r->error.len;

	if (answer_member(r, "message", &r->error) == 0)
		return;
	r->error.len = mark;
	buf_add(&r->error, r->answer.p, r->answer.len < 200 ? r->answer.len : 200);
	while (r->error.len > mark && (r->error.p[r->error.len - 1] == '\n' ||
				       r->error.p[r->error.len - 1] == '\r'))
		r->error.len--;
	r->error.p[r->error.len] = '\0';
}

/* One request to one base URL: path after it, and a body to POST (NULL:
 * GET). */
static enum registry_status
request_one(struct registry *r, const char *base, size_t baselen, const char *path,
	    const char *body, size_t bodylen)
{
	struct buf url = BUF_INIT;
	CURLcode rc;

	buf_add(&url, base, baselen);
	while (url.len && url.p[url.len - 1] == '/')
		url.p[--url.len] = '\0';
	buf_adds(&url, path);
	buf_reset(&r->answer);
	buf_reset(&r->error);
	curl_easy_setopt(r->curl, CURLOPT_URL, url.p);
	if (body) {
		curl_easy_setopt(r->curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(r->curl, CURLOPT_POSTFIELDSIZE, (long)bodylen);
	} else {
		curl_easy_setopt(r->curl, CURLOPT_HTTPGET, 1L);
	}
	rc = curl_easy_perform(r->curl);
	buf_printf(&r->error, "%s: ", url.p);
	buf_free(&url);
	if (rc != CURLE_OK) {
		buf_adds(&r->error, curl_easy_strerror(rc));
		return REGISTRY_UNREACHABLE;
	}
	curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, &r->http);
	if (r->http == 200)
		return REGISTRY_OK;
	buf_printf(&r->error, "HTTP %ld: ", r->http);
	explain_answer(r);
	return r->http == 404 ? REGISTRY_NOT_FOUND : REGISTRY_REFUSED;
}

/* The request against each URL of the setting in turn, until one
 * answers. */
static enum registry_status
request(struct registry *r, const char *path, const char *body, size_t bodylen)
{
	enum registry_status st = REGISTRY_UNREACHABLE;
	const char *u = r->s.url;

	while (u && *u) {
		size_t n = strcspn(u, ",");

		st = request_one(r, u, n, path, body, bodylen);
		if (st != REGISTRY_UNREACHABLE)
			return st;
		u += n + (u[n] == ',');
	}
	return st;
}

enum registry_status
registry_check(struct registry *r)
{
	enum registry_status st = request(r, "/subjects", NULL, 0);

	if (st == REGISTRY_OK && (r->answer.len == 0 || r->answer.p[0] != '[')) {
		buf_adds(&r->error, "the answer to GET /subjects is not a list: not a schema registry?");
		return REGISTRY_BAD_ANSWER;
	}
	return st;
}

static struct cached *
find_cached(struct registry *r, uint32_t id)
{
	for (size_t i = 0; i < r->ncache; i++)
		if (r->cache[i].schema.id == id)
			return &r->cache[i];
	return NULL;
}

static struct cached *
add_cached(struct registry *r, uint32_t id, enum registry_status st)
{
	struct cached *c;

	r->cache = xrealloc(r->cache, sizeof *r->cache * (r->ncache + 1));
	c = &r->cache[r->ncache++];
	memset(c, 0, sizeof *c);
	c->schema.id = id;
	c->status = st;
	return c;
}

/* Keep the schema of the last answer (members schema and schemaType) as
 * id's.  REGISTRY_BAD_ANSWER when it has none. */
static enum registry_status
keep_answer(struct registry *r, uint32_t id, struct cached **out)
{
	struct buf text = BUF_INIT, type = BUF_INIT;

	if (answer_member(r, "schema", &text) != 0) {
		buf_free(&text);
		buf_adds(&r->error, "the answer has no schema");
		return REGISTRY_BAD_ANSWER;
	}
	if (answer_member(r, "schemaType", &type) != 0) {
		buf_reset(&type);
		buf_adds(&type, "AVRO");
	}
	struct cached *c = add_cached(r, id, REGISTRY_OK);
	c->text = text.p;
	c->type = type.p;
	c->schema.text = text.p;
	c->schema.len = text.len;
	c->schema.type = type.p;
	*out = c;
	return REGISTRY_OK;
}

enum registry_status
registry_schema(struct registry *r, uint32_t id, const struct registry_schema **out)
{
	struct cached *c = find_cached(r, id);
	enum registry_status st;
	char path[64];

	if (c != NULL) {
		if (c->status == REGISTRY_NOT_FOUND) {
			buf_reset(&r->error);
			buf_printf(&r->error, "schema id %lu: not found", (unsigned long)id);
		}
		*out = &c->schema;
		return c->status;
	}
	snprintf(path, sizeof path, "/schemas/ids/%lu", (unsigned long)id);
	st = request(r, path, NULL, 0);
	if (st == REGISTRY_NOT_FOUND)
		add_cached(r, id, st);
	if (st != REGISTRY_OK)
		return st;
	if ((st = keep_answer(r, id, &c)) == REGISTRY_OK)
		*out = &c->schema;
	return st;
}

/* The answer's id member. */
static int
answer_id(struct registry *r, uint32_t *id)
{
	struct buf text = BUF_INIT;
	char *end;
	unsigned long v;
	int rc = -1;

	if (answer_member(r, "id", &text) == 0) {
		v = strtoul(text.p, &end, 10);
		if (*end == '\0' && end != text.p && v <= UINT32_MAX) {
			*id = (uint32_t)v;
			rc = 0;
		}
	}
	buf_free(&text);
	if (rc != 0)
		buf_adds(&r->error, "the answer has no schema id");
	return rc;
}

/* "/subjects/SUBJECT" with the subject escaped for a URL, then rest. */
static char *
subject_path(struct registry *r, const char *subject, const char *rest)
{
	char *esc = curl_easy_escape(r->curl, subject, 0);
	struct buf b = BUF_INIT;

	buf_printf(&b, "/subjects/%s%s", esc ? esc : "", rest);
	curl_free(esc);
	return b.p;
}

enum registry_status
registry_latest(struct registry *r, const char *subject, const struct registry_schema **out)
{
	char *path = subject_path(r, subject, "/versions/latest");
	enum registry_status st = request(r, path, NULL, 0);
	struct cached *c;
	uint32_t id;

	free(path);
	if (st != REGISTRY_OK)
		return st;
	if (answer_id(r, &id) != 0)
		return REGISTRY_BAD_ANSWER;
	if ((c = find_cached(r, id)) != NULL && c->status == REGISTRY_OK) {
		*out = &c->schema;
		return REGISTRY_OK;
	}
	if ((st = keep_answer(r, id, &c)) == REGISTRY_OK)
		*out = &c->schema;
	return st;
}

enum registry_status
registry_register(struct registry *r, const char *subject, const char *schema, size_t n,
		  uint32_t *id)
{
	char *path = subject_path(r, subject, "/versions");
	struct buf body = BUF_INIT;
	enum registry_status st;

	buf_adds(&body, "{\"schema\":");
	json_put_string(&body, schema, n);
	buf_addc(&body, '}');
	st = request(r, path, body.p, body.len);
	free(path);
	buf_free(&body);
	if (st == REGISTRY_OK && answer_id(r, id) != 0)
		st = REGISTRY_BAD_ANSWER;
	return st;
}
