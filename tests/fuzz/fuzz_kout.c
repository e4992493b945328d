/*
 * libFuzzer target for kout's console writers: the aligned and Markdown
 * tables (table.c), CSV and TSV (csv.c) and the bar, line and heatmap
 * charts in text and SVG (chart.c, svg.c), fed as main.c feeds them.
 *
 * The first byte picks the writer, the second the options (--refresh
 * with or without --key, --columns, --truncate, a small --batch, a
 * terminal with colour, --width/--height, --epoch-unit, --svg FILE, the
 * chart's --y, --z, --series); the rest are input lines.  Each line that
 * is a JSON object goes to the sink's add, as main.c checks them; a
 * blank line is the input pausing (idle, and tick with --refresh); then
 * finish, and the sink frees itself.  Output goes to /dev/null.
 *
 * Invariant: no crash, no sanitizer report, whatever the records hold.
 *
 * FUZZ_SRCS: cmd/kout/table.c cmd/kout/csv.c cmd/kout/chart.c cmd/kout/svg.c cmd/kout/cols.c cmd/kout/cell.c cmd/kout/term.c cmd/kout/width.c cmd/kout/slots.c
 * FUZZ_LIBS: -lcsv
 * FUZZ_DICT: json.dict
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "json.h"
#include "output.h"
#include "path.h"
#include "../../cmd/kout/kout.h"

static struct path paths[6];
static char svg_path[64];

static void
setup(void)
{
	static const char *const text[] = { "a", "b", "t", "c.d", "a[0]", "n" };
	char err[100];

	for (int i = 0; i < 6; i++)
		if (path_parse(text[i], &paths[i], err, sizeof err) != 0)
			abort();
	/* Output is not what this target checks. */
	int fd = open("/dev/null", O_WRONLY);
	if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
		abort();
	close(fd);
	diag_init("kout");
	diag_quiet(1);
	out_init(0);
	snprintf(svg_path, sizeof svg_path, "/tmp/fuzz_kout.%ld.svg", (long)getpid());
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct kout_opts o = { 0 };
	struct sink s = { 0 };

	if (!ready)
		setup(), ready = 1;
	if (size < 2)
		return 0;
	unsigned pick = data[0], flags = data[1];
	const char *p = (const char *)data + 2, *end = (const char *)data + size;

	o.batch = flags & 1 ? 1 + pick % 3 : 1000;
	o.tty = (flags & 2) != 0;
	o.color = o.tty && (flags & 4);
	if (flags & 8) {
		o.width = 1 + (int)(pick >> 4) * 9;
		o.height = 1 + (int)(pick & 15) * 3;
	}
	o.unit = (enum epoch_unit)(flags >> 6) % 3;
	switch (pick % 8) {
	case 0: case 1: case 2: case 3:	/* table, markdown, csv, tsv */
		o.format = (enum kout_format[]){ FMT_TABLE, FMT_MARKDOWN, FMT_CSV, FMT_TSV }[pick % 8];
		if (flags & 16) {
			o.columns = &paths[pick % 3];
			o.ncolumns = 3;
		}
		if (o.format == FMT_TABLE && (flags & 32)) {
			o.refresh_us = 1;
			if (flags & 64) {
				o.keys = &paths[(pick >> 3) % 5];
				o.nkeys = 1 + (flags >> 7);
			}
		} else if (flags & 64 && o.format != FMT_CSV && o.format != FMT_TSV)
			o.truncate = 1 + (pick >> 3) % 12;
		break;
	default:			/* bar, line, heatmap; text or SVG */
		o.chart = (enum chart_kind[]){ CHART_BAR, CHART_LINE, CHART_HEATMAP,
		    CHART_BAR }[pick % 8 - 4];
		o.format = flags & 16 ? FMT_SVG : FMT_TABLE;
		o.x = &paths[o.chart == CHART_LINE ? 2 : 0];
		if (o.chart != CHART_BAR || (flags & 32))
			o.y = &paths[o.chart == CHART_LINE ? 5 : 1];
		if (flags & 64)
			o.z = &paths[5];
		if (flags & 128)
			o.series = &paths[1];
		if ((pick & 0x38) == 0x38)
			o.svg_file = svg_path;
		o.refresh_us = flags & 1;
		o.title = pick & 64 ? "t\xc3\xa9<&>" : NULL;
	}
	if (o.chart) {
		chart_sink(&s, &o);
	} else if (o.format == FMT_TABLE || o.format == FMT_MARKDOWN) {
		table_sink(&s, &o, o.format == FMT_MARKDOWN);
	} else {
		csv_sink(&s, &o, o.format == FMT_TSV);
	}

	struct buf text = BUF_INIT;
	uint64_t lineno = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct line l = { NULL, n, "-", ++lineno, nl ? LINE_LF : 0 };
		struct rec r = { &l, { JSON_NONE, NULL, 0 } };

		/* A line of its own, NUL-terminated as input.h gives it. */
		buf_reset(&text);
		buf_add(&text, p, n);
		buf_addc(&text, '\0');
		l.p = text.p;
		p += n + 1;
		if (n == 0) {
			if (s.idle)
				s.idle(s.self);
			if (o.refresh_us && s.tick)
				s.tick(s.self);
			continue;
		}
		if (json_validate(l.p, l.len, NULL) != 0)
			continue;
		json_value(l.p, l.p + l.len, &r.obj);
		if (r.obj.type == JSON_OBJECT)
			s.add(s.self, &r);
	}
	if (s.finish)
		s.finish(s.self);
	out_flush();
	s.free(s.self);
	buf_free(&text);
	return 0;
}
