// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>

#include "intmap.h"

static char tomb_;
#define TOMB ((void *)&tomb_)

static size_t slot(uint32_t key, size_t cap)
{
	return (key * 2654435761u) & (cap - 1);
}

void *intmap_get(const struct intmap *m, uint32_t key)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = slot(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (!m->vals[i])
			return NULL;
		if (m->vals[i] != TOMB && m->keys[i] == key)
			return m->vals[i];
	}
}

static int grow(struct intmap *m)
{
	struct intmap n = { .cap = m->cap ? m->cap * 2 : 64 };
	size_t i;

	if (m->count * 4 < m->cap)	/* mostly tombstones: rehash in place */
		n.cap = m->cap;
	n.keys = calloc(n.cap, sizeof(*n.keys));
	n.vals = calloc(n.cap, sizeof(*n.vals));
	if (!n.keys || !n.vals) {
		free(n.keys);
		free(n.vals);
		return -1;
	}
	for (i = 0; i < m->cap; i++)
		if (m->vals[i] && m->vals[i] != TOMB)
			intmap_put(&n, m->keys[i], m->vals[i]);
	intmap_free(m);
	*m = n;
	return 0;
}

int intmap_put(struct intmap *m, uint32_t key, void *val)
{
	size_t i, tomb = (size_t)-1;

	if ((m->used + 1) * 4 > m->cap * 3 && grow(m))
		return -1;
	for (i = slot(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (!m->vals[i])
			break;
		if (m->vals[i] == TOMB) {
			if (tomb == (size_t)-1)
				tomb = i;
			continue;
		}
		if (m->keys[i] == key) {
			m->vals[i] = val;
			return 0;
		}
	}
	if (tomb != (size_t)-1)
		i = tomb;
	else
		m->used++;
	m->keys[i] = key;
	m->vals[i] = val;
	m->count++;
	return 0;
}

void *intmap_del(struct intmap *m, uint32_t key)
{
	size_t i;
	void *v;

	if (!m->cap)
		return NULL;
	for (i = slot(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (!m->vals[i])
			return NULL;
		if (m->vals[i] != TOMB && m->keys[i] == key)
			break;
	}
	v = m->vals[i];
	m->vals[i] = TOMB;
	m->count--;
	return v;
}

void intmap_free(struct intmap *m)
{
	free(m->keys);
	free(m->vals);
	m->keys = NULL;
	m->vals = NULL;
	m->cap = m->used = m->count = 0;
}

int intmap_next(const struct intmap *m, size_t *i, uint32_t *key, void **val)
{
	for (; *i < m->cap; (*i)++) {
		if (m->vals[*i] && m->vals[*i] != TOMB) {
			*key = m->keys[*i];
			*val = m->vals[*i];
			(*i)++;
			return 1;
		}
	}
	return 0;
}
