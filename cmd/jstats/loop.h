/*
 * jstats' record loop: admit each line (common/admit.h), read the fields
 * the job needs, find the group and add the values to its states (or,
 * with --merge, a --partial state to them), and write what the mode asks
 * for when: each record's running statistics, the changed groups every N
 * records or every interval, or every group at the end.
 */
#ifndef JSTATS_LOOP_H
#define JSTATS_LOOP_H

#include "frame.h"
#include "job.h"

/* Run job over the operands, up to the output of the last group (the
 * caller ends with frame_finish).  Values left out of the statistics (not
 * numbers, beyond a double) and results that overflowed are summed up on
 * standard error; returns 1 when there were any, for exit status 1. */
int loop_run(struct job *job, struct operands files);

#endif
