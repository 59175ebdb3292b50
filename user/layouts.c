// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdio.h>
#include <string.h>

#include "layouts.h"

#include "layouts_gen.h"

#define N_LAYOUTS (sizeof(layout_table) / sizeof(layout_table[0]))

const struct layout_entry *layout_find(unsigned major, unsigned minor,
				       bool free_threaded)
{
	for (size_t i = 0; i < N_LAYOUTS; i++) {
		const struct layout_entry *e = &layout_table[i];

		if (e->major == major && e->minor == minor &&
		    e->free_threaded == free_threaded)
			return e;
	}
	return NULL;
}

size_t layout_all(const struct layout_entry **out)
{
	*out = layout_table;
	return N_LAYOUTS;
}

static uint64_t get_u64(const uint8_t *b, size_t pos)
{
	uint64_t v;

	memcpy(&v, b + pos, sizeof(v));
	return v;
}

static uint16_t *field_of(struct pt_layout *l, uint16_t off)
{
	return (uint16_t *)((char *)l + off);
}

int layout_apply_debug_offsets(const struct layout_entry *e, const void *buf,
			       size_t len, struct pt_layout *l,
			       unsigned *changed, char *why, size_t whylen)
{
	const uint8_t *b = buf;
	uint64_t version, ft;

	*changed = 0;
	if (!e->dbg.size || len < e->dbg.size) {
		snprintf(why, whylen, "no _Py_DebugOffsets for %u.%u",
			 e->major, e->minor);
		return -1;
	}
	if (memcmp(b, "xdebugpy", 8)) {
		snprintf(why, whylen, "_Py_DebugOffsets cookie missing");
		return -1;
	}
	version = get_u64(b, 8);
	ft = get_u64(b, 16);
	if ((version >> 24) != e->major || ((version >> 16) & 0xff) != e->minor) {
		snprintf(why, whylen,
			 "_Py_DebugOffsets says version 0x%llx, not %u.%u",
			 (unsigned long long)version, e->major, e->minor);
		return -1;
	}
	if (ft > 1 || (ft == 1) != e->free_threaded) {
		snprintf(why, whylen,
			 "_Py_DebugOffsets free_threaded is %llu, not %d",
			 (unsigned long long)ft, e->free_threaded);
		return -1;
	}
	for (const struct dbg_field *f = e->dbg.f; f->field != PT_LF_END; f++) {
		uint64_t v, bound;

		if ((size_t)f->pos + 8 > e->dbg.size ||
		    (size_t)f->bound + 8 > e->dbg.size ||
		    f->field + sizeof(uint16_t) > sizeof(*l))
			continue;	/* a broken table entry: keep ours */
		v = get_u64(b, f->pos);
		bound = get_u64(b, f->bound);
		if (bound == 0 || bound > (1u << 20) ||
		    (f->width ? v + f->width > bound : v > bound) ||
		    v >= PT_NOFF) {
			snprintf(why, whylen,
				 "_Py_DebugOffsets makes no sense: value %llu at "
				 "%u, struct size %llu", (unsigned long long)v,
				 f->pos, (unsigned long long)bound);
			return -1;
		}
		if (*field_of(l, f->field) != (uint16_t)v)
			(*changed)++;
		*field_of(l, f->field) = (uint16_t)v;
	}
	return layout_check(l, why, whylen);
}

int layout_check(const struct pt_layout *l, char *why, size_t whylen)
{
	/* Fields read from an object chunk, with the bytes read there. */
	static const struct {
		uint16_t field;
		uint8_t width;
	} in_chunk[] = {
		{ PT_LF(fr_back), 8 },	     { PT_LF(fr_code), 8 },
		{ PT_LF(fr_lasti), 4 },	     { PT_LF(fr_instr), 8 },
		{ PT_LF(fr_owner), 1 },	     { PT_LF(fr_tlbc_index), 4 },
		{ PT_LF(co_filename), 8 },   { PT_LF(co_name), 8 },
		{ PT_LF(co_linetable), 8 },  { PT_LF(co_firstlineno), 4 },
		{ PT_LF(co_firsttraceable), 4 }, { PT_LF(co_tlbc), 8 },
		{ PT_LF(str_length), 8 },    { PT_LF(str_state), 8 },
		{ PT_LF(bytes_size), 8 },    { PT_LF(bytes_data), 16 },
	};

	for (size_t i = 0; i < sizeof(in_chunk) / sizeof(in_chunk[0]); i++) {
		uint16_t v;

		memcpy(&v, (const char *)l + in_chunk[i].field, sizeof(v));
		if (v != PT_NOFF && v + in_chunk[i].width > PT_OBJ_READ) {
			snprintf(why, whylen,
				 "offset %u is beyond the %d bytes read of an object",
				 v, PT_OBJ_READ);
			return -1;
		}
	}
	return 0;
}
