/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Decoding what a code record carries: Python strings and line tables. */
#ifndef PT_PYFRAMES_H
#define PT_PYFRAMES_H

#include <stdbool.h>
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
 * complete is false when table[0, len) is only the start of the real table
 * (the copy was cut, or could not be read at all and len is 0): a position
 * the bytes present do not decide then gets -1, never a guess.  A negative
 * instr (frame not started) gets firstlineno either way, as in CPython: that
 * answer does not come from the table.
 * Returns -1 when the table says "no line", the position is outside it or
 * the answer is unknown.  Never reads outside table[0, len).
 */
int pyline_lookup(enum pt_line_format fmt, const uint8_t *table, size_t len,
		  bool complete, int firstlineno, int instr);

/* pyline_lookup() of a table known to be whole. */
int pyline_for_instr(enum pt_line_format fmt, const uint8_t *table, size_t len,
		     int firstlineno, int instr);

#endif
