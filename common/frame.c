#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "frame.h"
#include "metrics.h"
#include "observe.h"
#include "output.h"
#include "timefmt.h"

struct frame_common frame;

/* The options every command has; their ids follow the command's own. */
enum {
	COMMON_HELP, COMMON_VERSION, COMMON_QUIET, COMMON_UNBUFFERED, COMMON_ERRORS,
	COMMON_METRICS, COMMON_METRICS_INTERVAL, COMMON_PROGRESS, COMMON_NO_PROGRESS, NCOMMON
};

#define METRICS_INTERVAL_US 10000000
#define METRICS_INTERVAL_MIN_US 10000

static const struct opt common_opts[NCOMMON] = {
	[COMMON_HELP] = {'h', "help", NULL, "print this help and exit"},
	[COMMON_VERSION] = {'V', "version", NULL, "print the version and exit"},
	[COMMON_QUIET] = {'q', "quiet", NULL, "do not report each rejected record, only the count"},
	[COMMON_UNBUFFERED] = {'u', "unbuffered", NULL, "write each output record at once"},
	[COMMON_ERRORS] = {0, "errors", "FILE", "append rejected records to FILE (kpipe(7), ERRORS)"},
	[COMMON_METRICS] = {0, "metrics", "FILE", "append metrics records to FILE, - for stderr (kpipe(7), METRICS)"},
	[COMMON_METRICS_INTERVAL] = {0, "metrics-interval", "DUR", "a metrics record every DUR (default 10s)"},
	[COMMON_PROGRESS] = {0, "progress", NULL, "draw the progress line on this terminal (kpipe(7), PROGRESS)"},
	[COMMON_NO_PROGRESS] = {0, "no-progress", NULL, "no progress line, even on a terminal"},
};

/* The command-line values of the options above that take more than a
 * flag: checked when parsing is over. */
static const char *metrics_interval;
static int progress_given, no_progress_given;

void
frame_usage(const char *fmt, ...)
{
	va_list ap;

	progress_pause();	/* for good: the exit follows */
	fprintf(stderr, "%s: ", diag_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", diag_prog);
	exit(EXIT_USAGE);
}

static size_t
count_opts(const struct opt *opts)
{
	size_t n = 0;

	while (opts[n].letter || opts[n].name)
		n++;
	return n;
}

/* The i-th option of the command line's whole table: the command's own,
 * then the common ones. */
static const struct opt *
opt_at(const struct command *cmd, size_t nown, size_t i)
{
	return i < nown ? &cmd->opts[i] : &common_opts[i - nown];
}

/* "-g, --by FIELDS" as --help and messages show an option. */
static void
opt_label(const struct opt *o, struct buf *b)
{
	if (o->letter)
		buf_printf(b, "-%c", o->letter);
	if (o->letter && o->name)
		buf_adds(b, ", ");
	if (o->name)
		buf_printf(b, "--%s", o->name);
	if (o->arg)
		buf_printf(b, " %s", o->arg);
}

/* How messages name the option the user typed. */
static const char *
opt_name(const struct opt *o, char *out, size_t n)
{
	if (o->name)
		snprintf(out, n, "--%s", o->name);
	else
		snprintf(out, n, "-%c", o->letter);
	return out;
}

static void
print_opt(const struct opt *o)
{
	struct buf b = BUF_INIT;

	if (o->help == NULL)
		return;
	buf_adds(&b, o->letter ? "  " : "      ");
	opt_label(o, &b);
	if (b.len < 28)
		printf("%-28s%s\n", b.p, o->help);
	else
		printf("%s\n%28s%s\n", b.p, "", o->help);
	buf_free(&b);
}

static _Noreturn void
help(const struct command *cmd)
{
	const char *u = cmd->usage;

	for (int first = 1; *u; first = 0) {
		size_t n = strcspn(u, "\n");
		printf("%s %s %.*s\n", first ? "usage:" : "      ", cmd->name, (int)n, u);
		u += n + (u[n] == '\n');
	}
	printf("%s\n\nOptions:\n", cmd->about);
	for (const struct opt *o = cmd->opts; o->letter || o->name; o++)
		print_opt(o);
	printf("\nCommon options (kpipe(7)):\n");
	for (int i = 0; i < NCOMMON; i++)
		print_opt(&common_opts[i]);
	printf("\nSee %s(1) and kpipe(7).\n", cmd->name);
	exit(EXIT_OK);
}

/* getopt_long's tables, built from the command's table and the common one. */
struct parser {
	struct option *longopts;
	char shorts[3 * 64 + 2];
	size_t nall;
};

static void
parser_build(struct parser *p, const struct command *cmd, size_t nown)
{
	size_t k = 0, s = 0;

	p->nall = nown + NCOMMON;
	p->longopts = xcalloc(p->nall + 1, sizeof *p->longopts);
	p->shorts[s++] = ':';	/* report a missing argument as ':' */
	for (size_t i = 0; i < p->nall; i++) {
		const struct opt *o = opt_at(cmd, nown, i);
		int has_arg = o->arg ? required_argument : no_argument;
		int id = 256 + (int)i;

		if (o->name)
			p->longopts[k++] = (struct option){o->name, has_arg, NULL, id};
		if (o->letter && s + 3 < sizeof p->shorts) {
			p->shorts[s++] = o->letter;
			if (o->arg)
				p->shorts[s++] = ':';
		}
	}
	p->shorts[s] = '\0';
}

/* The option a short letter or getopt's id stands for. */
static const struct opt *
parser_find(const struct command *cmd, size_t nown, size_t nall, int c, size_t *index)
{
	for (size_t i = 0; i < nall; i++) {
		const struct opt *o = opt_at(cmd, nown, i);
		if ((c >= 256 && (size_t)(c - 256) == i) || (c < 256 && o->letter == c)) {
			*index = i;
			return o;
		}
	}
	return NULL;
}

/* Flags that set one int are alternatives: remember who set each. */
struct setter {
	int *flag;
	const struct opt *by;
};

static void
set_flag(const struct opt *o, struct setter *set, size_t *nset)
{
	int value = o->value ? o->value : 1;
	char a[64], b[64];

	for (size_t i = 0; i < *nset; i++) {
		if (set[i].flag != o->flag)
			continue;
		if (set[i].by != o && *o->flag != value)
			frame_usage("%s and %s cannot be used together", opt_name(set[i].by, a, sizeof a),
				    opt_name(o, b, sizeof b));
		*o->flag = value;
		return;
	}
	set[(*nset)++] = (struct setter){o->flag, o};
	*o->flag = value;
}

/* The arguments of an option that takes more than one (--arg NAME VALUE):
 * the first came through getopt, the rest follow it in argv. */
static char **
gather_args(const struct opt *o, int argc, char **argv, char *first, char **held)
{
	char name[64];

	held[0] = first;
	for (int i = 1; i < o->nargs; i++) {
		if (optind >= argc)
			frame_usage("%s needs %d arguments (%s)", opt_name(o, name, sizeof name),
				    o->nargs, o->arg);
		held[i] = argv[optind++];
	}
	return held;
}

static void
act(const struct command *cmd, const struct opt *o, size_t index, size_t nown,
    int argc, char **argv, struct setter *set, size_t *nset)
{
	if (index >= nown) {
		switch (index - nown) {
		case COMMON_HELP: help(cmd);
		case COMMON_VERSION:
			printf("%s (kpipe) %s\n", cmd->name, KPIPE_VERSION);
			exit(EXIT_OK);
		case COMMON_QUIET: frame.quiet = 1; break;
		case COMMON_UNBUFFERED: frame.unbuffered = 1; break;
		case COMMON_ERRORS: frame.errors = optarg; break;
		case COMMON_METRICS: frame.metrics = optarg; break;
		case COMMON_METRICS_INTERVAL: metrics_interval = optarg; break;
		case COMMON_PROGRESS: progress_given = 1; break;
		case COMMON_NO_PROGRESS: no_progress_given = 1; break;
		}
		return;
	}
	if (o->flag)
		set_flag(o, set, nset);
	else if (o->str)
		*o->str = optarg;
	else if (o->call) {
		char *held[8] = {0};
		int nargs = o->nargs ? o->nargs : (o->arg != NULL);

		if (nargs > 1)
			o->call(gather_args(o, argc, argv, optarg, held));
		else {
			held[0] = optarg;
			o->call(held);
		}
	}
}

/* getopt_long's view of what went wrong, as one message. */
static _Noreturn void
bad_option(const struct command *cmd, size_t nown, size_t nall, int c, char **argv)
{
	const char *typed = argv[optind - 1];
	size_t index;

	if (c == ':') {
		const struct opt *o = optopt ? parser_find(cmd, nown, nall, optopt, &index) : NULL;
		char name[64];

		frame_usage("%s needs an argument (%s)",
			    o ? opt_name(o, name, sizeof name) : typed, o ? o->arg : "see --help");
	}
	if (optopt && optopt < 256)
		frame_usage("unknown option -%c", optopt);
	frame_usage("unknown option %s", typed);
}

/* --metrics, --metrics-interval and the progress line: -q is quiet on
 * the terminal too, unless --progress says otherwise. */
static void
start_observing(const struct command *cmd)
{
	struct observe_options o = {frame.metrics, METRICS_INTERVAL_US, PROGRESS_AUTO};

	if (progress_given && no_progress_given)
		frame_usage("--progress and --no-progress cannot be used together");
	if (metrics_interval && !frame.metrics)
		frame_usage("--metrics-interval needs --metrics FILE");
	if (metrics_interval)
		o.interval_us = frame_duration("--metrics-interval", metrics_interval,
					       METRICS_INTERVAL_MIN_US);
	if (progress_given)
		o.progress = PROGRESS_FORCED;
	else if (no_progress_given || frame.quiet)
		o.progress = PROGRESS_OFF;
	if (observe_start(cmd->name, &o) != 0)
		frame_usage("%s", metrics_error());
}

struct operands
frame_parse(const struct command *cmd, int argc, char **argv)
{
	size_t nown = count_opts(cmd->opts), index;
	struct setter set[64];
	size_t nset = 0;
	struct parser p;
	int c;

	diag_init(cmd->name);
	parser_build(&p, cmd, nown);
	opterr = 0;
	while ((c = getopt_long(argc, argv, p.shorts, p.longopts, NULL)) != -1) {
		const struct opt *o = parser_find(cmd, nown, p.nall, c, &index);

		if (c == '?' || c == ':' || o == NULL)
			bad_option(cmd, nown, p.nall, c, argv);
		act(cmd, o, index, nown, argc, argv, set, &nset);
	}
	free(p.longopts);
	diag_quiet(frame.quiet);
	if (frame.errors)
		diag_dead_letter(frame.errors);
	out_init(frame.unbuffered);
	start_observing(cmd);
	return (struct operands){argc - optind, argv + optind};
}

int
frame_finish(void)
{
	int observed = observe_finish();
	enum out_status out = out_flush();

	if (observed != 0)
		diag_error("%s", metrics_error());
	int status = diag_finish();

	return out == OUT_FAILED ? EXIT_RUNTIME : status;
}

int
frame_choice(const char *opt, const char *arg, const char *const *names)
{
	struct buf all = BUF_INIT;
	int i;

	for (i = 0; names[i]; i++)
		if (strcmp(arg, names[i]) == 0)
			return i;
	for (int k = 0; k < i; k++)
		buf_printf(&all, "%s%s", k == 0 ? "" : k == i - 1 ? " or " : ", ", names[k]);
	frame_usage("%s takes %s, not '%s'", opt, all.p, arg);
}

int64_t
frame_int(const char *opt, const char *arg, int64_t min, int64_t max)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(arg, &end, 10);
	if (end == arg || *end != '\0' || errno == ERANGE || v < min || v > max)
		frame_usage("%s takes a whole number from %" PRId64 " to %" PRId64 ", not '%s'",
			    opt, min, max, arg);
	return v;
}

int64_t
frame_duration(const char *opt, const char *arg, int64_t min_us)
{
	int64_t us;

	if (duration_parse(arg, &us) != 0)
		frame_usage("%s takes a duration such as 10s, 5m or 1.5h, not '%s'", opt, arg);
	if (us < min_us) {
		if (min_us == 1)
			frame_usage("%s must be longer than zero", opt);
		frame_usage("%s must be at least %" PRId64 " microseconds, not '%s'", opt, min_us, arg);
	}
	return us;
}
