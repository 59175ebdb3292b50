// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Traced processes: finding their Python and telling the BPF side. */
#include <bpf/bpf.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pytrace.skel.h"
#include "tracer.h"

static void read_comm(pid_t pid, char *buf, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	buf[0] = '\0';
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(buf, len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

static unsigned max_u16(unsigned a, unsigned b)
{
	return b != PT_NOFF && b > a ? b : a;
}

/* How many bytes of a frame and of a code object the walker reads at once:
 * enough for the furthest field it needs, and no more. */
static void layout_finish(struct pt_layout *l)
{
	unsigned f = 0, c = 0;

	f = max_u16(f, l->fr_back);
	f = max_u16(f, l->fr_code);
	f = max_u16(f, l->fr_instr);
	f = max_u16(f, l->fr_lasti);
	f = max_u16(f, l->fr_owner);
	c = max_u16(c, l->co_filename);
	c = max_u16(c, l->co_name);
	c = max_u16(c, l->co_linetable);
	c = max_u16(c, l->co_firstlineno);
	c = max_u16(c, l->co_firsttraceable);
	f = max_u16(f, l->fr_tlbc_index);
	c = max_u16(c, l->co_tlbc);
	l->fr_read = f + 8;
	l->co_read = c + 8;
}

static struct uproc *uproc_new(struct tracer *t, pid_t tgid, uint32_t gen)
{
	struct uproc *p = intmap_get(&t->procs, tgid);

	if (p)
		return p;	/* -p given twice, or a thread and its process */
	p = calloc(1, sizeof(*p));
	if (!p || intmap_put(&t->procs, tgid, p)) {
		free(p);
		t->st.alloc_failures++;
		return NULL;
	}
	p->tgid = tgid;
	p->gen = gen;
	read_comm(tgid, p->comm, sizeof(p->comm));
	t->live++;
	return p;
}

static uint32_t user_gen(void)
{
	static uint32_t next = PT_GEN_USER;

	return next++;
}

static bool has_python(struct tracer *t, pid_t tgid, uint32_t gen)
{
	struct pt_python_key k = { .tgid = tgid, .gen = gen };
	struct pt_python py;

	return bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.pythons), &k,
				   &py) == 0;
}

struct uproc *proc_add(struct tracer *t, pid_t tgid, uint32_t gen,
		       uint32_t flags)
{
	struct pt_proc bp = { .flags = flags };
	struct uproc *p = intmap_get(&t->procs, tgid);
	__u32 key = tgid;

	if (p && gen && p->gen != gen) {	/* the id was reused */
		p->gen = gen;
		p->python = has_python(t, tgid, gen);
	}
	if (p)
		return p;
	bp.gen = gen ? gen : user_gen();
	p = uproc_new(t, tgid, bp.gen);
	/* A forked child is in the map already: the BPF side put it there. */
	if (p && !gen)
		bpf_map_update_elem(bpf_map__fd(t->skel->maps.procs), &key, &bp,
				    BPF_NOEXIST);
	if (p)
		p->python = has_python(t, tgid, p->gen);
	return p;
}

/* Runs fn(arg) on a detached thread of its own, or here if none can start. */
static void run_detached(void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	pthread_attr_t a;
	pthread_t th;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);	/* signals stay the loop's */
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&th, &a, fn, arg))
		fn(arg);
	pthread_attr_destroy(&a);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/*
 * Taking a uprobe out waits for a kernel grace period, a sixth of a second
 * on these machines: never in the event loop, where records would wait
 * behind it.  Each goes on a thread of its own, so that many share one
 * grace period; proc_links_wait() waits for the last before pytrace ends.
 */
static atomic_int links_dropping;

static void *drop_link(void *link)
{
	bpf_link__destroy(link);
	atomic_fetch_sub(&links_dropping, 1);
	return NULL;
}

static void link_drop(struct bpf_link **link)
{
	if (!*link)
		return;
	atomic_fetch_add(&links_dropping, 1);
	run_detached(drop_link, *link);
	*link = NULL;
}

void proc_links_wait(void)
{
	while (atomic_load(&links_dropping))
		usleep(2000);
}

/*
 * --frames=uprobe: a uprobe on _PyEval_EvalFrameDefault of this process's
 * image (3.9+, where its first argument is the thread state).  A uprobe
 * filtered by pid fires for every thread of that address space.  The link
 * is a file descriptor of ours: it goes away with pytrace, even on SIGKILL.
 * Where it cannot be put, pytrace says why and walks the thread list.
 */
static void attach_eval_uprobe(struct tracer *t, struct uproc *p,
			      const struct pyproc_info *info)
{
	char path[96];

	link_drop(&p->eval_link);	/* the image before an exec */
	if (info->version_major == 3 && info->version_minor < 9) {
		print_notice(t, "Process %d: Python %u.%u's eval loop does not take "
			     "the thread state; --frames=uprobe walks it instead",
			     p->tgid, info->version_major, info->version_minor);
		return;
	}
	if (!info->eval_offset) {
		print_notice(t, "Process %d: no _PyEval_EvalFrameDefault symbol in "
			     "%s; --frames=uprobe walks it instead", p->tgid,
			     info->object);
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/map_files/%" PRIx64 "-%" PRIx64,
		 (int)p->tgid, info->object_start, info->object_end);
	p->eval_link = bpf_program__attach_uprobe(t->skel->progs.eval_entry,
						  false, p->tgid, path,
						  info->eval_offset);
	if (!p->eval_link && errno != ESRCH)	/* ESRCH: it exited meanwhile */
		print_notice(t, "Process %d: cannot put a uprobe on "
			     "_PyEval_EvalFrameDefault (%s); walking instead",
			     p->tgid, strerror(errno));
}

/*
 * The code-free uprobe (PT_PY_F_CODE_FREES): on the process's own copy of
 * PyCode_Type's tp_dealloc, filtered by pid like the eval-loop uprobe.
 * Once it is in, the walker trusts what it has sent of a code object until
 * the object is freed, and reads no code object of a known frame.  Until
 * then, or where it cannot go in, the walker reads them at every call:
 * slower, as right.
 *
 * It goes in once a process has made CODE_UPROBE_AFTER calls with frames
 * in this image: a process that makes few never pays for putting it in and
 * taking it out (pytrace's time: 15 ms and a sixth of a second here), nor
 * its hits (under a microsecond per code object freed, the target's time;
 * a large program frees thousands as it exits).
 */
#define CODE_UPROBE_AFTER 256

void proc_note_walk(struct tracer *t, pid_t tgid, uint32_t gen)
{
	struct uproc *p = intmap_get(&t->procs, tgid);

	if (p && p->gen == gen && ++p->walks == CODE_UPROBE_AFTER)
		proc_code_frees(t, p);
}

/*
 * Putting the uprobe in takes 13-34 ms here (the kernel writes the
 * breakpoint into the target): in the event loop, records would wait behind
 * it while the target, often in a hot loop by then, fills the ring.  It goes
 * in on a thread of its own; the loop takes the result (proc_code_frees_done)
 * and only then tells the BPF side to trust its slots.  The thread reads
 * nothing of the tracer but the program, which outlives it
 * (proc_attaches_wait() runs before the skeleton goes).
 */
struct free_attach {
	struct free_attach *next;
	struct bpf_program *prog;
	struct bpf_link *link;
	int err;
	pid_t tgid;
	uint32_t gen;
	uint64_t off;
	char path[96];
};

static pthread_mutex_t attach_lock = PTHREAD_MUTEX_INITIALIZER;
static struct free_attach *attach_done;	/* results the loop has not taken */
static atomic_int attaching;

static void *attach_free_uprobe(void *arg)
{
	struct free_attach *a = arg;

	a->link = bpf_program__attach_uprobe(a->prog, false, a->tgid, a->path,
					     a->off);
	a->err = a->link ? 0 : errno;
	pthread_mutex_lock(&attach_lock);
	a->next = attach_done;
	attach_done = a;
	pthread_mutex_unlock(&attach_lock);
	atomic_fetch_sub(&attaching, 1);
	return NULL;
}

void proc_code_frees(struct tracer *t, struct uproc *p)
{
	struct free_attach *a;

	if (p->free_link || p->free_pending || !p->free_off ||
	    t->o->no_frames || t->o->code_reread)
		return;
	a = calloc(1, sizeof(*a));
	if (!a) {
		t->st.alloc_failures++;
		return;
	}
	a->prog = t->skel->progs.code_freed;
	a->tgid = p->tgid;
	a->gen = p->gen;
	a->off = p->free_off;
	snprintf(a->path, sizeof(a->path), "/proc/%d/map_files/%" PRIx64 "-%" PRIx64,
		 (int)p->tgid, p->obj_start, p->obj_end);
	p->free_pending = true;
	atomic_fetch_add(&attaching, 1);
	run_detached(attach_free_uprobe, a);
}

void proc_code_frees_done(struct tracer *t)
{
	int fd = bpf_map__fd(t->skel->maps.pythons);
	struct free_attach *a, *next;

	pthread_mutex_lock(&attach_lock);
	a = attach_done;
	attach_done = NULL;
	pthread_mutex_unlock(&attach_lock);
	for (; a; a = next) {
		struct uproc *p = intmap_get(&t->procs, a->tgid);
		struct pt_python_key k = { .tgid = a->tgid, .gen = a->gen };
		struct pt_python py;

		next = a->next;
		/* Still the image it was put on?  Else it goes out again. */
		if (p && p->gen == a->gen && p->free_pending) {
			p->free_pending = false;
			if (!a->link && a->err != ESRCH)	/* ESRCH: it exited */
				print_notice(t, "Process %d: cannot put a uprobe on "
					     "its code deallocator (%s); reading "
					     "code objects at every call instead",
					     p->tgid, strerror(a->err));
			/* Only the BPF side's fork copies this entry, under
			 * another key. */
			if (a->link && bpf_map_lookup_elem(fd, &k, &py) == 0) {
				py.flags |= PT_PY_F_CODE_FREES;
				bpf_map_update_elem(fd, &k, &py, BPF_EXIST);
			}
			p->free_link = a->link;
			a->link = NULL;
		}
		link_drop(&a->link);
		free(a);
	}
}

void proc_attaches_wait(struct tracer *t)
{
	while (atomic_load(&attaching))
		usleep(2000);
	proc_code_frees_done(t);
}

/*
 * Looks for Python in the process's current image and, if found, tells the
 * BPF side where it is for generation p->gen.  That entry is only ever read
 * for that generation, so if the process exec'd meanwhile, the write is
 * harmless (and removed here).  in_map is false at attach, before the
 * process is in the map: the caller looks again after inserting it.
 */
static enum pyproc_result detect(struct tracer *t, struct uproc *p,
				 struct pyproc_info *info, bool in_map)
{
	int fd = bpf_map__fd(t->skel->maps.pythons);
	struct pt_python_key k = { .tgid = p->tgid, .gen = p->gen };
	struct pt_python py = {};
	struct pt_proc bp;
	__u32 key = p->tgid;
	enum pyproc_result r;

	read_comm(p->tgid, p->comm, sizeof(p->comm));
	link_drop(&p->free_link);	/* the image before an exec */
	p->free_pending = false;	/* one being put in is dropped on arrival */
	p->free_off = 0;
	p->walks = 0;
	r = pyproc_detect(p->tgid, info);
	if (r != PYPROC_OK)
		return r;
	py.runtime = info->runtime;
	py.layout = info->layout;
	layout_finish(&py.layout);
	if (bpf_map_update_elem(fd, &k, &py, BPF_ANY))
		return PYPROC_GONE;
	if (in_map &&
	    (bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.procs), &key, &bp) ||
	     bp.gen != p->gen)) {
		bpf_map_delete_elem(fd, &k);	/* exec'd or exited meanwhile */
		return PYPROC_GONE;
	}
	p->python = true;
	/* After the map entry, so that the walk gives frames meanwhile. */
	if (t->o->frames_uprobe)
		attach_eval_uprobe(t, p, info);
	p->free_off = info->code_dealloc_offset;
	p->obj_start = info->object_start;
	p->obj_end = info->object_end;
	return r;
}

/* Says once why a process gets no frames (at attach, or when unsupported). */
static void explain(struct tracer *t, struct uproc *p, enum pyproc_result r,
		    const struct pyproc_info *info, bool at_attach)
{
	if (r == PYPROC_OK) {
		if (at_attach || t->o->verbose)
			print_notice(t, "Process %d attached (Python %u.%u%s, %s)",
				     p->tgid, info->version_major,
				     info->version_minor,
				     info->free_threaded ? "t" : "",
				     info->object);
		if (t->o->verbose && info->debug_offsets)
			print_notice(t, "Process %d: offsets from its _Py_DebugOffsets"
				     " (%u differ from the %u.%u headers)",
				     p->tgid, info->dbg_changed,
				     info->version_major, info->version_minor);
		return;
	}
	if (p->noticed || r == PYPROC_GONE || r == PYPROC_NOT_READY)
		return;
	if (r == PYPROC_UNSUPPORTED) {
		print_notice(t, "%s %d (%s): %s; tracing without Python frames",
			     at_attach ? "Process" : "pid", p->tgid, p->comm,
			     info->why);
		p->noticed = true;
	} else if (at_attach) {
		print_notice(t, "Process %d attached (%s is not running Python; tracing without Python frames)",
			     p->tgid, p->comm);
		p->noticed = true;
	}
}

/* Threads in /proc/PID/task, to know whether lines need "[pid N]". */
static int count_threads(pid_t pid)
{
	char path[64];
	struct dirent *d;
	int n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((d = readdir(dir)) && n < 2)
		n += d->d_name[0] != '.';
	closedir(dir);
	return n;
}

struct uproc *proc_attach(struct tracer *t, pid_t tgid, bool follow)
{
	struct pt_proc bp = { .flags = follow ? PT_PROC_F_FOLLOW : 0,
			      .gen = user_gen() };
	struct pyproc_info *info, *again;
	struct uproc *p;
	enum pyproc_result r;
	__u32 key = tgid;

	if (intmap_get(&t->procs, tgid))
		return intmap_get(&t->procs, tgid);
	info = calloc(1, sizeof(*info));
	again = calloc(1, sizeof(*again));
	p = uproc_new(t, tgid, bp.gen);
	if (!p || !info || !again)
		goto out;
	p->root = true;
	if (count_threads(tgid) > 1)
		t->multi = true;	/* as strace: every line says whose */
	/* Python first, then the process: no syscall is traced without
	 * the frames it should have. */
	r = detect(t, p, info, false);
	bpf_map_update_elem(bpf_map__fd(t->skel->maps.procs), &key, &bp, BPF_ANY);
	/* An exec between the look and the insert went unseen by the BPF
	 * side: look again, and if the image changed, describe the new one
	 * (an exec after the insert gets a new generation anyway). */
	if (pyproc_detect(tgid, again) != r ||
	    (r == PYPROC_OK && (again->runtime != info->runtime ||
				memcmp(&again->layout, &info->layout,
				       sizeof(info->layout)))))
		r = detect(t, p, info, true);
	explain(t, p, r, info, true);
out:
	free(info);
	free(again);
	return p;
}

void proc_detect(struct tracer *t, struct uproc *p, bool at_attach)
{
	struct pyproc_info *info = calloc(1, sizeof(*info));

	if (!info)
		return;
	explain(t, p, detect(t, p, info, true), info, at_attach);
	free(info);
}

void proc_gone(struct tracer *t, pid_t tgid)
{
	struct uproc *p = intmap_del(&t->procs, tgid);
	struct pt_python_key k = { .tgid = tgid };
	struct pt_proc bp;
	__u32 key = tgid;
	int fd;

	if (!p)
		return;
	if (tgid == t->child)
		t->child_exited = true;
	/* Said of the processes the user named, not of every -f child. */
	if (p->root && !p->python && !p->noticed && !t->o->no_frames)
		print_notice(t, "pid %d (%s) ran without Python; no frames were shown",
			     tgid, p->comm);
	/* Normally the BPF side has removed it; when its exit record was
	 * lost, remove it here, but never a newer process with the same id. */
	fd = bpf_map__fd(t->skel->maps.procs);
	if (bpf_map_lookup_elem(fd, &key, &bp) == 0 && bp.gen == p->gen) {
		bpf_map_delete_elem(fd, &key);
		k.gen = p->gen;
		bpf_map_delete_elem(bpf_map__fd(t->skel->maps.pythons), &k);
	}
	codecache_drop_proc(t->codes, tgid);
	proc_free(p);
	t->live--;
}

void proc_free(struct uproc *p)
{
	link_drop(&p->eval_link);
	link_drop(&p->free_link);
	free(p);
}
