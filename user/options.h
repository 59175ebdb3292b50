/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Command-line options, parsed once in main(). */
#ifndef PT_OPTIONS_H
#define PT_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "pytrace.h"

#define PT_MAX_PIDS 64

struct options {
	pid_t pids[PT_MAX_PIDS];	/* -p */
	int npids;
	char **argv;			/* command after "--" (launch) */
	const char *outfile;		/* -o */
	bool json;			/* --json */
	bool follow;			/* -f */
	bool verbose;			/* -v: libbpf messages too */
	bool quiet;			/* -q: no attach/detach notices */
	bool no_frames;			/* --no-frames */
	bool frames_uprobe;		/* --frames=uprobe (default: walk) */
	unsigned strsize;		/* -s */
	unsigned stack_depth;		/* --stack-depth */
	unsigned ts_mode;		/* -t: 1, -tt: 2, -ttt: 3 */
	bool show_time;			/* -T */
	unsigned buffer_mb;		/* --buffer-size (MiB) */
	uint64_t syscall_mask[PT_NR_SYSCALLS / 64]; /* -e trace= */
};

/* Exit codes (documented in the README). */
enum {
	PT_EXIT_OK = 0,
	PT_EXIT_USAGE = 2,	/* bad options or values */
	PT_EXIT_TARGET = 3,	/* no such process, or cannot be traced */
	PT_EXIT_ENV = 4,	/* no privileges, no BTF, BPF refused */
	PT_EXIT_INTERNAL = 5,	/* anything else that stopped pytrace */
};

/* Parses argv; on error prints one line to stderr and exits. */
void options_parse(struct options *o, int argc, char **argv);

/* Parses an -e expression into a syscall bitmap; 0 or -1 with a message. */
int filter_parse(const char *expr, uint64_t *mask, char *err, size_t errlen);

#endif
