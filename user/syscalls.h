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
	/* decode_proc.c */
	A_SIGNUM,	/* SIGINT */
	A_SIGACTION_IN,	/* {sa_handler=..., sa_mask=[...], ...} at entry */
	A_SIGACTION_OUT, /* the same, written by the kernel */
	A_SIGSET_IN,	/* [INT TERM], ~[RTMIN RT_1] */
	A_SIGSET_OUT,
	A_SIGHOW,	/* SIG_BLOCK... */
	A_WSTATUS,	/* [{WIFEXITED(s) && WEXITSTATUS(s) == 0}] at exit */
	A_WAIT_OPTS,	/* WNOHANG|... */
	A_CLONE_FLAGS,	/* clone: printed by decode.c in strace's order */
	A_CLONE3_ARGS,	/* {flags=..., exit_signal=..., stack=..., ...} */
	A_FUTEX_OP,	/* FUTEX_WAIT_PRIVATE... (the other arguments follow it) */
	A_FUTEX_ARG,	/* val2/timeout, uaddr2, val3 as the op uses them */
	A_RLIMIT_RES,	/* RLIMIT_NOFILE */
	A_RLIMIT_IN,	/* {rlim_cur=..., rlim_max=...} */
	A_RLIMIT_OUT,
	A_ID,		/* uid/gid: -1 for (uid_t)-1 */
	A_ARCH_PRCTL,	/* ARCH_SET_FS */
	A_SYSINFO_OUT,	/* struct sysinfo */
	/* decode_mem.c */
	A_PROT,		/* PROT_READ|PROT_WRITE */
	A_MMAP_FLAGS,	/* MAP_PRIVATE|MAP_ANONYMOUS */
	A_MREMAP_FLAGS,
	A_MREMAP_ADDR,	/* shown only with MREMAP_FIXED/MREMAP_DONTUNMAP */
	A_MADVICE,	/* MADV_DONTNEED */
	/* decode_fdio.c */
	A_INT_PAIR_OUT,	/* [3, 4] (pipe) */
	A_PIPE_FLAGS,	/* O_NONBLOCK|O_CLOEXEC (pipe2, dup3) */
	A_FCNTL_CMD,	/* F_GETFL... */
	A_FCNTL_ARG,	/* by command: flags, FD_CLOEXEC, an int, or hidden */
	A_IOCTL_REQ,	/* TCGETS... */
	A_IOCTL_ARG,	/* by request: [int], {ws_row=...}, pointer, or hidden */
	A_IOV_IN,	/* [{iov_base="...", iov_len=N}, ...] (writev) */
	A_IOV_OUT,	/* the same at exit, data up to the return value (readv) */
	A_POLLFDS,	/* [{fd=3, events=POLLIN}] (+ revents after the return) */
	A_FDSET,	/* [3 4] (+ what is set after the return) */
	A_TIMEVAL,	/* {tv_sec=0, tv_usec=0} (select: + left) */
	A_TIMESPEC,	/* {tv_sec=0, tv_nsec=0} (pselect6, ppoll: + left) */
	A_EPOLL_FLAGS,	/* EPOLL_CLOEXEC */
	A_EPOLL_OP,	/* EPOLL_CTL_ADD */
	A_EPOLL_EVENT,	/* {events=EPOLLIN, data={u32=3, u64=3}} */
	A_EPOLL_EVENTS_OUT, /* epoll_wait's array, ret entries */
	A_DIRENTS,	/* 0x5600... / * 12 entries * / */
	A_HEXBUF_OUT,	/* "\x12\x34" (getrandom) */
	A_GRND_FLAGS,	/* GRND_NONBLOCK */
	A_FLOCK_OP,	/* LOCK_EX|LOCK_NB */
	A_CLOSE_RANGE_FLAGS,
	A_RENAME_FLAGS,	/* RENAME_NOREPLACE... */
	/* decode_net.c */
	A_SOCK_DOMAIN,	/* AF_INET */
	A_SOCK_TYPE,	/* SOCK_STREAM|SOCK_CLOEXEC */
	A_SOCK_PROTO,	/* IPPROTO_TCP, by the domain in args[0] */
	A_SOCK_FLAGS,	/* accept4: SOCK_CLOEXEC|SOCK_NONBLOCK */
	A_SOCKADDR_OUT,	/* sockaddr the kernel wrote, its length in the next arg */
	A_SOCKLEN_PTR,	/* [16] or [128 => 16]: the previous arg's length */
	A_SOCK_LEVEL,	/* SOL_SOCKET */
	A_SOCKOPT_NAME,	/* SO_REUSEADDR, by the level in args[1] */
	A_SOCKOPT_IN,	/* [1] */
	A_SOCKOPT_OUT,
	A_MSG_FLAGS,	/* MSG_DONTWAIT|MSG_NOSIGNAL */
	A_SHUT_HOW,	/* SHUT_WR */
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
	bool ret_oct;		/* return value is a mode (umask) */
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
