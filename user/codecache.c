// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Entries sit on three lists: a hash chain (lookup), the use order (eviction
 * takes the least recently used) and their process's list, so that an exit
 * or exec drops a process's entries without scanning everyone else's.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "codecache.h"
#include "intmap.h"
#include "pyframes.h"
#include "sbuf.h"

/* A circular doubly linked list, threaded through the entries. */
struct list {
	struct list *prev, *next;
};

#define entry_of(l, member) \
	((struct entry *)((char *)(l) - offsetof(struct entry, member)))

struct entry {
	struct pt_code_key key;
	uint64_t fp;
	size_t weight;		/* bytes this entry holds, roughly */
	struct code_info ci;
	struct entry *next;	/* hash chain */
	struct list use;	/* in codecache.lru, oldest use first */
	struct list proc;	/* in its proc_entries.head */
};

/* The entries of one tgid: the value of codecache.procs. */
struct proc_entries {
	struct list head;
};

struct codecache {
	struct entry **buckets;
	size_t nbuckets;
	size_t count, max;
	size_t bytes, max_bytes;	/* the entries' weight, and its limit */
	struct list lru;
	struct intmap procs;	/* tgid -> struct proc_entries */
	codecache_evict_fn evict;
	void *ctx;
};

static void list_init(struct list *h)
{
	h->prev = h->next = h;
}

static bool list_empty(const struct list *h)
{
	return h->next == h;
}

static void list_add_tail(struct list *n, struct list *h)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}

static void list_del(struct list *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->prev = n->next = n;
}

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
	list_init(&c->lru);
	c->max = max_entries;
	c->max_bytes = CODECACHE_MAX_BYTES;
	c->evict = evict;
	c->ctx = ctx;
	return c;
}

static void entry_free(struct entry *e)
{
	free(e->ci.filename);
	free(e->ci.name);
	free(e->ci.linetable);
	free(e->ci.shown_file);
	free(e->ci.shown_name);
	free(e);
}

/* Puts e on its process's list, making the list on the process's first. */
static int proc_link(struct codecache *c, struct entry *e)
{
	struct proc_entries *p = intmap_get(&c->procs, e->key.tgid);

	if (!p) {
		p = malloc(sizeof(*p));
		if (!p)
			return -1;
		list_init(&p->head);
		if (intmap_put(&c->procs, e->key.tgid, p)) {
			free(p);
			return -1;
		}
	}
	list_add_tail(&e->proc, &p->head);
	return 0;
}

/* Takes e off its process's list; the last one out frees the list. */
static void proc_unlink(struct codecache *c, struct entry *e)
{
	struct proc_entries *p;

	list_del(&e->proc);
	p = intmap_get(&c->procs, e->key.tgid);
	if (p && list_empty(&p->head)) {
		intmap_del(&c->procs, e->key.tgid);
		free(p);
	}
}

static void unlink_entry(struct codecache *c, struct entry *e)
{
	struct entry **pp = &c->buckets[hash_key(&e->key, c->nbuckets)];

	while (*pp && *pp != e)
		pp = &(*pp)->next;
	if (*pp)
		*pp = e->next;
	list_del(&e->use);
	proc_unlink(c, e);
	c->count--;
	c->bytes -= e->weight;
}

/* Only proc_link() can fail, so it goes first and nothing is undone. */
static int link_entry(struct codecache *c, struct entry *e)
{
	size_t b = hash_key(&e->key, c->nbuckets);

	if (proc_link(c, e))
		return -1;
	e->next = c->buckets[b];
	c->buckets[b] = e;
	list_add_tail(&e->use, &c->lru);
	c->count++;
	c->bytes += e->weight;
	return 0;
}

void codecache_free(struct codecache *c)
{
	if (!c)
		return;
	while (!list_empty(&c->lru)) {
		struct entry *e = entry_of(c->lru.next, use);

		unlink_entry(c, e);
		entry_free(e);
	}
	intmap_free(&c->procs);
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

	if (s->flags & PT_CAP_F_FAULT)
		return strdup("<unknown>");
	pystr_to_utf8(&b, data, s->len, s->kind);
	sb_str(&b);
	return b.p;
}

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/*
 * The record comes from the kernel, but its lengths were read from the
 * target: check that everything lies inside the record.  The fixed part is
 * checked first, as the lengths are in it.  Returns the end of the data.
 */
static size_t record_end(const struct pt_code *rec)
{
	return sizeof(*rec) + align8(rec->filename.len) +
	       align8(rec->name.len) + align8(rec->linetable_len);
}

/* The entry for a record that record_end() accepted; NULL: out of memory. */
static struct entry *entry_new(const struct pt_code *rec)
{
	const uint8_t *fn = (const uint8_t *)(rec + 1);
	const uint8_t *nm = fn + align8(rec->filename.len);
	const uint8_t *lt = nm + align8(rec->name.len);
	struct entry *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->key = (struct pt_code_key){ .code = rec->code, .tgid = rec->h.tgid,
				       .gen = rec->gen };
	e->fp = rec->fp;
	e->ci.filename = utf8_of(fn, &rec->filename);
	e->ci.name = utf8_of(nm, &rec->name);
	e->ci.linetable_fault = !!(rec->linetable_flags & PT_CAP_F_FAULT);
	e->ci.linetable_trunc = !!(rec->linetable_flags & PT_CAP_F_TRUNC);
	/* Bytes from a failed read are not a table: keep none. */
	e->ci.linetable_len = e->ci.linetable_fault ? 0 : rec->linetable_len;
	e->ci.linetable = malloc(e->ci.linetable_len ? e->ci.linetable_len : 1);
	if (!e->ci.filename || !e->ci.name || !e->ci.linetable) {
		entry_free(e);
		return NULL;
	}
	memcpy(e->ci.linetable, lt, e->ci.linetable_len);
	e->ci.firstlineno = rec->firstlineno;
	e->ci.line_format = rec->line_format;
	/* names are kept twice (decoded, and escaped for output) */
	e->weight = sizeof(*e) + e->ci.linetable_len +
		    2 * (strlen(e->ci.filename) + strlen(e->ci.name) + 2);
	return e;
}

static void evict_oldest(struct codecache *c)
{
	struct entry *old = entry_of(c->lru.next, use);

	unlink_entry(c, old);
	if (c->evict)
		c->evict(c->ctx, &old->key);
	entry_free(old);
}

void codecache_set_max_bytes(struct codecache *c, size_t max_bytes)
{
	c->max_bytes = max_bytes;
}

int codecache_add(struct codecache *c, const struct pt_code *rec, size_t size)
{
	struct pt_code_key key;
	struct entry *e;

	if (size < sizeof(*rec) || record_end(rec) > size)
		return -1;
	key = (struct pt_code_key){ .code = rec->code, .tgid = rec->h.tgid,
				    .gen = rec->gen };
	e = find(c, &key);
	if (e) {
		unlink_entry(c, e);
		entry_free(e);
	}
	e = entry_new(rec);
	if (!e)
		return -1;
	if (link_entry(c, e)) {
		entry_free(e);
		return -1;
	}
	while (c->count > c->max || (c->bytes > c->max_bytes && c->count > 1))
		evict_oldest(c);
	return 0;
}

struct code_info *codecache_get(struct codecache *c, uint32_t tgid,
				uint32_t gen, uint64_t code, uint64_t fp)
{
	struct pt_code_key key = { .code = code, .tgid = tgid, .gen = gen };
	struct entry *e = find(c, &key);

	if (!e || e->fp != fp)
		return NULL;
	/* Code in use now stays: eviction takes what went unused longest. */
	list_del(&e->use);
	list_add_tail(&e->use, &c->lru);
	return &e->ci;
}

int code_line(struct code_info *ci, int32_t instr)
{
	bool complete = !ci->linetable_trunc && !ci->linetable_fault;

	if (!ci->memo_set || ci->memo_instr != instr) {
		ci->memo_line = pyline_lookup(ci->line_format, ci->linetable,
					      ci->linetable_len, complete,
					      ci->firstlineno, instr);
		ci->memo_instr = instr;
		ci->memo_set = 1;
	}
	return ci->memo_line;
}

void codecache_drop_proc(struct codecache *c, uint32_t tgid)
{
	/* Out of the map first, so unlink_entry() leaves p to us. */
	struct proc_entries *p = intmap_del(&c->procs, tgid);

	if (!p)
		return;
	while (!list_empty(&p->head)) {
		struct entry *e = entry_of(p->head.next, proc);

		unlink_entry(c, e);
		entry_free(e);
	}
	free(p);
}

size_t codecache_size(const struct codecache *c)
{
	return c->count;
}
