/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A small hash map from a 32-bit id (pid, tid) to a pointer. */
#ifndef PT_INTMAP_H
#define PT_INTMAP_H

#include <stddef.h>
#include <stdint.h>

struct intmap {
	uint32_t *keys;
	void **vals;		/* NULL: empty slot; TOMB: deleted */
	size_t cap, used, count;
};

void *intmap_get(const struct intmap *m, uint32_t key);
/* Returns 0, or -1 when out of memory. */
int intmap_put(struct intmap *m, uint32_t key, void *val);
void *intmap_del(struct intmap *m, uint32_t key);
void intmap_free(struct intmap *m);
/* Iteration: i from 0 while intmap_next() returns 1. */
int intmap_next(const struct intmap *m, size_t *i, uint32_t *key, void **val);

#endif
