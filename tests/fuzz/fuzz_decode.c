// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Syscall argument decoders on captured buffers: a syscall, its six
 * register values, its return value, and the capture areas of its enter and
 * exit records, all from the fuzz bytes, printed both as text and as JSON.
 *
 * Input: header (struct in), enter captures, exit captures (split by
 * enter_len).  Each area sits in its own heap block of exactly its size,
 * 8-byte aligned as in a ring-buffer record, so an overread is caught.
 * Besides memory errors, checks that the text form is printable ASCII.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "syscalls.h"

struct in {
	uint64_t args[PT_NARGS];
	int64_t ret;
	uint16_t nr;		/* low 15 bits: index into the decoded ones */
	uint16_t strsize;
	uint16_t enter_len;
	uint8_t n_caps_enter, n_caps_exit;
	uint8_t exited;
} __attribute__((packed));

static unsigned decoded[PT_NR_SYSCALLS], n_decoded;

static unsigned pick_nr(uint16_t v)
{
	if (!n_decoded)
		for (unsigned nr = 0; nr < sc_count() && nr < PT_NR_SYSCALLS; nr++)
			if (sc_get(nr)->decoded)
				decoded[n_decoded++] = nr;
	/* Mostly the decoded ones, where the interesting code is. */
	if (v & 0x8000 || !n_decoded)
		return v & 0x7fff;
	return decoded[v % n_decoded];
}

static void *block(const uint8_t *p, size_t n)
{
	void *b = malloc(n ? n : 1);

	if (b)
		memcpy(b, p, n);
	return b;
}

static void print_all(struct sc_call *c, const struct decode_opts *o)
{
	struct sbuf text = {}, one = {}, json = {};
	unsigned n = decode_nargs(c->nr);

	decode_args(&text, c, 0, decode_first_exit_arg(c->nr), o);
	decode_args(&text, c, decode_first_exit_arg(c->nr), n, o);
	decode_args(&text, c, 0, PT_NARGS + 2, o);
	for (unsigned i = 0; i < PT_NARGS + 1; i++) {
		if (!decode_arg_shown(c, i))
			continue;
		sb_reset(&one);
		decode_arg(&one, c, i, o);
		json_str(&json, (const unsigned char *)sb_str(&one), one.len);
	}
	if (c->exited) {
		sb_reset(&one);
		decode_ret(&one, c);
		json_str(&json, (const unsigned char *)sb_str(&one), one.len);
	}
	/* Text goes to terminals: whatever the target's bytes, nothing but
	 * printable ASCII may come out (strace's escaping). */
	for (size_t i = 0; i < text.len; i++)
		if ((unsigned char)text.p[i] < 0x20 ||
		    (unsigned char)text.p[i] > 0x7e)
			abort();
	escape_str(&json, (const unsigned char *)sb_str(&text), text.len, true);
	sb_free(&text);
	sb_free(&one);
	sb_free(&json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct decode_opts o = {};
	struct sc_call c = {};
	struct in h;
	size_t rest, elen;
	void *enter, *exit_;

	if (size < sizeof(h))
		return 0;
	memcpy(&h, data, sizeof(h));
	rest = size - sizeof(h);
	elen = h.enter_len <= rest ? h.enter_len : rest;
	c.nr = pick_nr(h.nr);
	memcpy(c.args, h.args, sizeof(c.args));
	c.exited = h.exited & 1;
	c.ret = h.ret;
	/* -s as options.c allows it: 0 .. PT_CAP_BYTES - 1 */
	o.strsize = h.strsize % PT_CAP_BYTES;
	enter = block(data + sizeof(h), elen);
	exit_ = block(data + sizeof(h) + elen, rest - elen);
	if (enter && exit_) {
		decode_set_caps(&c, enter, elen, h.n_caps_enter);
		if (c.exited)
			decode_set_caps(&c, exit_, rest - elen, h.n_caps_exit);
		print_all(&c, &o);
	}
	free(enter);
	free(exit_);
	return 0;
}
