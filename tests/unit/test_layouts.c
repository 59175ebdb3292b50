// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Cross-check of two independent sources: the generated layout table
 * (offsetof against real headers) against the numbers typed here from
 * the project's shared reference, cpython-internals.md (tables 1-4, marked
 * C L / X there: compiled, read live and checked against DWARF).
 */
#include "check.h"
#include "layouts.h"

#define N PT_NOFF

/* One row per version, fields in the order of struct ref below. */
struct ref {
	unsigned minor;
	unsigned rt_interp_head, interp_next, interp_threads_head, ts_next,
		ts_thread_id, ts_frame, ts_cframe, cframe_frame;
	unsigned fr_back, fr_code, fr_lasti, fr_instr, fr_owner;
	unsigned co_filename, co_name, co_linetable, co_firstlineno,
		co_code_adaptive, co_firsttraceable;
	unsigned str_ascii_data, str_compact_data, str_data;
	unsigned owner_generator, owner_skip_min, line_format;
};

static const struct ref refs[] = {
	{ 7, 24, 0, 8, 8, 176, 24, N, N, 24, 32, 104, N, N,
	  96, 104, 112, 36, N, N, 48, 72, 72, 0, 0, PT_LINES_LNOTAB },
	{ 8, 32, 0, 8, 8, 176, 24, N, N, 24, 32, 104, N, N,
	  104, 112, 120, 40, N, N, 48, 72, 72, 0, 0, PT_LINES_LNOTAB },
	{ 9, 32, 0, 8, 8, 176, 24, N, N, 24, 32, 104, N, N,
	  104, 112, 120, 40, N, N, 48, 72, 72, 0, 0, PT_LINES_LNOTAB },
	{ 10, 32, 0, 8, 8, 176, 24, N, N, 24, 32, 96, N, N,
	  104, 112, 120, 40, N, N, 48, 72, 72, 0, 0, PT_LINES_310 },
	{ 11, 40, 0, 16, 8, 152, N, 56, 8, 48, 32, N, 56, 69,
	  112, 128, 136, 72, 184, 168, 48, 72, 72, 1, 0, PT_LINES_311 },
	{ 12, 40, 0, 72, 8, 136, N, 56, 0, 8, 0, N, 56, 70,
	  112, 128, 136, 68, 192, 176, 40, 56, 56, 1, 3, PT_LINES_311 },
	{ 13, 632, 7264, 7344, 8, 152, 72, N, N, 8, 0, N, 56, 70,
	  112, 128, 136, 68, 200, 184, 40, 56, 56, 1, 3, PT_LINES_311 },
};

static void check_version(const struct ref *r)
{
	const struct layout_entry *e = layout_find(3, r->minor);
	const struct pt_layout *l;

	CHECK(e != NULL);
	if (!e)
		return;
	l = &e->layout;
	CHECK_INT(e->major, 3);
	CHECK_INT(e->minor, r->minor);
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
	/* Table 4: the same in every version but the object sizes. */
	CHECK_INT(l->str_length, 16);
	CHECK_INT(l->str_state, 32);
	CHECK_INT(l->str_ascii_data, r->str_ascii_data);
	CHECK_INT(l->str_compact_data, r->str_compact_data);
	CHECK_INT(l->str_data, r->str_data);
	CHECK_INT(l->bytes_size, 16);
	CHECK_INT(l->bytes_data, 32);
	CHECK_INT(l->str_state_shift, 2);
	CHECK_INT(l->owner_generator, r->owner_generator);
	CHECK_INT(l->owner_skip_min, r->owner_skip_min);
	CHECK_INT(l->line_format, r->line_format);
	CHECK(l->code_ptr_mask == ~0ULL);
}

int main(void)
{
	const struct layout_entry *all;
	size_t n = layout_all(&all);

	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++)
		check_version(&refs[i]);

	/* Exactly 3.7 to 3.13, oldest first, and nothing else. */
	CHECK_INT(n, 7);
	for (size_t i = 0; i < n; i++) {
		CHECK_INT(all[i].major, 3);
		CHECK_INT(all[i].minor, 7 + i);
	}
	CHECK(layout_find(3, 6) == NULL);
	CHECK(layout_find(3, 14) == NULL);
	CHECK(layout_find(2, 7) == NULL);
	CHECK(layout_find(4, 11) == NULL);
	return check_done("layouts");
}
