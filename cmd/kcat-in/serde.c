/*
 * Key and value formats, and the registry behind Avro: see serde.h.
 */
#include <string.h>

#include "diag.h"
#include "frame.h"
#include "kafka.h"
#include "serde.h"

static struct settings *taking;
static struct registry *registry;
static int value_set;		/* --value given */

static void
take(const char *key, const char *value, const char *where)
{
	registry_setting(&taking->registry, key, value, where);
}

void
serde_take_settings(struct settings *opt)
{
	taking = opt;
	kafka_conf_foreign(REGISTRY_PREFIX, take);
}

static enum value_mode
mode_named(const char *arg, const char *name)
{
	static const char *const names[] = {"string", "json", "avro", NULL};
	static const enum value_mode modes[] = {VALUE_STRING, VALUE_JSON, VALUE_AVRO};

	return modes[frame_choice(arg, name, names)];
}

void
serde_arg(struct settings *opt, const char *arg)
{
	const char *eq = strchr(arg, '=');

	if (eq == NULL) {
		opt->modes.key = opt->modes.value = mode_named("-s", arg);
		return;
	}
	if (strncmp(arg, "key=", 4) == 0)
		opt->modes.key = mode_named("-s key", eq + 1);
	else if (strncmp(arg, "value=", 6) == 0)
		opt->modes.value = mode_named("-s value", eq + 1);
	else
		frame_usage("-s %s: expected key=FORMAT, value=FORMAT or FORMAT (avro, json, string)",
			    arg);
	if (value_set && opt->modes.value == VALUE_AVRO)
		frame_usage("-s value=avro and --value: choose one");
}

void
serde_value(struct settings *opt, const char *arg)
{
	static const char *const names[] = {"string", "json", NULL};
	static const enum value_mode modes[] = {VALUE_STRING, VALUE_JSON};

	if (opt->modes.value == VALUE_AVRO)
		frame_usage("-s value=avro and --value: choose one");
	opt->modes.value = modes[frame_choice("--value", arg, names)];
	value_set = 1;
}

void
serde_start(struct settings *opt, const char *registry_url, int timeout_s)
{
	enum registry_status st;

	if (registry_url)
		registry_setting(&opt->registry, REGISTRY_PREFIX "url", registry_url, "--registry");
	if (opt->modes.key != VALUE_AVRO && opt->modes.value != VALUE_AVRO)
		return;
	if (opt->registry.url == NULL)
		frame_usage("-s ...=avro needs a schema registry: --registry URL, or "
			    "schema.registry.url in a -F file");
	registry = registry_new(&opt->registry, timeout_s);
	if ((st = registry_check(registry)) != REGISTRY_OK)
		diag_fatal("schema registry: %s", registry_error(registry));
	opt->modes.avro = avro_decoder_new(registry, opt->unions);
}

void
serde_stop(struct settings *opt)
{
	avro_decoder_free(opt->modes.avro);
	opt->modes.avro = NULL;
	registry_free(registry);
	registry = NULL;
	registry_settings_free(&opt->registry);
}
