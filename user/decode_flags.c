// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Flag and constant tables, printed the way strace prints them: entries
 * are tried in table order and each one found clears its bits, so the
 * order of a table is the order of the output, and an entry covering
 * several bits (O_SYNC, STATX_ALL) must come before its parts.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/stat.h>

#include "decode_priv.h"

/*
 * The kernel's values for open flags that glibc does not give on x86_64:
 * O_LARGEFILE is 0 for 64-bit user space, and glibc's __O_TMPFILE and
 * O_SYNC include other bits.
 */
#define K_O_LARGEFILE 0100000
#define K_O_TMPFILE_BIT 020000000	/* __O_TMPFILE alone */
#define K_O_SYNC_BIT 04000000		/* __O_SYNC alone */

#ifndef STATX_DIOALIGN
#define STATX_DIOALIGN 0x2000U
#endif

static const struct flag open_flags[] = {
	FLAG(O_CREAT), FLAG(O_EXCL), FLAG(O_NOCTTY), FLAG(O_TRUNC),
	FLAG(O_APPEND), FLAG(O_NONBLOCK), FLAG(O_SYNC), FLAG(O_DSYNC),
	{ K_O_SYNC_BIT, "__O_SYNC" }, FLAG(O_DIRECT),
	{ K_O_LARGEFILE, "O_LARGEFILE" }, FLAG(O_NOFOLLOW), FLAG(O_NOATIME),
	FLAG(O_CLOEXEC), FLAG(O_PATH), FLAG(O_TMPFILE), FLAG(O_DIRECTORY),
	{ K_O_TMPFILE_BIT, "__O_TMPFILE" }, FLAG(FASYNC),
};

static const char *const open_accmodes[] = {
	"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE",
};

/* The *at() flags, common to newfstatat, unlinkat, linkat, statx. */
static const struct flag at_flags[] = {
	FLAG(AT_SYMLINK_NOFOLLOW), FLAG(AT_REMOVEDIR), FLAG(AT_SYMLINK_FOLLOW),
	FLAG(AT_NO_AUTOMOUNT), FLAG(AT_EMPTY_PATH), FLAG(AT_RECURSIVE),
};

static const struct flag accessat_flags[] = {
	FLAG(AT_SYMLINK_NOFOLLOW), FLAG(AT_EACCESS), FLAG(AT_EMPTY_PATH),
};

/* statx's sync type, printed before the other flags. */
static const struct flag statx_sync[] = {
	FLAG(AT_STATX_FORCE_SYNC), FLAG(AT_STATX_DONT_SYNC),
};

static const struct flag statx_mask[] = {
	FLAG(STATX_ALL), FLAG(STATX_BASIC_STATS), FLAG(STATX_TYPE),
	FLAG(STATX_MODE), FLAG(STATX_NLINK), FLAG(STATX_UID), FLAG(STATX_GID),
	FLAG(STATX_ATIME), FLAG(STATX_MTIME), FLAG(STATX_CTIME),
	FLAG(STATX_INO), FLAG(STATX_SIZE), FLAG(STATX_BLOCKS),
	FLAG(STATX_BTIME), FLAG(STATX_MNT_ID), FLAG(STATX_DIOALIGN),
};

static const struct flag statx_attrs[] = {
	FLAG(STATX_ATTR_COMPRESSED), FLAG(STATX_ATTR_IMMUTABLE),
	FLAG(STATX_ATTR_APPEND), FLAG(STATX_ATTR_NODUMP),
	FLAG(STATX_ATTR_ENCRYPTED), FLAG(STATX_ATTR_AUTOMOUNT),
	FLAG(STATX_ATTR_MOUNT_ROOT), FLAG(STATX_ATTR_VERITY),
	FLAG(STATX_ATTR_DAX),
};

/* In strace's order, which is not the order of the values. */
static const struct flag access_modes[] = {
	FLAG(R_OK), FLAG(W_OK), FLAG(X_OK),
};

static const char *const whences[] = {
	[SEEK_SET] = "SEEK_SET", [SEEK_CUR] = "SEEK_CUR",
	[SEEK_END] = "SEEK_END", [SEEK_DATA] = "SEEK_DATA",
	[SEEK_HOLE] = "SEEK_HOLE",
};

static const struct flag file_types[] = {
	FLAG(S_IFREG), FLAG(S_IFDIR), FLAG(S_IFCHR), FLAG(S_IFBLK),
	FLAG(S_IFIFO), FLAG(S_IFLNK), FLAG(S_IFSOCK),
};

static const struct flag mode_bits[] = {
	FLAG(S_ISUID), FLAG(S_ISGID), FLAG(S_ISVTX),
};

/*
 * Prints the names found in *v, "|"-separated, clearing their bits.
 * 'first' says whether nothing precedes; returns whether anything is
 * printed now (or was before).
 */
static bool put_bits(struct sbuf *out, const struct flag *tab, size_t n,
		     uint64_t *v, bool first)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!tab[i].val || (*v & tab[i].val) != tab[i].val)
			continue;
		if (!first)
			sb_putc(out, '|');
		sb_puts(out, tab[i].name);
		*v &= ~(uint64_t)tab[i].val;
		first = false;
	}
	return !first;
}

/* Bits no table names: "|0x..." after names, "0x... / * X_??? * /" alone. */
static void put_rest(struct sbuf *out, uint64_t v, bool named,
		     const char *unknown)
{
	if (!v)
		return;
	if (named)
		sb_printf(out, "|%#llx", (unsigned long long)v);
	else if (unknown)
		sb_printf(out, "%#llx /* %s */", (unsigned long long)v, unknown);
	else
		sb_printf(out, "%#llx", (unsigned long long)v);
}

void put_flags64(struct sbuf *out, const struct flag *tab, size_t n,
			uint64_t v, const char *unknown)
{
	bool named;

	if (!v) {
		sb_putc(out, '0');
		return;
	}
	/* Two statements: put_bits() clears the bits it names in v, and the
	 * order in which a call's arguments are evaluated is unspecified
	 * (clang reads v first, gcc last). */
	named = put_bits(out, tab, n, &v, true);
	put_rest(out, v, named, unknown);
}

void print_flags(struct sbuf *out, const struct flag *tab, size_t n,
		 uint32_t v, const char *unknown)
{
	put_flags64(out, tab, n, v, unknown);
}

void print_open_flags(struct sbuf *out, uint32_t v)
{
	uint64_t rest = v & ~(uint64_t)O_ACCMODE;

	sb_puts(out, open_accmodes[v & O_ACCMODE]);
	put_bits(out, open_flags, ARRAY_LEN(open_flags), &rest, false);
	put_rest(out, rest, true, NULL);
}

/* The kernel reads the mode argument only when it creates a file. */
bool open_flags_have_mode(uint32_t v)
{
	return v & (O_CREAT | K_O_TMPFILE_BIT);
}

void print_at_flags(struct sbuf *out, uint32_t v)
{
	print_flags(out, at_flags, ARRAY_LEN(at_flags), v, "AT_???");
}

void print_accessat_flags(struct sbuf *out, uint32_t v)
{
	print_flags(out, accessat_flags, ARRAY_LEN(accessat_flags), v,
		    "AT_???");
}

/* AT_STATX_SYNC_AS_STAT is 0: it is named whenever no sync bit is set. */
void print_statx_flags(struct sbuf *out, uint32_t v)
{
	uint64_t rest = v;
	bool named;

	if (v & AT_STATX_SYNC_TYPE)
		put_bits(out, statx_sync, ARRAY_LEN(statx_sync), &rest, true);
	else
		sb_puts(out, "AT_STATX_SYNC_AS_STAT");
	named = put_bits(out, at_flags, ARRAY_LEN(at_flags), &rest, false);
	put_rest(out, rest, named, NULL);
}

void print_statx_mask(struct sbuf *out, uint32_t v)
{
	print_flags(out, statx_mask, ARRAY_LEN(statx_mask), v, "STATX_???");
}

void print_statx_attrs(struct sbuf *out, uint64_t v)
{
	put_flags64(out, statx_attrs, ARRAY_LEN(statx_attrs), v,
		    "STATX_ATTR_???");
}

void print_access_mode(struct sbuf *out, uint32_t v)
{
	if (!v) {
		sb_puts(out, "F_OK");
		return;
	}
	print_flags(out, access_modes, ARRAY_LEN(access_modes), v, "?_OK");
}

void print_whence(struct sbuf *out, uint32_t v)
{
	if (v < ARRAY_LEN(whences) && whences[v])
		sb_puts(out, whences[v]);
	else
		sb_printf(out, "%#x /* SEEK_??? */", v);
}

/* A mode argument: plain octal, at least three digits (000, 0644). */
void print_mode(struct sbuf *out, uint32_t mode)
{
	sb_printf(out, "%#03o", mode);
}

/* A file's mode from stat: S_IFREG|S_ISUID|0755. */
void print_st_mode(struct sbuf *out, uint32_t mode)
{
	uint64_t special = mode & 07000;
	size_t i;

	for (i = 0; i < ARRAY_LEN(file_types); i++)
		if ((mode & S_IFMT) == file_types[i].val)
			break;
	if (i == ARRAY_LEN(file_types) && (mode & S_IFMT)) {
		print_mode(out, mode);	/* no file type to name */
		return;
	}
	if (i < ARRAY_LEN(file_types))
		sb_printf(out, "%s|", file_types[i].name);
	if (put_bits(out, mode_bits, ARRAY_LEN(mode_bits), &special, true))
		sb_putc(out, '|');
	print_mode(out, mode & 0777);
}

void print_xval(struct sbuf *out, const struct flag *tab, size_t n,
		uint64_t v, const char *unknown)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (tab[i].val == v) {
			sb_puts(out, tab[i].name);
			return;
		}
	}
	if (unknown)
		sb_printf(out, "%#llx /* %s */", (unsigned long long)v, unknown);
	else
		sb_printf(out, "%llu", (unsigned long long)v);
}
