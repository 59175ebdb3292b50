// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Line tables and strings against what the real interpreters say
 * (line_vectors.h, made by gen_line_vectors.py), plus broken and truncated
 * tables, which must give -1 and never a read outside the table (run under
 * -fsanitize=address to see that: each table is copied to a buffer of its
 * exact size first).
 */
#include <stdlib.h>

#include "check.h"
#include "line_vectors.h"
#include "pyframes.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A heap copy of exactly n bytes, so any over-read trips the sanitizer. */
static uint8_t *exact_copy(const uint8_t *p, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);

	if (!c)
		abort();
	if (n)
		memcpy(c, p, n);
	return c;
}

static void test_vectors(void)
{
	unsigned seen_fmt[4] = { 0 };
	size_t bad = 0;

	for (size_t v = 0; v < ARRAY_SIZE(line_vecs); v++) {
		const struct line_vec *lv = &line_vecs[v];
		uint8_t *t = exact_copy(lv->table, lv->table_len);

		for (unsigned i = 0; i < lv->n; i++) {
			int instr = (int)i - 1;
			int got = pyline_for_instr(lv->fmt, t, lv->table_len,
						   lv->first, instr);

			if (got != lv->lines[i] && bad++ < 20)
				fprintf(stderr, "%s %s: instr %d: got %d, "
					"python says %d\n", lv->python,
					lv->name, instr, got, lv->lines[i]);
			CHECK(got == lv->lines[i]);
		}
		seen_fmt[lv->fmt]++;
		free(t);
	}
	/* The vectors really cover all three formats. */
	CHECK(seen_fmt[PT_LINES_LNOTAB] > 40);
	CHECK(seen_fmt[PT_LINES_310] > 15);
	CHECK(seen_fmt[PT_LINES_311] > 80);
}

/*
 * Every prefix of every real table: a truncated capture.  An answer is
 * either the right one or -1 (LNOTAB cannot tell a cut table, so it may
 * answer with an earlier line there; only bounds are checked for it).
 */
static void test_truncated(void)
{
	size_t wrong = 0;

	for (size_t v = 0; v < ARRAY_SIZE(line_vecs); v++) {
		const struct line_vec *lv = &line_vecs[v];

		/* Every cut of small tables, some 40 of big ones. */
		unsigned step = lv->table_len / 40 + 1;

		for (unsigned cut = 0; cut < lv->table_len; cut += step) {
			uint8_t *t = exact_copy(lv->table, cut);

			for (unsigned i = 0; i < lv->n; i++) {
				int got = pyline_for_instr(lv->fmt, t, cut,
							   lv->first,
							   (int)i - 1);

				if (lv->fmt != PT_LINES_LNOTAB && got != -1 &&
				    got != lv->lines[i])
					wrong++;
			}
			free(t);
		}
	}
	CHECK_INT(wrong, 0);
}

static void test_lnotab_by_hand(void)
{
	/* 0: line 10; +6 bytes: 11; +2: 13; +0 bytes: -1 line (12 at 8). */
	const uint8_t t[] = { 6, 1, 2, 2, 0, (uint8_t)-1 };

	CHECK_INT(pyline_for_instr(PT_LINES_LNOTAB, t, 6, 10, -1), 10);
	CHECK_INT(pyline_for_instr(PT_LINES_LNOTAB, t, 6, 10, 0), 10);
	CHECK_INT(pyline_for_instr(PT_LINES_LNOTAB, t, 6, 10, 5), 10);
	CHECK_INT(pyline_for_instr(PT_LINES_LNOTAB, t, 6, 10, 6), 11);
	CHECK_INT(pyline_for_instr(PT_LINES_LNOTAB, t, 6, 10, 8), 12);
	CHECK_INT(pyline_for_instr(PT_LINES_LNOTAB, t, 6, 10, 1000), 12);
	/* Odd length: not a table CPython makes. */
	CHECK_INT(pyline_for_instr(PT_LINES_LNOTAB, t, 5, 10, 8), -1);
	/* Empty: every instruction is on the first line. */
	CHECK_INT(pyline_for_instr(PT_LINES_LNOTAB, NULL, 0, 7, 40), 7);
	/* A line that goes below zero is not a line. */
	{
		const uint8_t neg[] = { 0, (uint8_t)-5 };

		CHECK_INT(pyline_for_instr(PT_LINES_LNOTAB, neg, 2, 3, 0), -1);
		CHECK_INT(pyline_for_instr(PT_LINES_LNOTAB, neg, 2, 5, 0), 0);
	}
}

static void test_310_by_hand(void)
{
	/* [0,4) line 5, [4,6) no line, [6,10) line 4; then the end. */
	const uint8_t t[] = { 4, 0, 2, 0x80, 4, (uint8_t)-1 };

	CHECK_INT(pyline_for_instr(PT_LINES_310, t, 6, 5, 0), 5);
	CHECK_INT(pyline_for_instr(PT_LINES_310, t, 6, 5, 1), 5);
	CHECK_INT(pyline_for_instr(PT_LINES_310, t, 6, 5, 2), -1);
	CHECK_INT(pyline_for_instr(PT_LINES_310, t, 6, 5, 3), 4);
	CHECK_INT(pyline_for_instr(PT_LINES_310, t, 6, 5, 4), 4);
	CHECK_INT(pyline_for_instr(PT_LINES_310, t, 6, 5, 5), -1);
	CHECK_INT(pyline_for_instr(PT_LINES_310, t, 5, 5, 0), -1);
	CHECK_INT(pyline_for_instr(PT_LINES_310, NULL, 0, 5, 0), -1);
	CHECK_INT(pyline_for_instr(PT_LINES_310, t, 6, 5, -1), 5);
}

static void test_311_by_hand(void)
{
	/*
	 * short form (code 0), 2 units, same line;
	 * one-line form +2 (code 12), 1 unit;
	 * no-columns (13), 3 units, svarint -3 = 7;
	 * none (15), 1 unit;
	 * long (14), 1 unit, svarint +100 = 200 = 0x48 0x03 then 3 varints.
	 */
	const uint8_t t[] = {
		0x80 | (0 << 3) | 1, 0x05,
		0x80 | (12 << 3) | 0, 0x04, 0x09,
		0x80 | (13 << 3) | 2, 0x07,
		0x80 | (15 << 3) | 0,
		0x80 | (14 << 3) | 0, 0x48, 0x03, 0x00, 0x01, 0x02,
	};
	size_t n = sizeof(t);

	CHECK_INT(pyline_for_instr(PT_LINES_311, t, n, 20, 0), 20);
	CHECK_INT(pyline_for_instr(PT_LINES_311, t, n, 20, 1), 20);
	CHECK_INT(pyline_for_instr(PT_LINES_311, t, n, 20, 2), 22);
	CHECK_INT(pyline_for_instr(PT_LINES_311, t, n, 20, 3), 19);
	CHECK_INT(pyline_for_instr(PT_LINES_311, t, n, 20, 5), 19);
	CHECK_INT(pyline_for_instr(PT_LINES_311, t, n, 20, 6), -1);
	CHECK_INT(pyline_for_instr(PT_LINES_311, t, n, 20, 7), 119);
	CHECK_INT(pyline_for_instr(PT_LINES_311, t, n, 20, 8), -1);
	CHECK_INT(pyline_for_instr(PT_LINES_311, t, n, 20, -1), 20);
	/* Cut inside the long entry's varints: its units have no answer. */
	CHECK_INT(pyline_for_instr(PT_LINES_311, t, n - 1, 20, 7), -1);
	CHECK_INT(pyline_for_instr(PT_LINES_311, t, n - 1, 20, 3), 19);
	/* An entry that does not start with bit 7. */
	{
		const uint8_t bad[] = { 0x05, 0x80 };

		CHECK_INT(pyline_for_instr(PT_LINES_311, bad, 2, 1, 0), -1);
	}
	/* A column byte with bit 7 set belongs to the next entry. */
	{
		const uint8_t bad[] = { 0x80 | (10 << 3), 0x81, 0x00 };

		CHECK_INT(pyline_for_instr(PT_LINES_311, bad, 3, 1, 0), -1);
	}
	/* A varint that never ends, and one too long for 32 bits. */
	{
		const uint8_t bad[] = { 0x80 | (13 << 3), 0x7f, 0x7f, 0x7f };
		const uint8_t big[] = { 0x80 | (13 << 3), 0x7f, 0x7f, 0x7f,
					0x7f, 0x7f, 0x7f, 0x01 };

		CHECK_INT(pyline_for_instr(PT_LINES_311, bad, 4, 1, 0), -1);
		CHECK_INT(pyline_for_instr(PT_LINES_311, big, 8, 1, 0), -1);
	}
	/* Unknown format. */
	CHECK_INT(pyline_for_instr(0, t, n, 20, 0), -1);
	CHECK_INT(pyline_for_instr(9, t, n, 20, 0), -1);
}

/* Random bytes: no crash, no over-read, nothing below -1. */
static void test_garbage(void)
{
	uint32_t seed = 12345;
	size_t below = 0;

	for (int round = 0; round < 3000; round++) {
		size_t n = round % 64;
		uint8_t *t = malloc(n ? n : 1);

		if (!t)
			abort();
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			t[i] = (uint8_t)(seed >> 16);
		}
		for (int fmt = PT_LINES_LNOTAB; fmt <= PT_LINES_311; fmt++)
			for (int instr = -1; instr < 80; instr += 3)
				if (pyline_for_instr(fmt, t, n, round, instr) <
				    -1)
					below++;
		free(t);
	}
	CHECK_INT(below, 0);
}

static void test_strings(void)
{
	struct sbuf b = { 0 };

	for (size_t i = 0; i < ARRAY_SIZE(str_vecs); i++) {
		const struct str_vec *s = &str_vecs[i];
		uint8_t *d = exact_copy(s->data, s->len);

		sb_reset(&b);
		pystr_to_utf8(&b, d, s->len, s->kind);
		CHECK_STR(sb_str(&b), s->utf8);
		free(d);
	}

	/* By hand: out-of-range UCS-4, a cut last character, bad kinds. */
	{
		const uint32_t u4[] = { 'a', 0x110000, 0x10ffff };

		sb_reset(&b);
		pystr_to_utf8(&b, (const uint8_t *)u4, sizeof(u4), 4);
		CHECK_STR(sb_str(&b), "a\xef\xbf\xbd\xf4\x8f\xbf\xbf");
		sb_reset(&b);
		pystr_to_utf8(&b, (const uint8_t *)u4, sizeof(u4) - 1, 4);
		CHECK_STR(sb_str(&b), "a\xef\xbf\xbd");
	}
	{
		const uint8_t l1[] = { 'x', 0x80, 'y' };

		sb_reset(&b);
		pystr_to_utf8(&b, l1, 3, 1);
		CHECK_STR(sb_str(&b), "x\xc2\x80y");
		sb_reset(&b);
		pystr_to_utf8(&b, l1, 3, 2);
		CHECK_STR(sb_str(&b), "\xe8\x81\xb8");	/* U+8078 */
		sb_reset(&b);
		pystr_to_utf8(&b, l1, 3, 3);
		CHECK_STR(sb_str(&b), "");
		sb_reset(&b);
		pystr_to_utf8(&b, l1, 3, 0);
		CHECK_STR(sb_str(&b), "");
	}
	sb_free(&b);
}

int main(void)
{
	test_vectors();
	test_truncated();
	test_lnotab_by_hand();
	test_310_by_hand();
	test_311_by_hand();
	test_garbage();
	test_strings();
	return check_done("pyframes");
}
