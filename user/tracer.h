/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The tracing session: BPF objects, traced processes, pending syscalls. */
#ifndef PT_TRACER_H
#define PT_TRACER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "codecache.h"
#include "decode.h"
#include "intmap.h"
#include "options.h"
#include "pyproc.h"
#include "sbuf.h"

/* A process as user space knows it. */
struct uproc {
	pid_t tgid;
	uint32_t gen;
	bool python;		/* runtime of this generation known to BPF */
	bool noticed;		/* "no Python" / "unsupported" already said */
	bool root;		/* launched or attached (not a -f child) */
	bool exited;
	char comm[32];
	struct bpf_link *eval_link; /* --frames=uprobe: on this image's eval loop */
	struct bpf_link *free_link; /* on this image's code deallocator */
	bool free_pending;	/* free_link is being put in, on a thread */
	/* that deallocator: file offset in the object mapped at
	 * [obj_start, obj_end) (its offset-0 mapping); 0: unknown */
	uint64_t free_off, obj_start, obj_end;
	uint32_t walks;		/* calls with frames seen in this image */
};

/* A syscall entered and not yet printed to completion. */
struct pending {
	struct pt_enter *ev;	/* copy of the enter record */
	size_t size;
	struct sbuf frames;	/* traceback, formatted at entry */
	uint64_t seen_ns;	/* monotonic time user space got it */
	bool unfinished_shown;	/* "<unfinished ...>" already printed */
	struct pending *prev_unshown, *next_unshown; /* while not shown */
};

struct stats {
	uint64_t events;
	uint64_t code_records;
	uint64_t unresolved_frames;	/* no code record for a frame */
	uint64_t bad_records;
	uint64_t alloc_failures;	/* records dropped for want of memory */
	uint64_t unpaired_exits;	/* exit without its enter (entered before
					   attach, or the enter was lost) */
};

struct tracer {
	struct options *o;
	struct pytrace_bpf *skel;
	struct pytrace_bpf *skel_blocked; /* the blocked_stack iterator's, loaded
					    when first needed */
	struct ring_buffer *rb;
	struct pt_enter *stack_rec;	/* the last PT_EV_STACK record */
	struct codecache *codes;
	FILE *out;
	struct decode_opts dopts;
	struct intmap procs;	/* tgid -> struct uproc */
	struct intmap pending;	/* tid -> struct pending */
	struct pending *unshown;	/* pending ones not shown yet, a list */
	struct intmap tids;	/* tids seen, for the [pid N] prefix */
	bool multi;		/* more than one thread seen: prefix lines */
	pid_t child;		/* launched command, 0 when attaching */
	int child_status;
	bool child_reaped;
	bool child_exited;	/* its exit record was seen */
	int output_error;	/* errno of a failed write of the trace */
	struct sbuf obuf;	/* whole lines waiting to be written */
	bool out_shared;	/* a pipe or terminal: write line by line */
	int live;		/* traced processes still running */
	int64_t real_offset_ns;	/* CLOCK_REALTIME - CLOCK_MONOTONIC */
	struct stats st;
	struct sbuf line;
	struct sbuf piece;	/* one JSON argument at a time, reused */
	/* options.h's -y, -P, -c, -r, -ff, status= (events.c) */
	struct fdpath *fds;	/* fd targets, for -y and -P */
	struct summary *sum;	/* -c, -C */
	bool defer;		/* lines only when complete (filters decide) */
	uint32_t cur_tgid;	/* process of the call being printed */
	uint32_t line_tid;	/* thread of the line being built (-ff) */
	uint64_t last_line_ts;	/* -r */
	struct intmap ff_files;	/* -ff: tid -> FILE * */
};

/* events.c */
int handle_event(void *ctx, void *data, size_t size);
void flush_stale_pending(struct tracer *t, uint64_t older_than_ns);
void flush_all_pending(struct tracer *t);
/* Sets up and ends what the options -y, -P, -c, -ff need. */
void events_setup(struct tracer *t);
void events_finish(struct tracer *t);
/* tracer.c: walks the Python stack of thread tid, blocked in a call it
 * entered before the attach; the record lands in t->stack_rec.  0 or -1. */
int tracer_walk_blocked(struct tracer *t, uint32_t tid);
void print_notice(struct tracer *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* tracer.c: writes the buffered lines, keeping the first failure's errno. */
void flush_output(struct tracer *t);

/* procs.c */
struct uproc *proc_add(struct tracer *t, pid_t tgid, uint32_t gen,
		       uint32_t flags);
/* Attaches to a running process: Python detected before tracing starts. */
struct uproc *proc_attach(struct tracer *t, pid_t tgid, bool follow);
/* Looks for Python in the process and tells the BPF side; says why not once. */
void proc_detect(struct tracer *t, struct uproc *p, bool at_attach);
/* A call with frames: the code-free uprobe goes in after enough of them. */
void proc_note_walk(struct tracer *t, pid_t tgid, uint32_t gen);
void proc_code_frees(struct tracer *t, struct uproc *p);
/* Takes the code-free uprobes put in meanwhile (called by the event loop). */
void proc_code_frees_done(struct tracer *t);
/* Waits for those being put in, and takes them. */
void proc_attaches_wait(struct tracer *t);
/* Waits until the uprobes being taken out are out. */
void proc_links_wait(void);
void proc_gone(struct tracer *t, pid_t tgid);
void proc_free(struct uproc *p);

#endif
