/*
 * kout --serve's HTTP side.  libmicrohttpd runs a thread per connection
 * (bounded in number, per client address and in time), so that a stream
 * to /events can wait for the next frame in its own thread; the pipeline
 * only ever swaps the newest frame in under a mutex.
 */
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "buf.h"
#include "diag.h"
#include "frame.h"
#include "httpd.h"
#include "web.h"

/* Limits that keep many or hostile clients from taking more than a
 * bounded share: connections at once, from one address, the seconds a
 * connection may sit without traffic, and the memory of one request. */
#define MAX_CONNECTIONS 128
#define MAX_PER_ADDRESS 48
#define IDLE_SECONDS 10
#define REQUEST_MEMORY (8 * 1024)
#define THREAD_STACK (256 * 1024)
/* An /events stream with nothing new sends a comment this often, which
 * keeps it within IDLE_SECONDS and finds out clients that went away. */
#define KEEPALIVE_SECONDS 4

/* One published frame as the SSE text "data: JSON\n\n", shared by the
 * clients that are sending it; freed by whoever drops the last use. */
struct frame_text {
	size_t refs, len;
	uint64_t seq;
	char text[];
};

struct httpd {
	struct MHD_Daemon *daemon;
	pthread_mutex_t lock;
	pthread_cond_t fresh;	/* a new frame, or stopping */
	struct frame_text *latest;
	int stopping;
	struct httpd_stats st;
};

/* One /events client: the frame it is sending and how far it got. */
struct stream {
	struct httpd *h;
	struct frame_text *cur;
	size_t off;
	uint64_t sent;		/* seq of the last frame taken */
};

static void
frame_drop(struct frame_text *f)
{
	if (f && --f->refs == 0)
		free(f);
}

void
httpd_publish(struct httpd *h, const char *json, size_t n)
{
	struct frame_text *f = xmalloc(sizeof *f + n + 8);

	memcpy(f->text, "data: ", 6);
	memcpy(f->text + 6, json, n);
	memcpy(f->text + 6 + n, "\n\n", 2);
	f->len = n + 8;
	f->refs = 1;
	pthread_mutex_lock(&h->lock);
	f->seq = ++h->st.frames_published;
	frame_drop(h->latest);
	h->latest = f;
	pthread_cond_broadcast(&h->fresh);
	pthread_mutex_unlock(&h->lock);
}

/* Take the newest frame when it is one the stream has not sent; the ones
 * published between the last it sent and this one are skipped.  Called
 * with the lock held. */
static int
take_latest(struct stream *s)
{
	struct frame_text *f = s->h->latest;

	if (f == NULL || f->seq <= s->sent)
		return 0;
	if (s->sent > 0)
		s->h->st.frames_skipped += f->seq - s->sent - 1;
	s->sent = f->seq;
	s->cur = f;
	s->off = 0;
	f->refs++;
	return 1;
}

/* libmicrohttpd asks for the next bytes of a stream; in a thread of its
 * own, so it may wait here for a frame. */
static ssize_t
stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct stream *s = cls;
	struct httpd *h = s->h;
	struct timespec until;
	ssize_t n = 0;

	(void)pos;
	pthread_mutex_lock(&h->lock);
	if (s->cur && s->off == s->cur->len) {
		frame_drop(s->cur);
		s->cur = NULL;
	}
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += KEEPALIVE_SECONDS;
	while (s->cur == NULL && !h->stopping && !take_latest(s))
		if (pthread_cond_timedwait(&h->fresh, &h->lock, &until) == ETIMEDOUT)
			break;
	if (s->cur) {
		n = (ssize_t)(s->cur->len - s->off < max ? s->cur->len - s->off : max);
		memcpy(out, s->cur->text + s->off, (size_t)n);
		s->off += (size_t)n;
	} else if (h->stopping)
		n = MHD_CONTENT_READER_END_OF_STREAM;
	else if (max >= 3)
		n = (ssize_t)(memcpy(out, ":\n\n", 3), 3);
	pthread_mutex_unlock(&h->lock);
	return n;
}

static void
stream_free(void *cls)
{
	struct stream *s = cls;

	struct httpd *h = s->h;

	pthread_mutex_lock(&h->lock);
	if (s->sent > 0 && h->latest && h->latest->seq > s->sent)
		h->st.frames_skipped += h->latest->seq - s->sent;
	h->st.event_clients_now--;
	frame_drop(s->cur);
	pthread_mutex_unlock(&h->lock);
	free(s);
}

/* Headers every answer carries: nothing is cached, sniffed or framed,
 * and the page may load nothing but what this server sends. */
static void
common_headers(struct MHD_Response *r, const char *type)
{
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Content-Security-Policy",
	    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
	    "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
}

static enum MHD_Result
answer(struct MHD_Connection *c, unsigned status, struct MHD_Response *r)
{
	enum MHD_Result ok = MHD_queue_response(c, status, r);

	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result
refuse(struct httpd *h, struct MHD_Connection *c, unsigned status, const char *why)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(why), (void *)why,
	    MHD_RESPMEM_PERSISTENT);

	pthread_mutex_lock(&h->lock);
	h->st.requests_refused++;
	pthread_mutex_unlock(&h->lock);
	common_headers(r, "text/plain; charset=utf-8");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	return answer(c, status, r);
}

static enum MHD_Result
events(struct httpd *h, struct MHD_Connection *c)
{
	struct stream *s = xcalloc(1, sizeof *s);
	struct MHD_Response *r;

	s->h = h;
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, stream_read, s,
	    stream_free);
	if (r == NULL) {
		free(s);
		return MHD_NO;
	}
	pthread_mutex_lock(&h->lock);
	h->st.event_clients++;
	h->st.event_clients_now++;
	pthread_mutex_unlock(&h->lock);
	common_headers(r, "text/event-stream; charset=utf-8");
	return answer(c, MHD_HTTP_OK, r);
}

/* None of the paths served has an escape in it, so none is undone: a
 * "%00" or "%2e" stays as written and matches nothing. */
static size_t
keep_escapes(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

/* A request that says it sends a body. */
static int
has_body(struct MHD_Connection *c)
{
	const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);

	return MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL || (len && strcmp(len, "0") != 0);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **state)
{
	struct httpd *h = cls;
	struct web_asset a;
	struct MHD_Response *r;

	(void)version;
	(void)upload;
	(void)state;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return refuse(h, c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
	/* A GET that sends a body is not one of ours. */
	if (*upload_size > 0 || has_body(c))
		return refuse(h, c, MHD_HTTP_BAD_REQUEST, "a GET has no body\n");
	if (strcmp(url, "/events") == 0)
		return events(h, c);
	if (web_asset(url, &a) == NULL)
		return refuse(h, c, MHD_HTTP_NOT_FOUND, "not found\n");
	r = MHD_create_response_from_buffer(a.len, (void *)a.data, MHD_RESPMEM_PERSISTENT);
	common_headers(r, a.type);
	return answer(c, MHD_HTTP_OK, r);
}

/* "[HOST:]PORT" into host and port; a usage error when it is not. */
static void
split_listen(const char *spec, char *host, size_t hostcap, char *port)
{
	const char *colon = strrchr(spec, ':'), *p = colon ? colon + 1 : spec;
	size_t hl = colon ? (size_t)(colon - spec) : 0;
	char *end;
	long n;

	snprintf(host, hostcap, "127.0.0.1");
	if (colon && hl > 0) {
		if (spec[0] == '[' && spec[hl - 1] == ']')
			spec++, hl -= 2;
		if (hl == 0 || hl >= hostcap || memchr(spec, '[', hl) || memchr(spec, ']', hl))
			frame_usage("--serve: not [HOST:]PORT: %s", spec);
		memcpy(host, spec, hl);
		host[hl] = '\0';
	}
	errno = 0;
	n = strtol(p, &end, 10);
	if (*p < '0' || *p > '9' || *end != '\0' || errno || n > 65535)
		frame_usage("--serve: not [HOST:]PORT (PORT from 0 to 65535): %s", spec);
	snprintf(port, 24, "%ld", n);
}

/* A listening socket on the spec's address, or exit: a usage error for a
 * host that is not one, a runtime failure for one that cannot be bound. */
static int
listen_on(const char *spec, char *url)
{
	char host[256], port[24], name[NI_MAXHOST], serv[NI_MAXSERV];
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
	struct addrinfo *ai;
	struct sockaddr_storage sa;
	socklen_t salen = sizeof sa;
	int fd, one = 1, rc;

	split_listen(spec, host, sizeof host, port);
	if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0)
		frame_usage("--serve: %s: %s", host, gai_strerror(rc));
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		diag_fatal("--serve %s: %s", spec, strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 64) < 0)
		diag_fatal("--serve %s: cannot listen: %s", spec, strerror(errno));
	freeaddrinfo(ai);
	getsockname(fd, (struct sockaddr *)&sa, &salen);
	getnameinfo((struct sockaddr *)&sa, salen, name, sizeof name, serv, sizeof serv,
	    NI_NUMERICHOST | NI_NUMERICSERV);
	snprintf(url, 80, sa.ss_family == AF_INET6 ? "http://[%s]:%s/" : "http://%s:%s/", name, serv);
	return fd;
}

struct httpd *
httpd_start(const char *spec, char *url)
{
	struct httpd *h = xcalloc(1, sizeof *h);
	int fd = listen_on(spec, url);
	sigset_t all, old;

	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->fresh, NULL);
	/* The server's threads take no signals: Ctrl-C is the pipeline's. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	h->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_POLL, 0, NULL, NULL, on_request, h,
	    MHD_OPTION_LISTEN_SOCKET, fd,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)MAX_PER_ADDRESS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_SECONDS,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)REQUEST_MEMORY,
	    MHD_OPTION_THREAD_STACK_SIZE, (size_t)THREAD_STACK,
	    MHD_OPTION_UNESCAPE_CALLBACK, keep_escapes, NULL,
	    MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (h->daemon == NULL)
		diag_fatal("--serve %s: the web server did not start", spec);
	return h;
}

void
httpd_stats(struct httpd *h, struct httpd_stats *st)
{
	pthread_mutex_lock(&h->lock);
	*st = h->st;
	pthread_mutex_unlock(&h->lock);
}

void
httpd_stop(struct httpd *h, struct httpd_stats *final)
{
	pthread_mutex_lock(&h->lock);
	h->stopping = 1;
	pthread_cond_broadcast(&h->fresh);
	pthread_mutex_unlock(&h->lock);
	MHD_stop_daemon(h->daemon);
	*final = h->st;
	frame_drop(h->latest);
	pthread_cond_destroy(&h->fresh);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
