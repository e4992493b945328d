/*
 * jparse: raw text to records.  Each input line (or, with -f, the string
 * in one field of each JSON record) is parsed by one format into a JSON
 * object per line: JSON itself, CSV/TSV, logfmt, a PCRE2 pattern with
 * named captures, or a named log format.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "frame.h"
#include "path.h"
#include "timefmt.h"
#include "jparse.h"

static int format, strings, no_meta;
static const char *regex, *preset_name, *delimiter, *header, *time_opt, *epoch, *year;
static const char *field, *meta_key;

/* What the options were turned into, kept to be freed at the end. */
static struct path time_path, field_path;
static char *time_text;		/* --time's FIELD=FORMAT, split at the '=' */
static char *header_text;	/* --header's names, split at the commas */

static const struct opt opts[] = {
	{0, "json", NULL, "each line is a JSON text (the default)", .flag = &format, .value = F_JSON},
	{0, "csv", NULL, "comma-separated values; the first row names the fields",
	 .flag = &format, .value = F_CSV},
	{0, "tsv", NULL, "tab-separated values, as --csv", .flag = &format, .value = F_TSV},
	{0, "logfmt", NULL, "key=value key2=\"quoted value\" flag", .flag = &format, .value = F_LOGFMT},
	{0, "regex", "PATTERN", "a PCRE2 pattern whose named captures become fields", .str = &regex},
	{0, "format", "NAME", "a named log format; --format list shows them", .str = &preset_name},
	{'d', "delimiter", "C", "the CSV field separator (default ',')", .str = &delimiter},
	{0, "header", "A,B,...", "field names instead of a CSV header row", .str = &header},
	{'S', "strings", NULL, "no type inference: every text value stays a string", .flag = &strings},
	{0, "time", "FIELD[=FORMAT]", "rewrite FIELD as RFC 3339 UTC (FORMAT: strptime-style)",
	 .str = &time_opt},
	{0, "epoch-unit", "UNIT", "unit of numeric times: s (default), ms, us", .str = &epoch},
	{0, "year", "YYYY", "year of syslog times, which carry none (default: this year)", .str = &year},
	{'f', "field", "PATH", "parse the string in this field of each JSON input record",
	 .str = &field},
	{0, "meta", "NAME", "put the record's other fields under NAME (default _meta)", .str = &meta_key},
	{0, "no-meta", NULL, "drop the record's other fields", .flag = &no_meta},
	{0}
};

static const struct command cmd = {
	"jparse",
	"[--json | --csv | --tsv | --logfmt | --regex PATTERN | --format NAME]\n"
	"[options] [-f PATH [--meta NAME | --no-meta]] [FILE...]",
	"Turns lines of JSON, CSV, logfmt or logs into JSON objects, one per line.",
	opts
};

static _Noreturn void
list_formats(void)
{
	for (const struct preset *p = presets; p->name; p++)
		printf("%-13s %s\n", p->name, p->about);
	exit(frame_finish());
}

/* One format, and what it needs compiled. */
static const struct preset *
check_format(struct plan *plan)
{
	const struct preset *preset = NULL;
	char err[300];

	if ((format != F_NONE) + (regex != NULL) + (preset_name != NULL) > 1)
		frame_usage("give one format: --json, --csv, --tsv, --logfmt, --regex or --format");
	plan->fmt = format != F_NONE ? format : F_JSON;
	plan->fmtname = plan->fmt == F_CSV ? "csv" : plan->fmt == F_TSV ? "tsv"
	    : plan->fmt == F_LOGFMT ? "logfmt" : "json";
	if (preset_name && strcmp(preset_name, "list") == 0)
		list_formats();
	if (preset_name && (preset = preset_find(preset_name)) == NULL)
		frame_usage("unknown format '%s' (--format list shows them)", preset_name);
	if (regex || preset) {
		plan->fmt = F_REGEX;
		plan->fmtname = preset ? preset->name : "the regex";
		if ((plan->rx = rx_compile(preset ? preset->pattern : regex, err, sizeof err)) == NULL)
			frame_usage("%s", err);
	}
	return preset;
}

static char **
split_header(const char *s, int *n)
{
	char *tok, *save;
	char **names = NULL;

	header_text = xstrdup(s);
	*n = 0;
	for (tok = strtok_r(header_text, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		names = xrealloc(names, (size_t)(*n + 1) * sizeof *names);
		names[(*n)++] = tok;
	}
	if (*n == 0)
		frame_usage("--header: no field names");
	return names;
}

static void
check_csv(struct plan *plan)
{
	int csv = plan->fmt == F_CSV || plan->fmt == F_TSV;

	if (header && !csv)
		frame_usage("--header goes with --csv or --tsv");
	if (delimiter && !csv)
		frame_usage("--delimiter goes with --csv or --tsv");
	if (delimiter && strlen(delimiter) != 1)
		frame_usage("--delimiter takes one character, not '%s'", delimiter);
	plan->delim = delimiter ? (unsigned char)delimiter[0] : plan->fmt == F_TSV ? '\t' : ',';
	if (header)
		plan->header = split_header(header, &plan->nheader);
}

/* The '=' that ends FIELD in FIELD=FORMAT: the first one outside a quoted
 * key, or NULL. */
static char *
format_sep(char *s)
{
	for (int quoted = 0; *s; s++) {
		if (quoted && *s == '\\' && s[1])
			s++;
		else if (*s == '"')
			quoted = !quoted;
		else if (!quoted && *s == '=')
			return s;
	}
	return NULL;
}

/* --time FIELD[=FORMAT]: a path (kpipe(7), FIELD PATHS) and a format that
 * are both sound before the first record is read. */
static void
check_time(struct plan *plan, const struct preset *preset)
{
	char *eq, err[300];

	time_text = xstrdup(time_opt);
	eq = format_sep(time_text);
	if (eq) {
		*eq = '\0';
		plan->e.time_format = eq + 1;
		if (time_format_valid(eq + 1) != 0)
			frame_usage("--time %s: '%s' is not a time format (kpipe(7), TIME)", time_opt, eq + 1);
	}
	if (path_parse(time_text, &time_path, err, sizeof err) != 0)
		frame_usage("--time %s: %s", time_opt, err);
	if (plan->fmt != F_JSON && (time_path.nsteps != 1 || time_path.steps[0].key == NULL))
		frame_usage("--time %s: the %s format gives flat records: name one field",
		    time_opt, plan->fmtname);
	if (!eq && preset && strcmp(time_path.steps[0].key, preset->time_field) == 0)
		plan->e.time_format = preset->time_format;
	plan->e.time = &time_path;
}

static void
check_options(struct plan *plan)
{
	const struct preset *preset = check_format(plan);
	enum epoch_unit unit = EPOCH_S;
	char err[300];

	check_csv(plan);
	plan->e.strings = strings;
	if (epoch && epoch_unit_parse(epoch, &unit) != 0)
		frame_usage("--epoch-unit: '%s' is not s, ms or us", epoch);
	plan->e.epoch_unit = (int)unit;
	if (year)
		time_set_default_year((int)frame_int("--year", year, 1, 9999));
	if (time_opt)
		check_time(plan, preset);
	if (no_meta && meta_key)
		frame_usage("--meta and --no-meta cannot be used together");
	if ((no_meta || meta_key) && !field)
		frame_usage("--%s goes with -f", no_meta ? "no-meta" : "meta");
	if (field) {
		if (path_parse(field, &field_path, err, sizeof err) != 0)
			frame_usage("-f %s: %s", field, err);
		plan->field = &field_path;
	}
	plan->e.meta_key = no_meta ? NULL : meta_key ? meta_key : "_meta";
}

int
main(int argc, char **argv)
{
	struct operands files = frame_parse(&cmd, argc, argv);
	struct plan plan = {0};

	check_options(&plan);
	lines_run(&plan, files.n, files.v);
	rx_free(plan.rx);
	free(plan.header);
	free(header_text);
	path_free(&time_path);
	path_free(&field_path);
	free(time_text);
	return frame_finish();
}
