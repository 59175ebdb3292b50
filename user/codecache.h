/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What user space knows of the target's code objects, from code records.
 *
 * The key is (tgid, generation, address), and an entry answers only to the
 * fp its code record carried: the number of that record where the BPF side
 * learns of code objects freed (--code-check=uprobe), else a fingerprint of
 * the object's immutable fields.  Either way a code object freed and another
 * sent from the same address replaces the entry, and a frame that still
 * names the old one finds nothing rather than the wrong names.  A
 * generation changes at exec, so a new image never sees the old one's
 * entries.
 */
#ifndef PT_CODECACHE_H
#define PT_CODECACHE_H

#include <stddef.h>
#include <stdint.h>

#include "pytrace.h"

struct code_info {
	char *filename;		/* UTF-8 */
	char *name;		/* UTF-8, qualified where the version has it */
	uint8_t *linetable;
	uint32_t linetable_len;
	int32_t firstlineno;
	uint8_t line_format;	/* enum pt_line_format */
	uint8_t linetable_trunc;	/* cut at PT_LINETABLE_MAX bytes */
	uint8_t linetable_fault;	/* unreadable: linetable_len is 0 */
	/* last lookup, since loops hit the same instruction again and again */
	int32_t memo_instr;
	int32_t memo_line;
	uint8_t memo_set;	/* memo_* hold a lookup */
	/* the file and function parts of a frame line, escaped for the output
	 * format once (the printer builds it; freed with the entry) */
	char *shown_file;
	char *shown_name;
};

struct codecache;

/* Whatever the entry count, the cache holds at most about this much. */
#define CODECACHE_MAX_BYTES (24u << 20)

/* evict(key) is called for every entry dropped to stay within max_entries
 * (the least recently added or found by codecache_get()), so the BPF side's
 * map of code it already sent can forget it too. */
typedef void (*codecache_evict_fn)(void *ctx, const struct pt_code_key *key);

struct codecache *codecache_new(size_t max_entries, codecache_evict_fn evict,
				void *ctx);
void codecache_free(struct codecache *c);
/* Lowers (or raises) the byte budget; evicts at the next add. */
void codecache_set_max_bytes(struct codecache *c, size_t max_bytes);

/* Adds (or replaces) the entry a code record describes.  Returns 0, or -1
 * if the record is malformed or memory ran out. */
int codecache_add(struct codecache *c, const struct pt_code *rec, size_t size);
/* Finding an entry makes it the most recently used. */
struct code_info *codecache_get(struct codecache *c, uint32_t tgid,
				uint32_t gen, uint64_t code, uint64_t fp);
/* Line for an instruction of a cached code object (-1 if unknown, which
 * includes positions a cut or unreadable line table does not cover). */
int code_line(struct code_info *ci, int32_t instr);
/* Drops every entry of a process, at exit or exec, in O(its entries);
 * evict is not called for them. */
void codecache_drop_proc(struct codecache *c, uint32_t tgid);
size_t codecache_size(const struct codecache *c);

#endif
