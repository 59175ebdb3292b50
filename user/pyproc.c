// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Finding CPython in a process: which mapped ELF (the executable or a
 * libpython) defines _PyRuntime, where that ELF is loaded, and which version
 * it is.  Only those candidates are opened, never every mapped library.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "elfsym.h"
#include "layouts.h"
#include "procmaps.h"
#include "pyproc.h"

#define MAX_CANDIDATES 8

/*
 * offsetof(PyTypeObject, tp_dealloc) on 64-bit: PyObject_VAR_HEAD
 * (ob_refcnt, ob_type, ob_size), tp_name, tp_basicsize, tp_itemsize.  The
 * same in every CPython 3.x of the default build; a free-threaded build's
 * object header is 16 bytes longer (ob_tid, ob_mutex..., two reference
 * counts).  Py_TRACE_REFS builds, longer too, are refused before this is
 * used.
 */
#define TP_DEALLOC_OFFSET 48
#define TP_DEALLOC_OFFSET_FT 64

struct candidate {
	const struct procmap *map;	/* its mapping of the lowest offset */
	bool is_exe;
};

struct exe_id {
	bool have_stat;
	unsigned dev_major, dev_minor;
	uint64_t inode;
	char path[PATH_MAX];		/* "" if unknown */
};

/* What one ELF says about the Python in it. */
struct pyver {
	unsigned major, minor;
	uint32_t hex;
	bool free_threaded, trace_refs, debug;
	bool dbg_cookie;	/* the file's _PyRuntime starts with one */
	const char *from;
};

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/*
 * "python3.11", "libpython3.7m.so.1.0", "python3.13t": prefix, major.minor,
 * ABI flags (m pymalloc, d debug, t free-threaded), then what must follow:
 * ".so" for a library, the end for an executable.
 */
static bool parse_pyname(const char *s, const char *prefix, const char *tail,
			 struct pyver *v)
{
	unsigned long major, minor;
	char *end;

	if (strncmp(s, prefix, strlen(prefix)))
		return false;
	s += strlen(prefix);
	if (*s < '0' || *s > '9')
		return false;
	major = strtoul(s, &end, 10);
	if (*end != '.' || end[1] < '0' || end[1] > '9')
		return false;
	minor = strtoul(end + 1, &end, 10);
	if (major > 9 || minor > 99)
		return false;
	v->debug = v->free_threaded = false;
	for (; *end >= 'a' && *end <= 'z'; end++) {
		if (*end == 'd')
			v->debug = true;
		else if (*end == 't')
			v->free_threaded = true;
	}
	if (tail ? strncmp(end, tail, strlen(tail)) != 0 : *end != '\0')
		return false;
	v->major = (unsigned)major;
	v->minor = (unsigned)minor;
	return true;
}

static bool is_candidate_name(const char *path)
{
	const char *b = base_name(path);

	return !strncmp(b, "libpython", 9) || !strncmp(b, "python", 6);
}

static void read_exe_id(pid_t pid, struct exe_id *id)
{
	char link[64];
	struct stat st;
	ssize_t n;

	memset(id, 0, sizeof(*id));
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	if (!stat(link, &st)) {
		id->have_stat = true;
		id->dev_major = major(st.st_dev);
		id->dev_minor = minor(st.st_dev);
		id->inode = st.st_ino;
	}
	n = readlink(link, id->path, sizeof(id->path) - 1);
	if (n > 0) {
		const size_t dl = strlen(" (deleted)");

		id->path[n] = '\0';
		if ((size_t)n > dl && !strcmp(id->path + n - dl, " (deleted)"))
			id->path[n - dl] = '\0';
	} else {
		id->path[0] = '\0';
	}
}

static bool same_object(const struct procmap *a, const struct procmap *b)
{
	return a->inode == b->inode && a->dev_major == b->dev_major &&
	       a->dev_minor == b->dev_minor && !strcmp(a->path, b->path);
}

/* The executable first (its _PyRuntime wins symbol interposition), then
 * libpython and python-named objects in address order. */
static size_t find_candidates(const struct procmaps *maps,
			      const struct exe_id *exe, struct candidate *c)
{
	size_t n = 0;

	for (size_t i = 0; i < maps->n; i++) {
		const struct procmap *m = &maps->v[i];
		bool is_exe, known = false;

		if (!m->inode || m->path[0] != '/')
			continue;
		for (size_t k = 0; k < n; k++) {
			if (same_object(c[k].map, m)) {
				if (m->offset < c[k].map->offset)
					c[k].map = m;
				known = true;
				break;
			}
		}
		if (known)
			continue;
		is_exe = (exe->have_stat && m->inode == exe->inode &&
			  m->dev_major == exe->dev_major &&
			  m->dev_minor == exe->dev_minor) ||
			 (exe->path[0] && !strcmp(m->path, exe->path));
		if (!is_exe && !is_candidate_name(m->path))
			continue;
		if (n == MAX_CANDIDATES) {
			if (!is_exe)
				continue;
			n--;	/* the executable always gets a slot */
		}
		c[n].map = m;
		c[n].is_exe = is_exe;
		if (is_exe && n > 0) {
			struct candidate t = c[0];

			c[0] = c[n];
			c[n] = t;
		}
		n++;
	}
	return n;
}

/* Through map_files first: works for deleted files and other mount
 * namespaces.  Then the path as the process sees it. */
static int open_object(pid_t pid, const struct procmap *m, struct elfsym **e)
{
	char p[PATH_MAX + 64];
	int fd, n;

	snprintf(p, sizeof(p), "/proc/%d/map_files/%" PRIx64 "-%" PRIx64,
		 (int)pid, m->start, m->end);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && !m->deleted) {
		n = snprintf(p, sizeof(p), "/proc/%d/root%s", (int)pid, m->path);
		if (n > 0 && (size_t)n < sizeof(p))
			fd = open(p, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return -errno;
	return elfsym_open_fd(fd, e);
}

static bool has_symbol(struct elfsym *e, const char *name)
{
	uint64_t v, s;

	return elfsym_lookup(e, name, ELFSYM_DYNSYM, &v, &s) == 0;
}

static void set_hex(struct pyver *v, uint64_t hex, const char *from)
{
	v->hex = (uint32_t)hex;
	v->major = (unsigned)(hex >> 24) & 0xff;
	v->minor = (unsigned)(hex >> 16) & 0xff;
	v->from = from;
}

/* Py_Version (3.11+): a const unsigned long PY_VERSION_HEX in .rodata. */
static bool version_from_symbol(struct elfsym *e, struct pyver *v)
{
	uint64_t addr, size, hex = 0;
	uint8_t b[8];

	if (elfsym_lookup(e, "Py_Version", ELFSYM_DYNSYM, &addr, &size))
		return false;
	if (size != 4 && size != 8)
		return false;
	if (elfsym_read(e, addr, b, (size_t)size))
		return false;
	for (size_t i = size; i-- > 0;)	/* little-endian (x86_64 only) */
		hex = hex << 8 | b[i];
	if ((hex >> 24) != 3)
		return false;
	set_hex(v, hex, "Py_Version");
	return true;
}

/*
 * 3.13+ statically initialises _PyRuntime with _Py_DebugOffsets: cookie
 * "xdebugpy", version, free_threaded.  Read from the file, so it is there
 * before the interpreter even starts.
 */
static void check_debug_offsets(struct elfsym *e, uint64_t runtime,
				struct pyver *v)
{
	uint8_t b[24];
	uint64_t hex = 0, ft = 0;

	if (elfsym_read(e, runtime, b, sizeof(b)) || memcmp(b, "xdebugpy", 8))
		return;
	v->dbg_cookie = true;
	for (int i = 7; i >= 0; i--) {
		hex = hex << 8 | b[8 + i];
		ft = ft << 8 | b[16 + i];
	}
	if (ft)
		v->free_threaded = true;
	if (!v->hex && (hex >> 24) == 3)
		set_hex(v, hex, "_Py_DebugOffsets");
}

/*
 * Symbols first added in a release: the last resort for a 3.7-3.10 that
 * has neither Py_Version nor a telling name (a renamed static build).
 */
static void version_from_exports(struct elfsym *e, struct pyver *v)
{
	static const struct {
		const char *sym;
		unsigned minor;
	} since[] = {
		{ "Py_Is", 10 },
		{ "PyFrame_GetCode", 9 },
		{ "PyConfig_Clear", 8 },
	};

	v->major = 3;
	v->minor = 7;
	for (size_t i = 0; i < sizeof(since) / sizeof(since[0]); i++) {
		if (has_symbol(e, since[i].sym)) {
			v->minor = since[i].minor;
			break;
		}
	}
	v->from = "symbols";
}

static void find_version(struct elfsym *e, const struct candidate *c,
			 const char *exe_path, uint64_t runtime, struct pyver *v)
{
	const char *soname = elfsym_soname(e);
	struct pyver n;

	memset(v, 0, sizeof(*v));
	if (version_from_symbol(e, v)) {
		/* nothing more to learn from names but the ABI flags */
	} else if (soname && parse_pyname(soname, "libpython", ".so", &n)) {
		*v = n;
		v->from = "SONAME";
	} else if (parse_pyname(base_name(c->map->path), "libpython", ".so",
				&n)) {
		*v = n;
		v->from = "file name";
	} else if (c->is_exe &&
		   (parse_pyname(base_name(c->map->path), "python", NULL, &n) ||
		    parse_pyname(base_name(exe_path), "python", NULL, &n))) {
		*v = n;
		v->from = "file name";
	} else {
		version_from_exports(e, v);
	}
	/* ABI flags only show in names. */
	if ((soname && parse_pyname(soname, "libpython", ".so", &n)) ||
	    parse_pyname(base_name(c->map->path), "libpython", ".so", &n) ||
	    parse_pyname(base_name(c->map->path), "python", NULL, &n)) {
		v->debug |= n.debug;
		v->free_threaded |= n.free_threaded;
	}
	check_debug_offsets(e, runtime, v);
	/* Py_TRACE_REFS (3.7 debug, --with-trace-refs) adds two pointers to
	 * every object header: no layout of ours fits it. */
	v->trace_refs = has_symbol(e, "_Py_PrintReferences") ||
			(v->debug && v->major == 3 && v->minor == 7);
}

static void set_object(struct pyproc_info *out, const struct procmap *m)
{
	snprintf(out->object, sizeof(out->object), "%s%s", m->path,
		 m->deleted ? " (deleted)" : "");
}

static bool process_gone(pid_t pid);

/*
 * Whether the page holding _PyRuntime (file vaddr value) is the object's
 * own data yet.  The dynamic loader first maps a library's whole span from
 * offset 0, then maps each segment over it; in between, that address shows
 * other bytes of the file.  Only a runtime in initialised data can be told
 * apart this way (3.11+: _PyRuntime is initialised; before, it is .bss).
 */
static bool runtime_mapped(const struct elfsym *e, const struct procmap *obj,
			   const struct procmaps *maps, uint64_t bias,
			   uint64_t value)
{
	const struct procmap *m = procmaps_find(maps, bias + value);
	const struct elfsym_load *l;
	size_t n = elfsym_loads(e, &l);

	if (!m)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (value < l[i].vaddr || value - l[i].vaddr >= l[i].filesz)
			continue;
		return m->inode == obj->inode &&
		       m->dev_major == obj->dev_major &&
		       m->dev_minor == obj->dev_minor &&
		       m->offset + (bias + value - m->start) ==
			       l[i].offset + (value - l[i].vaddr);
	}
	return true;	/* in .bss: nothing to compare */
}

/*
 * 3.13+: the live _Py_DebugOffsets at _PyRuntime (static data, there from
 * the first instruction) overrides the table's offsets.  Read from memory,
 * not the file: it is what the running interpreter uses.
 */
static enum pyproc_result use_debug_offsets(pid_t pid,
					    const struct layout_entry *le,
					    bool file_has_cookie,
					    struct pyproc_info *out)
{
	uint8_t buf[4096];
	char p[64], why[200];
	ssize_t n = -1;
	int fd;

	if (le->dbg.size > sizeof(buf)) {
		snprintf(out->why, sizeof(out->why),
			 "_Py_DebugOffsets of %u.%u is too large", le->major,
			 le->minor);
		return -1;
	}
	snprintf(p, sizeof(p), "/proc/%d/mem", (int)pid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = pread(fd, buf, le->dbg.size, (off_t)out->runtime);
		close(fd);
	}
	if (n != (ssize_t)le->dbg.size) {
		snprintf(out->why, sizeof(out->why),
			 "cannot read _Py_DebugOffsets of process %d", (int)pid);
		return process_gone(pid) ? PYPROC_GONE : PYPROC_UNSUPPORTED;
	}
	/* The dynamic loader reserves a library's whole span before it maps
	 * the data segment there: until then the file's cookie is not in
	 * memory.  A later executable mapping makes the BPF side ask again. */
	if (file_has_cookie && memcmp(buf, "xdebugpy", 8)) {
		snprintf(out->why, sizeof(out->why),
			 "_PyRuntime of process %d not mapped yet", (int)pid);
		return PYPROC_NOT_READY;
	}
	if (layout_apply_debug_offsets(le, buf, le->dbg.size, &out->layout,
				       &out->dbg_changed, why, sizeof(why))) {
		snprintf(out->why, sizeof(out->why), "Python %u.%u%s: %s",
			 le->major, le->minor, le->free_threaded ? "t" : "",
			 why);
		return PYPROC_UNSUPPORTED;
	}
	out->debug_offsets = true;
	return PYPROC_OK;
}

static enum pyproc_result use_runtime(pid_t pid, struct elfsym *e,
				      const struct candidate *c,
				      const struct procmaps *maps,
				      const struct exe_id *exe, uint64_t value,
				      struct pyproc_info *out)
{
	const struct layout_entry *le;
	struct pyver v;
	uint64_t bias;

	set_object(out, c->map);
	out->object_start = c->map->start;
	out->object_end = c->map->end;
	if (elfsym_class(e) != ELFCLASS64 || elfsym_machine(e) != EM_X86_64) {
		snprintf(out->why, sizeof(out->why),
			 "%.200s: only x86_64 Python is supported",
			 base_name(out->object));
		return PYPROC_UNSUPPORTED;
	}
	if (elfsym_bias(e, c->map->start, c->map->offset, &bias) ||
	    !procmaps_find(maps, bias + value)) {
		snprintf(out->why, sizeof(out->why),
			 "%.200s: _PyRuntime is not in mapped memory",
			 base_name(out->object));
		return PYPROC_NOT_PYTHON;
	}
	if (!runtime_mapped(e, c->map, maps, bias, value)) {
		snprintf(out->why, sizeof(out->why),
			 "%.200s: not mapped completely yet",
			 base_name(out->object));
		return PYPROC_NOT_READY;
	}
	out->bias = bias;
	out->runtime = bias + value;
	find_version(e, c, exe->path, value, &v);
	out->version_hex = v.hex;
	out->version_major = v.major;
	out->version_minor = v.minor;
	out->version_from = v.from;
	out->free_threaded = v.free_threaded;
	if (v.trace_refs) {
		snprintf(out->why, sizeof(out->why),
			 "Python %u.%u built with Py_TRACE_REFS is not supported",
			 v.major, v.minor);
		return PYPROC_UNSUPPORTED;
	}
	le = layout_find(v.major, v.minor, v.free_threaded);
	if (!le) {
		snprintf(out->why, sizeof(out->why),
			 "Python %u.%u%s is not supported", v.major, v.minor,
			 v.free_threaded ? "t" : "");
		return PYPROC_UNSUPPORTED;
	}
	out->layout = le->layout;
	if (le->dbg.size) {
		enum pyproc_result r = use_debug_offsets(pid, le, v.dbg_cookie,
							 out);

		if (r != PYPROC_OK)
			return r;
	}
	out->why[0] = '\0';
	return PYPROC_OK;
}

/* File offset of _PyEval_EvalFrameDefault's first instruction (where a
 * uprobe goes), or 0 when the object does not have it. */
static uint64_t eval_loop_offset(struct elfsym *e, unsigned where)
{
	const char *name = "_PyEval_EvalFrameDefault";
	uint64_t value, size, off;

	if (elfsym_lookup(e, name, where, &value, &size) ||
	    elfsym_text_offset(e, value, &off))
		return 0;
	return off;
}

/*
 * File offset of code_dealloc, or 0.  It is static: a binary without
 * .symtab shows it only as PyCode_Type's tp_dealloc.  Read from the file,
 * not memory: a libpython found right after ld.so mapped it is not
 * relocated yet.
 */
static uint64_t code_dealloc_offset(struct elfsym *e, unsigned where,
				    bool free_threaded)
{
	uint64_t slot = TP_DEALLOC_OFFSET, type, size, fn, off;

	if (free_threaded)
		slot = TP_DEALLOC_OFFSET_FT;
	if (elfsym_lookup(e, "PyCode_Type", where, &type, &size) ||
	    size < slot + 8 || elfsym_ptr_at(e, type + slot, &fn) ||
	    elfsym_text_offset(e, fn, &off))
		return 0;
	return off;
}

/* /proc/PID is gone (as opposed to one file not opening). */
static bool process_gone(pid_t pid)
{
	char p[32];

	snprintf(p, sizeof(p), "/proc/%d", (int)pid);
	return access(p, F_OK) != 0;
}

/* A python without _PyRuntime (2.7, 3.6): say which, by name. */
static void note_old_python(struct elfsym *e, const struct candidate *c,
			    struct pyver *old)
{
	const char *soname = elfsym_soname(e);
	struct pyver n;

	if (old->major || !has_symbol(e, "Py_GetVersion"))
		return;
	if ((soname && parse_pyname(soname, "libpython", ".so", &n)) ||
	    parse_pyname(base_name(c->map->path), "libpython", ".so", &n) ||
	    parse_pyname(base_name(c->map->path), "python", NULL, &n))
		*old = n;
}

enum pyproc_result pyproc_detect(pid_t pid, struct pyproc_info *out)
{
	struct candidate cands[MAX_CANDIDATES];
	enum pyproc_result res = PYPROC_NOT_PYTHON;
	struct pyver old = { 0 };
	struct procmaps maps;
	struct exe_id exe;
	size_t n;
	int err;

	memset(out, 0, sizeof(*out));
	err = procmaps_read(pid, &maps);
	if (err) {
		procmaps_free(&maps);
		snprintf(out->why, sizeof(out->why),
			 "cannot read /proc/%d/maps: %s", (int)pid,
			 strerror(-err));
		return PYPROC_GONE;
	}
	read_exe_id(pid, &exe);
	n = find_candidates(&maps, &exe, cands);
	snprintf(out->why, sizeof(out->why),
		 "no _PyRuntime in the executable or a libpython");
	for (size_t i = 0; i < n; i++) {
		const struct candidate *c = &cands[i];
		struct elfsym *e;
		uint64_t value, size;
		unsigned where = ELFSYM_DYNSYM;

		err = open_object(pid, c->map, &e);
		if (err) {
			if (process_gone(pid)) {
				snprintf(out->why, sizeof(out->why),
					 "process %d exited", (int)pid);
				res = PYPROC_GONE;
				break;
			}
			continue;
		}
		/* .symtab only where Python is likely: it can be large. */
		if (is_candidate_name(c->map->path))
			where |= ELFSYM_SYMTAB;
		if (elfsym_lookup(e, "_PyRuntime", where, &value, &size)) {
			note_old_python(e, c, &old);
			elfsym_close(e);
			continue;
		}
		res = use_runtime(pid, e, c, &maps, &exe, value, out);
		if (res == PYPROC_OK) {
			out->eval_offset = eval_loop_offset(e, where);
			out->code_dealloc_offset = code_dealloc_offset(
				e, where, out->free_threaded);
		}
		elfsym_close(e);
		if (res != PYPROC_NOT_PYTHON)
			break;
	}
	if (res == PYPROC_NOT_PYTHON && old.major) {
		out->version_major = old.major;
		out->version_minor = old.minor;
		snprintf(out->why, sizeof(out->why),
			 "Python %u.%u is not supported (no _PyRuntime before 3.7)",
			 old.major, old.minor);
		res = PYPROC_UNSUPPORTED;
	}
	procmaps_free(&maps);
	return res;
}
