// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Decoder output against what strace 6.1 (Debian 12) printed for the same
 * calls.  Each expected line names the command that produced it; strace
 * pads " = " to column 40, which the lines here collapse to one space (the
 * padding is the tracer core's job).  Python probes that need raw syscalls
 * use a prefix written here as $L:
 *   L='import ctypes as c; s=c.CDLL(None).syscall; b=c.create_string_buffer(256);'
 * Pointer values are the ones that strace run printed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include "captures.h"
#include "check.h"
#include "decode.h"
#include "syscalls.h"

/* ---- building captures the way the BPF side lays them out ---- */

static const struct pt_cap *cap_str(unsigned arg, const char *s)
{
	return cap_raw(arg, s, strlen(s), (uint32_t)strlen(s), 0);
}

/* A buffer as BPF copies it: at most strsize of its len bytes. */
static const struct pt_cap *cap_buf(unsigned arg, const void *data,
				    size_t len, size_t strsize)
{
	return cap_raw(arg, data, len < strsize ? len : strsize,
		       (uint32_t)len, len > strsize ? PT_CAP_F_TRUNC : 0);
}

/* argv as BPF copies it: the first max entries, strsize + 1 bytes each. */
static const struct pt_cap *cap_strv(unsigned arg, const char *const *v,
				     unsigned n, unsigned max, size_t strsize)
{
	unsigned char tmp[4096];
	size_t off = 0, len;
	uint16_t l;
	unsigned k;

	for (k = 0; k < n && k < max; k++) {
		len = strlen(v[k]);
		l = (uint16_t)(len < strsize + 1 ? len : strsize + 1);
		memcpy(tmp + off, &l, sizeof(l));
		memcpy(tmp + off + sizeof(l), v[k], l);
		off += sizeof(l) + l;
	}
	return cap_raw(arg, tmp, off, n, n > max ? PT_CAP_F_TRUNC : 0);
}

/* envp: count only */
static const struct pt_cap *cap_count(unsigned arg, unsigned n)
{
	return cap_raw(arg, "", 0, n, 0);
}

static const struct pt_cap *cap_stat(unsigned arg, unsigned mode,
				     long long size, dev_t rdev)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	st.st_mode = mode;
	st.st_size = size;
	st.st_rdev = rdev;
	return cap_raw(arg, &st, sizeof(st), sizeof(st), 0);
}

static const struct pt_cap *cap_statx(unsigned arg, unsigned mask,
				      unsigned long long attrs, unsigned mode,
				      unsigned long long size)
{
	struct statx sx;

	memset(&sx, 0, sizeof(sx));
	sx.stx_mask = mask;
	sx.stx_attributes = attrs;
	sx.stx_mode = (uint16_t)mode;
	sx.stx_size = size;
	return cap_raw(arg, &sx, sizeof(sx), sizeof(sx), 0);
}

/* ---- printing a whole call as strace's line, less the padding ---- */

static struct sbuf sb;

static const char *line(const struct sc_call *c)
{
	return line_s(c, 32);
}

#define CALL(n, ...) { .nr = (n), .args = { __VA_ARGS__ }, .exited = true }

static void test_open(void)
{
	/* strace -s 32 -e trace=openat python3 -c 'import os; os.open("/etc/passwd", os.O_RDONLY)' */
	struct sc_call c = CALL(__NR_openat, (uint64_t)-100, 0x7f0000001000, 02000000);
	c.cap[1] = cap_str(1, "/etc/passwd");
	c.ret = 3;
	CHECK_STR(line(&c), "openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY|O_CLOEXEC) = 3");

	/* strace -s 32 -e trace=openat python3 -c 'import os; os.open("/nonexistent/x", os.O_WRONLY|os.O_CREAT|os.O_TRUNC, 0o644)' */
	c = (struct sc_call)CALL(__NR_openat, 0xffffff9c, 1, 01 | 0100 | 01000 | 02000000, 0644);
	c.cap[1] = cap_str(1, "/nonexistent/x");
	c.ret = -2;
	CHECK_STR(line(&c), "openat(AT_FDCWD, \"/nonexistent/x\", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0644) = -1 ENOENT (No such file or directory)");

	/* strace -s 32 -e trace=openat python3 -c 'import os; os.open("/tmp", os.O_RDWR|os.O_TMPFILE, 0o600)' */
	c = (struct sc_call)CALL(__NR_openat, (uint64_t)-100, 1, 02 | 02000000 | 020200000, 0600);
	c.cap[1] = cap_str(1, "/tmp");
	c.ret = 3;
	CHECK_STR(line(&c), "openat(AT_FDCWD, \"/tmp\", O_RDWR|O_CLOEXEC|O_TMPFILE, 0600) = 3");

	/* strace -s 32 -e trace=openat python3 -c '$L s(257, -100, b"/nonexistent/x", 0xfffffffc, 0o644)' */
	c = (struct sc_call)CALL(__NR_openat, (uint64_t)-100, 1, 0xfffffffc, 0644);
	c.cap[1] = cap_str(1, "/nonexistent/x");
	c.ret = -2;
	CHECK_STR(line(&c), "openat(AT_FDCWD, \"/nonexistent/x\", O_RDONLY|O_CREAT|O_EXCL|O_NOCTTY|O_TRUNC|O_APPEND|O_NONBLOCK|O_SYNC|O_DIRECT|O_LARGEFILE|O_NOFOLLOW|O_NOATIME|O_CLOEXEC|O_PATH|O_TMPFILE|FASYNC|0xff80003c, 0644) = -1 ENOENT (No such file or directory)");

	/* strace -s 32 -e trace=openat python3 -c '$L s(257, -100, b"/nonexistent/x", 0x80000003)' */
	c.args[2] = 0x80000003;
	CHECK_STR(line(&c), "openat(AT_FDCWD, \"/nonexistent/x\", O_ACCMODE|0x80000000) = -1 ENOENT (No such file or directory)");

	/* strace -s 32 -e trace=openat python3 -c '$L s(257, -100, b"/nonexistent/x", 0x400002, 0o600)' */
	c.args[2] = 0x400002;
	c.args[3] = 0600;
	c.ret = -22;
	CHECK_STR(line(&c), "openat(AT_FDCWD, \"/nonexistent/x\", O_RDWR|__O_TMPFILE, 0600) = -1 EINVAL (Invalid argument)");

	/* strace -s 32 -e trace=openat python3 -c '$L s(257, 5, None, 0x100000)' */
	c = (struct sc_call)CALL(__NR_openat, 5, 0, 0x100000);
	c.ret = -14;
	CHECK_STR(line(&c), "openat(5, NULL, O_RDONLY|__O_SYNC) = -1 EFAULT (Bad address)");

	/* t5.c: syscall(SYS_openat, AT_FDCWD, "/nonexistent/x", O_RDWR|O_DIRECTORY, 0600), strace -e trace=openat */
	c = (struct sc_call)CALL(__NR_openat, (uint64_t)-100, 1, 02 | 0200000, 0600);
	c.cap[1] = cap_str(1, "/nonexistent/x");
	c.ret = -2;
	CHECK_STR(line(&c), "openat(AT_FDCWD, \"/nonexistent/x\", O_RDWR|O_DIRECTORY) = -1 ENOENT (No such file or directory)");
	CHECK(!decode_arg_shown(&c, 3));
	CHECK(decode_arg_shown(&c, 2));

	/* strace -s 32 -e trace=openat python3 -c '$L s(257, -100, b"/nonexistent/x", c.c_long(0x800000000), 0o644)':
	 * flags are an int, the upper half of the register is ignored */
	c.args[2] = 0x800000000;
	c.args[3] = 0644;
	CHECK_STR(line(&c), "openat(AT_FDCWD, \"/nonexistent/x\", O_RDONLY) = -1 ENOENT (No such file or directory)");

	/* strace -s 32 -e trace=open python3 -c '$L s(2, b"/nonexistent/x", 0o1101, 0o644)' */
	c = (struct sc_call)CALL(__NR_open, 1, 01101, 0644);
	c.cap[0] = cap_str(0, "/nonexistent/x");
	c.ret = -2;
	CHECK_STR(line(&c), "open(\"/nonexistent/x\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = -1 ENOENT (No such file or directory)");

	/* strace -s 32 -e trace=open python3 -c '$L s(2, b"/etc/passwd", 0)' */
	c = (struct sc_call)CALL(__NR_open, 1, 0);
	c.cap[0] = cap_str(0, "/etc/passwd");
	c.ret = 3;
	CHECK_STR(line(&c), "open(\"/etc/passwd\", O_RDONLY) = 3");

	/* strace -s 32 -e trace=creat python3 -c '$L s(85, b"/nonexistent/x", 0o644)' */
	c = (struct sc_call)CALL(__NR_creat, 1, 0644);
	c.cap[0] = cap_str(0, "/nonexistent/x");
	c.ret = -2;
	CHECK_STR(line(&c), "creat(\"/nonexistent/x\", 0644) = -1 ENOENT (No such file or directory)");

	/* t1.c: syscall(SYS_openat, AT_FDCWD, p, O_WRONLY|O_DSYNC|O_CREAT, 0 / 07777 / 0100644) */
	c = (struct sc_call)CALL(__NR_openat, (uint64_t)-100, 1, 01 | 010000 | 0100, 0);
	c.cap[1] = cap_str(1, "/nonexistent/x");
	c.ret = -2;
	CHECK_STR(line(&c), "openat(AT_FDCWD, \"/nonexistent/x\", O_WRONLY|O_CREAT|O_DSYNC, 000) = -1 ENOENT (No such file or directory)");
	c.args[3] = 07777;
	CHECK_STR(line(&c), "openat(AT_FDCWD, \"/nonexistent/x\", O_WRONLY|O_CREAT|O_DSYNC, 07777) = -1 ENOENT (No such file or directory)");
	c.args[3] = 0100644;
	CHECK_STR(line(&c), "openat(AT_FDCWD, \"/nonexistent/x\", O_WRONLY|O_CREAT|O_DSYNC, 0100644) = -1 ENOENT (No such file or directory)");

	/* t2.c: open("/etc/passwd", O_RDONLY|0x8000): the kernel's O_LARGEFILE */
	c = (struct sc_call)CALL(__NR_openat, (uint64_t)-100, 1, 0100000);
	c.cap[1] = cap_str(1, "/etc/passwd");
	c.ret = 3;
	CHECK_STR(line(&c), "openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY|O_LARGEFILE) = 3");

	/* t6.c: openat(77, "", O_SYNC|O_DIRECTORY|FASYNC) and (__O_SYNC|O_TMPFILE) */
	c = (struct sc_call)CALL(__NR_openat, 77, 1, 04010000 | 0200000 | 020000);
	c.cap[1] = cap_str(1, "");
	c.ret = -2;
	CHECK_STR(line(&c), "openat(77, \"\", O_RDONLY|O_SYNC|O_DIRECTORY|FASYNC) = -1 ENOENT (No such file or directory)");
	c.args[2] = 04000000 | 020200000;
	CHECK_STR(line(&c), "openat(77, \"\", O_RDONLY|__O_SYNC|O_TMPFILE, 000) = -1 ENOENT (No such file or directory)");
}

static void test_fd_io(void)
{
	static const char passwd[] =
		"root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:"
		"/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\nsys:x";
	unsigned char all[256];
	struct sc_call c;
	int i;

	/* strace -s 32 -e trace=close python3 -c '$L s(3, c.c_long(0x100000005))' */
	c = (struct sc_call)CALL(__NR_close, 0x100000005);
	c.ret = -9;
	CHECK_STR(line(&c), "close(5) = -1 EBADF (Bad file descriptor)");

	/* strace -s 32 -e trace=read python3 -c 'import os; fd=os.open("/etc/passwd", os.O_RDONLY); os.read(fd, 100)' */
	c = (struct sc_call)CALL(__NR_read, 3, 0x7f0000002000, 100);
	c.ret = 100;
	c.cap[1] = cap_buf(1, passwd, 100, 32);
	CHECK_STR(line(&c), "read(3, \"root:x:0:0:root:/root:/bin/bash\\n\"..., 100) = 100");

	/* strace -s 32 -e trace=read python3 -c 'import os; fd=os.open("/etc/passwd", os.O_RDONLY); os.read(fd, 10)' */
	c = (struct sc_call)CALL(__NR_read, 3, 0x7f0000002000, 10);
	c.ret = 10;
	c.cap[1] = cap_buf(1, passwd, 10, 32);
	CHECK_STR(line(&c), "read(3, \"root:x:0:0\", 10) = 10");

	/* strace -s 32 -e trace=read python3 -c 'import os; r,w=os.pipe(); os.close(w); os.read(r, 4096)' */
	c = (struct sc_call)CALL(__NR_read, 3, 0x7f0000002000, 4096);
	c.ret = 0;
	c.cap[1] = cap_buf(1, "", 0, 32);
	CHECK_STR(line(&c), "read(3, \"\", 4096) = 0");

	/* strace -s 32 -e trace=read python3 -c '$L s(0, 99, b, 10)' */
	c = (struct sc_call)CALL(__NR_read, 99, 0x7fd9856c8f30, 10);
	c.ret = -9;
	CHECK_STR(line(&c), "read(99, 0x7fd9856c8f30, 10) = -1 EBADF (Bad file descriptor)");

	/* strace -s 32 -e trace=read python3 -c 'import os; r,w=os.pipe(); os.write(w, bytes(range(256))); os.read(r, 256)' */
	for (i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	c = (struct sc_call)CALL(__NR_read, 3, 0x7f0000002000, 256);
	c.ret = 256;
	c.cap[1] = cap_buf(1, all, 256, 32);
	CHECK_STR(line(&c), "read(3, \"\\0\\1\\2\\3\\4\\5\\6\\7\\10\\t\\n\\v\\f\\r\\16\\17\\20\\21\\22\\23\\24\\25\\26\\27\\30\\31\\32\\33\\34\\35\\36\\37\"..., 256) = 256");

	/* strace -s 32 -e trace=read python3 -c 'import os,signal; signal.signal(signal.SIGALRM, lambda *a: 1/0); signal.alarm(1); os.read(os.pipe()[0], 10)' */
	c = (struct sc_call)CALL(__NR_read, 3, 0x7f2aa5df2240, 10);
	c.ret = -512;
	CHECK_STR(line(&c), "read(3, 0x7f2aa5df2240, 10) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)");

	/* strace -s 32 -e trace=write python3 -c 'import os; os.write(1, b"hello\n")' */
	c = (struct sc_call)CALL(__NR_write, 1, 0x7f0000003000, 6);
	c.cap[1] = cap_buf(1, "hello\n", 6, 32);
	c.ret = 6;
	CHECK_STR(line(&c), "write(1, \"hello\\n\", 6) = 6");

	/* strace -s 32 -e trace=write python3 -c 'import os; os.write(1, b"a\0\0018\0019\1a\33[m\t\n\v\f\r\"\\\177\200\377\xc3\xa9 ok")' */
	c = (struct sc_call)CALL(__NR_write, 1, 0x7f0000003000, 26);
	c.cap[1] = cap_buf(1, "a\0\0018\0019\1a\33[m\t\n\v\f\r\"\\\177\200\377\xc3\xa9 ok", 26, 32);
	c.ret = 26;
	CHECK_STR(line(&c), "write(1, \"a\\0\\18\\19\\1a\\33[m\\t\\n\\v\\f\\r\\\"\\\\\\177\\200\\377\\303\\251 ok\", 26) = 26");

	/* strace -s 32 -e trace=write python3 -c 'import os; os.write(1, b"\x00\x0012\x01\x38\x1b[1m\x7f\x80\xff")' */
	c = (struct sc_call)CALL(__NR_write, 1, 0x7f0000003000, 13);
	c.cap[1] = cap_buf(1, "\x00\x00" "12\x01\x38\x1b[1m\x7f\x80\xff", 13, 32);
	c.ret = 13;
	CHECK_STR(line(&c), "write(1, \"\\0\\00012\\18\\33[1m\\177\\200\\377\", 13) = 13");

	/* strace -s 32 -e trace=write python3 -c 'import os; os.write(1, b"abcdefghijklmnopqrstuvwxyz0123456789")' */
	c = (struct sc_call)CALL(__NR_write, 1, 0x7f0000003000, 36);
	c.cap[1] = cap_buf(1, "abcdefghijklmnopqrstuvwxyz0123456789", 36, 32);
	c.ret = 36;
	CHECK_STR(line(&c), "write(1, \"abcdefghijklmnopqrstuvwxyz012345\"..., 36) = 36");

	/* strace -s 0 -e trace=write python3 -c 'import os; os.write(1, b"abc")' */
	c = (struct sc_call)CALL(__NR_write, 1, 0x7f0000003000, 3);
	c.cap[1] = cap_buf(1, "abc", 3, 0);
	c.ret = 3;
	CHECK_STR(line_s(&c, 0), "write(1, \"\"..., 3) = 3");

	/* strace -s 32 -e trace=write python3 -c 'import os; os.write(1, b"")' */
	c = (struct sc_call)CALL(__NR_write, 1, 0x7f0000003000, 0);
	c.cap[1] = cap_buf(1, "", 0, 32);
	c.ret = 0;
	CHECK_STR(line(&c), "write(1, \"\", 0) = 0");

	/* t1.c: write(1, NULL, 5) to /dev/null, strace -e trace=write */
	c = (struct sc_call)CALL(__NR_write, 1, 0, 5);
	c.ret = 5;
	CHECK_STR(line(&c), "write(1, NULL, 5) = 5");

	/* strace -s 32 -e trace=pread64 python3 -c 'import os; fd=os.open("/etc/passwd", os.O_RDONLY); os.pread(fd, 10, 5)' */
	c = (struct sc_call)CALL(__NR_pread64, 3, 0x7f0000002000, 10, 5);
	c.cap[1] = cap_buf(1, passwd + 5, 10, 32);
	c.ret = 10;
	CHECK_STR(line(&c), "pread64(3, \"x:0:0:root\", 10, 5) = 10");

	/* strace -s 32 -e trace=pwrite64 python3 -c 'import os; fd=os.open("/dev/null", os.O_WRONLY); os.pwrite(fd, b"data", 7)' */
	c = (struct sc_call)CALL(__NR_pwrite64, 3, 0x7f0000002000, 4, 7);
	c.cap[1] = cap_buf(1, "data", 4, 32);
	c.ret = 4;
	CHECK_STR(line(&c), "pwrite64(3, \"data\", 4, 7) = 4");

	/* strace -s 32 -e trace=lseek python3 -c 'import os; fd=os.open("/etc/passwd", os.O_RDONLY); os.lseek(fd, -10, os.SEEK_END)' */
	c = (struct sc_call)CALL(__NR_lseek, 3, (uint64_t)-10, 2);
	c.ret = 1211;
	CHECK_STR(line(&c), "lseek(3, -10, SEEK_END) = 1211");

	/* strace -s 32 -e trace=lseek python3 -c '$L s(8, 0, 10, 7)' */
	c = (struct sc_call)CALL(__NR_lseek, 0, 10, 7);
	c.ret = -22;
	CHECK_STR(line(&c), "lseek(0, 10, 0x7 /* SEEK_??? */) = -1 EINVAL (Invalid argument)");

	/* t5.c: syscall(SYS_read, 0x100000005L, 0, 0xffffffffffffffffL) and
	 * syscall(SYS_lseek, 0x100000005L, 0x8000000000000000L, 0x100000000L) */
	c = (struct sc_call)CALL(__NR_read, 0x100000005, 0, UINT64_MAX);
	c.ret = -9;
	CHECK_STR(line(&c), "read(5, NULL, 18446744073709551615) = -1 EBADF (Bad file descriptor)");
	c = (struct sc_call)CALL(__NR_lseek, 0x100000005, 0x8000000000000000, 0x100000000);
	c.ret = -9;
	CHECK_STR(line(&c), "lseek(5, -9223372036854775808, SEEK_SET) = -1 EBADF (Bad file descriptor)");

	/* t10.c: syscall(SYS_ftruncate, 77, -1L) */
	c = (struct sc_call)CALL(__NR_ftruncate, 77, (uint64_t)-1);
	c.ret = -22;
	CHECK_STR(line(&c), "ftruncate(77, 18446744073709551615) = -1 EINVAL (Invalid argument)");

	/* t10.c: syscall(SYS_dup2, 1, 77) */
	c = (struct sc_call)CALL(__NR_dup2, 1, 77);
	c.ret = 77;
	CHECK_STR(line(&c), "dup2(1, 77) = 77");
}

static void test_stat(void)
{
	struct sc_call c;

	/* strace -s 32 -e trace=stat python3 -c '$L s(4, b"/etc", b)' */
	c = (struct sc_call)CALL(__NR_stat, 1, 0x7f186c91cf30);
	c.cap[0] = cap_str(0, "/etc");
	c.cap[1] = cap_stat(1, S_IFDIR | 0755, 4096, 0);
	c.ret = 0;
	CHECK_STR(line(&c), "stat(\"/etc\", {st_mode=S_IFDIR|0755, st_size=4096, ...}) = 0");

	/* strace -s 32 -e trace=stat python3 -c '$L s(4, b"/nonexistent", b)' */
	c = (struct sc_call)CALL(__NR_stat, 1, 0x7f186c91cf30);
	c.cap[0] = cap_str(0, "/nonexistent");
	c.ret = -2;
	CHECK_STR(line(&c), "stat(\"/nonexistent\", 0x7f186c91cf30) = -1 ENOENT (No such file or directory)");

	/* strace -s 32 -e trace=stat python3 -c '$L s(4, b"/dev/null", b)' */
	c = (struct sc_call)CALL(__NR_stat, 1, 0x7f186c91cf30);
	c.cap[0] = cap_str(0, "/dev/null");
	c.cap[1] = cap_stat(1, S_IFCHR | 0644, 0, makedev(1, 3));
	c.ret = 0;
	CHECK_STR(line(&c), "stat(\"/dev/null\", {st_mode=S_IFCHR|0644, st_rdev=makedev(0x1, 0x3), ...}) = 0");

	/* t4.c: stat("/dev/loop0"), strace -e trace=stat */
	c.cap[0] = cap_str(0, "/dev/loop0");
	c.cap[1] = cap_stat(1, S_IFBLK | 0600, 0, makedev(7, 0));
	CHECK_STR(line(&c), "stat(\"/dev/loop0\", {st_mode=S_IFBLK|0600, st_rdev=makedev(0x7, 0), ...}) = 0");

	/* strace -s 32 -e trace=stat python3 -c '$L s(4, b"/tmp", b)' */
	c.cap[0] = cap_str(0, "/tmp");
	c.cap[1] = cap_stat(1, S_IFDIR | S_ISVTX | 0777, 4096, 0);
	CHECK_STR(line(&c), "stat(\"/tmp\", {st_mode=S_IFDIR|S_ISVTX|0777, st_size=4096, ...}) = 0");

	/* t2.c: stat("/usr/bin/su"); t4.c: a mode 0 file and a FIFO */
	c.cap[0] = cap_str(0, "/usr/bin/su");
	c.cap[1] = cap_stat(1, S_IFREG | S_ISUID | 0755, 72000, 0);
	CHECK_STR(line(&c), "stat(\"/usr/bin/su\", {st_mode=S_IFREG|S_ISUID|0755, st_size=72000, ...}) = 0");
	c.cap[0] = cap_str(0, "/tmp/exp/zero");
	c.cap[1] = cap_stat(1, S_IFREG, 0, 0);
	CHECK_STR(line(&c), "stat(\"/tmp/exp/zero\", {st_mode=S_IFREG|000, st_size=0, ...}) = 0");
	c.cap[0] = cap_str(0, "/tmp/exp/fifo");
	c.cap[1] = cap_stat(1, S_IFIFO | 0600, 0, 0);
	CHECK_STR(line(&c), "stat(\"/tmp/exp/fifo\", {st_mode=S_IFIFO|0600, st_size=0, ...}) = 0");

	/* strace -s 32 -e trace=lstat python3 -c '$L s(6, b"/bin", b)' */
	c = (struct sc_call)CALL(__NR_lstat, 1, 0x7f186c91cf30);
	c.cap[0] = cap_str(0, "/bin");
	c.cap[1] = cap_stat(1, S_IFLNK | 0777, 7, 0);
	c.ret = 0;
	CHECK_STR(line(&c), "lstat(\"/bin\", {st_mode=S_IFLNK|0777, st_size=7, ...}) = 0");

	/* strace -s 32 -e trace=fstat python3 -c '$L s(5, 1, b)' */
	c = (struct sc_call)CALL(__NR_fstat, 1, 0x7f186c91cf30);
	c.cap[1] = cap_stat(1, S_IFCHR | 0644, 0, makedev(1, 3));
	c.ret = 0;
	CHECK_STR(line(&c), "fstat(1, {st_mode=S_IFCHR|0644, st_rdev=makedev(0x1, 0x3), ...}) = 0");

	/* strace -s 32 -e trace=newfstatat python3 -c 'import os; os.stat("/etc/passwd")' */
	c = (struct sc_call)CALL(__NR_newfstatat, (uint64_t)-100, 1, 0x7ffc0118e360, 0);
	c.cap[1] = cap_str(1, "/etc/passwd");
	c.cap[2] = cap_stat(2, S_IFREG | 0644, 1221, 0);
	c.ret = 0;
	CHECK_STR(line(&c), "newfstatat(AT_FDCWD, \"/etc/passwd\", {st_mode=S_IFREG|0644, st_size=1221, ...}, 0) = 0");

	/* strace -s 32 -e trace=newfstatat python3 -c 'import os; fd=os.open("/etc/passwd", os.O_RDONLY); os.fstat(fd)' */
	c = (struct sc_call)CALL(__NR_newfstatat, 3, 1, 0x7ffc0118e360, 0x1000);
	c.cap[1] = cap_str(1, "");
	c.cap[2] = cap_stat(2, S_IFREG | 0644, 1221, 0);
	c.ret = 0;
	CHECK_STR(line(&c), "newfstatat(3, \"\", {st_mode=S_IFREG|0644, st_size=1221, ...}, AT_EMPTY_PATH) = 0");

	/* strace -s 32 -e trace=newfstatat python3 -c '$L s(262, -100, b"/etc", b, 0x10000000)' */
	c = (struct sc_call)CALL(__NR_newfstatat, (uint64_t)-100, 1, 0x7f29c4fe0f30, 0x10000000);
	c.cap[1] = cap_str(1, "/etc");
	c.ret = -22;
	CHECK_STR(line(&c), "newfstatat(AT_FDCWD, \"/etc\", 0x7f29c4fe0f30, 0x10000000 /* AT_??? */) = -1 EINVAL (Invalid argument)");

	/* t2.c: newfstatat(fd, "", &st, AT_EMPTY_PATH|AT_SYMLINK_NOFOLLOW|0x10000000) and
	 * newfstatat(AT_FDCWD, "/etc", NULL, 0xf800 | AT_REMOVEDIR...) */
	c = (struct sc_call)CALL(__NR_newfstatat, 3, 1, 0x7ffc0118e360, 0x1100 | 0x10000000);
	c.cap[1] = cap_str(1, "");
	c.cap[2] = cap_stat(2, S_IFREG | 0644, 1221, 0);
	c.ret = 0;
	CHECK_STR(line(&c), "newfstatat(3, \"\", {st_mode=S_IFREG|0644, st_size=1221, ...}, AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH|0x10000000) = 0");
	c = (struct sc_call)CALL(__NR_newfstatat, (uint64_t)-100, 1, 0, 0x800 | 0x2000 | 0x4000 | 0x8000 | 0x200 | 0x400);
	c.cap[1] = cap_str(1, "/etc");
	c.ret = -22;
	CHECK_STR(line(&c), "newfstatat(AT_FDCWD, \"/etc\", NULL, AT_REMOVEDIR|AT_SYMLINK_FOLLOW|AT_NO_AUTOMOUNT|AT_RECURSIVE|0x6000) = -1 EINVAL (Invalid argument)");

	/* the entry part and the exit part, as the core prints an unfinished call */
	{
		struct decode_opts o = { .strsize = 32 };

		c = (struct sc_call)CALL(__NR_newfstatat, (uint64_t)-100, 1, 0x7ffc0118e360, 0);
		c.cap[1] = cap_str(1, "/etc/passwd");
		c.cap[2] = cap_stat(2, S_IFREG | 0644, 1221, 0);
		c.ret = 0;
		CHECK_INT(decode_first_exit_arg(c.nr), 2);
		sb_reset(&sb);
		decode_args(&sb, &c, 0, 2, &o);
		CHECK_STR(sb_str(&sb), "AT_FDCWD, \"/etc/passwd\"");
		sb_reset(&sb);
		decode_args(&sb, &c, 2, 4, &o);
		CHECK_STR(sb_str(&sb), "{st_mode=S_IFREG|0644, st_size=1221, ...}, 0");
	}
}

static void test_statx(void)
{
	struct sc_call c;

	/* strace -s 32 -e trace=statx python3 -c '$L s(332, -100, b"/etc", 0, 0xfff, b)' */
	c = (struct sc_call)CALL(__NR_statx, (uint64_t)-100, 1, 0, 0xfff, 0x7f43e2a00f30);
	c.cap[1] = cap_str(1, "/etc");
	c.cap[4] = cap_statx(4, 0x1fff, 0, S_IFDIR | 0755, 4096);
	c.ret = 0;
	CHECK_STR(line(&c), "statx(AT_FDCWD, \"/etc\", AT_STATX_SYNC_AS_STAT, STATX_ALL, {stx_mask=STATX_ALL|STATX_MNT_ID, stx_attributes=0, stx_mode=S_IFDIR|0755, stx_size=4096, ...}) = 0");

	/* strace -s 32 -e trace=statx python3 -c '$L s(332, -100, b"/dev/null", 0x4900, 0x201, b)' */
	c = (struct sc_call)CALL(__NR_statx, (uint64_t)-100, 1, 0x4900, 0x201, 0x7f43e2a00f30);
	c.cap[1] = cap_str(1, "/dev/null");
	c.cap[4] = cap_statx(4, 0x17ff, 0, S_IFCHR | 0644, 0);
	c.ret = 0;
	CHECK_STR(line(&c), "statx(AT_FDCWD, \"/dev/null\", AT_STATX_DONT_SYNC|AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT, STATX_TYPE|STATX_SIZE, {stx_mask=STATX_BASIC_STATS|STATX_MNT_ID, stx_attributes=0, stx_mode=S_IFCHR|0644, stx_size=0, ...}) = 0");

	/* strace -s 32 -e trace=statx python3 -c '$L s(332, -100, b"/", 0x2000, 0, b)' */
	c = (struct sc_call)CALL(__NR_statx, (uint64_t)-100, 1, 0x2000, 0, 0x7f43e2a00f30);
	c.cap[1] = cap_str(1, "/");
	c.cap[4] = cap_statx(4, 0x173f, 0x2000, S_IFDIR | 0755, 4096);
	c.ret = 0;
	CHECK_STR(line(&c), "statx(AT_FDCWD, \"/\", AT_STATX_FORCE_SYNC, 0, {stx_mask=STATX_TYPE|STATX_MODE|STATX_NLINK|STATX_UID|STATX_GID|STATX_ATIME|STATX_INO|STATX_SIZE|STATX_BLOCKS|STATX_MNT_ID, stx_attributes=STATX_ATTR_MOUNT_ROOT, stx_mode=S_IFDIR|0755, stx_size=4096, ...}) = 0");

	/* strace -s 32 -e trace=statx python3 -c '$L s(332, -100, b"/nonexistent", 0x6000, 0x10000000, b)' */
	c = (struct sc_call)CALL(__NR_statx, (uint64_t)-100, 1, 0x6000, 0x10000000, 0x7f43e2a00f30);
	c.cap[1] = cap_str(1, "/nonexistent");
	c.ret = -22;
	CHECK_STR(line(&c), "statx(AT_FDCWD, \"/nonexistent\", AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC, 0x10000000 /* STATX_??? */, 0x7f43e2a00f30) = -1 EINVAL (Invalid argument)");

	/* t5.c: statx(AT_FDCWD, p, 0x10000000, ...) and (0x100|0x400|0x200|0x8000, 0x7fe) */
	c.args[2] = 0x10000000;
	CHECK_STR(line(&c), "statx(AT_FDCWD, \"/nonexistent\", AT_STATX_SYNC_AS_STAT|0x10000000, 0x10000000 /* STATX_??? */, 0x7f43e2a00f30) = -1 EINVAL (Invalid argument)");
	c.args[2] = 0x100 | 0x400 | 0x200 | 0x8000;
	c.args[3] = 0x7fe;
	CHECK_STR(line(&c), "statx(AT_FDCWD, \"/nonexistent\", AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW|AT_REMOVEDIR|AT_SYMLINK_FOLLOW|AT_RECURSIVE, STATX_MODE|STATX_NLINK|STATX_UID|STATX_GID|STATX_ATIME|STATX_MTIME|STATX_CTIME|STATX_INO|STATX_SIZE|STATX_BLOCKS, 0x7f43e2a00f30) = -1 EINVAL (Invalid argument)");
	/* t2.c: statx(..., AT_STATX_DONT_SYNC|AT_EMPTY_PATH, 0xffffffff, ...) */
	c.args[2] = 0x4000 | 0x1000;
	c.args[3] = 0xffffffff;
	CHECK_STR(line(&c), "statx(AT_FDCWD, \"/nonexistent\", AT_STATX_DONT_SYNC|AT_EMPTY_PATH, STATX_ALL|STATX_MNT_ID|STATX_DIOALIGN|0xffffc000, 0x7f43e2a00f30) = -1 EINVAL (Invalid argument)");

	/* t7.c: statx("attr") after chattr +a +i +d */
	c = (struct sc_call)CALL(__NR_statx, (uint64_t)-100, 1, 0, 0xfff, 0x7f43e2a00f30);
	c.cap[1] = cap_str(1, "attr");
	c.cap[4] = cap_statx(4, 0x1fff, 0x10 | 0x20 | 0x40, S_IFREG | 0644, 0);
	c.ret = 0;
	CHECK_STR(line(&c), "statx(AT_FDCWD, \"attr\", AT_STATX_SYNC_AS_STAT, STATX_ALL, {stx_mask=STATX_ALL|STATX_MNT_ID, stx_attributes=STATX_ATTR_IMMUTABLE|STATX_ATTR_APPEND|STATX_ATTR_NODUMP, stx_mode=S_IFREG|0644, stx_size=0, ...}) = 0");
}

static void test_paths(void)
{
	struct sc_call c;

	/* strace -s 32 -e trace=access python3 -c 'import os; os.access("/etc", os.R_OK|os.W_OK|os.X_OK)' */
	c = (struct sc_call)CALL(__NR_access, 1, 7);
	c.cap[0] = cap_str(0, "/etc");
	c.ret = 0;
	CHECK_STR(line(&c), "access(\"/etc\", R_OK|W_OK|X_OK) = 0");

	/* strace -s 32 -e trace=access python3 -c '$L s(21, b"/etc", 0x10)' */
	c.args[1] = 0x10;
	c.ret = -22;
	CHECK_STR(line(&c), "access(\"/etc\", 0x10 /* ?_OK */) = -1 EINVAL (Invalid argument)");
	/* t2.c: access("/etc", R_OK|0x10) and access("/etc", F_OK) */
	c.args[1] = 0x14;
	CHECK_STR(line(&c), "access(\"/etc\", R_OK|0x10) = -1 EINVAL (Invalid argument)");
	c.args[1] = 0;
	c.ret = 0;
	CHECK_STR(line(&c), "access(\"/etc\", F_OK) = 0");

	/* strace -s 32 -e trace=faccessat python3 -c '$L s(269, -100, b"/etc", 4)' */
	c = (struct sc_call)CALL(__NR_faccessat, (uint64_t)-100, 1, 4);
	c.cap[1] = cap_str(1, "/etc");
	c.ret = 0;
	CHECK_STR(line(&c), "faccessat(AT_FDCWD, \"/etc\", R_OK) = 0");

	/* strace -s 32 -e trace=faccessat2 python3 -c '$L s(439, -100, b"/etc", 1, 0x1300)' */
	c = (struct sc_call)CALL(__NR_faccessat2, (uint64_t)-100, 1, 1, 0x1300);
	c.cap[1] = cap_str(1, "/etc");
	c.ret = 0;
	CHECK_STR(line(&c), "faccessat2(AT_FDCWD, \"/etc\", X_OK, AT_SYMLINK_NOFOLLOW|AT_EACCESS|AT_EMPTY_PATH) = 0");

	/* strace -s 32 -e trace=faccessat2 python3 -c '$L s(439, 3, b"x", 2, 0x10000000)' */
	c = (struct sc_call)CALL(__NR_faccessat2, 3, 1, 2, 0x10000000);
	c.cap[1] = cap_str(1, "x");
	c.ret = -22;
	CHECK_STR(line(&c), "faccessat2(3, \"x\", W_OK, 0x10000000 /* AT_??? */) = -1 EINVAL (Invalid argument)");
	/* t5.c: faccessat2(AT_FDCWD, p, 0, 0x400|0x800|0x2000|0x8000) */
	c = (struct sc_call)CALL(__NR_faccessat2, (uint64_t)-100, 1, 0, 0xac00);
	c.cap[1] = cap_str(1, "/nonexistent");
	c.ret = -22;
	CHECK_STR(line(&c), "faccessat2(AT_FDCWD, \"/nonexistent\", F_OK, 0xac00 /* AT_??? */) = -1 EINVAL (Invalid argument)");

	/* strace -s 32 -e trace=readlink python3 -c 'import os; os.readlink("/proc/self/cwd")' */
	c = (struct sc_call)CALL(__NR_readlink, 1, 0x7f0000004000, 4096);
	c.cap[0] = cap_str(0, "/proc/self/cwd");
	c.cap[1] = cap_buf(1, "/tmp/probe", 10, 32);
	c.ret = 10;
	CHECK_STR(line(&c), "readlink(\"/proc/self/cwd\", \"/tmp/probe\", 4096) = 10");

	/* t3.c under strace -s 5: readlink("/proc/self/exe", buf, 4096), -s applies to the buffer, not the path */
	c = (struct sc_call)CALL(__NR_readlink, 1, 0x7f0000004000, 4096);
	c.cap[0] = cap_str(0, "/proc/self/exe");
	c.cap[1] = cap_buf(1, "/tmp/exp/t3", 11, 5);
	c.ret = 11;
	CHECK_STR(line_s(&c, 5), "readlink(\"/proc/self/exe\", \"/tmp/\"..., 4096) = 11");
	/* t3.c under strace -s 5: stat("/etc/passwd/abcdefghijklmnopqrstuvwxyz", buf) */
	c = (struct sc_call)CALL(__NR_stat, 1, 0x7fff78b62850);
	c.cap[0] = cap_str(0, "/etc/passwd/abcdefghijklmnopqrstuvwxyz");
	c.ret = -20;
	CHECK_STR(line_s(&c, 5), "stat(\"/etc/passwd/abcdefghijklmnopqrstuvwxyz\", 0x7fff78b62850) = -1 ENOTDIR (Not a directory)");

	/* strace -s 32 -e trace=readlinkat python3 -c '$L s(267, -100, b"/etc", b, 64)' */
	c = (struct sc_call)CALL(__NR_readlinkat, (uint64_t)-100, 1, 0x7f7a7ac14f30, 64);
	c.cap[1] = cap_str(1, "/etc");
	c.ret = -22;
	CHECK_STR(line(&c), "readlinkat(AT_FDCWD, \"/etc\", 0x7f7a7ac14f30, 64) = -1 EINVAL (Invalid argument)");

	/* strace -s 32 -e trace=unlink python3 -c 'import os; os.unlink("/nonexistent/x")' */
	c = (struct sc_call)CALL(__NR_unlink, 1);
	c.cap[0] = cap_str(0, "/nonexistent/x");
	c.ret = -2;
	CHECK_STR(line(&c), "unlink(\"/nonexistent/x\") = -1 ENOENT (No such file or directory)");

	/* strace -s 32 -e trace=unlinkat python3 -c '$L s(263, -100, b"/nonexistent/x", 0x200)' */
	c = (struct sc_call)CALL(__NR_unlinkat, (uint64_t)-100, 1, 0x200);
	c.cap[1] = cap_str(1, "/nonexistent/x");
	c.ret = -2;
	CHECK_STR(line(&c), "unlinkat(AT_FDCWD, \"/nonexistent/x\", AT_REMOVEDIR) = -1 ENOENT (No such file or directory)");
	/* t2.c: unlinkat(AT_FDCWD, p, 0) */
	c.args[2] = 0;
	CHECK_STR(line(&c), "unlinkat(AT_FDCWD, \"/nonexistent/x\", 0) = -1 ENOENT (No such file or directory)");

	/* strace -s 32 -e trace=mkdir python3 -c 'import os; os.mkdir("/nonexistent/x", 0o755)' */
	c = (struct sc_call)CALL(__NR_mkdir, 1, 0755);
	c.cap[0] = cap_str(0, "/nonexistent/x");
	c.ret = -2;
	CHECK_STR(line(&c), "mkdir(\"/nonexistent/x\", 0755) = -1 ENOENT (No such file or directory)");
	/* t2.c: mkdir(p, 01777|S_IFDIR) */
	c.args[1] = 041777;
	CHECK_STR(line(&c), "mkdir(\"/nonexistent/x\", 041777) = -1 ENOENT (No such file or directory)");

	/* strace -s 32 -e trace=chdir python3 -c 'import os; os.chdir("/tmp")' */
	c = (struct sc_call)CALL(__NR_chdir, 1);
	c.cap[0] = cap_str(0, "/tmp");
	c.ret = 0;
	CHECK_STR(line(&c), "chdir(\"/tmp\") = 0");

	/* strace -s 32 -e trace=getcwd python3 -c 'import os; os.chdir("/tmp"); os.getcwd()' */
	c = (struct sc_call)CALL(__NR_getcwd, 0x7f0000005000, 1024);
	c.cap[0] = cap_raw(0, "/tmp", 5, 5, 0);
	c.ret = 5;
	CHECK_STR(line(&c), "getcwd(\"/tmp\", 1024) = 5");
	/* t3.c under strace -s 5: getcwd is a path, -s does not apply */
	c.cap[0] = cap_raw(0, "/tmp/exp", 9, 9, 0);
	c.ret = 9;
	c.args[1] = 4096;
	CHECK_STR(line_s(&c, 5), "getcwd(\"/tmp/exp\", 4096) = 9");

	/* strace -s 32 -e trace=getcwd python3 -c '$L s(79, b, 2)' */
	c = (struct sc_call)CALL(__NR_getcwd, 0x7fc84b950f30, 2);
	c.ret = -34;
	CHECK_STR(line(&c), "getcwd(0x7fc84b950f30, 2) = -1 ERANGE (Numerical result out of range)");

	/* t10.c: rename, symlinkat, linkat, fchmodat, fchmod */
	c = (struct sc_call)CALL(__NR_rename, 1, 2);
	c.cap[0] = cap_str(0, "/nonexistent/a");
	c.cap[1] = cap_str(1, "/nonexistent/b");
	c.ret = -2;
	CHECK_STR(line(&c), "rename(\"/nonexistent/a\", \"/nonexistent/b\") = -1 ENOENT (No such file or directory)");
	c = (struct sc_call)CALL(__NR_symlinkat, 1, (uint64_t)-100, 2);
	c.cap[0] = cap_str(0, "t");
	c.cap[2] = cap_str(2, "/nonexistent/l");
	c.ret = -2;
	CHECK_STR(line(&c), "symlinkat(\"t\", AT_FDCWD, \"/nonexistent/l\") = -1 ENOENT (No such file or directory)");
	c = (struct sc_call)CALL(__NR_linkat, (uint64_t)-100, 1, (uint64_t)-100, 2, 0x400);
	c.cap[1] = cap_str(1, "/nonexistent/a");
	c.cap[3] = cap_str(3, "/nonexistent/b");
	c.ret = -2;
	CHECK_STR(line(&c), "linkat(AT_FDCWD, \"/nonexistent/a\", AT_FDCWD, \"/nonexistent/b\", AT_SYMLINK_FOLLOW) = -1 ENOENT (No such file or directory)");
	c = (struct sc_call)CALL(__NR_fchmodat, (uint64_t)-100, 1, 0644, 0);
	c.cap[1] = cap_str(1, "/nonexistent");
	c.ret = -2;
	CHECK_STR(line(&c), "fchmodat(AT_FDCWD, \"/nonexistent\", 0644) = -1 ENOENT (No such file or directory)");
	/* strace -s 32 -e trace=fchmod python3 -c '$L s(91, 99, 0o644)' */
	c = (struct sc_call)CALL(__NR_fchmod, 99, 0644);
	c.ret = -9;
	CHECK_STR(line(&c), "fchmod(99, 0644) = -1 EBADF (Bad file descriptor)");
}

static void test_execve(void)
{
	static const char *const av[] = { "python3", "x.py" };
	static const char *const av2[] = { "python3", "-c",
		"print(\"hi\")\nprint(\"hi\")\nprint(\"hi\")\n" };
	static const char *const av3[] = { "abc", "abcd", "ab", "x" };
	const char *many[40];
	char nums[40][4];
	struct sc_call c;
	int i;

	/* strace -s 32 -e trace=execve python3 -c 'import os; os.execve("/nonexistent", ["python3", "x.py"], {"A": "1"})' */
	c = (struct sc_call)CALL(__NR_execve, 1, 0x7f0000006000, 0x7f9cf9c4c700);
	c.cap[0] = cap_str(0, "/nonexistent");
	c.cap[1] = cap_strv(1, av, 2, PT_STRV_MAX, 32);
	c.cap[2] = cap_count(2, 1);
	c.ret = -2;
	CHECK_STR(line(&c), "execve(\"/nonexistent\", [\"python3\", \"x.py\"], 0x7f9cf9c4c700 /* 1 var */) = -1 ENOENT (No such file or directory)");

	/* strace -s 32 -e trace=execve python3 -c 'import os; os.execve("/nonexistent", ["python3", "-c", "print(\"hi\")\n" * 3], {})' */
	c.args[2] = 0x7f38aae6c150;
	c.cap[1] = cap_strv(1, av2, 3, PT_STRV_MAX, 32);
	c.cap[2] = cap_count(2, 0);
	CHECK_STR(line(&c), "execve(\"/nonexistent\", [\"python3\", \"-c\", \"print(\\\"hi\\\")\\nprint(\\\"hi\\\")\\nprint(\\\"h\"...], 0x7f38aae6c150 /* 0 vars */) = -1 ENOENT (No such file or directory)");

	/* strace -s 32 -e trace=execve python3 -c 'import os; os.execve("/nonexistent", [str(i) for i in range(40)], {str(i): "" for i in range(23)})' */
	for (i = 0; i < 40; i++) {
		snprintf(nums[i], sizeof(nums[i]), "%d", i);
		many[i] = nums[i];
	}
	c.args[2] = 0x7faa48a1c9f0;
	c.cap[1] = cap_strv(1, many, 40, PT_STRV_MAX, 32);
	c.cap[2] = cap_count(2, 23);
	CHECK_STR(line(&c), "execve(\"/nonexistent\", [\"0\", \"1\", \"2\", \"3\", \"4\", \"5\", \"6\", \"7\", \"8\", \"9\", \"10\", \"11\", \"12\", \"13\", \"14\", \"15\", \"16\", \"17\", \"18\", \"19\", \"20\", \"21\", \"22\", \"23\", \"24\", \"25\", \"26\", \"27\", \"28\", \"29\", \"30\", \"31\", ...], 0x7faa48a1c9f0 /* 23 vars */) = -1 ENOENT (No such file or directory)");

	/* strace -s 3 -e trace=execve python3 -c 'import os; os.execve("/nonexistent", ["abc", "abcd", "ab", "x"], {})' */
	c.args[2] = 0x7f16ebc50710;
	c.cap[1] = cap_strv(1, av3, 4, PT_STRV_MAX, 3);
	c.cap[2] = cap_count(2, 0);
	CHECK_STR(line_s(&c, 3), "execve(\"/nonexistent\", [\"abc\", \"abc\"..., \"ab\", ...], 0x7f16ebc50710 /* 0 vars */) = -1 ENOENT (No such file or directory)");

	/* t4.c under strace -s 2: execve("/nonexistent", {"a", "b"}, NULL) */
	c.args[2] = 0;
	c.cap[1] = cap_strv(1, (const char *const[]){ "a", "b" }, 2, PT_STRV_MAX, 2);
	c.cap[2] = NULL;
	CHECK_STR(line_s(&c, 2), "execve(\"/nonexistent\", [\"a\", \"b\"], NULL) = -1 ENOENT (No such file or directory)");

	/* t3.c: execve("/nonexistent", {NULL}, {NULL}) */
	c.args[2] = 0x7fff78b62438;
	c.cap[1] = cap_strv(1, av, 0, PT_STRV_MAX, 32);
	c.cap[2] = cap_count(2, 0);
	CHECK_STR(line(&c), "execve(\"/nonexistent\", [], 0x7fff78b62438 /* 0 vars */) = -1 ENOENT (No such file or directory)");

	/* strace -s 32 -e trace=execve python3 -c '$L s(59, b"/nonexistent", None, None)' */
	c = (struct sc_call)CALL(__NR_execve, 1, 0, 0);
	c.cap[0] = cap_str(0, "/nonexistent");
	c.ret = -2;
	CHECK_STR(line(&c), "execve(\"/nonexistent\", NULL, NULL) = -1 ENOENT (No such file or directory)");

	/* t3.c: execve("/nonexistent", (void *)1, (void *)1): unreadable */
	c = (struct sc_call)CALL(__NR_execve, 1, 1, 1);
	c.cap[0] = cap_str(0, "/nonexistent");
	c.cap[1] = cap_raw(1, "", 0, 0, PT_CAP_F_FAULT);
	c.cap[2] = cap_raw(2, "", 0, 0, PT_CAP_F_FAULT);
	c.ret = -14;
	CHECK_STR(line(&c), "execve(\"/nonexistent\", 0x1, 0x1) = -1 EFAULT (Bad address)");

	/* t3.c: a successful execve */
	c = (struct sc_call)CALL(__NR_execve, 1, 0x7f0000006000, 0x7fff78b62570);
	c.cap[0] = cap_str(0, "/proc/self/exe");
	c.cap[1] = cap_strv(1, (const char *const[]){ "t3", "x.py", "a\tb", "abcdefghijklmnopqrstuvwxyz0123456789" }, 4, PT_STRV_MAX, 5);
	c.cap[2] = cap_count(2, 2);
	c.ret = 0;
	CHECK_STR(line_s(&c, 5), "execve(\"/proc/self/exe\", [\"t3\", \"x.py\", \"a\\tb\", \"abcde\"...], 0x7fff78b62570 /* 2 vars */) = 0");
}

static void test_connect_inet(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(1) };
	unsigned char raw[128];
	struct sc_call c;

	/* strace -s 32 -e trace=connect python3 -c 'import socket; socket.socket().connect_ex(("127.0.0.1", 1))' */
	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	c = (struct sc_call)CALL(__NR_connect, 3, 0x7f0000007000, 16);
	c.cap[1] = cap_raw(1, &sin, 16, 16, 0);
	c.ret = -111;
	CHECK_STR(line(&c), "connect(3, {sa_family=AF_INET, sin_port=htons(1), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = -1 ECONNREFUSED (Connection refused)");

	/* t3.c: the same address with addrlen 8, 2, 1, and 20 */
	c.args[2] = 8;
	c.cap[1] = cap_raw(1, &sin, 8, 8, 0);
	c.ret = -22;
	CHECK_STR(line(&c), "connect(3, {sa_family=AF_INET, sa_data=\"\\0\\1\\177\\0\\0\\1\"}, 8) = -1 EINVAL (Invalid argument)");
	c.args[2] = 2;
	c.cap[1] = cap_raw(1, &sin, 2, 2, 0);
	CHECK_STR(line(&c), "connect(3, {sa_family=AF_INET}, 2) = -1 EINVAL (Invalid argument)");
	c.args[1] = 0x7fff78b62740;
	c.args[2] = 1;
	c.cap[1] = cap_raw(1, &sin, 1, 1, 0);
	CHECK_STR(line(&c), "connect(3, 0x7fff78b62740, 1) = -1 EINVAL (Invalid argument)");
	c.args[1] = 0;
	c.args[2] = 16;
	c.cap[1] = NULL;
	c.ret = -14;
	CHECK_STR(line(&c), "connect(3, NULL, 16) = -1 EFAULT (Bad address)");
	memset(raw, 0, sizeof(raw));
	memcpy(raw, &sin, sizeof(sin));
	raw[16] = 'x';
	c.args[1] = 0x7fff78b62740;
	c.args[2] = 20;
	c.cap[1] = cap_raw(1, raw, 20, 20, 0);
	c.ret = -111;
	CHECK_STR(line(&c), "connect(3, {sa_family=AF_INET, sin_port=htons(1), sin_addr=inet_addr(\"127.0.0.1\")}, 20) = -1 ECONNREFUSED (Connection refused)");

}

static void test_connect_inet6(void)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(1),
				     .sin6_flowinfo = htonl(5) };
	char lo[IF_NAMESIZE], want[512];
	struct sc_call c;

	/* strace -s 32 -e trace=connect python3 -c 'import socket; socket.socket(socket.AF_INET6).connect_ex(("::1", 1, 5, 0))' */
	inet_pton(AF_INET6, "::1", &sin6.sin6_addr);
	c = (struct sc_call)CALL(__NR_connect, 3, 0x7f0000007000, 28);
	c.cap[1] = cap_raw(1, &sin6, 28, 28, 0);
	c.ret = -111;
	CHECK_STR(line(&c), "connect(3, {sa_family=AF_INET6, sin6_port=htons(1), sin6_flowinfo=htonl(5), inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, 28) = -1 ECONNREFUSED (Connection refused)");

	/* t3.c: 2001:db8::1 scope 2, ::ffff:1.2.3.4, fe80::1 with scope 999 and addrlen 24, 20 */
	inet_pton(AF_INET6, "2001:db8::1", &sin6.sin6_addr);
	sin6.sin6_port = htons(443);
	sin6.sin6_scope_id = 2;
	c.cap[1] = cap_raw(1, &sin6, 28, 28, 0);
	c.ret = -113;
	CHECK_STR(line(&c), "connect(3, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(5), inet_pton(AF_INET6, \"2001:db8::1\", &sin6_addr), sin6_scope_id=2}, 28) = -1 EHOSTUNREACH (No route to host)");
	inet_pton(AF_INET6, "::ffff:1.2.3.4", &sin6.sin6_addr);
	sin6.sin6_scope_id = 0;
	sin6.sin6_flowinfo = 0;
	c.cap[1] = cap_raw(1, &sin6, 28, 28, 0);
	c.ret = 0;
	CHECK_STR(line(&c), "connect(3, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::ffff:1.2.3.4\", &sin6_addr), sin6_scope_id=0}, 28) = 0");
	inet_pton(AF_INET6, "fe80::1", &sin6.sin6_addr);
	sin6.sin6_scope_id = 999;
	c.cap[1] = cap_raw(1, &sin6, 28, 28, 0);
	c.ret = -106;
	CHECK_STR(line(&c), "connect(3, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"fe80::1\", &sin6_addr), sin6_scope_id=999}, 28) = -1 EISCONN (Transport endpoint is already connected)");
	/* scope 1 is named after the tracer's interface 1 ("lo" where t3 ran) */
	sin6.sin6_scope_id = 1;
	c.cap[1] = cap_raw(1, &sin6, 28, 28, 0);
	if (if_indextoname(1, lo)) {
		snprintf(want, sizeof(want), "connect(3, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"fe80::1\", &sin6_addr), sin6_scope_id=if_nametoindex(\"%s\")}, 28) = -1 EISCONN (Transport endpoint is already connected)", lo);
		CHECK_STR(line(&c), want);
	}
	c.args[2] = 24;
	c.cap[1] = cap_raw(1, &sin6, 24, 24, 0);
	CHECK_STR(line(&c), "connect(3, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"fe80::1\", &sin6_addr)}, 24) = -1 EISCONN (Transport endpoint is already connected)");
	c.args[2] = 20;
	c.cap[1] = cap_raw(1, &sin6, 20, 20, 0);
	CHECK_STR(line(&c), "connect(3, {sa_family=AF_INET6, sa_data=\"\\1\\273\\0\\0\\0\\0\\376\\200\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\"}, 20) = -1 EISCONN (Transport endpoint is already connected)");

}

static void test_connect_unix(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char want[512];
	struct sc_call c;

	/* strace -s 32 -e trace=connect python3 -c 'import socket; socket.socket(socket.AF_UNIX).connect_ex("/run/nonexistent.sock")' */
	strcpy(sun.sun_path, "/run/nonexistent.sock");
	c = (struct sc_call)CALL(__NR_connect, 3, 0x7f0000007000, 24);
	c.cap[1] = cap_raw(1, &sun, 24, 24, 0);
	c.ret = -2;
	CHECK_STR(line(&c), "connect(3, {sa_family=AF_UNIX, sun_path=\"/run/nonexistent.sock\"}, 24) = -1 ENOENT (No such file or directory)");
	/* t3.c: whole struct (110), cut at 7, only the family (2) */
	c.args[2] = sizeof(sun);
	c.cap[1] = cap_raw(1, &sun, sizeof(sun), sizeof(sun), 0);
	CHECK_STR(line(&c), "connect(3, {sa_family=AF_UNIX, sun_path=\"/run/nonexistent.sock\"}, 110) = -1 ENOENT (No such file or directory)");
	c.args[2] = 7;
	c.cap[1] = cap_raw(1, &sun, 7, 7, 0);
	c.ret = -111;
	CHECK_STR(line(&c), "connect(3, {sa_family=AF_UNIX, sun_path=\"/run/\"}, 7) = -1 ECONNREFUSED (Connection refused)");
	c.args[2] = 2;
	c.cap[1] = cap_raw(1, &sun, 2, 2, 0);
	c.ret = -22;
	CHECK_STR(line(&c), "connect(3, {sa_family=AF_UNIX}, 2) = -1 EINVAL (Invalid argument)");
	/* t3.c: 108 'a' and no NUL: the whole sun_path, no "..." */
	memset(sun.sun_path, 'a', sizeof(sun.sun_path));
	c.args[2] = sizeof(sun);
	c.cap[1] = cap_raw(1, &sun, sizeof(sun), sizeof(sun), 0);
	c.ret = -2;
	memset(want, 0, sizeof(want));
	strcpy(want, "connect(3, {sa_family=AF_UNIX, sun_path=\"");
	memset(want + strlen(want), 'a', 108);
	strcat(want, "\"}, 110) = -1 ENOENT (No such file or directory)");
	CHECK_STR(line(&c), want);

	/* strace -s 32 -e trace=connect python3 -c 'import socket; socket.socket(socket.AF_UNIX).connect_ex("\0abs\nx")' */
	memcpy(sun.sun_path, "\0abs\nx", 6);
	c.args[2] = 8;
	c.cap[1] = cap_raw(1, &sun, 8, 8, 0);
	c.ret = -111;
	CHECK_STR(line(&c), "connect(3, {sa_family=AF_UNIX, sun_path=@\"abs\\nx\"}, 8) = -1 ECONNREFUSED (Connection refused)");

}

static void test_connect_other(void)
{
	unsigned char raw[128];
	struct sc_call c = CALL(__NR_connect, 3, 0x7f0000007000, 16);

	/* t8.c: connect(s, {sa_family=f, zeros}, 16) for AF_UNIX, AF_NETLINK, AF_APPLETALK, 0x2e */
	memset(raw, 0, sizeof(raw));
	raw[0] = AF_UNIX;
	c.args[2] = 16;
	c.cap[1] = cap_raw(1, raw, 16, 16, 0);
	c.ret = -97;
	CHECK_STR(line(&c), "connect(3, {sa_family=AF_UNIX, sun_path=@\"\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\"}, 16) = -1 EAFNOSUPPORT (Address family not supported by protocol)");
	raw[0] = AF_NETLINK;
	c.cap[1] = cap_raw(1, raw, 16, 16, 0);
	CHECK_STR(line(&c), "connect(3, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 16) = -1 EAFNOSUPPORT (Address family not supported by protocol)");
	raw[0] = AF_APPLETALK;
	c.cap[1] = cap_raw(1, raw, 16, 16, 0);
	CHECK_STR(line(&c), "connect(3, {sa_family=AF_APPLETALK, sa_data=\"\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\"}, 16) = -1 EAFNOSUPPORT (Address family not supported by protocol)");
	raw[0] = 0x2e;
	c.cap[1] = cap_raw(1, raw, 16, 16, 0);
	CHECK_STR(line(&c), "connect(3, {sa_family=0x2e /* AF_??? */, sa_data=\"\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\"}, 16) = -1 EAFNOSUPPORT (Address family not supported by protocol)");
	/* t3.c: {.nl_family = AF_NETLINK, .nl_pid = 5, .nl_groups = 3}, 12 */
	memset(raw, 0, sizeof(raw));
	raw[0] = AF_NETLINK;
	raw[4] = 5;
	raw[8] = 3;
	c.args[2] = 12;
	c.cap[1] = cap_raw(1, raw, 12, 12, 0);
	c.ret = -22;
	CHECK_STR(line(&c), "connect(3, {sa_family=AF_NETLINK, nl_pid=5, nl_groups=0x000003}, 12) = -1 EINVAL (Invalid argument)");
}

static void test_raw_and_ret(void)
{
	struct sbuf b = { 0 };
	struct sc_call c;
	char tmp[32];

	/* strace -s 32 -e trace=all python3 -c '$L s(500, 1, 2, 3, 4, 5, 6)' */
	c = (struct sc_call)CALL(500, 1, 2, 3, 4, 5, 0x7f5a00000006);
	c.ret = -38;
	CHECK_STR(line(&c), "syscall_0x1f4(0x1, 0x2, 0x3, 0x4, 0x5, 0x7f5a00000006) = -1 ENOSYS (Function not implemented)");
	CHECK_STR(decode_name(0x1c3, tmp, sizeof(tmp)), "syscall_0x1c3");
	CHECK_STR(decode_name(100000, tmp, sizeof(tmp)), "syscall_0x186a0");
	CHECK_INT(decode_nargs(100000), 6);

	/* strace -s 32 -e trace=getpid python3 -c 'import os; os.getpid()' */
	c = (struct sc_call)CALL(__NR_getpid, 0x11, 0x22);
	c.ret = 10898;
	CHECK_STR(line(&c), "getpid() = 10898");

	/* strace -f -s 32 python3.11 parity_broad.py: mmap decoded, a hex return */
	c = (struct sc_call)CALL(__NR_mmap, 0, 0x2000, 3, 0x22, 0xffffffff, 0);
	c.ret = 0x7fd06193b000;
	CHECK_STR(line(&c), "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fd06193b000");
	/* strace -s 32 -e trace=brk python3 -c '$L s(12, 0)': the return */
	c = (struct sc_call)CALL(__NR_brk, 0);
	c.ret = 0x559f3ef45000;
	sb_reset(&b);
	decode_ret(&b, &c);
	CHECK_STR(sb_str(&b), "0x559f3ef45000");
	/* strace python3.11 -c '$L s(13, 0x11, 0x22, 0x33, 0x44)': bad
	 * pointers and a bad sigsetsize print raw */
	c = (struct sc_call)CALL(__NR_rt_sigaction, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66);
	c.ret = -22;
	CHECK_STR(line(&c), "rt_sigaction(SIGCHLD, 0x22, 0x33, 68) = -1 EINVAL (Invalid argument)");
	/* strace -e raw=all ./survey: an undecoded call prints raw */
	c = (struct sc_call)CALL(__NR_msync, 0x11, 0x22, 0x33);
	c.ret = -38;
	CHECK_STR(line(&c), "msync(0x11, 0x22, 0x33) = -1 ENOSYS (Function not implemented)");

	/* strace ./survey: getppid() failed by seccomp with errno 1..4095 */
	c = (struct sc_call)CALL(__NR_getppid);
	c.ret = -134;
	CHECK_STR(line(&c), "getppid() = -1 (errno 134)");
	c.ret = -41;
	CHECK_STR(line(&c), "getppid() = -1 (errno 41)");
	c.ret = -11;
	CHECK_STR(line(&c), "getppid() = -1 EAGAIN (Resource temporarily unavailable)");
	c.ret = -133;
	CHECK_STR(line(&c), "getppid() = -1 EHWPOISON (Memory page has hardware error)");
	c.ret = -513;
	CHECK_STR(line(&c), "getppid() = ? ERESTARTNOINTR (To be restarted)");
	c.ret = -514;
	CHECK_STR(line(&c), "getppid() = ? ERESTARTNOHAND (To be restarted if no handler)");
	c.ret = -515;
	CHECK_STR(line(&c), "getppid() = -1 ENOIOCTLCMD (Unknown error 515)");
	c.ret = -516;
	CHECK_STR(line(&c), "getppid() = ? ERESTART_RESTARTBLOCK (Interrupted by signal)");
	c.ret = -519;
	CHECK_STR(line(&c), "getppid() = -1 (errno 519)");
	c.ret = -530;
	CHECK_STR(line(&c), "getppid() = -1 ERECALLCONFLICT (Unknown error 530)");
	c.ret = -4095;
	CHECK_STR(line(&c), "getppid() = -1 (errno 4095)");
	/* t2.c: exit_group never returns: strace prints "= ?" */
	c = (struct sc_call)CALL(__NR_exit_group, 0);
	c.exited = false;
	CHECK_STR(line(&c), "exit_group(0) = ?");

	CHECK_STR(errno_name(2), "ENOENT");
	CHECK_STR(errno_name(512), "ERESTARTSYS");
	CHECK(errno_name(0) == NULL);
	CHECK(errno_name(-1) == NULL);
	CHECK(errno_name(41) == NULL);
	CHECK(errno_name(100000) == NULL);

	CHECK_INT(decode_first_exit_arg(__NR_read), 1);
	CHECK_INT(decode_first_exit_arg(__NR_write), 3);
	CHECK_INT(decode_first_exit_arg(__NR_statx), 4);
	CHECK_INT(decode_first_exit_arg(__NR_getcwd), 0);
	CHECK_INT(decode_first_exit_arg(__NR_getpid), 0);
	CHECK_INT(decode_first_exit_arg(__NR_mmap), 6);
	CHECK_INT(decode_first_exit_arg(500), 6);
	CHECK_INT(decode_nargs(__NR_openat), 4);
	CHECK_INT(decode_nargs(__NR_getpid), 0);

	/* decode_arg alone, as for JSON */
	c = (struct sc_call)CALL(__NR_openat, (uint64_t)-100, 1, 0, 0644);
	sb_reset(&b);
	decode_arg(&b, &c, 0, &(struct decode_opts){ .strsize = 32 });
	CHECK_STR(sb_str(&b), "AT_FDCWD");
	sb_reset(&b);
	decode_arg(&b, &c, 1, &(struct decode_opts){ .strsize = 32 });
	CHECK_STR(sb_str(&b), "0x1");	/* path not captured */
	sb_free(&b);
}

static const char *esc(const void *s, size_t len, bool cut)
{
	sb_reset(&sb);
	escape_str(&sb, s, len, cut);
	return sb_str(&sb);
}

static const char *json(const void *s, size_t len)
{
	sb_reset(&sb);
	json_str(&sb, s, len);
	return sb_str(&sb);
}

static void test_escape(void)
{
	unsigned char b[32];
	int i;

	/* t9.c under strace -s 40: write(1, bytes 0..31, 32) */
	for (i = 0; i < 32; i++)
		b[i] = (unsigned char)i;
	CHECK_STR(esc(b, 32, false), "\"\\0\\1\\2\\3\\4\\5\\6\\7\\10\\t\\n\\v\\f\\r\\16\\17\\20\\21\\22\\23\\24\\25\\26\\27\\30\\31\\32\\33\\34\\35\\36\\37\"");
	/* t9.c under strace -s 1: write(1, "\0012", 2) prints "\1"...: the
	 * digit that was cut off does not lengthen the octal */
	CHECK_STR(esc("\0012", 1, true), "\"\\1\"...");
	/* octal digits 0-7 force three digits, 8 and 9 do not */
	CHECK_STR(esc("\0017\0018\0019\1a", 8, false), "\"\\0017\\18\\19\\1a\"");
	CHECK_STR(esc("\"\\", 2, false), "\"\\\"\\\\\"");
	CHECK_STR(esc("\x7f\x80\xff\xc3\xa9", 5, false), "\"\\177\\200\\377\\303\\251\"");
	CHECK_STR(esc("a\0b", 3, false), "\"a\\0b\"");
	CHECK_STR(esc("", 0, false), "\"\"");
	CHECK_STR(esc("", 0, true), "\"\"...");
	CHECK_STR(esc(" ~", 2, false), "\" ~\"");

	CHECK_STR(json("plain", 5), "\"plain\"");
	CHECK_STR(json("q\"b\\s/", 6), "\"q\\\"b\\\\s/\"");
	CHECK_STR(json("\b\t\n\f\r\x01\x1f\x7f", 8), "\"\\b\\t\\n\\f\\r\\u0001\\u001f\x7f\"");
	CHECK_STR(json("a\0b", 3), "\"a\\u0000b\"");
	CHECK_STR(json("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14), "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	/* invalid UTF-8: each byte alone, as Python's surrogateescape */
	CHECK_STR(json("\xff", 1), "\"\\udcff\"");
	CHECK_STR(json("\x80z", 2), "\"\\udc80z\"");
	CHECK_STR(json("\xe2\x82" "A", 3), "\"\\udce2\\udc82A\"");	/* cut sequence */
	CHECK_STR(json("\xe2\x82", 2), "\"\\udce2\\udc82\"");		/* cut by the end */
	CHECK_STR(json("\xc0\x80", 2), "\"\\udcc0\\udc80\"");		/* overlong NUL */
	CHECK_STR(json("\xe0\x80\xaf", 3), "\"\\udce0\\udc80\\udcaf\"");	/* overlong / */
	CHECK_STR(json("\xed\xa0\x80", 3), "\"\\udced\\udca0\\udc80\"");	/* surrogate */
	CHECK_STR(json("\xf4\x90\x80\x80", 4), "\"\\udcf4\\udc90\\udc80\\udc80\"");	/* > U+10FFFF */
	CHECK_STR(json("\xf5\x80", 2), "\"\\udcf5\\udc80\"");
	CHECK_STR(json("\xef\xbf\xbf\xf4\x8f\xbf\xbf", 7), "\"\xef\xbf\xbf\xf4\x8f\xbf\xbf\"");	/* U+FFFF, U+10FFFF */
	CHECK_STR(json("", 0), "\"\"");
}

/* Everything comes from the traced process: short, lying or broken captures. */
static void test_robustness(void)
{
	unsigned char area[256] __attribute__((aligned(8)));
	struct pt_cap h = { 0 };
	struct sc_call c;
	unsigned char bad[8];
	uint16_t l;

	/* a buffer capture shorter than min(count, -s): what is there, then "..." */
	c = (struct sc_call)CALL(__NR_write, 1, 0x7f0000003000, 100);
	c.cap[1] = cap_raw(1, "abc", 3, 100, PT_CAP_F_TRUNC);
	c.ret = 100;
	CHECK_STR(line(&c), "write(1, \"abc\"..., 100) = 100");
	/* faulted captures print the pointer */
	c.cap[1] = cap_raw(1, "", 0, 100, PT_CAP_F_FAULT);
	CHECK_STR(line(&c), "write(1, 0x7f0000003000, 100) = 100");
	/* a read can't return more than asked, but if it says so: -s still bounds */
	c = (struct sc_call)CALL(__NR_read, 3, 0x7f0000002000, 4);
	c.cap[1] = cap_raw(1, "abcd", 4, 4, 0);
	c.ret = 1000;
	CHECK_STR(line(&c), "read(3, \"abcd\"..., 4) = 1000");
	/* an exit capture with an unfinished call: the pointer */
	c.exited = false;
	CHECK_STR(line(&c), "read(3, 0x7f0000002000, 4) = ?");

	/* a struct stat shorter than struct stat */
	c = (struct sc_call)CALL(__NR_fstat, 1, 0x7f186c91cf30);
	c.cap[1] = cap_raw(1, "\x01\x02", 2, 2, 0);
	c.ret = 0;
	CHECK_STR(line(&c), "fstat(1, 0x7f186c91cf30) = 0");
	c = (struct sc_call)CALL(__NR_statx, 3, 1, 0x1000, 0x7ff, 0x7f43e2a00f30);
	c.cap[1] = cap_str(1, "");
	c.cap[4] = cap_raw(4, "\x01\x02", 2, 2, 0);
	c.ret = 0;
	CHECK_STR(line(&c), "statx(3, \"\", AT_STATX_SYNC_AS_STAT|AT_EMPTY_PATH, STATX_BASIC_STATS, 0x7f43e2a00f30) = 0");

	/* a sockaddr capture shorter than addrlen: as much as there is */
	c = (struct sc_call)CALL(__NR_connect, 3, 0x7f0000007000, 110);
	c.cap[1] = cap_raw(1, "\x01\x00/r", 4, 110, PT_CAP_F_TRUNC);
	c.ret = -2;
	CHECK_STR(line(&c), "connect(3, {sa_family=AF_UNIX, sun_path=\"/r\"}, 110) = -1 ENOENT (No such file or directory)");
	c.cap[1] = cap_raw(1, "\x02", 1, 110, PT_CAP_F_TRUNC);
	CHECK_STR(line(&c), "connect(3, 0x7f0000007000, 110) = -1 ENOENT (No such file or directory)");
	/* an AF_INET6 address cut to 10 bytes prints raw data, no over-read */
	c.args[2] = 28;
	c.cap[1] = cap_raw(1, "\x0a\x00\x01\xbb\x00\x00\x00\x00\xfe\x80", 10, 28, PT_CAP_F_TRUNC);
	CHECK_STR(line(&c), "connect(3, {sa_family=AF_INET6, sa_data=\"\\1\\273\\0\\0\\0\\0\\376\\200\"}, 28) = -1 ENOENT (No such file or directory)");

	/* argv whose entry claims more bytes than the capture holds */
	l = 200;
	memcpy(bad, &l, sizeof(l));
	memcpy(bad + 2, "abc", 3);
	c = (struct sc_call)CALL(__NR_execve, 1, 0x7f0000006000, 0);
	c.cap[0] = cap_str(0, "/bin/x");
	c.cap[1] = cap_raw(1, bad, 5, 1, 0);
	c.ret = -2;
	CHECK_STR(line(&c), "execve(\"/bin/x\", [...], NULL) = -1 ENOENT (No such file or directory)");
	/* an odd trailing byte, and a count larger than what came */
	l = 1;
	memcpy(bad, &l, sizeof(l));
	bad[2] = 'a';
	bad[3] = 0x7;
	c.cap[1] = cap_raw(1, bad, 4, 1000000, PT_CAP_F_TRUNC);
	CHECK_STR(line(&c), "execve(\"/bin/x\", [\"a\", ...], NULL) = -1 ENOENT (No such file or directory)");
	/* a path with an embedded NUL stops there; a cut path gets "..." */
	c.cap[1] = NULL;
	c.cap[0] = cap_raw(0, "/a\0b", 4, 4, 0);
	CHECK_STR(line(&c), "execve(\"/a\", 0x7f0000006000, NULL) = -1 ENOENT (No such file or directory)");
	c.cap[0] = cap_raw(0, "/aaaa", 5, 4096, PT_CAP_F_TRUNC);
	CHECK_STR(line(&c), "execve(\"/aaaa\"..., 0x7f0000006000, NULL) = -1 ENOENT (No such file or directory)");

	/* decode_set_caps: two captures, 8-byte aligned */
	memset(area, 0, sizeof(area));
	h.len = 3;
	h.arg = 1;
	memcpy(area, &h, sizeof(h));
	memcpy(area + 8, "abc", 3);
	h.len = 2;
	h.arg = 4;
	memcpy(area + 16, &h, sizeof(h));
	memcpy(area + 24, "xy", 2);
	memset(&c, 0, sizeof(c));
	CHECK_INT(decode_set_caps(&c, area, 26, 2), 2);
	CHECK(c.cap[1] == (const struct pt_cap *)area);
	CHECK(c.cap[4] == (const struct pt_cap *)(area + 16));
	/* the second one runs past the area */
	memset(&c, 0, sizeof(c));
	CHECK_INT(decode_set_caps(&c, area, 25, 2), -1);
	CHECK(c.cap[1] == (const struct pt_cap *)area);
	CHECK(c.cap[4] == NULL);
	/* more captures announced than the area holds */
	CHECK_INT(decode_set_caps(&c, area, 26, 3), -1);
	/* a header cut short */
	CHECK_INT(decode_set_caps(&c, area, 4, 1), -1);
	/* an argument index out of range */
	h.arg = 6;
	memcpy(area + 16, &h, sizeof(h));
	memset(&c, 0, sizeof(c));
	CHECK_INT(decode_set_caps(&c, area, 26, 2), -1);
	/* misaligned area */
	CHECK_INT(decode_set_caps(&c, area + 1, 25, 1), -1);
	CHECK_INT(decode_set_caps(&c, area, 0, 0), 0);
}

int main(void)
{
	test_open();
	test_fd_io();
	test_stat();
	test_statx();
	test_paths();
	test_execve();
	test_connect_inet();
	test_connect_inet6();
	test_connect_unix();
	test_connect_other();
	test_raw_and_ret();
	test_escape();
	test_robustness();
	sb_free(&sb);
	sb_free(&line_buf);
	return check_done("decode");
}
