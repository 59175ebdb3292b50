// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* /proc/PID/maps parsing: real shapes, odd paths and broken lines. */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "procmaps.h"

static const char sample[] =
	"00400000-0041f000 r--p 00000000 fe:00 10952899                   "
	"/usr/bin/python3.11\n"
	"00945000-00a89000 rw-p 00544000 fe:00 10952899                   "
	"/usr/bin/python3.11\n"
	"00a89000-00acf000 rw-p 00000000 00:00 0 \n"
	"01c2f000-01d31000 rw-p 00000000 00:00 0                          "
	"[heap]\n"
	"7f0000000000-7f0000001000 r--p 00000000 103:02 42              "
	"/tmp/dir with spaces/libpython3.9.so.1.0 (deleted)\n"
	"7f0000001000-7f0000002000 r-xp 00001000 103:02 42              "
	"/tmp/dir with spaces/libpython3.9.so.1.0 (deleted)\n"
	"7f0000003000-7f0000004000 rw-s 00000000 00:01 1234             "
	"/memfd:jit\\012name (deleted)\n"
	"7f0000004000-7f0000005000 ---p 00000000 00:00 0\n"
	/* broken lines: each must be skipped, not half-parsed */
	"7f0000006000 r--p 00000000 00:00 0\n"
	"7f0000007000-7f0000006000 r--p 00000000 00:00 0\n"
	"7f0000008000-7f0000009000 r--p 00000000 00:00\n"
	"7f0000008000-7f0000009000 rw 00000000 00:00 0\n"
	"1ffffffffffffffff-2 r--p 00000000 00:00 0\n"
	"\n"
	"garbage\n"
	"7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                  "
	"[stack]";	/* no final newline */

static void test_sample(void)
{
	struct procmaps m;
	char *text = strdup(sample);
	const struct procmap *v;

	CHECK_INT(procmaps_parse(text, strlen(text), &m), 0);
	m.text = text;
	CHECK_INT(m.n, 9);
	CHECK_INT(m.skipped, 7);
	if (m.n != 9) {
		procmaps_free(&m);
		return;
	}
	v = m.v;
	CHECK(v[0].start == 0x400000 && v[0].end == 0x41f000);
	CHECK_STR(v[0].perms, "r--p");
	CHECK(v[0].offset == 0 && v[0].inode == 10952899);
	CHECK(v[0].dev_major == 0xfe && v[0].dev_minor == 0);
	CHECK_STR(v[0].path, "/usr/bin/python3.11");
	CHECK(!v[0].deleted);
	CHECK(v[1].offset == 0x544000);
	CHECK_STR(v[2].path, "");
	CHECK(v[2].inode == 0);
	CHECK_STR(v[3].path, "[heap]");
	CHECK_STR(v[4].path, "/tmp/dir with spaces/libpython3.9.so.1.0");
	CHECK(v[4].deleted);
	CHECK(v[4].dev_major == 0x103 && v[4].dev_minor == 2);
	CHECK(v[5].offset == 0x1000 && v[5].deleted);
	CHECK_STR(v[6].path, "/memfd:jit\\012name");
	CHECK_STR(v[6].perms, "rw-s");
	CHECK_STR(v[7].path, "");
	CHECK_STR(v[8].path, "[stack]");
	CHECK(v[8].start == 0x7ffd00000000ULL);

	CHECK(procmaps_find(&m, 0x400000) == &v[0]);
	CHECK(procmaps_find(&m, 0x41efff) == &v[0]);
	CHECK(procmaps_find(&m, 0x41f000) == NULL);
	CHECK(procmaps_find(&m, 0x7f0000001800) == &v[5]);
	CHECK(procmaps_find(&m, 0x7ffd00020fff) == &v[8]);
	CHECK(procmaps_find(&m, 0) == NULL);
	CHECK(procmaps_find(&m, ~0ULL) == NULL);
	procmaps_free(&m);
}

/* A line past the bound is dropped whole; the next one still parses. */
static void test_long_line(void)
{
	size_t pad = 40000, n;
	const char *head = "7f0000000000-7f0000001000 r--p 00000000 00:01 7 /";
	const char *next = "\n7f0000001000-7f0000002000 r--p 00000000 00:01 8 /ok\n";
	char *text = malloc(strlen(head) + pad + strlen(next) + 1);
	struct procmaps m;

	if (!text)
		abort();
	strcpy(text, head);
	n = strlen(head);
	memset(text + n, 'a', pad);
	strcpy(text + n + pad, next);
	CHECK_INT(procmaps_parse(text, strlen(text), &m), 0);
	m.text = text;
	CHECK_INT(m.n, 1);
	CHECK_INT(m.skipped, 1);
	if (m.n == 1)
		CHECK_STR(m.v[0].path, "/ok");
	procmaps_free(&m);
}

/* Our own maps: the test binary is there, and so is the stack. */
static void test_self(void)
{
	struct procmaps m;
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int found = 0;
	int local;

	CHECK_INT(procmaps_read(getpid(), &m), 0);
	CHECK_INT(m.skipped, 0);
	if (n > 0) {
		exe[n] = '\0';
		for (size_t i = 0; i < m.n; i++)
			found += !strcmp(m.v[i].path, exe);
		CHECK(found >= 2);
	}
	CHECK(procmaps_find(&m, (uint64_t)(uintptr_t)&local) != NULL);
	procmaps_free(&m);
	CHECK(procmaps_read(999999999, &m) < 0);
	procmaps_free(&m);
}

int main(void)
{
	test_sample();
	test_long_line();
	test_self();
	return check_done("procmaps");
}
