/*
 * kout's display widths and cell escaping (cmd/kout/width.c, cell.c),
 * compiled in directly since they are not part of common/.  Expected
 * widths are what terminals draw: see Unicode's EastAsianWidth.txt and
 * the general categories of the characters named.
 */
#include "check.h"
#include "../../cmd/kout/width.c"
#include "../../cmd/kout/cell.c"

static size_t
w(const char *s)
{
	return text_width(s, strlen(s));
}

static const char *
esc(const char *s, size_t n)
{
	static struct buf b;

	buf_reset(&b);
	text_escape(s, n, &b);
	return b.p ? b.p : "";
}

static const char *
disp(const char *json)
{
	static struct buf b;
	struct json_val v;

	buf_reset(&b);
	json_value(json, json + strlen(json), &v);
	cell_display(v, &b);
	return b.p ? b.p : "";
}

int
main(void)
{
	uint32_t cp;
	size_t used, n;

	CHECK("ascii", w("hello") == 5);
	CHECK("latin-1 letter", w("caf\xC3\xA9") == 4);
	CHECK("combining acute U+0301 takes none", w("e\xCC\x81") == 1);
	CHECK("CJK ideographs U+65E5 U+672C take two", w("\xE6\x97\xA5\xE6\x9C\xAC") == 4);
	CHECK("hiragana U+3042", w("\xE3\x81\x82") == 2);
	CHECK("hangul syllable U+D55C", w("\xED\x95\x9C") == 2);
	CHECK("hangul vowel jamo U+1161 joins", w("\xE1\x84\x92\xE1\x85\xA1") == 2);
	CHECK("fullwidth A U+FF21", w("\xEF\xBC\xA1") == 2);
	CHECK("halfwidth katakana U+FF76", w("\xEF\xBD\xB6") == 1);
	CHECK("emoji U+1F600", w("\xF0\x9F\x98\x80") == 2);
	CHECK("emoji U+1F680 rocket", w("\xF0\x9F\x9A\x80") == 2);
	CHECK("CJK extension B U+20000", w("\xF0\xA0\x80\x80") == 2);
	CHECK("zero width joiner U+200D", w("\xE2\x80\x8D") == 0);
	CHECK("variation selector U+FE0F", w("\xEF\xB8\x8F") == 0);
	CHECK("soft hyphen U+00AD shows", w("\xC2\xAD") == 1);
	CHECK("box drawing U+2502 is narrow", w("\xE2\x94\x82") == 1);
	CHECK("greek", w("\xCE\xB1\xCE\xB2") == 2);

	CHECK("utf8_next 4 bytes", utf8_next("\xF0\x9F\x98\x80", 4, &cp) == 4 && cp == 0x1F600);
	CHECK("utf8_next overlong", utf8_next("\xC0\xAF", 2, &cp) == 1 && cp == 0xFFFD);
	CHECK("utf8_next surrogate", utf8_next("\xED\xA0\x80", 3, &cp) == 1 && cp == 0xFFFD);
	CHECK("utf8_next truncated", utf8_next("\xE6\x97", 2, &cp) == 1 && cp == 0xFFFD);
	CHECK("utf8_next beyond U+10FFFF", utf8_next("\xF4\x90\x80\x80", 4, &cp) == 1 && cp == 0xFFFD);

	n = text_fit("\xE6\x97\xA5\xE6\x9C\xAC", 6, 3, &used);
	CHECK("text_fit never splits a wide character", n == 3 && used == 2);
	n = text_fit("abc", 3, 10, &used);
	CHECK("text_fit whole text", n == 3 && used == 3);
	n = text_fit("e\xCC\x81x", 4, 1, &used);
	CHECK("text_fit keeps a combining mark with its base", n == 3 && used == 1);

	n = text_fit_tail("abcdef", 6, 2, &used);
	CHECK("text_fit_tail last two", n == 4 && used == 2);
	n = text_fit_tail("a\xE6\x97\xA5\xE6\x9C\xAC", 7, 3, &used);
	CHECK("text_fit_tail never splits a wide character", n == 4 && used == 2);
	n = text_fit_tail("xe\xCC\x81", 4, 1, &used);
	CHECK("text_fit_tail keeps a combining mark with its base", n == 1 && used == 1);
	{
		struct buf e = BUF_INIT;
		size_t cols = text_ellipsize("service-a-total", 15, 9, &e);
		/* 9 columns: 4 of the start, the ellipsis, 4 of the end. */
		CHECK("text_ellipsize keeps both ends", cols == 9 && e.len == 4 + 3 + 4 &&
		    memcmp(e.p, "serv\xE2\x80\xA6otal", e.len) == 0);
		buf_reset(&e);
		CHECK("text_ellipsize leaves short text", text_ellipsize("abc", 3, 9, &e) == 3 && e.len == 3);
		buf_free(&e);
	}

	CHECK_STR("escape newline tab CR", esc("a\nb\tc\r", 6), "a\\nb\\tc\\r");
	CHECK_STR("escape ESC", esc("\x1b[2J", 4), "\\u001b[2J");
	CHECK_STR("escape DEL", esc("\x7f", 1), "\\u007f");
	CHECK_STR("escape C1 CSI U+009B", esc("\xC2\x9B" "1m", 4), "\\u009b1m");
	CHECK_STR("escape RLO U+202E", esc("\xE2\x80\xAE" "x", 4), "\\u202ex");
	CHECK_STR("escape line separator U+2028", esc("\xE2\x80\xA8", 3), "\\u2028");
	CHECK_STR("invalid byte to U+FFFD", esc("a\xFF" "b", 3), "a\xEF\xBF\xBD" "b");
	CHECK_STR("NUL escaped", esc("a\0b", 3), "a\\u0000b");
	CHECK_STR("unicode kept", esc("\xE6\x97\xA5", 3), "\xE6\x97\xA5");

	CHECK_STR("cell: string decoded", disp("\"a\\u00e9\\\"\""), "a\xC3\xA9\"");
	CHECK_STR("cell: escaped control from \\u", disp("\"x\\u001by\""), "x\\u001by");
	CHECK_STR("cell: number as written", disp("1.50e3"), "1.50e3");
	CHECK_STR("cell: object compact", disp("{ \"a\" : [ 1 , 2 ] }"), "{\"a\":[1,2]}");
	CHECK_STR("cell: null", disp("null"), "null");
	CHECK_STR("cell: true", disp("true"), "true");
	return check_status();
}
