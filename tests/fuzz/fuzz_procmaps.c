// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * /proc/PID/maps text.  Besides memory errors, checks what the parser
 * promises: every mapping it keeps is a non-empty range, its path is a
 * NUL-terminated string inside the text, and procmaps_find() finds it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "procmaps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct procmaps m = {};
	char *text = malloc(size + 1);	/* text[len] must be writable */
	bool sorted = true;

	if (!text)
		return 0;
	memcpy(text, data, size);
	if (procmaps_parse(text, size, &m)) {
		free(m.v);
		free(text);
		return 0;
	}
	m.text = text;		/* procmaps_free() frees it */
	if (m.n + m.skipped > size + 1)
		abort();
	for (size_t i = 0; i < m.n; i++)
		sorted &= i == 0 || m.v[i - 1].end <= m.v[i].start;
	for (size_t i = 0; i < m.n; i++) {
		const struct procmap *v = &m.v[i];

		if (v->start >= v->end || v->path < text ||
		    v->path > text + size ||
		    !memchr(v->path, '\0', (size_t)(text + size + 1 - v->path)))
			abort();
		/* Lookups are for sorted maps, as the kernel writes them;
		 * on any other input they must still stay inside v[]. */
		if (procmaps_find(&m, v->start) != v && sorted)
			abort();
		if (procmaps_find(&m, v->end - 1) != v && sorted)
			abort();
		procmaps_find(&m, v->end);
	}
	procmaps_free(&m);
	return 0;
}
