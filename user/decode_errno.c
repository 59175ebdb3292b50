// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Return values: "3", "0x7f...", "-1 ENOENT (No such file or directory)". */
#include <stdio.h>
#include <string.h>

#include "decode_priv.h"
#include "errno_names.h"
#include "syscalls.h"

#define MAX_ERRNO 4095	/* the kernel's error return range is -4095..-1 */

static const char *const uapi_errnos[] = { PT_ERRNO_NAMES };

/*
 * The kernel's internal errnos (include/linux/errno.h, not in UAPI): a
 * tracer sees them at syscall exit before signal handling turns them into
 * a restart or EINTR.
 */
#define KERNEL_ERRNO_BASE 512
static const char *const kernel_errnos[] = {
	"ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", "ENOIOCTLCMD",
	"ERESTART_RESTARTBLOCK", "EPROBE_DEFER", "EOPENSTALE", NULL, NULL,
	"EBADHANDLE", "ENOTSYNC", "EBADCOOKIE", "ENOTSUPP", "ETOOSMALL",
	"ESERVERFAULT", "EBADTYPE", "EJUKEBOX", "EIOCBQUEUED",
	"ERECALLCONFLICT",
};

/* The restarts are not failures: strace prints "= ?" and its own text. */
static const struct {
	int err;
	const char *msg;
} restarts[] = {
	{ 512, "To be restarted if SA_RESTART is set" },
	{ 513, "To be restarted" },
	{ 514, "To be restarted if no handler" },
	{ 516, "Interrupted by signal" },
};

const char *errno_name(int err)
{
	unsigned k = (unsigned)err - KERNEL_ERRNO_BASE;

	if (err > 0 && (size_t)err < ARRAY_LEN(uapi_errnos))
		return uapi_errnos[err];
	if (err >= KERNEL_ERRNO_BASE && k < ARRAY_LEN(kernel_errnos))
		return kernel_errnos[k];
	return NULL;
}

static const char *restart_msg(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(restarts); i++)
		if (restarts[i].err == err)
			return restarts[i].msg;
	return NULL;
}

static void put_error(struct sbuf *out, int err)
{
	const char *name = errno_name(err);
	const char *msg = restart_msg(err);

	if (msg)
		sb_printf(out, "? %s (%s)", name, msg);
	else if (name)
		sb_printf(out, "-1 %s (%s)", name, strerror(err));
	else
		sb_printf(out, "-1 (errno %d)", err);
}

void decode_ret(struct sbuf *out, const struct sc_call *c)
{
	const struct sc_info *e = sc_get(c->nr);

	if (!c->exited)
		sb_putc(out, '?');
	else if (c->ret < 0 && c->ret >= -MAX_ERRNO)
		put_error(out, (int)-c->ret);
	else if (e->ret_hex)
		print_hex(out, (uint64_t)c->ret);
	else if (e->ret_oct)
		print_mode(out, (uint32_t)c->ret);
	else
		put_ret_detail(out, c);
}
