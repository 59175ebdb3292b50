/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Per-version CPython layouts (x86_64, GIL release builds), generated from the
 * real headers into layouts_gen.h by scripts/gen-layouts.sh (make layouts).
 */
#ifndef PT_LAYOUTS_H
#define PT_LAYOUTS_H

#include <stddef.h>

#include "pytrace.h"

struct layout_entry {
	unsigned major, minor;
	const char *headers;	/* the release whose headers gave the numbers */
	struct pt_layout layout;
};

/* The entry for CPython major.minor, or NULL when there is none. */
const struct layout_entry *layout_find(unsigned major, unsigned minor);

/* Every entry, oldest first; returns how many. */
size_t layout_all(const struct layout_entry **out);

#endif
