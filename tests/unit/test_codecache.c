// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The code cache must never answer with a stale entry. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "codecache.h"
#include "intmap.h"

static int evicted;
static struct pt_code_key last_evicted;

static void on_evict(void *ctx, const struct pt_code_key *key)
{
	evicted++;
	last_evicted = *key;
}

/* Builds a code record with ASCII names and a 3.11 line table. */
static size_t make_record(uint8_t *buf, uint32_t tgid, uint32_t gen,
			  uint64_t code, uint64_t fp, const char *file,
			  const char *name, int first)
{
	struct pt_code *r = (struct pt_code *)buf;
	size_t off = sizeof(*r);
	/* one entry: code 13 (one-line form), 2 units, line delta +2 */
	static const uint8_t lt[] = { 0x80 | (13 << 3) | 1, 4 };

	memset(buf, 0, 512);
	r->h.type = PT_EV_CODE;
	r->h.tgid = tgid;
	r->code = code;
	r->fp = fp;
	r->gen = gen;
	r->firstlineno = first;
	r->line_format = PT_LINES_311;
	r->filename.len = strlen(file);
	r->filename.kind = 1;
	memcpy(buf + off, file, r->filename.len);
	off += (r->filename.len + 7) & ~7u;
	r->name.len = strlen(name);
	r->name.kind = 1;
	memcpy(buf + off, name, r->name.len);
	off += (r->name.len + 7) & ~7u;
	r->linetable_len = sizeof(lt);
	memcpy(buf + off, lt, sizeof(lt));
	off += 8;
	r->h.size = off;
	return off;
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

int main(void)
{
	test_fingerprint_and_generation();
	test_bounds_and_eviction();
	test_intmap();
	return check_done("codecache");
}
