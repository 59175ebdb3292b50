// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Line tables of every format (<= 3.9 lnotab, 3.10 linetable, 3.11+
 * location table), as a code record carries them.
 *
 * Input: format (1 byte), firstlineno (4), instr (4), cut (2), table.
 * Besides memory errors, checks what pyline_lookup() promises for a table
 * cut short: a position the bytes present decide gets the same line as in
 * the whole table, never a guess.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pyframes.h"

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum pt_line_format fmt;
	int first, instr, whole, part;
	size_t len, cut;
	uint8_t *table;

	if (size < 11)
		return 0;
	fmt = (enum pt_line_format)(data[0] % 4);	/* 0 is not a format */
	first = (int)get32(data + 1);
	instr = (int)get32(data + 5);
	cut = (size_t)data[9] << 8 | data[10];
	len = size - 11;
	/* A heap copy of exactly len bytes, so any read past it is caught. */
	table = malloc(len ? len : 1);
	if (!table)
		return 0;
	memcpy(table, data + 11, len);

	whole = pyline_for_instr(fmt, table, len, first, instr);
	if (whole < -1)
		abort();
	if (cut > len)
		cut %= len + 1;
	part = pyline_lookup(fmt, table, cut, false, first, instr);
	/* A cut table may not know (-1); if it answers, it is the answer. */
	if (whole != -1 && part != -1 && part != whole)
		abort();
	pyline_lookup(fmt, NULL, 0, false, first, instr);
	free(table);
	return 0;
}
