/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What a process's file descriptors refer to, for -y/-yy and -P: paths
 * ("/tmp/x"), "pipe:[123]", and with -yy sockets' ends
 * ("TCP:[127.0.0.1:40000->127.0.0.1:8080]").
 *
 * Resolved in user space when a line is printed, which is after the fact:
 * the process may have closed the fd already.  So a descriptor's target is
 * learnt when the call that made it is seen (open's path, or /proc/PID/fd/N
 * right then), cached per (process, fd), and forgotten on close, dup2 onto
 * it, exec and exit.  The tracer keeps those calls in the kernel's syscall
 * set while -y or -P is on, even when they are not shown.
 */
#ifndef PT_FDPATH_H
#define PT_FDPATH_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "sbuf.h"

struct fdpath;

/* level: 1 for -y, 2 for -yy. */
struct fdpath *fdpath_new(unsigned level);
void fdpath_free(struct fdpath *f);

/* The target of fd in process tgid, or NULL if it cannot be known. */
const char *fdpath_get(struct fdpath *f, uint32_t tgid, int fd);
/* Appends "<target>" (nothing if unknown), as strace -y does. */
void fdpath_put(struct fdpath *f, struct sbuf *out, uint32_t tgid, int fd);

/* Before a completed call is printed: learns the fd it returned. */
void fdpath_learn(struct fdpath *f, uint32_t tgid, const struct sc_call *c);
/* After it is printed: forgets fds it closed or replaced. */
void fdpath_forget(struct fdpath *f, uint32_t tgid, const struct sc_call *c);
/* The process exec'd or exited. */
void fdpath_drop_proc(struct fdpath *f, uint32_t tgid);

/* Whether a completed call names one of paths, or an fd open on one (-P). */
bool fdpath_touches(struct fdpath *f, uint32_t tgid, const struct sc_call *c,
		    const char *const *paths, int npaths);

/* Adds to mask the calls the cache must see to stay right. */
void fdpath_needed_calls(uint64_t *mask);

#endif
