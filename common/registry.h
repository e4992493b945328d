/*
 * A client of a Confluent-compatible schema registry (Confluent Schema
 * Registry, Apicurio's ccompat API, Redpanda, Karapace), over libcurl:
 * the schema of an id, the latest schema of a subject, and registering a
 * schema under a subject.  Schemas are fetched once per id: ids never
 * change meaning, so an answer (found or not found) is kept for the run.
 *
 * Settings come from the same places as librdkafka's (-F files, -X,
 * $KPIPE_KAFKA_CONFIG; see kafka_conf_foreign), under the names kcat,
 * libserdes and Confluent's clients use:
 *   schema.registry.url                       URL[,URL...], tried in order
 *   schema.registry.basic.auth.user.info      USER:PASSWORD (not with -X)
 *   schema.registry.ssl.ca.location           CA certificates (PEM file)
 *   schema.registry.ssl.certificate.location  client certificate (PEM)
 *   schema.registry.ssl.key.location          its private key (PEM)
 *   schema.registry.ssl.key.password          the key's password
 */
#ifndef KPIPE_REGISTRY_H
#define KPIPE_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#define REGISTRY_PREFIX "schema.registry."

struct registry_settings {
	char *url, *user_info, *ca, *cert, *key, *key_password;
};

/* One schema.registry.* setting (key is the whole key), from where (for
 * messages: "-X", "FILE:LINE").  An unknown key, or credentials on the
 * command line (where "-X"), is a usage error (exit 2). */
void registry_setting(struct registry_settings *s, const char *key, const char *value,
		      const char *where);
void registry_settings_free(struct registry_settings *s);

enum registry_status {
	REGISTRY_OK = 0,
	REGISTRY_NOT_FOUND,	/* no such id or subject (HTTP 404) */
	REGISTRY_UNREACHABLE,	/* no answer: connection, TLS, timeout */
	REGISTRY_REFUSED,	/* an answer that is an error (401, 5xx, 422 ...) */
	REGISTRY_BAD_ANSWER	/* an answer that is not what the API says */
};

struct registry;

/* A client for s->url (which must be set), giving up on a request after
 * timeout_s seconds.  The settings are copied. */
struct registry *registry_new(const struct registry_settings *s, int timeout_s);
void registry_free(struct registry *r);

/* Does the registry answer?  (GET /subjects.)  For a command to fail at
 * start, rather than reject every record, when it is not there. */
enum registry_status registry_check(struct registry *r);

/* A schema as the registry holds it: its text (a JSON schema, NUL
 * terminated) and its type ("AVRO" when the registry says nothing, as
 * the Confluent API does for Avro). */
struct registry_schema {
	uint32_t id;
	const char *text;
	size_t len;
	const char *type;
};

/* The schema with this id (GET /schemas/ids/ID), from the cache after the
 * first time.  The schema stays valid until registry_free. */
enum registry_status registry_schema(struct registry *r, uint32_t id,
				     const struct registry_schema **out);

/* The latest version under subject (GET /subjects/S/versions/latest). */
enum registry_status registry_latest(struct registry *r, const char *subject,
				     const struct registry_schema **out);

/* Register schema text under subject, or find it registered already
 * (POST /subjects/S/versions); *id is its id. */
enum registry_status registry_register(struct registry *r, const char *subject,
				       const char *schema, size_t n, uint32_t *id);

/* Why the last request that failed did: "URL: what" (no credentials). */
const char *registry_error(const struct registry *r);

#endif
