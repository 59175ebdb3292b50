/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* strace-style printing of syscall arguments and return values. */
#ifndef PT_DECODE_H
#define PT_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "pytrace.h"
#include "sbuf.h"

struct decode_opts {
	unsigned strsize;	/* -s: most characters of a buffer/string shown */
	/* -y: appends "<path>" after an fd argument, when set */
	void (*fd_suffix)(struct sbuf *out, int fd, void *ctx);
	void *fd_ctx;
};

/* One syscall with its entry (and maybe exit) joined. */
struct sc_call {
	unsigned nr;
	uint64_t args[PT_NARGS];
	const struct pt_cap *cap[PT_NARGS]; /* captured data by argument, or NULL */
	/* the exit copy of an argument also captured at entry (poll, select) */
	const struct pt_cap *cap_out[PT_NARGS];
	bool exited;
	int64_t ret;
};

/* Prints arguments [from, to) separated by ", " (no parentheses). */
void decode_args(struct sbuf *out, const struct sc_call *c, unsigned from,
		 unsigned to, const struct decode_opts *o);
/* Number of arguments printed for this syscall. */
unsigned decode_nargs(unsigned nr);
/* Index of the first argument that can only be printed at exit
 * (== decode_nargs(nr) when all are known at entry). */
unsigned decode_first_exit_arg(unsigned nr);
/* Whether decode_args prints argument i: false past the syscall's arguments
 * and for open's mode without O_CREAT/O_TMPFILE (strace omits it). */
bool decode_arg_shown(const struct sc_call *c, unsigned i);
/* One argument alone (for JSON). */
void decode_arg(struct sbuf *out, const struct sc_call *c, unsigned i,
		const struct decode_opts *o);
/* "3", "-1 ENOENT (No such file or directory)", "0x7f..." */
void decode_ret(struct sbuf *out, const struct sc_call *c);
/* Name of a syscall, or "syscall_0x1c3" style for unknown numbers. */
const char *decode_name(unsigned nr, char *tmp, unsigned tmplen);
/* Errno name ("ENOENT") or NULL. */
const char *errno_name(int err);

/*
 * Points c->cap[arg] at each capture of a record's capture area: n_caps
 * captures, each a struct pt_cap then len bytes, starting 8-byte aligned,
 * all within size bytes.  Call once for the enter record and once for the
 * exit record; both must stay in memory while c is decoded.  Returns the
 * number of captures attached, or -1 if the area is malformed (captures
 * before the bad one stay attached).  The decoders rely on this check:
 * they read cap->len bytes after a capture and nothing more.
 */
int decode_set_caps(struct sc_call *c, const void *area, size_t size,
		    unsigned n_caps);

/*
 * strace's string escaping: printable ASCII as is, \t \n \v \f \r, \" \\,
 * everything else as \ooo (octal, the shortest form strace would use).
 * Appends the quoted string; "..." after the closing quote when truncated.
 */
void escape_str(struct sbuf *out, const unsigned char *s, size_t len,
		bool truncated);
/* JSON string escaping of arbitrary bytes: valid UTF-8 passes through, each
 * byte of invalid UTF-8 becomes \udcXX (Python's surrogateescape), so the
 * original bytes can be recovered exactly. */
void json_str(struct sbuf *out, const unsigned char *s, size_t len);

#endif
