// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "layouts.h"

#include "layouts_gen.h"

#define N_LAYOUTS (sizeof(layout_table) / sizeof(layout_table[0]))

const struct layout_entry *layout_find(unsigned major, unsigned minor)
{
	for (size_t i = 0; i < N_LAYOUTS; i++) {
		const struct layout_entry *e = &layout_table[i];

		if (e->major == major && e->minor == minor)
			return e;
	}
	return NULL;
}

size_t layout_all(const struct layout_entry **out)
{
	*out = layout_table;
	return N_LAYOUTS;
}
