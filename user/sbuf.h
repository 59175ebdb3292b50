/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A growable byte buffer for building output lines. */
#ifndef PT_SBUF_H
#define PT_SBUF_H

#include <stdarg.h>
#include <stddef.h>

struct sbuf {
	char *p;
	size_t len;
	size_t cap;
};

void sb_reset(struct sbuf *b);
void sb_free(struct sbuf *b);
void sb_putc(struct sbuf *b, char c);
void sb_put(struct sbuf *b, const void *s, size_t n);
void sb_puts(struct sbuf *b, const char *s);
/* Decimal, and 0x-prefixed lower-case hex: what the hot paths print, without
 * printf's parsing of a format. */
void sb_put_int(struct sbuf *b, long long v);
void sb_put_hex(struct sbuf *b, unsigned long long v);
void sb_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* NUL-terminated view of the contents (valid until the next append). */
const char *sb_str(struct sbuf *b);

#endif
