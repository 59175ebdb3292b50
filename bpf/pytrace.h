/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Types shared by the BPF programs (bpf/pytrace.bpf.c) and user space.
 *
 * Every ring-buffer record starts with struct pt_hdr; its type selects the
 * rest.  Fixed-width fields only, largest first, so both sides agree on the
 * layout without padding surprises.
 */
#ifndef PYTRACE_H
#define PYTRACE_H

/* Shared by both sides; the BPF side wants no function calls for these. */
#define PT_INLINE static inline __attribute__((always_inline))

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define PT_MAX_FRAMES 128	/* frames sent per event (the walk limit) */
#define PT_MAX_DEPTH 1024	/* frames counted to report the real depth */
#define PT_MAX_THREADS 4096	/* thread-list entries scanned per lookup */
/* PyThreadState.interp: prev, next, interp open the struct in every
 * version, 3.7 to 3.15, free-threaded builds included.  The thread-list
 * scan checks it to tell a thread state from memory reused since. */
#define PT_TS_INTERP 16
#define PT_NARGS 6
#define PT_NR_SYSCALLS 512	/* size of the syscall bitmaps and spec table */
#define PT_CAP_BYTES 4096	/* most bytes one argument capture carries */
#define PT_PATH_MAX 4096
#define PT_STR_MAX 1024		/* most bytes of one Python string (code record) */
#define PT_LINETABLE_MAX 4096	/* most bytes of one line table (code record) */
#define PT_STRV_MAX 32		/* argv/envp entries captured for execve */

/* Generations at or above this are numbered by user space, below by BPF. */
#define PT_GEN_USER 0x80000000u

/* Absent field in a layout. */
#define PT_NOFF 0xffff
/* Frames, code objects and strings are read whole, this many bytes at most:
 * every layout offset the walker reads from them lies below it. */
#define PT_OBJ_READ 256

enum pt_event_type {
	PT_EV_ENTER = 1,   /* syscall entry: args, entry captures, Python stack */
	PT_EV_EXIT,	   /* syscall exit: return value, exit captures */
	PT_EV_CODE,	   /* first sight of a code object: names and line table */
	PT_EV_EXEC,	   /* a traced process called execve successfully */
	PT_EV_PROC_EXIT,   /* the last thread of a traced process exited */
	PT_EV_FORK,	   /* a traced process forked a traced child (-f) */
	PT_EV_RESCAN,	   /* a process without known Python mapped something */
	PT_EV_STACK,	   /* struct pt_enter without captures: the stack of a
			      thread blocked since before the attach (asked
			      for by user space; nr is what it is blocked in) */
};

struct pt_hdr {
	__u64 ts;	/* CLOCK_MONOTONIC (bpf_ktime_get_ns) */
	__u32 type;	/* enum pt_event_type */
	__u32 size;	/* bytes of the whole record */
	__u32 tid;	/* as the initial PID namespace sees it */
	__u32 tgid;
};

/* Why a stack is missing or short (pt_enter.stack_status). */
enum pt_stack_status {
	PT_STACK_OK = 0,
	PT_STACK_NO_PYTHON,	/* process has no known Python runtime */
	PT_STACK_NO_INTERP,	/* runtime not initialised (yet / any more) */
	PT_STACK_NO_THREAD,	/* calling thread has no PyThreadState */
	PT_STACK_READ_ERROR,	/* a read of target memory failed mid-walk */
	PT_STACK_TRUNCATED,	/* deeper than PT_MAX_FRAMES (depth says how deep) */
	PT_STACK_TOO_DEEP,	/* deeper than PT_MAX_DEPTH: the count stopped */
	PT_STACK_DISABLED,	/* frames not requested */
	PT_STACK_LOOP,		/* the frame chain loops back: walk stopped */
};

struct pt_frame {
	__u64 code;	/* address of the code object in the target */
	__u64 fp;	/* fingerprint of the code object's immutable fields */
	__s32 instr;	/* instruction position, in the layout's unit */
	__u32 flags;	/* PT_FRAME_F_* */
};

#define PT_FRAME_F_NO_INSTR 1	/* the instruction position is unknown */

/*
 * Argument captures.  A capture follows the frames (enter) or the fixed part
 * (exit), 8-byte aligned: struct pt_cap then len bytes.
 */
enum pt_cap_kind {
	PT_CAP_NONE = 0,
	PT_CAP_PATH,	  /* NUL-terminated string, read at entry, up to PATH_MAX */
	PT_CAP_BUF_IN,	  /* buffer at entry, length = args[len_arg] */
	PT_CAP_BUF_OUT,	  /* buffer at exit, length = return value */
	PT_CAP_STRUCT_OUT,/* fixed-size struct at exit (size), if ret >= 0 */
	PT_CAP_SOCKADDR_IN,/* sockaddr at entry, length = args[len_arg] */
	PT_CAP_STRV,	  /* NULL-terminated array of strings (execve argv) */
	/* Memory of a length given by pt_spec.elem (see there). */
	PT_CAP_MEM_IN,	  /* at entry */
	PT_CAP_MEM_OUT,	  /* at exit, if ret >= 0 */
	PT_CAP_MEM_INOUT, /* both: the exit copy has PT_CAP_F_EXIT (poll, select) */
	/* sockaddr the kernel wrote, its length at *args[len_arg] (at exit):
	 * full_len is that length, len the bytes copied (at most size). */
	PT_CAP_SOCKADDR_OUT,
	/* struct iovec[args[len_arg]], each entry a struct pt_iov then its
	 * copied bytes (at most strsize; at exit, at most ret in all). */
	PT_CAP_IOV_IN,
	PT_CAP_IOV_OUT,
	PT_CAP_DIRENTS,	  /* getdents64 at exit: full_len = entries in ret bytes */
	PT_CAP_IOCTL_OUT, /* ioctl's arg at exit, size by request (args[1]) */
};

/* pt_spec.elem: how many bytes a MEM capture takes. */
#define PT_ELEM_FIXED 0		/* size bytes */
#define PT_ELEM_BITS 0xff	/* a bit set of args[len_arg] bits (fd_set) */
/* other values: args[len_arg] (or ret, PT_LEN_RET) elements of elem bytes */
#define PT_LEN_RET 7		/* len_arg: the return value */

/* One entry of a PT_CAP_IOV_* capture, followed by copied bytes, 8-aligned. */
struct pt_iov {
	__u64 base;
	__u64 len;
	__u32 copied;
	__u32 flags;	/* PT_CAP_F_FAULT: the data could not be read */
};

#define PT_IOV_MAX 64	/* iovec entries captured */
#define PT_DIRENTS_MAX 4096 /* directory entries counted */

#define PT_CAP_F_TRUNC 1   /* the object was longer than what was copied */
#define PT_CAP_F_FAULT 2   /* the address could not be read */
#define PT_CAP_F_EXIT 4	   /* exit copy of a PT_CAP_MEM_INOUT argument */

struct pt_cap {
	__u32 full_len;	/* length of the object in the target (if known) */
	__u16 len;	/* bytes that follow */
	__u8 arg;	/* argument index */
	__u8 flags;	/* PT_CAP_F_* */
};

/* Per-syscall capture plan, indexed by syscall number. */
struct pt_spec {
	__u8 kind[PT_NARGS];	/* enum pt_cap_kind */
	__u8 len_arg[PT_NARGS];	/* for BUF_IN / SOCKADDR_IN */
	__u16 size[PT_NARGS];	/* for STRUCT_*: sizeof the struct */
	__u8 elem[PT_NARGS];	/* for MEM_*: PT_ELEM_* or element size */
	__u8 scan;		/* arguments to look at: up to the last capture */
	__u8 at_exit;		/* some capture is made at exit */
};

/* Captures made at exit, from what the kernel wrote. */
PT_INLINE int pt_cap_is_out(__u8 kind)
{
	return kind == PT_CAP_BUF_OUT || kind == PT_CAP_STRUCT_OUT ||
	       kind == PT_CAP_MEM_OUT || kind == PT_CAP_SOCKADDR_OUT ||
	       kind == PT_CAP_IOV_OUT || kind == PT_CAP_DIRENTS ||
	       kind == PT_CAP_IOCTL_OUT;
}

struct pt_enter {
	struct pt_hdr h;
	__u64 args[PT_NARGS];
	__u32 nr;
	__u32 gen;		/* process generation (bumped at exec) */
	__u16 n_frames;
	__u16 depth;		/* real depth, up to PT_MAX_DEPTH */
	__u16 stack_status;	/* enum pt_stack_status */
	__u16 n_caps;
	/* struct pt_frame frames[n_frames]; then captures */
};

#define PT_EXIT_F_KILLED 1	/* the thread dies on the way out: no return */

struct pt_exit {
	struct pt_hdr h;
	__s64 ret;
	__u32 nr;
	__u16 n_caps;
	__u16 flags;		/* PT_EXIT_F_* */
	/* captures */
};

/* Encoding of the characters of a Python string (PyUnicode kind). */
struct pt_pystr {
	__u16 len;	/* bytes copied */
	__u8 kind;	/* 1 = latin-1 (or ASCII), 2 = UCS-2, 4 = UCS-4 */
	__u8 flags;	/* PT_CAP_F_* */
};

struct pt_code {
	struct pt_hdr h;
	__u64 code;
	__u64 fp;
	__u32 gen;
	__s32 firstlineno;
	struct pt_pystr filename;
	struct pt_pystr name;		/* qualified name where the version has one */
	__u16 linetable_len;
	__u16 linetable_flags;
	__u8 line_format;	/* enum pt_line_format of the process's layout */
	__u8 pad[3];
	/* filename bytes, name bytes, linetable bytes (each 8-byte aligned) */
};

struct pt_proc_event {
	struct pt_hdr h;
	__u32 gen;
	__s32 exit_code;	/* PROC_EXIT: wait status; FORK: parent tgid */
};

/* How instruction positions are counted and lines encoded, per version. */
enum pt_line_format {
	PT_LINES_LNOTAB = 1,	/* <= 3.9: co_lnotab, f_lasti in bytes */
	PT_LINES_310,		/* 3.10: co_linetable, f_lasti in code units */
	PT_LINES_311,		/* >= 3.11: location table, code units */
};

/*
 * Where things are in one CPython version: byte offsets, PT_NOFF when the
 * field does not exist.  One walker reads every version through this.
 */
struct pt_layout {
	__u16 rt_interp_head;	  /* _PyRuntime.interpreters.head */
	__u16 interp_next;
	__u16 interp_threads_head;
	__u16 ts_next;
	__u16 ts_thread_id;	  /* pthread_self() == fs base */
	__u16 ts_frame;		  /* tstate->frame / ->current_frame */
	__u16 ts_cframe;	  /* 3.11-3.12: tstate->cframe, then ... */
	__u16 cframe_frame;	  /* ... ->current_frame */
	__u16 fr_back;		  /* f_back / previous */
	__u16 fr_code;		  /* f_code / f_executable */
	__u16 fr_lasti;		  /* <= 3.10: int f_lasti */
	__u16 fr_instr;		  /* >= 3.11: prev_instr / instr_ptr */
	__u16 fr_owner;		  /* >= 3.11: char owner */
	__u16 co_filename;
	__u16 co_name;		  /* co_qualname where present, else co_name */
	__u16 co_linetable;	  /* co_lnotab / co_linetable (bytes) */
	__u16 co_firstlineno;
	__u16 co_code_adaptive;	  /* >= 3.11: inline bytecode */
	__u16 co_firsttraceable;  /* >= 3.11 */
	__u16 str_length;
	__u16 str_state;
	__u16 str_ascii_data;	  /* sizeof(PyASCIIObject) */
	__u16 str_compact_data;	  /* sizeof(PyCompactUnicodeObject) */
	__u16 str_data;		  /* PyUnicodeObject.data (non-compact) */
	__u16 bytes_size;	  /* ob_size */
	__u16 bytes_data;	  /* ob_sval */
	__u8 str_state_shift;	  /* kind bits start here (2; 8 in 3.14t) */
	__u8 owner_generator;	  /* FRAME_OWNED_BY_GENERATOR */
	__u8 owner_skip_min;	  /* skip frames with owner >= this (0: none) */
	__u8 line_format;	  /* enum pt_line_format */
	__u64 code_ptr_mask;	  /* ~3 where f_executable is a tagged stackref */
	/* Bytes read at once from a frame / code object: derived from the
	 * offsets above by pt_layout_finish() in user space. */
	__u16 fr_read;
	__u16 co_read;
	/* 3.14t+ thread-local bytecode: the frame's int32 index into the code's
	 * co_tlbc array {ssize_t size; char *entries[]}; index 0 is the code
	 * object's own co_code_adaptive. */
	__u16 fr_tlbc_index;
	__u16 co_tlbc;
};

#define PT_PROC_F_FOLLOW 2	/* trace children (-f) */
#define PT_PROC_F_AWAIT_EXEC 4	/* launched: nothing is traced before execve */

/*
 * A traced process (procs map, by tgid).  After user space inserts it, only
 * the BPF side changes it: the generation at exec and fork.
 */
struct pt_proc {
	__u32 gen;
	__u32 flags;		/* PT_PROC_F_* */
};

/*
 * Where the Python runtime of one generation of a process is (pythons map,
 * by tgid and generation).  User space writes it once it has looked at the
 * image; a write for a generation that exec'd meanwhile is never read.
 */
struct pt_python_key {
	__u32 tgid;
	__u32 gen;
};

struct pt_python {
	__u64 runtime;		/* address of _PyRuntime in the target */
	__u32 flags;		/* PT_PY_F_* */
	__u32 pad;
	struct pt_layout layout;
};

/*
 * A uprobe on this image's code-object deallocator reports every code
 * object freed (user space sets it once the uprobe is in, never for a
 * forked child before its own is): an address the walker has seen stays
 * the same code object until then, and the walker need not read it again.
 */
#define PT_PY_F_CODE_FREES 1

/* A code object of one generation of a process (user space's cache key). */
struct pt_code_key {
	__u64 code;
	__u32 tgid;
	__u32 gen;
};

/*
 * The code objects the BPF side has sent already, direct-mapped by address
 * and process (code_slots map).  fp is what the frames carry: odd, a
 * fingerprint of the code's immutable fields, checked at every walk; even,
 * a sequence number, trusted until the code-free uprobe clears the slot.
 * check hashes the rest, so a slot torn by two concurrent writers is
 * never taken for a valid one.
 */
struct pt_code_slot {
	__u64 code;
	__u64 fp;
	__u32 tgid;
	__u32 gen;
	__s32 firsttraceable;	/* 3.11+: _co_firsttraceable */
	__u32 check;
};

#define PT_CODE_SLOTS 65536

PT_INLINE __u32 pt_code_slot_index(__u64 code, __u32 tgid)
{
	__u64 h = (code >> 4 ^ (__u64)tgid << 32) * 0x9e3779b97f4a7c15ull;

	return (__u32)(h >> 48) & (PT_CODE_SLOTS - 1);
}

PT_INLINE __u32 pt_code_slot_check(const struct pt_code_slot *s)
{
	__u64 h = s->code * 0x9e3779b97f4a7c15ull;

	h = (h ^ s->fp) * 0xff51afd7ed558ccdull;
	h = (h ^ ((__u64)s->tgid << 32 | s->gen)) * 0xc4ceb9fe1a85ec53ull;
	h = (h ^ (__u32)s->firsttraceable) * 0x9e3779b97f4a7c15ull;
	return (__u32)(h >> 32) | 1;
}

/* Counters kept by the BPF side, one slot each (per-CPU array). */
enum pt_counter {
	PT_CNT_ENTER_DROP,	/* enter records lost: ring buffer full */
	PT_CNT_EXIT_DROP,
	PT_CNT_CODE_DROP,
	PT_CNT_PROC_DROP,	/* exec/exit/fork/rescan records lost */
	PT_CNT_INFLIGHT_FULL,	/* no task storage for a call in flight: not traced */
	PT_CNT_COMPAT,		/* 32-bit syscalls of 64-bit processes, not traced */
	PT_CNT_MAX,
};

#endif /* PYTRACE_H */
