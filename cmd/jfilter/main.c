/*
 * jfilter: a jq program over a stream of records, one per line.
 *
 * Each line is admitted as a JSON record; programs within a small subset
 * of jq (selections, comparisons, simple projections) are evaluated on
 * the bytes by fastpath.c, everything else (and every record the fast
 * path is unsure about) by libjq.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "diag.h"
#include "frame.h"
#include "args.h"
#include "jfilter.h"
#include "jqrun.h"
#include "stream.h"

enum { POS_STRINGS = 1, POS_JSON };

static const char *progfile;
static int raw, exit_status, null_input, compact, seq, strict, positional;
static jv libpath;	/* -L directories, or invalid for jq's default */

static void
add_libpath(char **a)
{
	if (!jv_is_valid(libpath))
		libpath = jv_array();
	libpath = jv_array_append(libpath, jv_string(a[0]));
}

static void arg_string(char **a) { args_named(NAMED_STRING, a[0], a[1]); }
static void arg_json(char **a) { args_named(NAMED_JSON, a[0], a[1]); }
static void arg_slurp(char **a) { args_named(NAMED_SLURP, a[0], a[1]); }
static void arg_raw(char **a) { args_named(NAMED_RAW, a[0], a[1]); }

static const struct opt opts[] = {
	{'r', "raw-output", NULL, "write strings without quotes", .flag = &raw},
	{'n', "null-input", NULL, "run the program once, on null", .flag = &null_input},
	{'L', NULL, "DIR", "look for jq modules in DIR", .call = add_libpath},
	{0, "from-file", "FILE", "read the program from FILE (jq's -f)", .str = &progfile},
	{0, "exit-status", NULL, "exit status from the last output, as jq -e", .flag = &exit_status},
	{0, "compact-output", NULL, "taken for jq's sake: output is always compact (jq's -c)",
	 .flag = &compact},
	{0, "seq", NULL, "write RS before each JSON output (RFC 7464)", .flag = &seq},
	{0, "arg", "NAME VALUE", "$NAME is the string VALUE", .call = arg_string, .nargs = 2},
	{0, "argjson", "NAME JSON", "$NAME is the JSON value", .call = arg_json, .nargs = 2},
	{0, "slurpfile", "NAME FILE", "$NAME is the array of FILE's JSON texts",
	 .call = arg_slurp, .nargs = 2},
	{0, "rawfile", "NAME FILE", "$NAME is FILE's text", .call = arg_raw, .nargs = 2},
	{0, "args", NULL, "the operands after the program are $ARGS.positional strings",
	 .flag = &positional, .value = POS_STRINGS},
	{0, "jsonargs", NULL, "the operands after the program are $ARGS.positional JSON",
	 .flag = &positional, .value = POS_JSON},
	{0, "strict", NULL, "stop at the first rejected record", .flag = &strict},
	{0}
};

static const struct command cmd = {
	"jfilter",
	"[options] PROGRAM [FILE...]\n[options] --from-file PROGRAM_FILE [FILE...]",
	"Runs a jq program on each input line (a JSON record) and writes each output\n"
	"as one compact line.",
	opts
};

/* ~/.jq is imported into every program by libjq: it may redefine
 * anything, so the fast path cannot know what the program means. */
static int
home_jq_exists(void)
{
	const char *home = getenv("HOME");
	struct buf b = BUF_INIT;
	struct stat st;
	int r;

	if (home == NULL)
		return 0;
	buf_printf(&b, "%s/.jq", home);
	r = stat(b.p, &st) == 0 && S_ISREG(st.st_mode);
	buf_free(&b);
	return r;
}

/* The program, from --from-file or the first operand, compiled; the
 * operands left are the files, or with --args/--jsonargs the values. */
static char *
check_program(struct operands *files, const char *self)
{
	char *program, *origin;
	jv pos;

	if (progfile)
		program = args_program_file(progfile);
	else if (files->n > 0)
		program = xstrdup(files->v[0]), files->n--, files->v++;
	else
		frame_usage("no program given");
	pos = args_positional(positional == POS_JSON, positional ? files->n : 0, files->v);
	if (positional)
		files->n = 0;
	origin = args_program_origin(progfile);
	jqr_init(program, origin, args_named_object(), pos,
	    jv_is_valid(libpath) ? libpath : jv_null(), self, raw, seq);
	free(origin);
	return program;
}

/* The fast path and libjq's partial records, when they mean exactly what
 * libjq means.  vars holds the named arguments the fast path's literals
 * come from, until it is freed. */
static void
plan_run(struct stream_plan *p, const char *program, jv vars, struct fields *fields)
{
	const char *off = getenv("JFILTER_NO_FASTPATH");

	p->build = off == NULL || *off == '\0' || strcmp(off, "0") == 0;
	if (home_jq_exists() || null_input)
		return;
	p->passthrough = fp_passthrough(program);
	if (!p->build)
		return;
	p->fp = fp_compile(program, vars, raw);
	if (fields_needed(program, p->passthrough, fields) == 0)
		p->fields = fields;
}

/* jq -e: judged on the last record, as jq 1.6 does; with no input at
 * all, jq -e says 0. */
static int
exit_by_last(enum last_state last)
{
	switch (last) {
	case LAST_NONE: return 4;
	case LAST_FALSY: return 1;
	case LAST_ERROR: return 5;
	default: return 0;
	}
}

int
main(int argc, char **argv)
{
	struct operands files = frame_parse(&cmd, argc, argv);
	struct stream_plan plan = {0};
	struct fields fields;
	char *program = check_program(&files, argv[0]);
	jv vars = args_named_object();
	int status;

	plan_run(&plan, program, vars, &fields);
	stream_open(files.n, files.v, strict, seq);
	if (null_input)
		stream_null_input();
	else
		stream_filter(&plan);
	stream_close();
	fp_free(plan.fp);
	jv_free(vars);
	if (plan.fields)
		fields_free(&fields);
	jqr_free();
	free(program);

	status = frame_finish();
	if (status == EXIT_RUNTIME)
		return status;
	if (jqr_halted() >= 0)
		return jqr_halted();
	if (exit_status && (stream_seen() || null_input))
		return exit_by_last(stream_last());
	return status;
}
