// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Class membership of syscalls for -e trace=%CLASS.
 *
 * strace(1) describes the classes ("%file: trace all system calls which take
 * a file name as an argument", "%desc: ... file descriptor related", ...);
 * the exact members below are what strace 6.1 selects on x86_64, found by
 * running a program that calls every syscall number under a seccomp filter
 * that fails them all (so none runs) with `strace -e trace=%CLASS`, and
 * keeping the names strace printed.  tests/unit/test_sysclass.c repeats that
 * experiment against the installed strace and compares with these tables.
 *
 * Names, not numbers: a name the kernel headers of this build do not know
 * is skipped.
 */
#include <stddef.h>
#include <string.h>

#include "syscalls.h"
#include "sysclass.h"

static const char *const cls_file[] = {
	"access", "acct", "chdir", "chmod", "chown", "chroot", "creat",
	"execve", "execveat", "faccessat", "faccessat2", "fanotify_mark",
	"fchmodat", "fchownat", "fsconfig", "fspick", "futimesat", "getcwd",
	"getxattr", "inotify_add_watch", "lchown", "lgetxattr", "link",
	"linkat", "listxattr", "llistxattr", "lremovexattr", "lsetxattr",
	"lstat", "mkdir", "mkdirat", "mknod", "mknodat", "mount",
	"mount_setattr", "move_mount", "name_to_handle_at", "newfstatat",
	"open", "open_tree", "openat", "openat2", "pivot_root", "quotactl",
	"readlink", "readlinkat", "removexattr", "rename", "renameat",
	"renameat2", "rmdir", "setxattr", "stat", "statfs", "statx",
	"swapoff", "swapon", "symlink", "symlinkat", "truncate", "umount2",
	"unlink", "unlinkat", "uselib", "utime", "utimensat", "utimes",
	NULL,
};

static const char *const cls_desc[] = {
	"bpf", "close", "copy_file_range", "creat", "dup", "dup2", "dup3",
	"epoll_create", "epoll_create1", "epoll_ctl", "epoll_pwait",
	"epoll_pwait2", "epoll_wait", "eventfd", "eventfd2", "execveat",
	"faccessat", "faccessat2", "fadvise64", "fallocate", "fanotify_init",
	"fanotify_mark", "fchdir", "fchmod", "fchmodat", "fchown",
	"fchownat", "fcntl", "fdatasync", "fgetxattr", "finit_module",
	"flistxattr", "flock", "fremovexattr", "fsconfig", "fsetxattr",
	"fsmount", "fsopen", "fspick", "fstat", "fstatfs", "fsync",
	"ftruncate", "futimesat", "getdents", "getdents64",
	"inotify_add_watch", "inotify_init", "inotify_init1",
	"inotify_rm_watch", "io_uring_enter", "io_uring_register",
	"io_uring_setup", "ioctl", "kexec_file_load", "landlock_add_rule",
	"landlock_create_ruleset", "landlock_restrict_self", "linkat",
	"lseek", "memfd_create", "memfd_secret", "mkdirat", "mknodat",
	"mmap", "mount_setattr", "move_mount", "mq_getsetattr", "mq_notify",
	"mq_open", "mq_timedreceive", "mq_timedsend", "name_to_handle_at",
	"newfstatat", "open", "open_by_handle_at", "open_tree", "openat",
	"openat2", "perf_event_open", "pidfd_getfd", "pidfd_open",
	"pidfd_send_signal", "pipe", "pipe2", "poll", "ppoll", "pread64",
	"preadv", "preadv2", "process_madvise", "process_mrelease",
	"pselect6", "pwrite64", "pwritev", "pwritev2", "quotactl_fd", "read",
	"readahead", "readlinkat", "readv", "renameat", "renameat2",
	"select", "sendfile", "setns", "signalfd", "signalfd4", "splice",
	"statx", "symlinkat", "sync_file_range", "syncfs", "tee",
	"timerfd_create", "timerfd_gettime", "timerfd_settime", "unlinkat",
	"userfaultfd", "utimensat", "vmsplice", "write", "writev",
	NULL,
};

static const char *const cls_net[] = {
	"accept", "accept4", "bind", "connect", "getpeername", "getpmsg",
	"getsockname", "getsockopt", "listen", "putpmsg", "recvfrom",
	"recvmmsg", "recvmsg", "sendfile", "sendmmsg", "sendmsg", "sendto",
	"setsockopt", "shutdown", "socket", "socketpair",
	NULL,
};

static const char *const cls_process[] = {
	"clone", "clone3", "execve", "execveat", "exit", "exit_group",
	"fork", "kill", "pidfd_send_signal", "rt_sigqueueinfo",
	"rt_tgsigqueueinfo", "tgkill", "tkill", "vfork", "wait4", "waitid",
	NULL,
};

static const char *const cls_memory[] = {
	"brk", "get_mempolicy", "io_destroy", "io_setup",
	"io_uring_register", "madvise", "mbind", "migrate_pages", "mincore",
	"mlock", "mlock2", "mlockall", "mmap", "move_pages", "mprotect",
	"mremap", "msync", "munlock", "munlockall", "munmap",
	"pkey_mprotect", "remap_file_pages", "set_mempolicy",
	"set_mempolicy_home_node", "shmat", "shmdt",
	NULL,
};

static const char *const cls_signal[] = {
	"io_uring_enter", "kill", "pause", "pidfd_send_signal",
	"rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo",
	"rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait",
	"rt_tgsigqueueinfo", "sigaltstack", "signalfd", "signalfd4",
	"tgkill", "tkill",
	NULL,
};

static const char *const cls_ipc[] = {
	"msgctl", "msgget", "msgrcv", "msgsnd", "semctl", "semget", "semop",
	"semtimedop", "shmat", "shmctl", "shmdt", "shmget",
	NULL,
};

static const char *const cls_creds[] = {
	"capget", "capset", "getegid", "geteuid", "getgid", "getgroups",
	"getresgid", "getresuid", "getuid", "setfsgid", "setfsuid", "setgid",
	"setgroups", "setregid", "setresgid", "setresuid", "setreuid",
	"setuid",
	NULL,
};

static const char *const cls_clock[] = {
	"adjtimex", "clock_adjtime", "clock_getres", "clock_gettime",
	"clock_settime", "gettimeofday", "settimeofday", "time",
	NULL,
};

static const char *const cls_stat[] = {
	"stat",
	NULL,
};

static const char *const cls_lstat[] = {
	"lstat",
	NULL,
};

static const char *const cls_fstat[] = {
	"fstat", "newfstatat", "statx",
	NULL,
};

static const char *const cls_statfs[] = {
	"statfs",
	NULL,
};

static const char *const cls_fstatfs[] = {
	"fstatfs",
	NULL,
};

static const char *const cls_pure[] = {
	"getegid", "geteuid", "getgid", "getpgrp", "getpid", "getppid",
	"gettid", "getuid",
	NULL,
};

static const char *const cls_any_stat[] = {
	"fstat", "lstat", "newfstatat", "stat", "statx",
	NULL,
};

static const char *const cls_any_statfs[] = {
	"fstatfs", "statfs", "ustat",
	NULL,
};

struct sysclass {
	const char *name;
	const char *const *members;
};

/* "net" and "network" are two names of one class; "%stat" and "%statfs"
 * are strace's %%stat and %%statfs (every stat, every statfs variant). */
static const struct sysclass classes[] = {
	{ "file", cls_file },		{ "desc", cls_desc },
	{ "net", cls_net },		{ "network", cls_net },
	{ "process", cls_process },	{ "memory", cls_memory },
	{ "signal", cls_signal },	{ "ipc", cls_ipc },
	{ "creds", cls_creds },		{ "clock", cls_clock },
	{ "stat", cls_stat },		{ "lstat", cls_lstat },
	{ "fstat", cls_fstat },		{ "%stat", cls_any_stat },
	{ "statfs", cls_statfs },	{ "fstatfs", cls_fstatfs },
	{ "%statfs", cls_any_statfs },	{ "pure", cls_pure },
};

#define NCLASSES (sizeof(classes) / sizeof(classes[0]))

int sysclass_fill(const char *cls, uint64_t *mask)
{
	for (size_t i = 0; i < NCLASSES; i++) {
		if (strcmp(classes[i].name, cls))
			continue;
		for (const char *const *m = classes[i].members; *m; m++) {
			int nr = sc_by_name(*m);

			if (nr >= 0 && nr < PT_NR_SYSCALLS)
				mask[nr / 64] |= 1ull << (nr % 64);
		}
		return 0;
	}
	return -1;
}

const char *const *sysclass_names(void)
{
	static const char *names[NCLASSES + 1];

	if (!names[0])
		for (size_t i = 0; i < NCLASSES; i++)
			names[i] = classes[i].name;
	return names;
}
