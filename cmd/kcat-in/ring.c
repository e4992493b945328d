#include <string.h>

#include "buf.h"
#include "ring.h"

void *
ring_push(struct ring *r)
{
	if (r->n == r->cap) {
		size_t ncap = r->cap ? 2 * r->cap : 256;

		r->items = xrealloc(r->items, r->size * ncap);
		/* Unwrap: the items from head to the old end move up. */
		if (r->head + r->n > r->cap) {
			size_t tail = r->cap - r->head;
			memmove(r->items + r->size * (ncap - tail),
				r->items + r->size * r->head, r->size * tail);
			r->head = ncap - tail;
		}
		r->cap = ncap;
	}
	return r->items + r->size * ((r->head + r->n++) % r->cap);
}

void *
ring_first(const struct ring *r)
{
	return r->items + r->size * r->head;
}

void
ring_pop(struct ring *r)
{
	r->head = (r->head + 1) % r->cap;
	r->n--;
}
