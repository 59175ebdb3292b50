/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Decoding what a code record carries: Python strings and line tables. */
#ifndef PT_PYFRAMES_H
#define PT_PYFRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "pytrace.h"
#include "sbuf.h"

/*
 * Appends the UTF-8 form of a PyUnicode's characters: kind 1 = latin-1,
 * 2 = UCS-2, 4 = UCS-4 (native endian), len bytes.  Code points that are not
 * valid Unicode scalar values (lone surrogates, > 0x10FFFF) become U+FFFD.
 * A trailing partial character is dropped.
 */
void pystr_to_utf8(struct sbuf *out, const uint8_t *data, size_t len,
		   unsigned kind);

/*
 * Line number for an instruction position.  instr is in the unit of the
 * format: bytes of f_lasti for LNOTAB, code units for 310 and 311.
 * Returns -1 when the table says "no line" or the position is outside it.
 * Never reads outside table[0, len).
 */
int pyline_for_instr(enum pt_line_format fmt, const uint8_t *table, size_t len,
		     int firstlineno, int instr);

#endif
