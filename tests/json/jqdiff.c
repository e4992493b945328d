/*
 * Seeded random-mutation differential test: json_validate accepts exactly
 * what libjq accepts, outside the classes of jqdiff.h where jq 1.6 is known
 * to differ from RFC 8259, and json_compact's output of an accepted input
 * is the same value to jq.  Deterministic: the same seed gives the same
 * inputs, so a failure can be replayed.
 *
 *   jqdiff ITERATIONS SEED [SEED_FILE...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "jqdiff.h"

static uint64_t state;

static uint64_t
rnd(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dULL;
}

#define R(n) ((size_t)(rnd() % (n)))

static const char *const builtin[] = {
	"{\"user\":\"u042\",\"action\":\"login\",\"timestamp\":\"2024-03-01T12:00:07.250Z\","
	    "\"latency_ms\":123,\"bytes\":5120,\"ok\":true}",
	"{ \"a\" : [ 1 , -2.5e+3 , { \"b\" : null } ] , \"c\" : \"x\\\"y\\\\z\\u00e9\" }",
	"[[[[[]]]],{},{\"\":[false,true,0]}]",
	"\"h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
	"-0.0e-0",
};

/* Fragments that make mutations land on interesting grammar. */
static const char *const frags[] = {
	"true", "false", "null", "0", "-", "1.5", "e+", "E-7", ".", "\"", "\\", "\\u", "\\u00e9",
	"\\ud83d\\ude00", "{", "}", "[", "]", ",", ":", "\":", "\"k\":", " ", "\t", "\n", "\r",
	"{}", "[]", "\xc3\xa9", "\xe2\x82\xac", "01", "1e", "nul", "\\n", "\"\"",
};
static const char alphabet[] = "{}[],:\"\\ \t\n0123456789-+.eEtrufalsnux";

static void
mutate(struct buf *b, struct buf *seeds, size_t nseeds)
{
	size_t at = b->len ? R(b->len + 1) : 0, k;
	const char *f;
	char c;

	switch (R(7)) {
	case 0:		/* replace a byte */
		if (b->len) {
			at = R(b->len);
			b->p[at] = R(20) ? alphabet[R(sizeof alphabet - 1)] : (char)R(256);
		}
		break;
	case 1:		/* insert a byte */
		c = alphabet[R(sizeof alphabet - 1)];
		buf_addc(b, 0);
		memmove(b->p + at + 1, b->p + at, b->len - at - 1);
		b->p[at] = c;
		break;
	case 2:		/* delete a run */
		if (at < b->len) {
			k = 1 + R(b->len - at < 4 ? b->len - at : 4);
			memmove(b->p + at, b->p + at + k, b->len - at - k);
			b->len -= k;
		}
		break;
	case 3:		/* insert a fragment */
		f = frags[R(sizeof frags / sizeof frags[0])];
		k = strlen(f);
		buf_grow(b, k);
		memmove(b->p + at + k, b->p + at, b->len - at);
		memcpy(b->p + at, f, k);
		b->len += k;
		break;
	case 4:		/* splice in part of another seed */
		if (nseeds) {
			struct buf *s = &seeds[R(nseeds)];
			size_t from = s->len ? R(s->len) : 0, len = s->len - from;
			if (len > 64)
				len = R(64) + 1;
			buf_grow(b, len);
			memmove(b->p + at + len, b->p + at, b->len - at);
			memcpy(b->p + at, s->p + from, len);
			b->len += len;
		}
		break;
	case 5:		/* truncate */
		b->len = at;
		break;
	case 6:		/* duplicate a run */
		if (at < b->len) {
			k = 1 + R(b->len - at < 16 ? b->len - at : 16);
			buf_grow(b, k);
			memmove(b->p + at + k, b->p + at, b->len - at);
			b->len += k;
		}
		break;
	}
	b->p[b->len] = '\0';
}

static void
show(const char *what, const struct buf *b)
{
	size_t i;

	printf("# %s: \"", what);
	for (i = 0; i < b->len && i < 200; i++) {
		unsigned char c = b->p[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	printf("\"\n");
}

int
main(int argc, char **argv)
{
	long iters, i;
	size_t nseeds = 0, nslots, k;
	struct buf *seeds, in = BUF_INIT;
	long excused[JD_NCLASS] = {0}, agree_acc = 0, agree_rej = 0, bad = 0, badcompact = 0;
	struct buf out = BUF_INIT;
	int j;

	if (argc < 3) {
		fprintf(stderr, "usage: jqdiff ITERATIONS SEED [SEED_FILE...]\n");
		return 2;
	}
	iters = atol(argv[1]);
	state = strtoull(argv[2], NULL, 0) | 1;
	nslots = (size_t)argc + sizeof builtin / sizeof builtin[0] + 2;
	seeds = xcalloc(nslots, sizeof *seeds);
	for (k = 0; k < sizeof builtin / sizeof builtin[0]; k++)
		buf_adds(&seeds[nseeds++], builtin[k]);
	/* Around jq's depth limit of 256, so that the depth class is exercised. */
	for (j = 250; j <= 260; j += 10, nseeds++) {
		for (k = 0; k < (size_t)j; k++)
			buf_adds(&seeds[nseeds], k % 2 ? "[" : "{\"a\":");
		buf_adds(&seeds[nseeds], "0");
		for (k = j; k-- > 0;)
			buf_addc(&seeds[nseeds], k % 2 ? ']' : '}');
	}
	for (j = 3; j < argc; j++) {
		FILE *f = fopen(argv[j], "rb");
		char tmp[4096];
		size_t n;
		if (f == NULL)
			continue;
		buf_adds(&seeds[nseeds], "");
		while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
			buf_add(&seeds[nseeds], tmp, n);
		fclose(f);
		if (seeds[nseeds].len <= 4096)	/* the deep-nesting files add little */
			nseeds++;
		else
			buf_reset(&seeds[nseeds]);
	}

	for (i = 0; i < iters; i++) {
		struct buf *s = &seeds[R(nseeds)];
		int m = (int)R(4), ours, c;

		buf_reset(&in);
		buf_add(&in, s->p, s->len);
		while (m-- > 0)
			mutate(&in, seeds, nseeds);
		ours = json_validate(in.p, in.len, NULL) == 0;
		c = jqdiff_check(in.p, in.len, ours);
		if (c == JD_AGREE && ours) {
			jv a, b;
			agree_acc++;
			buf_reset(&out);
			json_compact(in.p, in.len, &out, NULL);
			a = jv_parse_sized(in.p, (int)in.len);
			b = jv_parse_sized(out.p, (int)out.len);
			/* jv_equal frees both. */
			if (!jv_equal(a, b) && badcompact++ < 5)
				show("json_compact changed the value", &in);
		} else if (c == JD_AGREE)
			agree_rej++;
		else if (c >= 0)
			excused[c]++;
		else if (bad++ < 5)
			show(ours ? "json_validate accepts, jq rejects" : "json_validate rejects, jq accepts", &in);
	}
	printf("# %ld inputs: %ld both accept, %ld both reject; differences excused:",
	    iters, agree_acc, agree_rej);
	for (j = 0; j < JD_NCLASS; j++)
		printf(" %s %ld", jqdiff_class_name[j], excused[j]);
	printf("\n");
	if (badcompact)
		printf("not ok jqdiff compact: %ld compacted texts are another value to jq\n", badcompact);
	else
		printf("ok jqdiff compact: %ld compacted texts are the same value to jq\n", agree_acc);
	if (bad)
		printf("not ok jqdiff: %ld of %ld inputs differ from jq unexplained\n", bad, iters);
	else if (agree_acc < iters / 50 || agree_rej < iters / 50)
		printf("not ok jqdiff: too few accepted (%ld) or rejected (%ld) inputs to mean much\n",
		    agree_acc, agree_rej);
	else
		printf("ok jqdiff: json_validate agrees with jq on %ld of %ld mutated inputs, "
		    "the rest differ only as documented\n", agree_acc + agree_rej, iters);
	for (k = 0; k < nslots; k++)
		buf_free(&seeds[k]);
	free(seeds);
	buf_free(&in);
	buf_free(&out);
	return bad || badcompact;
}
