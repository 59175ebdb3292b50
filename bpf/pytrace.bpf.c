// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pytrace kernel side.
 *
 * sys_enter: for a traced process and a selected syscall, record the
 * arguments (and data that must be read before the call: paths, buffers
 * being written, sockaddrs, argv) and walk the calling thread's Python
 * frames.  sys_exit: the return value and data the call produced.  The
 * frames carry only code-object addresses; a code object's names and line
 * table go out once, in a code record, the first time it is seen.
 *
 * Everything read from the target is untrusted: every loop is bounded, every
 * read is checked, and a failed read ends the walk with a status.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "pytrace.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* x86_64 syscall numbers the programs themselves look at. */
#define NR_MMAP 9
#define NR_EXECVE 59
#define NR_EXECVEAT 322
#define PROT_EXEC 4
#define SIGKILL 9
#define TS_COMPAT 0x0002	/* thread_info.status: in a 32-bit syscall */

/* Set by user space before load. */
const volatile __u32 strsize = 32;	/* -s: bytes of buffers captured */
const volatile __u32 max_frames = PT_MAX_FRAMES;
const volatile bool want_frames = true;
/* Some output shows time (-t, -r, -T, -c, JSON): syscall records carry it. */
const volatile bool want_time = true;
const volatile __u64 ring_size = 8 << 20;	/* the events map's size */

/* Selected syscalls, one bit each; set by user space before load. */
__u64 syscall_mask[PT_NR_SYSCALLS / 64];

/*
 * Generations name one address space of one process: a new one at exec and
 * at fork.  They are unique for the whole session (user space numbers the
 * processes it adds from PT_GEN_USER up), so a recycled PID never meets the
 * code objects its predecessor sent.
 */
__u32 next_gen = 1;

static __always_inline __u32 new_gen(void)
{
	return __sync_fetch_and_add(&next_gen, 1) & (PT_GEN_USER - 1);
}

struct tstate_ent {
	__u64 tstate;		/* 0: looked for and not found ... */
	__u64 ts;		/* ... at this time */
	__u32 gen;
	__u32 tgid;
};

/*
 * A thread's last walk, place by place (the first MEMO_FRAMES; deeper
 * places share the entries): the code object at each and the record its
 * slot named.  A frame whose code object is the one in its entry takes fp
 * and firsttraceable from there, without the slot, while the entry's
 * generation is the process image's and no code object with a valid slot
 * has been freed since (code_frees, bumped by the code-free uprobe).  Only
 * where slots are trusted.  In a loop, most of a stack is the same from
 * one call to the next.
 */
#define MEMO_FRAMES 32

struct frame_memo {
	__u64 code;		/* 0: none */
	__u64 fp;
	__u64 frees;		/* code_frees when it was written */
	__u32 gen;
	__s32 first;
};

struct inflight {
	__u64 ts;		/* entry time (1 without want_time); 0: no
				   syscall in flight */
	__u64 args[PT_NARGS];
	__u32 nr;
	__u16 refetch;	/* arguments to read again at exit (bit per arg) */
	__u16 entry_out;	/* the entry record is in the ring */
	struct tstate_ent thr;	/* the thread's PyThreadState, as last found */
	struct frame_memo memo[MEMO_FRAMES];
};


/*
 * A thread without a PyThreadState (a C thread) is looked for again only
 * after this long, not at every syscall.  A thread younger than
 * YOUNG_THREAD_NS is always looked for: CPython sets a new thread's
 * thread_id only after the thread's first (C library) syscalls.
 */
#define NO_TSTATE_RETRY_NS (10 * 1000 * 1000)
#define YOUNG_THREAD_NS (200 * 1000 * 1000)
/* Scans of a thread list that a thread's exit broke, before giving up. */
#define SCAN_TRIES 3

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct pt_proc);
} procs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, struct pt_python_key);
	__type(value, struct pt_python);
} pythons SEC(".maps");

/*
 * Per-thread state lives in task storage: no hashing or locking on the hot
 * path, nothing to rekey when a thread's id changes at exec, and the kernel
 * frees it with the thread.
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct inflight);
} inflight SEC(".maps");


struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PT_CODE_SLOTS);
	__type(key, __u32);
	__type(value, struct pt_code_slot);
} code_slots SEC(".maps");

/* The next code record's number where code frees are reported (even). */
__u64 code_seq;
/* Code objects with a valid slot freed so far: a change voids every memo. */
__u64 code_frees;
/* The jiffy in which a syscall record last woke user space. */
__u64 last_wake;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PT_NR_SYSCALLS);
	__type(key, __u32);
	__type(value, struct pt_spec);
} specs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);	/* resized by user space */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PT_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/*
 * Scratch space, per CPU.  A program cannot re-enter itself on one CPU, but
 * sys_enter may be preempted by another task's sys_exit, so each has its own
 * event buffer.  Offsets into a buffer are masked to half its size and no
 * write is longer than that half, so every access is provably in bounds.
 * (A per-CPU value is at most 32 KiB, hence two maps.)
 */
#define EV_HALF 16384
#define CODE_HALF 8192
#define CHUNK 512	/* objects are read whole, up to CHUNK_READ bytes */
#define CHUNK_READ PT_OBJ_READ
/* 3.11+ keeps a thread's frames next to each other in its data stack,
 * callers below callees: one read of this much below the innermost frame
 * usually holds every frame of the walk. */
#define WIN 2048

struct ev_scratch {
	__u8 ev[2 * EV_HALF];
};

struct scratch {		/* the frame walk's */
	__u8 code[2 * CODE_HALF];
	__u8 fr[CHUNK];
	__u8 co[CHUNK];
	__u8 str[CHUNK];
	__u8 win[WIN + CHUNK];	/* slack: a frame at the window's end */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 3);	/* 0: sys_enter, 1: sys_exit, 2: blocked_stack */
	__type(key, __u32);
	__type(value, struct ev_scratch);
} ev_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);	/* 0: sys_enter, 1: blocked_stack */
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

/*
 * Waking user space costs the traced thread more than the record itself (an
 * interrupt it sends itself, a VM exit under a hypervisor), so syscall
 * records wake user space only while the ring is over a quarter full, and
 * then at most once per clock tick (a few ms), never per record while user
 * space drains.  (Waking once per crossing of a mark is not enough: with
 * many threads the crossing record can miss it.)  User space also looks
 * every 20 ms (POLL_MS).  Syscall records are dropped, and counted, once
 * the ring is three quarters full: the rest is kept for code and process
 * records, which must not be lost to a flood.
 * Process records (exec, fork, exit) always wake user space: it has to look
 * at a new image before the program gets far.
 * An exit record without captures (40 bytes) of a call whose entry went out
 * skips the fill check, and with it a look at the ring's positions that
 * costs the traced thread as much as the record: there is at most one per
 * thread beyond the mark, and user space is on its way already.
 */
static __always_inline long emit_syscall_record(void *rec, __u64 size)
{
	__u64 avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (avail > ring_size / 4 * 3)
		return -1;
	if (avail >= ring_size / 4) {
		__u64 tick = bpf_jiffies64();

		if (tick != last_wake) {
			last_wake = tick;
			flags = BPF_RB_FORCE_WAKEUP;
		}
	}
	return bpf_ringbuf_output(&events, rec, size, flags);
}

static __always_inline void count(enum pt_counter c)
{
	__u32 k = c;
	__u64 *v = bpf_map_lookup_elem(&counters, &k);

	if (v)
		*v += 1;
}

static __always_inline __u64 rd64(const __u8 *buf, __u16 off)
{
	return *(const __u64 *)(buf + (off & (CHUNK_READ - 1)));
}

static __always_inline __u32 rd32(const __u8 *buf, __u16 off)
{
	return *(const __u32 *)(buf + (off & (CHUNK_READ - 1)));
}

static __always_inline __u8 rd8(const __u8 *buf, __u16 off)
{
	return buf[off & (CHUNK_READ - 1)];
}

/* Reads [0, need) of an object into a chunk buffer. */
static __always_inline int rdchunk(__u8 *buf, __u32 need, __u64 addr)
{
	if (!addr)
		return -1;
	if (need > CHUNK_READ)
		need = CHUNK_READ;
	return bpf_probe_read_user(buf, need, (void *)addr);
}

static __always_inline int rdptr(__u64 addr, __u64 *out)
{
	*out = 0;
	if (!addr)
		return -1;
	return bpf_probe_read_user(out, sizeof(*out), (void *)addr);
}

struct scan_ctx {
	struct task_struct *task;	/* whose memory is read */
	const struct pt_layout *l;
	__u64 fsbase;
	__u64 interp;
	__u64 interp0;		/* the first interpreter: a retry starts there */
	__u64 cur;		/* the interpreter whose list is being read */
	__u8 *buf;		/* a thread state read whole, [0, need) */
	__u32 need;
	__u64 ts;
	__u64 found;
	int err;
	int tries;
};

struct walk_ctx {
	struct task_struct *task;	/* whose memory is read */
	const struct pt_python *py;
	struct scratch *s;
	struct pt_frame *frames;	/* in the enter record */
	__u64 frame;
	__u64 first;
	__u64 win_base;		/* target address of s->win[0]; 0: no window */
	__u32 tgid;
	__u32 gen;
	__u16 n;
	__u16 depth;
	int status;
	bool frees;		/* the code-free uprobe runs: slots are trusted */
	__u64 frees_now;	/* code_frees as the walk began */
	struct frame_memo *memo;	/* the thread's */
};

static __always_inline __u64 mix(__u64 h, __u64 v)
{
	h ^= v;
	h *= 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

/* The walk reading the current thread: syscall entry. */
#define W(name) name
#define W_MEMO 1
#define RD(task, dst, size, addr) bpf_probe_read_user(dst, size, (void *)(addr))
#include "walk.inc.h"
#undef W
#undef W_MEMO
#undef RD

/* The walk reading another task: the blocked_stack iterator (sleepable). */
#define W(name) name##_task
#define W_MEMO 0	/* another thread's memo is not the iterator's to touch */
#define RD(task, dst, size, addr) \
	bpf_copy_from_user_task(dst, size, (void *)(addr), task, 0)
#include "walk.inc.h"
#undef W
#undef W_MEMO
#undef RD

/* ---- argument captures --------------------------------------------------- */

struct cap_ctx {
	__u8 *buf;		/* the record being built */
	const struct pt_spec *spec;
	const __u64 *args;
	__s64 ret;
	__u32 off;		/* next capture goes here */
	__u16 n;
	bool exit;
	__u8 refetch;		/* in: args to read at exit; out: entry faults */
};

struct strv_ctx {
	__u8 *buf;
	__u64 argv;
	__u32 off;		/* next entry goes here */
	__u32 end;		/* no entry may start past this */
	__u32 count;
	bool trunc;
};

/* envp: strace shows only how many there are. */
static long strv_count_cb(__u32 i, struct strv_ctx *c)
{
	__u64 ptr;

	if (rdptr(c->argv + i * 8, &ptr) || !ptr)
		return 1;
	c->count++;
	return 0;
}

/* One argv string: u16 length, then the bytes (no NUL). */
static long strv_cb(__u32 i, struct strv_ctx *c)
{
	__u32 room;
	__u64 ptr;
	long n;

	if (rdptr(c->argv + i * 8, &ptr) || !ptr)
		return 1;
	c->count++;
	room = c->end - c->off;
	if (c->off + 4 > c->end) {
		c->trunc = true;
		return 0;	/* keep counting */
	}
	/* Up to strsize + 1 characters: one more than is shown, so the
	 * decoder can tell a string of exactly -s bytes from a longer one;
	 * fewer when the capture area is nearly full (then it shows cut). */
	room -= 2;
	if (room > strsize + 2)
		room = strsize + 2;
	n = bpf_probe_read_user_str(c->buf + ((c->off + 2) & (EV_HALF - 1)),
				    room & (PT_CAP_BYTES * 2 - 1), (void *)ptr);
	if (n < 1)
		n = 1;
	*(__u16 *)(c->buf + (c->off & (EV_HALF - 1))) = n - 1;
	c->off += 2 + n - 1;
	return 0;
}

/*
 * readv/writev: the iovec array and the start of each buffer.  The running
 * state lives in the record buffer's unused tail, not on the stack: the
 * verifier does not track values loaded from map memory, so the loop's
 * states converge instead of multiplying with every offset.
 */
struct iov_state {
	__u64 left;		/* bytes the call moved, not yet shown */
	__u32 off;		/* next entry goes here */
	__u32 n;
	__u32 trunc;
};

#define IOV_STATE_OFF (2 * EV_HALF - 64)

struct iov_ctx {
	__u8 *buf;
	__u64 iov;
	__u64 count;
	__u32 end;
	__u32 each;		/* most bytes copied per entry */
};

static long iov_cb(__u32 i, struct iov_ctx *x)
{
	struct iov_state *st = (struct iov_state *)(x->buf + IOV_STATE_OFF);
	struct { __u64 base, len; } v;
	struct pt_iov *e;
	__u32 off = st->off & (EV_HALF - 1), data = off + sizeof(*e);
	__u64 n, left = st->left;

	if (i >= x->count)
		return 1;
	if (data > x->end || i >= PT_IOV_MAX ||
	    bpf_probe_read_user(&v, sizeof(v), (void *)(x->iov + i * sizeof(v)))) {
		st->trunc = 1;
		return 1;
	}
	e = (struct pt_iov *)(x->buf + off);
	e->base = v.base;
	e->len = v.len;
	e->flags = 0;
	n = v.len < left ? v.len : left;
	st->left = left - n;
	if (n > x->each)
		n = x->each;
	if (n > x->end - data)
		n = x->end - data;
	if (n && bpf_probe_read_user(x->buf + data, n & (PT_CAP_BYTES * 2 - 1),
				     (void *)v.base)) {
		e->flags = PT_CAP_F_FAULT;
		n = 0;
	}
	e->copied = n;
	st->off = (data + n + 7) & ~7u;
	st->n++;
	return 0;
}

/* Fills a PT_CAP_IOV_* capture; returns the bytes used after the header. */
static __always_inline __u32 cap_iov(struct cap_ctx *c, struct pt_cap *cap,
				     __u32 data, __u64 addr, __u32 ai, bool out)
{
	struct iov_state *st = (struct iov_state *)(c->buf + IOV_STATE_OFF);
	__u32 la = c->spec->len_arg[ai] & 7;
	struct iov_ctx x = { .buf = c->buf, .iov = addr,
			     .end = data + PT_CAP_BYTES - sizeof(struct pt_iov),
			     .each = c->spec->size[ai] };

	if (la >= PT_NARGS)
		return 0;
	x.count = c->args[la];
	st->left = out ? (c->ret > 0 ? c->ret : 0) : ~0ull;
	st->off = data;
	st->n = 0;
	st->trunc = 0;
	bpf_loop(PT_IOV_MAX + 1, iov_cb, &x, 0);
	cap->full_len = x.count > 0xffffffffull ? 0xffffffff : x.count;
	if (st->trunc || st->n < x.count)
		cap->flags = PT_CAP_F_TRUNC;
	return (st->off - data) & (PT_CAP_BYTES * 2 - 1);
}

/* getdents64: strace shows how many entries the call returned (counted
 * in the first PT_DIRENTS_SPAN bytes). */
#define PT_DIRENTS_SPAN (1 << 20)
struct dirent_ctx {
	__u64 addr;
	__u64 size;
	__u64 pos;
	__u32 count;
};

static long dirent_cb(__u32 i, struct dirent_ctx *d)
{
	__u16 reclen;

	if (d->pos >= d->size)
		return 1;
	/* d_reclen follows d_ino and d_off */
	if (bpf_probe_read_user(&reclen, sizeof(reclen), (void *)(d->addr + d->pos + 16)) ||
	    !reclen)
		return 1;
	/* masked so that the verifier sees the range settle */
	d->pos = (d->pos + reclen) & (PT_DIRENTS_SPAN * 2 - 1);
	d->count = (d->count + 1) & (PT_DIRENTS_MAX * 2 - 1);
	return 0;
}

/* Bytes of ioctl's argument worth reading, by request (0: none). */
static __always_inline __u32 ioctl_size(__u32 req)
{
	switch (req) {
	case 0x5401:		/* TCGETS: struct termios (kernel's) */
		return 36;
	case 0x5413:		/* TIOCGWINSZ */
		return 8;
	case 0x540f:		/* TIOCGPGRP */
	case 0x5411:		/* TIOCOUTQ */
	case 0x541b:		/* FIONREAD */
	case 0x5421:		/* FIONBIO */
	case 0x5452:		/* FIOASYNC */
		return 4;
	default:
		return 0;
	}
}

/* Bytes of a MEM capture (before the bound): see pt_spec.elem. */
static __always_inline __u64 mem_len(struct cap_ctx *c, __u32 ai, __u64 max)
{
	__u8 el = c->spec->elem[ai];
	__u32 la = c->spec->len_arg[ai] & 7;
	__u64 n;

	if (el == PT_ELEM_FIXED)
		return max;
	if (la == PT_LEN_RET)
		n = c->ret > 0 ? c->ret : 0;
	else if (la < PT_NARGS)
		n = c->args[la];
	else
		return 0;
	if (el == PT_ELEM_BITS)
		return (((__u32)n + 63ull) / 64) * 8;
	if (n > PT_CAP_BYTES)
		n = PT_CAP_BYTES;
	return n * el;
}

static long cap_cb(__u32 i, struct cap_ctx *c)
{
	__u32 ai = i & 7;
	__u8 kind, out_kind;
	struct pt_cap *cap;
	__u64 addr, want = 0, max;
	__u32 data;
	long n;

	if (ai >= PT_NARGS)
		return 1;
	kind = c->spec->kind[ai];
	max = c->spec->size[ai];
	if (max > PT_CAP_BYTES)
		max = PT_CAP_BYTES;
	out_kind = pt_cap_is_out(kind);
	if (kind == PT_CAP_NONE)
		return 0;
	/* MEM_INOUT: at exit a second copy, unless the entry one faulted */
	if (c->exit && kind == PT_CAP_MEM_INOUT && !(c->refetch & (1 << ai))) {
		if (c->ret < 0)
			return 0;
		out_kind = true;
	}
	if (c->exit ? !out_kind && !(c->refetch & (1 << ai)) : out_kind)
		return 0;
	if (c->off > EV_HALF - PT_CAP_BYTES - 64)
		return 1;	/* no room: later arguments print raw */
	addr = c->args[ai];
	cap = (struct pt_cap *)(c->buf + (c->off & (EV_HALF - 1)));
	data = c->off + sizeof(*cap);
	cap->arg = ai;
	cap->flags = c->exit && kind == PT_CAP_MEM_INOUT && out_kind ? PT_CAP_F_EXIT : 0;
	cap->len = 0;
	cap->full_len = 0;
	if (!addr) {
		cap->flags = PT_CAP_F_FAULT;
		goto done;
	}
	switch (kind) {
	case PT_CAP_PATH:
		/* strace shows whole paths, whatever -s says */
		n = bpf_probe_read_user_str(c->buf + (data & (EV_HALF - 1)),
					    PT_PATH_MAX, (void *)addr);
		if (n < 0) {
			cap->flags = PT_CAP_F_FAULT;
			goto done;
		}
		cap->len = n > 0 ? n - 1 : 0;
		cap->full_len = cap->len;
		if (n >= PT_PATH_MAX)
			cap->flags = PT_CAP_F_TRUNC;
		goto done;
	case PT_CAP_BUF_IN:
	case PT_CAP_SOCKADDR_IN: {
		__u32 la = c->spec->len_arg[ai] & 7;

		if (la >= PT_NARGS)
			return 0;
		want = c->args[la];
		break;
	}
	case PT_CAP_BUF_OUT:
		want = c->ret > 0 ? c->ret : 0;
		break;
	case PT_CAP_STRUCT_OUT:
		if (c->ret < 0)
			return 0;
		want = max;
		break;
	case PT_CAP_STRV: {
		struct strv_ctx sc = { .buf = c->buf, .argv = addr, .off = data,
				       .end = data + PT_CAP_BYTES };

		if (max)
			bpf_loop(PT_STRV_MAX * 64, strv_cb, &sc, 0);
		else
			bpf_loop(PT_STRV_MAX * 64, strv_count_cb, &sc, 0);
		cap->full_len = sc.count;
		cap->len = sc.off - data;
		if (sc.trunc)
			cap->flags = PT_CAP_F_TRUNC;
		goto done;
	}
	case PT_CAP_MEM_IN:
	case PT_CAP_MEM_INOUT:
		want = mem_len(c, ai, max);
		break;
	case PT_CAP_MEM_OUT:
		if (c->ret < 0)
			return 0;
		want = mem_len(c, ai, max);
		break;
	case PT_CAP_IOCTL_OUT:
		if (c->ret < 0 || !(want = ioctl_size(c->args[1])))
			return 0;
		break;
	case PT_CAP_SOCKADDR_OUT: {
		__u32 la = c->spec->len_arg[ai] & 7, olen = 0;

		if (c->ret < 0 || la >= PT_NARGS)
			return 0;
		if (bpf_probe_read_user(&olen, sizeof(olen), (void *)c->args[la])) {
			cap->flags = PT_CAP_F_FAULT;
			goto done;
		}
		want = olen;
		break;
	}
	case PT_CAP_IOV_IN:
	case PT_CAP_IOV_OUT:
		if (c->exit && c->ret < 0)
			return 0;
		cap->len = cap_iov(c, cap, data, addr, ai, kind == PT_CAP_IOV_OUT);
		goto done;
	case PT_CAP_DIRENTS: {
		struct dirent_ctx d = { .addr = addr };

		d.size = c->ret > PT_DIRENTS_SPAN ? PT_DIRENTS_SPAN : c->ret;

		if (c->ret < 0)
			return 0;
		bpf_loop(PT_DIRENTS_MAX, dirent_cb, &d, 0);
		cap->full_len = d.count;
		if (d.pos < d.size)
			cap->flags = PT_CAP_F_TRUNC;
		goto done;
	}
	default:
		return 0;
	}
	cap->full_len = want > 0xffffffffull ? 0xffffffff : want;
	if (want > max) {
		want = max;
		cap->flags = PT_CAP_F_TRUNC;
	}
	if (want && bpf_probe_read_user(c->buf + (data & (EV_HALF - 1)),
					want & (PT_CAP_BYTES * 2 - 1),
					(void *)addr)) {
		cap->flags = PT_CAP_F_FAULT;
		goto done;
	}
	cap->len = want;
done:
	/*
	 * A page the program cannot fault in (a string in a file mapping
	 * not touched yet) fails at entry; the kernel faults it in for the
	 * call itself, so the exit program reads it again.
	 */
	if (!c->exit && (cap->flags & PT_CAP_F_FAULT) && addr)
		c->refetch |= 1 << ai;
	c->off = (data + cap->len + 7) & ~7u;
	c->n++;
	return 0;
}

/* Only as far as the last argument with a capture; at exit, only where
 * there is something to read then (most calls have nothing). */
static __always_inline void capture(struct cap_ctx *c)
{
	if (c->exit && !c->spec->at_exit && !c->refetch)
		return;
	if (c->spec->scan)
		bpf_loop(c->spec->scan, cap_cb, c, 0);
}

/* ---- syscall entry and exit ---------------------------------------------- */

static __always_inline void proc_event(__u32 type, __u32 tid, __u32 tgid,
				       __u32 gen, __s32 code)
{
	struct pt_proc_event r = { .h = { .type = type, .size = sizeof(r),
					   .tid = tid, .tgid = tgid },
				   .gen = gen, .exit_code = code };

	r.h.ts = bpf_ktime_get_ns();
	if (bpf_ringbuf_output(&events, &r, sizeof(r), BPF_RB_FORCE_WAKEUP))
		count(PT_CNT_PROC_DROP);
}


/*
 * SIGKILL pending for this thread (exit_group from another thread, or a
 * kill): the call was cut short and the thread dies before returning.
 */
static __always_inline bool killed(struct task_struct *task)
{
	return task->pending.signal.sig[0] & (1ul << (SIGKILL - 1)) ||
	       task->signal->shared_pending.signal.sig[0] &
		       (1ul << (SIGKILL - 1));
}

/* A 32-bit syscall (int 0x80) made by a 64-bit process. */
static __always_inline bool compat_syscall(struct task_struct *task)
{
	return task->thread_info.status & TS_COMPAT;
}

static __always_inline bool selected(long nr)
{
	if (nr < 0 || nr >= PT_NR_SYSCALLS)
		return false;
	return syscall_mask[(nr >> 6) & (PT_NR_SYSCALLS / 64 - 1)] &
	       (1ull << (nr & 63));
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	/* One helper call: ids and the rest are loads from the task. */
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tgid = task->tgid, tid = task->pid, zero = 0;
	struct inflight *rec;
	struct pt_proc *p;
	struct scratch *s;
	struct ev_scratch *es;
	struct pt_enter *e;
	const struct pt_spec *spec;

	/* Every syscall of every process comes here while pytrace runs:
	 * the cheap tests first, the map lookup only for what may be ours.
	 * Besides the selected calls only execve matters, to the command a
	 * launch waits for. */
	if (compat_syscall(task)) {
		if (bpf_map_lookup_elem(&procs, &tgid))
			count(PT_CNT_COMPAT);	/* numbered by the i386 table */
		return 0;
	}
	if (!selected(id) && id != NR_EXECVE)
		return 0;
	p = bpf_map_lookup_elem(&procs, &tgid);
	if (!p)
		return 0;
	if (p->flags & PT_PROC_F_AWAIT_EXEC) {
		/* pytrace's own code between fork and exec is not the
		 * command's: tracing starts at the command's execve. */
		if (id != NR_EXECVE)
			return 0;
		p->flags &= ~PT_PROC_F_AWAIT_EXEC;
	}
	if (!selected(id))
		return 0;
	s = bpf_map_lookup_elem(&scratch, &zero);
	es = bpf_map_lookup_elem(&ev_scratch, &zero);
	spec = bpf_map_lookup_elem(&specs, &(__u32){ id });
	if (!s || !es || !spec)
		return 0;
	rec = bpf_task_storage_get(&inflight, task, 0,
				   BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!rec) {
		count(PT_CNT_INFLIGHT_FULL);	/* no memory for it */
		return 0;
	}

	rec->ts = want_time ? bpf_ktime_get_ns() : 1;
	rec->nr = id;
	rec->args[0] = regs->di;
	rec->args[1] = regs->si;
	rec->args[2] = regs->dx;
	rec->args[3] = regs->r10;
	rec->args[4] = regs->r8;
	rec->args[5] = regs->r9;

	e = (struct pt_enter *)es->ev;
	e->h.type = PT_EV_ENTER;
	e->h.ts = rec->ts;
	e->h.tid = tid;
	e->h.tgid = tgid;
	__builtin_memcpy(e->args, rec->args, sizeof(e->args));
	e->nr = id;
	e->gen = p->gen;
	e->n_frames = 0;
	e->depth = 0;
	e->n_caps = 0;
	e->stack_status = PT_STACK_DISABLED;
	if (want_frames)
		walk_stack(p, s, e, task, rec);

	struct cap_ctx c = {
		.buf = es->ev, .spec = spec, .args = rec->args,
		.off = sizeof(*e) + (e->n_frames & (PT_MAX_FRAMES - 1 + PT_MAX_FRAMES)) *
					    sizeof(struct pt_frame),
	};
	capture(&c);
	e->n_caps = c.n;
	e->h.size = c.off;
	rec->refetch = c.refetch;
	rec->entry_out = !emit_syscall_record(e, c.off & (2 * EV_HALF - 1));
	if (!rec->entry_out)
		count(PT_CNT_ENTER_DROP);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tgid = task->tgid, tid = task->pid, one = 1;
	struct inflight *rec;
	struct pt_proc *p;
	struct ev_scratch *s;
	struct pt_exit *x;
	const struct pt_spec *spec;
	__u32 nr;

	nr = regs->orig_ax;
	/* An executable file mapping may have brought libpython in: let
	 * user space look (mmap(addr, len, prot, flags, fd, off)). */
	if (nr == NR_MMAP && ret >= 0 && (regs->dx & PROT_EXEC) &&
	    (int)regs->r8 >= 0 && (p = bpf_map_lookup_elem(&procs, &tgid))) {
		struct pt_python_key pk = { .tgid = tgid, .gen = p->gen };

		if (!bpf_map_lookup_elem(&pythons, &pk))
			proc_event(PT_EV_RESCAN, tid, tgid, p->gen, 0);
	}
	/* Only a selected call can be in flight, and only in a traced
	 * process: its thread has task storage, others have none. */
	if (!selected(nr))
		return 0;
	rec = bpf_task_storage_get(&inflight, task, 0, 0);
	if (!rec || !rec->ts)
		return 0;
	s = bpf_map_lookup_elem(&ev_scratch, &one);
	nr = rec->nr;
	spec = bpf_map_lookup_elem(&specs, &nr);
	if (!s || !spec)
		goto out;

	x = (struct pt_exit *)s->ev;
	x->h.type = PT_EV_EXIT;
	x->h.ts = want_time ? bpf_ktime_get_ns() : 0;
	x->h.tid = tid;
	x->h.tgid = tgid;
	x->ret = ret;
	x->nr = nr;
	x->flags = killed(task) ? PT_EXIT_F_KILLED : 0;

	struct cap_ctx c = { .buf = s->ev, .spec = spec, .args = rec->args,
			     .ret = ret, .off = sizeof(*x), .exit = true,
			     .refetch = rec->refetch };

	/* After a successful exec the old addresses mean nothing. */
	if ((nr == NR_EXECVE || nr == NR_EXECVEAT) && ret == 0)
		c.refetch = 0;
	capture(&c);
	x->n_caps = c.n;
	x->h.size = c.off;
	if (c.n || !rec->entry_out
		? emit_syscall_record(x, c.off & (2 * EV_HALF - 1))
		: bpf_ringbuf_output(&events, x, sizeof(*x), BPF_RB_NO_WAKEUP))
		count(PT_CNT_EXIT_DROP);
out:
	rec->ts = 0;
	return 0;
}

/* ---- process life cycle -------------------------------------------------- */

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_exec, struct task_struct *task, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);
	__u32 pid = BPF_CORE_READ(task, pid);
	struct pt_proc *p = bpf_map_lookup_elem(&procs, &tgid);
	struct pt_python_key pk = { .tgid = tgid };

	if (!p)
		return 0;
	/* A new address space: the old runtime and code addresses mean
	 * nothing now.  User space looks at the new image. */
	pk.gen = p->gen;
	bpf_map_delete_elem(&pythons, &pk);
	p->gen = new_gen();
	/* A thread other than the leader that exec'd now has the leader's
	 * id; its in-flight execve is in its task storage all the same. */
	proc_event(PT_EV_EXEC, pid, tgid, p->gen, old_pid);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	struct pt_python_key pk = { .tgid = ptgid };
	const struct pt_python *py;
	struct pt_proc *p, c;

	if (ctgid == ptgid)
		return 0;	/* a new thread: already covered by its tgid */
	p = bpf_map_lookup_elem(&procs, &ptgid);
	if (!p || !(p->flags & PT_PROC_F_FOLLOW))
		return 0;
	c.gen = new_gen();
	c.flags = PT_PROC_F_FOLLOW;
	if (bpf_map_update_elem(&procs, &ctgid, &c, BPF_ANY)) {
		count(PT_CNT_PROC_DROP);
		return 0;
	}
	/* The child is a copy of the parent: same runtime, same layout; but
	 * the parent's code-free uprobe does not see the child's frees. */
	pk.gen = p->gen;
	py = bpf_map_lookup_elem(&pythons, &pk);
	if (py) {
		struct pt_python cpy = *py;

		cpy.flags &= ~PT_PY_F_CODE_FREES;
		pk.tgid = ctgid;
		pk.gen = c.gen;
		bpf_map_update_elem(&pythons, &pk, &cpy, BPF_ANY);
	}
	proc_event(PT_EV_FORK, ctgid, ctgid, c.gen, ptgid);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_exit, struct task_struct *task)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);
	__u32 tid = BPF_CORE_READ(task, pid);
	struct pt_proc *p = bpf_map_lookup_elem(&procs, &tgid);
	struct pt_python_key pk = { .tgid = tgid };

	/* The threads' task storage goes with them. */
	if (!p)
		return 0;
	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return 0;	/* other threads live on */
	pk.gen = p->gen;
	/* Several last threads may see live == 0: the one whose delete
	 * succeeds reports the exit, once. */
	if (bpf_map_delete_elem(&procs, &tgid))
		return 0;
	bpf_map_delete_elem(&pythons, &pk);
	proc_event(PT_EV_PROC_EXIT, tid, tgid, pk.gen,
		   BPF_CORE_READ(task, exit_code));
	return 0;
}

/* ---- --frames=uprobe: the eval loop tells the thread state ---------------- */

/*
 * _PyEval_EvalFrameDefault(PyThreadState *tstate, frame, throwflag), 3.9+.
 * Attached per traced process by user space.  Every entry of the eval loop
 * (each Python call from C; in 3.9 and 3.10 each Python call) pays for this
 * uprobe; the syscall side then finds the thread state in the thread's
 * task storage.
 * A thread that has not entered the eval loop since the uprobe went in (one
 * started before, still in the same Python frame) is looked for in the
 * thread list as with --frames=walk.
 */
SEC("uprobe")
int BPF_KPROBE(eval_entry, __u64 tstate)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	const struct pt_proc *p = bpf_map_lookup_elem(&procs, &tgid);
	struct inflight *rec;
	struct tstate_ent *ent;

	if (!p || !tstate)
		return 0;
	rec = bpf_task_storage_get(&inflight, bpf_get_current_task_btf(), 0,
				   BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!rec)
		return 0;
	ent = &rec->thr;
	if (ent->tstate == tstate && ent->gen == p->gen && ent->tgid == tgid)
		return 0;
	ent->tstate = tstate;
	ent->ts = bpf_ktime_get_ns();
	ent->gen = p->gen;
	ent->tgid = tgid;
	return 0;
}

/* ---- code objects freed --------------------------------------------------- */

/*
 * The tp_dealloc of PyCode_Type (code_dealloc), entered with the code
 * object about to be freed.  Attached per traced process by user space; it
 * forgets the slot, so an object allocated at that address later is read
 * and sent as new.  Nothing on a thread's stack is being freed: a walk never
 * races with this for the code it is looking at.
 */
SEC("uprobe")
int BPF_KPROBE(code_freed, __u64 code)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u32 i = pt_code_slot_index(code, tgid);
	struct pt_code_slot *slot = bpf_map_lookup_elem(&code_slots, &i);

	if (slot && slot->code == code && slot->tgid == tgid) {
		slot->check = 0;
		__sync_fetch_and_add(&code_frees, 1);
	}
	return 0;
}

/* ---- a thread blocked since before the attach ------------------------------ */

/*
 * Its entry came before the probes, so sys_enter never walked its stack.
 * User space runs this iterator on that one thread (a tid-filtered task
 * iterator) when it prints the call: the same walk, reading the thread's
 * memory from outside with bpf_copy_from_user_task, which may sleep.  The
 * stack goes out as a PT_EV_STACK record; code records as usual.  Its
 * scratch slots are its own: it can sleep, and syscall probes on the same
 * CPU must not write over its buffers.
 */
SEC("iter.s/task")
int blocked_stack(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	__u32 slot = 1, evslot = 2, tgid;
	struct ev_scratch *es;
	struct scratch *s;
	struct pt_proc *p;
	struct pt_enter *e;

	if (!task)
		return 0;
	tgid = BPF_CORE_READ(task, tgid);
	p = bpf_map_lookup_elem(&procs, &tgid);
	s = bpf_map_lookup_elem(&scratch, &slot);
	es = bpf_map_lookup_elem(&ev_scratch, &evslot);
	if (!p || !s || !es)
		return 0;
	e = (struct pt_enter *)es->ev;
	__builtin_memset(e, 0, sizeof(*e));
	e->h.type = PT_EV_STACK;
	e->h.ts = bpf_ktime_get_ns();
	e->h.tid = BPF_CORE_READ(task, pid);
	e->h.tgid = tgid;
	e->gen = p->gen;
	e->stack_status = PT_STACK_DISABLED;
	if (want_frames) {
		struct inflight *rec = bpf_task_storage_get(
			&inflight, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);

		if (rec)
			walk_stack_task(p, s, e, task, rec);
		else
			e->stack_status = PT_STACK_READ_ERROR;
	}
	e->h.size = sizeof(*e) + (e->n_frames & (PT_MAX_FRAMES - 1 + PT_MAX_FRAMES)) *
					 sizeof(struct pt_frame);
	if (bpf_ringbuf_output(&events, e, e->h.size & (2 * EV_HALF - 1),
			       BPF_RB_FORCE_WAKEUP))
		count(PT_CNT_PROC_DROP);
	return 0;
}
