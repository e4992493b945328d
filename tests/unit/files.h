/*
 * Reading test data from files, for unit tests that check themselves
 * against data no one here wrote (JSONTestSuite in ../shared/testdata).
 */
#ifndef KPIPE_TEST_FILES_H
#define KPIPE_TEST_FILES_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"

/* The whole file into b.  0 ok, -1 it cannot be opened. */
static int
read_file(const char *name, struct buf *b)
{
	char tmp[65536];
	size_t n;
	FILE *f = fopen(name, "rb");

	if (f == NULL)
		return -1;
	buf_reset(b);
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_add(b, tmp, n);
	fclose(f);
	return 0;
}

/* JSONTestSuite's test_parsing directory, opened, its path in dir; NULL
 * when it is not there (the caller reports a skip naming dir). */
static DIR *
open_jsontestsuite(char *dir, size_t n)
{
	const char *root = getenv("KPIPE_ROOT"), *td = getenv("TESTDATA");

	if (td)
		snprintf(dir, n, "%s/jsontestsuite/test_parsing", td);
	else
		snprintf(dir, n, "%s/../shared/testdata/jsontestsuite/test_parsing",
		    root ? root : ".");
	return opendir(dir);
}

#endif
