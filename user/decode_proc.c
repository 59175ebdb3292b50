// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Processes, threads and signals: signal numbers and sets, sigaction,
 * wait statuses, clone, futex, resource limits.  Structs are the x86_64
 * kernel's (struct sigaction of rt_sigaction is not glibc's).
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <linux/futex.h>
#include <linux/sched.h>

#include "decode_priv.h"
#include "syscalls.h"

static const char *const signames[33] = {
	NULL, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
	"SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2",
	"SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
	"SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
	"SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR",
	"SIGSYS", "SIGRTMIN",
};

#define NSIG_K 64	/* the kernel's signals on x86_64 */
#define RTMIN_K 32

/* SIGINT, SIGRT_2 (strace numbers real-time signals from 32), or 0. */
static void print_signame(struct sbuf *out, int sig, bool prefix)
{
	const char *name = sig > 0 && sig <= RTMIN_K ? signames[sig] : NULL;

	if (name)
		sb_puts(out, prefix ? name : name + 3);
	else if (sig > RTMIN_K && sig <= NSIG_K)
		sb_printf(out, "%sRT_%d", prefix ? "SIG" : "", sig - RTMIN_K);
	else
		sb_printf(out, "%d", sig);
}

/* [INT TERM]; with two thirds of the signals or more in it, the
 * complement: ~[RTMIN RT_1]. */
void print_sigset(struct sbuf *out, uint64_t mask)
{
	const char *sep = "";
	int sig;

	if (__builtin_popcountll(mask) >= NSIG_K * 2 / 3) {
		sb_putc(out, '~');
		mask = ~mask;
	}
	sb_putc(out, '[');
	for (sig = 1; sig <= NSIG_K; sig++) {
		if (!(mask & (1ull << (sig - 1))))
			continue;
		sb_puts(out, sep);
		print_signame(out, sig, false);
		sep = " ";
	}
	sb_putc(out, ']');
}

static void put_sigset_cap(struct sbuf *out, uint64_t addr,
			   const struct pt_cap *cap)
{
	const void *p = cap_struct(cap, sizeof(uint64_t));
	uint64_t mask;

	if (!addr || !p) {
		print_ptr(out, addr);
		return;
	}
	memcpy(&mask, p, sizeof(mask));
	print_sigset(out, mask);
}

/* The kernel's struct sigaction on x86_64. */
struct k_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

#define K_SA_RESTORER 0x04000000u

/* strace's order, which is not the order of the values */
static const struct flag sa_flags[] = {
	{ K_SA_RESTORER, "SA_RESTORER" }, { 0x08000000, "SA_ONSTACK" },
	{ 0x10000000, "SA_RESTART" }, { 0x20000000, "SA_INTERRUPT" },
	{ 0x40000000, "SA_NODEFER" }, { 0x80000000, "SA_RESETHAND" },
	{ 4, "SA_SIGINFO" }, { 2, "SA_NOCLDWAIT" }, { 1, "SA_NOCLDSTOP" },
	{ 0x400, "SA_UNSUPPORTED" }, { 0x800, "SA_EXPOSE_TAGBITS" },
};

static void print_sigaction(struct sbuf *out, uint64_t addr,
			    const struct pt_cap *cap)
{
	const void *p = cap_struct(cap, sizeof(struct k_sigaction));
	struct k_sigaction sa;

	if (!addr || !p) {
		print_ptr(out, addr);
		return;
	}
	memcpy(&sa, p, sizeof(sa));
	sb_puts(out, "{sa_handler=");
	if (sa.handler == 0)
		sb_puts(out, "SIG_DFL");
	else if (sa.handler == 1)
		sb_puts(out, "SIG_IGN");
	else
		print_hex(out, sa.handler);
	sb_puts(out, ", sa_mask=");
	print_sigset(out, sa.mask);
	sb_puts(out, ", sa_flags=");
	put_flags64(out, sa_flags, ARRAY_LEN(sa_flags), sa.flags, "SA_???");
	if (sa.flags & K_SA_RESTORER) {
		sb_puts(out, ", sa_restorer=");
		print_ptr(out, sa.restorer);
	}
	sb_putc(out, '}');
}

static const struct flag sighows[] = {
	FLAG(SIG_BLOCK), FLAG(SIG_UNBLOCK), FLAG(SIG_SETMASK),
};

/* [{WIFEXITED(s) && WEXITSTATUS(s) == 0}] */
static void print_wstatus(struct sbuf *out, int st)
{
	unsigned rest = (unsigned)st;

	if (WIFSTOPPED(st)) {
		sb_puts(out, "[{WIFSTOPPED(s) && WSTOPSIG(s) == ");
		print_signame(out, WSTOPSIG(st) & 0x7f, true);
		if (WSTOPSIG(st) & 0x80)
			sb_puts(out, " | 0x80");
		sb_putc(out, '}');
		rest &= ~0xffffu;
	} else if (WIFSIGNALED(st)) {
		sb_puts(out, "[{WIFSIGNALED(s) && WTERMSIG(s) == ");
		print_signame(out, WTERMSIG(st), true);
		if (WCOREDUMP(st))
			sb_puts(out, " && WCOREDUMP(s)");
		sb_putc(out, '}');
		rest &= ~0xffu;
	} else if (WIFEXITED(st)) {
		sb_printf(out, "[{WIFEXITED(s) && WEXITSTATUS(s) == %d}",
			  WEXITSTATUS(st));
		rest &= ~0xff00u;
	} else if (WIFCONTINUED(st)) {
		sb_puts(out, "[{WIFCONTINUED(s)}");
		rest &= ~0xffffu;
	} else {
		sb_printf(out, "[%#x]", (unsigned)st);
		return;
	}
	if (rest >> 16)
		sb_printf(out, " | %#x << 16", rest >> 16);	/* ptrace event */
	if (rest & 0xffff)
		sb_printf(out, " | %#x", rest & 0xffff);
	sb_putc(out, ']');
}

static const struct flag wait_opts[] = {
	FLAG(WNOHANG), { WUNTRACED, "WSTOPPED" }, FLAG(WCONTINUED), FLAG(WNOWAIT),
	{ 0x20000000, "__WNOTHREAD" }, { 0x40000000, "__WALL" },
	{ 0x80000000, "__WCLONE" },
};

static const struct flag clone_flags[] = {
	FLAG(CLONE_VM), FLAG(CLONE_FS), FLAG(CLONE_FILES), FLAG(CLONE_SIGHAND),
	FLAG(CLONE_PIDFD), FLAG(CLONE_PTRACE), FLAG(CLONE_VFORK),
	FLAG(CLONE_PARENT), FLAG(CLONE_THREAD), FLAG(CLONE_NEWNS),
	FLAG(CLONE_SYSVSEM), FLAG(CLONE_SETTLS), FLAG(CLONE_PARENT_SETTID),
	FLAG(CLONE_CHILD_CLEARTID), FLAG(CLONE_DETACHED),
	FLAG(CLONE_UNTRACED), FLAG(CLONE_CHILD_SETTID), FLAG(CLONE_NEWCGROUP),
	FLAG(CLONE_NEWUTS), FLAG(CLONE_NEWIPC), FLAG(CLONE_NEWUSER),
	FLAG(CLONE_NEWPID), FLAG(CLONE_NEWNET), FLAG(CLONE_IO),
};

/* Flags, then the exit signal in the low byte: CLONE_VM|SIGCHLD. */
static void print_clone_flags(struct sbuf *out, uint64_t v)
{
	unsigned sig = v & 0xff;
	uint64_t rest = v & ~0xffull;

	if (rest)
		put_flags64(out, clone_flags, ARRAY_LEN(clone_flags), rest,
			    "CLONE_???");
	if (sig) {
		if (rest)
			sb_putc(out, '|');
		print_signame(out, (int)sig, true);
	}
	if (!v)
		sb_putc(out, '0');
}

void print_clone_args(struct sbuf *out, const struct sc_call *c)
{
	uint64_t flags = c->args[0];

	sb_puts(out, "child_stack=");
	print_ptr(out, c->args[1]);
	sb_puts(out, ", flags=");
	print_clone_flags(out, flags);
	if (flags & CLONE_PARENT_SETTID) {
		sb_puts(out, ", parent_tid=");
		print_ptr(out, c->args[2]);
	}
	if (flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) {
		sb_puts(out, ", child_tidptr=");
		print_ptr(out, c->args[3]);
	}
	if (flags & CLONE_SETTLS) {
		sb_puts(out, ", tls=");
		print_ptr(out, c->args[4]);
	}
}

/* struct clone_args, as far as the caller's size covers it. */
static void print_clone3(struct sbuf *out, uint64_t addr,
			 const struct pt_cap *cap)
{
	uint64_t f[11] = { 0 };	/* flags pidfd child_tid parent_tid
				   exit_signal stack stack_size tls ... */

	if (!addr || !cap_usable(cap) || cap->len < 64) {
		print_ptr(out, addr);
		return;
	}
	memcpy(f, cap_bytes(cap), min_sz(cap->len, sizeof(f)));
	sb_puts(out, "{flags=");
	put_flags64(out, clone_flags, ARRAY_LEN(clone_flags), f[0],
		    "CLONE_???");
	if (f[0] & CLONE_PIDFD)
		sb_printf(out, ", pidfd=%#llx", (unsigned long long)f[1]);
	if (f[0] & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID))
		sb_printf(out, ", child_tid=%#llx", (unsigned long long)f[2]);
	if (f[0] & CLONE_PARENT_SETTID)
		sb_printf(out, ", parent_tid=%#llx", (unsigned long long)f[3]);
	sb_puts(out, ", exit_signal=");
	print_signame(out, (int)f[4], true);
	sb_printf(out, ", stack=%#llx, stack_size=%#llx",
		  (unsigned long long)f[5], (unsigned long long)f[6]);
	if (f[0] & CLONE_SETTLS)
		sb_printf(out, ", tls=%#llx", (unsigned long long)f[7]);
	sb_putc(out, '}');
}

#define FUTEX_CMD(x) [FUTEX_##x] = "FUTEX_" #x
static const char *const futex_cmds[] = {
	FUTEX_CMD(WAIT), FUTEX_CMD(WAKE), FUTEX_CMD(FD), FUTEX_CMD(REQUEUE),
	FUTEX_CMD(CMP_REQUEUE), FUTEX_CMD(WAKE_OP), FUTEX_CMD(LOCK_PI),
	FUTEX_CMD(UNLOCK_PI), FUTEX_CMD(TRYLOCK_PI), FUTEX_CMD(WAIT_BITSET),
	FUTEX_CMD(WAKE_BITSET), FUTEX_CMD(WAIT_REQUEUE_PI),
	FUTEX_CMD(CMP_REQUEUE_PI), [13] = "FUTEX_LOCK_PI2",
};

static unsigned futex_cmd(const struct sc_call *c)
{
	return (unsigned)c->args[1] & FUTEX_CMD_MASK;
}

static void print_futex_op(struct sbuf *out, uint32_t op)
{
	unsigned cmd = op & FUTEX_CMD_MASK;

	if (cmd >= ARRAY_LEN(futex_cmds) || !futex_cmds[cmd]) {
		sb_printf(out, "%#x /* FUTEX_??? */", op);
		return;
	}
	sb_puts(out, futex_cmds[cmd]);
	if (op & FUTEX_PRIVATE_FLAG)
		sb_puts(out, "_PRIVATE");
	if (op & FUTEX_CLOCK_REALTIME)
		sb_puts(out, "|FUTEX_CLOCK_REALTIME");
}

/* What futex prints after the op: val, then per command. */
enum { FU_VAL = 1, FU_TIMEOUT = 2, FU_VAL2 = 4, FU_UADDR2 = 8, FU_VAL3 = 16,
       FU_BITSET = 32 };

static unsigned futex_shows(unsigned cmd)
{
	switch (cmd) {
	case FUTEX_WAIT:
		return FU_VAL | FU_TIMEOUT;
	case FUTEX_WAIT_BITSET:
		return FU_VAL | FU_TIMEOUT | FU_BITSET;
	case FUTEX_WAKE_BITSET:
		return FU_VAL | FU_BITSET;
	case FUTEX_REQUEUE:
		return FU_VAL | FU_VAL2 | FU_UADDR2;
	case FUTEX_CMP_REQUEUE:
	case FUTEX_CMP_REQUEUE_PI:
	case FUTEX_WAKE_OP:
		return FU_VAL | FU_VAL2 | FU_UADDR2 | FU_VAL3;
	case FUTEX_WAIT_REQUEUE_PI:
		return FU_VAL | FU_TIMEOUT | FU_UADDR2;
	case FUTEX_LOCK_PI:
	case 13:	/* FUTEX_LOCK_PI2 */
		return FU_TIMEOUT;
	case FUTEX_UNLOCK_PI:
	case FUTEX_TRYLOCK_PI:
		return 0;
	default:	/* FUTEX_WAKE, FUTEX_FD */
		return FU_VAL;
	}
}

static unsigned futex_arg_bit(const struct sc_call *c, unsigned i)
{
	unsigned shows = futex_shows(futex_cmd(c));

	switch (i) {
	case 2:
		return shows & FU_VAL;
	case 3:
		return shows & (FU_TIMEOUT | FU_VAL2);
	case 4:
		return shows & FU_UADDR2;
	case 5:
		return shows & (FU_VAL3 | FU_BITSET);
	default:
		return 0;
	}
}

void print_timespec(struct sbuf *out, const void *p, bool usec)
{
	int64_t t[2];

	memcpy(t, p, sizeof(t));
	sb_printf(out, "{tv_sec=%lld, %s=%lld}", (long long)t[0],
		  usec ? "tv_usec" : "tv_nsec", (long long)t[1]);
}

static void put_futex_arg(struct sbuf *out, const struct sc_call *c,
			  unsigned i)
{
	unsigned bit = futex_arg_bit(c, i);
	uint64_t v = c->args[i];
	const void *ts;

	if (bit == FU_TIMEOUT) {
		ts = cap_struct(c->cap[i], 16);
		if (v && ts)
			print_timespec(out, ts, false);
		else
			print_ptr(out, v);
	} else if (bit == FU_UADDR2) {
		print_ptr(out, v);
	} else if (bit == FU_BITSET && (uint32_t)v == FUTEX_BITSET_MATCH_ANY) {
		sb_puts(out, "FUTEX_BITSET_MATCH_ANY");
	} else if (bit == FU_BITSET || bit == FU_VAL3) {
		sb_printf(out, "%#x", (unsigned)v);
	} else {
		sb_printf(out, "%d", (int)v);
	}
}

#define RLIM(x) [RLIMIT_##x] = "RLIMIT_" #x
static const char *const rlimits[] = {
	RLIM(CPU), RLIM(FSIZE), RLIM(DATA), RLIM(STACK), RLIM(CORE),
	RLIM(RSS), RLIM(NPROC), RLIM(NOFILE), RLIM(MEMLOCK), RLIM(AS),
	RLIM(LOCKS), RLIM(SIGPENDING), RLIM(MSGQUEUE), RLIM(NICE),
	RLIM(RTPRIO), RLIM(RTTIME),
};

static void print_rlim_val(struct sbuf *out, uint64_t v)
{
	if (v == UINT64_MAX)
		sb_puts(out, "RLIM64_INFINITY");
	else if (v > 1024 && v % 1024 == 0)
		sb_printf(out, "%llu*1024", (unsigned long long)(v / 1024));
	else
		sb_printf(out, "%llu", (unsigned long long)v);
}

static void print_rlimit(struct sbuf *out, uint64_t addr,
			 const struct pt_cap *cap)
{
	const void *p = cap_struct(cap, 16);
	uint64_t r[2];

	if (!addr || !p) {
		print_ptr(out, addr);
		return;
	}
	memcpy(r, p, sizeof(r));
	sb_puts(out, "{rlim_cur=");
	print_rlim_val(out, r[0]);
	sb_puts(out, ", rlim_max=");
	print_rlim_val(out, r[1]);
	sb_putc(out, '}');
}

static void print_sysinfo(struct sbuf *out, uint64_t addr,
			  const struct pt_cap *cap)
{
	const void *p = cap_struct(cap, sizeof(struct sysinfo));
	struct sysinfo si;

	if (!addr || !p) {
		print_ptr(out, addr);
		return;
	}
	memcpy(&si, p, sizeof(si));
	sb_printf(out, "{uptime=%ld, loads=[%lu, %lu, %lu], totalram=%lu"
		  ", freeram=%lu, sharedram=%lu, bufferram=%lu, totalswap=%lu"
		  ", freeswap=%lu, procs=%u, totalhigh=%lu, freehigh=%lu"
		  ", mem_unit=%u}", si.uptime, si.loads[0], si.loads[1],
		  si.loads[2], si.totalram, si.freeram, si.sharedram,
		  si.bufferram, si.totalswap, si.freeswap, (unsigned)si.procs,
		  si.totalhigh, si.freehigh, si.mem_unit);
}

static const struct flag arch_prctl_codes[] = {
	{ 0x1001, "ARCH_SET_GS" }, { 0x1002, "ARCH_SET_FS" },
	{ 0x1003, "ARCH_GET_FS" }, { 0x1004, "ARCH_GET_GS" },
	{ 0x1011, "ARCH_GET_CPUID" }, { 0x1012, "ARCH_SET_CPUID" },
	{ 0x2001, "ARCH_MAP_VDSO_X32" }, { 0x2002, "ARCH_MAP_VDSO_32" },
	{ 0x2003, "ARCH_MAP_VDSO_64" },
};

/* wait4's status and rusage exist only when a child was reaped. */
static bool reaped(const struct sc_call *c)
{
	return c->exited && c->ret > 0;
}

static void put_wstatus(struct sbuf *out, const struct sc_call *c, unsigned i)
{
	const void *p = reaped(c) ? cap_struct(c->cap[i], sizeof(int)) : NULL;
	int st;

	if (!c->args[i] || !p) {
		print_ptr(out, c->args[i]);
		return;
	}
	memcpy(&st, p, sizeof(st));
	print_wstatus(out, st);
}

/* Simple values: signal numbers, ids, names from tables. */
static bool put_proc_value(struct sbuf *out, const struct sc_call *c,
			   unsigned i, unsigned type)
{
	uint64_t v = c->args[i];

	switch (type) {
	case A_SIGNUM:
		print_signame(out, (int)v, true);
		return true;
	case A_SIGHOW:
		print_xval(out, sighows, ARRAY_LEN(sighows), (uint32_t)v,
			   "SIG_???");
		return true;
	case A_WAIT_OPTS:
		print_flags(out, wait_opts, ARRAY_LEN(wait_opts), (uint32_t)v,
			    "W???");
		return true;
	case A_CLONE_FLAGS:
		print_clone_flags(out, v);
		return true;
	case A_FUTEX_OP:
		print_futex_op(out, (uint32_t)v);
		return true;
	case A_RLIMIT_RES:
		if ((uint32_t)v < ARRAY_LEN(rlimits) && rlimits[(uint32_t)v])
			sb_puts(out, rlimits[(uint32_t)v]);
		else
			sb_printf(out, "%#x /* RLIMIT_??? */", (unsigned)v);
		return true;
	case A_ID:
		if ((uint32_t)v == UINT32_MAX)
			sb_puts(out, "-1");
		else
			sb_printf(out, "%u", (unsigned)v);
		return true;
	case A_ARCH_PRCTL:
		print_xval(out, arch_prctl_codes, ARRAY_LEN(arch_prctl_codes),
			   (uint32_t)v, "ARCH_???");
		return true;
	default:
		return false;
	}
}

bool put_proc_arg(struct sbuf *out, const struct sc_call *c, unsigned i,
		  unsigned type, const struct decode_opts *o)
{
	uint64_t v = c->args[i];

	if (put_proc_value(out, c, i, type))
		return true;
	switch (type) {
	case A_SIGACTION_IN:
		print_sigaction(out, v, c->cap[i]);
		return true;
	case A_SIGACTION_OUT:
		print_sigaction(out, v, cap_at_exit(c, i));
		return true;
	case A_SIGSET_IN:
		put_sigset_cap(out, v, c->cap[i]);
		return true;
	case A_SIGSET_OUT:
		put_sigset_cap(out, v, cap_at_exit(c, i));
		return true;
	case A_WSTATUS:
		put_wstatus(out, c, i);
		return true;
	case A_CLONE3_ARGS:
		print_clone3(out, v, c->cap[i]);
		return true;
	case A_FUTEX_ARG:
		put_futex_arg(out, c, i);
		return true;
	case A_RLIMIT_IN:
		print_rlimit(out, v, c->cap[i]);
		return true;
	case A_RLIMIT_OUT:
		print_rlimit(out, v, cap_at_exit(c, i));
		return true;
	case A_SYSINFO_OUT:
		print_sysinfo(out, v, cap_at_exit(c, i));
		return true;
	default:
		return false;
	}
}

bool proc_arg_shown(const struct sc_call *c, unsigned i, unsigned type)
{
	if (type == A_FUTEX_ARG)
		return futex_arg_bit(c, i) != 0;
	return true;
}
