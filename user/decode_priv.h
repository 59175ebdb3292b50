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

#endif
