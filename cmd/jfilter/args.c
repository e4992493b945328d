/*
 * What jq takes from its command line besides options: the named
 * arguments ($NAME and $ARGS.named from --arg, --argjson, --slurpfile,
 * --rawfile), the positional ones ($ARGS.positional from --args and
 * --jsonargs) and a program read from a file.  Mistakes are usage
 * errors, as jq makes them.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "frame.h"
#include "args.h"

static jv named;	/* built on the first named argument */

static jv
load_file(const char *opt, const char *name, const char *path, int raw)
{
	jv data = jv_load_file(path, raw);

	if (!jv_is_valid(data)) {
		jv msg = jv_invalid_get_msg(data);
		frame_usage("Bad JSON in --%s %s %s: %s", opt, name, path, jv_string_value(msg));
	}
	return data;
}

void
args_named(enum named_kind kind, const char *name, const char *value)
{
	jv v;

	if (!jv_is_valid(named))
		named = jv_object();
	switch (kind) {
	case NAMED_STRING:
		v = jv_string(value);
		break;
	case NAMED_JSON:
		if (!jv_is_valid(v = jv_parse(value)))
			frame_usage("invalid JSON text passed to --argjson");
		break;
	default:
		v = load_file(kind == NAMED_RAW ? "rawfile" : "slurpfile", name, value,
		    kind == NAMED_RAW);
		break;
	}
	/* As jq: the first definition of a name wins. */
	if (jv_object_has(jv_copy(named), jv_string(name)))
		jv_free(v);
	else
		named = jv_object_set(named, jv_string(name), v);
}

jv
args_named_object(void)
{
	return jv_is_valid(named) ? jv_copy(named) : jv_object();
}

jv
args_positional(int json, int n, char **v)
{
	jv all = jv_array();

	for (int i = 0; i < n; i++) {
		jv one = json ? jv_parse(v[i]) : jv_string(v[i]);

		if (!jv_is_valid(one))
			frame_usage("invalid JSON text passed to --jsonargs");
		all = jv_array_append(all, one);
	}
	return all;
}

char *
args_program_file(const char *path)
{
	jv data = jv_load_file(path, 1);
	char *s;

	if (!jv_is_valid(data)) {
		jv msg = jv_invalid_get_msg(data);
		frame_usage("%s", jv_string_value(msg));
	}
	s = xstrdup(jv_string_value(data));
	jv_free(data);
	return s;
}

char *
args_program_origin(const char *progfile)
{
	const char *slash = progfile ? strrchr(progfile, '/') : NULL;

	if (slash == NULL)
		return xstrdup(".");
	return slash == progfile ? xstrdup("/") : xstrndup(progfile, (size_t)(slash - progfile));
}
