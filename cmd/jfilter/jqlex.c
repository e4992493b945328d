/*
 * The tokens of a jq 1.6 program; see jqlex.h.
 */
#include <ctype.h>
#include <string.h>

#include "buf.h"
#include "jqlex.h"

static int
name_start(int c)
{
	return isalpha(c) || c == '_';
}

static int
name_char(int c)
{
	return isalnum(c) || c == '_';
}

/* The end of a name at p, module-qualified ones (a::b) included. */
static const char *
name_end(const char *p)
{
	for (;;) {
		while (name_char((unsigned char)*p))
			p++;
		if (p[0] != ':' || p[1] != ':' || !name_start((unsigned char)p[2]))
			return p;
		p += 2;
	}
}

static const char *
digits(const char *p)
{
	while (isdigit((unsigned char)*p))
		p++;
	return p;
}

/* jq's numbers: ([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)? */
static const char *
number_end(const char *p)
{
	p = digits(p);
	if (*p == '.')
		p = digits(p + 1);
	if (*p == 'e' || *p == 'E') {
		const char *q = p + 1 + (p[1] == '+' || p[1] == '-');
		if (isdigit((unsigned char)*q))
			p = digits(q);
	}
	return p;
}

/* Where the literal text of a string that goes on at p stops: at its
 * closing quote, at the backslash of an interpolation "\(", or at the end
 * of the program when it is not closed. */
static const char *
text_end(const char *p)
{
	for (; *p && *p != '"'; p++)
		if (*p == '\\') {
			if (p[1] == '(')
				break;
			if (p[1])
				p++;
		}
	return p;
}

static void
token(struct jqlex *l, enum jqtok t, const char *p, size_t n)
{
	l->t = t;
	l->tp = p;
	l->tlen = n;
	l->p = p + n;
}

/* An unclosed string or too deep interpolations: nothing after them can
 * be told apart. */
static void
stuck(struct jqlex *l, const char *p)
{
	token(l, JQ_BAD, p, strlen(p));
}

/* The text of a string from q (after its opening quote, or after the ")"
 * that closed an interpolation): whole, or up to an interpolation. */
static void
string_text(struct jqlex *l, const char *q, enum jqtok whole, enum jqtok part)
{
	const char *e = text_end(q);

	if (*e == '"') {
		token(l, whole, q, (size_t)(e - q));
		l->p = e + 1;
	} else if (*e == '\\' && l->nest < JQLEX_NEST) {
		token(l, part, q, (size_t)(e - q));
		l->p = e + 2;
		l->parens[l->nest++] = 0;
	} else
		stuck(l, q - 1);
}

void
jqlex_init(struct jqlex *l, const char *program)
{
	memset(l, 0, sizeof *l);
	l->p = l->tp = program;
}

void
jqlex_next(struct jqlex *l)
{
	const char *p = l->p, *q;

	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p != '#')
			break;
		while (*p && *p != '\n')
			p++;
	}
	switch (*p) {
	case '\0': token(l, JQ_END, p, 0); return;
	case '[': token(l, JQ_LB, p, 1); return;
	case ']': token(l, JQ_RB, p, 1); return;
	case '{': token(l, JQ_LC, p, 1); return;
	case '}': token(l, JQ_RC, p, 1); return;
	case ',': token(l, JQ_COMMA, p, 1); return;
	case ':': token(l, JQ_COLON, p, 1); return;
	case ';': token(l, JQ_SEMI, p, 1); return;
	case '(':
		if (l->nest > 0)
			l->parens[l->nest - 1]++;
		token(l, JQ_LP, p, 1);
		return;
	case ')':
		if (l->nest > 0 && l->parens[l->nest - 1] == 0) {
			/* the end of an interpolation: the string goes on */
			l->nest--;
			string_text(l, p + 1, JQ_STR_END, JQ_STR_MID);
			return;
		}
		if (l->nest > 0)
			l->parens[l->nest - 1]--;
		token(l, JQ_RP, p, 1);
		return;
	case '"':
		string_text(l, p + 1, JQ_STR, JQ_STR_BEGIN);
		return;
	case '?':
		if (p[1] == '/' && p[2] == '/')
			token(l, JQ_BAD, p, 3);
		else
			token(l, JQ_QUEST, p, 1);
		return;
	case '|':
		token(l, p[1] == '=' ? JQ_ASSIGN : JQ_PIPE, p, 1 + (p[1] == '='));
		return;
	case '=':
		token(l, p[1] == '=' ? JQ_OP : JQ_ASSIGN, p, 1 + (p[1] == '='));
		return;
	case '!':
		token(l, p[1] == '=' ? JQ_OP : JQ_BAD, p, 1 + (p[1] == '='));
		return;
	case '<': case '>':
		token(l, JQ_OP, p, 1 + (p[1] == '='));
		return;
	case '+': case '-': case '*': case '%':
		token(l, p[1] == '=' ? JQ_ASSIGN : JQ_OP, p, 1 + (p[1] == '='));
		return;
	case '/':
		q = p + 1 + (p[1] == '/');
		token(l, *q == '=' ? JQ_ASSIGN : JQ_OP, p, (size_t)(q - p) + (*q == '='));
		return;
	case '$': case '@':
		/* jq 1.6 allows "$ name"; none of the readers needs it */
		if (*p == '$' ? !name_start((unsigned char)p[1]) : !name_char((unsigned char)p[1])) {
			token(l, JQ_BAD, p, 1);
			return;
		}
		if (*p == '$')
			q = name_end(p + 1);
		else
			for (q = p + 1; name_char((unsigned char)*q); q++)
				;
		token(l, *p == '$' ? JQ_VAR : JQ_FORMAT, p + 1, (size_t)(q - p - 1));
		l->p = q;
		return;
	case '.':
		if (p[1] == '.') {
			token(l, JQ_DOTDOT, p, 2);
		} else if (name_start((unsigned char)p[1])) {
			for (q = p + 1; name_char((unsigned char)*q); q++)
				;
			token(l, JQ_FIELD, p + 1, (size_t)(q - p - 1));
		} else if (p[1] == '"') {
			q = text_end(p + 2);
			if (*q == '"') {
				token(l, JQ_FIELD, p + 2, (size_t)(q - p - 2));
				l->p = q + 1;
			} else if (*q == '\0') {
				stuck(l, p);
			} else	/* ."a\(.b)": the string's tokens follow */
				token(l, JQ_BAD, p, 1);
		} else if (isdigit((unsigned char)p[1])) {
			token(l, JQ_NUM, p, (size_t)(number_end(p) - p));
		} else
			token(l, JQ_DOT, p, 1);
		return;
	}
	if (isdigit((unsigned char)*p))
		token(l, JQ_NUM, p, (size_t)(number_end(p) - p));
	else if (name_start((unsigned char)*p))
		token(l, JQ_IDENT, p, (size_t)(name_end(p) - p));
	else
		token(l, JQ_BAD, p, 1);
}

enum jqtok
jqlex_peek(const struct jqlex *l)
{
	struct jqlex ahead = *l;

	jqlex_next(&ahead);
	return ahead.t;
}

static int
text_is(const struct jqlex *l, const char *s)
{
	return l->tlen == strlen(s) && memcmp(l->tp, s, l->tlen) == 0;
}

int
jqlex_word(const struct jqlex *l, const char *w)
{
	return l->t == JQ_IDENT && text_is(l, w);
}

int
jqlex_op(const struct jqlex *l, const char *op)
{
	return l->t == JQ_OP && text_is(l, op);
}

int
jqlex_text(const struct jqlex *l, struct buf *b)
{
	buf_reset(b);
	buf_grow(b, l->tlen);
	b->p[0] = '\0';
	for (size_t i = 0; i < l->tlen; i++) {
		char c = l->tp[i];
		if (c == '\\') {
			switch (l->tp[++i]) {
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case '"': case '\\': case '/': c = l->tp[i]; break;
			default: return -1;	/* \u: jq's UTF-16 pairs */
			}
		}
		buf_addc(b, c);
	}
	return 0;
}
