/*
 * The table mode of jjoin: each stream record looks its key up in the
 * table and is written joined, kept or dropped as --how says.
 */
#ifndef JJOIN_PROBE_H
#define JJOIN_PROBE_H

#include "frame.h"
#include "jjoin.h"

/* Read the table, then the stream (the operands, standard input when
 * none) to its end or until output can no longer be written. */
void probe_run(struct jjoin *job, struct operands files);

#endif
