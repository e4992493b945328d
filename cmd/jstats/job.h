/*
 * jstats' job: what the options ask for, resolved once before any record
 * is read.  The fields each record is searched for (columns), which of
 * them are described, paired or correlated, the statistics and what
 * their state needs, and the signature a --partial state carries so that
 * --merge takes only states of the same job.
 */
#ifndef JSTATS_JOB_H
#define JSTATS_JOB_H

#include <stddef.h>
#include <stdint.h>

#include "path.h"
#include "stats.h"

/* A field read from each record: a statistics field, a --pair or --corr
 * member; each is looked up once per record however often it is used. */
struct col {
	struct path path;
	int numeric;		/* used as a number: other values are reported */
	uint64_t nonnum;	/* values that were neither numbers nor null */
	uint64_t huge;		/* numbers beyond the range of a double (1e999) */
};

struct job {
	struct path *by;	/* --by */
	int nby;
	struct path *bylit;	/* --merge: the group fields by literal name */
	struct col *cols;
	int ncols;
	int *fcol;		/* --fields -> cols */
	int nfields;
	int (*pairs)[2];	/* --pair -> cols */
	int npairs;
	int *ccol;		/* --corr -> cols */
	int ncorr;
	int ncm;		/* pair states per group: pairs, then the corr triangle */
	struct stat_spec *st, *pst;	/* statistics of one field, of pairs */
	int nst, npst;
	struct needs need;
	char *sig;		/* --partial/--merge: the options a state depends on */

	int partial, merge, running, sort;
	uint64_t every;		/* --every N records, 0 for none */
	int64_t interval_us;	/* --interval, 0 for none */
	size_t max_memory;	/* exact state up to this, 0 for no limit */
};

/* The options that name fields and statistics, as given. */
struct job_args {
	const char *by, *fields, *stats, *corr;
	const char **pairs;
	int npairs;
};

/* Fill job's fields and statistics from args; anything unusable (an
 * unknown statistic, a field named twice, nothing to compute) is a usage
 * error.  The modes (partial, merge, ...) are set by the caller first. */
void job_build(struct job *job, const struct job_args *args);
/* Give back what job_build allocated, at the end of the run. */
void job_free(struct job *job);

/* The pair state of --corr fields i and j within a group's states. */
int job_corr_index(const struct job *job, int i, int j);

#endif
