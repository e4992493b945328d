/*
 * jfilter's tokenizer of jq programs (cmd/jfilter/jqlex.c), compiled in
 * directly as it is not part of libkpipe.  Each program's tokens are
 * written out as KIND(text) and compared with what jq 1.6's grammar makes
 * of the program, written down by hand.
 */
#include "check.h"

#include "../../cmd/jfilter/jqlex.c"

static const char *const names[] = {
	[JQ_END] = "END", [JQ_DOT] = "DOT", [JQ_DOTDOT] = "DOTDOT", [JQ_FIELD] = "FIELD",
	[JQ_IDENT] = "IDENT", [JQ_VAR] = "VAR", [JQ_FORMAT] = "FORMAT", [JQ_STR] = "STR",
	[JQ_STR_BEGIN] = "BEGIN", [JQ_STR_MID] = "MID", [JQ_STR_END] = "ENDSTR",
	[JQ_NUM] = "NUM", [JQ_LP] = "(", [JQ_RP] = ")", [JQ_LB] = "[", [JQ_RB] = "]",
	[JQ_LC] = "{", [JQ_RC] = "}", [JQ_PIPE] = "|", [JQ_COMMA] = ",", [JQ_COLON] = ":",
	[JQ_SEMI] = ";", [JQ_QUEST] = "?", [JQ_OP] = "OP", [JQ_ASSIGN] = "ASSIGN",
	[JQ_BAD] = "BAD",
};

/* The tokens of program, up to JQ_END: punctuation by itself, the rest
 * as KIND(text). */
static const char *
tokens(const char *program)
{
	static struct buf b;
	struct jqlex l;

	buf_reset(&b);
	jqlex_init(&l, program);
	for (jqlex_next(&l); l.t != JQ_END; jqlex_next(&l)) {
		if (b.len > 0)
			buf_addc(&b, ' ');
		buf_adds(&b, names[l.t]);
		if (l.t < JQ_LP || l.t >= JQ_OP) {
			buf_addc(&b, '(');
			buf_add(&b, l.tp, l.tlen);
			buf_addc(&b, ')');
		}
	}
	return b.p ? b.p : "";
}

static const char *
text(const char *program)
{
	static struct buf b;
	struct jqlex l;

	jqlex_init(&l, program);
	jqlex_next(&l);
	return jqlex_text(&l, &b) == 0 ? b.p : "(not decoded)";
}

int
main(void)
{
	CHECK_STR("empty", tokens(""), "");
	CHECK_STR("blank and comments", tokens("  # one\n\t# two"), "");
	CHECK_STR("select", tokens("select(.action == \"login\")"),
	    "IDENT(select) ( FIELD(action) OP(==) STR(login) )");
	CHECK_STR("paths", tokens(".a.b[0] .[\"k\"] .[-1]"),
	    "FIELD(a) FIELD(b) [ NUM(0) ] DOT(.) [ STR(k) ] DOT(.) [ OP(-) NUM(1) ]");
	CHECK_STR("quoted field", tokens(".\"a b\".c"), "FIELD(a b) FIELD(c)");
	CHECK_STR("quoted field keeps escapes", tokens(".\"a\\\"b\""), "FIELD(a\\\"b)");
	CHECK_STR("dot then string is two tokens", tokens(". \"k\""), "DOT(.) STR(k)");
	CHECK_STR("recurse", tokens("..|.a?"), "DOTDOT(..) | FIELD(a) ?");
	CHECK_STR("numbers", tokens("1 1.5 1e3 1.5E-7 .5 2. 3e+2"),
	    "NUM(1) NUM(1.5) NUM(1e3) NUM(1.5E-7) NUM(.5) NUM(2.) NUM(3e+2)");
	/* jq's lexer: a number ends where its grammar does */
	CHECK_STR("number then keyword", tokens(".a==1and .b"),
	    "FIELD(a) OP(==) NUM(1) IDENT(and) FIELD(b)");
	CHECK_STR("e without digits", tokens("1e"), "NUM(1) IDENT(e)");
	CHECK_STR("comparisons", tokens("== != < <= > >="),
	    "OP(==) OP(!=) OP(<) OP(<=) OP(>) OP(>=)");
	CHECK_STR("arithmetic", tokens("+ - * / % //"), "OP(+) OP(-) OP(*) OP(/) OP(%) OP(//)");
	CHECK_STR("assignments", tokens("= |= += -= *= /= %= //="),
	    "ASSIGN(=) ASSIGN(|=) ASSIGN(+=) ASSIGN(-=) ASSIGN(*=) ASSIGN(/=) ASSIGN(%=) ASSIGN(//=)");
	CHECK_STR("punctuation", tokens("([{}]),:;|?"), "( [ { } ] ) , : ; | ?");
	CHECK_STR("names", tokens("if then else end _x1 mod::f a::"),
	    "IDENT(if) IDENT(then) IDENT(else) IDENT(end) IDENT(_x1) IDENT(mod::f) IDENT(a) : :");
	CHECK_STR("variables and formats", tokens(". as $x | $x, @base64, $__loc__, @sh"),
	    "DOT(.) IDENT(as) VAR(x) | VAR(x) , FORMAT(base64) , VAR(__loc__) , FORMAT(sh)");
	CHECK_STR("comment ends at newline", tokens(".a # .b\n| .c"), "FIELD(a) | FIELD(c)");
	CHECK_STR("hash in a string", tokens("\"a#b\" | .c"), "STR(a#b) | FIELD(c)");
	CHECK_STR("string escapes as written", tokens("\"a\\\"b\\\\\" \"\""), "STR(a\\\"b\\\\) STR()");

	/* Interpolations: the string's pieces around the expressions' tokens. */
	CHECK_STR("interpolation", tokens("\"a\\(.x)b\\(.y)c\""),
	    "BEGIN(a) FIELD(x) MID(b) FIELD(y) ENDSTR(c)");
	CHECK_STR("interpolation with parentheses", tokens("\"\\((.a | (.b)))\" | .c"),
	    "BEGIN() ( FIELD(a) | ( FIELD(b) ) ) ENDSTR() | FIELD(c)");
	CHECK_STR("nested interpolation", tokens("\"<\\(\"[\\(.a)]\")>\""),
	    "BEGIN(<) BEGIN([) FIELD(a) ENDSTR(]) ENDSTR(>)");
	CHECK_STR("escaped backslash before paren", tokens("\"a\\\\(b\""), "STR(a\\\\(b)");
	CHECK_STR("quoted field with interpolation", tokens(".\"a\\(.b)\""),
	    "BAD(.) BEGIN(a) FIELD(b) ENDSTR()");

	/* What the readers leave alone; reading goes on after it. */
	CHECK_STR("destructuring alternative", tokens(". as [$a] ?// $a | $a"),
	    "DOT(.) IDENT(as) [ VAR(a) ] BAD(?//) VAR(a) | VAR(a)");
	CHECK_STR("dollar apart from its name", tokens("$ x"), "BAD($) IDENT(x)");
	CHECK_STR("bang", tokens("!x"), "BAD(!) IDENT(x)");
	CHECK_STR("unclosed string", tokens(".a, \"abc"), "FIELD(a) , BAD(\"abc)");
	CHECK_STR("unclosed quoted field", tokens(".\"abc"), "BAD(.\"abc)");
	{
		/* deeper than JQLEX_NEST: one BAD, then the end */
		struct buf p = BUF_INIT;
		for (int i = 0; i <= JQLEX_NEST; i++)
			buf_adds(&p, "\"\\(");
		buf_adds(&p, "1");
		for (int i = 0; i <= JQLEX_NEST; i++)
			buf_adds(&p, ")\"");
		const char *t = tokens(p.p);
		const char *bad = strstr(t, "BAD(");
		CHECK("too deep interpolation is BAD",
		    bad != NULL && bad - t == JQLEX_NEST * (int)strlen("BEGIN() "));
		CHECK("too deep interpolation ends reading", bad && strchr(bad, ' ') == NULL);
		buf_free(&p);
	}

	{
		struct jqlex l;
		jqlex_init(&l, ".a[] | select(.b)");
		jqlex_next(&l);
		jqlex_next(&l);
		CHECK("peek sees the next token", jqlex_peek(&l) == JQ_RB);
		CHECK("peek leaves the current one", l.t == JQ_LB && *l.p == ']');
		jqlex_next(&l);
		jqlex_next(&l);
		jqlex_next(&l);
		CHECK("word", jqlex_word(&l, "select") && !jqlex_word(&l, "sel") &&
		    !jqlex_word(&l, "selects"));
		jqlex_next(&l);
		CHECK("word is only a name", !jqlex_word(&l, "("));
		jqlex_init(&l, "<= \"<=\"");
		jqlex_next(&l);
		CHECK("op", jqlex_op(&l, "<=") && !jqlex_op(&l, "<"));
		jqlex_next(&l);
		CHECK("op is only an operator", !jqlex_op(&l, "<="));
	}

	CHECK_STR("text of a name", text(".abc"), "abc");
	CHECK_STR("text of an empty string", text("\"\""), "");
	CHECK_STR("text decodes escapes", text("\"q\\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\f\""),
	    "q\"b\\s/n\nt\tr\rb\bf\f");
	CHECK_STR("text of a quoted field", text(".\"a\\nb\""), "a\nb");
	CHECK_STR("text leaves \\u to libjq", text("\"\\u00e9\""), "(not decoded)");
	CHECK_STR("text of a string piece", text("\"a\\n\\(.x)\""), "a\n");
	return check_status();
}
