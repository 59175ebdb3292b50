// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Traced processes: finding their Python and telling the BPF side. */
#include <bpf/bpf.h>
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
	l->fr_read = f + 8;
	l->co_read = c + 8;
}

static struct uproc *uproc_new(struct tracer *t, pid_t tgid, uint32_t gen)
{
	struct uproc *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->tgid = tgid;
	p->gen = gen;
	read_comm(tgid, p->comm, sizeof(p->comm));
	intmap_put(&t->procs, tgid, p);
	t->live++;
	return p;
}

static uint32_t user_gen(void)
{
	static uint32_t next = PT_GEN_USER;

	return next++;
}

struct uproc *proc_add(struct tracer *t, pid_t tgid, uint32_t gen,
		       uint32_t flags)
{
	struct pt_proc bp = { .flags = flags };
	struct uproc *p = intmap_get(&t->procs, tgid);
	__u32 key = tgid;

	if (p)
		return p;
	bp.gen = gen ? gen : user_gen();
	p = uproc_new(t, tgid, bp.gen);
	/* A forked child is already in the map, with its parent's layout. */
	if (p)
		bpf_map_update_elem(bpf_map__fd(t->skel->maps.procs), &key, &bp,
				    BPF_NOEXIST);
	return p;
}

/* Looks for Python; on success fills the Python part of *bp. */
static enum pyproc_result detect(struct uproc *p, struct pt_proc *bp,
				 struct pyproc_info *info)
{
	enum pyproc_result r;

	read_comm(p->tgid, p->comm, sizeof(p->comm));
	r = pyproc_detect(p->tgid, info);
	if (r == PYPROC_OK) {
		bp->runtime = info->runtime;
		bp->layout = info->layout;
		layout_finish(&bp->layout);
		bp->flags |= PT_PROC_F_PYTHON;
	}
	return r;
}

/* Says once why a process gets no frames (at attach, or when unsupported). */
static void explain(struct tracer *t, struct uproc *p, enum pyproc_result r,
		    const struct pyproc_info *info, bool at_attach)
{
	if (r == PYPROC_OK) {
		if (at_attach || t->o->verbose)
			print_notice(t, "Process %d attached (Python %u.%u, %s)",
				     p->tgid, info->version_major,
				     info->version_minor, info->object);
		return;
	}
	if (p->noticed || r == PYPROC_GONE)
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

struct uproc *proc_attach(struct tracer *t, pid_t tgid, bool follow)
{
	struct pt_proc bp = { .flags = follow ? PT_PROC_F_FOLLOW : 0,
			      .gen = user_gen() };
	struct pyproc_info *info = calloc(1, sizeof(*info));
	struct uproc *p = uproc_new(t, tgid, bp.gen);
	enum pyproc_result r;
	__u32 key = tgid;

	if (!p || !info) {
		free(info);
		return p;
	}
	/* Detect first and insert once: no syscall is traced without the
	 * frames it should have. */
	r = detect(p, &bp, info);
	bpf_map_update_elem(bpf_map__fd(t->skel->maps.procs), &key, &bp, BPF_ANY);
	p->python = r == PYPROC_OK;
	explain(t, p, r, info, true);
	free(info);
	return p;
}

void proc_detect(struct tracer *t, struct uproc *p, bool at_attach)
{
	int fd = bpf_map__fd(t->skel->maps.procs);
	struct pyproc_info *info = calloc(1, sizeof(*info));
	struct pt_proc bp;
	__u32 key = p->tgid;
	enum pyproc_result r;

	if (!info)
		return;
	if (bpf_map_lookup_elem(fd, &key, &bp) || bp.gen != p->gen) {
		free(info);
		return;		/* exited or exec'd meanwhile */
	}
	r = detect(p, &bp, info);
	if (r == PYPROC_OK && bpf_map_update_elem(fd, &key, &bp, BPF_EXIST) == 0) {
		p->python = true;
	}
	explain(t, p, r, info, at_attach);
	free(info);
}

void proc_gone(struct tracer *t, pid_t tgid)
{
	struct uproc *p = intmap_del(&t->procs, tgid);
	__u32 key = tgid;

	if (!p)
		return;
	if (!p->python && !p->noticed && !t->o->quiet)
		print_notice(t, "pid %d (%s) ran without Python; no frames were shown",
			     tgid, p->comm);
	bpf_map_delete_elem(bpf_map__fd(t->skel->maps.procs), &key);
	codecache_drop_proc(t->codes, tgid);
	free(p);
	t->live--;
}
