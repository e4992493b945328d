/*
 * The dashboard's web server (kout --serve): libmicrohttpd on threads of
 * its own, answering GET and HEAD of the page, its script and style (all
 * compiled in: web.h) and /events, a stream of server-sent events.
 *
 * The pipeline never waits for a client.  It publishes a frame (one JSON
 * document) now and then; the server keeps only the newest.  Each /events
 * client sends the newest frame it has not sent yet, so a slow client
 * skips frames instead of queueing them, and the frames it skipped are
 * counted.  Memory is one frame per client at most, whatever the clients
 * do.
 */
#ifndef KOUT_HTTPD_H
#define KOUT_HTTPD_H

#include <stddef.h>
#include <stdint.h>

struct httpd;

/* What the server did, for --metrics and the summary at the end of a
 * run.  A client's skipped frames are counted when it takes a newer
 * frame, and when it goes: the frames published after the last it took,
 * which it never got (a client that stopped reading gets none). */
struct httpd_stats {
	uint64_t frames_published;	/* frames the pipeline handed over */
	uint64_t frames_skipped;	/* frames a slow /events client never got */
	uint64_t event_clients;		/* /events streams opened */
	uint64_t event_clients_now;	/* /events streams open now */
	uint64_t requests_refused;	/* answered 404 or 405 */
};

/* Listen on "[HOST:]PORT" (HOST a name or address, [::1] for IPv6;
 * 127.0.0.1 when none; PORT 0 takes a free one) and serve.  A spec that is
 * not of that shape is a usage error (exit 2); an address that cannot be
 * bound, say a port in use, is fatal (exit 3) with the system's reason.
 * The URL is written to url (a buffer of at least 80 bytes). */
struct httpd *httpd_start(const char *listen, char *url);

/* Make json the frame every /events client is sent next.  Copies it and
 * returns at once: a client never holds up the caller. */
void httpd_publish(struct httpd *h, const char *json, size_t n);

/* What the server did so far; from any thread. */
void httpd_stats(struct httpd *h, struct httpd_stats *st);

/* End every stream, close every connection and free the server; final
 * gets what it did, the streams just closed included. */
void httpd_stop(struct httpd *h, struct httpd_stats *final);

#endif
