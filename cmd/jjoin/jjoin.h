/*
 * jjoin's options, as main.c settled them, for both of its modes: a
 * stream joined with a table (--table, --table-topic) and a stream joined
 * with a stream over an interval of event time (--stream).
 */
#ifndef JJOIN_H
#define JJOIN_H

#include <stdint.h>

#include "frame.h"
#include "joined.h"
#include "joinkey.h"
#include "kafka.h"

/* --how, in the order of its names in main.c. */
enum join_how { HOW_INNER, HOW_LEFT, HOW_RIGHT, HOW_FULL, HOW_SEMI, HOW_ANTI };

/* The format of a table file (--table-format, or from its name). */
enum table_format { TABLE_JSON, TABLE_CSV, TABLE_TSV };

struct jjoin {
	enum join_how how;
	struct joinkey key;		/* --on */
	struct joined out;		/* the output rule, with --prefix */

	/* table mode */
	const char *table;		/* --table FILE, or NULL */
	enum table_format table_format;
	int reload;			/* --reload */
	const char *topic;		/* --table-topic TOPIC, or NULL */
	struct kafka_args kafka;	/* -b, -X, -F */
	int timeout_s;			/* --timeout: the cluster must answer within */

	/* stream mode */
	const char *stream;		/* --stream FILE, or NULL */
	const char *time;		/* --time FIELD[=FIELD] */
	const char *between;		/* --between LOW,HIGH */
	const char *watermark;		/* -W DUR[,DUR] */
	const char *late;		/* --late FILE */
	const char *epoch_unit;		/* --epoch-unit UNIT */
};

#endif
