// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ELF reading with libelf.  ELF_C_READ (pread on demand, no mmap) so a file
 * that shrinks under us gives a read error rather than SIGBUS; libelf checks
 * section ranges against the file size, and everything taken from inside a
 * section (string offsets, entry sizes, counts) is checked here.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfsym.h"

#define MAX_PHDRS 4096		/* far above any real object */
#define MAX_NEEDED 1024
#define MAX_DYNAMIC (1u << 20)	/* bytes of PT_DYNAMIC we parse */
#define MAX_DYNSTR (64u << 20)

struct elfsym {
	int fd;
	Elf *elf;
	uint64_t file_size;
	int cls;
	unsigned machine, type;
	struct elfsym_load *loads;
	size_t n_loads;
	const char *soname;
	const char **needed;
	size_t n_needed;
};

/* a + b <= limit, without overflow. */
static int fits(uint64_t a, uint64_t b, uint64_t limit)
{
	return a <= limit && b <= limit - a;
}

/* A NUL-terminated string at off inside a string table, or NULL. */
static const char *table_str(const char *tab, size_t size, uint64_t off)
{
	if (!tab || off >= size || !memchr(tab + off, '\0', size - off))
		return NULL;
	return tab + off;
}

static int read_loads(struct elfsym *e)
{
	size_t n;

	if (elf_getphdrnum(e->elf, &n) || n > MAX_PHDRS)
		return -ENOEXEC;
	e->loads = calloc(n ? n : 1, sizeof(*e->loads));
	if (!e->loads)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e->elf, (int)i, &ph))
			return -ENOEXEC;
		if (ph.p_type != PT_LOAD)
			continue;
		/* A segment reaching past the file or with more file than
		 * memory bytes is not one we can map addresses through. */
		if (!fits(ph.p_offset, ph.p_filesz, e->file_size) ||
		    ph.p_filesz > ph.p_memsz ||
		    !fits(ph.p_vaddr, ph.p_memsz, UINT64_MAX))
			continue;
		e->loads[e->n_loads++] = (struct elfsym_load){
			.vaddr = ph.p_vaddr,
			.memsz = ph.p_memsz,
			.offset = ph.p_offset,
			.filesz = ph.p_filesz,
			.flags = ph.p_flags,
		};
	}
	return 0;
}

/* File offset of [vaddr, vaddr + n), when it lies in one segment's file
 * bytes.  -1 otherwise. */
static int64_t vaddr_to_offset(const struct elfsym *e, uint64_t vaddr,
			       uint64_t n)
{
	for (size_t i = 0; i < e->n_loads; i++) {
		const struct elfsym_load *l = &e->loads[i];

		if (vaddr >= l->vaddr && fits(vaddr - l->vaddr, n, l->filesz))
			return (int64_t)(l->offset + (vaddr - l->vaddr));
	}
	return -1;
}

static Elf_Data *raw_chunk(struct elfsym *e, uint64_t off, uint64_t size,
			   Elf_Type type)
{
	if (!fits(off, size, e->file_size) || size == 0)
		return NULL;
	return elf_getdata_rawchunk(e->elf, (int64_t)off, size, type);
}

/* DT_SONAME and DT_NEEDED, through PT_DYNAMIC so stripped section headers
 * do not matter. */
static int read_dynamic(struct elfsym *e)
{
	GElf_Phdr ph;
	Elf_Data *dyn = NULL, *str = NULL;
	uint64_t strtab = 0, strsz = 0, soname = UINT64_MAX;
	size_t n, ndyn, dsize;
	int64_t stroff;

	if (elf_getphdrnum(e->elf, &n))
		return 0;
	for (size_t i = 0; i < n && i < MAX_PHDRS; i++) {
		if (gelf_getphdr(e->elf, (int)i, &ph) &&
		    ph.p_type == PT_DYNAMIC) {
			if (ph.p_filesz <= MAX_DYNAMIC)
				dyn = raw_chunk(e, ph.p_offset, ph.p_filesz,
						ELF_T_DYN);
			break;
		}
	}
	if (!dyn)
		return 0;
	dsize = gelf_fsize(e->elf, ELF_T_DYN, 1, EV_CURRENT);
	ndyn = dsize ? dyn->d_size / dsize : 0;
	for (size_t i = 0; i < ndyn; i++) {
		GElf_Dyn d;

		if (!gelf_getdyn(dyn, (int)i, &d) || d.d_tag == DT_NULL)
			break;
		if (d.d_tag == DT_STRTAB)
			strtab = d.d_un.d_ptr;
		else if (d.d_tag == DT_STRSZ)
			strsz = d.d_un.d_val;
	}
	if (!strsz || strsz > MAX_DYNSTR)
		return 0;
	stroff = vaddr_to_offset(e, strtab, strsz);
	if (stroff < 0)
		return 0;
	str = raw_chunk(e, (uint64_t)stroff, strsz, ELF_T_BYTE);
	if (!str || !str->d_buf)
		return 0;
	e->needed = calloc(MAX_NEEDED, sizeof(*e->needed));
	if (!e->needed)
		return -ENOMEM;
	for (size_t i = 0; i < ndyn; i++) {
		GElf_Dyn d;
		const char *s;

		if (!gelf_getdyn(dyn, (int)i, &d) || d.d_tag == DT_NULL)
			break;
		if (d.d_tag == DT_SONAME) {
			soname = d.d_un.d_val;
		} else if (d.d_tag == DT_NEEDED && e->n_needed < MAX_NEEDED) {
			s = table_str(str->d_buf, str->d_size, d.d_un.d_val);
			if (s)
				e->needed[e->n_needed++] = s;
		}
	}
	e->soname = table_str(str->d_buf, str->d_size, soname);
	return 0;
}

int elfsym_open_fd(int fd, struct elfsym **out)
{
	struct elfsym *e;
	struct stat st;
	GElf_Ehdr eh;
	int err;

	*out = NULL;
	if (fd < 0)
		return -EBADF;
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return -ENOEXEC;
	}
	e = calloc(1, sizeof(*e));
	if (!e) {
		close(fd);
		return -ENOMEM;
	}
	e->fd = fd;
	e->file_size = (uint64_t)st.st_size;
	elf_version(EV_CURRENT);
	e->elf = elf_begin(fd, ELF_C_READ, NULL);
	err = -ENOEXEC;
	if (!e->elf || elf_kind(e->elf) != ELF_K_ELF || !gelf_getehdr(e->elf, &eh))
		goto fail;
	e->cls = gelf_getclass(e->elf);
	e->machine = eh.e_machine;
	e->type = eh.e_type;
	err = read_loads(e);
	if (err)
		goto fail;
	err = read_dynamic(e);
	if (err)
		goto fail;
	*out = e;
	return 0;
fail:
	elfsym_close(e);
	return err;
}

int elfsym_open(const char *path, struct elfsym **out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		*out = NULL;
		return -errno;
	}
	return elfsym_open_fd(fd, out);
}

void elfsym_close(struct elfsym *e)
{
	if (!e)
		return;
	if (e->elf)
		elf_end(e->elf);
	close(e->fd);
	free(e->loads);
	free(e->needed);
	free(e);
}

int elfsym_class(const struct elfsym *e)
{
	return e->cls;
}

unsigned elfsym_machine(const struct elfsym *e)
{
	return e->machine;
}

unsigned elfsym_type(const struct elfsym *e)
{
	return e->type;
}

/* Looks for name in one symbol table section. */
static int lookup_in(struct elfsym *e, Elf_Scn *scn, const GElf_Shdr *sh,
		     const char *name, uint64_t *value, uint64_t *size)
{
	size_t symsz = gelf_fsize(e->elf, ELF_T_SYM, 1, EV_CURRENT);
	size_t namelen = strlen(name);
	Elf_Scn *strscn;
	GElf_Shdr strsh;
	Elf_Data *syms, *strs;

	if (!symsz || sh->sh_entsize != symsz)
		return -ENOENT;
	strscn = elf_getscn(e->elf, sh->sh_link);
	if (!strscn || !gelf_getshdr(strscn, &strsh) ||
	    strsh.sh_type != SHT_STRTAB)
		return -ENOENT;
	syms = elf_getdata(scn, NULL);
	strs = elf_getdata(strscn, NULL);
	if (!syms || !syms->d_buf || !strs || !strs->d_buf)
		return -ENOENT;
	for (size_t i = 0; i < syms->d_size / symsz; i++) {
		GElf_Sym s;
		int type;

		if (!gelf_getsym(syms, (int)i, &s))
			break;
		type = GELF_ST_TYPE(s.st_info);
		if (s.st_shndx == SHN_UNDEF || type == STT_SECTION ||
		    type == STT_FILE || type == STT_TLS)
			continue;
		/* Compare in place: name plus its NUL must fit the table. */
		if (s.st_name >= strs->d_size ||
		    strs->d_size - s.st_name <= namelen)
			continue;
		if (memcmp((const char *)strs->d_buf + s.st_name, name,
			   namelen + 1) == 0) {
			*value = s.st_value;
			*size = s.st_size;
			return 0;
		}
	}
	return -ENOENT;
}

int elfsym_lookup(struct elfsym *e, const char *name, unsigned where,
		  uint64_t *value, uint64_t *size)
{
	static const struct {
		unsigned flag;
		Elf64_Word type;
	} order[] = { { ELFSYM_DYNSYM, SHT_DYNSYM }, { ELFSYM_SYMTAB, SHT_SYMTAB } };

	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		Elf_Scn *scn = NULL;

		if (!(where & order[k].flag))
			continue;
		while ((scn = elf_nextscn(e->elf, scn))) {
			GElf_Shdr sh;

			if (!gelf_getshdr(scn, &sh) || sh.sh_type != order[k].type)
				continue;
			if (!lookup_in(e, scn, &sh, name, value, size))
				return 0;
		}
	}
	return -ENOENT;
}

size_t elfsym_loads(const struct elfsym *e, const struct elfsym_load **out)
{
	*out = e->loads;
	return e->n_loads;
}

int elfsym_bias(const struct elfsym *e, uint64_t map_start,
		uint64_t map_offset, uint64_t *bias)
{
	long ps = sysconf(_SC_PAGESIZE);
	uint64_t mask = ~((uint64_t)(ps > 0 ? ps : 4096) - 1);

	/* The loader maps each segment from its page-aligned offset to its
	 * page-aligned address; the first segment holding the offset wins, so
	 * pass the offset-0 mapping when there is one. */
	for (size_t i = 0; i < e->n_loads; i++) {
		const struct elfsym_load *l = &e->loads[i];
		uint64_t off0 = l->offset & mask, va0 = l->vaddr & mask;

		if (map_offset < off0 || map_offset >= l->offset + l->filesz)
			continue;
		*bias = map_start - (va0 + (map_offset - off0));
		return 0;
	}
	return -ENOENT;
}

const char *elfsym_soname(const struct elfsym *e)
{
	return e->soname;
}

const char *elfsym_needed(const struct elfsym *e, size_t i)
{
	return i < e->n_needed ? e->needed[i] : NULL;
}

int elfsym_read(const struct elfsym *e, uint64_t vaddr, void *buf, size_t n)
{
	for (size_t i = 0; i < e->n_loads; i++) {
		const struct elfsym_load *l = &e->loads[i];
		uint64_t rel, from_file;
		size_t done = 0;

		if (vaddr < l->vaddr || !fits(vaddr - l->vaddr, n, l->memsz))
			continue;
		rel = vaddr - l->vaddr;
		from_file = rel < l->filesz ? l->filesz - rel : 0;
		if (from_file > n)
			from_file = n;
		while (done < from_file) {
			ssize_t r = pread(e->fd, (char *)buf + done,
					  from_file - done,
					  (off_t)(l->offset + rel + done));

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				return r < 0 ? -errno : -EIO;
			done += (size_t)r;
		}
		memset((char *)buf + from_file, 0, n - from_file);
		return 0;
	}
	return -ERANGE;
}

/* st_value of symbol i of the symbol table in section link, when the
 * object defines it (not TLS, not an ifunc resolver). */
static int defined_symbol(const struct elfsym *e, size_t link, uint64_t i,
			  uint64_t *value)
{
	size_t symsz = gelf_fsize(e->elf, ELF_T_SYM, 1, EV_CURRENT);
	Elf_Scn *scn = elf_getscn(e->elf, link);
	GElf_Shdr sh;
	Elf_Data *d;
	GElf_Sym s;
	int type;

	if (!scn || !gelf_getshdr(scn, &sh) || !symsz ||
	    sh.sh_entsize != symsz ||
	    (sh.sh_type != SHT_DYNSYM && sh.sh_type != SHT_SYMTAB))
		return -ENOENT;
	d = elf_getdata(scn, NULL);
	if (!d || i >= d->d_size / symsz || i > INT_MAX ||
	    !gelf_getsym(d, (int)i, &s))
		return -ENOENT;
	type = GELF_ST_TYPE(s.st_info);
	if (s.st_shndx == SHN_UNDEF || type == STT_TLS || type == STT_GNU_IFUNC)
		return -ENOENT;
	*value = s.st_value;
	return 0;
}

int elfsym_ptr_at(const struct elfsym *e, uint64_t vaddr, uint64_t *value)
{
	Elf_Scn *scn = NULL;
	Elf64_Rela rel = { 0 };
	size_t link = 0;
	int found = 0;
	uint64_t v;

	if (e->cls != ELFCLASS64 || e->machine != EM_X86_64)
		return -ENOENT;
	while ((scn = elf_nextscn(e->elf, scn))) {
		const Elf64_Rela *r;
		GElf_Shdr sh;
		Elf_Data *d;

		/* Loaded sections only: an --emit-relocs link also keeps the
		 * static link's relocations, which the loader never sees. */
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RELA ||
		    !(sh.sh_flags & SHF_ALLOC) ||
		    sh.sh_entsize != sizeof(Elf64_Rela))
			continue;
		/* Converted to host order by libelf: read in place, as
		 * gelf_getrela() per entry is seven times slower on a
		 * libpython's 20000 relocations. */
		d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf || d->d_type != ELF_T_RELA)
			continue;
		r = d->d_buf;
		/* The loader applies them in order: the last one wins. */
		for (size_t i = 0; i < d->d_size / sizeof(*r); i++) {
			if (r[i].r_offset == vaddr &&
			    ELF64_R_TYPE(r[i].r_info) != R_X86_64_NONE) {
				rel = r[i];
				link = sh.sh_link;
				found = 1;
			}
		}
	}
	if (!found) {
		int err = elfsym_read(e, vaddr, &v, sizeof(v));

		if (err)
			return err == -ERANGE ? -ENOENT : err;
		*value = v;
		return 0;
	}
	switch (ELF64_R_TYPE(rel.r_info)) {
	case R_X86_64_RELATIVE:
		*value = (uint64_t)rel.r_addend;
		return 0;
	case R_X86_64_64:
	case R_X86_64_GLOB_DAT:
		if (defined_symbol(e, link, ELF64_R_SYM(rel.r_info), &v))
			return -ENOENT;
		*value = v + (uint64_t)rel.r_addend;
		return 0;
	}
	return -ENOENT;
}

int elfsym_text_offset(const struct elfsym *e, uint64_t vaddr, uint64_t *off)
{
	for (size_t i = 0; i < e->n_loads; i++) {
		const struct elfsym_load *l = &e->loads[i];

		if ((l->flags & PF_X) && vaddr >= l->vaddr &&
		    vaddr - l->vaddr < l->filesz) {
			*off = l->offset + (vaddr - l->vaddr);
			return 0;
		}
	}
	return -ENOENT;
}
