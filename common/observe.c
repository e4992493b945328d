#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "meter.h"
#include "metrics.h"
#include "now.h"
#include "observe.h"

#define DRAW_EVERY_US 200000	/* five redraws a second */
#define RATE_SPAN 5		/* draws the progress rate is taken over: a second */

/* The signals that stop a run: the thread writes the final metrics record
 * and erases the progress line before the signal ends the process. */
static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NSTOP (sizeof stop_signals / sizeof stop_signals[0])

static struct {
	pthread_t thread;
	int running;
	_Atomic int stopping;
	int wake[2];		/* a byte here wakes the thread: stop, or a signal */
	const char *command;
	int metrics, progress, color;
	int64_t interval_us;
	struct tally start, last;	/* at the start; at the last metrics record */
	struct tally recent[RATE_SPAN];	/* the last draws, for the rate */
	uint64_t batch, draws;
	struct buf line;
	int handled[NSTOP];	/* the handler was put on stop_signals[i] */
} obs = {.wake = {-1, -1}};

static volatile sig_atomic_t caught;	/* the stop signal that came, or 0 */

static void
emit_metrics(int final, const char *stopped_by)
{
	struct tally now;

	tally_take(&now);
	metrics_record(obs.batch++, &obs.last, &now, final, stopped_by);
	obs.last = now;
}

/* "1234567" as "1,234,567": counts that a person reads at a glance. */
static void
add_count(struct buf *b, uint64_t n)
{
	char digits[24];
	int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);

	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf_addc(b, ',');
		buf_addc(b, digits[i]);
	}
}

static void
draw_progress(void)
{
	const struct meter_source *src = meter_current_source();
	struct tally now, *then = &obs.recent[obs.draws % RATE_SPAN];
	struct buf *b = &obs.line;

	tally_take(&now);
	if (obs.draws < RATE_SPAN)
		then = &obs.start;
	buf_reset(b);
	buf_printf(b, obs.color ? "\033[1m%s\033[0m: " : "%s: ", obs.command);
	add_count(b, now.in);
	buf_adds(b, " in, ");
	add_count(b, now.out);
	buf_adds(b, " out, ");
	add_count(b, now.rejected);
	buf_adds(b, " rejected");
	if (src->flags & METER_LATE) {
		buf_adds(b, ", ");
		add_count(b, now.late);
		buf_adds(b, " late");
	}
	if (now.mono_us > then->mono_us) {
		buf_adds(b, ", ");
		add_count(b, (uint64_t)((double)(now.in - then->in) * 1e6 / (double)(now.mono_us - then->mono_us)));
		buf_adds(b, "/s");
	}
	if (src->progress)
		src->progress(b, src->ctx);
	progress_draw(b->p, b->len, now.mono_us - obs.start.mono_us);
	obs.recent[obs.draws++ % RATE_SPAN] = now;
}

/* A stop signal: say so to the thread, which ends the run.  A second
 * one ends it at once, should the last record be stuck (a FIFO nobody
 * reads). */
static void
on_stop_signal(int sig)
{
	int saved = errno;

	if (caught) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	caught = sig;
	if (write(obs.wake[1], "", 1) < 0) {
		/* full: the thread has a byte to wake it already */
	}
	errno = saved;
}

/* Catch the stop signals that would kill the process as it is (SIG_DFL):
 * one the command was started with ignored (nohup) stays ignored, and a
 * command that handles them itself (kcat-in stops cleanly) sets its own
 * handler over this one. */
static void
catch_stop_signals(void)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sa.sa_flags = SA_RESTART;	/* the record loop's read() goes on */
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < NSTOP; i++)
		if (sigaction(stop_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
			obs.handled[i] = sigaction(stop_signals[i], &sa, NULL) == 0;
}

/* Give back the default to the signals whose handler is still ours. */
static void
release_stop_signals(void)
{
	struct sigaction old;

	for (size_t i = 0; i < NSTOP; i++)
		if (obs.handled[i] && sigaction(stop_signals[i], NULL, &old) == 0 &&
		    old.sa_handler == on_stop_signal)
			signal(stop_signals[i], SIG_DFL);
}

static const char *
signal_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP";
}

/* The last words of a run, however it ends: the progress line erased and
 * the final metrics record written, stopped_by (NULL at the end of the
 * input) saying why it ended early.  0, or metrics_close's -1. */
static int
last_words(const char *stopped_by)
{
	int r = 0;

	if (obs.progress)
		progress_end();
	if (obs.metrics) {
		emit_metrics(1, stopped_by);
		r = metrics_close();
		obs.metrics = 0;
	}
	return r;
}

/* Die of sig as the process would have without the handler, so that the
 * shell sees 128+sig. */
static _Noreturn void
die_of(int sig)
{
	release_stop_signals();
	signal(sig, SIG_DFL);
	raise(sig);
	_exit(128 + sig);
}

/* Sleep to the nearer of the two deadlines, or until woken, do what is
 * due, until told to stop.  A stop signal ends the process from here. */
static void *
run(void *arg)
{
	int64_t next_metrics = obs.start.mono_us + obs.interval_us;
	int64_t next_draw = obs.start.mono_us + DRAW_EVERY_US;

	(void)arg;
	while (!obs.stopping) {
		int64_t due = obs.metrics ? next_metrics : INT64_MAX;
		struct pollfd pf = {.fd = obs.wake[0], .events = POLLIN};
		char drain[16];

		if (obs.progress && next_draw < due)
			due = next_draw;
		int64_t wait_us = due - mono_us();
		int ms = wait_us <= 0 ? 0 : wait_us > 60000000 ? 60000 : (int)((wait_us + 999) / 1000);
		if (poll(&pf, 1, ms) > 0)
			while (read(obs.wake[0], drain, sizeof drain) > 0)
				;
		if (caught) {
			last_words(signal_name(caught));
			die_of(caught);
		}
		if (obs.stopping)
			break;
		int64_t now = mono_us();
		if (obs.metrics && now >= next_metrics) {
			emit_metrics(0, NULL);
			next_metrics += obs.interval_us;
			if (next_metrics <= now)	/* a stalled write: no burst after it */
				next_metrics = now + obs.interval_us;
		}
		if (obs.progress && now >= next_draw) {
			draw_progress();
			next_draw = now + DRAW_EVERY_US;
		}
	}
	return NULL;
}

/* Stop the thread and wait for it. */
static void
stop_thread(void)
{
	if (!obs.running)
		return;
	obs.stopping = 1;
	if (write(obs.wake[1], "", 1) < 0) {
		/* full: it will wake anyway */
	}
	pthread_join(obs.thread, NULL);
	obs.running = 0;
}

/* diag_fatal's hook: a run ended by a fatal error still writes its final
 * record.  Not from the thread itself, which cannot wait for itself. */
static void
on_fatal(void)
{
	if (obs.running && pthread_equal(pthread_self(), obs.thread))
		return;
	stop_thread();
	release_stop_signals();
	last_words("error");
}

int
observe_start(const char *command, const struct observe_options *o)
{
	obs.command = command;
	obs.interval_us = o->interval_us;
	if (o->metrics) {
		if (metrics_open(o->metrics, command) != 0)
			return -1;
		obs.metrics = 1;
	}
	obs.progress = progress_setup(o->progress);
	obs.color = progress_color();
	tally_take(&obs.start);
	obs.last = obs.start;
	if (!obs.metrics && !obs.progress)
		return 0;
	if (pipe2(obs.wake, O_CLOEXEC | O_NONBLOCK) != 0)
		return 0;	/* no thread: the final record is still written */
	catch_stop_signals();
	obs.running = pthread_create(&obs.thread, NULL, run, NULL) == 0;
	meter_watched = obs.running;
	if (obs.running)
		diag_on_fatal(on_fatal);
	return 0;
}

int
observe_finish(void)
{
	diag_on_fatal(NULL);
	stop_thread();
	release_stop_signals();
	for (int i = 0; i < 2; i++)
		if (obs.wake[i] >= 0) {
			close(obs.wake[i]);
			obs.wake[i] = -1;
		}
	int r = last_words(caught ? signal_name(caught) : NULL);
	buf_free(&obs.line);
	if (caught)	/* came as the thread stopped: it still ends the run */
		die_of(caught);
	return r;
}
