/*
 * The table mode (probe.h).  One thread: between stream records the table
 * is brought up to date (a changed file with --reload, the topic's new
 * messages with --table-topic), and while the stream is idle it is
 * brought up to date every IDLE_US, so that neither waits for the other.
 */
#include <stdlib.h>

#include "admit.h"
#include "diag.h"
#include "gauge.h"
#include "input.h"
#include "ktable.h"
#include "now.h"
#include "output.h"
#include "probe.h"
#include "table.h"

/* How often a live table is brought up to date: every RECORDS_PER_LOOK
 * stream records, and every IDLE_US while the stream has none. */
#define RECORDS_PER_LOOK 256
#define IDLE_US 50000

struct probe {
	struct jjoin *job;
	struct table_file file;		/* --table */
	struct ktable *topic;		/* --table-topic */
	struct rowstore *rows;		/* the table now */
	struct admit admit;
	struct joinkey_reader reader;
	uint64_t reloads;		/* times --reload read the file again */
};

/* Bring the table up to date. */
static void
look(struct probe *p)
{
	if (p->topic) {
		ktable_poll(p->topic);
	} else if (p->job->reload && table_refresh(&p->file)) {
		p->rows = p->file.rows;
		p->reloads++;
	}
	gauge_table_publish(p->rows, p->reloads);
}

/* Every row of the key that begins at row r, joined with the record. */
static void
write_matches(struct probe *p, const struct joined_side *left, uint32_t r)
{
	for (; r != ROW_NONE && out_status() == OUT_OK; r = rowstore_next(p->rows, r)) {
		struct joined_side right = {rowstore_record(p->rows, r), NULL, 0, NULL};
		joined_write(&p->job->out, left, &right);
	}
}

static void
record(struct probe *p, const struct line *l)
{
	struct json_val rec;
	const char *key;
	size_t klen, nm;
	uint32_t r = ROW_NONE;

	if (admit_line(&p->admit, l, &rec) != ADMIT_RECORD)
		return;
	const struct json_member *m = admit_members(&p->admit, &nm);
	switch (joinkey_read(&p->reader, rec, m, nm, &key, &klen)) {
	case JOINKEY_BAD:
		diag_reject(l->file, l->lineno, l->p, l->len, "malformed JSON in a key field");
		return;
	case JOINKEY_OK:
		r = rowstore_find(p->rows, key, klen);
		break;
	case JOINKEY_NULL:
		break;
	}
	struct joined_side left = {rec, m, nm, NULL};
	switch (p->job->how) {
	case HOW_SEMI:
		if (r != ROW_NONE)
			out_line(rec.p, rec.len);
		break;
	case HOW_ANTI:
		if (r == ROW_NONE)
			out_line(rec.p, rec.len);
		break;
	case HOW_LEFT:
		if (r == ROW_NONE) {
			struct joined_side none = {{JSON_NONE, NULL, 0}, NULL, 0, &p->rows->names};
			joined_write(&p->job->out, &left, &none);
			break;
		}
		/* fall through */
	default:
		write_matches(p, &left, r);
	}
}

static void
read_stream(struct probe *p, struct operands files)
{
	int live = p->topic || p->job->reload;
	unsigned since_look = 0;
	struct input in;
	struct line l;

	input_open(&in, files.n, files.v);
	while (out_status() == OUT_OK) {
		if (live && !input_pending(&in)) {
			out_flush();
			while (!input_wait(&in, mono_us() + IDLE_US))
				look(p);
			look(p);
			since_look = 0;
		} else if (live && ++since_look == RECORDS_PER_LOOK) {
			look(p);
			since_look = 0;
		}
		if (!input_next(&in, &l))
			break;
		record(p, &l);
		if (!live)
			out_idle(&in);
	}
	input_close(&in);
}

void
probe_run(struct jjoin *job, struct operands files)
{
	struct probe p = {.job = job};

	if (job->topic) {
		p.topic = ktable_open(job);
		p.rows = ktable_rows(p.topic);
	} else {
		table_open(&p.file, job);
		p.rows = p.file.rows;
	}
	admit_init(&p.admit, ADMIT_MEMBERS);
	joinkey_reader_init(&p.reader, &job->key, JOINKEY_LEFT);
	gauge_table_init();
	gauge_table_publish(p.rows, 0);
	read_stream(&p, files);
	joinkey_reader_free(&p.reader);
	admit_free(&p.admit);
	if (p.topic)
		ktable_close(p.topic);
	else
		table_close(&p.file);
}
