// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Arguments that point to memory: paths, buffers, argv, and the stat
 * structs the kernel fills.  Each one prints the bytes BPF captured, or
 * the pointer itself when there is no usable capture, as strace does when
 * it cannot read the target's memory.
 */
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "decode_priv.h"

void print_ptr(struct sbuf *out, uint64_t v)
{
	if (v)
		print_hex(out, v);
	else
		sb_puts(out, "NULL");
}

void print_hex(struct sbuf *out, uint64_t v)
{
	sb_printf(out, "%#llx", (unsigned long long)v);
}

/* Bytes up to the first NUL, as the C string they are. */
static size_t str_len(const unsigned char *s, size_t len)
{
	const unsigned char *nul = memchr(s, '\0', len);

	return nul ? (size_t)(nul - s) : len;
}

/* Paths are printed whole: strace's -s does not apply to them. */
void print_path(struct sbuf *out, uint64_t addr, const struct pt_cap *cap)
{
	size_t n;

	if (!addr || !cap_usable(cap)) {
		print_ptr(out, addr);
		return;
	}
	n = str_len(cap_bytes(cap), cap->len);
	escape_str(out, cap_bytes(cap), n,
		   n == cap->len && (cap->flags & PT_CAP_F_TRUNC));
}

/* A path the kernel wrote, len bytes with its NUL (getcwd's return). */
void print_path_out(struct sbuf *out, uint64_t addr, const struct pt_cap *cap,
		    uint64_t len)
{
	size_t avail, n;

	if (!addr || !cap_usable(cap)) {
		print_ptr(out, addr);
		return;
	}
	avail = min_sz(cap->len, len);
	n = str_len(cap_bytes(cap), avail);
	escape_str(out, cap_bytes(cap), n, n == avail && avail < len);
}

/* A data buffer of len bytes, cut at -s with "..." after the quote. */
void print_buf(struct sbuf *out, uint64_t addr, const struct pt_cap *cap,
	       uint64_t len, const struct decode_opts *o)
{
	size_t show;
	bool cut;

	if (!addr || !cap_usable(cap)) {
		print_ptr(out, addr);
		return;
	}
	show = len < o->strsize ? (size_t)len : o->strsize;
	cut = len > show;
	if (cap->len < show) {	/* BPF copied less than -s asks */
		show = cap->len;
		cut = true;
	}
	escape_str(out, cap_bytes(cap), show, cut);
}

static void print_rdev(struct sbuf *out, uint64_t rdev)
{
	sb_printf(out, "makedev(%#x, %#x)", major(rdev), minor(rdev));
}

static bool is_dev(uint32_t mode)
{
	return S_ISCHR(mode) || S_ISBLK(mode);
}

/* strace's abbreviated struct stat: devices show st_rdev, others st_size. */
void print_stat(struct sbuf *out, uint64_t addr, const struct pt_cap *cap)
{
	struct stat st;

	if (!addr || !cap_usable(cap) || cap->len < sizeof(st)) {
		print_ptr(out, addr);
		return;
	}
	memcpy(&st, cap_bytes(cap), sizeof(st));
	sb_puts(out, "{st_mode=");
	print_st_mode(out, st.st_mode);
	if (is_dev(st.st_mode)) {
		sb_puts(out, ", st_rdev=");
		print_rdev(out, st.st_rdev);
	} else {
		sb_printf(out, ", st_size=%lld", (long long)st.st_size);
	}
	sb_puts(out, ", ...}");
}

void print_statx(struct sbuf *out, uint64_t addr, const struct pt_cap *cap)
{
	struct statx sx;

	if (!addr || !cap_usable(cap) || cap->len < sizeof(sx)) {
		print_ptr(out, addr);
		return;
	}
	memcpy(&sx, cap_bytes(cap), sizeof(sx));
	sb_puts(out, "{stx_mask=");
	print_statx_mask(out, sx.stx_mask);
	sb_puts(out, ", stx_attributes=");
	print_statx_attrs(out, sx.stx_attributes);
	sb_puts(out, ", stx_mode=");
	print_st_mode(out, sx.stx_mode);
	sb_printf(out, ", stx_size=%llu, ...}", (unsigned long long)sx.stx_size);
}

/*
 * Walks a PT_CAP_STRV capture: entries of u16 length + bytes.  Returns the
 * number of entries printed; *ended says the capture ran out (or was
 * malformed) before 'max' entries.
 */
static unsigned put_strv_entries(struct sbuf *out, const struct pt_cap *cap,
				 unsigned max, const struct decode_opts *o,
				 bool *ended)
{
	const unsigned char *p = cap_bytes(cap);
	size_t off = 0, len = cap->len;
	unsigned k;
	uint16_t n;

	*ended = false;
	for (k = 0; k < max; k++) {
		if (len - off < sizeof(n)) {
			*ended = true;
			break;
		}
		memcpy(&n, p + off, sizeof(n));
		off += sizeof(n);
		if (len - off < n) {
			*ended = true;
			break;
		}
		if (k)
			sb_puts(out, ", ");
		/* BPF copies strsize + 1 bytes, so more than -s means cut. */
		escape_str(out, p + off, min_sz(n, o->strsize), n > o->strsize);
		off += n;
	}
	return k;
}

/* ["python3", "x.py"]: at most -s entries, then "...". */
void print_strv(struct sbuf *out, uint64_t addr, const struct pt_cap *cap,
		const struct decode_opts *o)
{
	unsigned max, k;
	bool ended, more;

	if (!addr || !cap_usable(cap)) {
		print_ptr(out, addr);
		return;
	}
	max = cap->full_len < o->strsize ? cap->full_len : o->strsize;
	sb_putc(out, '[');
	k = put_strv_entries(out, cap, max, o, &ended);
	more = k < cap->full_len || (ended && (cap->flags & PT_CAP_F_TRUNC));
	if (more)
		sb_puts(out, k ? ", ..." : "...");
	sb_putc(out, ']');
}

/* 0x7ffd... / * 23 vars * /: the environment is counted, not shown. */
void print_envp(struct sbuf *out, uint64_t addr, const struct pt_cap *cap)
{
	print_ptr(out, addr);
	if (!addr || !cap_usable(cap))
		return;
	sb_printf(out, " /* %u var%s */", cap->full_len,
		  cap->full_len == 1 ? "" : "s");
}
