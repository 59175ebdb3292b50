// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pyproc_detect() on real processes.  Each Python child reports what it
 * knows about itself (sys.hexversion, the address of _PyRuntime from dlsym
 * through ctypes, the relocated PyCode_Type.tp_dealloc); the test's own
 * reading of /proc/PID/maps gives the load bias and the file offset that
 * pointer maps.  Interpreters that are not installed are skipped (said so).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "layouts.h"
#include "pyframes.h"
#include "pyproc.h"

/*
 * Prints hexversion, &_PyRuntime (0 if none), the thread idents of the main
 * thread and of a second thread blocked in os.read() with the GIL released,
 * and PyCode_Type's tp_dealloc as the running process holds it (id() of a
 * type is its address; the slot is at +48 in a build that is not
 * free-threaded); then waits for EOF on stdin.  The main thread's stack
 * while it waits is, innermost first: wait_here:15, [C.]m:19, \u00f1ame:1,
 * \u65e5\u672c:2 (both from exec), <module>:21; the thread's is reader:9.
 * Python 2 must be able to run it too.
 */
static const char child_script[] =
	"import ctypes, os, sys, threading\n"				/* 1 */
	"def rt():\n"
	"    try:\n"
	"        return ctypes.addressof(ctypes.c_char.in_dll("
	"ctypes.pythonapi, '_PyRuntime'))\n"
	"    except Exception:\n"					/* 5 */
	"        return 0\n"
	"r, w = os.pipe()\n"
	"def reader():\n"
	"    os.read(r, 1)\n"
	"t = threading.Thread(target=reader)\n"			/* 10 */
	"t.start()\n"
	"def wait_here():\n"
	"    sys.stdout.write('%d %d %d %d %d\\n' % (sys.hexversion, rt(),"
	" threading.current_thread().ident, t.ident, ctypes.c_void_p."
	"from_address(id(type(compile('0', '', 'eval'))) + 48).value or 0))\n"
	"    sys.stdout.flush()\n"
	"    sys.stdin.read()\n"					/* 15 */
	"    os.write(w, b'x')\n"
	"class C:\n"
	"    def m(self):\n"
	"        wait_here()\n"
	"if sys.version_info >= (3,):\n"				/* 20 */
	"    exec(u'def \\u00f1ame(): C().m()\\ndef \\u65e5\\u672c():"
	" \\u00f1ame()\\n'); globals()[u'\\u65e5\\u672c']()\n"
	"else:\n"
	"    C().m()\n";

struct child {
	pid_t pid;
	int in_fd;		/* child's stdin: close to let it exit */
	unsigned long hexversion;
	uint64_t runtime;	/* as the child's own dlsym sees it */
	uint64_t ident_main, ident_thread; /* pthread_self() of both */
	uint64_t code_dealloc;	/* PyCode_Type.tp_dealloc, relocated */
};

/* Runs exe, inside the chroot root when that is not NULL. */
static int spawn_python(const char *root, const char *exe, struct child *c)
{
	int in[2], out[2];
	char line[128];
	ssize_t n, got = 0;

	if (pipe(in) || pipe(out))
		return -1;
	c->pid = fork();
	if (c->pid < 0)
		return -1;
	if (c->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		if (root)
			execlp("chroot", "chroot", root, exe, "-c",
			       child_script, (char *)NULL);
		else
			execl(exe, exe, "-c", child_script, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	c->in_fd = in[1];
	while (got < (ssize_t)sizeof(line) - 1 &&
	       (n = read(out[0], line + got, sizeof(line) - 1 - got)) > 0) {
		got += n;
		if (memchr(line, '\n', (size_t)got))
			break;
	}
	close(out[0]);
	line[got > 0 ? got : 0] = '\0';
	if (sscanf(line, "%lu %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64,
		   &c->hexversion, &c->runtime, &c->ident_main,
		   &c->ident_thread, &c->code_dealloc) != 5) {
		fprintf(stderr, "%s: no report from the child\n", exe);
		kill(c->pid, SIGKILL);
		close(c->in_fd);
		waitpid(c->pid, NULL, 0);
		return -1;
	}
	return 0;
}

static void reap(struct child *c)
{
	close(c->in_fd);
	waitpid(c->pid, NULL, 0);
}

/*
 * The test's own maps reading: the first mapping of path that holds addr in
 * an executable mapping or, with addr 0, that maps file offset 0.  Its start
 * and file offset; false if there is none.
 */
static bool mapping_of(pid_t pid, const char *path, uint64_t addr,
		       uint64_t *start_out, uint64_t *off_out)
{
	char fn[64], line[8192];
	bool found = false;
	FILE *f;

	snprintf(fn, sizeof(fn), "/proc/%d/maps", (int)pid);
	f = fopen(fn, "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned long long start, end, off;
		char perms[5];
		int pos = 0;
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		if (sscanf(line, "%llx-%llx %4s %llx %*s %*u %n", &start, &end,
			   perms, &off, &pos) < 4 || !pos ||
		    strcmp(line + pos, path))
			continue;
		found = addr ? addr >= start && addr < end && perms[2] == 'x'
			     : off == 0;
		*start_out = start;
		*off_out = off;
	}
	fclose(f);
	return found;
}

/* Where offset 0 of path is mapped: for a shared library or PIE (first
 * PT_LOAD at vaddr 0) that is the load bias. */
static uint64_t offset0_start(pid_t pid, const char *path)
{
	uint64_t start, off;

	return mapping_of(pid, path, 0, &start, &off) ? start : 0;
}

/* The file offset that addr maps, when an executable mapping of path holds
 * it; 0 otherwise. */
static uint64_t text_offset_of(pid_t pid, const char *path, uint64_t addr)
{
	uint64_t start, off;

	return mapping_of(pid, path, addr, &start, &off) ? off + (addr - start) : 0;
}

/* st_value of the one local function `sym` in file's .symtab, 0 if it has
 * none (stripped) or more than one. */
static uint64_t symtab_value(const char *file, const char *sym)
{
	char cmd[PATH_MAX + 64], line[512], name[256], type;
	unsigned long long v;
	uint64_t found = 0;
	int n = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "nm --defined-only '%s' 2>/dev/null", file);
	p = popen(cmd, "r");
	if (!p)
		return 0;
	while (fgets(line, sizeof(line), p))
		if (sscanf(line, "%llx %c %255s", &v, &type, name) == 3 &&
		    type == 't' && !strcmp(name, sym)) {
			found = v;
			n++;
		}
	pclose(p);
	return n == 1 ? found : 0;
}

/*
 * info->code_dealloc_offset, computed from the file, against where the
 * child's own relocated PyCode_Type.tp_dealloc points; and, where the file
 * keeps a .symtab, against code_dealloc's symbol.  (The object's path is the
 * host's: maps shows paths from the reader's root.)
 */
static void check_code_dealloc(const struct child *c,
			       const struct pyproc_info *info)
{
	uint64_t want = text_offset_of(c->pid, info->object, c->code_dealloc);
	uint64_t sym = symtab_value(info->object, "code_dealloc");

	CHECK(want != 0);
	CHECK_INT(info->code_dealloc_offset, want);
	if (sym)
		CHECK_INT(text_offset_of(c->pid, info->object,
					 info->bias + sym), want);
	printf("  %s: code_dealloc at file offset %#" PRIx64 " (live %#" PRIx64
	       " maps to %#" PRIx64 "%s)\n", info->object,
	       info->code_dealloc_offset, c->code_dealloc, want,
	       sym ? "; checked against .symtab" : "");
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		n++;
	closedir(d);
	return n;
}

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static const char *pyenv_root(char *buf, size_t len)
{
	const char *r = getenv("PYENV_ROOT");

	if (r && *r)
		return r;
	snprintf(buf, len, "%s/.pyenv", getenv("HOME") ? getenv("HOME") : "/root");
	return buf;
}

/*
 * A user-space walk with the detected layout, the way the BPF side walks:
 * thread list -> tstate with this pthread id -> frames -> code -> names and
 * lines.  Reads the child's memory through /proc/PID/mem.
 */
struct walker {
	int mem;
	const struct pt_layout *l;
	bool ok;
};

static uint64_t rd(struct walker *w, uint64_t addr, size_t n)
{
	uint64_t v = 0;

	if (!addr || pread(w->mem, &v, n, (off_t)addr) != (ssize_t)n)
		w->ok = false;
	return v;
}

#define RD_PTR(w, a) rd(w, a, 8)

static void read_str(struct walker *w, uint64_t str, char *out, size_t len)
{
	const struct pt_layout *l = w->l;
	uint32_t state = (uint32_t)rd(w, str + l->str_state, 4);
	uint64_t n = rd(w, str + l->str_length, 8), data;
	unsigned kind = (state >> l->str_state_shift) & 7;
	struct sbuf b = { 0 };
	uint8_t raw[512];

	if (!(state & (1u << 5)))
		data = RD_PTR(w, str + l->str_data);
	else if (state & (1u << 6))
		data = str + l->str_ascii_data;
	else
		data = str + l->str_compact_data;
	n *= kind;
	if (n > sizeof(raw) || pread(w->mem, raw, n, (off_t)data) != (ssize_t)n) {
		w->ok = false;
		n = 0;
	}
	pystr_to_utf8(&b, raw, n, kind);
	snprintf(out, len, "%s", b.len ? sb_str(&b) : "");
	sb_free(&b);
}

static int code_line(struct walker *w, uint64_t code, int instr)
{
	const struct pt_layout *l = w->l;
	uint64_t tab = RD_PTR(w, code + l->co_linetable);
	uint64_t n = rd(w, tab + l->bytes_size, 8);
	int first = (int)rd(w, code + l->co_firstlineno, 4);
	uint8_t t[8192];

	if (n > sizeof(t) ||
	    pread(w->mem, t, n, (off_t)(tab + l->bytes_data)) != (ssize_t)n)
		return -2;
	return pyline_for_instr(l->line_format, t, n, first, instr);
}

struct frame_seen {
	char name[128];
	int line;
};

/* Fills up to max frames of the thread whose pthread id is ident. */
static int walk_thread(struct walker *w, uint64_t runtime, uint64_t ident,
		       struct frame_seen *fs, int max)
{
	const struct pt_layout *l = w->l;
	uint64_t interp = RD_PTR(w, runtime + l->rt_interp_head), ts, f;
	int n = 0, guard = 0;

	ts = RD_PTR(w, interp + l->interp_threads_head);
	while (ts && w->ok && rd(w, ts + l->ts_thread_id, 8) != ident &&
	       guard++ < 1000)
		ts = RD_PTR(w, ts + l->ts_next);
	if (!ts || !w->ok)
		return -1;
	if (l->ts_frame != PT_NOFF)
		f = RD_PTR(w, ts + l->ts_frame);
	else
		f = RD_PTR(w, RD_PTR(w, ts + l->ts_cframe) + l->cframe_frame);
	for (; f && w->ok && n < max && guard++ < 2000;
	     f = RD_PTR(w, f + l->fr_back)) {
		uint64_t code = RD_PTR(w, f + l->fr_code) & l->code_ptr_mask;
		int instr;

		if (l->fr_owner != PT_NOFF) {
			unsigned owner = (unsigned)rd(w, f + l->fr_owner, 1);
			uint64_t ip = RD_PTR(w, f + l->fr_instr);
			int first_tr = (int)rd(w, code + l->co_firsttraceable, 4);

			if (l->owner_skip_min && owner >= l->owner_skip_min)
				continue;
			instr = (int)((int64_t)(ip - (code + l->co_code_adaptive)) / 2);
			if (owner != l->owner_generator && instr < first_tr)
				continue;
		} else {
			instr = (int)rd(w, f + l->fr_lasti, 4);
		}
		read_str(w, RD_PTR(w, code + l->co_name), fs[n].name,
			 sizeof(fs[n].name));
		fs[n].line = code_line(w, code, instr);
		n++;
	}
	return w->ok ? n : -1;
}

struct want {
	const char *name;
	int line;
};

static bool stack_matches(const struct frame_seen *fs, int n,
			  const struct want *want, int nwant)
{
	if (n < nwant)
		return false;
	for (int i = 0; i < nwant; i++)
		if (strcmp(fs[i].name, want[i].name) || fs[i].line != want[i].line)
			return false;
	return true;
}

/* The child may still be on its way into the blocking calls: retry. */
static void check_stack(pid_t pid, const struct pyproc_info *info,
			uint64_t ident, const struct want *want, int nwant)
{
	struct frame_seen fs[64];
	struct walker w;
	char path[64];
	int n = -1;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	w.mem = open(path, O_RDONLY | O_CLOEXEC);
	w.l = &info->layout;
	CHECK(w.mem >= 0);
	if (w.mem < 0)
		return;
	for (int tries = 0; tries < 200; tries++) {
		w.ok = true;
		n = walk_thread(&w, info->runtime, ident, fs, 64);
		if (stack_matches(fs, n, want, nwant))
			break;
		usleep(10000);
	}
	close(w.mem);
	CHECK(stack_matches(fs, n, want, nwant));
	if (!stack_matches(fs, n, want, nwant)) {
		fprintf(stderr, "  walked %d frames:", n);
		for (int i = 0; i < n; i++)
			fprintf(stderr, " %s:%d", fs[i].name, fs[i].line);
		fprintf(stderr, "\n");
	}
}

static void check_stacks(const struct child *c, const struct pyproc_info *info)
{
	bool qual = info->version_minor >= 11;
	const struct want main_stack[] = {
		{ "wait_here", 15 },
		{ qual ? "C.m" : "m", 19 },
		{ "\xc3\xb1" "ame", 1 },
		{ "\xe6\x97\xa5\xe6\x9c\xac", 2 },
		{ "<module>", 21 },
	};
	const struct want thread_stack[] = { { "reader", 9 } };

	check_stack(c->pid, info, c->ident_main, main_stack, 5);
	check_stack(c->pid, info, c->ident_thread, thread_stack, 1);
}

/* One interpreter: detect it and compare with what it says of itself. */
static void check_python(const char *exe, bool shared_lib)
{
	struct pyproc_info info;
	const struct layout_entry *le;
	struct child c;
	enum pyproc_result r;
	unsigned major, minor;

	if (access(exe, X_OK)) {
		printf("  skipped %s: not installed\n", exe);
		return;
	}
	if (spawn_python(NULL, exe, &c)) {
		CHECK(!"python child started");
		return;
	}
	major = (unsigned)(c.hexversion >> 24);
	minor = (unsigned)(c.hexversion >> 16) & 0xff;
	r = pyproc_detect(c.pid, &info);
	if (major == 3 && minor >= 7) {
		CHECK_INT(r, PYPROC_OK);
		CHECK(info.runtime == c.runtime && c.runtime != 0);
		CHECK_INT(info.version_major, major);
		CHECK_INT(info.version_minor, minor);
		if (minor >= 11)
			CHECK_INT(info.version_hex, c.hexversion);
		le = layout_find(major, minor, false);
		/* 3.13+: read from its _Py_DebugOffsets, which must agree
		 * with the release's headers. */
		CHECK_INT(info.debug_offsets, minor >= 13);
		CHECK_INT(info.dbg_changed, 0);
		CHECK(le && !memcmp(&info.layout, &le->layout,
				    sizeof(info.layout)));
		if (shared_lib) {
			CHECK(strstr(info.object, "libpython") != NULL);
			CHECK(info.bias == offset0_start(c.pid, info.object));
		} else {
			/* Debian's python3.11: non-PIE, libpython inside. */
			CHECK(info.bias == 0);
		}
		check_stacks(&c, &info);
		check_code_dealloc(&c, &info);
		printf("  %s: %u.%u (%s) runtime %#" PRIx64 " in %s\n", exe,
		       major, minor, info.version_from, info.runtime,
		       info.object);
	} else {
		/* 2.7 / 3.6: Python, but no _PyRuntime to walk from. */
		CHECK_INT(r, PYPROC_UNSUPPORTED);
		CHECK(strstr(info.why, "not supported") != NULL);
		printf("  %s: %s\n", exe, info.why);
	}
	reap(&c);
}

static void test_interpreters(void)
{
	static const char *pyenv[] = { "2.7.18", "3.6.15", "3.7.16", "3.8.18",
				       "3.9.18", "3.10.13", "3.11.7", "3.12.1",
				       "3.13.0" };
	char root[PATH_MAX], exe[PATH_MAX + 64];
	const char *r = pyenv_root(root, sizeof(root));

	for (size_t i = 0; i < sizeof(pyenv) / sizeof(pyenv[0]); i++) {
		snprintf(exe, sizeof(exe), "%s/versions/%s/bin/python", r,
			 pyenv[i]);
		check_python(exe, pyenv[i][0] == '3' && strcmp(pyenv[i], "3.6.15"));
	}
	check_python("/usr/bin/python3.11", false);
}

/* A chroot interpreter: detected, and its code_dealloc found. */
static void check_chroot(const char *root, const char *exe)
{
	struct pyproc_info info;
	struct child c;

	if (spawn_python(root, exe, &c)) {
		CHECK(!"chroot python child started");
		return;
	}
	CHECK_INT(pyproc_detect(c.pid, &info), PYPROC_OK);
	CHECK(info.runtime == c.runtime && c.runtime != 0);
	check_code_dealloc(&c, &info);
	reap(&c);
}

/* The Debian interpreters tests/interp/prepare.sh puts in chroots, as its
 * manifest lists them: id, version, build, chroot, path inside. */
static void test_chroot_interpreters(void)
{
	const char *cache = getenv("PYTRACE_INTERP_CACHE");
	char path[PATH_MAX], line[3 * PATH_MAX], root[PATH_MAX], exe[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/manifest.tsv",
		 cache && *cache ? cache : "/var/cache/pytrace-interp");
	f = fopen(path, "r");
	if (!f || geteuid() != 0) {
		printf("  skipped chroot interpreters: no %s or not root\n",
		       path);
		if (f)
			fclose(f);
		return;
	}
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*[^\t]\t%*[^\t]\t%*[^\t]\t%4095[^\t]\t"
				 "%4095[^\t\n]", root, exe) == 2)
			check_chroot(root, exe);
	fclose(f);
}

static void test_not_python(void)
{
	struct pyproc_info info;
	pid_t pid;

	CHECK_INT(pyproc_detect(getpid(), &info), PYPROC_NOT_PYTHON);
	CHECK(info.why[0] != '\0');

	/* A pid that was just reaped. */
	pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	CHECK_INT(pyproc_detect(pid, &info), PYPROC_GONE);
}

/*
 * A renamed copy in a directory with spaces, deleted while it runs: found
 * through /proc/PID/exe and map_files, version from Py_Version.
 */
static void test_deleted_renamed(void)
{
	const char *src = "/usr/bin/python3.11";
	char dir[] = "/tmp/pytrace test XXXXXX", path[PATH_MAX], cmd[PATH_MAX * 2];
	struct pyproc_info info;
	struct child c;

	if (access(src, X_OK)) {
		printf("  skipped deleted-file test: no %s\n", src);
		return;
	}
	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/my app", dir);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", src, path);
	if (system(cmd) != 0) {
		CHECK(!"copy python");
		rmdir(dir);
		return;
	}
	if (spawn_python(NULL, path, &c)) {
		CHECK(!"renamed python started");
		unlink(path);
		rmdir(dir);
		return;
	}
	unlink(path);
	rmdir(dir);
	CHECK_INT(pyproc_detect(c.pid, &info), PYPROC_OK);
	CHECK(info.runtime == c.runtime);
	CHECK_INT(info.version_hex, c.hexversion);
	snprintf(cmd, sizeof(cmd), "%s (deleted)", path);
	CHECK_STR(info.object, cmd);
	reap(&c);
}

/* No fd left open, and a detection is quick once the files are cached. */
static void test_fds_and_speed(void)
{
	const char *exe = "/usr/bin/python3.11";
	char root[PATH_MAX], lib[PATH_MAX + 64];
	struct pyproc_info info;
	struct child c;
	int before, rounds = 200;
	double t0, per;

	snprintf(lib, sizeof(lib), "%s/versions/3.11.7/bin/python",
		 pyenv_root(root, sizeof(root)));
	if (!access(lib, X_OK))
		exe = lib;
	if (access(exe, X_OK) || spawn_python(NULL, exe, &c)) {
		printf("  skipped fd/speed test: no python3.11\n");
		return;
	}
	before = count_fds();
	pyproc_detect(c.pid, &info);
	t0 = now_us();
	for (int i = 0; i < rounds; i++)
		pyproc_detect(c.pid, &info);
	per = (now_us() - t0) / rounds;
	for (int i = 0; i < 20; i++)
		pyproc_detect(getpid(), &info);
	CHECK_INT(count_fds(), before);
	printf("  pyproc_detect: %.0f us per call (%s)\n", per, exe);
	CHECK(per < 20000);
	reap(&c);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_not_python();
	test_interpreters();
	test_chroot_interpreters();
	test_deleted_renamed();
	test_fds_and_speed();
	return check_done("pyproc");
}
