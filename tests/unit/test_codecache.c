// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The code cache must never answer with a stale entry. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "codecache.h"
#include "intmap.h"
#include "pyframes.h"

static int evicted;
static struct pt_code_key last_evicted;
static uint64_t evict_order[16];	/* code addresses, in eviction order */

static void on_evict(void *ctx, const struct pt_code_key *key)
{
	if (evicted < 16)
		evict_order[evicted] = key->code;
	evicted++;
	last_evicted = *key;
}

struct table {
	uint8_t format;		/* enum pt_line_format */
	const uint8_t *bytes;
	uint16_t len;
	uint16_t flags;		/* PT_CAP_F_* */
};

/* one entry: code 13 (no columns), 2 units, line delta +2 */
static const uint8_t lt311[] = { 0x80 | (13 << 3) | 1, 4 };
static const struct table whole311 = { .format = PT_LINES_311,
					.bytes = lt311, .len = sizeof(lt311) };

/* Builds a code record with ASCII names and the given line table. */
static size_t make_record_lt(uint8_t *buf, uint32_t tgid, uint32_t gen,
			     uint64_t code, uint64_t fp, const char *file,
			     const char *name, int first,
			     const struct table *lt)
{
	struct pt_code *r = (struct pt_code *)buf;
	size_t off = sizeof(*r);

	memset(buf, 0, 512);
	r->h.type = PT_EV_CODE;
	r->h.tgid = tgid;
	r->code = code;
	r->fp = fp;
	r->gen = gen;
	r->firstlineno = first;
	r->line_format = lt->format;
	r->filename.len = strlen(file);
	r->filename.kind = 1;
	memcpy(buf + off, file, r->filename.len);
	off += (r->filename.len + 7) & ~7u;
	r->name.len = strlen(name);
	r->name.kind = 1;
	memcpy(buf + off, name, r->name.len);
	off += (r->name.len + 7) & ~7u;
	r->linetable_len = lt->len;
	r->linetable_flags = lt->flags;
	if (lt->len)
		memcpy(buf + off, lt->bytes, lt->len);
	off += (lt->len + 7) & ~7u;
	r->h.size = off;
	return off;
}

static size_t make_record(uint8_t *buf, uint32_t tgid, uint32_t gen,
			  uint64_t code, uint64_t fp, const char *file,
			  const char *name, int first)
{
	return make_record_lt(buf, tgid, gen, code, fp, file, name, first,
			      &whole311);
}

/* Adds a record for (tgid, code) with fingerprint 7; returns add's result. */
static int add(struct codecache *c, uint32_t tgid, uint64_t code)
{
	uint8_t buf[512];
	size_t n = make_record(buf, tgid, 1, code, 7, "z.py", "f", 1);

	return codecache_add(c, (void *)buf, n);
}

static bool have(struct codecache *c, uint32_t tgid, uint64_t code)
{
	return codecache_get(c, tgid, 1, code, 7) != NULL;
}

static void test_fingerprint_and_generation(void)
{
	struct codecache *c = codecache_new(4, on_evict, NULL);
	uint8_t buf[512];
	size_t n = make_record(buf, 10, 1, 0x1000, 0xaaa1, "a.py", "f", 5);
	struct code_info *ci;

	CHECK_INT(codecache_add(c, (void *)buf, n), 0);
	ci = codecache_get(c, 10, 1, 0x1000, 0xaaa1);
	CHECK(ci != NULL);
	if (ci) {
		/* The first lookup of any position is a real one (found by
		 * fuzzing: INT32_MIN once hit an empty memo). */
		CHECK_INT(code_line(ci, INT32_MIN),
			  pyline_lookup(PT_LINES_311, lt311, sizeof(lt311), true,
					5, INT32_MIN));
		CHECK_STR(ci->filename, "a.py");
		CHECK_STR(ci->name, "f");
		CHECK_INT(code_line(ci, 0), 7);
		CHECK_INT(code_line(ci, 1), 7);
		CHECK_INT(code_line(ci, 2), -1);
	}
	/* same address, another object (other fingerprint): no answer */
	CHECK(codecache_get(c, 10, 1, 0x1000, 0xbbb1) == NULL);
	/* same address after exec (other generation): no answer */
	CHECK(codecache_get(c, 10, 2, 0x1000, 0xaaa1) == NULL);
	/* other process */
	CHECK(codecache_get(c, 11, 1, 0x1000, 0xaaa1) == NULL);
	/* a new object at the old address replaces the entry */
	n = make_record(buf, 10, 1, 0x1000, 0xbbb1, "b.py", "g", 1);
	CHECK_INT(codecache_add(c, (void *)buf, n), 0);
	CHECK(codecache_get(c, 10, 1, 0x1000, 0xaaa1) == NULL);
	ci = codecache_get(c, 10, 1, 0x1000, 0xbbb1);
	CHECK(ci && strcmp(ci->name, "g") == 0);
	CHECK_INT(codecache_size(c), 1);
	codecache_free(c);
}

static void test_bounds_and_eviction(void)
{
	struct codecache *c = codecache_new(4, on_evict, NULL);
	uint8_t buf[512];
	size_t n;

	/* a record whose lengths point past its end is refused */
	n = make_record(buf, 1, 1, 0x2000, 3, "x.py", "h", 1);
	((struct pt_code *)buf)->name.len = 400;
	CHECK_INT(codecache_add(c, (void *)buf, n), -1);
	CHECK(codecache_get(c, 1, 1, 0x2000, 3) == NULL);

	evicted = 0;
	for (int i = 0; i < 6; i++) {
		n = make_record(buf, 1, 1, 0x3000 + i * 16, 7, "y.py", "k", 1);
		codecache_add(c, (void *)buf, n);
	}
	CHECK_INT(codecache_size(c), 4);
	CHECK_INT(evicted, 2);
	CHECK(last_evicted.code == 0x3010);	/* oldest first */
	CHECK(codecache_get(c, 1, 1, 0x3000, 7) == NULL);
	CHECK(codecache_get(c, 1, 1, 0x3050, 7) != NULL);
	codecache_drop_proc(c, 1);
	CHECK_INT(codecache_size(c), 0);
	codecache_free(c);
}

/*
 * Records shorter than their fixed part are refused before any of their
 * lengths is read: each is an exact heap copy, so a read past its end trips
 * the address sanitizer.
 */
static void test_short_records(void)
{
	struct codecache *c = codecache_new(4, on_evict, NULL);
	uint8_t buf[512];
	size_t n = make_record(buf, 1, 1, 0x2000, 3, "x.py", "h", 1);
	const size_t sizes[] = { 0, 1, sizeof(struct pt_hdr),
				 sizeof(struct pt_code) - 1 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint8_t *p = malloc(sizes[i] ? sizes[i] : 1);

		memcpy(p, buf, sizes[i]);
		CHECK_INT(codecache_add(c, (void *)p, sizes[i]), -1);
		free(p);
	}
	/* One byte short of its line table. */
	CHECK_INT(codecache_add(c, (void *)buf, n - 1), -1);
	CHECK_INT(codecache_size(c), 0);
	CHECK_INT(codecache_add(c, (void *)buf, n), 0);
	codecache_free(c);
}

/* Eviction takes the entry least recently added or found. */
static void test_lru(void)
{
	struct codecache *c = codecache_new(4, on_evict, NULL);

	evicted = 0;
	for (uint64_t a = 1; a <= 4; a++)
		add(c, 1, a);			/* use order: 1 2 3 4 */
	CHECK(have(c, 1, 1));			/* 2 3 4 1 */
	/* A miss (other fingerprint) is no use. */
	CHECK(codecache_get(c, 1, 1, 2, 8) == NULL);
	add(c, 1, 5);				/* 3 4 1 5, 2 out */
	CHECK(have(c, 1, 3));			/* 4 1 5 3 */
	CHECK(have(c, 1, 1));			/* 4 5 3 1 */
	add(c, 1, 6);				/* 5 3 1 6, 4 out */
	add(c, 1, 7);				/* 3 1 6 7, 5 out */
	/* Re-adding a known address makes it new as well. */
	add(c, 1, 3);				/* 1 6 7 3 */
	add(c, 1, 8);				/* 6 7 3 8, 1 out */
	CHECK_INT(evicted, 4);
	CHECK_INT(evict_order[0], 2);
	CHECK_INT(evict_order[1], 4);
	CHECK_INT(evict_order[2], 5);
	CHECK_INT(evict_order[3], 1);
	CHECK_INT(codecache_size(c), 4);
	CHECK(have(c, 1, 6) && have(c, 1, 7) && have(c, 1, 3) &&
	      have(c, 1, 8));
	CHECK(!have(c, 1, 1) && !have(c, 1, 2) && !have(c, 1, 4) &&
	      !have(c, 1, 5));
	codecache_free(c);
}

/* Processes' entries interleaved; dropping one leaves the others whole. */
static void test_drop_proc(void)
{
	struct codecache *c = codecache_new(64, on_evict, NULL);
	const uint32_t pids[] = { 100, 200, 300 };

	evicted = 0;
	for (uint64_t a = 0; a < 30; a++)
		add(c, pids[a % 3], 0x1000 + a);
	CHECK_INT(codecache_size(c), 30);
	codecache_drop_proc(c, 200);
	CHECK_INT(codecache_size(c), 20);
	for (uint64_t a = 0; a < 30; a++)
		CHECK(have(c, pids[a % 3], 0x1000 + a) == (a % 3 != 1));
	/* Gone, or never there: nothing happens. */
	codecache_drop_proc(c, 200);
	codecache_drop_proc(c, 400);
	CHECK_INT(codecache_size(c), 20);
	/* Dropping is not evicting: the callback is for max_entries. */
	CHECK_INT(evicted, 0);

	/* The process can come back (a new list), and go again. */
	add(c, 200, 0x9000);
	CHECK(have(c, 200, 0x9000));
	codecache_drop_proc(c, 100);
	CHECK_INT(codecache_size(c), 11);
	CHECK(have(c, 300, 0x1002) && have(c, 200, 0x9000));
	CHECK(!have(c, 100, 0x1000));
	codecache_drop_proc(c, 300);
	codecache_drop_proc(c, 200);
	CHECK_INT(codecache_size(c), 0);
	codecache_free(c);
}

/* Eviction and replacement keep the process lists right too. */
static void test_drop_after_evict(void)
{
	struct codecache *c = codecache_new(4, on_evict, NULL);

	evicted = 0;
	add(c, 1, 0x10);
	add(c, 2, 0x20);
	add(c, 1, 0x11);
	add(c, 2, 0x21);
	add(c, 1, 0x11);	/* replaced, not doubled */
	CHECK_INT(codecache_size(c), 4);
	add(c, 3, 0x30);	/* evicts 1:0x10 */
	add(c, 3, 0x31);	/* evicts 2:0x20 */
	CHECK_INT(evicted, 2);
	codecache_drop_proc(c, 1);
	CHECK_INT(codecache_size(c), 3);
	CHECK(!have(c, 1, 0x11));
	add(c, 4, 0x40);	/* room: nothing evicted */
	CHECK_INT(evicted, 2);
	codecache_drop_proc(c, 2);
	codecache_drop_proc(c, 3);
	CHECK_INT(codecache_size(c), 1);
	CHECK(have(c, 4, 0x40));
	/* Freed with an entry left: the leak sanitizer checks the lists. */
	codecache_free(c);
}

/*
 * Lines from a cut or unreadable table: what the bytes present settle, and
 * -1 past them.  lnotab (4, +1): line 5 from byte 0, line 6 from byte 4;
 * whether line 6 runs on is in the bytes that were cut.
 */
static void test_incomplete_tables(void)
{
	static const uint8_t lnotab[] = { 4, 1 };
	const struct table whole = { .format = PT_LINES_LNOTAB,
				     .bytes = lnotab, .len = 2 };
	const struct table cut = { .format = PT_LINES_LNOTAB, .bytes = lnotab,
				   .len = 2, .flags = PT_CAP_F_TRUNC };
	const struct table fault = { .format = PT_LINES_LNOTAB,
				     .flags = PT_CAP_F_FAULT };
	/* A faulted copy with bytes anyway: they are not a table. */
	const struct table fault2 = { .format = PT_LINES_311, .bytes = lt311,
				      .len = 2, .flags = PT_CAP_F_FAULT };
	struct codecache *c = codecache_new(8, on_evict, NULL);
	struct code_info *ci;
	uint8_t buf[512];
	size_t n;

	n = make_record_lt(buf, 1, 1, 0x10, 1, "a.py", "f", 5, &whole);
	CHECK_INT(codecache_add(c, (void *)buf, n), 0);
	n = make_record_lt(buf, 1, 1, 0x20, 1, "a.py", "g", 5, &cut);
	CHECK_INT(codecache_add(c, (void *)buf, n), 0);
	n = make_record_lt(buf, 1, 1, 0x30, 1, "a.py", "h", 5, &fault);
	CHECK_INT(codecache_add(c, (void *)buf, n), 0);
	n = make_record_lt(buf, 1, 1, 0x40, 1, "a.py", "i", 5, &fault2);
	CHECK_INT(codecache_add(c, (void *)buf, n), 0);

	ci = codecache_get(c, 1, 1, 0x10, 1);
	CHECK(ci && code_line(ci, 2) == 5 && code_line(ci, 40) == 6);
	ci = codecache_get(c, 1, 1, 0x20, 1);
	CHECK(ci && ci->linetable_trunc && !ci->linetable_fault);
	CHECK(ci && code_line(ci, 2) == 5 && code_line(ci, 40) == -1);
	CHECK(ci && code_line(ci, 4) == -1 && code_line(ci, -1) == 5);
	ci = codecache_get(c, 1, 1, 0x30, 1);
	CHECK(ci && ci->linetable_fault);
	CHECK(ci && code_line(ci, 0) == -1 && code_line(ci, 40) == -1);
	ci = codecache_get(c, 1, 1, 0x40, 1);
	CHECK(ci && ci->linetable_fault && ci->linetable_len == 0);
	CHECK(ci && code_line(ci, 0) == -1 && code_line(ci, 1) == -1);
	codecache_free(c);
}

static void test_intmap(void)
{
	struct intmap m = {};
	int vals[1000];
	size_t i = 0, seen = 0;
	uint32_t k;
	void *v;

	for (int j = 0; j < 1000; j++)
		CHECK_INT(intmap_put(&m, j * 7919u, &vals[j]), 0);
	for (int j = 0; j < 1000; j += 2)
		CHECK(intmap_del(&m, j * 7919u) == &vals[j]);
	CHECK_INT(m.count, 500);
	CHECK(intmap_get(&m, 2 * 7919u) == NULL);
	CHECK(intmap_get(&m, 3 * 7919u) == &vals[3]);
	while (intmap_next(&m, &i, &k, &v))
		seen++;
	CHECK_INT(seen, 500);
	intmap_free(&m);
}

/* Many big line tables: the byte budget, not the count, bounds memory. */
static void test_byte_budget(void)
{
	struct codecache *c = codecache_new(1000, on_evict, NULL);
	uint8_t buf[512];
	size_t n;

	codecache_set_max_bytes(c, 4000);
	evicted = 0;
	for (int i = 0; i < 100; i++) {
		n = make_record(buf, 1, 1, 0x5000 + i * 16, 9, "z.py", "big", 1);
		CHECK_INT(codecache_add(c, (void *)buf, n), 0);
	}
	CHECK(codecache_size(c) < 100);
	CHECK(codecache_size(c) >= 1);
	CHECK_INT(evicted, 100 - (int)codecache_size(c));
	/* the newest is kept */
	CHECK(codecache_get(c, 1, 1, 0x5000 + 99 * 16, 9) != NULL);
	codecache_free(c);
}

int main(void)
{
	test_byte_budget();
	test_fingerprint_and_generation();
	test_bounds_and_eviction();
	test_short_records();
	test_lru();
	test_drop_proc();
	test_drop_after_evict();
	test_incomplete_tables();
	test_intmap();
	return check_done("codecache");
}
