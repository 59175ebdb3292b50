/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The few things pytrace reads from an ELF file (libelf): symbol values, the
 * PT_LOAD segments, DT_SONAME / DT_NEEDED, bytes and relocated pointers at a
 * virtual address.
 * The file is untrusted (it belongs to a traced process): every offset and
 * size is checked against the file before use.
 */
#ifndef PT_ELFSYM_H
#define PT_ELFSYM_H

#include <stddef.h>
#include <stdint.h>

struct elfsym;

struct elfsym_load {		/* one PT_LOAD program header */
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t offset;
	uint64_t filesz;
	uint32_t flags;		/* PF_R | PF_W | PF_X */
};

/* Where elfsym_lookup() looks. */
#define ELFSYM_DYNSYM 1
#define ELFSYM_SYMTAB 2

/*
 * Opens an ELF file read-only.  elfsym_open_fd() takes over fd, also when
 * it fails.  Returns 0, or -errno (-ENOEXEC: not an ELF file libelf and
 * these checks accept).
 */
int elfsym_open(const char *path, struct elfsym **out);
int elfsym_open_fd(int fd, struct elfsym **out);
void elfsym_close(struct elfsym *e);

/* ELFCLASS32/64, e_machine (EM_X86_64...), e_type (ET_EXEC, ET_DYN). */
int elfsym_class(const struct elfsym *e);
unsigned elfsym_machine(const struct elfsym *e);
unsigned elfsym_type(const struct elfsym *e);

/*
 * A defined symbol's st_value (a file virtual address) and st_size, from
 * .dynsym then .symtab as `where` allows.  0, or -ENOENT.
 */
int elfsym_lookup(struct elfsym *e, const char *name, unsigned where,
		  uint64_t *value, uint64_t *size);

/* The PT_LOAD segments in program-header order; returns their number. */
size_t elfsym_loads(const struct elfsym *e, const struct elfsym_load **out);

/*
 * Load bias of the object, given one of its mappings: the mapping's start
 * address and the file offset it maps (as /proc/PID/maps shows them).
 * Runtime address = bias + vaddr.  0, or -ENOENT when no PT_LOAD maps that
 * offset.
 */
int elfsym_bias(const struct elfsym *e, uint64_t map_start,
		uint64_t map_offset, uint64_t *bias);

/* DT_SONAME, or NULL.  Valid until elfsym_close(). */
const char *elfsym_soname(const struct elfsym *e);

/* The i-th DT_NEEDED entry, or NULL past the last.  Valid until close. */
const char *elfsym_needed(const struct elfsym *e, size_t i);

/*
 * Copies n bytes at virtual address vaddr as the loaded image would hold
 * them (zeros past p_filesz, i.e. .bss).  0, or -ERANGE when the range is
 * not inside one PT_LOAD, or -errno from reading.
 */
int elfsym_read(const struct elfsym *e, uint64_t vaddr, void *buf, size_t n);

/*
 * The link-time value (load bias 0) of the 64-bit pointer at vaddr once the
 * object is relocated, from the file alone: the dynamic relocation at vaddr
 * (R_X86_64_RELATIVE: its addend; R_X86_64_64 / GLOB_DAT: a symbol defined
 * here plus the addend), or the file's bytes when none is there (a non-PIE
 * executable's data, a DT_RELR-packed one).  x86_64 only.  0, or -ENOENT
 * (vaddr not in the image, a pointer outside the object, a relocation we do
 * not evaluate), or -errno from reading the file.
 */
int elfsym_ptr_at(const struct elfsym *e, uint64_t vaddr, uint64_t *value);

/*
 * File offset of vaddr when an executable PT_LOAD's file bytes hold it
 * (where a uprobe can go).  0, or -ENOENT.
 */
int elfsym_text_offset(const struct elfsym *e, uint64_t vaddr, uint64_t *off);

#endif
