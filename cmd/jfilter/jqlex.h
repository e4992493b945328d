/*
 * jqlex: the tokens of a jq 1.6 program, for the parts of jfilter that read
 * a program besides libjq: the fast path's parser and pass-through test
 * (fastpath.c) and the analysis of which fields a program sees (fields.c).
 *
 * Programs reach it only after libjq has compiled them, so it only has to
 * tell the tokens of valid programs apart, not diagnose errors.  It follows
 * jq's lexer with two exceptions that suit its readers: ."name" is one
 * token, a field like .name, and a string with interpolations comes as
 * pieces around the interpolated expressions' own tokens:
 *
 *	"a\(.x)b\(.y)c"   STR_BEGIN(a) FIELD(x) STR_MID(b) FIELD(y) STR_END(c)
 */
#ifndef JFILTER_JQLEX_H
#define JFILTER_JQLEX_H

#include <stddef.h>
#include "buf.h"

enum jqtok {
	JQ_END,		/* the end of the program */
	JQ_DOT,		/* . */
	JQ_DOTDOT,	/* .. */
	JQ_FIELD,	/* .name, or ."name" without interpolation */
	JQ_IDENT,	/* a name or keyword: select, and, mod::f */
	JQ_VAR,		/* $name */
	JQ_FORMAT,	/* @name */
	JQ_STR,		/* "text" without interpolation */
	JQ_STR_BEGIN,	/* "text\(  a string up to its first interpolation */
	JQ_STR_MID,	/* )text\(  between two */
	JQ_STR_END,	/* )text"   after the last */
	JQ_NUM,		/* 12, 1.5e3, .5 */
	JQ_LP, JQ_RP, JQ_LB, JQ_RB, JQ_LC, JQ_RC,
	JQ_PIPE, JQ_COMMA, JQ_COLON, JQ_SEMI, JQ_QUEST,
	JQ_OP,		/* == != < <= > >= + - * / % // */
	JQ_ASSIGN,	/* = |= += -= *= /= %= //= */
	JQ_BAD		/* what none of the readers takes: ?//, a "$" apart
			 * from its name, a byte outside jq's syntax; reading
			 * goes on after it, unless the text ended inside a
			 * string (then JQ_END follows) */
};

/* Interpolations inside interpolations deeper than this are JQ_BAD. */
#define JQLEX_NEST 16

struct jqlex {
	const char *p;		/* where the next token starts */
	enum jqtok t;		/* the token read last */
	const char *tp;		/* its text: for FIELD, VAR and FORMAT the
				 * name only, for strings the text between
				 * the delimiters, escapes as written */
	size_t tlen;
	int nest;		/* open interpolations */
	int parens[JQLEX_NEST];	/* '(' open inside each of them */
};

void jqlex_init(struct jqlex *l, const char *program);
/* Read the next token into t, tp and tlen. */
void jqlex_next(struct jqlex *l);
/* The kind of the token after the current one, which stays current. */
enum jqtok jqlex_peek(const struct jqlex *l);
/* Whether the token is the name (or keyword) w; the operator op. */
int jqlex_word(const struct jqlex *l, const char *w);
int jqlex_op(const struct jqlex *l, const char *op);
/* The text of a FIELD or string token with its escapes decoded, into b.
 * -1 for \u escapes: decoding those is left to libjq. */
int jqlex_text(const struct jqlex *l, struct buf *b);

#endif
