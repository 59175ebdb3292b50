// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Regressions found by the fuzzers (tests/fuzz/).  make unit-test builds
 * this with $(CC); make fuzz-ci builds it again with clang and the
 * sanitizers, as some of these only show with one compiler.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "check.h"
#include "decode.h"
#include "syscalls.h"

static const char *args_of(struct sbuf *b, unsigned nr, const uint64_t *args)
{
	struct sc_call c = { .nr = nr };
	struct decode_opts o = { .strsize = 32 };

	memcpy(c.args, args, sizeof(c.args));
	sb_reset(b);
	decode_args(b, &c, 0, decode_nargs(nr), &o);
	return sb_str(b);
}

/*
 * A flags word whose every bit has a name printed the name and then the
 * same bits again in hex ("AT_SYMLINK_NOFOLLOW|0x100") when built with
 * clang: the leftover bits were read before the names were taken out of
 * them.  strace prints the names alone.
 */
static void test_flags_leftover_bits(void)
{
	struct sbuf b = {};
	uint64_t stat_args[PT_NARGS] = { (uint32_t)AT_FDCWD, 0, 0,
					 AT_SYMLINK_NOFOLLOW };
	uint64_t statx_args[PT_NARGS] = { (uint32_t)AT_FDCWD, 0,
					  AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS };

	CHECK_STR(args_of(&b, sc_by_name("newfstatat"), stat_args),
		  "AT_FDCWD, NULL, NULL, AT_SYMLINK_NOFOLLOW");
	stat_args[3] = AT_SYMLINK_NOFOLLOW | 0x80000000u;
	CHECK_STR(args_of(&b, sc_by_name("newfstatat"), stat_args),
		  "AT_FDCWD, NULL, NULL, AT_SYMLINK_NOFOLLOW|0x80000000");
	CHECK_STR(args_of(&b, sc_by_name("statx"), statx_args),
		  "AT_FDCWD, NULL, AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW, "
		  "STATX_BASIC_STATS, NULL");
	sb_free(&b);
}

int main(void)
{
	test_flags_leftover_bits();
	return check_done("test_fuzz_regress");
}
