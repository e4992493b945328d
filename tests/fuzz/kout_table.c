/*
 * kout's table writer (cmd/kout/table.c) for fuzz_kout, with what the
 * target needs and kout, which exits after one stream, does not: a way
 * to free a table sink.  It is a file of its own because table.c and
 * csv.c share static names.
 */
#include "../../cmd/kout/table.c"

void fuzz_table_free(void *self);

void
fuzz_table_free(void *self)
{
	struct table *t = self;

	group_free(t->cols.names);
	group_free(t->cols.dropped);
	free(t->cols.v);
	buf_free(&t->cols.key);
	buf_free(&t->text);
	free(t->cells);
	free(t->rows);
	free(t->width);
	free(t->shown);
	free(t->drawn);
	free(t->kind);
	group_free(t->keyids);
	for (size_t i = 0; i < t->slotcap; i++)
		buf_free(&t->slot[i]);
	free(t->slot);
	buf_free(&t->keybuf);
	buf_free(&t->line);
	buf_free(&t->tmp);
	free(t);
}
