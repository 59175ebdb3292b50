// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Python strings of every kind (1, 2, 4 bytes a character, and bad kinds),
 * as a code record carries them.  Input: kind (1 byte), then the bytes.
 * Besides memory errors, checks that the output is well-formed UTF-8 of at
 * most 4 bytes per character: it goes into JSON and terminals.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pyframes.h"

/* Length of the well-formed UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
	uint32_t cp;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* no overlong forms, no surrogates, nothing past U+10FFFF */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned kinds[] = { 1, 2, 4, 0, 3 };
	struct sbuf out = {};
	unsigned kind;
	uint8_t *copy;
	size_t len, max;

	if (size < 1)
		return 0;
	kind = kinds[data[0] % 5];
	len = size - 1;
	copy = malloc(len ? len : 1);	/* exact size: overreads are caught */
	if (!copy)
		return 0;
	memcpy(copy, data + 1, len);
	pystr_to_utf8(&out, copy, len, kind);
	/* A bad kind gives nothing; a character never more than 4 bytes. */
	if (kind != 1 && kind != 2 && kind != 4)
		max = 0;
	else
		max = len / kind * 4;
	if (out.len > max)
		abort();
	for (size_t i = 0, n; i < out.len; i += n) {
		n = utf8_len((const unsigned char *)out.p + i, out.len - i);
		if (!n)
			abort();
	}
	sb_free(&out);
	free(copy);
	return 0;
}
