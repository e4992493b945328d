/*
 * The command frame: what every kpipe command does before and around its
 * own work, in one place so that the commands cannot drift apart.
 *
 * A command declares its options once, as a table of struct opt; the
 * frame builds the parser and the --help text from that same table, so
 * the two always agree.  The frame owns the options every command has
 * (-h/--help, -V/--version, -q/--quiet, -u/--unbuffered, --errors FILE,
 * --metrics FILE, --metrics-interval DUR, --progress, --no-progress),
 * the one shape of a usage error (a line naming the problem, then
 * "Try 'PROG --help' for more information.", exit 2), and the operands
 * that follow the options.
 *
 *   static const struct opt opts[] = {
 *       {'g', "by", "FIELDS", "group by these fields", .str = &by},
 *       {0, "sort", NULL, "sort the output by group", .flag = &sort},
 *       {0}
 *   };
 *   static const struct command cmd = {"jstats", "[options] [FILE...]",
 *       "Statistics of fields, per group.", opts};
 *   struct operands files = frame_parse(&cmd, argc, argv);
 *
 * One letter means one thing in every command: the table is in kpipe(7).
 */
#ifndef KPIPE_FRAME_H
#define KPIPE_FRAME_H

#include <stdint.h>

/*
 * One option.  Exactly one of flag, str and call says what it does:
 *   flag  an option without argument sets *flag = value (1 when value is
 *         0).  Options that set the same int to different values are
 *         alternatives (--csv, --table): giving two of them is a usage
 *         error, so a command line never means something other than what
 *         it says.
 *   str   an option with an argument stores it; given again, the last
 *         one counts.
 *   call  runs call(args): args holds the nargs arguments (nargs is 0 for
 *         an option without argument, 1 when unset and arg is set).  It may
 *         report a bad argument with frame_usage().
 */
struct opt {
	char letter;		/* short form, 0 for none */
	const char *name;	/* long form without "--", NULL for none */
	const char *arg;	/* the argument's name in --help ("FILE"), NULL: none */
	const char *help;	/* one line for --help; NULL hides the option */
	int *flag;
	int value;
	const char **str;
	void (*call)(char **args);
	int nargs;
};

struct command {
	const char *name;	/* the program, as messages name it */
	const char *usage;	/* synopsis after the name; lines separated by '\n' */
	const char *about;	/* what the command does, a sentence or two */
	const struct opt *opts;	/* ended by an all-zero entry */
};

/* The operands after the options (GNU order: options may follow them). */
struct operands {
	int n;
	char **v;
};

/* What the common options asked for. */
struct frame_common {
	int quiet;
	int unbuffered;
	const char *errors;	/* --errors FILE, or NULL */
	const char *metrics;	/* --metrics FILE, or NULL */
};
extern struct frame_common frame;

/* Parse argv by the command's table, act on the common options (--help and
 * --version print and exit 0; -q, -u and --errors are set up with
 * diag and output; --metrics and the progress line start the sampling
 * thread of common/observe.h when wanted) and return the operands.  Any mistake on the command
 * line is a usage error: it never returns then. */
struct operands frame_parse(const struct command *cmd, int argc, char **argv);

/* The end of a run, as plain code: stop the sampling thread (erasing the
 * progress line and writing the final metrics record), flush the output,
 * sum up the rejected records, close the error file, and return the exit
 * status (kpipe(7)): 3 if output or metrics could not be written, else 1
 * if records were rejected, else 0 (a reader that went away early is not
 * an error).  Counts made after it are in no metrics record. */
int frame_finish(void);

/* A usage error found after parsing ("--window must be longer than
 * zero"): "PROG: MESSAGE", the hint to --help, exit 2. */
_Noreturn void frame_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The index of arg among names (ended by NULL) for option opt ("--emit"),
 * or a usage error that lists the choices. */
int frame_choice(const char *opt, const char *arg, const char *const *names);

/* A whole number in [min, max] given to option opt ("--count"), or a
 * usage error that names the option and the range. */
int64_t frame_int(const char *opt, const char *arg, int64_t min, int64_t max);

/* A duration (kpipe(7), DURATIONS: "10m", "1.5h", "250ms") in
 * microseconds, at least min_us, given to option opt; else a usage error. */
int64_t frame_duration(const char *opt, const char *arg, int64_t min_us);

#endif
