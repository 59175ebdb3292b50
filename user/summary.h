/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * -c / -C: per-syscall totals printed at the end as strace prints them, and
 * pytrace's own second table: the Python call sites (innermost frame, and
 * its caller) that made the most syscalls, with their time.
 */
#ifndef PT_SUMMARY_H
#define PT_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "sbuf.h"

struct summary_frame {
	const char *file;	/* NULL: unknown */
	int line;		/* -1: unknown */
	const char *func;
};

/* Where a call was made: f[0] the innermost frame, f[1] its caller. */
struct summary_site {
	struct summary_frame f[2];
	unsigned n;		/* frames known: 0 (no Python), 1 or 2 */
};

struct summary;

struct summary *summary_new(void);
void summary_free(struct summary *s);
/* One completed call: its number, return value and time in the kernel. */
void summary_add(struct summary *s, unsigned nr, int64_t ret, uint64_t ns,
		 const struct summary_site *site);
/* Appends both tables (text), or one "syscall_summary" JSON record. */
void summary_print(struct summary *s, struct sbuf *out, bool json);

#endif
