/*
 * What the command line asked kcat-in to do, as main.c parsed and checked
 * it; the rest of kcat-in only reads it.
 */
#ifndef KCAT_IN_SETTINGS_H
#define KCAT_IN_SETTINGS_H

#include <stdint.h>
#include "avro_decode.h"
#include "envelope.h"
#include "registry.h"

/* -o: where each partition starts. */
enum start { START_BEGINNING, START_END, START_STORED, START_ABS, START_TAIL, START_TIME };

struct settings {
	const char *brokers;	/* the last -b, for messages; NULL: from a file */
	const char *group, *offsets_file, *commit_file;
	char **topics;
	int ntopics;
	int32_t *parts;
	int nparts;
	enum start start;
	int64_t start_arg;	/* offset, tail count or time in ms */
	int exit_at_end, no_commit, timeout_s;
	int arrival_order, sync;
	uint64_t count;		/* 0: no limit */
	int64_t until_ms;	/* -1: none */
	struct envelope_modes modes;	/* modes.avro: made by serde_start */
	struct registry_settings registry;	/* -F/-X schema.registry.*, --registry */
	enum avro_unions unions;
};

#endif
