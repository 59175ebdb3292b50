// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>
#include <string.h>

#include "codecache.h"
#include "pyframes.h"
#include "sbuf.h"

struct entry {
	struct pt_code_key key;
	uint64_t fp;
	struct code_info ci;
	struct entry *next;	/* hash chain */
	struct entry *older, *newer; /* insertion order, for eviction */
};

struct codecache {
	struct entry **buckets;
	size_t nbuckets;
	size_t count, max;
	struct entry *oldest, *newest;
	codecache_evict_fn evict;
	void *ctx;
};

static size_t hash_key(const struct pt_code_key *k, size_t n)
{
	uint64_t h = k->code * 0x9e3779b97f4a7c15ull;

	h ^= ((uint64_t)k->tgid << 32 | k->gen) * 0xc2b2ae3d27d4eb4full;
	return (h ^ (h >> 31)) & (n - 1);
}

struct codecache *codecache_new(size_t max_entries, codecache_evict_fn evict,
				void *ctx)
{
	struct codecache *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->nbuckets = 1;
	while (c->nbuckets < max_entries)
		c->nbuckets <<= 1;
	c->buckets = calloc(c->nbuckets, sizeof(*c->buckets));
	if (!c->buckets) {
		free(c);
		return NULL;
	}
	c->max = max_entries;
	c->evict = evict;
	c->ctx = ctx;
	return c;
}

static void entry_free(struct entry *e)
{
	free(e->ci.filename);
	free(e->ci.name);
	free(e->ci.linetable);
	free(e);
}

static void unlink_entry(struct codecache *c, struct entry *e)
{
	struct entry **pp = &c->buckets[hash_key(&e->key, c->nbuckets)];

	while (*pp && *pp != e)
		pp = &(*pp)->next;
	if (*pp)
		*pp = e->next;
	if (e->older)
		e->older->newer = e->newer;
	else
		c->oldest = e->newer;
	if (e->newer)
		e->newer->older = e->older;
	else
		c->newest = e->older;
	c->count--;
}

void codecache_free(struct codecache *c)
{
	if (!c)
		return;
	while (c->oldest) {
		struct entry *e = c->oldest;

		unlink_entry(c, e);
		entry_free(e);
	}
	free(c->buckets);
	free(c);
}

static struct entry *find(struct codecache *c, const struct pt_code_key *k)
{
	struct entry *e = c->buckets[hash_key(k, c->nbuckets)];

	for (; e; e = e->next)
		if (e->key.code == k->code && e->key.tgid == k->tgid &&
		    e->key.gen == k->gen)
			return e;
	return NULL;
}

static char *utf8_of(const uint8_t *data, const struct pt_pystr *s)
{
	struct sbuf b = {};

	pystr_to_utf8(&b, data, s->len, s->kind);
	sb_str(&b);
	return b.p;
}

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

int codecache_add(struct codecache *c, const struct pt_code *rec, size_t size)
{
	struct pt_code_key key = { .code = rec->code, .tgid = rec->h.tgid,
				   .gen = rec->gen };
	size_t off = sizeof(*rec), fn_off, nm_off, lt_off;
	struct entry *e;

	/* The record comes from the kernel, but its lengths were read from
	 * the target: check that everything lies inside the record. */
	fn_off = off;
	off += align8(rec->filename.len);
	nm_off = off;
	off += align8(rec->name.len);
	lt_off = off;
	off += align8(rec->linetable_len);
	if (size < sizeof(*rec) || off > size)
		return -1;

	e = find(c, &key);
	if (e) {
		unlink_entry(c, e);
		entry_free(e);
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return -1;
	e->key = key;
	e->fp = rec->fp;
	e->ci.filename = rec->filename.flags & PT_CAP_F_FAULT
				 ? strdup("<unknown>")
				 : utf8_of((const uint8_t *)rec + fn_off, &rec->filename);
	e->ci.name = rec->name.flags & PT_CAP_F_FAULT
			     ? strdup("<unknown>")
			     : utf8_of((const uint8_t *)rec + nm_off, &rec->name);
	e->ci.linetable_len = rec->linetable_len;
	e->ci.linetable = malloc(rec->linetable_len ? rec->linetable_len : 1);
	if (e->ci.linetable && rec->linetable_len)
		memcpy(e->ci.linetable, (const uint8_t *)rec + lt_off,
		       rec->linetable_len);
	e->ci.linetable_trunc = rec->linetable_flags != 0;
	e->ci.firstlineno = rec->firstlineno;
	e->ci.line_format = rec->line_format;
	e->ci.memo_instr = INT32_MIN;

	size_t b = hash_key(&key, c->nbuckets);

	e->next = c->buckets[b];
	c->buckets[b] = e;
	e->older = c->newest;
	if (c->newest)
		c->newest->newer = e;
	else
		c->oldest = e;
	c->newest = e;
	c->count++;

	while (c->count > c->max) {
		struct entry *old = c->oldest;

		unlink_entry(c, old);
		if (c->evict)
			c->evict(c->ctx, &old->key);
		entry_free(old);
	}
	return 0;
}

struct code_info *codecache_get(struct codecache *c, uint32_t tgid,
				      uint32_t gen, uint64_t code, uint64_t fp)
{
	struct pt_code_key key = { .code = code, .tgid = tgid, .gen = gen };
	struct entry *e = find(c, &key);

	return e && e->fp == fp ? &e->ci : NULL;
}

int code_line(struct code_info *ci, int32_t instr)
{
	if (ci->memo_instr != instr) {
		ci->memo_line = pyline_for_instr(ci->line_format, ci->linetable,
						 ci->linetable_len,
						 ci->firstlineno, instr);
		ci->memo_instr = instr;
	}
	return ci->memo_line;
}

void codecache_drop_proc(struct codecache *c, uint32_t tgid)
{
	struct entry *e = c->oldest, *next;

	for (; e; e = next) {
		next = e->newer;
		if (e->key.tgid == tgid) {
			unlink_entry(c, e);
			entry_free(e);
		}
	}
}

size_t codecache_size(const struct codecache *c)
{
	return c->count;
}
