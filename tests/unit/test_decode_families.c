// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Decoders of the process, memory, fd and socket families against what
 * strace 6.1 printed.  Unless a line says otherwise, it comes from
 * `strace -f -s 32 python3.11 tests/e2e/targets/parity_broad.py DIR PORT`
 * or from the probe `strace -f python3.11 probe.py` whose calls are
 * quoted ($L as in test_decode.c); pointers are those runs' values.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/syscall.h>

#include "captures.h"
#include "check.h"
#include "decode.h"
#include "syscalls.h"

static const struct pt_cap *cap_u32(unsigned arg, uint32_t v)
{
	return cap_raw(arg, &v, sizeof(v), sizeof(v), 0);
}

static const char *line(const struct sc_call *c)
{
	return line_s(c, 32);
}

#define CALL(n, ...) { .nr = (n), .args = { __VA_ARGS__ }, .exited = true }

static void test_sockets(void)
{
	unsigned char sa[16] = { 2, 0, 0xb8, 0xd9, 127, 0, 0, 1 };
	struct sc_call c = CALL(__NR_socket, 2, 1 | 02000000, 0);

	c.ret = 3;
	CHECK_STR(line(&c), "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3");
	/* probe: s(41, 2, 0x80000|0x800|3, 0), s(41, 16, 3, 9), s(41, 1, 5|0x800, 0) */
	c = (struct sc_call)CALL(__NR_socket, 2, 0x80000 | 0x800 | 3, 0);
	c.ret = -93;
	CHECK_STR(line(&c), "socket(AF_INET, SOCK_RAW|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_IP) = -1 EPROTONOSUPPORT (Protocol not supported)");
	c = (struct sc_call)CALL(__NR_socket, 16, 3, 9);
	c.ret = 3;
	CHECK_STR(line(&c), "socket(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT) = 3");
	c = (struct sc_call)CALL(__NR_socket, 1, 5 | 0x800, 0);
	c.ret = 4;
	CHECK_STR(line(&c), "socket(AF_UNIX, SOCK_SEQPACKET|SOCK_NONBLOCK, 0) = 4");

	/* accept4 on AF_UNIX: an unnamed peer, the length changed */
	c = (struct sc_call)CALL(__NR_accept4, 3, 0x7ffc3e4ec100, 0x7ffc3e4ec0fc, 02000000);
	c.cap[1] = cap_raw(1, "\1\0", 2, 2, 0);
	c.cap[2] = cap_u32(2, 110);
	c.ret = 5;
	CHECK_STR(line(&c), "accept4(3, {sa_family=AF_UNIX}, [110 => 2], SOCK_CLOEXEC) = 5");
	/* getsockname: the same length in and out */
	c = (struct sc_call)CALL(__NR_getsockname, 3, 0x7ffc3e4ec100, 0x7ffc3e4ec0fc);
	sa[2] = 0xb8, sa[3] = 0xd9;	/* 47321 */
	c.cap[1] = cap_raw(1, sa, 16, 16, 0);
	c.cap[2] = cap_u32(2, 16);
	c.ret = 0;
	CHECK_STR(line(&c), "getsockname(3, {sa_family=AF_INET, sin_port=htons(47321), sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 0");
	c.cap[2] = cap_u32(2, 128);
	c.nr = __NR_getpeername;
	CHECK_STR(line(&c), "getpeername(3, {sa_family=AF_INET, sin_port=htons(47321), sin_addr=inet_addr(\"127.0.0.1\")}, [128 => 16]) = 0");
	/* a failed accept: the pointer and the length given */
	c = (struct sc_call)CALL(__NR_accept4, 3, 0x7ffc3e4ec100, 0x7ffc3e4ec0fc, 02000000);
	c.cap[2] = cap_u32(2, 16);
	c.ret = -11;
	CHECK_STR(line(&c), "accept4(3, 0x7ffc3e4ec100, [16], SOCK_CLOEXEC) = -1 EAGAIN (Resource temporarily unavailable)");

	c = (struct sc_call)CALL(__NR_setsockopt, 4, 6, 1, 0x7ffc3e4ec0fc, 4);
	c.cap[3] = cap_u32(3, 1);
	c.ret = 0;
	CHECK_STR(line(&c), "setsockopt(4, SOL_TCP, TCP_NODELAY, [1], 4) = 0");
	c = (struct sc_call)CALL(__NR_getsockopt, 4, 1, 8, 0x7ffc3e4ec0fc, 0x7ffc3e4ec0f8);
	c.cap[3] = cap_raw(3, &(uint32_t){ 131072 }, 4, 4, 0);
	c.cap[4] = cap_u32(4, 4);
	c.ret = 0;
	CHECK_STR(line(&c), "getsockopt(4, SOL_SOCKET, SO_RCVBUF, [131072], [4]) = 0");

	c = (struct sc_call)CALL(__NR_recvfrom, 3, 0x7fdc57e91000, 100, 0, 0x7ffc3e4ec100, 0x7ffc3e4ec0fc);
	c.cap[1] = cap_raw(1, "dgram", 5, 5, 0);
	sa[2] = 0x99, sa[3] = 0x49;	/* 39241 */
	c.cap[4] = cap_raw(4, sa, 16, 16, 0);
	c.cap[5] = cap_u32(5, 16);
	c.ret = 5;
	CHECK_STR(line(&c), "recvfrom(3, \"dgram\", 100, 0, {sa_family=AF_INET, sin_port=htons(39241), sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 5");
	c = (struct sc_call)CALL(__NR_recvfrom, 5, 0x7fdc57e91000, 10, 0, 0, 0);
	c.cap[1] = cap_raw(1, "hi", 2, 2, 0);
	c.ret = 2;
	CHECK_STR(line(&c), "recvfrom(5, \"hi\", 10, 0, NULL, NULL) = 2");
	c = (struct sc_call)CALL(__NR_shutdown, 5, 2);
	c.ret = 0;
	CHECK_STR(line(&c), "shutdown(5, SHUT_RDWR) = 0");
}

static void test_fds(void)
{
	int fds[2] = { 3, 4 };
	struct pollfd pf[2] = { { 3, POLLIN | POLLPRI, 0 }, { 4, POLLOUT, 0 } };
	struct pollfd rf[2] = { { 3, POLLIN | POLLPRI, POLLIN }, { 4, POLLOUT, POLLOUT } };
	unsigned char in[8] = { 8 }, outs[8] = { 16 }, ts[16] = { 0 };
	unsigned char ev[24];
	uint32_t e32;
	uint64_t d64;
	struct sc_call c = CALL(__NR_pipe2, 0x7ffc3e4ec0f0, 02000000 | 04000);

	c.cap[0] = cap_raw(0, fds, 8, 8, 0);
	c.ret = 0;
	CHECK_STR(line(&c), "pipe2([3, 4], O_NONBLOCK|O_CLOEXEC) = 0");
	c = (struct sc_call)CALL(__NR_fcntl, 3, 3);
	c.ret = 0x8002;
	CHECK_STR(line(&c), "fcntl(3, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)");
	c = (struct sc_call)CALL(__NR_fcntl, 0, 1);
	c.ret = 0;
	CHECK_STR(line(&c), "fcntl(0, F_GETFD) = 0");
	c.ret = 1;
	CHECK_STR(line(&c), "fcntl(0, F_GETFD) = 0x1 (flags FD_CLOEXEC)");
	c = (struct sc_call)CALL(__NR_fcntl, 3, 4, 0106002);
	c.ret = 0;
	CHECK_STR(line(&c), "fcntl(3, F_SETFL, O_RDWR|O_APPEND|O_NONBLOCK|O_LARGEFILE) = 0");
	c = (struct sc_call)CALL(__NR_fcntl, 3, 1030, 10);
	c.ret = 11;
	CHECK_STR(line(&c), "fcntl(3, F_DUPFD_CLOEXEC, 10) = 11");
	/* probe: s(72, 0, 999, 0) */
	c = (struct sc_call)CALL(__NR_fcntl, 0, 999, 0);
	c.ret = -22;
	CHECK_STR(line(&c), "fcntl(0, 0x3e7 /* F_??? */, 0) = -1 EINVAL (Invalid argument)");

	c = (struct sc_call)CALL(__NR_ioctl, 3, 0x5401, 0x7ffc3e4ec2d0);
	c.ret = -25;
	CHECK_STR(line(&c), "ioctl(3, TCGETS, 0x7ffc3e4ec2d0) = -1 ENOTTY (Inappropriate ioctl for device)");
	c = (struct sc_call)CALL(__NR_ioctl, 3, 0x541b, 0x7ffc3e4ec2d0);
	c.cap[2] = cap_u32(2, 0);
	c.ret = 0;
	CHECK_STR(line(&c), "ioctl(3, FIONREAD, [0]) = 0");
	c = (struct sc_call)CALL(__NR_ioctl, 3, 0x5451, 0x7ffc3e4ec2d0);
	c.ret = 0;
	CHECK_STR(line(&c), "ioctl(3, FIOCLEX) = 0");

	c = (struct sc_call)CALL(__NR_poll, 0x7fdc57e91000, 2, 0);
	c.cap[0] = cap_raw(0, pf, sizeof(pf), sizeof(pf), 0);
	c.cap_out[0] = cap_raw(0, rf, sizeof(rf), sizeof(rf), PT_CAP_F_EXIT);
	c.ret = 2;
	CHECK_STR(line(&c), "poll([{fd=3, events=POLLIN|POLLPRI}, {fd=4, events=POLLOUT}], 2, 0) = 2 ([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}])");
	c.ret = 0;
	CHECK_STR(line(&c), "poll([{fd=3, events=POLLIN|POLLPRI}, {fd=4, events=POLLOUT}], 2, 0) = 0 (Timeout)");

	c = (struct sc_call)CALL(__NR_pselect6, 5, 0x7ffc3e4ec000, 0x7ffc3e4ec080, 0, 0x7ffc3e4ebff0, 0);
	c.cap[1] = c.cap_out[1] = cap_raw(1, in, 8, 8, 0);
	c.cap[2] = c.cap_out[2] = cap_raw(2, outs, 8, 8, 0);
	c.cap[4] = c.cap_out[4] = cap_raw(4, ts, 16, 16, 0);
	c.ret = 2;
	CHECK_STR(line(&c), "pselect6(5, [3], [4], NULL, {tv_sec=0, tv_nsec=0}, NULL) = 2 (in [3], out [4], left {tv_sec=0, tv_nsec=0})");

	e32 = 0x80000001u;	/* EPOLLIN|EPOLLET */
	d64 = 140582869532675ull;
	memcpy(ev, &e32, 4);
	memcpy(ev + 4, &d64, 8);
	c = (struct sc_call)CALL(__NR_epoll_ctl, 5, 1, 3, 0x7ffc3e4ecdd4);
	c.cap[3] = cap_raw(3, ev, 12, 12, 0);
	c.ret = 0;
	CHECK_STR(line(&c), "epoll_ctl(5, EPOLL_CTL_ADD, 3, {events=EPOLLIN|EPOLLET, data={u32=3, u64=140582869532675}}) = 0");
	c.args[1] = 2;
	CHECK_STR(line(&c), "epoll_ctl(5, EPOLL_CTL_DEL, 3, 0x7ffc3e4ecdd4) = 0");
	e32 = 1;
	memcpy(ev, &e32, 4);
	c = (struct sc_call)CALL(__NR_epoll_wait, 5, 0x7fdc57e91000, 1023, 0);
	c.cap[1] = cap_raw(1, ev, 12, 12, 0);
	c.ret = 1;
	CHECK_STR(line(&c), "epoll_wait(5, [{events=EPOLLIN, data={u32=3, u64=140582869532675}}], 1023, 0) = 1");

	c = (struct sc_call)CALL(__NR_getdents64, 3, 0x201564b0, 32768);
	c.cap[1] = cap_raw(1, "", 0, 208, 0);
	c.ret = 6944;
	CHECK_STR(line(&c), "getdents64(3, 0x201564b0 /* 208 entries */, 32768) = 6944");
	c = (struct sc_call)CALL(__NR_getrandom, 0x7ffc3e4ec100, 8, 1);
	c.cap[0] = cap_raw(0, "\xe4\xa2\x50\xf9\xe7\xb0\x8c\x21", 8, 8, 0);
	c.ret = 8;
	CHECK_STR(line(&c), "getrandom(\"\\xe4\\xa2\\x50\\xf9\\xe7\\xb0\\x8c\\x21\", 8, GRND_NONBLOCK) = 8");
	/* probe: s(73, 0, 2|4) */
	c = (struct sc_call)CALL(__NR_flock, 0, 6);
	c.ret = 0;
	CHECK_STR(line(&c), "flock(0, LOCK_EX|LOCK_NB) = 0");
	c = (struct sc_call)CALL(__NR_umask, 022);
	c.ret = 022;
	CHECK_STR(line(&c), "umask(022) = 022");
}

/* struct pt_iov entries then their bytes, as the BPF side lays them out */
static const struct pt_cap *cap_iov(unsigned arg, const char *const *data,
				    const uint64_t *lens, unsigned n,
				    unsigned total)
{
	unsigned char tmp[1024];
	size_t off = 0;
	struct pt_iov e;
	unsigned k;

	for (k = 0; k < n; k++) {
		memset(&e, 0, sizeof(e));
		e.base = 0x7f0000001000 + k;
		e.len = lens[k];
		e.copied = (uint32_t)strlen(data[k]);
		memcpy(tmp + off, &e, sizeof(e));
		memcpy(tmp + off + sizeof(e), data[k], e.copied);
		off = (off + sizeof(e) + e.copied + 7) & ~(size_t)7;
	}
	return cap_raw(arg, tmp, off, total, 0);
}

static void test_iov(void)
{
	static const char *const w[] = { "hello ", "world\n", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" };
	static const uint64_t wl[] = { 6, 6, 40 };
	static const char *const r[] = { "hell", "o world\nxxxxxxxxxxxxxxxxxxxxxxxx" };
	static const uint64_t rl[] = { 4, 100 };
	struct sc_call c = CALL(__NR_writev, 3, 0x7ffc3e4ec100, 3);

	c.cap[1] = cap_iov(1, w, wl, 3, 3);
	c.ret = 52;
	CHECK_STR(line(&c), "writev(3, [{iov_base=\"hello \", iov_len=6}, {iov_base=\"world\\n\", iov_len=6}, {iov_base=\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"..., iov_len=40}], 3) = 52");
	c = (struct sc_call)CALL(__NR_readv, 3, 0x7ffc3e4ec100, 2);
	c.cap[1] = cap_iov(1, r, rl, 2, 2);
	c.ret = 52;
	CHECK_STR(line(&c), "readv(3, [{iov_base=\"hell\", iov_len=4}, {iov_base=\"o world\\nxxxxxxxxxxxxxxxxxxxxxxxx\"..., iov_len=100}], 2) = 52");
	c.ret = -9;
	CHECK_STR(line(&c), "readv(3, 0x7ffc3e4ec100, 2) = -1 EBADF (Bad file descriptor)");
}

static void test_proc(void)
{
	uint64_t sa[4] = { 1, 0x0c000000, 0x7fdc582d7050, 0 };
	uint64_t rl[2] = { 8192 * 1024, UINT64_MAX };
	uint64_t mask = ~((1ull << 31) | (1ull << 32));
	struct sc_call c = CALL(__NR_rt_sigaction, 13, 0x7ffc3e4ec100, 0x7ffc3e4ec0a0, 8);

	c.cap[1] = cap_raw(1, sa, 32, 32, 0);
	memset(sa, 0, sizeof(sa));
	c.cap[2] = cap_raw(2, sa, 32, 32, 0);
	c.ret = 0;
	CHECK_STR(line(&c), "rt_sigaction(SIGPIPE, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER|SA_ONSTACK, sa_restorer=0x7fdc582d7050}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0");
	/* probe: sa_flags 0x5c000005, mask (1<<1)|(1<<14), restorer 0x1234 */
	sa[0] = 0, sa[1] = 0x5c000005, sa[2] = 0x1234, sa[3] = (1 << 1) | (1 << 14);
	c = (struct sc_call)CALL(__NR_rt_sigaction, 10, 0x7ffc3e4ec100, 0, 8);
	c.cap[1] = cap_raw(1, sa, 32, 32, 0);
	c.ret = 0;
	CHECK_STR(line(&c), "rt_sigaction(SIGUSR1, {sa_handler=SIG_DFL, sa_mask=[INT TERM], sa_flags=SA_RESTORER|SA_ONSTACK|SA_RESTART|SA_NODEFER|SA_SIGINFO|SA_NOCLDSTOP, sa_restorer=0x1234}, NULL, 8) = 0");

	c = (struct sc_call)CALL(__NR_rt_sigprocmask, 0, 0x7ffc3e4ec100, 0x7ffc3e4ec180, 8);
	c.cap[1] = cap_raw(1, &mask, 8, 8, 0);
	c.cap[2] = cap_raw(2, &(uint64_t){ 0 }, 8, 8, 0);
	c.ret = 0;
	CHECK_STR(line(&c), "rt_sigprocmask(SIG_BLOCK, ~[RTMIN RT_1], [], 8) = 0");
	/* probe: pthread_sigmask(SIG_SETMASK, [SIGRTMIN, SIGRTMIN+1, 64]) */
	mask = (1ull << 33) | (1ull << 34) | (1ull << 63);
	c.args[0] = 2;
	c.cap[1] = cap_raw(1, &mask, 8, 8, 0);
	mask = (1ull << 11) | (1ull << 14);
	c.cap[2] = cap_raw(2, &mask, 8, 8, 0);
	CHECK_STR(line(&c), "rt_sigprocmask(SIG_SETMASK, [RT_2 RT_3 RT_32], [USR2 TERM], 8) = 0");

	c = (struct sc_call)CALL(__NR_wait4, 28263, 0x7ffc3e4ec0fc, 0, 0);
	c.cap[1] = cap_u32(1, 3 << 8);
	c.ret = 28263;
	CHECK_STR(line(&c), "wait4(28263, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 28263");
	c.cap[1] = cap_u32(1, 9);
	CHECK_STR(line(&c), "wait4(28263, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, NULL) = 28263");
	/* probe: os.waitpid(pid, WNOHANG|WUNTRACED) before the child exits */
	c = (struct sc_call)CALL(__NR_wait4, 2357, 0x7fff15d386dc, 3, 0);
	c.ret = 0;
	CHECK_STR(line(&c), "wait4(2357, 0x7fff15d386dc, WNOHANG|WSTOPPED, NULL) = 0");

	c = (struct sc_call)CALL(__NR_clone, 0x1200011, 0, 0, 0x7fdc5829a310, 0);
	c.ret = 28263;
	CHECK_STR(line(&c), "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7fdc5829a310) = 28263");
	c = (struct sc_call)CALL(__NR_prlimit64, 0, 3, 0, 0x7ffc3e4ec100);
	c.cap[3] = cap_raw(3, rl, 16, 16, 0);
	c.ret = 0;
	CHECK_STR(line(&c), "prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0");
	c = (struct sc_call)CALL(__NR_futex, 0x7fdc5846fa4c, 129, 2147483647, 0x11, 0x22, 0x33);
	c.ret = 0;
	CHECK_STR(line(&c), "futex(0x7fdc5846fa4c, FUTEX_WAKE_PRIVATE, 2147483647) = 0");
	c = (struct sc_call)CALL(__NR_tgkill, 28254, 28254, 0);
	CHECK_STR(line(&c), "tgkill(28254, 28254, 0) = 0");
	c = (struct sc_call)CALL(__NR_kill, 28264, 9);
	c.exited = false;
	CHECK_STR(line(&c), "kill(28264, SIGKILL) = ?");
	c = (struct sc_call)CALL(__NR_chown, 0x7ffc3e4ec100, 0xffffffff, 0);
	c.ret = 0;
	CHECK_STR(line(&c), "chown(0x7ffc3e4ec100, -1, 0) = 0");
}

static void test_mem(void)
{
	struct sc_call c = CALL(__NR_mmap, 0x7fdc584d7000, 475136, 5, 0x812, 3, 0x10000);

	c.ret = 0x7fdc584d7000;
	CHECK_STR(line(&c), "mmap(0x7fdc584d7000, 475136, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x10000) = 0x7fdc584d7000");
	c = (struct sc_call)CALL(__NR_mprotect, 0x945000, 4096, 1);
	c.ret = 0;
	CHECK_STR(line(&c), "mprotect(0x945000, 4096, PROT_READ) = 0");
	c = (struct sc_call)CALL(__NR_mremap, 0x7fdc57e91000, 16384, 32768, 1, 0x99);
	c.ret = 0x7fdc57e89000;
	CHECK_STR(line(&c), "mremap(0x7fdc57e91000, 16384, 32768, MREMAP_MAYMOVE) = 0x7fdc57e89000");
	/* probe: s(28, 0x1000, 4096, 77) */
	c = (struct sc_call)CALL(__NR_madvise, 0x1000, 4096, 77);
	c.ret = -22;
	CHECK_STR(line(&c), "madvise(0x1000, 4096, 0x4d /* MADV_??? */) = -1 EINVAL (Invalid argument)");
	c = (struct sc_call)CALL(__NR_brk, 0);
	c.ret = 0x20147000;
	CHECK_STR(line(&c), "brk(NULL) = 0x20147000");
}

int main(void)
{
	test_sockets();
	test_fds();
	test_iov();
	test_proc();
	test_mem();
	sb_free(&line_buf);
	return check_done("decode_families");
}
