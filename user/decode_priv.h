/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Helpers shared by the decode_*.c files; not for other modules. */
#ifndef PT_DECODE_PRIV_H
#define PT_DECODE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"

/* One named bit (or group of bits) of a flags word. */
struct flag {
	uint32_t val;
	const char *name;
};

#define FLAG(x) { (x), #x }
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A capture whose bytes can be printed (present and read without fault). */
static inline bool cap_usable(const struct pt_cap *cap)
{
	return cap && !(cap->flags & PT_CAP_F_FAULT);
}

static inline const unsigned char *cap_bytes(const struct pt_cap *cap)
{
	return (const unsigned char *)(cap + 1);
}

static inline size_t min_sz(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* NULL or 0x7ffd... */
void print_ptr(struct sbuf *out, uint64_t v);
/* "%#llx" as strace prints raw values: 0 is "0". */
void print_hex(struct sbuf *out, uint64_t v);

/* decode_flags.c */
void print_flags(struct sbuf *out, const struct flag *tab, size_t n,
		 uint32_t v, const char *unknown);
void print_open_flags(struct sbuf *out, uint32_t v);
bool open_flags_have_mode(uint32_t v);
void print_at_flags(struct sbuf *out, uint32_t v);
void print_accessat_flags(struct sbuf *out, uint32_t v);
void print_statx_flags(struct sbuf *out, uint32_t v);
void print_statx_mask(struct sbuf *out, uint32_t v);
void print_statx_attrs(struct sbuf *out, uint64_t v);
void print_access_mode(struct sbuf *out, uint32_t v);
void print_whence(struct sbuf *out, uint32_t v);
void print_st_mode(struct sbuf *out, uint32_t mode);
void print_mode(struct sbuf *out, uint32_t mode);
void put_flags64(struct sbuf *out, const struct flag *tab, size_t n,
		 uint64_t v, const char *unknown);
/* The name of v in a table of single values, or "%#x / * unknown * /". */
void print_xval(struct sbuf *out, const struct flag *tab, size_t n,
		uint64_t v, const char *unknown);

/* decode_file.c: entry captures (paths, buffers, argv) and exit structs */
void print_path(struct sbuf *out, uint64_t addr, const struct pt_cap *cap);
void print_path_out(struct sbuf *out, uint64_t addr, const struct pt_cap *cap,
		    uint64_t len);
void print_buf(struct sbuf *out, uint64_t addr, const struct pt_cap *cap,
	       uint64_t len, const struct decode_opts *o);
void print_stat(struct sbuf *out, uint64_t addr, const struct pt_cap *cap);
void print_statx(struct sbuf *out, uint64_t addr, const struct pt_cap *cap);
void print_strv(struct sbuf *out, uint64_t addr, const struct pt_cap *cap,
		const struct decode_opts *o);
void print_envp(struct sbuf *out, uint64_t addr, const struct pt_cap *cap);

/* decode_net.c */
void print_sockaddr(struct sbuf *out, uint64_t addr, const struct pt_cap *cap,
		    uint32_t addrlen);

/* Exit data exists only for a call that returned without error. */
static inline bool call_ok(const struct sc_call *c)
{
	return c->exited && c->ret >= 0;
}

/* A capture of argument i made at exit, or NULL if the call failed. */
static inline const struct pt_cap *cap_at_exit(const struct sc_call *c,
					       unsigned i)
{
	return call_ok(c) ? c->cap[i] : NULL;
}

/* Bytes of a capture as a fixed-size struct, or NULL if shorter. */
static inline const void *cap_struct(const struct pt_cap *cap, size_t size)
{
	return cap_usable(cap) && cap->len >= size ? cap_bytes(cap) : NULL;
}

/* Printers of one argument type each, per family; all return false for
 * a type they do not handle. */
bool put_proc_arg(struct sbuf *out, const struct sc_call *c, unsigned i,
		  unsigned type, const struct decode_opts *o);
bool put_mem_arg(struct sbuf *out, const struct sc_call *c, unsigned i,
		 unsigned type);
bool put_fdio_arg(struct sbuf *out, const struct sc_call *c, unsigned i,
		  unsigned type, const struct decode_opts *o);
bool put_net_arg(struct sbuf *out, const struct sc_call *c, unsigned i,
		 unsigned type, const struct decode_opts *o);
/* Whether an argument of these types is printed for this call. */
bool fdio_arg_shown(const struct sc_call *c, unsigned i, unsigned type);
bool proc_arg_shown(const struct sc_call *c, unsigned i, unsigned type);
/* clone's arguments in strace's order, with their names. */
void print_clone_args(struct sbuf *out, const struct sc_call *c);
/* What strace adds after some return values: " (flags O_RDWR)",
 * " ([{fd=3, revents=POLLIN}])", " (Timeout)". */
void put_ret_detail(struct sbuf *out, const struct sc_call *c);
void print_sigset(struct sbuf *out, uint64_t mask);
void print_timespec(struct sbuf *out, const void *ts, bool usec);
void escape_hex(struct sbuf *out, const unsigned char *s, size_t len,
		bool truncated);

#endif
