// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The syscall table and the capture plans derived from it. */
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "check.h"
#include "syscall_names.h"
#include "syscalls.h"

static const char *const gen_names[PT_NR_SYSCALLS] = { PT_SYSCALL_NAMES };

static void test_names(void)
{
	unsigned nr, named = 0;

	CHECK_STR(sc_get(0)->name, "read");
	CHECK_STR(sc_get(__NR_openat)->name, "openat");
	CHECK_STR(sc_get(__NR_newfstatat)->name, "newfstatat");
	CHECK_STR(sc_get(__NR_pread64)->name, "pread64");
	CHECK(sc_get(335)->name == NULL);	/* the x86_64 gap 335..423 */
	CHECK(sc_get(PT_NR_SYSCALLS)->name == NULL);
	CHECK(sc_get(~0u)->name == NULL);
	CHECK(!sc_get(~0u)->decoded);
	CHECK_INT(sc_get(~0u)->nargs, 0);

	CHECK_INT(sc_by_name("read"), 0);
	CHECK_INT(sc_by_name("openat"), __NR_openat);
	CHECK_INT(sc_by_name("faccessat2"), __NR_faccessat2);
	CHECK_INT(sc_by_name("nosuchcall"), -1);
	CHECK_INT(sc_by_name(""), -1);
	CHECK_INT(sc_by_name(NULL), -1);

	/* every generated name is in the table, with a sane argument count */
	for (nr = 0; nr < PT_NR_SYSCALLS; nr++) {
		const struct sc_info *e = sc_get(nr);

		CHECK(e != NULL);
		if (!gen_names[nr]) {
			CHECK(e->name == NULL);
			continue;
		}
		named++;
		CHECK(e->name && strcmp(e->name, gen_names[nr]) == 0);
		CHECK(e->nargs <= PT_NARGS);
		CHECK_INT(sc_by_name(gen_names[nr]), nr);
	}
	CHECK(named > 350);
	CHECK(sc_count() > __NR_faccessat2);
	CHECK(sc_count() <= PT_NR_SYSCALLS);
	CHECK(gen_names[sc_count() - 1] != NULL);
}

/* Argument counts as strace -e raw=all prints them. */
static void test_raw_nargs(void)
{
	CHECK_INT(sc_get(__NR_getpid)->nargs, 0);
	CHECK_INT(sc_get(__NR_rt_sigreturn)->nargs, 0);
	CHECK_INT(sc_get(__NR_brk)->nargs, 1);
	CHECK_INT(sc_get(__NR_munmap)->nargs, 2);
	CHECK_INT(sc_get(__NR_ioctl)->nargs, 3);
	CHECK_INT(sc_get(__NR_rt_sigaction)->nargs, 4);
	CHECK_INT(sc_get(__NR_clone)->nargs, 5);
	CHECK_INT(sc_get(__NR_mmap)->nargs, 6);
	CHECK_INT(sc_get(__NR_futex)->nargs, 6);
	CHECK_INT(sc_get(__NR_exit_group)->nargs, 1);
	CHECK(sc_get(__NR_mmap)->ret_hex);
	CHECK(sc_get(__NR_brk)->ret_hex);
	CHECK(!sc_get(__NR_getpid)->ret_hex);
	CHECK(!sc_get(__NR_msync)->decoded);
}

static void test_decoded(void)
{
	static const unsigned want[] = {
		__NR_openat, __NR_open, __NR_creat, __NR_close, __NR_read,
		__NR_write, __NR_pread64, __NR_pwrite64, __NR_stat, __NR_fstat,
		__NR_lstat, __NR_newfstatat, __NR_statx, __NR_execve,
		__NR_connect, __NR_access, __NR_faccessat, __NR_faccessat2,
		__NR_lseek, __NR_readlink, __NR_readlinkat, __NR_unlink,
		__NR_unlinkat, __NR_mkdir, __NR_chdir, __NR_getcwd,
	};
	const struct sc_info *e;
	unsigned i, nr, a;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		CHECK(sc_get(want[i])->decoded);

	e = sc_get(__NR_openat);
	CHECK_INT(e->nargs, 4);
	CHECK_INT(e->arg[0], A_DIRFD);
	CHECK_INT(e->arg[1], A_PATH);
	CHECK_INT(e->arg[2], A_OPEN_FLAGS);
	CHECK_INT(e->arg[3], A_OPEN_MODE);
	CHECK_INT(e->arg[4], A_NONE);
	CHECK(e->ret_fd);
	CHECK(!sc_get(__NR_read)->ret_fd);
	CHECK_INT(sc_get(__NR_faccessat)->nargs, 3);
	CHECK_INT(sc_get(__NR_write)->len_arg[1], 2);

	/* each decoded entry: args contiguous, lengths point at a length */
	for (nr = 0; nr < PT_NR_SYSCALLS; nr++) {
		e = sc_get(nr);
		if (!e->decoded)
			continue;
		for (a = 0; a < PT_NARGS; a++) {
			CHECK((a < e->nargs) == (e->arg[a] != A_NONE));
			CHECK(e->arg[a] < A_NR_TYPES);
			if (e->arg[a] == A_BUF_IN || e->arg[a] == A_SOCKADDR_IN)
				CHECK(e->arg[e->len_arg[a]] == A_SIZE ||
				      e->arg[e->len_arg[a]] == A_UINT);
		}
	}
}

static void test_spec(void)
{
	struct pt_spec s;
	unsigned i;

	sc_spec(__NR_read, &s, 32);
	CHECK_INT(s.kind[0], PT_CAP_NONE);
	CHECK_INT(s.kind[1], PT_CAP_BUF_OUT);
	CHECK_INT(s.size[1], 32);
	CHECK_INT(s.kind[2], PT_CAP_NONE);

	sc_spec(__NR_write, &s, 100000);
	CHECK_INT(s.kind[1], PT_CAP_BUF_IN);
	CHECK_INT(s.len_arg[1], 2);
	CHECK_INT(s.size[1], PT_CAP_BYTES);

	sc_spec(__NR_openat, &s, 32);
	CHECK_INT(s.kind[1], PT_CAP_PATH);
	CHECK_INT(s.size[1], PT_PATH_MAX);
	CHECK_INT(s.kind[2], PT_CAP_NONE);

	sc_spec(__NR_stat, &s, 32);
	CHECK_INT(s.kind[0], PT_CAP_PATH);
	CHECK_INT(s.kind[1], PT_CAP_STRUCT_OUT);
	CHECK_INT(s.size[1], sizeof(struct stat));
	CHECK_INT(s.size[1], 144);	/* x86_64's kernel struct stat */

	sc_spec(__NR_statx, &s, 32);
	CHECK_INT(s.kind[4], PT_CAP_STRUCT_OUT);
	CHECK_INT(s.size[4], sizeof(struct statx));
	CHECK_INT(s.size[4], 256);

	sc_spec(__NR_connect, &s, 32);
	CHECK_INT(s.kind[1], PT_CAP_SOCKADDR_IN);
	CHECK_INT(s.len_arg[1], 2);
	CHECK_INT(s.size[1], sizeof(struct sockaddr_storage));

	sc_spec(__NR_execve, &s, 32);
	CHECK_INT(s.kind[0], PT_CAP_PATH);
	CHECK_INT(s.kind[1], PT_CAP_STRV);
	CHECK_INT(s.size[1], 33);	/* one more than -s tells a cut string */
	CHECK_INT(s.kind[2], PT_CAP_STRV);
	CHECK_INT(s.size[2], 0);	/* envp: count only */
	sc_spec(__NR_execve, &s, ~0u);
	CHECK_INT(s.size[1], PT_CAP_BYTES);

	sc_spec(__NR_getcwd, &s, 32);
	CHECK_INT(s.kind[0], PT_CAP_BUF_OUT);
	CHECK_INT(s.size[0], PT_PATH_MAX);

	sc_spec(__NR_getpid, &s, 32);
	for (i = 0; i < PT_NARGS; i++)
		CHECK_INT(s.kind[i], PT_CAP_NONE);
	sc_spec(__NR_mmap, &s, 32);
	for (i = 0; i < PT_NARGS; i++)
		CHECK_INT(s.kind[i], PT_CAP_NONE);
	sc_spec(100000, &s, 32);
	for (i = 0; i < PT_NARGS; i++)
		CHECK_INT(s.kind[i], PT_CAP_NONE);
}

int main(void)
{
	test_names();
	test_raw_nargs();
	test_decoded();
	test_spec();
	return check_done("syscalls");
}
