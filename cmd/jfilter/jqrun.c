/*
 * The libjq engine: one jq_state compiled once, run once per record.
 * Everything jq itself would print goes through here so that output and
 * messages match jq 1.6's.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jq.h>

#include "diag.h"
#include "output.h"
#include "jqrun.h"

static jq_state *jq;
static int raw_output, seq_output;
static int compiling = 1;
static jv compile_msgs;		/* messages of a failed compile, in order */
static int halted_status = -1;

static void
err_cb(void *data, jv msg)
{
	(void)data;
	msg = jq_format_error(msg);
	if (compiling)
		compile_msgs = jv_array_append(compile_msgs, msg);
	else {
		diag_warn("%s", jv_string_value(msg));
		jv_free(msg);
	}
}

/* As jq: the debug builtin writes ["DEBUG:",value] on stderr. */
static void
debug_cb(void *data, jv value)
{
	(void)data;
	jv s = jv_dump_string(JV_ARRAY(jv_string("DEBUG:"), value), 0);
	fprintf(stderr, "%s\n", jv_string_value(s));
	jv_free(s);
}

void
jqr_init(const char *program, const char *prog_origin, jv named, jv positional,
    jv libpath, const char *self, int raw, int seq)
{
	raw_output = raw;
	seq_output = seq;
	compile_msgs = jv_array();
	if ((jq = jq_init()) == NULL)
		diag_fatal("cannot initialise libjq");
	jq_set_error_cb(jq, err_cb, NULL);
	jq_set_debug_cb(jq, debug_cb, NULL);

	if (jv_get_kind(libpath) == JV_KIND_NULL)
		libpath = JV_ARRAY(jv_string("~/.jq"), jv_string("$ORIGIN/../lib/jq"),
		    jv_string("$ORIGIN/lib"));
	jq_set_attr(jq, jv_string("JQ_LIBRARY_PATH"), libpath);
	/* $ORIGIN in library paths is the directory of this program. */
	const char *slash = strrchr(self, '/');
	jq_set_attr(jq, jv_string("JQ_ORIGIN"),
	    slash ? jv_string_sized(self, (int)(slash - self)) : jv_string("."));
	char rp[PATH_MAX];
	jq_set_attr(jq, jv_string("PROGRAM_ORIGIN"),
	    jv_string(realpath(prog_origin, rp) ? rp : prog_origin));

	jv args = JV_OBJECT(jv_string("positional"), positional,
	    jv_string("named"), jv_copy(named));
	named = jv_object_set(named, jv_string("ARGS"), args);
	if (!jq_compile_args(jq, program, named)) {
		int n = jv_array_length(jv_copy(compile_msgs));
		for (int i = 0; i < n - 1; i++) {
			jv m = jv_array_get(jv_copy(compile_msgs), i);
			diag_warn("%s", jv_string_value(m));
			jv_free(m);
		}
		jv last = n > 0 ? jv_array_get(jv_copy(compile_msgs), n - 1)
		    : jv_string("jq: program does not compile");
		diag_usage("%s", jv_string_value(last));
	}
	jv_free(compile_msgs);
	compiling = 0;
}

void
jqr_set_input_cb(jv (*cb)(jq_state *, void *), void *data)
{
	jq_set_input_cb(jq, cb, data);
}

/* Write one output of the program; the status says whether more can be. */
static enum out_status
emit(jv v, const struct source_record *r, enum last_state *last)
{
	jv_kind k = jv_get_kind(v);
	enum out_status st;

	if (raw_output && k == JV_KIND_STRING) {
		*last = LAST_TRUTHY;
		st = out_line(jv_string_value(v), (size_t)jv_string_length_bytes(jv_copy(v)));
		jv_free(v);
		return st;
	}
	*last = (k == JV_KIND_FALSE || k == JV_KIND_NULL) ? LAST_FALSY : LAST_TRUTHY;
	if (seq_output)
		out_write("\036", 1);
	if (r && r->passthrough) {
		/* The program only selects: the record leaves as it came. */
		jv_free(v);
		return out_line(r->compact, r->compactlen);
	}
	jv s = jv_dump_string(v, 0);
	st = out_line(jv_string_value(s), (size_t)jv_string_length_bytes(jv_copy(s)));
	jv_free(s);
	return st;
}

/* jq's halt and halt_error: the message as jq prints it, then stop. */
static void
halt(void)
{
	jv code = jq_get_exit_code(jq);
	if (!jv_is_valid(code))
		halted_status = 0;
	else if (jv_get_kind(code) == JV_KIND_NUMBER)
		halted_status = (int)jv_number_value(code);
	else
		halted_status = 5;
	jv_free(code);
	jv msg = jq_get_error_message(jq);
	out_flush();
	if (jv_get_kind(msg) == JV_KIND_STRING)
		fprintf(stderr, "%s", jv_string_value(msg));
	else if (jv_is_valid(msg) && jv_get_kind(msg) != JV_KIND_NULL) {
		msg = jv_dump_string(msg, 0);
		fprintf(stderr, "%s\n", jv_string_value(msg));
	}
	fflush(stderr);
	jv_free(msg);
}

enum last_state
jqr_run(jv input, const struct source_record *r, const struct source_record *(*current)(void))
{
	enum last_state last = LAST_NONE;
	jv v;

	jq_start(jq, input, 0);
	while (jv_is_valid(v = jq_next(jq))) {
		if (emit(v, r, &last) != OUT_OK)
			return last;	/* no one reads more outputs */
	}
	if (jq_halted(jq)) {
		jv_free(v);
		halt();
		return last;
	}
	if (jv_invalid_has_msg(jv_copy(v))) {
		jv msg = jv_invalid_get_msg(v);
		/* A program that read further lines with input/inputs: the
		 * error is reported at the line read last, as jq does. */
		const struct source_record *at = current();
		if (jv_get_kind(msg) == JV_KIND_STRING)
			diag_reject(at->file, at->lineno, at->raw, at->rawlen,
			    "jq error: %s", jv_string_value(msg));
		else {
			msg = jv_dump_string(msg, 0);
			diag_reject(at->file, at->lineno, at->raw, at->rawlen,
			    "jq error (not a string): %s", jv_string_value(msg));
		}
		jv_free(msg);
		return LAST_ERROR;
	}
	jv_free(v);
	return last;
}

int
jqr_halted(void)
{
	return halted_status;
}

void
jqr_free(void)
{
	jq_teardown(&jq);
}
