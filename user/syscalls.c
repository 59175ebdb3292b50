// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The syscall table.  Three sources of data, merged once into one array
 * indexed by number:
 *  - names, generated from the kernel's unistd_64.h (build/syscall_names.h);
 *  - argument counts of every syscall, for printing undecoded ones raw;
 *  - argument types of the syscalls that are decoded.
 * Adding a decoder for another syscall is one line in decoded[].
 */
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>

#include "syscall_names.h"
#include "syscalls.h"

static const char *const names[PT_NR_SYSCALLS] = { PT_SYSCALL_NAMES };

/*
 * Number of arguments of each syscall, i.e. how many strace prints for it in
 * raw mode (strace -e raw=all, observed with strace 6.1 on x86_64).  Only
 * used for syscalls without an entry in decoded[].
 */
#define N(name) __NR_##name
static const uint16_t nargs0[] = {
	N(rt_sigreturn), N(sched_yield), N(pause), N(getpid), N(fork),
	N(vfork), N(getuid), N(getgid), N(geteuid), N(getegid), N(getppid),
	N(getpgrp), N(setsid), N(munlockall), N(vhangup), N(sync), N(gettid),
	N(restart_syscall), N(inotify_init),
};
static const uint16_t nargs1[] = {
	N(close), N(brk), N(pipe), N(dup), N(alarm), N(exit), N(uname),
	N(shmdt), N(fsync), N(fdatasync), N(chdir), N(fchdir), N(rmdir),
	N(unlink), N(umask), N(sysinfo), N(times), N(setuid), N(setgid),
	N(getpgid), N(setfsuid), N(setfsgid), N(getsid), N(uselib),
	N(personality), N(sched_getscheduler), N(sched_get_priority_max),
	N(sched_get_priority_min), N(mlockall), N(_sysctl), N(adjtimex),
	N(chroot), N(acct), N(swapoff), N(iopl), N(get_kernel_syms), N(time),
	N(set_thread_area), N(io_destroy), N(get_thread_area), N(epoll_create),
	N(set_tid_address), N(timer_getoverrun), N(timer_delete),
	N(exit_group), N(mq_unlink), N(unshare), N(eventfd), N(epoll_create1),
	N(inotify_init1), N(syncfs), N(userfaultfd), N(pkey_free),
	N(memfd_secret),
};
static const uint16_t nargs2[] = {
	N(stat), N(fstat), N(lstat), N(munmap), N(access), N(dup2),
	N(nanosleep), N(getitimer), N(shutdown), N(listen), N(kill), N(msgget),
	N(flock), N(truncate), N(ftruncate), N(getcwd), N(rename), N(mkdir),
	N(creat), N(link), N(symlink), N(chmod), N(fchmod), N(gettimeofday),
	N(getrlimit), N(getrusage), N(setpgid), N(setreuid), N(setregid),
	N(getgroups), N(setgroups), N(capget), N(capset), N(rt_sigpending),
	N(rt_sigsuspend), N(sigaltstack), N(utime), N(ustat), N(statfs),
	N(fstatfs), N(getpriority), N(sched_setparam), N(sched_getparam),
	N(sched_rr_get_interval), N(mlock), N(munlock), N(pivot_root),
	N(arch_prctl), N(setrlimit), N(settimeofday), N(umount2), N(swapon),
	N(sethostname), N(setdomainname), N(create_module), N(delete_module),
	N(removexattr), N(lremovexattr), N(fremovexattr), N(tkill),
	N(io_setup), N(timer_gettime), N(clock_settime), N(clock_gettime),
	N(clock_getres), N(utimes), N(mq_notify), N(ioprio_get),
	N(inotify_rm_watch), N(set_robust_list), N(timerfd_create),
	N(timerfd_gettime), N(eventfd2), N(pipe2), N(fanotify_init),
	N(clock_adjtime), N(setns), N(memfd_create), N(pkey_alloc),
	N(io_uring_setup), N(fsopen), N(pidfd_open), N(clone3),
	N(landlock_restrict_self), N(process_mrelease),
};
static const uint16_t nargs3[] = {
	N(read), N(write), N(open), N(poll), N(lseek), N(mprotect), N(ioctl),
	N(readv), N(writev), N(msync), N(mincore), N(madvise), N(shmget),
	N(shmat), N(shmctl), N(setitimer), N(socket), N(connect), N(accept),
	N(sendmsg), N(recvmsg), N(bind), N(getsockname), N(getpeername),
	N(execve), N(semget), N(semop), N(msgctl), N(fcntl), N(getdents),
	N(readlink), N(chown), N(fchown), N(lchown), N(syslog), N(setresuid),
	N(getresuid), N(setresgid), N(getresgid), N(rt_sigqueueinfo), N(mknod),
	N(sysfs), N(setpriority), N(sched_setscheduler), N(modify_ldt),
	N(ioperm), N(init_module), N(nfsservctl), N(tuxcall), N(security),
	N(readahead), N(listxattr), N(llistxattr), N(flistxattr),
	N(sched_setaffinity), N(sched_getaffinity), N(io_submit), N(io_cancel),
	N(lookup_dcookie), N(getdents64), N(timer_create), N(tgkill),
	N(set_mempolicy), N(mq_getsetattr), N(ioprio_set),
	N(inotify_add_watch), N(mkdirat), N(futimesat), N(unlinkat),
	N(symlinkat), N(fchmodat), N(faccessat), N(get_robust_list),
	N(signalfd), N(dup3), N(open_by_handle_at), N(getcpu), N(finit_module),
	N(sched_setattr), N(seccomp), N(getrandom), N(bpf), N(membarrier),
	N(mlock2), N(open_tree), N(fsmount), N(fspick), N(close_range),
	N(pidfd_getfd), N(landlock_create_ruleset),
};
static const uint16_t nargs4[] = {
	N(rt_sigaction), N(rt_sigprocmask), N(pread64), N(pwrite64),
	N(sendfile), N(socketpair), N(wait4), N(semctl), N(msgsnd), N(ptrace),
	N(rt_sigtimedwait), N(reboot), N(quotactl), N(getxattr), N(lgetxattr),
	N(fgetxattr), N(epoll_ctl_old), N(epoll_wait_old), N(semtimedop),
	N(fadvise64), N(timer_settime), N(clock_nanosleep), N(epoll_wait),
	N(epoll_ctl), N(mq_open), N(kexec_load), N(request_key),
	N(migrate_pages), N(openat), N(mknodat), N(newfstatat), N(renameat),
	N(readlinkat), N(tee), N(sync_file_range), N(vmsplice), N(utimensat),
	N(fallocate), N(timerfd_settime), N(accept4), N(signalfd4), N(preadv),
	N(pwritev), N(rt_tgsigqueueinfo), N(prlimit64), N(sendmmsg),
	N(sched_getattr), N(pkey_mprotect), N(rseq), N(pidfd_send_signal),
	N(io_uring_register), N(openat2), N(faccessat2), N(quotactl_fd),
	N(landlock_add_rule), N(set_mempolicy_home_node),
};
static const uint16_t nargs5[] = {
	N(select), N(mremap), N(setsockopt), N(getsockopt), N(clone),
	N(msgrcv), N(prctl), N(mount), N(query_module), N(getpmsg), N(putpmsg),
	N(afs_syscall), N(setxattr), N(lsetxattr), N(fsetxattr),
	N(io_getevents), N(remap_file_pages), N(vserver), N(get_mempolicy),
	N(mq_timedsend), N(mq_timedreceive), N(waitid), N(add_key), N(keyctl),
	N(fchownat), N(linkat), N(ppoll), N(perf_event_open), N(recvmmsg),
	N(fanotify_mark), N(name_to_handle_at), N(kcmp), N(renameat2),
	N(kexec_file_load), N(execveat), N(statx), N(move_mount), N(fsconfig),
	N(process_madvise), N(mount_setattr), N(futex_waitv),
};
static const uint16_t nargs6[] = {
	N(mmap), N(sendto), N(recvfrom), N(futex), N(mbind), N(pselect6),
	N(splice), N(move_pages), N(epoll_pwait), N(process_vm_readv),
	N(process_vm_writev), N(copy_file_range), N(preadv2), N(pwritev2),
	N(io_pgetevents), N(io_uring_enter), N(epoll_pwait2),
};
#undef N

static const struct {
	const uint16_t *nrs;
	size_t n;
} nargs_by_count[] = {
	{ nargs0, sizeof(nargs0) / sizeof(nargs0[0]) },
	{ nargs1, sizeof(nargs1) / sizeof(nargs1[0]) },
	{ nargs2, sizeof(nargs2) / sizeof(nargs2[0]) },
	{ nargs3, sizeof(nargs3) / sizeof(nargs3[0]) },
	{ nargs4, sizeof(nargs4) / sizeof(nargs4[0]) },
	{ nargs5, sizeof(nargs5) / sizeof(nargs5[0]) },
	{ nargs6, sizeof(nargs6) / sizeof(nargs6[0]) },
};

/* Syscalls whose return value is an address: strace prints it in hex. */
static const uint16_t ret_hex[] = {
	__NR_mmap, __NR_brk, __NR_mremap, __NR_shmat,
};

enum sc_ret { R_INT, R_FD, R_OCT };

/* One decoded syscall: argument types in order; nargs is where A_NONE starts. */
struct sc_def {
	uint16_t nr;
	uint8_t ret;		  /* enum sc_ret */
	uint8_t arg[PT_NARGS];	  /* enum sc_arg */
	uint8_t len_arg[PT_NARGS]; /* for A_BUF_IN and A_SOCKADDR_IN */
};

#define D(name, ret, ...) { __NR_##name, ret, { __VA_ARGS__ }, { 0 } }
/* Same, with the argument that holds the length of argument buf. */
#define DL(name, ret, buf, len, ...) \
	{ __NR_##name, ret, { __VA_ARGS__ }, { [buf] = len } }

static const struct sc_def decoded[] = {
	/* file descriptors and I/O */
	D(close, R_INT, A_FD),
	D(dup, R_FD, A_FD),
	D(dup2, R_FD, A_FD, A_FD),
	DL(read, R_INT, 1, 2, A_FD, A_BUF_OUT, A_SIZE),
	DL(write, R_INT, 1, 2, A_FD, A_BUF_IN, A_SIZE),
	D(pread64, R_INT, A_FD, A_BUF_OUT, A_SIZE, A_OFF),
	DL(pwrite64, R_INT, 1, 2, A_FD, A_BUF_IN, A_SIZE, A_OFF),
	D(lseek, R_INT, A_FD, A_OFF, A_WHENCE),
	D(fsync, R_INT, A_FD),
	D(fdatasync, R_INT, A_FD),
	D(ftruncate, R_INT, A_FD, A_SIZE),

	/* opening, paths and metadata */
	D(open, R_FD, A_PATH, A_OPEN_FLAGS, A_OPEN_MODE),
	D(openat, R_FD, A_DIRFD, A_PATH, A_OPEN_FLAGS, A_OPEN_MODE),
	D(creat, R_FD, A_PATH, A_MODE),
	D(stat, R_INT, A_PATH, A_STAT_OUT),
	D(lstat, R_INT, A_PATH, A_STAT_OUT),
	D(fstat, R_INT, A_FD, A_STAT_OUT),
	D(newfstatat, R_INT, A_DIRFD, A_PATH, A_STAT_OUT, A_AT_FLAGS),
	D(statx, R_INT, A_DIRFD, A_PATH, A_STATX_FLAGS, A_STATX_MASK,
	  A_STATX_OUT),
	D(access, R_INT, A_PATH, A_ACCESS_MODE),
	/* the kernel's faccessat has no flags argument; strace prints 3 */
	D(faccessat, R_INT, A_DIRFD, A_PATH, A_ACCESS_MODE),
	D(faccessat2, R_INT, A_DIRFD, A_PATH, A_ACCESS_MODE, A_ACCESSAT_FLAGS),
	D(readlink, R_INT, A_PATH, A_BUF_OUT, A_SIZE),
	D(readlinkat, R_INT, A_DIRFD, A_PATH, A_BUF_OUT, A_SIZE),
	D(truncate, R_INT, A_PATH, A_SIZE),
	D(chmod, R_INT, A_PATH, A_MODE),
	D(fchmod, R_INT, A_FD, A_MODE),
	D(fchmodat, R_INT, A_DIRFD, A_PATH, A_MODE),

	/* directory entries */
	D(getcwd, R_INT, A_PATH_OUT, A_SIZE),
	D(chdir, R_INT, A_PATH),
	D(fchdir, R_INT, A_FD),
	D(mkdir, R_INT, A_PATH, A_MODE),
	D(mkdirat, R_INT, A_DIRFD, A_PATH, A_MODE),
	D(rmdir, R_INT, A_PATH),
	D(unlink, R_INT, A_PATH),
	D(unlinkat, R_INT, A_DIRFD, A_PATH, A_AT_FLAGS),
	D(rename, R_INT, A_PATH, A_PATH),
	D(renameat, R_INT, A_DIRFD, A_PATH, A_DIRFD, A_PATH),
	D(link, R_INT, A_PATH, A_PATH),
	D(linkat, R_INT, A_DIRFD, A_PATH, A_DIRFD, A_PATH, A_AT_FLAGS),
	D(symlink, R_INT, A_PATH, A_PATH),
	D(symlinkat, R_INT, A_PATH, A_DIRFD, A_PATH),

	D(chown, R_INT, A_PATH, A_ID, A_ID),
	D(lchown, R_INT, A_PATH, A_ID, A_ID),
	D(fchown, R_INT, A_FD, A_ID, A_ID),
	D(fchownat, R_INT, A_DIRFD, A_PATH, A_ID, A_ID, A_AT_FLAGS),
	D(renameat2, R_INT, A_DIRFD, A_PATH, A_DIRFD, A_PATH, A_RENAME_FLAGS),
	D(umask, R_OCT, A_MODE),
	D(getdents64, R_INT, A_FD, A_DIRENTS, A_UINT),

	/* more on file descriptors */
	D(dup3, R_FD, A_FD, A_FD, A_PIPE_FLAGS),
	D(pipe, R_INT, A_INT_PAIR_OUT),
	D(pipe2, R_INT, A_INT_PAIR_OUT, A_PIPE_FLAGS),
	D(fcntl, R_INT, A_FD, A_FCNTL_CMD, A_FCNTL_ARG),
	D(ioctl, R_INT, A_FD, A_IOCTL_REQ, A_IOCTL_ARG),
	D(readv, R_INT, A_FD, A_IOV_OUT, A_INT),
	D(writev, R_INT, A_FD, A_IOV_IN, A_INT),
	D(flock, R_INT, A_FD, A_FLOCK_OP),
	D(close_range, R_INT, A_UINT, A_UINT, A_CLOSE_RANGE_FLAGS),
	D(getrandom, R_INT, A_HEXBUF_OUT, A_SIZE, A_GRND_FLAGS),

	/* waiting for file descriptors */
	D(poll, R_INT, A_POLLFDS, A_UINT, A_INT),
	D(ppoll, R_INT, A_POLLFDS, A_UINT, A_TIMESPEC, A_SIGSET_IN, A_SIZE),
	D(select, R_INT, A_INT, A_FDSET, A_FDSET, A_FDSET, A_TIMEVAL),
	D(pselect6, R_INT, A_INT, A_FDSET, A_FDSET, A_FDSET, A_TIMESPEC, A_PTR),
	D(epoll_create, R_FD, A_INT),
	D(epoll_create1, R_FD, A_EPOLL_FLAGS),
	D(epoll_ctl, R_INT, A_FD, A_EPOLL_OP, A_FD, A_EPOLL_EVENT),
	D(epoll_wait, R_INT, A_FD, A_EPOLL_EVENTS_OUT, A_INT, A_INT),
	D(epoll_pwait, R_INT, A_FD, A_EPOLL_EVENTS_OUT, A_INT, A_INT,
	  A_SIGSET_IN, A_SIZE),

	/* memory */
	D(brk, R_INT, A_PTR),
	D(mmap, R_INT, A_PTR, A_SIZE, A_PROT, A_MMAP_FLAGS, A_FD, A_HEX),
	D(mprotect, R_INT, A_PTR, A_SIZE, A_PROT),
	D(munmap, R_INT, A_PTR, A_SIZE),
	D(mremap, R_INT, A_PTR, A_SIZE, A_SIZE, A_MREMAP_FLAGS, A_MREMAP_ADDR),
	D(madvise, R_INT, A_PTR, A_SIZE, A_MADVICE),

	/* processes, threads and signals */
	D(execve, R_INT, A_PATH, A_STRV, A_ENVP),
	D(clone, R_INT, A_CLONE_FLAGS, A_PTR, A_PTR, A_PTR, A_HEX),
	D(clone3, R_INT, A_CLONE3_ARGS, A_SIZE),
	D(wait4, R_INT, A_INT, A_WSTATUS, A_WAIT_OPTS, A_PTR),
	D(exit, R_INT, A_INT),
	D(exit_group, R_INT, A_INT),
	D(kill, R_INT, A_INT, A_SIGNUM),
	D(tkill, R_INT, A_INT, A_SIGNUM),
	D(tgkill, R_INT, A_INT, A_INT, A_SIGNUM),
	D(rt_sigaction, R_INT, A_SIGNUM, A_SIGACTION_IN, A_SIGACTION_OUT, A_SIZE),
	D(rt_sigprocmask, R_INT, A_SIGHOW, A_SIGSET_IN, A_SIGSET_OUT, A_SIZE),
	D(futex, R_INT, A_PTR, A_FUTEX_OP, A_FUTEX_ARG, A_FUTEX_ARG,
	  A_FUTEX_ARG, A_FUTEX_ARG),
	D(set_robust_list, R_INT, A_PTR, A_SIZE),
	D(set_tid_address, R_INT, A_PTR),
	D(rseq, R_INT, A_PTR, A_HEX, A_HEX, A_HEX),
	D(arch_prctl, R_INT, A_ARCH_PRCTL, A_HEX),
	D(prlimit64, R_INT, A_INT, A_RLIMIT_RES, A_RLIMIT_IN, A_RLIMIT_OUT),
	D(getrlimit, R_INT, A_RLIMIT_RES, A_RLIMIT_OUT),
	D(setrlimit, R_INT, A_RLIMIT_RES, A_RLIMIT_IN),
	D(sysinfo, R_INT, A_SYSINFO_OUT),

	/* sockets */
	D(socket, R_FD, A_SOCK_DOMAIN, A_SOCK_TYPE, A_SOCK_PROTO),
	DL(connect, R_INT, 1, 2, A_FD, A_SOCKADDR_IN, A_UINT),
	DL(bind, R_INT, 1, 2, A_FD, A_SOCKADDR_IN, A_UINT),
	D(listen, R_INT, A_FD, A_INT),
	D(accept, R_FD, A_FD, A_SOCKADDR_OUT, A_SOCKLEN_PTR),
	D(accept4, R_FD, A_FD, A_SOCKADDR_OUT, A_SOCKLEN_PTR, A_SOCK_FLAGS),
	D(getsockname, R_INT, A_FD, A_SOCKADDR_OUT, A_SOCKLEN_PTR),
	D(getpeername, R_INT, A_FD, A_SOCKADDR_OUT, A_SOCKLEN_PTR),
	{ __NR_sendto, R_INT,
	  { A_FD, A_BUF_IN, A_SIZE, A_MSG_FLAGS, A_SOCKADDR_IN, A_UINT },
	  { [1] = 2, [4] = 5 } },
	D(recvfrom, R_INT, A_FD, A_BUF_OUT, A_SIZE, A_MSG_FLAGS, A_SOCKADDR_OUT,
	  A_SOCKLEN_PTR),
	D(shutdown, R_INT, A_FD, A_SHUT_HOW),
	DL(setsockopt, R_INT, 3, 4, A_FD, A_SOCK_LEVEL, A_SOCKOPT_NAME,
	   A_SOCKOPT_IN, A_UINT),
	D(getsockopt, R_INT, A_FD, A_SOCK_LEVEL, A_SOCKOPT_NAME, A_SOCKOPT_OUT,
	  A_SOCKLEN_PTR),
};

#undef D
#undef DL

/* Filled on first use; pytrace looks syscalls up from one thread. */
static struct sc_info table[PT_NR_SYSCALLS];
static const struct sc_info blank;	/* unknown numbers */
static bool table_ready;

static void fill_nargs(void)
{
	for (size_t c = 0; c < sizeof(nargs_by_count) / sizeof(nargs_by_count[0]); c++)
		for (size_t i = 0; i < nargs_by_count[c].n; i++)
			table[nargs_by_count[c].nrs[i]].nargs = (uint8_t)c;
}

static void fill_decoded(const struct sc_def *d)
{
	struct sc_info *e = &table[d->nr];
	unsigned i;

	memcpy(e->arg, d->arg, sizeof(e->arg));
	memcpy(e->len_arg, d->len_arg, sizeof(e->len_arg));
	for (i = 0; i < PT_NARGS && d->arg[i] != A_NONE; i++)
		;
	e->nargs = (uint8_t)i;
	e->decoded = true;
	e->ret_fd = d->ret == R_FD;
	e->ret_oct = d->ret == R_OCT;
}

static void table_init(void)
{
	unsigned nr;
	size_t i;

	/* Named syscalls that no list mentions are printed with 6 arguments. */
	for (nr = 0; nr < PT_NR_SYSCALLS; nr++) {
		table[nr].name = names[nr];
		table[nr].nargs = PT_NARGS;
	}
	fill_nargs();
	for (i = 0; i < sizeof(ret_hex) / sizeof(ret_hex[0]); i++)
		table[ret_hex[i]].ret_hex = true;
	for (i = 0; i < sizeof(decoded) / sizeof(decoded[0]); i++)
		fill_decoded(&decoded[i]);
	table_ready = true;
}

const struct sc_info *sc_get(unsigned nr)
{
	if (!table_ready)
		table_init();
	if (nr >= PT_NR_SYSCALLS || !table[nr].name)
		return &blank;
	return &table[nr];
}

int sc_by_name(const char *name)
{
	unsigned nr;

	if (!name)
		return -1;
	for (nr = 0; nr < PT_NR_SYSCALLS; nr++)
		if (names[nr] && strcmp(names[nr], name) == 0)
			return (int)nr;
	return -1;
}

unsigned sc_count(void)
{
	unsigned nr = PT_NR_SYSCALLS;

	while (nr > 0 && !names[nr - 1])
		nr--;
	return nr;
}

static unsigned min_u(unsigned a, unsigned b)
{
	return a < b ? a : b;
}

static void spec_mem(struct pt_spec *spec, unsigned i, unsigned kind,
		     unsigned size)
{
	spec->kind[i] = (__u8)kind;
	spec->size[i] = (__u16)size;
	spec->elem[i] = PT_ELEM_FIXED;
}

/* The same for an array of args[len_arg] (or ret) elements. */
static void spec_array(struct pt_spec *spec, unsigned i, unsigned kind,
		       unsigned len_arg, unsigned elem, unsigned max)
{
	spec->kind[i] = (__u8)kind;
	spec->len_arg[i] = (__u8)len_arg;
	spec->elem[i] = (__u8)elem;
	spec->size[i] = (__u16)min_u(max, PT_CAP_BYTES);
}

/* Captures of the types added for the process, memory, fd and socket
 * families: sizes are the x86_64 kernel's structs. */
static void spec_more(struct pt_spec *spec, unsigned i, unsigned type,
		      unsigned bufmax)
{
	switch (type) {
	case A_SIGACTION_IN:
		spec_mem(spec, i, PT_CAP_MEM_IN, 32);
		break;
	case A_SIGACTION_OUT:
		spec_mem(spec, i, PT_CAP_MEM_OUT, 32);
		break;
	case A_SIGSET_IN:
		spec_mem(spec, i, PT_CAP_MEM_IN, 8);
		break;
	case A_SIGSET_OUT:
		spec_mem(spec, i, PT_CAP_MEM_OUT, 8);
		break;
	case A_WSTATUS:
	case A_SOCKLEN_PTR:
		spec_mem(spec, i, type == A_WSTATUS ? PT_CAP_MEM_OUT : PT_CAP_MEM_IN, 4);
		break;
	case A_INT_PAIR_OUT:
		spec_mem(spec, i, PT_CAP_MEM_OUT, 8);
		break;
	case A_FUTEX_ARG:
		if (i == 3)	/* the timeout, for the ops that have one */
			spec_mem(spec, i, PT_CAP_MEM_IN, 16);
		break;
	case A_RLIMIT_IN:
		spec_mem(spec, i, PT_CAP_MEM_IN, 16);
		break;
	case A_RLIMIT_OUT:
		spec_mem(spec, i, PT_CAP_MEM_OUT, 16);
		break;
	case A_SYSINFO_OUT:
		spec_mem(spec, i, PT_CAP_MEM_OUT, sizeof(struct sysinfo));
		break;
	case A_TIMEVAL:
	case A_TIMESPEC:
		spec_mem(spec, i, PT_CAP_MEM_INOUT, 16);
		break;
	case A_EPOLL_EVENT:
		spec_mem(spec, i, PT_CAP_MEM_IN, 12);	/* packed on x86_64 */
		break;
	case A_EPOLL_EVENTS_OUT:	/* strace shows at most -s entries */
		spec_array(spec, i, PT_CAP_MEM_OUT, PT_LEN_RET, 12,
			   12 * min_u(bufmax + 1, PT_CAP_BYTES / 12));
		break;
	case A_POLLFDS:
		spec_array(spec, i, PT_CAP_MEM_INOUT, i + 1, 8,
			   8 * min_u(bufmax + 1, PT_CAP_BYTES / 8));
		break;
	case A_FDSET:
		spec_array(spec, i, PT_CAP_MEM_INOUT, 0, PT_ELEM_BITS, 1024 / 8);
		break;
	case A_CLONE3_ARGS:
		spec_array(spec, i, PT_CAP_MEM_IN, i + 1, 1, 88);
		break;
	case A_IOV_IN:
	case A_IOV_OUT:
		spec->kind[i] = type == A_IOV_IN ? PT_CAP_IOV_IN : PT_CAP_IOV_OUT;
		spec->len_arg[i] = (__u8)(i + 1);
		spec->size[i] = (__u16)bufmax;
		break;
	case A_DIRENTS:
		spec->kind[i] = PT_CAP_DIRENTS;
		break;
	case A_IOCTL_ARG:
		spec->kind[i] = PT_CAP_IOCTL_OUT;
		spec->size[i] = 64;
		break;
	case A_SOCKADDR_OUT:
		spec->kind[i] = PT_CAP_SOCKADDR_OUT;
		spec->len_arg[i] = (__u8)(i + 1);
		spec->size[i] = sizeof(struct sockaddr_storage);
		break;
	case A_SOCKOPT_IN:
		spec->kind[i] = PT_CAP_BUF_IN;
		spec->len_arg[i] = (__u8)(i + 1);
		spec->size[i] = 64;
		break;
	case A_SOCKOPT_OUT:	/* its length is at *args[i + 1] after the call */
		spec->kind[i] = PT_CAP_SOCKADDR_OUT;
		spec->len_arg[i] = (__u8)(i + 1);
		spec->size[i] = 64;
		break;
	default:
		break;
	}
}

/* What the BPF side captures for one argument type (see syscalls.h). */
static void spec_arg(struct pt_spec *spec, unsigned i, const struct sc_info *e,
		     unsigned strsize)
{
	unsigned bufmax = min_u(strsize, PT_CAP_BYTES);

	switch (e->arg[i]) {
	case A_PATH:
		spec->kind[i] = PT_CAP_PATH;
		spec->size[i] = PT_PATH_MAX;
		break;
	case A_BUF_IN:
		spec->kind[i] = PT_CAP_BUF_IN;
		spec->len_arg[i] = e->len_arg[i];
		spec->size[i] = (__u16)bufmax;
		break;
	case A_BUF_OUT:
		spec->kind[i] = PT_CAP_BUF_OUT;
		spec->size[i] = (__u16)bufmax;
		break;
	case A_PATH_OUT:
		spec->kind[i] = PT_CAP_BUF_OUT;
		spec->size[i] = min_u(PT_PATH_MAX, PT_CAP_BYTES);
		break;
	case A_STAT_OUT:
		spec->kind[i] = PT_CAP_STRUCT_OUT;
		spec->size[i] = sizeof(struct stat);
		break;
	case A_STATX_OUT:
		spec->kind[i] = PT_CAP_STRUCT_OUT;
		spec->size[i] = sizeof(struct statx);
		break;
	case A_SOCKADDR_IN:
		spec->kind[i] = PT_CAP_SOCKADDR_IN;
		spec->len_arg[i] = e->len_arg[i];
		spec->size[i] = sizeof(struct sockaddr_storage);
		break;
	case A_STRV:
		spec->kind[i] = PT_CAP_STRV;
		spec->size[i] = strsize < PT_CAP_BYTES ? strsize + 1 : PT_CAP_BYTES;
		break;
	case A_ENVP:
		spec->kind[i] = PT_CAP_STRV;	/* size 0: count only */
		break;
	case A_HEXBUF_OUT:
		spec->kind[i] = PT_CAP_BUF_OUT;
		spec->size[i] = (__u16)bufmax;
		break;
	default:
		spec_more(spec, i, e->arg[i], bufmax);
		break;
	}
}

void sc_spec(unsigned nr, struct pt_spec *spec, unsigned strsize)
{
	const struct sc_info *e = sc_get(nr);
	unsigned i;

	memset(spec, 0, sizeof(*spec));
	if (!e->decoded)
		return;
	for (i = 0; i < e->nargs; i++)
		spec_arg(spec, i, e, strsize);
	for (i = 0; i < PT_NARGS; i++) {
		if (spec->kind[i] == PT_CAP_NONE)
			continue;
		spec->scan = i + 1;
		if (pt_cap_is_out(spec->kind[i]) ||
		    spec->kind[i] == PT_CAP_MEM_INOUT)
			spec->at_exit = 1;
	}
}
