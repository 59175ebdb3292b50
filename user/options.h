/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Command-line options, parsed once in main(). */
#ifndef PT_OPTIONS_H
#define PT_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "pytrace.h"

#define PT_MAX_PIDS 64
#define PT_MAX_PATHS 32

/* -e status=: bits of the outcomes shown (strace's names). */
enum {
	PT_ST_SUCCESSFUL = 1 << 0,	/* returned, not an error */
	PT_ST_FAILED = 1 << 1,		/* returned an error */
	PT_ST_UNFINISHED = 1 << 2,	/* never returned (exit, exec) */
	PT_ST_UNAVAILABLE = 1 << 3,	/* returned, value unknown (killed) */
	PT_ST_DETACHED = 1 << 4,	/* still blocked when tracing ended */
	PT_ST_ALL = (1 << 5) - 1,
};

struct options {
	pid_t pids[PT_MAX_PIDS];	/* -p */
	int npids;
	char **argv;			/* command after "--" (launch) */
	const char *outfile;		/* -o */
	bool json;			/* --json */
	bool follow;			/* -f */
	bool per_process_files;		/* -ff with -o: FILE.TID */
	bool verbose;			/* -v: libbpf messages too */
	bool quiet;			/* -q: no attach/detach notices */
	bool no_frames;			/* --no-frames */
	bool frames_uprobe;		/* --frames=uprobe (default: walk) */
	bool code_reread;		/* --code-check=reread (default: uprobe) */
	unsigned strsize;		/* -s */
	unsigned stack_depth;		/* --stack-depth */
	unsigned ts_mode;		/* -t: 1, -tt: 2, -ttt: 3 */
	bool show_time;			/* -T */
	bool relative_ts;		/* -r */
	unsigned decode_fds;		/* -y: 1 paths, -yy: 2 socket details */
	bool summary_only;		/* -c */
	bool summary;			/* -C: trace and summary */
	unsigned status_mask;		/* -e status=, -z, -Z: PT_ST_* */
	const char *paths[PT_MAX_PATHS]; /* -P */
	int npaths;
	unsigned buffer_mb;		/* --buffer-size (MiB) */
	uint64_t syscall_mask[PT_NR_SYSCALLS / 64]; /* -e trace= (shown) */
	bool trace_given;		/* an -e trace= was given */
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

/*
 * Parses the value of -e trace= (strace's grammar: [!]ITEM[,ITEM...], an
 * ITEM being NAME, %CLASS, /REGEX, all or none, each maybe prefixed by '?'
 * to ignore it when it matches nothing) into a syscall bitmap, replacing
 * its contents.  0, or -1 with a message in err.
 */
int filter_parse(const char *list, uint64_t *mask, char *err, size_t errlen);
/* Parses the value of -e status= into PT_ST_* bits; 0 or -1. */
int status_parse(const char *list, unsigned *bits, char *err, size_t errlen);

#endif
