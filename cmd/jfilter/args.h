/*
 * jq's arguments to a program (args.c): named and positional values, and
 * the program itself when it is in a file.
 */
#ifndef JFILTER_ARGS_H
#define JFILTER_ARGS_H

#include <jv.h>

enum named_kind {
	NAMED_STRING,	/* --arg NAME VALUE */
	NAMED_JSON,	/* --argjson NAME JSON */
	NAMED_SLURP,	/* --slurpfile NAME FILE: the file's JSON texts as an array */
	NAMED_RAW	/* --rawfile NAME FILE: the file's text as a string */
};

/* Define $name, unless it is defined already (jq keeps the first one).
 * JSON that does not parse and a file that cannot be read are usage
 * errors. */
void args_named(enum named_kind kind, const char *name, const char *value);

/* The named arguments so far, as jq's $ARGS.named (a new reference). */
jv args_named_object(void);

/* The operands after the program as $ARGS.positional: strings (--args),
 * or JSON texts (--jsonargs; one that does not parse is a usage error). */
jv args_positional(int json, int n, char **v);

/* The program in a file (--from-file), or a usage error. */
char *args_program_file(const char *path);

/* Where the program's relative imports start: the program file's
 * directory, or "." for a program on the command line (progfile NULL). */
char *args_program_origin(const char *progfile);

#endif
