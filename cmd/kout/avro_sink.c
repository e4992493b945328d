/*
 * kout's Avro serde: see avro_sink.h.
 *
 * The subject is Confluent's TopicNameStrategy, TOPIC-key or TOPIC-value,
 * unless given.  A schema file is registered at start (the registry
 * answers with the id it already has when the schema is there), so a
 * schema that evolves gets its new version before the first message that
 * uses it; the registry decides whether the change is compatible.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avro_encode.h"
#include "avro_model.h"
#include "avro_sink.h"
#include "avro_wire.h"
#include "diag.h"
#include "frame.h"
#include "kafka.h"
#include "registry.h"

#define REGISTRY_TIMEOUT_S 30

static const char *const part_names[2] = {"key", "value"};
static const char *const schema_options[2] = {"--key-schema", "--schema"};
static const char *const subject_options[2] = {"--key-subject", "--subject"};

static struct {
	struct avro_sink_args a;
	const char *topic;
	struct registry_settings settings;
	struct registry *registry;
	struct avro_model *model[2];
	uint32_t id[2];
	struct buf err;
} avro;

void
avro_sink_serde(struct avro_sink_args *a, const char *arg)
{
	if (strcmp(arg, "avro") == 0)
		a->on[AVRO_KEY] = a->on[AVRO_VALUE] = 1;
	else if (strcmp(arg, "key=avro") == 0)
		a->on[AVRO_KEY] = 1;
	else if (strcmp(arg, "value=avro") == 0)
		a->on[AVRO_VALUE] = 1;
	else
		frame_usage("-s %s: expected avro, key=avro or value=avro", arg);
}

static void
take_setting(const char *key, const char *value, const char *where)
{
	registry_setting(&avro.settings, key, value, where);
}

void
avro_sink_check(const struct avro_sink_args *a, const char *topic)
{
	avro.a = *a;
	avro.topic = topic;
	kafka_conf_foreign(REGISTRY_PREFIX, take_setting);
	for (int p = 0; p < 2; p++) {
		if (a->on[p])
			continue;
		if (a->schema[p])
			frame_usage("%s needs -s %s=avro", schema_options[p], part_names[p]);
		if (a->subject[p])
			frame_usage("%s needs -s %s=avro", subject_options[p], part_names[p]);
	}
	if (!a->on[AVRO_KEY] && !a->on[AVRO_VALUE]) {
		if (a->registry)
			frame_usage("--registry needs -s avro");
		return;
	}
	for (int p = 0; p < 2; p++)
		if (a->on[p] && !topic && !a->subject[p])
			frame_usage("-s %s=avro without -t needs %s: the topics of the envelopes "
				    "would each name a subject", part_names[p], subject_options[p]);
}

int
avro_sink_on(enum avro_part part)
{
	return avro.a.on[part];
}

/* The whole of a schema file, or a usage error naming it. */
static char *
read_schema(const char *path, size_t *n)
{
	struct buf b = BUF_INIT;
	FILE *f = fopen(path, "r");

	if (f == NULL || buf_read_stream(&b, f) != 0)
		frame_usage("%s: %s", path, strerror(errno));
	fclose(f);
	buf_addc(&b, '\0');
	*n = b.len - 1;
	return b.p;
}

static void
parse_or_die(enum avro_part p, const char *text, size_t n, const char *from)
{
	if (avro_model_parse(text, n, &avro.model[p], &avro.err) != 0)
		frame_usage("%s: %s", from, avro.err.p);
}

static void
registry_failed(const char *what, const char *subject)
{
	diag_fatal("schema registry: %s %s: %s", what, subject, registry_error(avro.registry));
}

/* Part p's schema and id: the file registered (already parsed), or the
 * subject's latest. */
static void
part_schema(enum avro_part p, const char *text, size_t n)
{
	struct buf subject = BUF_INIT;
	enum registry_status st;

	if (avro.a.subject[p])
		buf_adds(&subject, avro.a.subject[p]);
	else
		buf_printf(&subject, "%s-%s", avro.topic, part_names[p]);
	if (text) {
		if (registry_register(avro.registry, subject.p, text, n, &avro.id[p]) != REGISTRY_OK)
			registry_failed("registering the schema under", subject.p);
	} else {
		const struct registry_schema *s;

		if ((st = registry_latest(avro.registry, subject.p, &s)) == REGISTRY_NOT_FOUND)
			diag_fatal("schema registry: no subject %s (give %s FILE to register one)",
				   subject.p, schema_options[p]);
		if (st != REGISTRY_OK)
			registry_failed("the latest schema of", subject.p);
		if (strcmp(s->type, "AVRO") != 0)
			diag_fatal("schema registry: the latest schema of %s is %s, not Avro",
				   subject.p, s->type);
		parse_or_die(p, s->text, s->len, subject.p);
		avro.id[p] = s->id;
	}
	buf_free(&subject);
}

void
avro_sink_start(void)
{
	char *text[2] = {NULL, NULL};
	size_t n[2] = {0, 0};

	if (!avro.a.on[AVRO_KEY] && !avro.a.on[AVRO_VALUE])
		return;
	if (avro.a.registry)
		registry_setting(&avro.settings, REGISTRY_PREFIX "url", avro.a.registry, "--registry");
	if (avro.settings.url == NULL)
		frame_usage("-s avro needs the schema registry: give --registry URL "
			    "(or schema.registry.url with -F)");
	/* A schema file that is not a schema is a usage error, before any
	 * request. */
	for (int p = 0; p < 2; p++)
		if (avro.a.on[p] && avro.a.schema[p]) {
			text[p] = read_schema(avro.a.schema[p], &n[p]);
			parse_or_die(p, text[p], n[p], avro.a.schema[p]);
		}
	avro.registry = registry_new(&avro.settings, REGISTRY_TIMEOUT_S);
	if (registry_check(avro.registry) != REGISTRY_OK)
		diag_fatal("schema registry: %s", registry_error(avro.registry));
	for (int p = 0; p < 2; p++)
		if (avro.a.on[p]) {
			part_schema(p, text[p], n[p]);
			free(text[p]);
		}
}

const char *
avro_sink_encode(enum avro_part part, struct json_val v, struct buf *out)
{
	size_t len = out->len;

	avro_wire_header(out, avro.id[part]);
	if (avro_encode(avro_model_root(avro.model[part]), v, part_names[part], out,
			&avro.err) == 0)
		return NULL;
	out->len = len;
	return avro.err.p;
}

void
avro_sink_free(void)
{
	for (int p = 0; p < 2; p++)
		avro_model_free(avro.model[p]);
	if (avro.registry)
		registry_free(avro.registry);
	registry_settings_free(&avro.settings);
	buf_free(&avro.err);
}
