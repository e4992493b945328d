/*
 * jparse: raw text to records.  Each input line (or, with -f, the string
 * in one field of each JSON record) is parsed by one format into a JSON
 * object per line: JSON itself, CSV/TSV, logfmt, a PCRE2 pattern with
 * named captures, or a named log format.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "input.h"
#include "json.h"
#include "output.h"
#include "path.h"
#include "timefmt.h"
#include "jparse.h"

enum format { F_JSON, F_CSV, F_LOGFMT, F_REGEX };

static struct {
	enum format fmt;
	const char *fmtname;		/* for messages: "json", "clf", "regex" ... */
	struct emit e;
	struct rx *rx;
	struct csvp *csv;
	struct path field;		/* -f */
	int by_field;

	struct buf out;			/* the output record */
	struct buf text;		/* -f: the decoded string */
	struct buf env;			/* -f: the input record, compacted */
	struct buf meta;		/* -f: the envelope without the field */
	struct buf tmp;
	struct record rec;
	int have_meta;
	const struct line *cur;		/* the input line being worked on */
} J;

static void
usage(FILE *f)
{
	fprintf(f,
"usage: jparse [--json | --csv | --tsv | --logfmt | --regex PATTERN | --format NAME]\n"
"              [--header A,B,...] [--strings] [--time FIELD[=FORMAT]] [--epoch-unit s|ms|us]\n"
"              [--year YYYY]\n"
"              [-f FIELD [--meta NAME | --no-meta]] [-u] [-q] [--errors FILE] [FILE ...]\n"
"Turns lines into JSON objects, one per line.\n"
"  --json             validate and compact JSON; a non-object becomes {\"value\": ...} (default)\n"
"  --csv, --tsv       header row names the fields (or --header); quotes, CRLF, BOM\n"
"  -d, --delimiter C  CSV field separator (default ',')\n"
"  --logfmt           key=value key2=\"quoted value\" flag\n"
"  -r, --regex PAT    PCRE2 pattern; named captures (?<name>...) become fields\n"
"  -F, --format NAME  a named log format; --format list shows them\n"
"  -H, --header LIST  field names instead of a CSV header row\n"
"  -S, --strings      no type inference: every text value stays a string\n"
"  -t, --time F[=FMT] normalise field F to RFC 3339 UTC (FMT: strptime-style)\n"
"  --epoch-unit U     unit of numeric times: s (default), ms, us\n"
"  --year YYYY        year of syslog times, which carry none (default: this year)\n"
"  -f, --field PATH   parse the string in this field of each JSON input record;\n"
"                     the record's other fields go under \"_meta\"\n"
"  --meta NAME        put them under NAME instead;  --no-meta  drop them\n"
"  -u                 flush after every record\n"
"  -q                 count rejected records without a message for each\n"
"  --errors FILE      write rejected records there as NDJSON\n"
"  --help, --version\n");
}

static void
list_formats(void)
{
	for (const struct preset *p = presets; p->name; p++)
		printf("%-13s %s\n", p->name, p->about);
	exit(EXIT_OK);
}

static void
reject(const char *fmt, const char *why)
{
	diag_reject(J.cur->file, J.cur->lineno, J.cur->p, J.cur->len, fmt, why);
}

/* Write r with the envelope (if any), or reject the line. */
static void
emit_record(const struct record *r, const char *file, uint64_t lineno,
	    const char *raw, size_t rawlen)
{
	char why[200];

	buf_reset(&J.out);
	if (rec_write(r, &J.e, J.have_meta ? J.meta.p : NULL, J.meta.len, &J.out,
	    why, sizeof why) != 0) {
		diag_reject(file, lineno, raw, rawlen, "%s", why);
		return;
	}
	out_line(J.out.p, J.out.len);
}

static void
csv_row(void *ctx, const struct record *r, const char *file, uint64_t lineno,
	const char *raw, size_t rawlen, const char *why)
{
	(void)ctx;
	if (J.by_field) {
		/* The row came from one record's field: report that record. */
		file = J.cur->file;
		lineno = J.cur->lineno;
		raw = J.cur->p;
		rawlen = J.cur->len;
	}
	if (r == NULL)
		diag_reject(file, lineno, raw, rawlen, "%s", why);
	else
		emit_record(r, file, lineno, raw, rawlen);
}

/* --time on a JSON object in out[start..]: replace the member's value. */
static int
json_time(size_t start, char *why, size_t whylen)
{
	struct json_val obj, k, v;
	struct json_iter it;
	const char *s = J.out.p + start, *end = J.out.p + J.out.len;
	char t[TIME_FMT_MAX];
	int64_t us;
	int rc;

	if (json_value(s, end, &obj) == NULL || json_iter_init(&it, obj) != 0)
		goto missing;
	while ((rc = json_iter_next(&it, &k, &v)) == 1) {
		if (!json_string_eq(k, J.e.time_field, strlen(J.e.time_field)))
			continue;
		if (J.e.time_format && v.type == JSON_STRING) {
			buf_reset(&J.tmp);
			rc = json_string_decode(v, &J.tmp) == 0 && J.tmp.p
			    ? time_parse_format(J.tmp.p, J.tmp.len, J.e.time_format, &us) : -1;
		} else {
			rc = time_from_json(v, (enum epoch_unit)J.e.epoch_unit, &us);
		}
		if (rc != 0) {
			snprintf(why, whylen, "field %s: not a time: %.*s", J.e.time_field,
			    (int)(v.len > 60 ? 60 : v.len), v.p);
			return -1;
		}
		buf_reset(&J.tmp);
		buf_addc(&J.tmp, '"');
		buf_add(&J.tmp, t, time_format(us, t));
		buf_addc(&J.tmp, '"');
		size_t at = (size_t)(v.p - J.out.p), tail = J.out.len - at - v.len;
		buf_grow(&J.out, J.tmp.len);
		memmove(J.out.p + at + J.tmp.len, J.out.p + at + v.len, tail);
		memcpy(J.out.p + at, J.tmp.p, J.tmp.len);
		J.out.len = at + J.tmp.len + tail;
		J.out.p[J.out.len] = '\0';
		return 0;
	}
missing:
	snprintf(why, whylen, "no field %s for --time", J.e.time_field);
	return -1;
}

static void
parse_json(const char *p, size_t n)
{
	struct json_error err;
	char why[200];
	size_t i = 0;

	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	buf_reset(&J.out);
	if (i < n && p[i] == '{') {
		if (json_compact(p, n, &J.out, &err) != 0)
			goto bad;
	} else {
		buf_add(&J.out, "{\"value\":", 9);
		if (json_compact(p, n, &J.out, &err) != 0)
			goto bad;
		buf_addc(&J.out, '}');
	}
	if (J.e.time_field && json_time(0, why, sizeof why) != 0) {
		reject("%s", why);
		return;
	}
	if (J.have_meta && J.e.meta_key) {
		J.out.len--;	/* reopen the object */
		if (J.out.len > 1)
			buf_addc(&J.out, ',');
		json_put_string(&J.out, J.e.meta_key, strlen(J.e.meta_key));
		buf_addc(&J.out, ':');
		buf_add(&J.out, J.meta.p, J.meta.len);
		buf_addc(&J.out, '}');
	}
	out_line(J.out.p, J.out.len);
	return;
bad:
	snprintf(why, sizeof why, "invalid JSON at byte %zu: %s", err.offset + 1, err.msg);
	reject("%s", why);
}

/* Text formats take valid UTF-8 without NUL bytes only: anything else is
 * reported with where it is, never guessed at. */
static int
text_ok(const char *p, size_t n)
{
	char why[100];
	const char *nul = memchr(p, '\0', n);
	size_t bad;

	if (nul)
		snprintf(why, sizeof why, "NUL byte at byte %zu", (size_t)(nul - p) + 1);
	else if (utf8_validate(p, n, &bad) != 0)
		snprintf(why, sizeof why, "invalid UTF-8 at byte %zu", bad + 1);
	else
		return 1;
	reject("%s", why);
	return 0;
}

static void
parse_text(const char *p, size_t n)
{
	const char *why;
	size_t at;
	int rc;

	if (J.fmt == F_JSON) {
		parse_json(p, n);
		return;
	}
	if (!text_ok(p, n))
		return;
	switch (J.fmt) {
	case F_CSV:
		buf_reset(&J.tmp);
		buf_add(&J.tmp, p, n);
		buf_addc(&J.tmp, '\n');
		csvp_feed(J.csv, J.tmp.p, J.tmp.len, J.cur->lineno);
		csvp_end(J.csv);
		return;
	case F_LOGFMT:
		rec_reset(&J.rec);
		if (logfmt_parse(p, n, &J.rec, &why, &at) != 0) {
			char msg[120];

			snprintf(msg, sizeof msg, "logfmt: %s at byte %zu", why, at + 1);
			reject("%s", msg);
			return;
		}
		break;
	case F_REGEX:
		rec_reset(&J.rec);
		rc = rx_match(J.rx, p, n, &J.rec, &why);
		if (rc == 0) {
			reject("does not match %s", J.fmtname);
			return;
		}
		if (rc < 0) {
			reject("regex: %s", why);
			return;
		}
		break;
	case F_JSON:
		break;
	}
	emit_record(&J.rec, J.cur->file, J.cur->lineno, J.cur->p, J.cur->len);
}

/*
 * -f: one pass over the compacted envelope finds the field (its first
 * occurrence, as json_lookup would) and copies every other top-level
 * member into J.meta as it is: compacting first means the members need
 * no second look.  Returns the field's slice, or type JSON_NONE.
 */
static struct json_val
split_envelope(struct json_val env)
{
	struct json_iter it;
	struct json_val k, v, found = {JSON_NONE, NULL, 0};
	const char *key = J.field.steps[0].key;
	size_t keylen = J.field.steps[0].keylen;
	int n = 0;

	buf_reset(&J.meta);
	buf_addc(&J.meta, '{');
	json_iter_init(&it, env);
	while (json_iter_next(&it, &k, &v) == 1) {
		if (json_string_eq(k, key, keylen)) {
			if (found.type == JSON_NONE)
				found = v;
			continue;
		}
		if (n++)
			buf_addc(&J.meta, ',');
		buf_add(&J.meta, k.p, (size_t)(v.p + v.len - k.p));
	}
	buf_addc(&J.meta, '}');
	return found;
}

static void
parse_field(const struct line *l)
{
	struct json_error err;
	struct json_val env, v;

	buf_reset(&J.env);
	if (json_compact(l->p, l->len, &J.env, &err) != 0) {
		char why[120];

		snprintf(why, sizeof why, "invalid JSON at byte %zu: %s", err.offset + 1, err.msg);
		reject("%s", why);
		return;
	}
	if (J.env.p[0] != '{') {
		reject("%s", "not a JSON object");
		return;
	}
	env = (struct json_val){JSON_OBJECT, J.env.p, J.env.len};
	if (J.field.nsteps == 1 && J.field.steps[0].key != NULL)
		v = split_envelope(env);
	else {
		/* A nested field: the envelope's members all stay in meta. */
		if (json_lookup(J.env.p, J.env.len, &J.field, &v) != 1)
			v.type = JSON_NONE;
		buf_reset(&J.meta);
		buf_add(&J.meta, J.env.p, J.env.len);
	}
	if (v.type == JSON_NONE) {
		reject("no field %s", J.field.text);
		return;
	}
	J.have_meta = J.e.meta_key != NULL;
	if (v.type != JSON_STRING) {
		if (J.fmt == F_JSON)
			parse_json(v.p, v.len);	/* already JSON: taken as it is */
		else
			reject("field %s is not a string", J.field.text);
		return;
	}
	buf_reset(&J.text);
	if (json_string_decode(v, &J.text) != 0) {
		reject("field %s: bad string escape", J.field.text);
		return;
	}
	if (J.text.len == 0) {
		reject("field %s is empty", J.field.text);
		return;
	}
	parse_text(J.text.p, J.text.len);
}

static int
blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return 0;
	return 1;
}

static void
run_lines(int nfiles, char **files)
{
	struct input in;
	struct line l;

	input_open(&in, nfiles, files);
	while (input_next(&in, &l)) {
		J.cur = &l;
		/* A UTF-8 byte order mark opens some files; it is no data. */
		if (l.lineno == 1 && l.len >= 3 && memcmp(l.p, "\xef\xbb\xbf", 3) == 0)
			l.p += 3, l.len -= 3;
		if (blank(l.p, l.len))
			;	/* no record here, as jq and CSV readers see it */
		else if (J.by_field)
			parse_field(&l);
		else
			parse_text(l.p, l.len);
		out_idle(&in);
	}
	input_close(&in);
}

static char **
split_header(const char *s, int *n)
{
	char *copy = xstrdup(s), *tok, *save;
	char **names = NULL;

	*n = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		names = xrealloc(names, (size_t)(*n + 1) * sizeof *names);
		names[(*n)++] = tok;
	}
	if (*n == 0)
		diag_usage("--header: no field names");
	return names;
}

int
main(int argc, char **argv)
{
	enum { O_JSON = 256, O_CSV, O_TSV, O_LOGFMT, O_EPOCH, O_META, O_NOMETA,
	       O_YEAR, O_ERRORS, O_HELP, O_VERSION };
	static const struct option opts[] = {
		{"json", no_argument, NULL, O_JSON},
		{"csv", no_argument, NULL, O_CSV},
		{"tsv", no_argument, NULL, O_TSV},
		{"logfmt", no_argument, NULL, O_LOGFMT},
		{"regex", required_argument, NULL, 'r'},
		{"format", required_argument, NULL, 'F'},
		{"delimiter", required_argument, NULL, 'd'},
		{"header", required_argument, NULL, 'H'},
		{"strings", no_argument, NULL, 'S'},
		{"time", required_argument, NULL, 't'},
		{"epoch-unit", required_argument, NULL, O_EPOCH},
		{"year", required_argument, NULL, O_YEAR},
		{"field", required_argument, NULL, 'f'},
		{"meta", required_argument, NULL, O_META},
		{"no-meta", no_argument, NULL, O_NOMETA},
		{"errors", required_argument, NULL, O_ERRORS},
		{"help", no_argument, NULL, O_HELP},
		{"version", no_argument, NULL, O_VERSION},
		{NULL, 0, NULL, 0}
	};
	const char *pattern = NULL, *header = NULL, *time_opt = NULL;
	const struct preset *preset = NULL;
	unsigned char delim = ',';
	int c, unbuffered = 0, nformats = 0;
	char err[300];

	diag_init("jparse");
	J.fmt = F_JSON;
	J.fmtname = "json";
	J.e.meta_key = "_meta";
	while ((c = getopt_long(argc, argv, "r:F:d:H:St:f:uq", opts, NULL)) != -1) {
		switch (c) {
		case O_JSON:
			J.fmt = F_JSON, J.fmtname = "json", nformats++;
			break;
		case O_CSV:
			J.fmt = F_CSV, J.fmtname = "csv", nformats++;
			break;
		case O_TSV:
			J.fmt = F_CSV, J.fmtname = "tsv", delim = '\t', nformats++;
			break;
		case O_LOGFMT:
			J.fmt = F_LOGFMT, J.fmtname = "logfmt", nformats++;
			break;
		case 'r':
			J.fmt = F_REGEX, J.fmtname = "the regex", nformats++;
			pattern = optarg;
			break;
		case 'F':
			if (strcmp(optarg, "list") == 0)
				list_formats();
			if ((preset = preset_find(optarg)) == NULL)
				diag_usage("unknown format '%s' (--format list shows them)", optarg);
			J.fmt = F_REGEX, J.fmtname = preset->name, nformats++;
			pattern = preset->pattern;
			break;
		case 'd':
			if (strlen(optarg) != 1)
				diag_usage("--delimiter takes one character");
			delim = (unsigned char)optarg[0];
			break;
		case 'H':
			header = optarg;
			break;
		case 'S':
			J.e.strings = 1;
			break;
		case 't':
			time_opt = optarg;
			break;
		case O_EPOCH: {
			enum epoch_unit u;

			if (epoch_unit_parse(optarg, &u) != 0)
				diag_usage("--epoch-unit: '%s' is not s, ms or us", optarg);
			J.e.epoch_unit = (int)u;
			break;
		}
		case O_YEAR: {
			char *end;
			long y = strtol(optarg, &end, 10);

			if (*optarg == '\0' || *end != '\0' || y < 1 || y > 9999)
				diag_usage("--year: '%s' is not a year", optarg);
			time_set_default_year((int)y);
			break;
		}
		case 'f':
			if (path_parse(optarg, &J.field, err, sizeof err) != 0)
				diag_usage("-f %s: %s", optarg, err);
			J.by_field = 1;
			break;
		case O_META:
			J.e.meta_key = optarg;
			break;
		case O_NOMETA:
			J.e.meta_key = NULL;
			break;
		case 'u':
			unbuffered = 1;
			break;
		case 'q':
			diag_quiet(1);
			break;
		case O_ERRORS:
			diag_dead_letter(optarg);
			break;
		case O_HELP:
			usage(stdout);
			return EXIT_OK;
		case O_VERSION:
			printf("jparse kpipe %s\n", KPIPE_VERSION);
			return EXIT_OK;
		default:
			diag_usage("unknown option");
		}
	}
	if (nformats > 1)
		diag_usage("give one format: --json, --csv, --tsv, --logfmt, --regex or --format");
	if (header && J.fmt != F_CSV)
		diag_usage("--header goes with --csv or --tsv");
	if (time_opt) {
		char *eq, *f = xstrdup(time_opt);

		if ((eq = strchr(f, '=')) != NULL) {
			*eq = '\0';
			J.e.time_format = eq + 1;
		} else if (preset && strcmp(f, preset->time_field) == 0) {
			J.e.time_format = preset->time_format;
		}
		if (*f == '\0')
			diag_usage("--time: no field name");
		J.e.time_field = f;
	}
	if (pattern && (J.rx = rx_compile(pattern, err, sizeof err)) == NULL)
		diag_usage("%s", err);
	if (J.fmt == F_CSV) {
		int n = 0;
		char **names = header ? split_header(header, &n) : NULL;

		J.csv = csvp_new(delim, names, n, csv_row, NULL);
	}

	out_init(unbuffered);
	if (J.fmt == F_CSV && !J.by_field) {
		csvp_read(J.csv, argc - optind, argv + optind);
	} else {
		if (J.csv)
			csvp_begin(J.csv, "-");
		run_lines(argc - optind, argv + optind);
	}
	out_flush();
	return diag_finish();
}
