// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ELF files: the fuzz bytes become a file (a memfd, a regular file as
 * /proc/PID/map_files would give) and go through everything pytrace asks
 * of an image: symbols, PT_LOAD segments, load bias, DT_SONAME/DT_NEEDED,
 * reads and relocated pointers at virtual addresses.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "elfsym.h"

static int file_of(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-elf", MFD_CLOEXEC);
	size_t off = 0;

	if (fd < 0)
		return -1;
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);

		if (n <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	return fd;
}

static void read_around(struct elfsym *e, uint64_t vaddr, uint64_t size)
{
	uint8_t buf[64];
	size_t n = size < sizeof(buf) ? (size_t)size : sizeof(buf);
	uint64_t ptr;

	elfsym_read(e, vaddr, buf, n ? n : 1);
	elfsym_read(e, vaddr + size - 1, buf, sizeof(buf));
	elfsym_read(e, vaddr - 1, buf, 2);
	if (!elfsym_ptr_at(e, vaddr, &ptr))
		elfsym_text_offset(e, ptr, &ptr);
}

static void query(struct elfsym *e)
{
	static const char *const names[] = { "_PyRuntime", "Py_Version",
					     "PY_VERSION", "PyCode_Type",
					     "main", "" };
	const struct elfsym_load *loads;
	uint64_t value, size, bias;
	size_t n;

	elfsym_class(e);
	elfsym_machine(e);
	elfsym_type(e);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!elfsym_lookup(e, names[i], ELFSYM_DYNSYM | ELFSYM_SYMTAB,
				   &value, &size))
			read_around(e, value, size);
	n = elfsym_loads(e, &loads);
	for (size_t i = 0; i < n; i++) {
		elfsym_bias(e, 0x7f0000000000ull + loads[i].offset,
			    loads[i].offset, &bias);
		read_around(e, loads[i].vaddr, loads[i].memsz);
		read_around(e, loads[i].vaddr + loads[i].filesz,
			    loads[i].memsz - loads[i].filesz);
	}
	elfsym_bias(e, 0x400000, 0, &bias);
	if (elfsym_soname(e) && strlen(elfsym_soname(e)) == (size_t)-1)
		abort();
	for (size_t i = 0; elfsym_needed(e, i); i++)
		if (strlen(elfsym_needed(e, i)) == (size_t)-1)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elfsym *e;
	int fd = file_of(data, size);

	if (fd < 0)
		return 0;
	if (elfsym_open_fd(fd, &e) == 0) {
		query(e);
		elfsym_close(e);
	}
	return 0;
}
