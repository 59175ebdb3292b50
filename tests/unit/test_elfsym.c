// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ELF reading against binutils' view of the same files (nm, readelf), and
 * against damaged files: truncated and with random bytes changed, which
 * must fail cleanly (run under -fsanitize=address to see over-reads).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "elfsym.h"

#define DEB_PY "/usr/bin/python3.11"

/* st_value of a defined dynamic symbol as nm prints it, 0 if none. */
static uint64_t nm_value(const char *file, const char *sym)
{
	char cmd[1024], line[512], name[256], type;
	unsigned long long v;
	uint64_t found = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "nm -D --defined-only '%s' 2>/dev/null",
		 file);
	p = popen(cmd, "r");
	if (!p)
		return 0;
	while (fgets(line, sizeof(line), p))
		if (sscanf(line, "%llx %c %255s", &v, &type, name) == 3 &&
		    !strcmp(name, sym))
			found = v;
	pclose(p);
	return found;
}

/* Does readelf -d list this NEEDED / SONAME string? */
static int readelf_has(const char *file, const char *tag, const char *what)
{
	char cmd[1024], line[1024], want[300];
	int found = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "readelf -dW '%s' 2>/dev/null", file);
	snprintf(want, sizeof(want), "[%s]", what);
	p = popen(cmd, "r");
	if (!p)
		return 0;
	while (fgets(line, sizeof(line), p))
		if (strstr(line, tag) && strstr(line, want))
			found = 1;
	pclose(p);
	return found;
}

/*
 * elfsym_ptr_at() against every n-th dynamic relocation readelf -r lists:
 * RELATIVE gives its addend, 64 / GLOB_DAT a defined symbol's value plus
 * the addend (an undefined one, value 0, points outside), JUMP_SLOT is not
 * evaluated.  Returns how many were compared.
 */
static int check_relocs(struct elfsym *e, const char *file, int every)
{
	char cmd[1024], line[1024], type[64], name[512], plus[4];
	unsigned long long off, info, val, add;
	int k = 0, compared = 0;
	uint64_t got;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "readelf -rW '%s' 2>/dev/null", file);
	p = popen(cmd, "r");
	if (!p)
		return 0;
	while (fgets(line, sizeof(line), p)) {
		int n = sscanf(line, "%llx %llx %63s %llx %511s %3s %llx", &off,
			       &info, type, &val, name, plus, &add);

		if (n < 4 || strncmp(type, "R_X86_64_", 9) || k++ % every)
			continue;
		got = 0;
		if (!strcmp(type, "R_X86_64_RELATIVE") && n == 4) {
			CHECK_INT(elfsym_ptr_at(e, off, &got), 0);
			CHECK_INT(got, val);
		} else if ((!strcmp(type, "R_X86_64_64") ||
			    !strcmp(type, "R_X86_64_GLOB_DAT")) && n == 7) {
			if (val) {
				CHECK_INT(elfsym_ptr_at(e, off, &got), 0);
				CHECK_INT(got, val + add);
			} else {
				CHECK_INT(elfsym_ptr_at(e, off, &got), -ENOENT);
			}
		} else if (!strcmp(type, "R_X86_64_JUMP_SLOT")) {
			CHECK_INT(elfsym_ptr_at(e, off, &got), -ENOENT);
		} else {
			continue;
		}
		compared++;
	}
	pclose(p);
	return compared;
}

/*
 * PyCode_Type.tp_dealloc (+48) points into the executable segment, at the
 * offset readelf's program headers give; the type object itself is data.
 */
static void check_code_dealloc(struct elfsym *e, const char *file)
{
	char cmd[1024], line[512];
	unsigned long long off, va, filesz;
	uint64_t type, size, fn = 0, got = 0, want = 0;
	FILE *p;

	CHECK_INT(elfsym_lookup(e, "PyCode_Type", ELFSYM_DYNSYM, &type, &size),
		  0);
	CHECK_INT(elfsym_ptr_at(e, type + 48, &fn), 0);
	CHECK_INT(elfsym_text_offset(e, type, &got), -ENOENT);
	snprintf(cmd, sizeof(cmd), "readelf -lW '%s' 2>/dev/null", file);
	p = popen(cmd, "r");
	if (!p)
		return;
	while (fgets(line, sizeof(line), p))
		if (sscanf(line, " LOAD %llx %llx %*x %llx", &off, &va,
			   &filesz) == 3 && strstr(line, " R E ") &&
		    fn >= va && fn - va < filesz)
			want = off + (fn - va);
	pclose(p);
	CHECK(want != 0);
	CHECK_INT(elfsym_text_offset(e, fn, &got), 0);
	CHECK_INT(got, want);
}

static unsigned long python_hexversion(const char *exe)
{
	char cmd[512];
	unsigned long v = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd),
		 "'%s' -c 'import sys; print(sys.hexversion)'", exe);
	p = popen(cmd, "r");
	if (!p)
		return 0;
	if (fscanf(p, "%lu", &v) != 1)
		v = 0;
	pclose(p);
	return v;
}

static void test_debian_python(void)
{
	struct elfsym *e;
	const struct elfsym_load *loads;
	uint64_t v, s, bias, hex = 0;
	size_t n, i;
	int libc = 0;

	if (access(DEB_PY, R_OK) || access("/usr/bin/nm", X_OK)) {
		printf("  skipped: no %s or nm\n", DEB_PY);
		return;
	}
	CHECK_INT(elfsym_open(DEB_PY, &e), 0);
	if (!e)
		return;
	CHECK_INT(elfsym_class(e), ELFCLASS64);
	CHECK_INT(elfsym_machine(e), EM_X86_64);
	CHECK_INT(elfsym_type(e), ET_EXEC);

	CHECK_INT(elfsym_lookup(e, "_PyRuntime", ELFSYM_DYNSYM, &v, &s), 0);
	CHECK(v == nm_value(DEB_PY, "_PyRuntime") && v != 0);
	CHECK(s > 1000);
	CHECK_INT(elfsym_lookup(e, "Py_Version", ELFSYM_DYNSYM, &v, &s), 0);
	CHECK_INT(s, 8);
	CHECK_INT(elfsym_read(e, v, &hex, sizeof(hex)), 0);
	CHECK_INT(hex, python_hexversion(DEB_PY));
	/* Non-PIE: absolute pointers in the file, no RELATIVE relocations;
	 * R_X86_64_64 to expat's functions points outside. */
	CHECK(check_relocs(e, DEB_PY, 1) > 10);
	check_code_dealloc(e, DEB_PY);
	CHECK_INT(elfsym_lookup(e, "PyCode_Type", ELFSYM_DYNSYM, &v, &s), 0);
	CHECK_INT(elfsym_ptr_at(e, v + 48, &hex), 0);
	CHECK_INT(elfsym_read(e, v + 48, &s, sizeof(s)), 0);
	CHECK(hex == s && s != 0);
	/* Imported, not defined here. */
	CHECK_INT(elfsym_lookup(e, "malloc", ELFSYM_DYNSYM, &v, &s), -ENOENT);
	CHECK_INT(elfsym_lookup(e, "no_such_symbol_xyz",
				ELFSYM_DYNSYM | ELFSYM_SYMTAB, &v, &s),
		  -ENOENT);
	/* Prefix of a real name is not that name. */
	CHECK_INT(elfsym_lookup(e, "_PyRunt", ELFSYM_DYNSYM, &v, &s), -ENOENT);

	n = elfsym_loads(e, &loads);
	CHECK(n >= 2);
	if (n >= 1)
		CHECK(loads[0].offset == 0 && loads[0].vaddr == 0x400000);
	/* Non-PIE: its offset-0 mapping sits at its link address. */
	CHECK_INT(elfsym_bias(e, 0x400000, 0, &bias), 0);
	CHECK_INT(bias, 0);

	CHECK(elfsym_soname(e) == NULL);
	for (i = 0; elfsym_needed(e, i); i++)
		libc += !strcmp(elfsym_needed(e, i), "libc.so.6");
	CHECK_INT(libc, 1);
	CHECK(readelf_has(DEB_PY, "NEEDED", "libc.so.6"));

	/* Past every segment. */
	CHECK_INT(elfsym_read(e, 0x10, &hex, 8), -ERANGE);
	CHECK_INT(elfsym_read(e, ~0ULL - 4, &hex, 8), -ERANGE);
	elfsym_close(e);
}

static void test_libpython(void)
{
	char path[4096];
	struct elfsym *e;
	uint64_t v, s, bias, word = 1;
	const char *root = getenv("PYENV_ROOT"), *home = getenv("HOME");

	if (root && *root)
		snprintf(path, sizeof(path), "%s", root);
	else
		snprintf(path, sizeof(path), "%s/.pyenv", home ? home : "/root");
	snprintf(path + strlen(path), sizeof(path) - strlen(path),
		 "/versions/3.9.18/lib/libpython3.9.so.1.0");
	if (access(path, R_OK)) {
		printf("  skipped: no %s\n", path);
		return;
	}
	CHECK_INT(elfsym_open(path, &e), 0);
	if (!e)
		return;
	CHECK_INT(elfsym_type(e), ET_DYN);
	CHECK_STR(elfsym_soname(e), "libpython3.9.so.1.0");
	CHECK(readelf_has(path, "SONAME", "libpython3.9.so.1.0"));
	CHECK_INT(elfsym_lookup(e, "_PyRuntime", ELFSYM_DYNSYM, &v, &s), 0);
	CHECK(v == nm_value(path, "_PyRuntime"));
	/* 3.9's _PyRuntime is zero-initialised: .bss, read as zeros. */
	CHECK_INT(elfsym_read(e, v, &word, sizeof(word)), 0);
	CHECK_INT(word, 0);
	CHECK_INT(elfsym_bias(e, 0x7f1234000000ULL, 0, &bias), 0);
	CHECK(bias == 0x7f1234000000ULL);
	CHECK_INT(elfsym_bias(e, 0x7f1234000000ULL, 1ULL << 40, &bias),
		  -ENOENT);
	CHECK(check_relocs(e, path, 97) > 100);
	check_code_dealloc(e, path);
	/* No relocation there: the file's bytes; nothing there: -ENOENT. */
	CHECK_INT(elfsym_lookup(e, "_PyRuntime", ELFSYM_DYNSYM, &v, &s), 0);
	CHECK_INT(elfsym_ptr_at(e, v, &word), 0);
	CHECK_INT(word, 0);
	CHECK_INT(elfsym_ptr_at(e, ~0ULL - 4, &word), -ENOENT);
	elfsym_close(e);
}

static void test_not_elf(void)
{
	struct elfsym *e;

	CHECK_INT(elfsym_open("/no/such/file", &e), -ENOENT);
	CHECK(e == NULL);
	CHECK_INT(elfsym_open("/proc/self/status", &e), -ENOEXEC);
	CHECK_INT(elfsym_open("/", &e), -ENOEXEC);
	CHECK_INT(elfsym_open_fd(-1, &e), -EBADF);
}

static uint8_t *slurp(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *b;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) || st.st_size <= 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	b = malloc((size_t)st.st_size);
	if (b && read(fd, b, (size_t)st.st_size) != st.st_size) {
		free(b);
		b = NULL;
	}
	close(fd);
	*len = (size_t)st.st_size;
	return b;
}

/* Everything a caller might do with a file that opened. */
static void poke(struct elfsym *e)
{
	const struct elfsym_load *l;
	uint64_t v, s, b;
	uint8_t buf[64];
	size_t n = elfsym_loads(e, &l);

	if (!elfsym_lookup(e, "PyCode_Type", ELFSYM_DYNSYM, &v, &s) &&
	    !elfsym_ptr_at(e, v + 48, &b))
		elfsym_text_offset(e, b, &b);

	elfsym_lookup(e, "main", ELFSYM_DYNSYM | ELFSYM_SYMTAB, &v, &s);
	elfsym_lookup(e, "_PyRuntime", ELFSYM_DYNSYM | ELFSYM_SYMTAB, &v, &s);
	elfsym_soname(e);
	for (size_t i = 0; elfsym_needed(e, i); i++)
		(void)strlen(elfsym_needed(e, i));
	for (size_t i = 0; i < n; i++) {
		elfsym_read(e, l[i].vaddr, buf, sizeof(buf));
		elfsym_read(e, l[i].vaddr + l[i].memsz - 8, buf, 8);
		elfsym_bias(e, 0x7f0000000000ULL, l[i].offset, &b);
		elfsym_ptr_at(e, l[i].vaddr + l[i].filesz - 8, &b);
		elfsym_text_offset(e, l[i].vaddr, &b);
	}
}

static int memfd_with(const uint8_t *data, size_t len)
{
	int fd = memfd_create("elfsym-test", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if (write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return fd;
}

static void test_damaged(void)
{
	const char *victim = "/bin/true";
	size_t len, opened = 0, rounds = 0;
	uint8_t *orig = slurp(victim, &len), *copy;
	uint32_t seed = 99;

	if (!orig) {
		printf("  skipped: cannot read %s\n", victim);
		return;
	}
	copy = malloc(len);
	if (!copy)
		abort();
	/* Truncated copies. */
	for (size_t cut = 0; cut < len; cut += len / 97 + 1) {
		struct elfsym *e;
		int fd = memfd_with(orig, cut);

		if (fd < 0)
			continue;
		if (!elfsym_open_fd(fd, &e)) {
			opened++;
			poke(e);
			elfsym_close(e);
		}
		rounds++;
	}
	/* Random bytes changed: headers, then anywhere. */
	for (int i = 0; i < 1500; i++) {
		struct elfsym *e;
		int fd, flips = 1 + i % 8;

		memcpy(copy, orig, len);
		for (int k = 0; k < flips; k++) {
			size_t span = i % 2 ? len : (len < 4096 ? len : 4096);
			size_t at;

			seed = seed * 1103515245u + 12345u;
			at = (seed >> 8) % span;
			seed = seed * 1103515245u + 12345u;
			copy[at] = (uint8_t)(seed >> 16);
		}
		fd = memfd_with(copy, len);
		if (fd < 0)
			continue;
		if (!elfsym_open_fd(fd, &e)) {
			opened++;
			poke(e);
			elfsym_close(e);
		}
		rounds++;
	}
	CHECK(rounds > 1000);
	CHECK(opened > 0);	/* some damage leaves a usable file */
	printf("  damaged files: %zu tried, %zu still opened\n", rounds, opened);
	free(copy);
	free(orig);
}

int main(void)
{
	test_debian_python();
	test_libpython();
	test_not_elf();
	test_damaged();
	return check_done("elfsym");
}
