/*
 * A queue of fixed-size items in a ring that doubles when full: the records
 * written but not yet confirmed (track.c), and each partition's messages
 * waiting to be merged (merge.c).  Pushing and popping allocate nothing
 * once the ring has grown to the backlog.
 */
#ifndef KCAT_IN_RING_H
#define KCAT_IN_RING_H

#include <stddef.h>

struct ring {
	char *items;
	size_t size;		/* of one item */
	size_t cap, head, n;
};

#define RING_INIT(type) {NULL, sizeof(type), 0, 0, 0}

/* Room for a new newest item, to be filled in by the caller. */
void *ring_push(struct ring *r);
/* The oldest item; n must not be 0. */
void *ring_first(const struct ring *r);
/* Drop the oldest item. */
void ring_pop(struct ring *r);

#endif
