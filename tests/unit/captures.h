/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* For the decoder tests: captures built the way the BPF side lays them
 * out, and a call printed as a whole strace line (without the padding). */
#ifndef PT_TEST_CAPTURES_H
#define PT_TEST_CAPTURES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "pytrace.h"
#include "sbuf.h"

static _Alignas(8) unsigned char arena[1 << 16];
static size_t arena_off;

static const struct pt_cap *cap_raw(unsigned arg, const void *data,
				    size_t len, uint32_t full_len,
				    uint8_t flags)
{
	struct pt_cap *c;

	arena_off = (arena_off + 7) & ~(size_t)7;
	if (arena_off + sizeof(*c) + len > sizeof(arena))
		abort();
	c = (struct pt_cap *)(arena + arena_off);
	c->full_len = full_len;
	c->len = (uint16_t)len;
	c->arg = (uint8_t)arg;
	c->flags = flags;
	memcpy(c + 1, data, len);
	arena_off += sizeof(*c) + len;
	return c;
}

static struct sbuf line_buf;

/* "name(args) = ret" with -s strsize, valid until the next call. */
static const char *line_s(const struct sc_call *c, unsigned strsize)
{
	struct decode_opts o = { .strsize = strsize };
	char tmp[32];

	sb_reset(&line_buf);
	sb_printf(&line_buf, "%s(", decode_name(c->nr, tmp, sizeof(tmp)));
	decode_args(&line_buf, c, 0, decode_nargs(c->nr), &o);
	sb_puts(&line_buf, ") = ");
	decode_ret(&line_buf, c);
	return sb_str(&line_buf);
}

#endif
