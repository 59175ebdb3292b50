// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Memory mapping arguments: mmap, mprotect, mremap, madvise. */
#include <sys/mman.h>

#include "decode_priv.h"
#include "syscalls.h"

/* The kernel's values; some are not in every libc's headers. */
#define K_PROT_SEM 0x8
#define K_MAP_SHARED_VALIDATE 0x3
#define K_MAP_TYPE 0xf
#define K_MAP_SYNC 0x80000
#define K_MAP_FIXED_NOREPLACE 0x100000
#define K_MAP_UNINITIALIZED 0x4000000
#define K_MREMAP_DONTUNMAP 4

static const struct flag prots[] = {
	FLAG(PROT_READ), FLAG(PROT_WRITE), FLAG(PROT_EXEC),
	{ K_PROT_SEM, "PROT_SEM" }, FLAG(PROT_GROWSDOWN), FLAG(PROT_GROWSUP),
};

static const struct flag map_types[] = {
	FLAG(MAP_SHARED), FLAG(MAP_PRIVATE),
	{ K_MAP_SHARED_VALIDATE, "MAP_SHARED_VALIDATE" },
};

static const struct flag map_flags[] = {
	FLAG(MAP_FIXED), FLAG(MAP_ANONYMOUS), FLAG(MAP_32BIT),
	FLAG(MAP_GROWSDOWN), FLAG(MAP_DENYWRITE), FLAG(MAP_EXECUTABLE),
	FLAG(MAP_LOCKED), FLAG(MAP_NORESERVE), FLAG(MAP_POPULATE),
	FLAG(MAP_NONBLOCK), FLAG(MAP_STACK), FLAG(MAP_HUGETLB),
	{ K_MAP_SYNC, "MAP_SYNC" },
	{ K_MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE" },
	{ K_MAP_UNINITIALIZED, "MAP_UNINITIALIZED" },
};

static const struct flag mremap_flags[] = {
	FLAG(MREMAP_MAYMOVE), FLAG(MREMAP_FIXED),
	{ K_MREMAP_DONTUNMAP, "MREMAP_DONTUNMAP" },
};

static const struct flag madvices[] = {
	{ 0, "MADV_NORMAL" }, { 1, "MADV_RANDOM" }, { 2, "MADV_SEQUENTIAL" },
	{ 3, "MADV_WILLNEED" }, { 4, "MADV_DONTNEED" }, { 8, "MADV_FREE" },
	{ 9, "MADV_REMOVE" }, { 10, "MADV_DONTFORK" }, { 11, "MADV_DOFORK" },
	{ 12, "MADV_MERGEABLE" }, { 13, "MADV_UNMERGEABLE" },
	{ 14, "MADV_HUGEPAGE" }, { 15, "MADV_NOHUGEPAGE" },
	{ 16, "MADV_DONTDUMP" }, { 17, "MADV_DODUMP" },
	{ 18, "MADV_WIPEONFORK" }, { 19, "MADV_KEEPONFORK" },
	{ 20, "MADV_COLD" }, { 21, "MADV_PAGEOUT" },
	{ 22, "MADV_POPULATE_READ" }, { 23, "MADV_POPULATE_WRITE" },
	{ 24, "MADV_DONTNEED_LOCKED" }, { 25, "MADV_COLLAPSE" },
	{ 100, "MADV_HWPOISON" }, { 101, "MADV_SOFT_OFFLINE" },
};

static void print_prot(struct sbuf *out, uint32_t v)
{
	if (!v)
		sb_puts(out, "PROT_NONE");
	else
		print_flags(out, prots, ARRAY_LEN(prots), v, "PROT_???");
}

/* The mapping type is a value, the rest are bits: MAP_PRIVATE|MAP_FIXED. */
static void print_mmap_flags(struct sbuf *out, uint32_t v)
{
	uint32_t rest = v & ~(uint32_t)K_MAP_TYPE;

	print_xval(out, map_types, ARRAY_LEN(map_types), v & K_MAP_TYPE,
		   "MAP_???");
	if (rest) {
		sb_putc(out, '|');
		print_flags(out, map_flags, ARRAY_LEN(map_flags), rest, NULL);
	}
}

bool put_mem_arg(struct sbuf *out, const struct sc_call *c, unsigned i,
		 unsigned type)
{
	uint32_t v = (uint32_t)c->args[i];

	switch (type) {
	case A_PROT:
		print_prot(out, v);
		return true;
	case A_MMAP_FLAGS:
		print_mmap_flags(out, v);
		return true;
	case A_MREMAP_FLAGS:
		print_flags(out, mremap_flags, ARRAY_LEN(mremap_flags), v,
			    "MREMAP_???");
		return true;
	case A_MREMAP_ADDR:
		print_ptr(out, c->args[i]);
		return true;
	case A_MADVICE:
		print_xval(out, madvices, ARRAY_LEN(madvices), v, "MADV_???");
		return true;
	default:
		return false;
	}
}
