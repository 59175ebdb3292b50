// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* String escaping: strace's C-like quoting, and JSON that keeps every byte. */
#include "decode_priv.h"

static const char *const c_escapes[256] = {
	['\t'] = "\\t", ['\n'] = "\\n", ['\v'] = "\\v", ['\f'] = "\\f",
	['\r'] = "\\r", ['"'] = "\\\"", ['\\'] = "\\\\",
};

static bool is_octal_digit(unsigned char c)
{
	return c >= '0' && c <= '7';
}

/*
 * Octal as strace writes it: the shortest form, unless an octal digit
 * follows, which would otherwise be read as part of the number.
 */
static void put_octal(struct sbuf *out, unsigned char c, bool digit_follows)
{
	if (digit_follows)
		sb_printf(out, "\\%03o", c);
	else
		sb_printf(out, "\\%o", c);
}

void escape_str(struct sbuf *out, const unsigned char *s, size_t len,
		bool truncated)
{
	size_t i;

	sb_putc(out, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c_escapes[c])
			sb_puts(out, c_escapes[c]);
		else if (c >= ' ' && c < 0x7f)
			sb_putc(out, (char)c);
		else
			put_octal(out, c, i + 1 < len && is_octal_digit(s[i + 1]));
	}
	sb_putc(out, '"');
	if (truncated)
		sb_puts(out, "...");
}

/* getrandom's bytes: strace shows every byte as \xNN. */
void escape_hex(struct sbuf *out, const unsigned char *s, size_t len,
		bool truncated)
{
	size_t i;

	sb_putc(out, '"');
	for (i = 0; i < len; i++)
		sb_printf(out, "\\x%02x", s[i]);
	sb_putc(out, '"');
	if (truncated)
		sb_puts(out, "...");
}

static bool is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/*
 * Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0 if there is none.
 */
static size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	/* The second byte's range is what rules out the ill-formed forms. */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (avail < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (!is_cont(s[i]))
			return 0;
	return n;
}

static const char *const json_escapes[128] = {
	['\b'] = "\\b", ['\t'] = "\\t", ['\n'] = "\\n", ['\f'] = "\\f",
	['\r'] = "\\r", ['"'] = "\\\"", ['\\'] = "\\\\",
};

static void json_ascii(struct sbuf *out, unsigned char c)
{
	if (json_escapes[c])
		sb_puts(out, json_escapes[c]);
	else if (c < 0x20)
		sb_printf(out, "\\u%04x", c);
	else
		sb_putc(out, (char)c);
}

void json_str(struct sbuf *out, const unsigned char *s, size_t len)
{
	size_t i = 0, n;

	sb_putc(out, '"');
	while (i < len) {
		n = utf8_seq_len(s + i, len - i);
		if (n == 1) {
			json_ascii(out, s[i]);
		} else if (n > 1) {
			sb_put(out, s + i, n);
		} else {
			/* Python's surrogateescape: byte 0xXY becomes U+DCXY. */
			sb_printf(out, "\\udc%02x", s[i]);
			n = 1;
		}
		i += n;
	}
	sb_putc(out, '"');
}
