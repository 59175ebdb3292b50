/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Per-version CPython layouts (x86_64, release builds, GIL and
 * free-threaded), generated from the real headers into layouts_gen.h by
 * scripts/gen-layouts.sh (make layouts).
 *
 * From 3.13 on, a live interpreter also describes itself: _PyRuntime starts
 * with _Py_DebugOffsets.  An entry then says where in that struct each
 * offset the walker needs is kept, so that the process's own numbers
 * replace the table's (a custom build may differ from the release); the
 * table still supplies what the struct does not carry (owner values, tag
 * bits, string state bits, the line-table format, _co_firsttraceable).
 */
#ifndef PT_LAYOUTS_H
#define PT_LAYOUTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pytrace.h"

#define PT_LF(field) offsetof(struct pt_layout, field)
#define PT_LF_END 0xffff

/* One pt_layout field that _Py_DebugOffsets provides. */
struct dbg_field {
	uint16_t field;	/* PT_LF(...) of a __u16 field; PT_LF_END ends the list */
	uint16_t pos;	/* of its u64 value in _Py_DebugOffsets */
	uint16_t bound;	/* of the u64 size of the struct the value is in */
	uint8_t width;	/* bytes the walker reads at the value; 0: the value
			   is a size or the end of a struct */
};

struct dbg_map {
	uint16_t size;			/* sizeof(_Py_DebugOffsets); 0: none */
	const struct dbg_field *f;	/* ends with field == PT_LF_END */
};

struct layout_entry {
	unsigned major, minor;
	bool free_threaded;
	const char *headers;	/* the release whose headers gave the numbers */
	struct pt_layout layout;
	struct dbg_map dbg;
};

/* The entry for CPython major.minor (t when free_threaded), or NULL. */
const struct layout_entry *layout_find(unsigned major, unsigned minor,
				       bool free_threaded);

/* Every entry, oldest first; returns how many. */
size_t layout_all(const struct layout_entry **out);

/*
 * Applies a live _Py_DebugOffsets image (buf, len bytes read at _PyRuntime)
 * to *l, which starts as e's layout.  Checks the cookie, the version
 * (major.minor of e), the free-threaded flag and that every offset lies
 * inside its struct and inside what the walker reads at once.  Returns 0,
 * or -1 with a one-line reason in why.  *changed counts the fields whose
 * live value differs from the table's.
 */
int layout_apply_debug_offsets(const struct layout_entry *e, const void *buf,
			       size_t len, struct pt_layout *l,
			       unsigned *changed, char *why, size_t whylen);

/* Checks that every offset the walker reads from an object lies inside the
 * PT_OBJ_READ bytes it reads; 0 or -1 with a reason. */
int layout_check(const struct pt_layout *l, char *why, size_t whylen);

#endif
