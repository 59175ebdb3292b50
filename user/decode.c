// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * strace-style argument printing.  The syscall table (syscalls.c) gives
 * each argument a type; this file turns a type and a value (plus the
 * capture, for pointers) into text.  Family-specific printers live in
 * decode_file.c, decode_net.c and decode_flags.c.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "decode_priv.h"
#include "syscalls.h"

/* Types printed from data the kernel writes, so only known at exit. */
static bool is_exit_type(unsigned t)
{
	switch (t) {
	case A_BUF_OUT: case A_PATH_OUT: case A_STAT_OUT: case A_STATX_OUT:
	case A_SIGACTION_OUT: case A_SIGSET_OUT: case A_WSTATUS:
	case A_RLIMIT_OUT: case A_SYSINFO_OUT: case A_INT_PAIR_OUT:
	case A_IOCTL_ARG: case A_IOV_OUT: case A_EPOLL_EVENTS_OUT:
	case A_DIRENTS: case A_HEXBUF_OUT: case A_SOCKADDR_OUT:
	case A_SOCKOPT_OUT:
		return true;
	default:
		return false;
	}
}

unsigned decode_nargs(unsigned nr)
{
	const struct sc_info *e = sc_get(nr);

	return e->name ? e->nargs : PT_NARGS;
}

unsigned decode_first_exit_arg(unsigned nr)
{
	const struct sc_info *e = sc_get(nr);
	unsigned i;

	if (!e->decoded)
		return decode_nargs(nr);
	for (i = 0; i < e->nargs; i++)
		if (is_exit_type(e->arg[i]))
			return i;
	return e->nargs;
}

const char *decode_name(unsigned nr, char *tmp, unsigned tmplen)
{
	const struct sc_info *e = sc_get(nr);

	if (e->name)
		return e->name;
	snprintf(tmp, tmplen, "syscall_%#x", nr);
	return tmp;
}

/* The flags argument that goes with an A_OPEN_MODE: the one before it. */
bool decode_arg_shown(const struct sc_call *c, unsigned i)
{
	const struct sc_info *e = sc_get(c->nr);

	if (i >= decode_nargs(c->nr))
		return false;
	if (!e->decoded)
		return true;
	if (e->arg[i] == A_OPEN_MODE && i > 0)
		return open_flags_have_mode((uint32_t)c->args[i - 1]);
	return fdio_arg_shown(c, i, e->arg[i]) &&
	       proc_arg_shown(c, i, e->arg[i]);
}

static bool exit_ok(const struct sc_call *c)
{
	return call_ok(c);
}

static void put_dirfd(struct sbuf *out, int fd)
{
	if (fd == AT_FDCWD)
		sb_puts(out, "AT_FDCWD");
	else
		sb_printf(out, "%d", fd);
}

/* Types whose value is the argument itself. */
static bool put_scalar(struct sbuf *out, unsigned type, uint64_t v)
{
	switch (type) {
	case A_INT:
	case A_FD:
		sb_printf(out, "%d", (int)v);
		break;
	case A_UINT:
		sb_printf(out, "%u", (unsigned)v);
		break;
	case A_SIZE:
		sb_printf(out, "%llu", (unsigned long long)v);
		break;
	case A_OFF:
		sb_printf(out, "%lld", (long long)v);
		break;
	case A_PTR:
		print_ptr(out, v);
		break;
	case A_DIRFD:
		put_dirfd(out, (int)v);
		break;
	default:
		return false;
	}
	return true;
}

/* Types printed by name from a flags table. */
static bool put_named(struct sbuf *out, unsigned type, uint64_t v)
{
	switch (type) {
	case A_OPEN_FLAGS:
		print_open_flags(out, (uint32_t)v);
		break;
	case A_OPEN_MODE:
	case A_MODE:
		print_mode(out, (uint32_t)v);
		break;
	case A_AT_FLAGS:
		print_at_flags(out, (uint32_t)v);
		break;
	case A_ACCESSAT_FLAGS:
		print_accessat_flags(out, (uint32_t)v);
		break;
	case A_STATX_FLAGS:
		print_statx_flags(out, (uint32_t)v);
		break;
	case A_STATX_MASK:
		print_statx_mask(out, (uint32_t)v);
		break;
	case A_ACCESS_MODE:
		print_access_mode(out, (uint32_t)v);
		break;
	case A_WHENCE:
		print_whence(out, (uint32_t)v);
		break;
	default:
		return false;
	}
	return true;
}

/* Types read from the target's memory at entry. */
static bool put_entry_data(struct sbuf *out, const struct sc_call *c,
			   unsigned i, unsigned type, const struct decode_opts *o)
{
	const struct sc_info *e = sc_get(c->nr);
	uint64_t v = c->args[i];
	uint64_t len = c->args[e->len_arg[i] % PT_NARGS];

	switch (type) {
	case A_PATH:
		print_path(out, v, c->cap[i]);
		break;
	case A_BUF_IN:
		print_buf(out, v, c->cap[i], len, o);
		break;
	case A_SOCKADDR_IN:
		print_sockaddr(out, v, c->cap[i], (uint32_t)len);
		break;
	case A_STRV:
		print_strv(out, v, c->cap[i], o);
		break;
	case A_ENVP:
		print_envp(out, v, c->cap[i]);
		break;
	default:
		return false;
	}
	return true;
}

/* Types read from the target's memory at exit; raw hex for any other. */
static void put_exit_data(struct sbuf *out, const struct sc_call *c,
			  unsigned i, unsigned type, const struct decode_opts *o)
{
	uint64_t v = c->args[i];
	const struct pt_cap *cap = exit_ok(c) ? c->cap[i] : NULL;

	switch (type) {
	case A_BUF_OUT:
		print_buf(out, v, cap, (uint64_t)c->ret, o);
		break;
	case A_PATH_OUT:
		print_path_out(out, v, cap, (uint64_t)c->ret);
		break;
	case A_STAT_OUT:
		print_stat(out, v, cap);
		break;
	case A_STATX_OUT:
		print_statx(out, v, cap);
		break;
	default:
		print_hex(out, v);
		break;
	}
}

void decode_arg(struct sbuf *out, const struct sc_call *c, unsigned i,
		const struct decode_opts *o)
{
	const struct sc_info *e = sc_get(c->nr);
	uint64_t v;
	unsigned type;

	if (i >= PT_NARGS)
		return;
	v = c->args[i];
	type = e->decoded ? e->arg[i] : A_HEX;
	if (put_scalar(out, type, v)) {
		if (o->fd_suffix && (type == A_FD || type == A_DIRFD))
			o->fd_suffix(out, (int)v, o->fd_ctx);
		return;
	}
	if (put_named(out, type, v) || put_entry_data(out, c, i, type, o) ||
	    put_proc_arg(out, c, i, type, o) || put_mem_arg(out, c, i, type) ||
	    put_fdio_arg(out, c, i, type, o) || put_net_arg(out, c, i, type, o))
		return;
	put_exit_data(out, c, i, type, o);	/* or raw hex for the rest */
}

void decode_args(struct sbuf *out, const struct sc_call *c, unsigned from,
		 unsigned to, const struct decode_opts *o)
{
	unsigned i, n = decode_nargs(c->nr);
	bool first = true;

	/* clone's arguments are named and reordered; all known at entry */
	if (sc_get(c->nr)->decoded && sc_get(c->nr)->arg[0] == A_CLONE_FLAGS) {
		if (from == 0 && to > 0)
			print_clone_args(out, c);
		return;
	}
	for (i = from; i < to && i < n; i++) {
		if (!decode_arg_shown(c, i))
			continue;
		if (!first)
			sb_puts(out, ", ");
		decode_arg(out, c, i, o);
		first = false;
	}
}

static size_t align8(size_t v)
{
	return (v + 7) & ~(size_t)7;
}

int decode_set_caps(struct sc_call *c, const void *area, size_t size,
		    unsigned n_caps)
{
	const unsigned char *p = area;
	size_t off = 0;
	struct pt_cap hdr;
	unsigned k;

	for (k = 0; k < n_caps; k++) {
		if (size - off < sizeof(hdr))
			return -1;
		if ((uintptr_t)(p + off) % _Alignof(struct pt_cap))
			return -1;
		memcpy(&hdr, p + off, sizeof(hdr));
		if (size - off - sizeof(hdr) < hdr.len || hdr.arg >= PT_NARGS)
			return -1;
		if (hdr.flags & PT_CAP_F_EXIT)
			c->cap_out[hdr.arg] = (const struct pt_cap *)(p + off);
		else
			c->cap[hdr.arg] = (const struct pt_cap *)(p + off);
		off = align8(off + sizeof(hdr) + hdr.len);
		if (off > size)	/* the padding after the last one may be cut */
			off = size;
	}
	return (int)k;
}
