/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * hookcost: what the syscall hooks cost by themselves, and what the reads a
 * 12-frame traceback cannot do without cost, with nothing else around them.
 * It prints nothing useful: bench/run.py times W1 under it to put a floor
 * under pytrace's own W1 number (README.md, "What it costs").
 *
 * For the target's openat calls, "reads" does what any tracer of W1 on
 * these hooks must do at least, each once, the way pytrace does it on 3.11:
 * two dependent 8-byte reads (the thread state's frame pointer, then the
 * frame), one 2 KiB read (the frames themselves), the path, and a record of
 * pytrace's size with 12 frames copied into it; at exit, the return value
 * in a second small record.  The addresses are the caller's stack, which is
 * as hot in the cache as a Python thread's frames are at that moment.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define NR_OPENAT 257
#define WIN 2048
#define FRAMES 12
#define PATH_MAX_ 4096

const volatile __u32 target_tgid;

__u64 read_errors;	/* reads that failed: the floor would be too low */
__u64 lost;		/* records the ring had no room for */

struct rec {
	__u64 ts, args[6];
	__u32 type, size, tid, tgid, nr, n_frames;
	struct { __u64 code, fp; __s32 instr; __u32 flags; } frames[FRAMES];
	char path[256];
};

struct scratch {
	__u8 win[WIN];
	struct rec r;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);
} events SEC(".maps");

static __always_inline bool ours(void)
{
	return bpf_get_current_pid_tgid() >> 32 == target_tgid;
}

/* The reads and the record; at exit (exit-only mode) with the return value. */
static __always_inline void capture(struct pt_regs *regs, long ret)
{
	struct scratch *s = bpf_map_lookup_elem(&scratch, &(__u32){ 0 });
	__u64 sp = regs->sp, a = 0, b = 0;
	long n;

	if (!s)
		return;
	if (bpf_probe_read_user(&a, 8, (void *)sp) ||
	    bpf_probe_read_user(&b, 8, (void *)(sp + 8 + (a & 8))) ||
	    bpf_probe_read_user(s->win, WIN, (void *)(sp + 16)))
		__sync_fetch_and_add(&read_errors, 1);
	n = bpf_probe_read_user_str(s->r.path, sizeof(s->r.path), (void *)regs->si);
	if (n < 0)
		__sync_fetch_and_add(&read_errors, 1);
	for (int i = 0; i < FRAMES; i++) {
		s->r.frames[i].code = *(__u64 *)(s->win + i * 160);
		s->r.frames[i].fp = *(__u64 *)(s->win + i * 160 + 8) ^ b;
		s->r.frames[i].instr = *(__s32 *)(s->win + i * 160 + 16);
		s->r.frames[i].flags = 0;
	}
	s->r.ts = 1;
	s->r.args[0] = regs->di;
	s->r.args[1] = regs->si;
	s->r.args[2] = regs->dx;
	s->r.args[3] = regs->r10;
	s->r.args[4] = ret;
	s->r.type = 1;
	s->r.nr = NR_OPENAT;
	s->r.n_frames = FRAMES;
	s->r.size = sizeof(s->r) - sizeof(s->r.path) + (n > 0 ? n : 0);
	if (bpf_ringbuf_output(&events, &s->r, s->r.size & 1023, BPF_RB_NO_WAKEUP))
		__sync_fetch_and_add(&lost, 1);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(enter_empty, struct pt_regs *regs, long id)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(exit_empty, struct pt_regs *regs, long ret)
{
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(enter_reads, struct pt_regs *regs, long id)
{
	if (id == NR_OPENAT && ours())
		capture(regs, 0);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(exit_record, struct pt_regs *regs, long ret)
{
	struct { __u64 ts; __u32 type, size, tid, tgid; __s64 ret; __u32 nr, flags; } x;

	if (regs->orig_ax != NR_OPENAT || !ours())
		return 0;
	x.ts = 1;
	x.type = 2;
	x.size = sizeof(x);
	x.tid = (__u32)bpf_get_current_pid_tgid();
	x.tgid = target_tgid;
	x.ret = ret;
	x.nr = NR_OPENAT;
	x.flags = 0;
	if (bpf_ringbuf_output(&events, &x, sizeof(x), BPF_RB_NO_WAKEUP))
		__sync_fetch_and_add(&lost, 1);
	return 0;
}

/* Everything at exit, one record: the cheapest a tracer could be that
 * shows a call only once it has returned. */
SEC("tp_btf/sys_exit")
int BPF_PROG(exit_reads, struct pt_regs *regs, long ret)
{
	if (regs->orig_ax == NR_OPENAT && ours())
		capture(regs, ret);
	return 0;
}
