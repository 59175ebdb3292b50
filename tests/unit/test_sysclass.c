// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The syscall classes (user/sysclass.c) against the installed strace, the
 * truth for what -e trace=%CLASS selects.
 *
 * This program re-runs itself as a probe under `strace -e trace=%CLASS`:
 * the probe installs a seccomp filter that fails every syscall but
 * exit_group with ENOSYS (ptrace sees the entry before seccomp, so strace
 * prints each call, and none of them runs), then calls every number.  The
 * names strace printed are the class; pytrace's table must select exactly
 * those, by number.  Also checks the -e trace= grammar (negation, regex,
 * '?', all/none, errors) and -e status=.
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "options.h"
#include "syscalls.h"
#include "sysclass.h"

#define WORDS (PT_NR_SYSCALLS / 64)

/* x86_64 numbers: 0..334 and 424..; strace 6.1 knows up to 450. */
static bool probed(unsigned nr)
{
	return nr < 335 || (nr >= 424 && nr <= 450);
}

static int probe(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_exit_group, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 38 /* ENOSYS */),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		return 1;
	for (long nr = 0; nr < PT_NR_SYSCALLS; nr++)
		if (probed(nr) && nr != SYS_exit_group)
			syscall(nr, 0, 0, 0, 0, 0, 0);
	syscall(SYS_exit_group, 0);
	return 0;
}

static bool has(const uint64_t *m, unsigned nr)
{
	return m[nr / 64] >> (nr % 64) & 1;
}

/* What strace selects for -e trace=EXPR, as a bitmap; -1 if it failed. */
static int strace_selects(const char *expr, uint64_t *mask)
{
	char self[4096], out[] = "/tmp/pt-sysclass-XXXXXX", line[512];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int fd = mkstemp(out), status;
	pid_t pid;
	FILE *f;

	if (n <= 0 || fd < 0)
		return -1;
	self[n] = '\0';
	close(fd);
	pid = fork();
	if (pid == 0) {
		char arg[256];

		snprintf(arg, sizeof(arg), "trace=%s", expr);
		execlp("strace", "strace", "-qq", "-o", out, "-e", arg, self,
		       "--probe", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
		return unlink(out), -1;
	memset(mask, 0, WORDS * 8);
	f = fopen(out, "r");
	while (f && fgets(line, sizeof(line), f)) {
		int nr;

		line[strcspn(line, "(")] = '\0';
		nr = sc_by_name(line);
		/* The probe's own prctl/seccomp set-up is not part of it. */
		if (nr >= 0 && nr != SYS_prctl && nr != SYS_seccomp)
			mask[nr / 64] |= 1ull << (nr % 64);
	}
	if (f)
		fclose(f);
	unlink(out);
	return f ? 0 : -1;
}

static void compare(const char *what, const uint64_t *want, const uint64_t *got)
{
	int diffs = 0;

	for (unsigned nr = 0; nr < PT_NR_SYSCALLS; nr++) {
		if (!probed(nr) || nr == SYS_prctl || nr == SYS_seccomp ||
		    nr == SYS_exit_group || has(want, nr) == has(got, nr))
			continue;
		fprintf(stderr, "  %s: %s %s by strace, %s by pytrace\n", what,
			sc_get(nr)->name ?: "?", has(want, nr) ? "selected" : "not selected",
			has(got, nr) ? "selected" : "not selected");
		diffs++;
	}
	CHECK_INT(diffs, 0);
}

static void test_classes_match_strace(void)
{
	for (const char *const *c = sysclass_names(); *c; c++) {
		uint64_t want[WORDS], got[WORDS] = {};
		char expr[64];

		snprintf(expr, sizeof(expr), "%%%s", *c);	/* "%%stat" too */
		CHECK_INT(strace_selects(expr, want), 0);
		CHECK_INT(sysclass_fill(*c, got), 0);
		compare(expr, want, got);
	}
}

/* The grammar, each expression checked against strace too. */
static void test_grammar_matches_strace(void)
{
	static const char *const exprs[] = {
		"!%file", "openat,close", "/^(open|clos)", "!/stat$,%memory",
		"?nosuchcall,read", "%ipc,%creds,write", "all", "!all",
	};

	for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		uint64_t want[WORDS], got[WORDS];
		char err[160] = "";

		CHECK_INT(strace_selects(exprs[i], want), 0);
		CHECK_INT(filter_parse(exprs[i], got, err, sizeof(err)), 0);
		compare(exprs[i], want, got);
	}
}

static void test_grammar_errors(void)
{
	static const char *const bad[] = { "nosuchcall", "%nosuchclass", "/[",
					   "", "open,", "openat,!close" };
	uint64_t m[WORDS];
	char err[160];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CHECK_INT(filter_parse(bad[i], m, err, sizeof(err)), -1);
		CHECK(err[0] != '\0');
	}
	CHECK_INT(filter_parse("?%nosuchclass,?/^zzz", m, err, sizeof(err)), 0);
}

static void test_status(void)
{
	unsigned bits;
	char err[160];

	CHECK_INT(status_parse("successful", &bits, err, sizeof(err)), 0);
	CHECK_INT(bits, PT_ST_SUCCESSFUL);
	CHECK_INT(status_parse("!failed", &bits, err, sizeof(err)), 0);
	CHECK_INT(bits, PT_ST_ALL & ~PT_ST_FAILED);
	CHECK_INT(status_parse("unfinished,detached", &bits, err, sizeof(err)), 0);
	CHECK_INT(bits, PT_ST_UNFINISHED | PT_ST_DETACHED);
	CHECK_INT(status_parse("none", &bits, err, sizeof(err)), 0);
	CHECK_INT(bits, 0);
	CHECK_INT(status_parse("bogus", &bits, err, sizeof(err)), -1);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--probe") == 0)
		return probe();
	test_classes_match_strace();
	test_grammar_matches_strace();
	test_grammar_errors();
	test_status();
	return check_done("sysclass");
}
