/*
 * jstats: streaming statistics per group, exact, numerically stable and
 * mergeable across processes (--partial / --merge).  This file turns the
 * options into a job (job.c); the record loop is in loop.c, the groups
 * and their states in table.c, the output in emit.c, the statistics in
 * stats.c on the aggregate registry that jwindow shares.
 */
#include <errno.h>
#include <stdlib.h>

#include "aggregate.h"
#include "diag.h"
#include "emit.h"
#include "frame.h"
#include "job.h"
#include "loop.h"

#define DEFAULT_STATS "count,mean,stddev,min,max"
#define DEFAULT_MAX_MEMORY "256M"

static struct job job;
static struct job_args args = {.stats = DEFAULT_STATS};
static const char *every, *interval, *max_memory = DEFAULT_MAX_MEMORY;

/* --pair may be given several times. */
static void
add_pair(char **argv)
{
	args.pairs = xrealloc(args.pairs, (size_t)(args.npairs + 1) * sizeof(*args.pairs));
	args.pairs[args.npairs++] = argv[0];
}

static const struct opt opts[] = {
	{'g', "by", "FIELDS", "group by these fields (default: one group)", .str = &args.by},
	{'f', "fields", "FIELDS", "the fields to describe", .str = &args.fields},
	{'a', "stats", "LIST", "statistics (default " DEFAULT_STATS "; jstats(1))",
	 .str = &args.stats},
	{0, "pair", "X,Y", "covariance and correlation of X and Y (repeatable)", .call = add_pair},
	{0, "corr", "FIELDS", "the correlation matrix: one record per group and field", .str = &args.corr},
	{0, "sort", NULL, "groups in order of their --by values, not first seen", .flag = &job.sort},
	{0, "every", "N", "print the groups that changed, every N records", .str = &every},
	{0, "interval", "DURATION", "... or every DURATION (10s, 1m), also when idle", .str = &interval},
	{0, "running", NULL, "append the group's running statistics to each record", .flag = &job.running},
	{0, "partial", NULL, "print mergeable states instead of statistics", .flag = &job.partial},
	{0, "merge", NULL, "read --partial states and print the combined statistics", .flag = &job.merge},
	{0, "max-memory", "SIZE", "exact state up to SIZE, then sketches (" DEFAULT_MAX_MEMORY "; 0: no limit)",
	 .str = &max_memory},
	{0}
};

static const struct command cmd = {
	"jstats",
	"[-g FIELDS] [-f FIELDS] [-a STATS] [--pair X,Y] [--corr FIELDS] [options] [FILE...]",
	"Statistics of numeric fields per group, as one JSON record per group.",
	opts
};

/* A size such as 512M or 2G (K, M, G are powers of 1024; a B may follow). */
static size_t
parse_size(const char *s)
{
	char *end;
	double mult = 1;

	errno = 0;
	double v = strtod(s, &end);
	switch (*end) {
	case 'k': case 'K': mult = 1024.0; end++; break;
	case 'm': case 'M': mult = 1024.0 * 1024; end++; break;
	case 'g': case 'G': mult = 1024.0 * 1024 * 1024; end++; break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (errno || end == s || *end || !(v >= 0) || v * mult > 1e18)
		frame_usage("--max-memory: '%s' is not a size such as 512M or 2G", s);
	return (size_t)(v * mult);
}

/* The modes that exclude each other, and their numbers. */
static void
check_modes(void)
{
	if (job.partial && job.merge)
		frame_usage("--partial and --merge exclude each other (merge, then --partial is not needed)");
	if (job.running && (every || interval || job.partial || job.merge || args.corr))
		frame_usage("--running does not combine with --every, --interval, --partial, --merge or --corr");
	if (job.partial && (every || interval))
		frame_usage("--partial states are final: no --every or --interval");
	if (every)
		job.every = (uint64_t)frame_int("--every", every, 1, INT64_MAX);
	if (interval)
		job.interval_us = frame_duration("--interval", interval, 1);
	job.max_memory = parse_size(max_memory);
}

int
main(int argc, char **argv)
{
	struct operands files = frame_parse(&cmd, argc, argv);

	check_modes();
	job_build(&job, &args);
	int left_out = loop_run(&job, files);
	emit_free();
	agg_scratch_free();
	stats_scratch_free();
	job_free(&job);
	free(args.pairs);
	int status = frame_finish();
	return left_out && status == EXIT_OK ? EXIT_REJECTED : status;
}
