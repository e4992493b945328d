/*
 * JSON on a line's bytes: validation, compaction, lookup and writing.
 *
 * What json_validate accepts, decided case by case against JSONTestSuite's
 * implementation-defined (i_) inputs:
 *   - numbers of any size or precision (i_number_*): the grammar is all
 *     RFC 8259 asks for; the digits are kept, and only a conversion to
 *     double (num_parse_json) rounds, to +-HUGE_VAL or 0 when out of range;
 *   - \u escapes naming lone or inverted UTF-16 surrogates
 *     (i_string_1st_surrogate_but_2nd_missing, i_object_key_lone_2nd_surrogate
 *     and the like) are accepted, as the grammar allows any \uXXXX; decoding
 *     turns each unpaired surrogate into U+FFFD.  json_check_record, which
 *     decides what is a record, rejects them: jq does not read them back;
 *   - raw bytes that are not UTF-8 (invalid sequences, overlong forms,
 *     encoded surrogates ED A0 80, code points above U+10FFFF, truncated
 *     sequences, ISO Latin-1, UTF-16 text with or without a BOM) are
 *     rejected: RFC 8259 section 8.1 requires UTF-8;
 *   - a UTF-8 byte order mark is rejected (i_structure_UTF-8_BOM_empty_object):
 *     it is not JSON whitespace; a reader that wants to allow one at the
 *     start of a file strips it before calling us;
 *   - nesting up to JSON_MAX_DEPTH arrays and objects is accepted
 *     (i_structure_500_nested_arrays), deeper is rejected.  The scanner is
 *     iterative with a bit stack, so no input can exhaust the C stack.
 *
 * The lookups (json_value, json_step_*, json_iter_*) trust the bytes more:
 * they find where values end without checking what is inside them, which is
 * what makes reading one field of a long record cheap.  They never read
 * outside the given bounds, and return failure on anything they cannot
 * delimit.
 *
 * Keys are compared by their decoded text, so "a\u0062" is the key "ab".
 * When an object repeats a key the first occurrence wins: lookups stop at
 * the first match instead of scanning every record to its end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "buf.h"
#include "json.h"
#include "num.h"

typedef unsigned char uchar;

/* JSON whitespace: space, tab, LF, CR. */
static const uchar is_ws[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1,
};

/* Bytes that end a fast run inside a string: the quote, the backslash,
 * control characters and everything non-ASCII (checked as UTF-8). */
#define SPECIAL_ROW16 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
static const uchar str_special[256] = {
	SPECIAL_ROW16, SPECIAL_ROW16,			/* 0x00-0x1f */
	['"'] = 1, ['\\'] = 1,
	[0x80] = SPECIAL_ROW16, SPECIAL_ROW16, SPECIAL_ROW16, SPECIAL_ROW16,
	SPECIAL_ROW16, SPECIAL_ROW16, SPECIAL_ROW16, SPECIAL_ROW16,
};

/* Hex digit values plus one; 0 for anything else. */
static const uchar hexval1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/* What a one-letter escape stands for, by the letter after the backslash;
 * 0 for letters that are not one (u included). */
static const uchar one_letter[256] = {
	['"'] = '"', ['\\'] = '\\', ['/'] = '/', ['b'] = '\b',
	['f'] = '\f', ['n'] = '\n', ['r'] = '\r', ['t'] = '\t',
};

/* The value of 4 hex digits at s, or -1. */
static inline long
hex4(const uchar *s)
{
	unsigned a = hexval1[s[0]], b = hexval1[s[1]], c = hexval1[s[2]], d = hexval1[s[3]];

	if (!a || !b || !c || !d)
		return -1;
	return (a - 1) << 12 | (b - 1) << 8 | (c - 1) << 4 | (d - 1);
}

#ifdef __SSE2__
/* A bit for each of the sixteen bytes in x that str_special flags: a
 * signed compare with 0x20 catches both control bytes and bytes >= 0x80. */
static inline unsigned
special_bits(__m128i x)
{
	__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
	    _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))), _mm_cmplt_epi8(x, _mm_set1_epi8(0x20)));

	return (unsigned)_mm_movemask_epi8(m);
}
#endif

/*
 * The first byte at or after s that needs a closer look inside a string
 * (see str_special), or end; sixteen bytes at a time where there is room.
 */
static inline const uchar *
find_special(const uchar *s, const uchar *end)
{
#ifdef __SSE2__
	while (end - s >= 16) {
		unsigned bits = special_bits(_mm_loadu_si128((const __m128i *)s));
		if (bits)
			return s + __builtin_ctz(bits);
		s += 16;
	}
#endif
	while (s < end && !str_special[*s])
		s++;
	return s;
}

/*
 * The length of the well-formed UTF-8 sequence starting at s (s[0] >= 0x80),
 * or 0.  Well-formed as in RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF.
 */
static inline size_t
utf8_seq(const uchar *s, const uchar *end)
{
	uchar c = s[0], lo = 0x80, hi = 0xbf;

	if (c < 0xc2)
		return 0;
	if (c < 0xe0)
		return end - s >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c < 0xf0) {
		if (end - s < 3)
			return 0;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (c < 0xf5) {
		if (end - s < 4)
			return 0;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 &&
		    (s[3] & 0xc0) == 0x80 ? 4 : 0;
	}
	return 0;
}

int
utf8_validate(const char *p, size_t n, size_t *bad)
{
	const uchar *s = (const uchar *)p, *end = s + n;
	size_t k;

	for (;;) {
		/* ASCII runs eight bytes at a time. */
		while (end - s >= 8) {
			uint64_t w;
			memcpy(&w, s, 8);
			if (w & 0x8080808080808080ULL)
				break;
			s += 8;
		}
		while (s < end && *s < 0x80)
			s++;
		if (s == end)
			return 0;
		if ((k = utf8_seq(s, end)) == 0) {
			if (bad)
				*bad = s - (const uchar *)p;
			return -1;
		}
		s += k;
	}
}

/* Where a scan failed, and why. */
struct fail {
	const uchar *at;
	const char *msg;
};

static const uchar *
failed(struct fail *f, const uchar *at, const char *msg)
{
	f->at = at;
	f->msg = msg;
	return NULL;
}

#ifdef __SSE2__
/*
 * Settles the sixteen bytes at s, inside a string, from their bit masks
 * when every backslash among them stands alone and escapes one of
 * " / b f n r t in the same block: then a quote not after a backslash
 * closes the string.  Returns the number of bytes settled, the closing
 * quote included (*closed is then set), or 0 when the block needs the
 * byte-by-byte look: a control or non-ASCII byte before the close, a \u, a
 * run of backslashes, a backslash as the last byte.  JSON carried in a
 * string (a Kafka value) has an escape every few bytes, and this checks
 * them a block at a time.
 */
static inline size_t
string_block(const uchar *s, int *closed)
{
	__m128i x = _mm_loadu_si128((const __m128i *)s);
	__m128i qv = _mm_cmpeq_epi8(x, _mm_set1_epi8('"'));
	__m128i lv = _mm_or_si128(_mm_or_si128(qv, _mm_cmpeq_epi8(x, _mm_set1_epi8('/'))),
	    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('b')),
	    _mm_cmpeq_epi8(x, _mm_set1_epi8('f'))), _mm_or_si128(_mm_or_si128(
	    _mm_cmpeq_epi8(x, _mm_set1_epi8('n')), _mm_cmpeq_epi8(x, _mm_set1_epi8('r'))),
	    _mm_cmpeq_epi8(x, _mm_set1_epi8('t')))));
	unsigned b = _mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
	unsigned q = _mm_movemask_epi8(qv);
	unsigned odd = _mm_movemask_epi8(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)));
	unsigned letters = _mm_movemask_epi8(lv), escaped, before;

	if (b & (b << 1 | 0x8000))
		return 0;
	escaped = b << 1;
	q &= ~escaped;
	before = q ? (q & -q) - 1 : 0xffff;	/* the bytes before the close */
	if ((odd | (escaped & ~letters)) & before)
		return 0;
	*closed = q != 0;
	return q ? (size_t)__builtin_ctz(q) + 1 : 16;
}
#endif

/*
 * The rest of a string from s, a byte that find_special stopped at: just
 * past the closing quote, or NULL.  Out of line, as most strings end at
 * their first stop.
 */
static const uchar *
string_slow(const uchar *s, const uchar *end, struct fail *f, int strict)
{
	size_t k;
	long cp, lo;

	for (;;) {
		if (s == end)
			return failed(f, s, "unterminated string");
		if (*s == '"')
			return s + 1;
		if (*s == '\\') {
#ifdef __SSE2__
			int closed;

			if (end - s >= 16 && (k = string_block(s, &closed)) > 0) {
				if (closed)
					return s + k;
				s = find_special(s + k, end);
				continue;
			}
#endif
			if (end - s < 2)
				return failed(f, s, "unterminated string");
			if (one_letter[s[1]])
				s += 2;
			else if (s[1] != 'u')
				return failed(f, s, "bad escape in string");
			else if (end - s < 6 || (cp = hex4(s + 2)) < 0)
				return failed(f, s, "bad \\u escape in string");
			else if (!strict || (cp & 0xf800) != 0xd800)
				s += 6;
			else if (cp <= 0xdbff && end - s >= 12 && s[6] == '\\' &&
			    s[7] == 'u' && (lo = hex4(s + 8)) >= 0xdc00 && lo <= 0xdfff)
				s += 12;	/* a high and a low surrogate: a pair */
			else
				return failed(f, s, "unpaired UTF-16 surrogate escape in string");
		} else if (*s < 0x20) {
			return failed(f, s, "control character in string");
		} else {
			if ((k = utf8_seq(s, end)) == 0)
				return failed(f, s, "invalid UTF-8 in string");
			s += k;
		}
		s = find_special(s, end);
	}
}

/* The string whose opening quote is just before s: just past its closing
 * quote, or NULL.  strict: a \u escape of a surrogate must be half of a
 * pair. */
static inline __attribute__((always_inline)) const uchar *
scan_string(const uchar *s, const uchar *end, struct fail *f, int strict)
{
	s = find_special(s, end);
	if (s < end && *s == '"')
		return s + 1;
	return string_slow(s, end, f, strict);
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?  Just past it, or NULL. */
static inline __attribute__((always_inline)) const uchar *
scan_number(const uchar *s, const uchar *end, struct fail *f)
{
	if (*s == '-')
		s++;
	if (s == end || (unsigned)(*s - '0') > 9)
		return failed(f, s, "bad number");
	if (*s++ != '0')
		while (s < end && (unsigned)(*s - '0') <= 9)
			s++;
	else if (s < end && (unsigned)(*s - '0') <= 9)
		return failed(f, s - 1, "number with a leading zero");
	if (s < end && *s == '.') {
		s++;
		if (s == end || (unsigned)(*s - '0') > 9)
			return failed(f, s, "bad number");
		while (s < end && (unsigned)(*s - '0') <= 9)
			s++;
	}
	if (s < end && (*s | 0x20) == 'e') {
		s++;
		if (s < end && (*s == '+' || *s == '-'))
			s++;
		if (s == end || (unsigned)(*s - '0') > 9)
			return failed(f, s, "bad number");
		while (s < end && (unsigned)(*s - '0') <= 9)
			s++;
	}
	return s;
}

/*
 * Repeated keys, for json_check_record.  The keys of the objects open
 * around the scanner are entries on a stack in the caller's scratch
 * memory; an object's entries sit above a marker of two entries that
 * keeps the enclosing object's state.  Each key falls in one of 64
 * buckets by its decoded length and its first, middle and last decoded
 * bytes, and each object has a 64-bit mask of the buckets of its keys:
 * only a key whose bucket is already in the mask is compared, and only
 * with the keys of its bucket, so most records cost a bit test per key
 * (keys of one length, as f01 f02 ... f12, fall in different buckets).
 * An object with more than KEYS_LINEAR keys is sorted when it closes
 * instead, so that no object costs the square of its size.  Keys compare
 * by their decoded text: "a" and "\u0061" are the same key.
 *
 * The scanner keeps the stack's state in a struct keys of its own, handed
 * only to inline functions, so that the compiler keeps it in registers.
 */
#define KEYS_LINEAR 16

struct key_entry {
	const uchar *p;		/* the bytes between the quotes; NULL in a marker */
	size_t tag;		/* their length << 8 | bucket << 1 | 1 if escaped;
				 * in a marker, the enclosing object's base, then mask */
};

#define TAG_LEN(tag) ((tag) >> 8)
#define TAG_BUCKET(tag) ((tag) >> 1 & 63)
#define TAG_ESCAPED(tag) ((tag) & 1)

struct keys {
	struct key_entry *e;	/* in mem */
	size_t n, cap;		/* entries in use, and room */
	size_t base;		/* the current object's first entry */
	uint64_t mask;		/* bit i: a key of the current object is in bucket i */
	struct buf *mem;
	int repeats;		/* a key repeated: tracking stops there */
};

static inline int unescape(const uchar **sp, const uchar *end, uchar out[4]);

/* Decoded bytes of a string's inside, one at a time. */
struct decoder {
	const uchar *s, *end;
	uchar u[4];
	int k, i;
};

/* The next decoded byte, or -1 at the end. */
static int
decoder_next(struct decoder *d)
{
	if (d->i == d->k) {
		if (d->s == d->end)
			return -1;
		d->i = 0;
		if (*d->s != '\\') {
			d->u[0] = *d->s++;
			d->k = 1;
		} else if ((d->k = unescape(&d->s, d->end, d->u)) < 0) {
			d->s = d->end;
			d->k = 0;
			return -1;
		}
	}
	return d->u[d->i++];
}

/* The bucket of a key of len decoded bytes, first, middle (at len / 2)
 * and last of them as given (0 for the empty key). */
static inline unsigned
key_bucket(size_t len, unsigned first, unsigned middle, unsigned last)
{
	uint64_t x = len ^ first << 8 ^ middle << 16 ^ (uint64_t)last << 24;

	return (x * 0x9e3779b97f4a7c15ULL) >> 58;
}

static inline unsigned
plain_bucket(const uchar *p, size_t len)
{
	return len ? key_bucket(len, p[0], p[len / 2], p[len - 1]) : key_bucket(0, 0, 0, 0);
}

/* The bucket of the key with escapes p[0..n), from its decoded bytes:
 * one pass for the length, one for the bytes. */
static unsigned
escaped_bucket(const uchar *p, size_t n)
{
	struct decoder d = { p, p + n, {0}, 0, 0 };
	size_t len = 0, i;
	unsigned first = 0, middle = 0, last = 0;
	int c;

	while (decoder_next(&d) >= 0)
		len++;
	d = (struct decoder){ p, p + n, {0}, 0, 0 };
	for (i = 0; (c = decoder_next(&d)) >= 0; i++) {
		if (i == 0)
			first = c;
		if (i == len / 2)
			middle = c;
		last = c;
	}
	return key_bucket(len, first, middle, last);
}

/* Two keys in the order of their decoded bytes: <0, 0 or >0. */
static int
key_cmp(const struct key_entry *a, const struct key_entry *b)
{
	size_t an = TAG_LEN(a->tag), bn = TAG_LEN(b->tag);

	if (!TAG_ESCAPED(a->tag | b->tag)) {
		int c = memcmp(a->p, b->p, an < bn ? an : bn);

		return c ? c : (an > bn) - (an < bn);
	}
	struct decoder x = { a->p, a->p + an, {0}, 0, 0 };
	struct decoder y = { b->p, b->p + bn, {0}, 0, 0 };
	int cx, cy;

	do {
		cx = decoder_next(&x);
		cy = decoder_next(&y);
	} while (cx == cy && cx >= 0);
	return cx - cy;
}

static int
key_sort_cmp(const void *a, const void *b)
{
	return key_cmp(a, b);
}

/* Does one of the n keys at e repeat?  Sorts them so that equal ones are
 * neighbours. */
static int
keys_repeat_sorted(struct key_entry *e, size_t n)
{
	size_t i;

	qsort(e, n, sizeof *e, key_sort_cmp);
	for (i = 1; i < n; i++)
		if (key_cmp(&e[i], &e[i - 1]) == 0)
			return 1;
	return 0;
}

/* Is key k among the n keys at e?  Keys of another bucket are not, nor
 * plain keys of another length. */
static int
keys_find(const struct key_entry *e, size_t n, const struct key_entry *k)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (TAG_BUCKET(e[i].tag) == TAG_BUCKET(k->tag) &&
		    (e[i].tag == k->tag || TAG_ESCAPED(e[i].tag | k->tag)) && key_cmp(&e[i], k) == 0)
			return 1;
	return 0;
}

/* How many entries mem has room for (its last byte is buf's NUL). */
static inline size_t
keys_room(const struct buf *mem)
{
	return mem->cap ? (mem->cap - 1) / sizeof(struct key_entry) : 0;
}

/* Room for more entries in mem, which holds cap of them: the new room. */
static size_t
keys_grow(struct buf *mem, size_t cap)
{
	buf_grow(mem, (2 * cap + 64) * sizeof(struct key_entry));
	return keys_room(mem);
}

static inline __attribute__((always_inline)) void
keys_push(struct keys *ks, const uchar *p, size_t tag)
{
	if (ks->n == ks->cap) {
		ks->cap = keys_grow(ks->mem, ks->cap);
		ks->e = (struct key_entry *)ks->mem->p;
	}
	ks->e[ks->n].p = p;
	ks->e[ks->n].tag = tag;
	ks->n++;
}

/* An object opens. */
static inline __attribute__((always_inline)) void
keys_open(struct keys *ks)
{
	keys_push(ks, NULL, ks->base);
	keys_push(ks, NULL, ks->mask);
	ks->base = ks->n;
	ks->mask = 0;
}

/* The key p[0..len) of the current object. */
static inline __attribute__((always_inline)) void
keys_add(struct keys *ks, const uchar *p, size_t len, int escaped)
{
	unsigned bucket = escaped ? escaped_bucket(p, len) : plain_bucket(p, len);
	struct key_entry k = { p, len << 8 | bucket << 1 | escaped };
	uint64_t bit = 1ULL << bucket;

	if ((ks->mask & bit) && ks->n - ks->base < KEYS_LINEAR &&
	    keys_find(ks->e + ks->base, ks->n - ks->base, &k)) {
		ks->repeats = 1;
		return;
	}
	ks->mask |= bit;
	keys_push(ks, p, k.tag);
}

/* The current object closes. */
static inline __attribute__((always_inline)) void
keys_close(struct keys *ks)
{
	if (ks->n - ks->base > KEYS_LINEAR && keys_repeat_sorted(ks->e + ks->base, ks->n - ks->base))
		ks->repeats = 1;
	ks->n = ks->base - 2;
	ks->base = ks->e[ks->n].tag;
	ks->mask = ks->e[ks->n + 1].tag;
}

/*
 * The members of the outermost object, gathered by the scanner into an
 * array in a buffer.  The scanner keeps where the array is in variables of
 * its own (struct members_at), handed only to inline functions, so that
 * they stay in registers.
 */
struct members_at {
	struct json_member *base, *next, *end;
};

/* Room for at least one more member after the used ones. */
static void
members_grow(struct buf *mem, struct members_at *at)
{
	size_t used = at->next - at->base;

	mem->len = used * sizeof *at->base;
	buf_grow(mem, 16 * sizeof *at->base);
	at->base = (struct json_member *)mem->p;
	at->next = at->base + used;
	at->end = at->base + (mem->cap - 1) / sizeof *at->base;
}

/* The member whose key is the slice k..kend and value v..vend. */
static inline __attribute__((always_inline)) void
member_add(struct buf *mem, struct members_at *at, const uchar *k, const uchar *kend,
    const uchar *v, const uchar *vend)
{
	struct json_member *m;

	if (at->next == at->end)
		members_grow(mem, at);
	m = at->next++;
	m->key.type = JSON_STRING;
	m->key.p = (const char *)k;
	m->key.len = kend - k;
	m->val.type = json_type_at(*v);
	m->val.p = (const char *)v;
	m->val.len = vend - v;
}

/*
 * The validator, and the compactor when out is not NULL: out then has room
 * for n bytes and receives everything but the whitespace between tokens,
 * copied in runs.  Returns the compacted length, or -1 with *err.  With
 * repeats, the record checks of json_check_record as well: surrogate
 * escapes must pair up, and *repeats is set when an object repeats a key
 * (keymem is the key stack's memory).  With members, the members of the
 * outermost object are appended to it (struct json_member).
 */
static inline __attribute__((always_inline)) long
scan_core(const char *text, size_t n, char *out, struct json_error *err, struct buf *keymem,
    int *repeats, struct buf *members)
{
	const uchar *key_at = NULL, *mkey = NULL, *mkey_end = NULL, *mval = NULL;
	struct members_at mat = { NULL, NULL, NULL };

	/* Tracking keys is decided by repeats, which callers pass as a
	 * constant NULL or the address of a variable, so that each copy of
	 * the scanner knows which it is. */
	struct keys keys = { repeats ? (struct key_entry *)keymem->p : NULL, 0,
		repeats ? keys_room(keymem) : 0, 0, 0, keymem, 0 };
	struct keys *ks = repeats ? &keys : NULL;
	const uchar *s = (const uchar *)text, *end = s + n, *seg = s;
	char *o = out;
	uint64_t is_obj[(JSON_MAX_DEPTH + 63) / 64];
	int depth = 0;
	const char *msg;
	struct fail f;

	if (members && members->cap > sizeof *mat.base) {
		mat.base = mat.next = (struct json_member *)members->p;
		mat.end = mat.base + (members->cap - 1) / sizeof *mat.base;
	}

/* Skip whitespace; when compacting, copy the run before it. */
#define SKIP_WS() do {							\
	if (s < end && is_ws[*s]) {					\
		const uchar *w_ = s;					\
		do s++; while (s < end && is_ws[*s]);			\
		if (o) {						\
			memcpy(o, seg, w_ - seg);			\
			o += w_ - seg;					\
			seg = s;					\
		}							\
	}								\
} while (0)

/* Is the innermost open container an object? */
#define IS_OBJ() (is_obj[(depth - 1) / 64] >> ((depth - 1) % 64) & 1)

value:
	SKIP_WS();
	if (s == end) {
		msg = depth ? "unexpected end of text" : "no value";
		goto fail;
	}
	if (members && depth == 1 && (is_obj[0] & 1))
		mval = s;
	switch (*s) {
	case '{':
	case '[':
		if (depth == JSON_MAX_DEPTH) {
			msg = "nested too deeply";
			goto fail;
		}
		if (*s == '{')
			is_obj[depth / 64] |= 1ULL << (depth % 64);
		else
			is_obj[depth / 64] &= ~(1ULL << (depth % 64));
		depth++;
		s++;
		SKIP_WS();
		if (s < end && *s == (IS_OBJ() ? '}' : ']')) {	/* empty */
			depth--;
			s++;
			goto after;
		}
		if (IS_OBJ()) {
			if (ks && !ks->repeats)
				keys_open(ks);
			goto key;
		}
		goto value;
	case '"':
		if ((s = scan_string(s + 1, end, &f, ks != NULL)) == NULL)
			goto failed;
		goto after;
	case 't':
		if (end - s >= 4 && memcmp(s, "true", 4) == 0) {
			s += 4;
			goto after;
		}
		msg = "bad literal";
		goto fail;
	case 'f':
		if (end - s >= 5 && memcmp(s, "false", 5) == 0) {
			s += 5;
			goto after;
		}
		msg = "bad literal";
		goto fail;
	case 'n':
		if (end - s >= 4 && memcmp(s, "null", 4) == 0) {
			s += 4;
			goto after;
		}
		msg = "bad literal";
		goto fail;
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		if ((s = scan_number(s, end, &f)) == NULL)
			goto failed;
		goto after;
	default:
		msg = "unexpected character";
		goto fail;
	}

key:	/* whitespace already skipped */
	if (s == end || *s != '"') {
		msg = s == end ? "unexpected end of text" : "expected a string key";
		goto fail;
	}
	key_at = s;
	if (ks) {
		const uchar *k = s + 1, *q = find_special(k, end);
		int escaped = 0;

		if (q < end && *q == '"') {
			s = q + 1;
		} else {
			if ((s = string_slow(q, end, &f, 1)) == NULL)
				goto failed;
			escaped = memchr(k, '\\', s - 1 - k) != NULL;
		}
		if (!ks->repeats)
			keys_add(ks, k, s - 1 - k, escaped);
	} else if ((s = scan_string(s + 1, end, &f, 0)) == NULL) {
		goto failed;
	}
	if (members && depth == 1) {
		mkey = key_at;
		mkey_end = s;
	}
	SKIP_WS();
	if (s == end || *s != ':') {
		msg = s == end ? "unexpected end of text" : "expected ':'";
		goto fail;
	}
	s++;
	goto value;

after:
	if (members && depth == 1 && (is_obj[0] & 1))
		member_add(members, &mat, mkey, mkey_end, mval, s);
	SKIP_WS();
	if (depth == 0) {
		if (s != end) {
			msg = "trailing characters after the JSON text";
			goto fail;
		}
		if (o) {
			memcpy(o, seg, s - seg);
			o += s - seg;
		}
		if (ks)
			*repeats = ks->repeats;
		if (members)
			members->len = (char *)mat.next - (char *)mat.base;
		return o ? o - out : 0;
	}
	if (s == end) {
		msg = "unexpected end of text";
		goto fail;
	}
	if (IS_OBJ()) {
		if (*s == ',') {
			s++;
			SKIP_WS();
			goto key;
		}
		if (*s == '}') {
			s++;
			depth--;
			if (ks && !ks->repeats)
				keys_close(ks);
			goto after;
		}
		msg = "expected ',' or '}'";
	} else {
		if (*s == ',') {
			s++;
			goto value;
		}
		if (*s == ']') {
			s++;
			depth--;
			goto after;
		}
		msg = "expected ',' or ']'";
	}
fail:
	f.at = s;
	f.msg = msg;
failed:
	if (err) {
		err->offset = f.at - (const uchar *)text;
		err->msg = f.msg;
	}
	return -1;
#undef SKIP_WS
#undef IS_OBJ
}

static long
scan(const char *text, size_t n, char *out, struct json_error *err)
{
	return scan_core(text, n, out, err, NULL, NULL, NULL);
}

int
json_validate(const char *p, size_t n, struct json_error *err)
{
	return scan(p, n, NULL, err) < 0 ? -1 : 0;
}

int
json_compact(const char *p, size_t n, struct buf *out, struct json_error *err)
{
	long len;

	buf_grow(out, n);
	if ((len = scan(p, n, out->p + out->len, err)) < 0) {
		out->p[out->len] = '\0';
		return -1;
	}
	out->len += len;
	out->p[out->len] = '\0';
	return 0;
}

/* Is there a '{' or a '[' in s..end?  The two differ only in bit 0x20. */
static inline int
has_bracket(const uchar *s, const uchar *end)
{
#ifdef __SSE2__
	const __m128i brace = _mm_set1_epi8('{'), bit = _mm_set1_epi8(0x20);

	if (end - s >= 16) {
		for (; end - s > 16; s += 16)
			if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_or_si128(
			    _mm_loadu_si128((const __m128i *)s), bit), brace)))
				return 1;
		/* the last sixteen bytes, overlapping those already seen */
		return _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_or_si128(
		    _mm_loadu_si128((const __m128i *)(end - 16)), bit), brace)) != 0;
	}
#endif
	for (; s < end; s++)
		if ((*s | 0x20) == '{')
			return 1;
	return 0;
}

/*
 * The common record, a flat object written without white space, checked
 * by a loop of its own: no nesting to track, and its keys (at most
 * FLAT_KEYS, none with an escape) kept in registers and on the C stack
 * instead of the key stack.  1 when text[0..n) is such an object, valid
 * and without a repeated key (members, if not NULL, then lists its
 * members); 0 when anything else is met (white space, a nested value,
 * an escaped or repeated key, an error, more keys), and the general
 * scanner must decide from the start.
 */
#define FLAT_KEYS 16

static inline __attribute__((always_inline)) int
flat_record(const char *text, size_t n, struct buf *members)
{
	const uchar *s = (const uchar *)text, *end = s + n, *k, *v;
	struct {
		const uchar *p;
		size_t len;
	} key[FLAT_KEYS];
	struct members_at mat = { NULL, NULL, NULL };
	uint64_t mask = 0, bit;
	size_t nkeys = 0, klen, i;
	struct fail f;

	if (members && members->cap > sizeof *mat.base) {
		mat.base = mat.next = (struct json_member *)members->p;
		mat.end = mat.base + (members->cap - 1) / sizeof *mat.base;
	}
	/* A bracket past the first byte is most often a nested value, and
	 * the general scanner would then do this loop's work again. */
	if (n < 2 || *s != '{' || s[1] == '}' || has_bracket(s + 1, end))
		return 0;
	s++;
	for (;;) {
		if (s == end || *s != '"' || nkeys == FLAT_KEYS)
			return 0;
		k = s;
		s = find_special(s + 1, end);
		if (s == end || *s != '"')
			return 0;
		klen = s - (k + 1);
		/* a bucket from the length and the bytes next to the quotes:
		 * only keys of one bucket are compared */
		bit = 1ULL << ((klen * 7 + k[1] + 3 * k[klen]) & 63);
		if (mask & bit)
			for (i = 0; i < nkeys; i++)
				if (key[i].len == klen && memcmp(key[i].p, k + 1, klen) == 0)
					return 0;
		mask |= bit;
		key[nkeys].p = k + 1;
		key[nkeys++].len = klen;
		if (++s == end || *s != ':' || ++s == end)
			return 0;
		v = s;
		if (*s == '"')		/* the usual values first */
			s = scan_string(s + 1, end, &f, 1);
		else if ((unsigned)(*s - '0') <= 9 || *s == '-')
			s = scan_number(s, end, &f);
		else switch (*s) {
		case 't':
			s = end - s >= 4 && memcmp(s, "true", 4) == 0 ? s + 4 : NULL;
			break;
		case 'f':
			s = end - s >= 5 && memcmp(s, "false", 5) == 0 ? s + 5 : NULL;
			break;
		case 'n':
			s = end - s >= 4 && memcmp(s, "null", 4) == 0 ? s + 4 : NULL;
			break;
		default:
			return 0;
		}
		if (s == NULL || s == end)
			return 0;
		if (members)
			member_add(members, &mat, k, k + klen + 2, v, s);
		if (*s == '}')
			break;
		if (*s++ != ',')
			return 0;
	}
	if (s + 1 != end)
		return 0;
	if (members)
		members->len = (char *)mat.next - (char *)mat.base;
	return 1;
}

int
json_check_record(const char *p, size_t n, struct buf *out, struct buf *scratch,
    struct buf *members, struct json_error *err)
{
	char *o = NULL;
	int repeats = 0;
	long len;

	if (out) {
		buf_grow(out, n);
		o = out->p + out->len;
	}
	if (members ? flat_record(p, n, members) : flat_record(p, n, NULL)) {
		if (out) {
			memcpy(o, p, n);
			out->len += n;
			out->p[out->len] = '\0';
		}
		return 0;
	}
	/* A copy of the scanner for each: collecting members or not. */
	if (members) {
		buf_reset(members);
		len = scan_core(p, n, o, err, scratch, &repeats, members);
	} else {
		len = scan_core(p, n, o, err, scratch, &repeats, NULL);
	}
	if (out) {
		if (len > 0)
			out->len += len;
		out->p[out->len] = '\0';
	}
	return len < 0 ? -1 : repeats;
}

/*
 * Just past the string whose opening quote is at s, or NULL.  Sixteen bytes
 * at a time: a quote right after a lone backslash is escaped, so a block
 * whose backslashes stand alone, none of them its last byte, is settled
 * from its bit masks.  That matters for JSON carried inside a string
 * ("{\"a\":\"b\"}", a Kafka value), with an escape every few bytes.  A run
 * of backslashes, or one that escapes the next block, is stepped over one
 * escape at a time.
 */
static inline const uchar *
skip_string(const uchar *s, const uchar *end)
{
	s++;
	for (;;) {
#ifdef __SSE2__
		const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');

		while (end - s >= 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)s);
			unsigned q = _mm_movemask_epi8(_mm_cmpeq_epi8(x, quote));
			unsigned b = _mm_movemask_epi8(_mm_cmpeq_epi8(x, bslash));

			if (b & (b << 1 | 0x8000))
				break;
			q &= ~(b << 1);
			if (q)
				return s + __builtin_ctz(q) + 1;
			s += 16;
		}
#endif
		while (s < end && *s != '"' && *s != '\\')
			s++;
		if (s == end)
			return NULL;
		if (*s == '"')
			return s + 1;
		if (end - s < 2)
			return NULL;
		s += 2;
	}
}

/*
 * Just past the array or object opening at s, or NULL: brackets are
 * counted outside strings, their kinds not matched.
 *
 * Sixteen bytes at a time: the running parity of the quotes (a prefix XOR
 * of their bit mask) says which bytes are inside strings, and the brackets
 * outside them are counted from bit masks.  A block with a backslash goes
 * byte by byte, as an escaped quote does not count, and so does the tail.
 */
static const uchar *
skip_container(const uchar *s, const uchar *end)
{
	const uchar *stop;
	size_t depth = 0;
	unsigned in_str = 0;	/* 0xffff while inside a string */
	uchar c;

	for (;;) {
#ifdef __SSE2__
		/* c | 0x20 folds '[' onto '{' and ']' onto '}'. */
		const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
		const __m128i open = _mm_set1_epi8('{'), close = _mm_set1_epi8('}');
		const __m128i fold = _mm_set1_epi8(0x20);

		while (end - s >= 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)s);
			__m128i f = _mm_or_si128(x, fold);
			unsigned q, o, cl, inside, bit;

			if (_mm_movemask_epi8(_mm_cmpeq_epi8(x, bslash)))
				break;
			q = _mm_movemask_epi8(_mm_cmpeq_epi8(x, quote));
			o = _mm_movemask_epi8(_mm_cmpeq_epi8(f, open));
			cl = _mm_movemask_epi8(_mm_cmpeq_epi8(f, close));
			inside = q ^ q << 1;
			inside ^= inside << 2;
			inside ^= inside << 4;
			inside ^= inside << 8;
			inside = (inside ^ in_str) & 0xffff;
			in_str = inside & 0x8000 ? 0xffff : 0;
			o &= ~inside;
			cl &= ~inside;
			while (o | cl) {
				bit = (o | cl) & -(o | cl);
				if (o & bit) {
					depth++;
				} else {
					if (depth == 0)
						return NULL;
					if (--depth == 0)
						return s + __builtin_ctz(bit) + 1;
				}
				o &= ~bit;
				cl &= ~bit;
			}
			s += 16;
		}
#endif
		/* Byte by byte: a block with a backslash, or the tail. */
		stop = end - s > 16 ? s + 16 : end;
		while (s < stop) {
			c = *s++;
			if (in_str) {
				if (c == '"')
					in_str = 0;
				else if (c == '\\') {
					if (s == end)
						return NULL;
					s++;	/* the escaped byte */
				}
			} else if (c == '"') {
				in_str = 0xffff;
			} else if ((c | 0x20) == '{') {
				depth++;
			} else if ((c | 0x20) == '}') {
				if (depth == 0)
					return NULL;
				if (--depth == 0)
					return s;
			}
		}
		if (s >= end)
			return NULL;
	}
}

static inline const uchar *
skip_ws(const uchar *s, const uchar *end)
{
	while (s < end && is_ws[*s])
		s++;
	return s;
}

const char *
json_value(const char *p, const char *end, struct json_val *v)
{
	const uchar *s = skip_ws((const uchar *)p, (const uchar *)end);
	const uchar *e = (const uchar *)end, *q = NULL;
	struct fail f;
	enum json_type t = JSON_NONE;

	if (s < e) {
		switch (*s) {
		case '"':
			q = skip_string(s, e);
			t = JSON_STRING;
			break;
		case '{':
			q = skip_container(s, e);
			t = JSON_OBJECT;
			break;
		case '[':
			q = skip_container(s, e);
			t = JSON_ARRAY;
			break;
		case 't':
			if (e - s >= 4 && memcmp(s, "true", 4) == 0)
				q = s + 4, t = JSON_TRUE;
			break;
		case 'f':
			if (e - s >= 5 && memcmp(s, "false", 5) == 0)
				q = s + 5, t = JSON_FALSE;
			break;
		case 'n':
			if (e - s >= 4 && memcmp(s, "null", 4) == 0)
				q = s + 4, t = JSON_NULL;
			break;
		case '-': case '0': case '1': case '2': case '3': case '4':
		case '5': case '6': case '7': case '8': case '9':
			q = scan_number(s, e, &f);
			t = JSON_NUMBER;
			break;
		}
	}
	if (q == NULL) {
		v->type = JSON_NONE;
		v->p = NULL;
		v->len = 0;
		return NULL;
	}
	v->type = t;
	v->p = (const char *)s;
	v->len = q - s;
	return (const char *)q;
}

/* The \uXXXX escape at s, for unescape. */
static int
unescape_u(const uchar **sp, const uchar *end, uchar out[4])
{
	const uchar *s = *sp;
	long cp, lo;

	if (end - s < 6 || s[1] != 'u' || (cp = hex4(s + 2)) < 0)
		return -1;
	s += 6;
	if (cp >= 0xd800 && cp <= 0xdbff && end - s >= 6 && s[0] == '\\' &&
	    s[1] == 'u' && (lo = hex4(s + 2)) >= 0xdc00 && lo <= 0xdfff) {
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		s += 6;
	} else if (cp >= 0xd800 && cp <= 0xdfff)
		cp = 0xfffd;
	*sp = s;
	if (cp < 0x80) {
		out[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = 0xc0 | cp >> 6;
		out[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = 0xe0 | cp >> 12;
		out[1] = 0x80 | (cp >> 6 & 0x3f);
		out[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	out[0] = 0xf0 | cp >> 18;
	out[1] = 0x80 | (cp >> 12 & 0x3f);
	out[2] = 0x80 | (cp >> 6 & 0x3f);
	out[3] = 0x80 | (cp & 0x3f);
	return 4;
}

/*
 * Decode the escape at s (a backslash) into UTF-8 at out; *sp moves past
 * it.  Returns the number of bytes, or -1.  A surrogate pair written as two
 * escapes is one code point; an unpaired surrogate becomes U+FFFD.  The
 * one-letter escapes, a JSON text's quotes inside a string most of all, are
 * decoded inline.
 */
static inline int
unescape(const uchar **sp, const uchar *end, uchar out[4])
{
	const uchar *s = *sp;

	if (end - s >= 2 && one_letter[s[1]]) {
		out[0] = one_letter[s[1]];
		*sp = s + 2;
		return 1;
	}
	return unescape_u(sp, end, out);
}

int
json_string_decode(struct json_val v, struct buf *out)
{
	const uchar *s, *end, *q;
	uchar *w;
	int k;

	if (v.type != JSON_STRING || v.len < 2)
		return -1;
	s = (const uchar *)v.p + 1;
	end = (const uchar *)v.p + v.len - 1;
	/* No escape decodes to more bytes than it takes (\uXXXX to at most
	 * three, a surrogate pair's twelve to four), so one reservation
	 * covers the whole string and the runs are copied straight in: the
	 * writer never passes the reader, and sixteen bytes may be stored
	 * ahead while sixteen remain to be read. */
	buf_grow(out, end - s);
	w = (uchar *)out->p + out->len;
	for (;;) {
		q = NULL;
#ifdef __SSE2__
		const __m128i bslash = _mm_set1_epi8('\\');

		while (end - s >= 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)s);
			unsigned b = _mm_movemask_epi8(_mm_cmpeq_epi8(x, bslash));

			_mm_storeu_si128((__m128i *)w, x);
			if (b) {	/* the bytes before it are in place */
				w += __builtin_ctz(b);
				q = s += __builtin_ctz(b);
				break;
			}
			s += 16, w += 16;
		}
#endif
		if (q == NULL) {	/* the last few bytes */
			if ((q = memchr(s, '\\', end - s)) == NULL)
				q = end;
			memcpy(w, s, q - s);
			w += q - s;
			if (q == end)
				break;
			s = q;
		}
		if ((k = unescape(&s, end, w)) < 0) {
			out->p[out->len] = '\0';
			return -1;
		}
		w += k;
	}
	*w = '\0';
	out->len = (char *)w - out->p;
	return 0;
}

int
json_string_eq(struct json_val v, const char *text, size_t n)
{
	const uchar *s, *end, *t = (const uchar *)text, *tend = t + n;
	uchar u[4];
	int k;

	if (v.type != JSON_STRING || v.len < 2)
		return 0;
	s = (const uchar *)v.p + 1;
	end = (const uchar *)v.p + v.len - 1;
	/* An escape is never shorter than what it stands for. */
	if ((size_t)(end - s) < n)
		return 0;
	if (memchr(s, '\\', end - s) == NULL)
		return (size_t)(end - s) == n && memcmp(s, text, n) == 0;
	while (s < end) {
		if (*s != '\\') {
			if (t == tend || *t != *s)
				return 0;
			s++, t++;
			continue;
		}
		if ((k = unescape(&s, end, u)) < 0 || tend - t < k || memcmp(t, u, k) != 0)
			return 0;
		t += k;
	}
	return t == tend;
}

/* Is the string slice s..end-1 (quotes included) the key? */
static inline int
key_eq(const uchar *s, const uchar *end, const char *key, size_t keylen)
{
	struct json_val v = { JSON_STRING, (const char *)s, end - s };
	size_t n = end - s - 2;

	/* The common case, decided without looking for escapes: a key of
	 * another length that does not contain one.  Escapes are never
	 * shorter than the text they stand for. */
	if (n < keylen)
		return 0;
	if (n == keylen && memcmp(s + 1, key, keylen) != 0 && memchr(s + 1, '\\', n) == NULL)
		return 0;
	return json_string_eq(v, key, keylen);
}

/*
 * Within the object at s, move *sp to the value of member key.
 * 1 found, 0 missing, -1 malformed.
 */
static int
find_member(const uchar **sp, const uchar *end, const char *key, size_t keylen)
{
	const uchar *s = *sp + 1, *k;
	struct json_val v;

	s = skip_ws(s, end);
	if (s < end && *s == '}')
		return 0;
	for (;;) {
		if (s == end || *s != '"' || (k = skip_string(s, end)) == NULL)
			return -1;
		int match = key_eq(s, k, key, keylen);
		s = skip_ws(k, end);
		if (s == end || *s != ':')
			return -1;
		s = skip_ws(s + 1, end);
		if (match) {
			*sp = s;
			return 1;
		}
		if ((s = (const uchar *)json_value((const char *)s, (const char *)end, &v)) == NULL)
			return -1;
		s = skip_ws(s, end);
		if (s == end)
			return -1;
		if (*s == '}')
			return 0;
		if (*s != ',')
			return -1;
		s = skip_ws(s + 1, end);
	}
}

/*
 * Within the array at s, move *sp to element i (counting from 0), or count
 * the elements when i < 0 (*count).  1 found, 0 missing, -1 malformed.
 */
static int
find_index(const uchar **sp, const uchar *end, long i, long *count)
{
	const uchar *s = skip_ws(*sp + 1, end);
	struct json_val v;
	long at = 0;

	if (s < end && *s == ']')
		goto done;
	for (;; at++) {
		if (at == i) {
			*sp = s;
			return 1;
		}
		if ((s = (const uchar *)json_value((const char *)s, (const char *)end, &v)) == NULL)
			return -1;
		s = skip_ws(s, end);
		if (s == end)
			return -1;
		if (*s == ']') {
			at++;
			break;
		}
		if (*s != ',')
			return -1;
		s = skip_ws(s + 1, end);
	}
done:
	if (count)
		*count = at;
	return 0;
}

/* *sp is at a value that is not the container a step needs: the path is
 * missing there, unless the value is garbage. */
static int
not_container(const uchar *s, const uchar *end)
{
	struct json_val v;

	return json_value((const char *)s, (const char *)end, &v) ? 0 : -1;
}

int
json_step_key(const char **p, const char *end, const char *key, size_t keylen)
{
	const uchar *s = skip_ws((const uchar *)*p, (const uchar *)end);
	int r;

	if (s == (const uchar *)end)
		return -1;
	if (*s != '{')
		return not_container(s, (const uchar *)end);
	if ((r = find_member(&s, (const uchar *)end, key, keylen)) == 1)
		*p = (const char *)s;
	return r;
}

int
json_step_index(const char **p, const char *end, long i)
{
	const uchar *s = skip_ws((const uchar *)*p, (const uchar *)end);
	long count;
	int r;

	if (s == (const uchar *)end)
		return -1;
	if (*s != '[')
		return not_container(s, (const uchar *)end);
	if (i < 0) {
		const uchar *t = s;
		if (find_index(&t, (const uchar *)end, -1, &count) < 0)
			return -1;
		if ((i += count) < 0)
			return 0;
	}
	if ((r = find_index(&s, (const uchar *)end, i, NULL)) == 1)
		*p = (const char *)s;
	return r;
}

void
json_spans(const char *p, size_t n, struct buf *spans)
{
	const uchar *s = (const uchar *)p, *end = s + n;
	size_t *open = NULL, depth = 0, cap = 0;
	struct json_span *sp;

	buf_reset(spans);
	for (; s < end; s++) {
		if (*s == '"') {	/* valid text: every string closes */
			for (s++; s < end && *s != '"'; s++)
				if (*s == '\\')
					s++;
		} else if (*s == '{' || *s == '[') {
			if (depth == cap) {
				cap = cap ? 2 * cap : 64;
				open = xrealloc(open, cap * sizeof *open);
			}
			open[depth++] = spans->len / sizeof *sp;
			buf_grow(spans, sizeof *sp);
			sp = (struct json_span *)(spans->p + spans->len);
			sp->open = (const char *)s;
			sp->close = NULL;
			spans->len += sizeof *sp;
		} else if ((*s == '}' || *s == ']') && depth > 0) {
			sp = (struct json_span *)spans->p + open[--depth];
			sp->close = (const char *)s + 1;
		}
	}
	free(open);
}

void
json_iter_spans(struct json_iter *it, const struct buf *spans)
{
	it->spans = (const struct json_span *)spans->p;
	it->nspans = spans->len / sizeof *it->spans;
}

/* The span that opens at p, or NULL. */
static const struct json_span *
span_at(const struct json_span *sp, size_t n, const char *p)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sp[mid].open < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && sp[lo].open == p && sp[lo].close ? &sp[lo] : NULL;
}

/* The value at p as json_value finds it, containers through the
 * iterator's spans when it has them. */
static const char *
iter_value(const struct json_iter *it, const char *p, const char *end, struct json_val *v)
{
	const struct json_span *sp;

	if (it->spans) {
		p = (const char *)skip_ws((const uchar *)p, (const uchar *)end);
		if (p < end && (*p == '{' || *p == '[') &&
		    (sp = span_at(it->spans, it->nspans, p)) != NULL && sp->close <= end) {
			v->type = *p == '{' ? JSON_OBJECT : JSON_ARRAY;
			v->p = p;
			v->len = sp->close - p;
			return sp->close;
		}
	}
	return json_value(p, end, v);
}

int
json_iter_init(struct json_iter *it, struct json_val c)
{
	if ((c.type != JSON_OBJECT && c.type != JSON_ARRAY) || c.len < 2)
		return -1;
	it->p = c.p + 1;
	it->end = c.p + c.len;
	it->is_object = c.type == JSON_OBJECT;
	it->first = 1;
	it->spans = NULL;
	it->nspans = 0;
	return 0;
}

int
json_iter_next(struct json_iter *it, struct json_val *key, struct json_val *val)
{
	const uchar *s = (const uchar *)it->p, *end = (const uchar *)it->end;
	uchar close = it->is_object ? '}' : ']';

	if (it->first < 0)		/* already at the end */
		return 0;
	s = skip_ws(s, end);
	if (s == end)
		return -1;
	if (*s == close) {
		it->first = -1;
		it->p = (const char *)s + 1;
		return 0;
	}
	if (!it->first) {
		if (*s != ',')
			return -1;
		s++;
	}
	it->first = 0;
	if (it->is_object) {
		s = (const uchar *)json_value((const char *)s, (const char *)end, key);
		if (s == NULL || key->type != JSON_STRING)
			return -1;
		s = skip_ws(s, end);
		if (s == end || *s != ':')
			return -1;
		s++;
	} else {
		key->type = JSON_NONE;
		key->p = NULL;
		key->len = 0;
	}
	s = (const uchar *)iter_value(it, (const char *)s, (const char *)end, val);
	if (s == NULL)
		return -1;
	it->p = (const char *)s;
	return 1;
}

int
json_to_double(struct json_val v, double *d)
{
	struct buf b = BUF_INIT;
	int r;

	if (v.type == JSON_NUMBER)
		return num_parse_json(v.p, v.len, d);
	if (v.type != JSON_STRING || v.len < 2)
		return -1;
	if (memchr(v.p, '\\', v.len) == NULL)
		return num_parse_text(v.p + 1, v.len - 2, d);
	/* Escaped digits are odd but legal: "\u0031" is "1". */
	r = json_string_decode(v, &b) == 0 ? num_parse_text(b.p, b.len, d) : -1;
	buf_free(&b);
	return r;
}

/* Writing. */

static const char hexdig[] = "0123456789abcdef";

/* The escape for the ASCII byte c (a quote, a backslash or a control
 * character) at o; returns just past it. */
static inline char *
put_escape(char *o, uchar c)
{
	static const char short_form[32] = {
		['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't',
	};

	o[0] = '\\';
	if (c == '"' || c == '\\') {
		o[1] = c;
		return o + 2;
	}
	if (short_form[c]) {
		o[1] = short_form[c];
		return o + 2;
	}
	o[1] = 'u', o[2] = '0', o[3] = '0';
	o[4] = hexdig[c >> 4], o[5] = hexdig[c & 15];
	return o + 6;
}

/*
 * Writes straight into the buffer, which keeps room for a block of sixteen
 * bytes and an escape: a run up to the next special byte is stored sixteen
 * bytes at a time, whatever its length, and only as many as belong to it
 * are kept.  JSON carried in a string (a Kafka value) has a quote to
 * escape every few bytes, and a call to memcpy per run cost more than the
 * run.
 */
void
json_put_string(struct buf *b, const char *str, size_t n)
{
	const uchar *s = (const uchar *)str, *end = s + n, *q;
	enum { SLACK = 16 + 8 };	/* a block, or a replacement, and the close */
	size_t k;
	char *o;

	buf_grow(b, n + SLACK);
	o = b->p + b->len;
	*o++ = '"';
	for (;;) {
		if ((size_t)(b->p + b->cap - o) < SLACK) {
			b->len = o - b->p;
			buf_grow(b, (size_t)(end - s) + SLACK);
			o = b->p + b->len;
		}
#ifdef __SSE2__
		if (end - s >= 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)s);
			unsigned bits = special_bits(x);

			_mm_storeu_si128((__m128i *)o, x);
			if (!bits) {
				s += 16, o += 16;
				continue;
			}
			k = __builtin_ctz(bits);
			s += k, o += k;
		} else
#endif
		{
			for (q = s; q < end && !str_special[*q]; q++)
				;
			memcpy(o, s, q - s);
			o += q - s;
			if ((s = q) == end)
				break;
		}
		if (*s < 0x80) {
			o = put_escape(o, *s++);
		} else if ((k = utf8_seq(s, end)) != 0) {
			memcpy(o, s, k);
			o += k, s += k;
		} else {	/* not UTF-8: U+FFFD */
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3, s++;
		}
	}
	*o++ = '"';
	*o = '\0';
	b->len = o - b->p;
}

void
json_put_double(struct buf *b, double d)
{
	char tmp[NUM_FMT_MAX];

	buf_add(b, tmp, num_format(d, tmp));
}

void
json_put_int(struct buf *b, int64_t i)
{
	char tmp[24], *e = tmp + sizeof tmp, *q = e;
	uint64_t u = i < 0 ? -(uint64_t)i : (uint64_t)i;

	do
		*--q = '0' + u % 10;
	while ((u /= 10) != 0);
	if (i < 0)
		*--q = '-';
	buf_add(b, q, e - q);
}

/*
 * The structural writer.  need_comma[d] holds two bits for the container
 * at depth d: whether the next element needs a comma, and whether it is an
 * object (so that jw_end knows which bracket closes it).
 */
#define JW_COMMA 1
#define JW_OBJECT 2

void
jw_init(struct jw *w, struct buf *b)
{
	memset(w, 0, sizeof *w);
	w->b = b;
}

/* Before a value: the comma after a previous element, or nothing after a key. */
static void
jw_sep(struct jw *w)
{
	if (w->after_key)
		w->after_key = 0;
	else if (w->need_comma[w->depth] & JW_COMMA)
		buf_addc(w->b, ',');
	w->need_comma[w->depth] |= JW_COMMA;
}

static void
jw_open(struct jw *w, int object)
{
	jw_sep(w);
	buf_addc(w->b, object ? '{' : '[');
	/* Deeper than JW_MAX_DEPTH is a bug in the caller, not bad input. */
	if (w->depth + 1 >= JW_MAX_DEPTH)
		abort();
	w->need_comma[++w->depth] = object ? JW_OBJECT : 0;
}

void jw_object(struct jw *w) { jw_open(w, 1); }
void jw_array(struct jw *w) { jw_open(w, 0); }

void
jw_end(struct jw *w)
{
	if (w->depth == 0)
		abort();
	buf_addc(w->b, w->need_comma[w->depth] & JW_OBJECT ? '}' : ']');
	w->depth--;
}

void
jw_key(struct jw *w, const char *k, size_t n)
{
	if (w->need_comma[w->depth] & JW_COMMA)
		buf_addc(w->b, ',');
	w->need_comma[w->depth] |= JW_COMMA;
	json_put_string(w->b, k, n);
	buf_addc(w->b, ':');
	w->after_key = 1;
}

void
jw_string(struct jw *w, const char *s, size_t n)
{
	jw_sep(w);
	json_put_string(w->b, s, n);
}

void
jw_raw(struct jw *w, const char *json, size_t n)
{
	jw_sep(w);
	buf_add(w->b, json, n);
}

void
jw_double(struct jw *w, double d)
{
	jw_sep(w);
	json_put_double(w->b, d);
}

void
jw_int(struct jw *w, int64_t i)
{
	jw_sep(w);
	json_put_int(w->b, i);
}

void
jw_bool(struct jw *w, int v)
{
	jw_sep(w);
	buf_adds(w->b, v ? "true" : "false");
}

void
jw_null(struct jw *w)
{
	jw_sep(w);
	buf_adds(w->b, "null");
}
