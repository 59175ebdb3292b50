// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Cross-check of two independent sources: the generated layout table
 * (offsetof against real headers) against the numbers typed here from
 * the project's shared reference, cpython-internals.md (tables 1-6, marked
 * C L / X there: compiled, read live and checked against DWARF).  Then the
 * _Py_DebugOffsets reader on synthetic images laid out as that reference
 * says: good ones, and ones a hostile or broken target could hold.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "layouts.h"

#define N PT_NOFF

/* One row per version and build, fields in the order of struct ref. */
struct ref {
	unsigned minor;
	int ft;
	unsigned rt_interp_head, interp_next, interp_threads_head, ts_next,
		ts_thread_id, ts_frame, ts_cframe, cframe_frame;
	unsigned fr_back, fr_code, fr_lasti, fr_instr, fr_owner;
	unsigned co_filename, co_name, co_linetable, co_firstlineno,
		co_code_adaptive, co_firsttraceable;
	unsigned str_length, str_state, str_ascii_data, str_compact_data,
		str_data, bytes_size, bytes_data, shift;
	unsigned owner_generator, owner_skip_min, line_format;
	unsigned fr_tlbc_index, co_tlbc;
	uint64_t mask;
};

static const struct ref refs[] = {
	{ 7, 0, 24, 0, 8, 8, 176, 24, N, N, 24, 32, 104, N, N,
	  96, 104, 112, 36, N, N, 16, 32, 48, 72, 72, 16, 32, 2,
	  0, 0, PT_LINES_LNOTAB, N, N, ~0ULL },
	{ 8, 0, 32, 0, 8, 8, 176, 24, N, N, 24, 32, 104, N, N,
	  104, 112, 120, 40, N, N, 16, 32, 48, 72, 72, 16, 32, 2,
	  0, 0, PT_LINES_LNOTAB, N, N, ~0ULL },
	{ 9, 0, 32, 0, 8, 8, 176, 24, N, N, 24, 32, 104, N, N,
	  104, 112, 120, 40, N, N, 16, 32, 48, 72, 72, 16, 32, 2,
	  0, 0, PT_LINES_LNOTAB, N, N, ~0ULL },
	{ 10, 0, 32, 0, 8, 8, 176, 24, N, N, 24, 32, 96, N, N,
	  104, 112, 120, 40, N, N, 16, 32, 48, 72, 72, 16, 32, 2,
	  0, 0, PT_LINES_310, N, N, ~0ULL },
	{ 11, 0, 40, 0, 16, 8, 152, N, 56, 8, 48, 32, N, 56, 69,
	  112, 128, 136, 72, 184, 168, 16, 32, 48, 72, 72, 16, 32, 2,
	  1, 0, PT_LINES_311, N, N, ~0ULL },
	{ 12, 0, 40, 0, 72, 8, 136, N, 56, 0, 8, 0, N, 56, 70,
	  112, 128, 136, 68, 192, 176, 16, 32, 40, 56, 56, 16, 32, 2,
	  1, 3, PT_LINES_311, N, N, ~0ULL },
	{ 13, 0, 632, 7264, 7344, 8, 152, 72, N, N, 8, 0, N, 56, 70,
	  112, 128, 136, 68, 200, 184, 16, 32, 40, 56, 56, 16, 32, 2,
	  1, 3, PT_LINES_311, N, N, ~0ULL },
	{ 14, 0, 808, 7272, 7344, 8, 152, 72, N, N, 8, 0, N, 56, 74,
	  112, 128, 136, 68, 208, 192, 16, 32, 40, 56, 56, 16, 32, 2,
	  1, 3, PT_LINES_311, N, N, ~3ULL },
	/* Table 5: free-threaded, object header 32 bytes. */
	{ 13, 1, 632, 7264, 7344, 8, 152, 72, N, N, 8, 0, N, 56, 70,
	  128, 144, 152, 84, 216, 200, 32, 48, 56, 72, 72, 32, 48, 2,
	  1, 3, PT_LINES_311, N, N, ~0ULL },
	{ 14, 1, 808, 7272, 7344, 8, 152, 72, N, N, 8, 0, N, 56, 78,
	  128, 144, 152, 84, 232, 208, 32, 48, 56, 72, 72, 32, 48, 8,
	  1, 3, PT_LINES_311, 72, 224, ~3ULL },
};

static void check_version(const struct ref *r)
{
	const struct layout_entry *e = layout_find(3, r->minor, r->ft);
	const struct pt_layout *l;

	CHECK(e != NULL);
	if (!e)
		return;
	printf("  3.%u%s from %s\n", r->minor, r->ft ? "t" : "", e->headers);
	l = &e->layout;
	CHECK_INT(e->major, 3);
	CHECK_INT(e->minor, r->minor);
	CHECK_INT(e->free_threaded, r->ft);
	CHECK_INT(l->rt_interp_head, r->rt_interp_head);
	CHECK_INT(l->interp_next, r->interp_next);
	CHECK_INT(l->interp_threads_head, r->interp_threads_head);
	CHECK_INT(l->ts_next, r->ts_next);
	CHECK_INT(l->ts_thread_id, r->ts_thread_id);
	CHECK_INT(l->ts_frame, r->ts_frame);
	CHECK_INT(l->ts_cframe, r->ts_cframe);
	CHECK_INT(l->cframe_frame, r->cframe_frame);
	CHECK_INT(l->fr_back, r->fr_back);
	CHECK_INT(l->fr_code, r->fr_code);
	CHECK_INT(l->fr_lasti, r->fr_lasti);
	CHECK_INT(l->fr_instr, r->fr_instr);
	CHECK_INT(l->fr_owner, r->fr_owner);
	CHECK_INT(l->co_filename, r->co_filename);
	CHECK_INT(l->co_name, r->co_name);
	CHECK_INT(l->co_linetable, r->co_linetable);
	CHECK_INT(l->co_firstlineno, r->co_firstlineno);
	CHECK_INT(l->co_code_adaptive, r->co_code_adaptive);
	CHECK_INT(l->co_firsttraceable, r->co_firsttraceable);
	CHECK_INT(l->str_length, r->str_length);
	CHECK_INT(l->str_state, r->str_state);
	CHECK_INT(l->str_ascii_data, r->str_ascii_data);
	CHECK_INT(l->str_compact_data, r->str_compact_data);
	CHECK_INT(l->str_data, r->str_data);
	CHECK_INT(l->bytes_size, r->bytes_size);
	CHECK_INT(l->bytes_data, r->bytes_data);
	CHECK_INT(l->str_state_shift, r->shift);
	CHECK_INT(l->owner_generator, r->owner_generator);
	CHECK_INT(l->owner_skip_min, r->owner_skip_min);
	CHECK_INT(l->line_format, r->line_format);
	CHECK_INT(l->fr_tlbc_index, r->fr_tlbc_index);
	CHECK_INT(l->co_tlbc, r->co_tlbc);
	CHECK(l->code_ptr_mask == r->mask);
	CHECK_INT(e->dbg.size != 0, r->minor >= 13);
}

/* Where _Py_DebugOffsets keeps a layout field in an entry, or -1. */
static int dbg_pos(const struct layout_entry *e, uint16_t field)
{
	if (!e->dbg.size)
		return -1;
	for (const struct dbg_field *f = e->dbg.f; f->field != PT_LF_END; f++)
		if (f->field == field)
			return f->pos;
	return -1;
}

/* Table 6 of the reference: positions inside _Py_DebugOffsets. */
static void check_debug_positions(void)
{
	const struct layout_entry *e13 = layout_find(3, 13, false);
	const struct layout_entry *e14 = layout_find(3, 14, false);
	const struct layout_entry *e14t = layout_find(3, 14, true);

	CHECK(e13 && e14 && e14t);
	if (!e13 || !e14 || !e14t)
		return;
	CHECK_INT(e13->dbg.size, 584);
	CHECK_INT(e14->dbg.size, 760);
	CHECK_INT(dbg_pos(e13, PT_LF(rt_interp_head)), 40);
	CHECK_INT(dbg_pos(e14, PT_LF(rt_interp_head)), 40);
	CHECK_INT(dbg_pos(e13, PT_LF(interp_next)), 64);
	CHECK_INT(dbg_pos(e13, PT_LF(interp_threads_head)), 72);
	CHECK_INT(dbg_pos(e14, PT_LF(interp_threads_head)), 72);
	CHECK_INT(dbg_pos(e13, PT_LF(ts_next)), 168);
	CHECK_INT(dbg_pos(e13, PT_LF(ts_frame)), 184);
	CHECK_INT(dbg_pos(e13, PT_LF(ts_thread_id)), 192);
	CHECK_INT(dbg_pos(e14, PT_LF(ts_next)), 192);
	CHECK_INT(dbg_pos(e14, PT_LF(ts_frame)), 208);
	CHECK_INT(dbg_pos(e14, PT_LF(ts_thread_id)), 216);
	CHECK_INT(dbg_pos(e13, PT_LF(fr_back)), 232);
	CHECK_INT(dbg_pos(e13, PT_LF(fr_code)), 240);
	CHECK_INT(dbg_pos(e13, PT_LF(fr_instr)), 248);
	CHECK_INT(dbg_pos(e13, PT_LF(fr_owner)), 264);
	CHECK_INT(dbg_pos(e14, PT_LF(fr_back)), 256);
	CHECK_INT(dbg_pos(e14, PT_LF(fr_code)), 264);
	CHECK_INT(dbg_pos(e14, PT_LF(fr_instr)), 272);
	CHECK_INT(dbg_pos(e14, PT_LF(fr_owner)), 288);
	CHECK_INT(dbg_pos(e13, PT_LF(co_filename)), 280);
	CHECK_INT(dbg_pos(e13, PT_LF(co_name)), 296);	/* qualname */
	CHECK_INT(dbg_pos(e13, PT_LF(co_linetable)), 304);
	CHECK_INT(dbg_pos(e13, PT_LF(co_firstlineno)), 312);
	CHECK_INT(dbg_pos(e13, PT_LF(co_code_adaptive)), 344);
	CHECK_INT(dbg_pos(e14, PT_LF(co_filename)), 320);
	CHECK_INT(dbg_pos(e14, PT_LF(co_name)), 336);
	CHECK_INT(dbg_pos(e14, PT_LF(co_linetable)), 344);
	CHECK_INT(dbg_pos(e14, PT_LF(co_firstlineno)), 352);
	CHECK_INT(dbg_pos(e14, PT_LF(co_code_adaptive)), 384);
	CHECK_INT(dbg_pos(e13, PT_LF(bytes_size)), 520);
	CHECK_INT(dbg_pos(e13, PT_LF(bytes_data)), 528);
	CHECK_INT(dbg_pos(e14, PT_LF(bytes_size)), 600);
	CHECK_INT(dbg_pos(e14, PT_LF(bytes_data)), 608);
	CHECK_INT(dbg_pos(e13, PT_LF(str_state)), 544);
	CHECK_INT(dbg_pos(e13, PT_LF(str_length)), 552);
	CHECK_INT(dbg_pos(e13, PT_LF(str_ascii_data)), 560);
	CHECK_INT(dbg_pos(e14, PT_LF(str_state)), 624);
	CHECK_INT(dbg_pos(e14, PT_LF(str_length)), 632);
	CHECK_INT(dbg_pos(e14, PT_LF(str_ascii_data)), 640);
	/* Thread-local bytecode only in the free-threaded build. */
	CHECK_INT(dbg_pos(e14, PT_LF(fr_tlbc_index)), -1);
	CHECK_INT(dbg_pos(e14t, PT_LF(fr_tlbc_index)), 304);
	CHECK_INT(dbg_pos(e14t, PT_LF(co_tlbc)), 392);
}

/* ---- synthetic _Py_DebugOffsets images ------------------------------------ */

static uint8_t img[4096];

static void put(size_t pos, uint64_t v)
{
	memcpy(img + pos, &v, sizeof(v));
}

/*
 * A 3.14 image as the reference lays it out (table 6), holding the values
 * of the 3.14t build (tables 1, 5): what a free-threaded process shows.
 */
static void make_314(int ft)
{
	memset(img, 0, sizeof(img));
	memcpy(img, "xdebugpy", 8);
	put(8, 0x030e07f0);		/* 3.14.7 final */
	put(16, (uint64_t)ft);
	put(24, 2000);			/* runtime_state.size */
	put(40, 808);
	put(48, 8000);			/* interpreter_state.size */
	put(64, 7272);
	put(72, 7344);
	put(176, 832);			/* thread_state.size */
	put(192, 8);
	put(208, 72);
	put(216, 152);
	put(248, 88);			/* interpreter_frame.size */
	put(256, 8);
	put(264, 0);
	put(272, 56);
	put(288, ft ? 78 : 74);
	put(304, ft ? 72 : 0);		/* tlbc_index */
	put(312, 240);			/* code_object.size */
	put(320, ft ? 128 : 112);
	put(336, ft ? 144 : 128);
	put(344, ft ? 152 : 136);
	put(352, ft ? 84 : 68);
	put(384, ft ? 232 : 208);
	put(392, ft ? 224 : 0);		/* co_tlbc */
	put(592, ft ? 56 : 40);		/* bytes_object.size */
	put(600, ft ? 32 : 16);
	put(608, ft ? 48 : 32);
	put(616, 80);			/* unicode_object.size */
	put(624, ft ? 48 : 32);
	put(632, ft ? 32 : 16);
	put(640, ft ? 56 : 40);
}

static int apply(const struct layout_entry *e, struct pt_layout *l,
		 unsigned *changed, char *why)
{
	*l = e->layout;
	return layout_apply_debug_offsets(e, img, e->dbg.size, l, changed, why,
					  200);
}

static void check_apply(void)
{
	const struct layout_entry *e = layout_find(3, 14, false);
	const struct layout_entry *et = layout_find(3, 14, true);
	struct pt_layout l;
	unsigned changed;
	char why[200];

	if (!e || !et) {
		CHECK(!"3.14 entries");
		return;
	}
	/* The release's own numbers: accepted, nothing changes. */
	make_314(0);
	CHECK_INT(apply(e, &l, &changed, why), 0);
	CHECK_INT(changed, 0);
	CHECK(!memcmp(&l, &e->layout, sizeof(l)));
	make_314(1);
	CHECK_INT(apply(et, &l, &changed, why), 0);
	CHECK_INT(changed, 0);
	CHECK_INT(l.fr_tlbc_index, 72);
	CHECK_INT(l.co_tlbc, 224);
	CHECK_INT(l.str_state_shift, 8);	/* from the table */

	/* A custom build that moved a field: the live value wins. */
	make_314(0);
	put(208, 80);
	put(320, 120);
	CHECK_INT(apply(e, &l, &changed, why), 0);
	CHECK_INT(changed, 2);
	CHECK_INT(l.ts_frame, 80);
	CHECK_INT(l.co_filename, 120);
	CHECK_INT(l.co_name, 128);

	/* What must be refused, each with a reason. */
	make_314(1);			/* free-threaded image, GIL entry */
	CHECK_INT(apply(e, &l, &changed, why), -1);
	CHECK(strstr(why, "free_threaded") != NULL);
	make_314(0);
	img[0] = 'X';
	CHECK_INT(apply(e, &l, &changed, why), -1);
	CHECK(strstr(why, "cookie") != NULL);
	make_314(0);
	put(8, 0x030d00f0);		/* says 3.13 */
	CHECK_INT(apply(e, &l, &changed, why), -1);
	CHECK(strstr(why, "version") != NULL);
	make_314(0);
	put(16, 7);			/* free_threaded neither 0 nor 1 */
	CHECK_INT(apply(e, &l, &changed, why), -1);
	make_314(0);
	put(208, 900);			/* current_frame beyond thread_state */
	CHECK_INT(apply(e, &l, &changed, why), -1);
	CHECK(strstr(why, "no sense") != NULL);
	make_314(0);
	put(176, 0);			/* a zero struct size */
	CHECK_INT(apply(e, &l, &changed, why), -1);
	make_314(0);
	put(176, UINT64_MAX);		/* an absurd one */
	CHECK_INT(apply(e, &l, &changed, why), -1);
	make_314(0);
	put(264, UINT64_MAX - 3);	/* wraps around when the width is added */
	CHECK_INT(apply(e, &l, &changed, why), -1);
	make_314(0);
	put(312, 1000);
	put(320, 600);			/* inside the code object, but beyond
					   what the walker reads of it */
	CHECK_INT(apply(e, &l, &changed, why), -1);
	CHECK(strstr(why, "beyond") != NULL);
	make_314(0);			/* too short a buffer */
	l = e->layout;
	CHECK_INT(layout_apply_debug_offsets(e, img, 100, &l, &changed, why,
					     sizeof(why)), -1);
	/* No debug offsets before 3.13. */
	l = layout_find(3, 12, false)->layout;
	CHECK_INT(layout_apply_debug_offsets(layout_find(3, 12, false), img,
					     sizeof(img), &l, &changed, why,
					     sizeof(why)), -1);
}

int main(void)
{
	const struct layout_entry *all;
	size_t n = layout_all(&all);

	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++)
		check_version(&refs[i]);
	check_debug_positions();
	check_apply();

	/* 3.7 to 3.15, free-threaded from 3.13, and every entry passes the
	 * walker's own bounds check. */
	CHECK_INT(n, 12);
	for (size_t i = 0; i < n; i++) {
		char why[200];

		CHECK_INT(all[i].major, 3);
		CHECK(all[i].minor >= 7 && all[i].minor <= 15);
		CHECK(!all[i].free_threaded || all[i].minor >= 13);
		CHECK_INT(layout_check(&all[i].layout, why, sizeof(why)), 0);
	}
	CHECK(layout_find(3, 15, false) != NULL);
	CHECK(layout_find(3, 15, true) != NULL);
	CHECK(layout_find(3, 12, true) == NULL);
	CHECK(layout_find(3, 6, false) == NULL);
	CHECK(layout_find(3, 16, false) == NULL);
	CHECK(layout_find(2, 7, false) == NULL);
	CHECK(layout_find(4, 11, false) == NULL);
	return check_done("layouts");
}
