/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The syscall table: one entry per syscall number with its name, and for the
 * syscalls pytrace decodes, the type of each argument.  The argument types
 * drive both what the BPF side captures (struct pt_spec) and how user space
 * prints it, so the two never disagree.
 */
#ifndef PT_SYSCALLS_H
#define PT_SYSCALLS_H

#include <stdbool.h>
#include <stdint.h>

#include "pytrace.h"

/* How one argument is printed (and, through its kind, captured). */
enum sc_arg {
	A_NONE = 0,	/* not an argument (beyond nargs) */
	A_INT,		/* signed decimal */
	A_UINT,		/* unsigned decimal */
	A_HEX,		/* 0x... */
	A_PTR,		/* pointer: NULL or 0x... */
	A_FD,		/* file descriptor (decimal; -y adds the path later) */
	A_DIRFD,	/* AT_FDCWD or fd */
	A_PATH,		/* "path" (captured at entry) */
	A_OPEN_FLAGS,	/* O_RDONLY|O_CLOEXEC... */
	A_OPEN_MODE,	/* 0644, printed only if flags have O_CREAT/O_TMPFILE */
	A_MODE,		/* 0644 */
	A_BUF_IN,	/* "data"... at entry, length in another argument */
	A_BUF_OUT,	/* "data"... at exit, length = return value */
	A_SIZE,		/* unsigned decimal length */
	A_STAT_OUT,	/* struct stat at exit */
	A_STATX_OUT,	/* struct statx at exit */
	A_AT_FLAGS,	/* AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH... */
	A_STRV,		/* ["a", "b"] (execve argv) */
	A_ENVP,		/* 0x7ffd... / * N vars * / */
	A_SOCKADDR_IN,	/* {sa_family=AF_INET, sin_port=htons(80), ...} */
	A_ACCESS_MODE,	/* F_OK / R_OK|W_OK... */
	A_WHENCE,	/* SEEK_SET... */
	A_OFF,		/* signed 64-bit offset */
	A_ACCESSAT_FLAGS, /* faccessat2: AT_EACCESS|AT_SYMLINK_NOFOLLOW... */
	A_STATX_FLAGS,	/* AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW... */
	A_STATX_MASK,	/* STATX_BASIC_STATS|STATX_BTIME... */
	A_PATH_OUT,	/* "path" written by the kernel (getcwd), at exit */
	A_NR_TYPES
};

struct sc_info {
	const char *name;	/* NULL: unknown number */
	uint8_t nargs;		/* 0 with decoded == false: print raw 6 args */
	bool decoded;		/* arg[] is meaningful */
	uint8_t arg[PT_NARGS];	/* enum sc_arg */
	uint8_t len_arg[PT_NARGS]; /* A_BUF_IN / A_SOCKADDR_IN: which arg is the length */
	bool ret_fd;		/* return value is a file descriptor */
	bool ret_hex;		/* return value is an address (mmap, brk) */
};

/* Entry for syscall nr; never NULL (unknown numbers get a blank entry). */
const struct sc_info *sc_get(unsigned nr);
/* Syscall number for a name, or -1. */
int sc_by_name(const char *name);
/*
 * Capture plan for the BPF side, derived from the argument types.  Besides
 * kind and len_arg, size[] carries a bound for every kind that has one:
 * STRUCT_*: sizeof the struct; PATH: PT_PATH_MAX; BUF_IN/BUF_OUT: most bytes
 * worth copying (min(strsize, PT_CAP_BYTES), or PT_PATH_MAX for a path the
 * kernel writes); SOCKADDR_IN: sizeof(struct sockaddr_storage); STRV: most
 * bytes copied per string, strsize + 1 so that the decoder can tell a string
 * longer than -s from one exactly as long, or 0 for envp, where only the
 * count (full_len) is printed.
 */
void sc_spec(unsigned nr, struct pt_spec *spec, unsigned strsize);
/* Highest syscall number + 1 in the table. */
unsigned sc_count(void);

#endif
