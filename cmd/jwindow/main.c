/*
 * jwindow: event-time windows with watermarks, with Spark's semantics, one
 * record at a time.  Options and the record loop; the windows are in
 * engine.c, the aggregates in aggs.c, the state file in state.c.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aggs.h"
#include "buf.h"
#include "diag.h"
#include "engine.h"
#include "fields.h"
#include "group.h"
#include "input.h"
#include "json.h"
#include "output.h"
#include "path.h"
#include "state.h"
#include "timefmt.h"

static const char usage_text[] =
"usage: jwindow --time FIELD|now (--tumble DUR | --window DUR [--slide DUR] |\n"
"               --session GAP) [--watermark DELAY] [--offset DUR] [--by FIELDS]\n"
"               --agg LIST [OPTIONS] [FILE...]\n"
"  -t, --time FIELD      event time field, or 'now' for arrival time\n"
"      --epoch-unit U    unit of epoch numbers: s (default), ms, us\n"
"  -T, --tumble DUR      tumbling windows of DUR\n"
"  -w, --window DUR      windows of DUR ...\n"
"  -s, --slide DUR       ... starting every DUR (default: DUR of --window)\n"
"  -S, --session GAP     session windows closed by GAP without events\n"
"  -o, --offset DUR      shift window starts by DUR (Spark's startTime)\n"
"  -W, --watermark DUR   drop records later than max event time - DUR\n"
"  -b, --by FIELDS       group by these fields (comma-separated)\n"
"  -a, --agg LIST        aggregates: count(*), avg(x) AS name, ... (repeatable)\n"
"      --emit MODE       append (default), update or complete\n"
"      --trigger DUR     emit updates at most every DUR (update, complete)\n"
"      --late FILE       append late records with the reason to FILE\n"
"      --state FILE      restore open windows from FILE, save them at the end\n"
"      --flush           with --state: emit all open windows and remove FILE\n"
"      --max-groups N    fail when there are more than N distinct groups\n"
"      --errors FILE     append rejected records to FILE\n"
"  -q, --quiet           do not report each rejected record\n"
"  -u, --unbuffered      flush after every output line\n"
"  -h, --help            this help\n"
"  -V, --version         print the version\n";

struct app {
	struct aggs aggs;
	struct path *paths;		/* time (unless now), by fields, agg fields */
	int npaths;
	int time_now;
	enum epoch_unit unit;
	int nby, by_base, agg_base;
	char **by_names;
	struct group_table *groups;
	size_t max_groups;
	struct engine eng;
	struct buf out, key, scratch;
	FILE *late;
	const char *late_path;
	uint64_t late_records, late_pairs;
};

static void
emit_row(void *ctx, int64_t start, int64_t end, uint32_t gid, void *state)
{
	struct app *a = ctx;
	char ts[TIME_FMT_MAX];
	struct jw w;
	size_t klen;
	const char *k = group_key(a->groups, gid, &klen), *kend = k + klen;

	buf_reset(&a->out);
	jw_init(&w, &a->out);
	jw_object(&w);
	jw_key(&w, "window", 6);
	jw_object(&w);
	jw_key(&w, "start", 5);
	jw_string(&w, ts, time_format(start, ts));
	jw_key(&w, "end", 3);
	jw_string(&w, ts, time_format(end, ts));
	jw_end(&w);
	/* The key is the group's canonical values joined by commas. */
	for (int i = 0; i < a->nby; i++) {
		struct json_val v;
		const char *next = json_value(k, kend, &v);
		jw_key(&w, a->by_names[i], strlen(a->by_names[i]));
		jw_raw(&w, v.p, v.len);
		k = next + 1;
	}
	aggs_write(&a->aggs, state, &w);
	jw_end(&w);
	out_line(a->out.p, a->out.len);
}

static int64_t
now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * US_PER_SEC + t.tv_nsec / 1000;
}

static int64_t
duration_opt(const char *opt, const char *s, int positive)
{
	int64_t us;

	if (duration_parse(s, &us) != 0)
		diag_usage("--%s: '%s' is not a duration", opt, s);
	if (positive && us <= 0)
		diag_usage("--%s must be longer than zero", opt);
	return us;
}

static void
write_late(struct app *a, const struct line *l, int late, int nwin, int64_t wm)
{
	char wbuf[TIME_FMT_MAX];
	struct buf b = BUF_INIT;

	a->late_records++;
	a->late_pairs += (uint64_t)late;
	if (a->late == NULL)
		return;
	time_format(wm, wbuf);
	buf_adds(&b, "{\"source\":");
	json_put_string(&b, l->file, strlen(l->file));
	buf_printf(&b, ",\"line\":%" PRIu64 ",\"reason\":", l->lineno);
	struct buf why = BUF_INIT;
	if (a->eng.c.kind == W_SESSION)
		buf_printf(&why, "late: the event's session ends at or before the watermark %s", wbuf);
	else if (nwin == 1)
		buf_printf(&why, "late: its window ends at or before the watermark %s", wbuf);
	else
		buf_printf(&why, "late for %d of its %d windows: they end at or before the watermark %s",
			   late, nwin, wbuf);
	json_put_string(&b, why.p, why.len);
	buf_adds(&b, ",\"raw\":");
	json_put_string(&b, l->p, l->len);
	buf_adds(&b, "}\n");
	if (fwrite(b.p, 1, b.len, a->late) != b.len)
		diag_fatal("%s: write error: %s", a->late_path, strerror(errno));
	buf_free(&why);
	buf_free(&b);
}

static void
record(struct app *a, const struct line *l, struct json_val *vals)
{
	int64_t ts;
	const char *key;
	size_t klen;

	if (fields_extract(a->paths, a->npaths, l->p, l->len, vals) != 0) {
		diag_reject(l->file, l->lineno, l->p, l->len, "not a JSON object, or malformed");
		return;
	}
	/* Values copied to the output must be valid JSON; the field scan
	 * does not check inside them. */
	for (int i = 0; i < a->npaths; i++) {
		struct json_error jerr;
		int copied = i >= a->by_base && (i < a->agg_base || a->aggs.copied[i - a->agg_base]);
		if (copied && vals[i].type >= JSON_NUMBER &&
		    json_validate(vals[i].p, vals[i].len, &jerr) != 0) {
			diag_reject(l->file, l->lineno, l->p, l->len, "field '%s': %s",
				    a->paths[i].text, jerr.msg);
			return;
		}
	}
	if (a->time_now) {
		ts = now_us();
	} else if (vals[0].type == JSON_NONE || vals[0].type == JSON_NULL) {
		diag_reject(l->file, l->lineno, l->p, l->len, "no time in field '%s'", a->paths[0].text);
		return;
	} else if (time_from_json(vals[0], a->unit, &ts) != 0) {
		diag_reject(l->file, l->lineno, l->p, l->len, "field '%s' is not a time",
			    a->paths[0].text);
		return;
	}

	if (a->nby == 1) {
		key = canon_value(vals[a->by_base], &a->scratch, &klen);
	} else {
		buf_reset(&a->key);
		for (int i = 0; i < a->nby; i++) {
			const char *p = canon_value(vals[a->by_base + i], &a->scratch, &klen);
			if (i)
				buf_addc(&a->key, ',');
			buf_add(&a->key, p, klen);
		}
		key = a->key.p ? a->key.p : "";
		klen = a->key.len;
	}
	int added;
	size_t gid = group_intern(a->groups, key, klen, &added);
	if (added && a->max_groups && gid >= a->max_groups)
		diag_fatal("%s:%" PRIu64 ": more than %zu groups (--max-groups)", l->file, l->lineno,
			   a->max_groups);

	int64_t wm = engine_watermark(&a->eng);
	int nwin, late = engine_add(&a->eng, ts, (uint32_t)gid, vals + a->agg_base, &nwin);
	if (late)
		write_late(a, l, late, nwin, wm);
	engine_close(&a->eng);
}

static void
name_by_fields(struct app *a)
{
	a->by_names = xcalloc((size_t)a->nby + 1, sizeof *a->by_names);
	for (int i = 0; i < a->nby; i++) {
		const struct path *p = &a->paths[a->by_base + i];
		const struct path_step *last = p->nsteps ? &p->steps[p->nsteps - 1] : NULL;
		a->by_names[i] = last && last->key ? xstrndup(last->key, last->keylen) : xstrdup(p->text);
	}
	/* Two fields of one name (a.x, b.x): name both by their paths. */
	for (int i = 0; i < a->nby; i++)
		for (int j = i + 1; j < a->nby; j++)
			if (strcmp(a->by_names[i], a->by_names[j]) == 0) {
				free(a->by_names[i]);
				free(a->by_names[j]);
				a->by_names[i] = xstrdup(a->paths[a->by_base + i].text);
				a->by_names[j] = xstrdup(a->paths[a->by_base + j].text);
			}
	for (int i = 0; i < a->nby; i++) {
		if (strcmp(a->by_names[i], "window") == 0)
			diag_usage("--by field '%s' would hide the window column", a->by_names[i]);
		for (int j = 0; j < a->aggs.ndefs; j++)
			if (strcmp(a->by_names[i], a->aggs.defs[j].name) == 0)
				diag_usage("aggregate '%s' has the name of a --by field: name it with AS",
					   a->aggs.defs[j].name);
	}
	for (int j = 0; j < a->aggs.ndefs; j++)
		if (strcmp(a->aggs.defs[j].name, "window") == 0)
			diag_usage("an aggregate cannot be named 'window'");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"time", required_argument, NULL, 't'},
		{"epoch-unit", required_argument, NULL, 'E'},
		{"tumble", required_argument, NULL, 'T'},
		{"window", required_argument, NULL, 'w'},
		{"slide", required_argument, NULL, 's'},
		{"session", required_argument, NULL, 'S'},
		{"offset", required_argument, NULL, 'o'},
		{"watermark", required_argument, NULL, 'W'},
		{"by", required_argument, NULL, 'b'},
		{"agg", required_argument, NULL, 'a'},
		{"emit", required_argument, NULL, 'm'},
		{"trigger", required_argument, NULL, 'g'},
		{"late", required_argument, NULL, 'l'},
		{"state", required_argument, NULL, 'x'},
		{"flush", no_argument, NULL, 'F'},
		{"max-groups", required_argument, NULL, 'M'},
		{"errors", required_argument, NULL, 'e'},
		{"quiet", no_argument, NULL, 'q'},
		{"unbuffered", no_argument, NULL, 'u'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	static struct app a;
	struct wconf wc = {0};
	const char *time_field = NULL, *by = NULL, *state_path = NULL, *emit = "append";
	const char *window = NULL, *slide = NULL, *session = NULL, *offset = NULL, *wmark = NULL;
	struct buf agglist = BUF_INIT;
	int64_t trigger = 0;
	int unbuffered = 0, flush = 0, tumble = 0, c;
	char err[256];

	diag_init(argv[0]);
	while ((c = getopt_long(argc, argv, "t:T:w:s:S:o:W:b:a:quhV", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			time_field = optarg;
			break;
		case 'E':
			if (epoch_unit_parse(optarg, &a.unit) != 0)
				diag_usage("--epoch-unit: '%s' is not s, ms or us", optarg);
			break;
		case 'T':
			if (window || session)
				diag_usage("give one of --tumble, --window or --session");
			window = optarg;
			tumble = 1;
			break;
		case 'w':
			if (window || session)
				diag_usage("give one of --tumble, --window or --session");
			window = optarg;
			break;
		case 's':
			slide = optarg;
			break;
		case 'S':
			if (window || session)
				diag_usage("give one of --tumble, --window or --session");
			session = optarg;
			break;
		case 'o':
			offset = optarg;
			break;
		case 'W':
			wmark = optarg;
			break;
		case 'b':
			by = optarg;
			break;
		case 'a':
			if (agglist.len)
				buf_addc(&agglist, ',');
			buf_adds(&agglist, optarg);
			if (aggs_parse(&a.aggs, optarg, err, sizeof err) != 0)
				diag_usage("--agg: %s", err);
			break;
		case 'm':
			emit = optarg;
			break;
		case 'g':
			trigger = duration_opt("trigger", optarg, 1);
			break;
		case 'l':
			a.late_path = optarg;
			break;
		case 'x':
			state_path = optarg;
			break;
		case 'F':
			flush = 1;
			break;
		case 'M': {
			char *end;
			errno = 0;
			unsigned long long n = strtoull(optarg, &end, 10);
			if (*optarg == '-' || *end || end == optarg || errno || n == 0)
				diag_usage("--max-groups: '%s' is not a positive number", optarg);
			a.max_groups = (size_t)n;
			break;
		}
		case 'e':
			diag_dead_letter(optarg);
			break;
		case 'q':
			diag_quiet(1);
			break;
		case 'u':
			unbuffered = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		case 'V':
			printf("jwindow kpipe %s\n", KPIPE_VERSION);
			return EXIT_OK;
		default:
			fprintf(stderr, "Try '%s --help'.\n", diag_prog);
			return EXIT_USAGE;
		}
	}

	if (time_field == NULL)
		diag_usage("--time FIELD is required (or --time now)");
	if (!window && !session)
		diag_usage("give one of --tumble, --window or --session");
	if (a.aggs.ndefs == 0)
		diag_usage("--agg is required, e.g. --agg 'count(*)'");
	if (flush && !state_path)
		diag_usage("--flush needs --state");
	if (tumble && slide)
		diag_usage("--slide is for --window; tumbling windows do not overlap");
	if (window) {
		wc.kind = W_FIXED;
		wc.size = duration_opt("window", window, 1);
		wc.slide = slide ? duration_opt("slide", slide, 1) : wc.size;
		if (offset) {
			const char *o = offset;
			int neg = *o == '-';
			wc.offset = duration_opt("offset", o + neg, 0);
			if (neg)
				wc.offset = -wc.offset;
		}
		if (wc.slide > wc.size)
			diag_usage("the slide (%s) is longer than the window (%s)", slide, window);
		if (wc.offset >= wc.slide || -wc.offset >= wc.slide)
			diag_usage("the offset must be shorter than the slide");
	} else {
		if (slide || offset)
			diag_usage("--slide and --offset are for --window, not --session");
		wc.kind = W_SESSION;
		wc.gap = duration_opt("session", session, 1);
	}
	if (wmark) {
		wc.has_watermark = 1;
		wc.delay = duration_opt("watermark", wmark, 0);
	}
	if (strcmp(emit, "append") == 0)
		wc.on_close = CLOSE_EMIT;
	else if (strcmp(emit, "update") == 0)
		wc.on_close = CLOSE_EMIT_CHANGED;
	else if (strcmp(emit, "complete") == 0)
		wc.on_close = CLOSE_NEVER;
	else
		diag_usage("--emit: '%s' is not append, update or complete", emit);
	if (trigger && wc.on_close == CLOSE_EMIT)
		diag_usage("--trigger is for --emit update or complete");

	/* All the fields in one list, for one pass over each record. */
	struct path *byp = NULL;
	int nby = 0;
	if (by && path_parse_list(by, &byp, &nby, err, sizeof err) != 0)
		diag_usage("--by: %s", err);
	a.time_now = strcmp(time_field, "now") == 0;
	a.npaths = 1 + nby + a.aggs.nfields;
	a.paths = xcalloc((size_t)a.npaths, sizeof *a.paths);
	if (!a.time_now && path_parse(time_field, &a.paths[0], err, sizeof err) != 0)
		diag_usage("--time: %s", err);
	a.nby = nby;
	a.by_base = 1;
	for (int i = 0; i < nby; i++)
		a.paths[1 + i] = byp[i];
	free(byp);
	a.agg_base = 1 + nby;
	for (int i = 0; i < a.aggs.nfields; i++)
		a.paths[a.agg_base + i] = a.aggs.fields[i];
	aggs_layout(&a.aggs);
	name_by_fields(&a);

	if (a.late_path && (a.late = fopen(a.late_path, "a")) == NULL)
		diag_usage("cannot open %s: %s", a.late_path, strerror(errno));

	out_init(unbuffered);
	a.groups = group_new();
	engine_init(&a.eng, &wc, &a.aggs, emit_row, &a);

	/* What the state depends on: a state file from other options is refused. */
	struct buf config = BUF_INIT;
	buf_printf(&config, "kind=%d size=%" PRId64 " slide=%" PRId64 " offset=%" PRId64
		   " gap=%" PRId64 " wm=%d delay=%" PRId64 " emit=%d time=%s unit=%d by=%s agg=%s",
		   wc.kind, wc.size, wc.slide, wc.offset, wc.gap, wc.has_watermark, wc.delay,
		   wc.on_close, time_field, a.unit, by ? by : "", agglist.p);
	if (state_path)
		state_load(state_path, config.p, a.groups, &a.eng);

	struct input in;
	struct line l;
	struct json_val *vals = xcalloc((size_t)a.npaths, sizeof *vals);
	int64_t due = trigger ? input_clock_us() + trigger : 0;
	int live = wc.on_close != CLOSE_EMIT;

	input_open(&in, argc - optind, argv + optind);
	for (;;) {
		if (live && trigger && !input_pending(&in)) {
			out_flush();
			if (!input_wait(&in, due)) {
				engine_trigger(&a.eng, wc.on_close == CLOSE_NEVER);
				due = input_clock_us() + trigger;
				continue;
			}
		}
		if (!input_next(&in, &l))
			break;
		record(&a, &l, vals);
		if (live) {
			if (trigger ? input_clock_us() >= due : !input_pending(&in)) {
				engine_trigger(&a.eng, wc.on_close == CLOSE_NEVER);
				if (trigger)
					due = input_clock_us() + trigger;
			}
		}
		out_idle(&in);
	}
	input_close(&in);

	if (live)
		engine_trigger(&a.eng, wc.on_close == CLOSE_NEVER);
	if (state_path && !flush) {
		out_flush();
		state_save(state_path, config.p, a.groups, &a.eng);
	} else {
		/* Batch and cron users need the windows still open (Spark would
		 * keep them). Update and complete modes have emitted them. */
		if (!live)
			engine_flush(&a.eng, 0);
		out_flush();
		if (flush)
			state_remove(state_path);
	}

	if (a.late && fclose(a.late) != 0)
		diag_fatal("%s: %s", a.late_path, strerror(errno));
	if (a.late_records) {
		char wbuf[TIME_FMT_MAX];
		int64_t wm = engine_watermark(&a.eng);
		time_format(wm, wbuf);
		diag_warn("%" PRIu64 " late record%s dropped from %" PRIu64 " window%s (watermark %s)%s%s",
			  a.late_records, a.late_records == 1 ? "" : "s", a.late_pairs,
			  a.late_pairs == 1 ? "" : "s", wbuf, a.late_path ? "; see " : "",
			  a.late_path ? a.late_path : "");
	}
	engine_free(&a.eng);
	group_free(a.groups);
	free(vals);
	buf_free(&config);
	buf_free(&agglist);
	buf_free(&a.out);
	buf_free(&a.key);
	buf_free(&a.scratch);
	return diag_finish();
}
