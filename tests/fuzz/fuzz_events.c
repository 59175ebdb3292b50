// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Ring-buffer records through handle_event(), the ring buffer's callback,
 * with no BPF session: a sequence of records (enter, exit, code, process
 * events) becomes text or JSON lines.  Besides memory errors, checks that
 * no control character from the records reaches the output.
 *
 * Input: one options byte, then records, each a little-endian u16 (low 15
 * bits: length; top bit: show stale pending calls after it) and its bytes.
 * Each record is copied to its own heap block of exactly its length, 8-byte
 * aligned as the ring buffer gives them.
 *
 * Two things are adjusted, because they cannot come from a traced process
 * and would need a live session: fork records (they go to the BPF maps) are
 * skipped, and timestamps (the kernel's clock) are kept below 2^62 ns.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tracer.h"

static void no_evict(void *ctx, const struct pt_code_key *key)
{
}

/*
 * Where the lines go: a memory file, read back by check_output(), or the
 * file FUZZ_EVENTS_OUT names (=/dev/stdout shows what a seed prints).
 */
static FILE *output(void)
{
	const char *path = getenv("FUZZ_EVENTS_OUT");
	int fd;

	if (path)
		return fopen(path, "we");
	fd = memfd_create("fuzz-events", MFD_CLOEXEC);
	return fd < 0 ? NULL : fdopen(fd, "w+");
}

/* Text and JSON alike: no control character but the newline ending each
 * line, whatever the records hold (a file name, a buffer, an argv). */
static void check_output(FILE *f)
{
	char buf[4096];
	ssize_t n;
	off_t off = 0;

	if (getenv("FUZZ_EVENTS_OUT"))
		return;
	while ((n = pread(fileno(f), buf, sizeof(buf), off)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			if (((unsigned char)buf[i] < 0x20 && buf[i] != '\n') ||
			    buf[i] == 0x7f)
				abort();
		off += n;
	}
}

static void setup(struct tracer *t, struct options *o, uint8_t flags)
{
	memset(o, 0, sizeof(*o));
	o->json = flags & 1;
	o->ts_mode = (flags >> 1) & 3;
	o->show_time = flags & 8;
	o->quiet = true;
	o->strsize = flags & 16 ? 4095 : 32;
	memset(t, 0, sizeof(*t));
	t->o = o;
	t->dopts.strsize = o->strsize;
	t->multi = flags & 32;
	t->real_offset_ns = 1700000000ll * 1000000000ll;
	/* a small cache, so eviction runs too */
	t->codes = codecache_new(flags & 64 ? 4 : 256, no_evict, NULL);
	t->out = output();
}

static void teardown(struct tracer *t)
{
	size_t i = 0;
	uint32_t key;
	void *val;

	flush_all_pending(t);
	flush_output(t);
	while (intmap_next(&t->procs, &i, &key, &val))
		free(val);
	intmap_free(&t->procs);
	intmap_free(&t->pending);
	intmap_free(&t->tids);
	sb_free(&t->line);
	sb_free(&t->piece);
	sb_free(&t->obuf);
	codecache_free(t->codes);
	free(t->stack_rec);
	check_output(t->out);
	fclose(t->out);
}

static void feed(struct tracer *t, const uint8_t *p, size_t len)
{
	struct pt_hdr h;
	void *rec;

	if (len >= sizeof(h)) {
		memcpy(&h, p, sizeof(h));
		if (h.type == PT_EV_FORK)
			return;
	}
	rec = malloc(len ? len : 1);
	if (!rec)
		return;
	memcpy(rec, p, len);
	if (len >= sizeof(h))
		((struct pt_hdr *)rec)->ts &= (1ull << 62) - 1;
	handle_event(t, rec, len);
	free(rec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct options o;
	struct tracer t;
	size_t off = 1;

	if (size < 1)
		return 0;
	setup(&t, &o, data[0]);
	if (!t.codes || !t.out) {
		codecache_free(t.codes);
		if (t.out)
			fclose(t.out);
		return 0;
	}
	while (size - off >= 2) {
		unsigned w = data[off] | data[off + 1] << 8;
		size_t len = w & 0x7fff;

		off += 2;
		if (len > size - off)
			len = size - off;
		feed(&t, data + off, len);
		off += len;
		if (w & 0x8000)
			flush_stale_pending(&t, 0);
	}
	teardown(&t);
	return 0;
}
