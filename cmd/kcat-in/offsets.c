#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "frame.h"
#include "input.h"
#include "json.h"
#include "kafka.h"
#include "offsets.h"
#include "outfile.h"
#include "path.h"
#include "track.h"

/* --offsets-file, opened before the consumer starts. */
static struct outfile offsets_file;

void
offsets_open(const char *path)
{
	if (outfile_open(&offsets_file, path, 0) != 0)
		frame_usage("%s: %s", path, outfile_error(&offsets_file));
}

void
offsets_write(const char *group)
{
	struct buf b = BUF_INIT;

	for (int i = 0; i < ntps; i++) {
		if (tps[i].next < 0)
			continue;
		buf_addc(&b, '{');
		if (group) {
			buf_adds(&b, "\"group\":");
			json_put_string(&b, group, strlen(group));
			buf_addc(&b, ',');
		}
		buf_adds(&b, "\"topic\":");
		json_put_string(&b, tps[i].topic, strlen(tps[i].topic));
		buf_printf(&b, ",\"partition\":%d,\"offset\":%lld}\n",
			   (int)tps[i].partition, (long long)tps[i].next);
	}
	/* A failure here does not stop the group being left cleanly; the
	 * run still ends in exit 3, since a later --commit would be wrong. */
	if (outfile_replace(&offsets_file, b.p, b.len) != 0 || outfile_close(&offsets_file) != 0)
		diag_error("%s: %s", offsets_file.name, outfile_error(&offsets_file));
	buf_free(&b);
}

/* A member of the line's object: 1 found, 0 not. */
static int
member(const struct line *l, const char *name, struct json_val *v)
{
	struct path p;
	char err[128];
	int r;

	if (path_parse(name, &p, err, sizeof err) != 0)
		return 0;
	r = path_lookup(l->p, l->len, &p, v);
	path_free(&p);
	return r == 1;
}

void
offsets_commit(rd_kafka_conf_t *conf, const char *path, const char *group, int timeout_s)
{
	rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(16);
	struct input in;
	struct line l;
	struct json_val g, t, p, o;
	struct buf gname = BUF_INIT, tname = BUF_INIT;
	char *files[] = {(char *)path}, err[512];
	double pd, od;
	rd_kafka_t *rk;
	rd_kafka_resp_err_t e;

	input_open(&in, 1, files);
	in.uncounted = 1;	/* saved offsets, not records */
	while (input_next(&in, &l)) {
		if (json_validate(l.p, l.len, NULL) != 0 ||
		    !member(&l, "topic", &t) || t.type != JSON_STRING ||
		    !member(&l, "partition", &p) || json_to_double(p, &pd) != 0 ||
		    !member(&l, "offset", &o) || json_to_double(o, &od) != 0)
			frame_usage("%s:%llu: expected {\"topic\":..,\"partition\":..,\"offset\":..}",
				   path, (unsigned long long)l.lineno);
		if (group == NULL && member(&l, "group", &g) && g.type == JSON_STRING) {
			buf_reset(&gname);
			json_string_decode(g, &gname);
			group = gname.p;	/* gname is kept to the end */
		}
		buf_reset(&tname);
		json_string_decode(t, &tname);
		rd_kafka_topic_partition_list_add(list, tname.p, (int32_t)pd)->offset = (int64_t)od;
	}
	input_close(&in);
	if (list->cnt == 0) {
		rd_kafka_topic_partition_list_destroy(list);
		return;	/* nothing was read: nothing to commit */
	}
	if (group == NULL)
		frame_usage("%s names no group: give -G GROUP", path);
	kafka_conf_set(conf, "group.id", group, "-G");
	kafka_conf_set(conf, "enable.auto.commit", "false", "--commit");
	kafka_conf_callbacks(conf);
	if ((rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err)) == NULL)
		frame_usage("%s", err);
	kafka_wait_cluster(rk, NULL, timeout_s * 1000);
	e = rd_kafka_commit(rk, list, 0);
	if (e == RD_KAFKA_RESP_ERR_NO_ERROR)
		for (int i = 0; i < list->cnt; i++)
			if (list->elems[i].err)
				e = list->elems[i].err;
	if (e)
		diag_fatal("cannot commit the offsets in %s for group %s: %s", path, group,
			   rd_kafka_err2str(e));
	rd_kafka_topic_partition_list_destroy(list);
	rd_kafka_destroy(rk);
	buf_free(&gname);
	buf_free(&tname);
}
