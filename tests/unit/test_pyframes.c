// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Line tables and strings against what the real interpreters say
 * (line_vectors.h, made by gen_line_vectors.py), plus broken and truncated
 * tables, which must give -1 and never a read outside the table (run under
 * -fsanitize=address to see that: each table is copied to a buffer of its
 * exact size first).
 */
#include <stdbool.h>
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
 * Every prefix of every real table: a truncated capture.  Said to be cut,
 * any format answers with the right line or -1.  Taken for whole (what a
 * caller without the flag would do), 3.10+ still do, as only the covering
 * entry answers; LNOTAB cannot tell, so only bounds are checked for it.
 */
static void test_truncated(void)
{
	size_t wrong = 0, wrong_cut = 0;

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
				got = pyline_lookup(lv->fmt, t, cut, false,
						    lv->first, (int)i - 1);
				if (got != -1 && got != lv->lines[i])
					wrong_cut++;
			}
			free(t);
		}
	}
	CHECK_INT(wrong, 0);
	CHECK_INT(wrong_cut, 0);
}

/*
 * Long tables, made here from a synthetic code object, cut where the BPF
 * side cuts them (PT_LINETABLE_MAX) and elsewhere.  Each encoder notes, per
 * pair or entry, the position below which answers are settled once those
 * bytes are present; a cut table must give the real line there and -1 from
 * there on.
 */
#define NRUNS 3000
#define MAX_TABLE (NRUNS * 12)
#define MAX_POS (NRUNS * 2 * 8)

struct run {
	int units;	/* code units */
	int line;	/* -1: no line (3.10+ only) */
};

struct mark {
	size_t end;	/* table bytes up to the end of this pair / entry */
	int settled;	/* positions below this are settled by then */
};

struct table {
	uint8_t b[MAX_TABLE];
	size_t len;
	struct mark m[MAX_TABLE];
	size_t nm;
	long long pos;	/* running position in the format's unit */
};

static uint32_t rnd(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 16;
}

/* Mostly short steps forward; now and then a long run, a big jump back
 * or forward, or (with_none) a run without a line. */
static void make_runs(struct run *r, int first, bool with_none)
{
	uint32_t seed = 4242;
	int line = first;

	for (int i = 0; i < NRUNS; i++) {
		r[i].units = 1 + rnd(&seed) % 4;
		if (i % 97 == 50)
			r[i].units = 150;	/* > 255 bytes: split pairs */
		if (i % 50 == 25)
			line += 300;
		else if (i % 77 == 40 && line > 250)
			line -= 200;
		else
			line += rnd(&seed) % 3;
		r[i].line = with_none && i % 13 == 7 ? -1 : line;
	}
}

static void put(struct table *t, uint8_t b)
{
	if (t->len >= MAX_TABLE)
		abort();
	t->b[t->len++] = b;
}

static void mark(struct table *t)
{
	t->m[t->nm].end = t->len;
	t->m[t->nm++].settled = (int)t->pos;
}

/* lnotab pair: what it settles is everything before its address. */
static void lnotab_pair(struct table *t, int addr_incr, int line_incr)
{
	put(t, (uint8_t)addr_incr);
	put(t, (uint8_t)(int8_t)line_incr);
	t->pos += addr_incr;
	mark(t);
}

/* As 3.8's assemble_lnotab(): big steps become several pairs. */
static void enc_lnotab(struct table *t, const struct run *r, int first)
{
	long long addr = 0, prev_addr = 0;
	int prev_line = first;

	for (int i = 0; i < NRUNS; i++) {
		int db = (int)(addr - prev_addr), dl = r[i].line - prev_line;

		if (db || dl) {
			for (; db > 255; db -= 255)
				lnotab_pair(t, 255, 0);
			for (; dl > 127; dl -= 127, db = 0)
				lnotab_pair(t, db, 127);
			for (; dl < -128; dl += 128, db = 0)
				lnotab_pair(t, db, -128);
			lnotab_pair(t, db, dl);
		}
		prev_addr = addr;
		prev_line = r[i].line;
		addr += 2 * r[i].units;
	}
}

/* 3.10 pair: settles what it covers, [pos, pos + bytes / 2) units. */
static void pair_310(struct table *t, int bytes, int ldelta)
{
	put(t, (uint8_t)bytes);
	put(t, (uint8_t)(int8_t)ldelta);
	t->pos += bytes / 2;
	mark(t);
}

/* As 3.10's assemble_line_range(). */
static void enc_310(struct table *t, const struct run *r, int first)
{
	int prev = first;

	for (int i = 0; i < NRUNS; i++) {
		int bd = 2 * r[i].units, ld = -128;

		if (r[i].line >= 0) {
			ld = r[i].line - prev;
			prev = r[i].line;
			for (; ld > 127; ld -= 127)
				pair_310(t, 0, 127);
			for (; ld < -127; ld += 127)
				pair_310(t, 0, -127);
		}
		for (; bd > 254; bd -= 254) {
			pair_310(t, 254, ld);
			ld = r[i].line < 0 ? -128 : 0;
		}
		pair_310(t, bd, ld);
	}
}

static void put_varint(struct table *t, uint32_t v)
{
	for (; v >= 64; v >>= 6)
		put(t, 0x40 | (v & 63));
	put(t, (uint8_t)v);
}

static void put_svarint(struct table *t, int v)
{
	put_varint(t, v < 0 ? ((uint32_t)-v << 1) | 1 : (uint32_t)v << 1);
}

/* One 3.11 entry of 1-8 units, in a form picked by k. */
static void entry_311(struct table *t, int units, int delta, bool none,
		      unsigned k)
{
	uint8_t len = (uint8_t)(units - 1);

	if (none) {
		put(t, 0x80 | (15 << 3) | len);
	} else if (k % 4 == 0 && delta == 0) {
		put(t, 0x80 | (k % 10) << 3 | len);	/* short form */
		put(t, k & 0x7f);
	} else if (k % 4 == 1 && delta >= 0 && delta <= 2) {
		put(t, 0x80 | (10 + delta) << 3 | len);	/* one line */
		put(t, 4);
		put(t, 9);
	} else if (k % 4 == 3) {
		put(t, 0x80 | (14 << 3) | len);		/* long */
		put_svarint(t, delta);
		put_varint(t, 0);
		put_varint(t, 101);
		put_varint(t, 5000);
	} else {
		put(t, 0x80 | (13 << 3) | len);		/* no columns */
		put_svarint(t, delta);
	}
	t->pos += units;
	mark(t);
}

static void enc_311(struct table *t, const struct run *r, int first)
{
	int prev = first;
	unsigned k = 0;

	for (int i = 0; i < NRUNS; i++) {
		bool none = r[i].line < 0;
		int delta = none ? 0 : r[i].line - prev;

		for (int left = r[i].units; left > 0; left -= 8, delta = 0)
			entry_311(t, left < 8 ? left : 8, delta, none, k++);
		if (!none)
			prev = r[i].line;
	}
}

/* The real line of every position, in the format's unit. */
static int fill_truth(int *truth, const struct run *r, int per_unit)
{
	int n = 0;

	for (int i = 0; i < NRUNS; i++)
		for (int u = 0; u < r[i].units * per_unit; u++)
			truth[n++] = r[i].line;
	return n;
}

/* Positions settled by the first cut bytes of the table. */
static int settled_by(const struct table *t, size_t cut)
{
	int settled = 0;

	for (size_t i = 0; i < t->nm && t->m[i].end <= cut; i++)
		settled = t->m[i].settled;
	return settled;
}

/* Every position near the end of what is settled, some elsewhere. */
static bool worth_checking(int pos, int settled)
{
	return pos % 7 == 0 || (pos >= settled - 40 && pos < settled + 40);
}

static size_t check_cut(int fmt, const struct table *t, const int *truth,
			int npos, int first, size_t cut, bool complete)
{
	uint8_t *b = exact_copy(t->b, cut);
	int settled = complete ? npos : settled_by(t, cut);
	size_t bad = 0;

	for (int pos = 0; pos < npos + 16; pos++) {
		int want, got;

		if (!worth_checking(pos, settled))
			continue;
		if (complete && pos >= npos)
			break;	/* past the code: per format, not here */
		want = pos < settled ? truth[pos] : -1;
		got = pyline_lookup(fmt, b, cut, complete, first, pos);
		if (got != want && bad++ < 5)
			fprintf(stderr, "fmt %d cut %zu/%zu pos %d: got %d, "
				"want %d\n", fmt, cut, t->len, pos, got, want);
	}
	free(b);
	return bad;
}

static void check_long_table(int fmt, const struct table *t,
			     const struct run *r, int first)
{
	static int truth[MAX_POS];
	int npos = fill_truth(truth, r, fmt == PT_LINES_LNOTAB ? 2 : 1);
	const size_t cuts[] = { 0, 1, 2, 3, 1001, PT_LINETABLE_MAX - 1,
				PT_LINETABLE_MAX, t->len - 1, t->len };

	/* Long enough that the BPF side cuts it, and the cut matters. */
	CHECK(t->len > PT_LINETABLE_MAX);
	CHECK(settled_by(t, PT_LINETABLE_MAX) > 0);
	CHECK(settled_by(t, PT_LINETABLE_MAX) < npos);

	CHECK_INT(check_cut(fmt, t, truth, npos, first, t->len, true), 0);
	for (size_t i = 0; i < ARRAY_SIZE(cuts); i++)
		CHECK_INT(check_cut(fmt, t, truth, npos, first, cuts[i],
				    false), 0);
}

static void test_long_tables(void)
{
	static struct run r[NRUNS];
	static struct table t;
	const int first = 3;

	make_runs(r, first, false);
	memset(&t, 0, sizeof(t));
	enc_lnotab(&t, r, first);
	check_long_table(PT_LINES_LNOTAB, &t, r, first);

	make_runs(r, first, true);
	memset(&t, 0, sizeof(t));
	enc_310(&t, r, first);
	check_long_table(PT_LINES_310, &t, r, first);

	memset(&t, 0, sizeof(t));
	enc_311(&t, r, first);
	check_long_table(PT_LINES_311, &t, r, first);
}

/*
 * The case that was wrong: a 5000-line module of 4-byte lines, whose
 * lnotab (4, +1) pairs are cut at 4096 bytes.  Line 2049 starts at the
 * last pair kept; whether it runs on is in the pairs lost.
 */
static void test_lnotab_cut_module(void)
{
	static uint8_t t[2 * 4999];

	for (int i = 0; i < 4999; i++) {
		t[2 * i] = 4;
		t[2 * i + 1] = 1;
	}
	CHECK_INT(pyline_for_instr(PT_LINES_LNOTAB, t, sizeof(t), 1, 19996),
		  5000);
	CHECK_INT(pyline_lookup(PT_LINES_LNOTAB, t, sizeof(t), true, 1, 19996),
		  5000);
	CHECK_INT(pyline_lookup(PT_LINES_LNOTAB, t, 4096, false, 1, 19996), -1);
	CHECK_INT(pyline_lookup(PT_LINES_LNOTAB, t, 4096, false, 1, 0), 1);
	CHECK_INT(pyline_lookup(PT_LINES_LNOTAB, t, 4096, false, 1, 8190),
		  2048);
	CHECK_INT(pyline_lookup(PT_LINES_LNOTAB, t, 4096, false, 1, 8192), -1);
	/* A cut between the two bytes of a pair only loses that pair. */
	CHECK_INT(pyline_lookup(PT_LINES_LNOTAB, t, 4095, false, 1, 8186),
		  2047);
	CHECK_INT(pyline_lookup(PT_LINES_LNOTAB, t, 4095, false, 1, 8188), -1);
	CHECK_INT(pyline_lookup(PT_LINES_LNOTAB, t, 4095, true, 1, 8186), -1);
}

/* A table that could not be read: no position has a line, except "not
 * started", whose answer is co_firstlineno and not in the table. */
static void test_faulted(void)
{
	for (int fmt = PT_LINES_LNOTAB; fmt <= PT_LINES_311; fmt++) {
		CHECK_INT(pyline_lookup(fmt, NULL, 0, false, 10, 0), -1);
		CHECK_INT(pyline_lookup(fmt, NULL, 0, false, 10, 57), -1);
		CHECK_INT(pyline_lookup(fmt, NULL, 0, false, 10, -1), 10);
	}
	/* Whole and empty is another thing: all on the first line (LNOTAB). */
	CHECK_INT(pyline_lookup(PT_LINES_LNOTAB, NULL, 0, true, 10, 57), 10);
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
	test_long_tables();
	test_lnotab_cut_module();
	test_faulted();
	test_lnotab_by_hand();
	test_310_by_hand();
	test_311_by_hand();
	test_garbage();
	test_strings();
	return check_done("pyframes");
}
