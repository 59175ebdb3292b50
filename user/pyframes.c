// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Python strings and line tables, decoded from the bytes a code record
 * carries.  The input comes from another process's memory, so every decoder
 * is bounded by len and treats a table it cannot parse as "no line".
 */
#include <limits.h>
#include <string.h>

#include "pyframes.h"

static void put_codepoint(struct sbuf *out, uint32_t cp)
{
	char b[4];
	size_t n;

	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		cp = 0xfffd;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	sb_put(out, b, n);
}

void pystr_to_utf8(struct sbuf *out, const uint8_t *data, size_t len,
		   unsigned kind)
{
	size_t i = 0;

	if (kind != 1 && kind != 2 && kind != 4)
		return;
	while (i + kind <= len) {
		uint32_t cp;

		if (kind == 1) {
			/* Names are nearly always ASCII: copy runs at once. */
			size_t run = i;

			while (run < len && data[run] < 0x80)
				run++;
			if (run > i) {
				sb_put(out, data + i, run - i);
				i = run;
				continue;
			}
			cp = data[i];
		} else if (kind == 2) {
			uint16_t u;

			memcpy(&u, data + i, sizeof(u));
			cp = u;
		} else {
			memcpy(&cp, data + i, sizeof(cp));
		}
		put_codepoint(out, cp);
		i += kind;
	}
}

/* A line number from a running total, or -1 if it left int's range. */
static int line_value(long long line)
{
	return line >= 0 && line <= INT_MAX ? (int)line : -1;
}

/*
 * lnotab and 3.10 tables are byte pairs.  An odd length breaks a whole
 * table; in a cut one it only means the last pair lost its second byte.
 */
static bool whole_pairs(size_t *len, bool complete)
{
	if (*len % 2 == 0)
		return true;
	if (complete)
		return false;
	(*len)--;
	return true;
}

/*
 * <= 3.9 co_lnotab: (addr_incr u8, line_incr s8) pairs; the line of lasti is
 * the sum of line_incr over the pairs whose running address is <= lasti.
 * The sum is final once a pair starts past lasti, or at the end of a whole
 * table.  At the end of a cut one the pairs left out could still apply.
 */
static int lines_lnotab(const uint8_t *t, size_t len, bool complete,
			int first, int lasti)
{
	long long line = first, addr = 0;

	if (!whole_pairs(&len, complete))
		return -1;
	for (size_t i = 0; i < len; i += 2) {
		addr += t[i];
		if (addr > lasti)
			return line_value(line);
		line += (int8_t)t[i + 1];
	}
	return complete ? line_value(line) : -1;
}

/*
 * 3.10 co_linetable: (byte_delta u8, line_delta s8) pairs, each covering
 * [start, end) in bytes; line_delta -128 means the range has no line.
 * Only the pair covering instr answers, so a cut table needs no more care
 * than a whole one: a position past the bytes present is not found.
 */
static int lines_310(const uint8_t *t, size_t len, bool complete, int first,
		     int instr)
{
	long long line = first, end = 0, target = 2LL * instr;

	if (!whole_pairs(&len, complete))
		return -1;
	for (size_t i = 0; i < len; i += 2) {
		long long start = end;
		int8_t ldelta = (int8_t)t[i + 1];
		int cur = -1;

		end += t[i];
		if (ldelta != -128) {
			line += ldelta;
			cur = line_value(line);
		}
		if (start <= target && target < end)
			return cur;
	}
	return -1;
}

/*
 * Location-table varints: 6-bit chunks, least significant first, 0x40 set
 * while more follow.  Only an entry's first byte has bit 7 set, so a varint
 * byte with it set (or one running off the table) means a broken table.
 */
static int read_varint(const uint8_t *t, size_t len, size_t *pos,
		       uint32_t *out)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t b;

	do {
		if (*pos >= len || shift > 30)
			return -1;
		b = t[(*pos)++];
		if (b & 0x80)
			return -1;
		v |= (uint64_t)(b & 0x3f) << shift;
		shift += 6;
	} while (b & 0x40);
	if (v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int read_svarint(const uint8_t *t, size_t len, size_t *pos,
			long long *out)
{
	uint32_t v;

	if (read_varint(t, len, pos, &v))
		return -1;
	*out = (v & 1) ? -(long long)(v >> 1) : (long long)(v >> 1);
	return 0;
}

/* Plain bytes of the short and one-line forms (column data we skip). */
static int skip_bytes(const uint8_t *t, size_t len, size_t *pos, size_t n)
{
	if (len - *pos < n)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (t[*pos + i] & 0x80)
			return -1;
	*pos += n;
	return 0;
}

enum {
	LOC_ONE_LINE0 = 10,	/* 10-12: line delta 0-2, then 2 column bytes */
	LOC_NO_COLUMNS = 13,	/* svarint line delta */
	LOC_LONG = 14,		/* svarint line delta, 3 varints */
	LOC_NONE = 15,		/* no line */
};

/* One entry's line delta; *has_line is 0 for LOC_NONE.  -1: malformed. */
static int loc_entry(const uint8_t *t, size_t len, size_t *pos, unsigned code,
		     long long *delta, int *has_line)
{
	uint32_t skip;

	*delta = 0;
	*has_line = 1;
	switch (code) {
	case LOC_NONE:
		*has_line = 0;
		return 0;
	case LOC_LONG:
		if (read_svarint(t, len, pos, delta))
			return -1;
		for (int i = 0; i < 3; i++)
			if (read_varint(t, len, pos, &skip))
				return -1;
		return 0;
	case LOC_NO_COLUMNS:
		return read_svarint(t, len, pos, delta);
	case LOC_ONE_LINE0:
	case LOC_ONE_LINE0 + 1:
	case LOC_ONE_LINE0 + 2:
		*delta = code - LOC_ONE_LINE0;
		return skip_bytes(t, len, pos, 2);
	default: /* 0-9: short form, same line, one column byte */
		return skip_bytes(t, len, pos, 1);
	}
}

/*
 * >= 3.11 location table: entries of 1-8 code units, each starting with a
 * byte 1cccclll (c: form, l: units - 1), then form-dependent bytes.  As in
 * 3.10 only the covering entry answers; an entry cut short is malformed.
 */
static int lines_311(const uint8_t *t, size_t len, int first, int instr)
{
	long long line = first, end = 0;
	size_t pos = 0;

	while (pos < len) {
		uint8_t b = t[pos++];
		long long start = end, delta;
		int has_line;

		if (!(b & 0x80))
			return -1;
		end += (b & 7) + 1;
		if (loc_entry(t, len, &pos, (b >> 3) & 15, &delta, &has_line))
			return -1;
		line += delta;
		if (start <= instr && instr < end)
			return has_line ? line_value(line) : -1;
	}
	return -1;
}

int pyline_lookup(enum pt_line_format fmt, const uint8_t *table, size_t len,
		  bool complete, int firstlineno, int instr)
{
	if (!table)
		len = 0;
	/* Not started yet (f_lasti -1 / prev_instr before the code): CPython
	 * reports co_firstlineno, so do we. */
	if (instr < 0)
		return firstlineno >= 0 ? firstlineno : -1;
	switch (fmt) {
	case PT_LINES_LNOTAB:
		return lines_lnotab(table, len, complete, firstlineno, instr);
	case PT_LINES_310:
		return lines_310(table, len, complete, firstlineno, instr);
	case PT_LINES_311:
		return lines_311(table, len, firstlineno, instr);
	}
	return -1;
}

int pyline_for_instr(enum pt_line_format fmt, const uint8_t *table, size_t len,
		     int firstlineno, int instr)
{
	return pyline_lookup(fmt, table, len, true, firstlineno, instr);
}
