/*
 * Minimal unit-test reporting in tests/run's protocol: one "ok NAME" or
 * "not ok NAME: detail" line per check.  main() returns check_status().
 */
#ifndef KPIPE_CHECK_H
#define KPIPE_CHECK_H

#include <stdio.h>
#include <string.h>
#include <math.h>

static int check_failures;

#define CHECK(name, cond) do { \
	if (cond) printf("ok %s\n", (name)); \
	else { printf("not ok %s: %s:%d: %s\n", (name), __FILE__, __LINE__, #cond); check_failures++; } \
} while (0)

#define CHECK_STR(name, got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	if (g_ && w_ && strcmp(g_, w_) == 0) printf("ok %s\n", (name)); \
	else { printf("not ok %s: %s:%d: got [%s] want [%s]\n", (name), __FILE__, __LINE__, \
		g_ ? g_ : "(null)", w_ ? w_ : "(null)"); check_failures++; } \
} while (0)

/* Relative tolerance; NAN equals NAN (both "null"). */
#define CHECK_NEAR(name, got, want, rel) do { \
	double g_ = (got), w_ = (want); \
	int same_ = (isnan(g_) && isnan(w_)) || g_ == w_ || \
		fabs(g_ - w_) <= (rel) * fmax(fabs(w_), 1e-300); \
	if (same_) printf("ok %s\n", (name)); \
	else { printf("not ok %s: %s:%d: got %.17g want %.17g\n", (name), __FILE__, __LINE__, g_, w_); check_failures++; } \
} while (0)

static inline int check_status(void) { return check_failures ? 1 : 0; }

#endif
