#include <string.h>

#include "diag.h"
#include "start.h"

/*
 * librdkafka would look BEGINNING, END and -N up itself, but it waits
 * 500 ms before asking when the partition is not yet with its leader's
 * broker thread, which right after start-up is every other run.  A
 * partition whose offsets cannot be had keeps the logical offset for
 * librdkafka.
 */
rd_kafka_resp_err_t
start_resolve(rd_kafka_t *rk, const struct settings *s, rd_kafka_topic_partition_list_t *l)
{
	rd_kafka_resp_err_t err;
	int64_t lo, hi;
	int i;

	if (s->start == START_TIME) {
		for (i = 0; i < l->cnt; i++)
			l->elems[i].offset = s->start_arg;
		if ((err = rd_kafka_offsets_for_times(rk, l, s->timeout_s * 1000)))
			return err;
		/* No message at or after the time: start at the end. */
		for (i = 0; i < l->cnt; i++)
			if (l->elems[i].offset < 0)
				l->elems[i].offset = RD_KAFKA_OFFSET_END;
		return RD_KAFKA_RESP_ERR_NO_ERROR;
	}
	for (i = 0; i < l->cnt; i++) {
		rd_kafka_topic_partition_t *p = &l->elems[i];

		switch (s->start) {
		case START_BEGINNING: p->offset = RD_KAFKA_OFFSET_BEGINNING; break;
		case START_END: p->offset = RD_KAFKA_OFFSET_END; break;
		case START_TAIL: p->offset = RD_KAFKA_OFFSET_TAIL(s->start_arg); break;
		case START_ABS: p->offset = s->start_arg; continue;
		default: p->offset = RD_KAFKA_OFFSET_STORED; continue;
		}
		if (rd_kafka_query_watermark_offsets(rk, p->topic, p->partition, &lo, &hi,
						     s->timeout_s * 1000))
			continue;
		p->offset = s->start == START_BEGINNING ? lo :
			    s->start == START_END ? hi :
			    hi - s->start_arg > lo ? hi - s->start_arg : lo;
	}
	return RD_KAFKA_RESP_ERR_NO_ERROR;
}

/* As Spark's startingOffsets apply to a new query only. */
void
start_uncommitted(rd_kafka_t *rk, const struct settings *s, rd_kafka_topic_partition_list_t *parts)
{
	rd_kafka_topic_partition_list_t *fresh;
	rd_kafka_resp_err_t err;
	int i, j;

	if (s->start != START_ABS && s->start != START_TAIL && s->start != START_TIME)
		return;
	if ((err = rd_kafka_committed(rk, parts, s->timeout_s * 1000))) {
		diag_warn("cannot read the group's committed offsets: %s; "
			  "-o applies to none", rd_kafka_err2str(err));
		return;
	}
	fresh = rd_kafka_topic_partition_list_new(parts->cnt);
	for (i = 0; i < parts->cnt; i++)
		if (parts->elems[i].offset < 0)
			rd_kafka_topic_partition_list_add(fresh, parts->elems[i].topic,
							  parts->elems[i].partition);
	if ((err = start_resolve(rk, s, fresh)))
		diag_warn("cannot look offsets up by time: %s; -o applies to none",
			  rd_kafka_err2str(err));
	else
		for (i = 0; i < fresh->cnt; i++)
			for (j = 0; j < parts->cnt; j++)
				if (parts->elems[j].partition == fresh->elems[i].partition &&
				    strcmp(parts->elems[j].topic, fresh->elems[i].topic) == 0)
					parts->elems[j].offset = fresh->elems[i].offset;
	rd_kafka_topic_partition_list_destroy(fresh);
}
