// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* sbuf's integer printers against snprintf's. */
#include <limits.h>
#include <stdio.h>

#include "check.h"
#include "sbuf.h"

int main(void)
{
	static const long long ints[] = { 0, 1, -1, 9, 10, 12345, -98765,
					  LLONG_MAX, LLONG_MIN };
	static const unsigned long long hexes[] = { 0, 1, 15, 16, 0xdeadbeef,
						    ULLONG_MAX };
	char want[64];

	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		struct sbuf b = {};

		sb_puts(&b, "<");
		sb_put_int(&b, ints[i]);
		sb_puts(&b, ">");
		snprintf(want, sizeof(want), "<%lld>", ints[i]);
		CHECK_STR(sb_str(&b), want);
		sb_free(&b);
	}
	for (size_t i = 0; i < sizeof(hexes) / sizeof(hexes[0]); i++) {
		struct sbuf b = {};

		sb_put_hex(&b, hexes[i]);
		snprintf(want, sizeof(want), "0x%llx", hexes[i]);
		CHECK_STR(sb_str(&b), want);
		sb_free(&b);
	}
	return check_done("sbuf");
}
