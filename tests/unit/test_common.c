/* Unit tests for the small pieces of common/: buffers, line input, field
 * paths, the group table, base64. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base64.h"
#include "buf.h"
#include "group.h"
#include "input.h"
#include "path.h"
#include "check.h"

static char *
write_temp(const char *content, size_t n)
{
	static char name[64];
	strcpy(name, "/tmp/kpipe-unit-XXXXXX");
	int fd = mkstemp(name);
	if (fd < 0 || write(fd, content, n) != (ssize_t)n)
		abort();
	close(fd);
	return name;
}

/* Read every line of a file; return them joined with '|' and the count. */
static void
read_lines(const char *content, size_t n, struct buf *joined, int *count)
{
	char *files[1] = {write_temp(content, n)};
	struct input in;
	struct line l;

	*count = 0;
	buf_reset(joined);
	input_open(&in, 1, files);
	while (input_next(&in, &l)) {
		if (*count)
			buf_addc(joined, '|');
		buf_add(joined, l.p, l.len);
		if (l.p[l.len] != '\0')
			buf_adds(joined, "<no NUL>");
		++*count;
	}
	input_close(&in);
	unlink(files[0]);
}

static void
test_input(void)
{
	struct buf j = BUF_INIT;
	int n;

	read_lines("a\nbb\n", 5, &j, &n);
	CHECK_STR("input: LF lines", j.p, "a|bb");
	read_lines("a\r\nbb\r\n", 7, &j, &n);
	CHECK_STR("input: CRLF lines lose the CR", j.p, "a|bb");
	read_lines("a\nlast", 6, &j, &n);
	CHECK_STR("input: missing final newline", j.p, "a|last");
	read_lines("\n\nx\n", 4, &j, &n);
	CHECK("input: empty lines are lines", n == 3 && strcmp(j.p, "||x") == 0);
	read_lines("", 0, &j, &n);
	CHECK("input: empty file has no lines", n == 0);
	read_lines("a\0b\n", 4, &j, &n);
	CHECK("input: embedded NUL kept in the line", n == 1 && j.len == 3 && j.p[1] == '\0');

	/* Lines longer than the read buffer, several times over, and a
	 * short line after them. */
	size_t big = 3 * 1024 * 1024 + 17;
	char *content = malloc(big + 8);
	memset(content, 'x', big);
	memcpy(content + big, "\nyy\n", 4);
	read_lines(content, big + 4, &j, &n);
	CHECK("input: 3 MB line then a short one", n == 2 && j.len == big + 3 &&
	      memcmp(j.p + big, "|yy", 3) == 0);
	memcpy(content + big, "\r\n", 2);
	read_lines(content, big + 2, &j, &n);
	CHECK("input: long line with CRLF", n == 1 && j.len == big);
	free(content);
	buf_free(&j);
}

static void
test_input_eol(void)
{
	char *files[1] = {write_temp("a\r\nb\nc", 7)};
	struct input in;
	struct line l;
	int eol[4] = {-1, -1, -1, -1}, n = 0;

	input_open(&in, 1, files);
	while (n < 4 && input_next(&in, &l))
		eol[n++] = l.eol;
	input_close(&in);
	unlink(files[0]);
	CHECK("input: each line says how it ended", n == 3 && eol[0] == LINE_CRLF &&
	      eol[1] == LINE_LF && eol[2] == 0);
}

static void
test_input_lineno(void)
{
	char *a = xstrdup(write_temp("1\n2\n", 4));
	char *b = xstrdup(write_temp("3\n", 2));
	char *files[2] = {a, b};
	struct input in;
	struct line l;
	char seen[64] = "";

	input_open(&in, 2, files);
	while (input_next(&in, &l)) {
		char one[16];
		snprintf(one, sizeof one, "%s:%llu ", l.file == a ? "a" : "b", (unsigned long long)l.lineno);
		strcat(seen, one);
	}
	input_close(&in);
	CHECK_STR("input: operands in order, line numbers per file", seen, "a:1 a:2 b:1 ");
	unlink(a);
	unlink(b);
	free(a);
	free(b);
}

static void
test_path(void)
{
	struct path p;
	char err[200];

	CHECK("path: plain", path_parse("user", &p, err, sizeof err) == 0 && p.nsteps == 1 &&
	      strcmp(p.steps[0].key, "user") == 0 && strcmp(p.text, "user") == 0);
	path_free(&p);
	CHECK("path: leading dot and nesting", path_parse(".window.start", &p, err, sizeof err) == 0 &&
	      p.nsteps == 2 && strcmp(p.steps[1].key, "start") == 0 && strcmp(p.text, "window.start") == 0);
	path_free(&p);
	CHECK("path: array index", path_parse(".a[0][-1]", &p, err, sizeof err) == 0 && p.nsteps == 3 &&
	      p.steps[1].key == NULL && p.steps[1].index == 0 && p.steps[2].index == -1);
	path_free(&p);
	CHECK("path: quoted key", path_parse(".\"odd key\".x", &p, err, sizeof err) == 0 && p.nsteps == 2 &&
	      strcmp(p.steps[0].key, "odd key") == 0);
	path_free(&p);
	CHECK("path: quoted key with escapes", path_parse(".\"a\\\"b\\u00e9\"", &p, err, sizeof err) == 0 &&
	      strcmp(p.steps[0].key, "a\"b\xc3\xa9") == 0);
	path_free(&p);
	CHECK("path: rejects empty", path_parse("", &p, err, sizeof err) != 0);
	CHECK("path: rejects a..b", path_parse("a..b", &p, err, sizeof err) != 0);
	CHECK("path: rejects trailing dot", path_parse("a.", &p, err, sizeof err) != 0);
	CHECK("path: rejects bad index", path_parse("a[x]", &p, err, sizeof err) != 0);
	CHECK("path: rejects unterminated quote", path_parse(".\"abc", &p, err, sizeof err) != 0);

	struct path *list;
	int n;
	CHECK("path list: commas split, quoted commas do not",
	      path_parse_list("a,.b.c,.\"x,y\"", &list, &n, err, sizeof err) == 0 && n == 3 &&
	      strcmp(list[2].steps[0].key, "x,y") == 0);
	path_free_list(list, n);
	CHECK("path list: an empty item is an error", path_parse_list("a,,b", &list, &n, err, sizeof err) != 0);
}

static void
test_group(void)
{
	struct group_table *g = group_new();
	int added;
	char key[32];
	int ok = 1;

	for (int i = 0; i < 100000; i++) {
		int len = snprintf(key, sizeof key, "k%d", i * 7919 % 100000);
		if (group_intern(g, key, (size_t)len, &added) != (size_t)i || !added)
			ok = 0;
	}
	CHECK("group: ids dense in first-seen order", ok && group_count(g) == 100000);
	ok = 1;
	for (int i = 0; i < 100000; i++) {
		int len = snprintf(key, sizeof key, "k%d", i * 7919 % 100000);
		if (group_intern(g, key, (size_t)len, &added) != (size_t)i || added)
			ok = 0;
		if (group_find(g, key, (size_t)len) != i)
			ok = 0;
	}
	CHECK("group: existing keys found again", ok);
	CHECK("group: absent key", group_find(g, "nope", 4) == -1);
	size_t kn;
	const char *k = group_key(g, 1, &kn);
	CHECK("group: key bytes by id", kn == 5 && memcmp(k, "k7919", 5) == 0);
	CHECK("group: empty key is a key", group_intern(g, "", 0, &added) == 100000 && added);
	CHECK("group: no bytes at all is the empty key", group_intern(g, NULL, 0, &added) == 100000 && !added);
	CHECK("group: keys with NUL", group_intern(g, "a\0b", 3, &added) != group_intern(g, "a\0c", 3, NULL));
	group_free(g);
}

static void
test_base64(void)
{
	/* RFC 4648 section 10 test vectors. */
	const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	const char *want[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
	struct buf b = BUF_INIT, d = BUF_INIT;
	int ok = 1;

	for (int i = 0; i < 7; i++) {
		buf_reset(&b);
		buf_reset(&d);
		base64_encode(in[i], strlen(in[i]), &b);
		if (strcmp(b.p ? b.p : "", want[i]) != 0)
			ok = 0;
		if (base64_decode(b.p ? b.p : "", b.len, &d) != 0 || d.len != strlen(in[i]) ||
		    memcmp(d.p ? d.p : "", in[i], d.len) != 0)
			ok = 0;
	}
	CHECK("base64: RFC 4648 vectors both ways", ok);
	buf_reset(&d);
	CHECK("base64: rejects bad input", base64_decode("Zm9", 3, &d) != 0 && base64_decode("Z!9v", 4, &d) != 0);
	buf_free(&b);
	buf_free(&d);
}

int
main(void)
{
	test_input();
	test_input_eol();
	test_input_lineno();
	test_path();
	test_group();
	test_base64();
	return check_status();
}
