/*
 * jfilter: a jq program over a stream of records, one per line.
 *
 * Each line is validated and compacted; programs within a small subset of
 * jq (selections, comparisons, simple projections) are evaluated on the
 * bytes by fastpath.c, everything else (and every record the fast path is
 * unsure about) by libjq.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "diag.h"
#include "input.h"
#include "json.h"
#include "output.h"
#include "jfilter.h"
#include "jqrun.h"

static struct input in;
static struct buf compact;	/* the current record, compacted */
static struct record cur;
static int strict, stop;
static enum last_state last = LAST_NONE;
static int seen;		/* any record at all (for -e) */
static int seq_marker;		/* --seq: RS before each JSON output */

static void
usage(void)
{
	printf("usage: jfilter [-cenqru] [--seq] [--strict] [--errors FILE] [-L DIR]\n"
	    "               [--arg NAME VALUE] [--argjson NAME JSON] [--slurpfile NAME FILE]\n"
	    "               [--rawfile NAME FILE] [--args | --jsonargs]\n"
	    "               PROGRAM | -f PROGRAM_FILE [FILE ...]\n"
	    "Run a jq program on each input line (a JSON record); print each output\n"
	    "as one compact line.  See jfilter(1).\n");
	exit(0);
}

static int
blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

static void
rejected(void)
{
	last = LAST_ERROR;
	if (strict)
		stop = 1;
}

/* The next record into cur: 1, or 0 at the end.  Blank lines are not
 * records (jq skips them too); lines that are not JSON are rejected. */
static int
next_record(void)
{
	struct line l;
	struct json_error err;

	while (!stop && input_next(&in, &l)) {
		if (blank(l.p, l.len))
			continue;
		seen = 1;
		cur.file = l.file;
		cur.lineno = l.lineno;
		cur.raw = l.p;
		cur.rawlen = l.len;
		buf_reset(&compact);
		if (json_compact(l.p, l.len, &compact, &err) < 0) {
			diag_reject(l.file, l.lineno, l.p, l.len,
			    "invalid JSON: %s at byte %zu", err.msg, err.offset + 1);
			rejected();
			continue;
		}
		cur.compact = compact.p;
		cur.compactlen = compact.len;
		return 1;
	}
	return 0;
}

/* The current record as a jv; jq may still refuse what RFC 8259 allows
 * (lone surrogates, nesting beyond 256): that is a rejected record too. */
static jv
parse_current(void)
{
	jv v = jv_parse_sized(cur.compact, (int)cur.compactlen);
	if (!jv_is_valid(v)) {
		jv msg = jv_invalid_get_msg(v);
		diag_reject(cur.file, cur.lineno, cur.raw, cur.rawlen, "invalid JSON: %s",
		    jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) : "rejected by jq");
		jv_free(msg);
		rejected();
		return jv_invalid();
	}
	return v;
}

static const struct record *
current(void)
{
	return &cur;
}

/* jq's input and inputs builtins read the following records. */
static jv
input_cb(jq_state *jq, void *data)
{
	(void)jq;
	(void)data;
	while (next_record()) {
		jv v = parse_current();
		if (jv_is_valid(v))
			return v;
	}
	return jv_invalid();
}

/* The bytes after "-f FILE": the whole file, minus jq's shebang form. */
static char *
read_program(const char *path)
{
	jv data = jv_load_file(path, 1);
	if (!jv_is_valid(data)) {
		jv msg = jv_invalid_get_msg(data);
		diag_usage("%s", jv_string_value(msg));
	}
	char *s = xstrdup(jv_string_value(data));
	jv_free(data);
	return s;
}

static jv
load_var_file(const char *opt, const char *name, const char *path, int raw)
{
	jv data = jv_load_file(path, raw);
	if (!jv_is_valid(data)) {
		jv msg = jv_invalid_get_msg(data);
		diag_usage("Bad JSON in --%s %s %s: %s", opt, name, path, jv_string_value(msg));
	}
	return data;
}

/* ~/.jq is imported into every program by libjq: it may redefine
 * anything, so the fast path cannot know what the program means. */
static int
home_jq_exists(void)
{
	const char *home = getenv("HOME");
	struct stat st;
	if (home == NULL)
		return 0;
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s/.jq", home);
	int r = stat(b.p, &st) == 0 && S_ISREG(st.st_mode);
	buf_free(&b);
	return r;
}

static void
emit_fast(const struct fp_out *o, const struct buf *out)
{
	if (o->n == 0) {
		last = LAST_NONE;
		return;
	}
	if (!o->raw && seq_marker)
		out_write("\036", 1);
	if (o->whole)
		out_line(cur.compact, cur.compactlen);
	else
		out_line(out->p, out->len);
	last = (o->falsy && !o->raw) ? LAST_FALSY : LAST_TRUTHY;
}

enum { OPT_SEQ = 256, OPT_ARG, OPT_ARGJSON, OPT_SLURPFILE, OPT_RAWFILE, OPT_ARGS,
	OPT_JSONARGS, OPT_ERRORS, OPT_STRICT, OPT_HELP, OPT_VERSION };

static const struct option longopts[] = {
	{ "from-file", required_argument, NULL, 'f' },
	{ "raw-output", no_argument, NULL, 'r' },
	{ "exit-status", no_argument, NULL, 'e' },
	{ "null-input", no_argument, NULL, 'n' },
	{ "compact-output", no_argument, NULL, 'c' },
	{ "unbuffered", no_argument, NULL, 'u' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "seq", no_argument, NULL, OPT_SEQ },
	{ "arg", required_argument, NULL, OPT_ARG },
	{ "argjson", required_argument, NULL, OPT_ARGJSON },
	{ "slurpfile", required_argument, NULL, OPT_SLURPFILE },
	{ "rawfile", required_argument, NULL, OPT_RAWFILE },
	{ "args", no_argument, NULL, OPT_ARGS },
	{ "jsonargs", no_argument, NULL, OPT_JSONARGS },
	{ "errors", required_argument, NULL, OPT_ERRORS },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

/* The current record as a slice. */
static struct json_val
whole(void)
{
	struct json_val v = { JSON_NONE, cur.compact, cur.compactlen };
	if (json_value(cur.compact, cur.compact + cur.compactlen, &v) == NULL)
		v.type = JSON_NONE;
	return v;
}

/* Each record through the fast path when it can answer, else libjq:
 * given a value built from the line's slices when build is set (only the
 * fields the program reads, when fields is not NULL), else parsed by jq. */
static void
filter(struct fp_prog *fp, int passthrough, int build, const struct fields *fields)
{
	struct buf fout = BUF_INIT, scratch = BUF_INIT;
	struct fp_out o;

	while (!stop && next_record()) {
		int suspect = jqp_suspect(cur.compact, cur.compactlen);
		if (fp && !suspect) {
			buf_reset(&fout);
			if (fp_run(fp, cur.compact, cur.compactlen, &fout, &o) == 0) {
				emit_fast(&o, &fout);
				out_idle(&in);
				continue;
			}
		}
		/* The record for libjq, built from the scanner's slices unless
		 * jq's parser could see it differently. */
		jv v = jv_invalid();
		if (build && !suspect) {
			if (fields)
				v = fields_record(fields, cur.compact, cur.compactlen, &scratch);
			if (!jv_is_valid(v))
				v = json_to_jv(whole(), &scratch);
		}
		if (!jv_is_valid(v) && !jv_is_valid(v = parse_current()))
			continue;
		cur.passthrough = passthrough;
		last = jqr_run(v, &cur, current);
		if (jqr_halted() >= 0)
			break;
		if (last == LAST_ERROR)
			rejected();
		out_idle(&in);
	}
	buf_free(&fout);
	buf_free(&scratch);
}

static const char *
twoarg_name(int ch)
{
	switch (ch) {
	case OPT_ARG: return "arg";
	case OPT_ARGJSON: return "argjson";
	case OPT_SLURPFILE: return "slurpfile";
	default: return "rawfile";
	}
}

int
main(int argc, char *argv[])
{
	const char *progfile = NULL;
	int raw = 0, exit_status = 0, null_input = 0, unbuffered = 0, seq = 0;
	int positional_kind = 0;	/* OPT_ARGS or OPT_JSONARGS */
	jv named = jv_object(), libpath = jv_null();
	const char *self = argv[0];
	int ch;

	diag_init("jfilter");
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":f:renL:cuq", longopts, NULL)) != -1) {
		const char *name = optarg, *value;
		switch (ch) {
		case 'f': progfile = optarg; break;
		case 'r': raw = 1; break;
		case 'e': exit_status = 1; break;
		case 'n': null_input = 1; break;
		case 'c': break;	/* output is always compact; accepted as jq's */
		case 'u': unbuffered = 1; break;
		case 'q': diag_quiet(1); break;
		case 'L':
			if (jv_get_kind(libpath) == JV_KIND_NULL)
				libpath = jv_array();
			libpath = jv_array_append(libpath, jv_string(optarg));
			break;
		case OPT_SEQ: seq = 1; break;
		case OPT_ARG: case OPT_ARGJSON: case OPT_SLURPFILE: case OPT_RAWFILE:
			/* jq's named-variable options take two parameters. */
			if (optind >= argc)
				diag_usage("--%s takes two parameters (e.g. --%s NAME %s)",
				    twoarg_name(ch), twoarg_name(ch),
				    ch == OPT_ARG || ch == OPT_ARGJSON ? "VALUE" : "FILE");
			value = argv[optind++];
			jv v;
			if (ch == OPT_ARG)
				v = jv_string(value);
			else if (ch == OPT_ARGJSON) {
				v = jv_parse(value);
				if (!jv_is_valid(v))
					diag_usage("invalid JSON text passed to --argjson");
			} else
				v = load_var_file(twoarg_name(ch), name, value,
				    ch == OPT_RAWFILE);
			/* As jq: the first definition of a name wins. */
			if (jv_object_has(jv_copy(named), jv_string(name)))
				jv_free(v);
			else
				named = jv_object_set(named, jv_string(name), v);
			break;
		case OPT_ARGS: case OPT_JSONARGS: positional_kind = ch; break;
		case OPT_ERRORS: diag_dead_letter(optarg); break;
		case OPT_STRICT: strict = 1; break;
		case OPT_HELP: usage(); break;
		case OPT_VERSION: printf("jfilter kpipe %s\n", KPIPE_VERSION); return 0;
		case ':':
			diag_usage("option %s needs an argument", argv[optind - 1]);
		default:
			diag_usage("unknown option %s", argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;

	char *program;
	if (progfile)
		program = read_program(progfile);
	else if (argc > 0) {
		program = xstrdup(argv[0]);
		argc--;
		argv++;
	} else
		diag_usage("no program given");

	jv positional = jv_array();
	if (positional_kind) {
		for (int i = 0; i < argc; i++) {
			jv v = positional_kind == OPT_ARGS ? jv_string(argv[i]) : jv_parse(argv[i]);
			if (!jv_is_valid(v))
				diag_usage("invalid JSON text passed to --jsonargs");
			positional = jv_array_append(positional, v);
		}
		argc = 0;
	}

	/* PROGRAM_ORIGIN (for relative imports) is the program file's directory. */
	char *origin = xstrdup(".");
	if (progfile && strrchr(progfile, '/')) {
		free(origin);
		const char *slash = strrchr(progfile, '/');
		origin = slash == progfile ? xstrdup("/") : xstrndup(progfile, slash - progfile);
	}
	jv vars = jv_copy(named);
	jqr_init(program, origin, named, positional, libpath, self, raw, seq);
	free(origin);
	jqr_set_input_cb(input_cb, NULL);

	/* The fast path must mean exactly what libjq means. */
	struct fp_prog *fp = NULL;
	struct fields fields;
	const char *off = getenv("JFILTER_NO_FASTPATH");
	int passthrough = 0, partial = 0;
	int fast = off == NULL || *off == '\0' || strcmp(off, "0") == 0;
	if (!home_jq_exists() && !null_input) {
		passthrough = fp_passthrough(program);
		if (fast) {
			fp = fp_compile(program, vars, raw);
			/* libjq builds only the fields the program can see. */
			partial = fields_needed(program, passthrough, &fields) == 0;
		}
	}
	seq_marker = seq;

	out_init(unbuffered);
	input_open(&in, argc, argv);
	if (null_input)
		last = jqr_run(jv_null(), NULL, current);
	else
		filter(fp, passthrough, fast, partial ? &fields : NULL);
	out_flush();
	input_close(&in);
	fp_free(fp);
	jv_free(vars);
	if (partial)
		fields_free(&fields);
	jqr_free();
	free(program);
	buf_free(&compact);

	int status = diag_finish();
	if (jqr_halted() >= 0)
		return jqr_halted();
	if (exit_status && (seen || null_input)) {
		/* jq -e: judged on the last record, as jq 1.6 does; with no
		 * input at all, jq -e says 0. */
		switch (last) {
		case LAST_NONE: return 4;
		case LAST_FALSY: return 1;
		case LAST_TRUTHY: return 0;
		case LAST_ERROR: return 5;
		}
	}
	return status;
}
