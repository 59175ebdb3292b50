/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* /proc/PID/maps, parsed. */
#ifndef PT_PROCMAPS_H
#define PT_PROCMAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct procmap {
	uint64_t start, end;	/* [start, end) */
	uint64_t offset;	/* file offset of start */
	uint64_t inode;		/* 0: not a file */
	unsigned dev_major, dev_minor;
	char perms[5];		/* "r-xp" */
	bool deleted;		/* the path ended in " (deleted)" */
	const char *path;	/* as the kernel prints it, without
				   " (deleted)"; "" when anonymous */
};

struct procmaps {
	struct procmap *v;
	size_t n;
	size_t skipped;		/* lines that did not parse (or too long) */
	char *text;		/* the file; paths point into it */
};

/*
 * Reads /proc/PID/maps.  Returns 0, or -errno (-ENOENT/-ESRCH when the
 * process is gone, -EFBIG when the file is absurdly large).  Free with
 * procmaps_free() also after a failure.
 */
int procmaps_read(pid_t pid, struct procmaps *out);

/*
 * Parses maps text of len bytes; text[len] must be writable.  The text is
 * modified in place (paths get NUL-terminated and point into it), so the
 * caller keeps it alive, or sets out->text for procmaps_free() to free.
 * Returns 0 or -ENOMEM.
 */
int procmaps_parse(char *text, size_t len, struct procmaps *out);

/* The mapping holding addr, or NULL. */
const struct procmap *procmaps_find(const struct procmaps *m, uint64_t addr);

void procmaps_free(struct procmaps *m);

#endif
