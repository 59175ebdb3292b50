/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The frame walk, included twice by pytrace.bpf.c: once reading the current
 * thread's memory (syscall entry), once reading another task's from a
 * sleepable iterator (a call blocked since before the attach).  W(name)
 * names each copy; RD(task, dst, size, addr) is its one way to read the
 * target.  Nothing here is compiled on its own.
 */
/* Reads [0, need) of an object into a chunk buffer. */
static __always_inline int W(fetch_chunk)(struct task_struct *task, __u8 *buf,
				      __u32 need, __u64 addr)
{
	if (!addr)
		return -1;
	if (need > CHUNK_READ)
		need = CHUNK_READ;
	return RD(task, buf, need, addr);
}

static __always_inline int W(fetch_ptr)(struct task_struct *task, __u64 addr,
				    __u64 *out)
{
	*out = 0;
	if (!addr)
		return -1;
	return RD(task, out, sizeof(*out), addr);
}

/* ---- finding the calling thread's PyThreadState -------------------------- */


static long W(scan_cb)(__u32 i, struct scan_ctx *c)
{
	const struct pt_layout *l = c->l;
	__u64 tid;

	if (!c->ts) {
		__u64 interp = c->interp;

		if (!interp)
			return 1;
		c->cur = interp;
		if (W(fetch_ptr)(c->task, interp + l->interp_threads_head, &c->ts) ||
		    W(fetch_ptr)(c->task, interp + l->interp_next, &c->interp))
			goto broken;
		return 0;
	}
	/* One read per thread state: its interpreter, id and successor. */
	if (W(fetch_chunk)(c->task, c->buf, c->need, c->ts) ||
	    rd64(c->buf, PT_TS_INTERP) != c->cur)
		goto broken;
	tid = rd64(c->buf, l->ts_thread_id);
	if (tid == c->fsbase) {
		c->found = c->ts;
		return 1;
	}
	c->ts = rd64(c->buf, l->ts_next);
	return 0;
broken:
	/*
	 * The list is read without its lock: a thread state freed under the
	 * scan sends it into freed memory, where a read faults or finds
	 * something that is no thread state of this interpreter (the memory
	 * taken again).  That is a race, not an answer: the scan starts again
	 * from the first interpreter, a few times.
	 */
	if (++c->tries < SCAN_TRIES) {
		c->ts = 0;
		c->interp = c->interp0;
		return 0;
	}
	c->err = 1;
	return 1;
}

/*
 * The thread state whose thread_id (pthread_self, which is the fs base on
 * x86_64) is the caller's.  Works while the thread has released the GIL: the
 * thread stays in its interpreter's list.  Cached per thread and re-checked
 * with one read, so a reused address cannot pass.  That read covers the
 * thread state up to its frame pointer too: on success, s->fr holds it.
 */
static __always_inline int W(find_tstate)(const struct pt_python *py, __u32 gen,
				       __u32 tgid, struct task_struct *task,
				       struct scratch *s, struct tstate_ent *ent,
				       __u64 *out)
{
	const struct pt_layout *l = &py->layout;
	__u64 fsbase = task->thread.fsbase;
	__u16 top = l->ts_cframe != PT_NOFF ? l->ts_cframe : l->ts_frame;
	__u32 need = (top > l->ts_thread_id ? top : l->ts_thread_id) + 8;
	struct scan_ctx c = {};
	__u64 now;

	if (ent->gen == gen && ent->tgid == tgid) {
		if (!ent->tstate &&
		    bpf_ktime_get_ns() - ent->ts < NO_TSTATE_RETRY_NS)
			return PT_STACK_NO_THREAD;
		if (ent->tstate &&
		    !W(fetch_chunk)(task, s->fr, need, ent->tstate) &&
		    rd64(s->fr, l->ts_thread_id) == fsbase) {
			*out = ent->tstate;
			return PT_STACK_OK;
		}
	}
	if (W(fetch_ptr)(task, py->runtime + l->rt_interp_head, &c.interp))
		return PT_STACK_READ_ERROR;
	if (!c.interp)
		return PT_STACK_NO_INTERP;
	c.interp0 = c.interp;
	c.task = task;
	c.l = l;
	c.fsbase = fsbase;
	c.buf = s->str;
	c.need = (l->ts_next > l->ts_thread_id ? l->ts_next : l->ts_thread_id) + 8;
	if (c.need < PT_TS_INTERP + 8)
		c.need = PT_TS_INTERP + 8;
	bpf_loop(PT_MAX_THREADS * SCAN_TRIES, W(scan_cb), &c, 0);
	now = bpf_ktime_get_ns();
	if (!c.found && c.err)
		return PT_STACK_READ_ERROR;
	if (c.found || now - BPF_CORE_READ(task, start_time) > YOUNG_THREAD_NS) {
		ent->tstate = c.found;
		ent->ts = now;
		ent->gen = gen;
		ent->tgid = tgid;
	}
	if (!c.found)
		return PT_STACK_NO_THREAD;
	if (W(fetch_chunk)(task, s->fr, need, c.found))
		return PT_STACK_READ_ERROR;
	*out = c.found;
	return PT_STACK_OK;
}

/* ---- code records -------------------------------------------------------- */

/* Copies a PyUnicode's characters to code[off...]; returns bytes written. */
static __always_inline __u32 W(copy_pystr)(struct task_struct *task,
					   struct scratch *s,
					const struct pt_layout *l, __u64 obj,
					__u32 off, struct pt_pystr *out)
{
	__u32 state, n, kind;
	__u64 len, data;

	out->len = 0;
	out->kind = 1;
	out->flags = 0;
	if (W(fetch_chunk)(task, s->str, l->str_state + 8, obj)) {
		out->flags = PT_CAP_F_FAULT;
		return 0;
	}
	len = rd64(s->str, l->str_length);
	state = rd32(s->str, l->str_state) >> l->str_state_shift;
	kind = state & 7;
	if (kind != 1 && kind != 2 && kind != 4) {
		out->flags = PT_CAP_F_FAULT;
		return 0;
	}
	if (state & (1 << 3))		/* compact */
		data = obj + ((state & (1 << 4)) ? l->str_ascii_data
						 : l->str_compact_data);
	else if (W(fetch_ptr)(task, obj + l->str_data, &data))
		data = 0;
	if (len > PT_STR_MAX) {
		len = PT_STR_MAX;
		out->flags = PT_CAP_F_TRUNC;
	}
	n = len * kind;
	if (n > PT_STR_MAX) {
		n = PT_STR_MAX;
		out->flags = PT_CAP_F_TRUNC;
	}
	if (!data || RD(task, s->code + (off & (CODE_HALF - 1)),
					 n & (PT_STR_MAX * 2 - 1),
					 (void *)data)) {
		out->flags = PT_CAP_F_FAULT;
		return 0;
	}
	out->len = n;
	out->kind = kind;
	return (n + 7) & ~7u;
}

/* True once the record is out and the slot says so. */
static __always_inline bool W(send_code)(struct task_struct *task,
					  struct scratch *s,
				      const struct pt_python *py,
				      struct pt_code_key *key, __u64 fp,
				      const __u8 *co, struct pt_code_slot *slot)
{
	const struct pt_layout *l = &py->layout;
	struct pt_code *r = (struct pt_code *)s->code;
	__u32 off = sizeof(*r);
	__u64 lt, ltlen;

	r->h.type = PT_EV_CODE;
	r->h.ts = bpf_ktime_get_ns();
	r->h.tgid = key->tgid;
	r->h.tid = 0;
	r->code = key->code;
	r->fp = fp;
	r->gen = key->gen;
	r->firstlineno = (__s32)rd32(co, l->co_firstlineno);
	r->line_format = l->line_format;
	off += W(copy_pystr)(task, s, l, rd64(co, l->co_filename), off, &r->filename);
	off += W(copy_pystr)(task, s, l, rd64(co, l->co_name), off, &r->name);

	r->linetable_len = 0;
	r->linetable_flags = 0;
	lt = rd64(co, l->co_linetable);
	if (W(fetch_ptr)(task, lt + l->bytes_size, &ltlen) == 0) {
		if (ltlen > PT_LINETABLE_MAX) {
			ltlen = PT_LINETABLE_MAX;
			r->linetable_flags = PT_CAP_F_TRUNC;
		}
		if (RD(task, s->code + (off & (CODE_HALF - 1)),
					ltlen & (PT_LINETABLE_MAX * 2 - 1),
					(void *)(lt + l->bytes_data)) == 0) {
			r->linetable_len = ltlen;
			off += (ltlen + 7) & ~7ull;
		} else {
			r->linetable_flags = PT_CAP_F_FAULT;
		}
	} else {
		r->linetable_flags = PT_CAP_F_FAULT;
	}
	r->h.size = off;
	/* Output first, then remember: whoever finds the key in the map
	 * reserves ring space after this record, so user space sees the
	 * record before any event that relies on it. */
	if (bpf_ringbuf_output(&events, r, off & (2 * CODE_HALF - 1),
			       BPF_RB_NO_WAKEUP)) {
		count(PT_CNT_CODE_DROP);
		return false;
	}
	slot->check = 0;	/* invalid while it is being written */
	slot->code = key->code;
	slot->fp = fp;
	slot->tgid = key->tgid;
	slot->gen = key->gen;
	slot->firsttraceable = (__s32)rd32(co, l->co_firsttraceable);
	slot->check = pt_code_slot_check(slot);
	return true;
}

/* ---- the frame walk ------------------------------------------------------ */



/*
 * What identifies a code object beyond its address: its names, its line
 * table and first line.  A code object freed and replaced at the same
 * address by one with the same names (exec of generated source, say) has
 * another line table, whose size or first bytes differ, even when pymalloc
 * put the new table at the old one's address too.
 */
static __always_inline __u64 W(fingerprint)(struct task_struct *task,
					    const struct pt_layout *l,
					 struct scratch *s)
{
	__u64 lt = rd64(s->co, l->co_linetable), h;

	h = mix(mix(mix(mix(0, rd64(s->co, l->co_filename)),
			rd64(s->co, l->co_name)),
		    lt),
		rd32(s->co, l->co_firstlineno));
	/* ob_size and the first 16 bytes of the table */
	if (!W(fetch_chunk)(task, s->str, l->bytes_data + 16, lt))
		h = mix(mix(mix(h, rd64(s->str, l->bytes_size)),
			    rd64(s->str, l->bytes_data)),
			rd64(s->str, l->bytes_data + 8));
	return h | 1;
}

/*
 * Free-threaded 3.14+: a thread may run its own copy of the bytecode, entry
 * tlbc_index of the code's co_tlbc array.  Entry 0 is co_code_adaptive
 * itself, so only other threads pay the two extra reads.  Non-zero when the
 * copy cannot be found: the frame is kept, without an instruction.
 */
static __always_inline int W(tlbc_start)(struct task_struct *task,
					 struct scratch *s, const __u8 *fr,
				      const struct pt_layout *l, __u64 *start)
{
	__s32 idx = (__s32)rd32(fr, l->fr_tlbc_index);
	__u64 arr = rd64(s->co, l->co_tlbc), size, entry;

	if (idx == 0)
		return 0;
	if (idx < 0 || idx >= PT_MAX_THREADS || !arr ||
	    W(fetch_ptr)(task, arr, &size) || (__u64)idx >= size ||
	    W(fetch_ptr)(task, arr + 8 + 8 * (__u64)idx, &entry) || !entry)
		return -1;
	*start = entry;
	return 0;
}

/* One frame into the record. */
static __always_inline long W(frame_out)(struct walk_ctx *c, __u64 code,
					 __u64 fp, __s32 instr, __u32 flags)
{
	struct pt_frame *out = &c->frames[c->n & (PT_MAX_FRAMES - 1)];

	out->code = code;
	out->fp = fp;
	out->instr = instr;
	out->flags = flags;
	c->n++;
	c->depth++;
	return 0;
}

#if W_MEMO
/* A frame whose code object the memo knows: no tlbc where it is kept. */
static __always_inline long W(memo_frame)(struct walk_ctx *c,
					  const struct pt_layout *l,
					  const __u8 *fr, __u64 code,
					  const struct frame_memo *m)
{
	__s32 instr;

	if (l->fr_instr != PT_NOFF) {
		instr = (__s32)((__s64)(rd64(fr, l->fr_instr) - code -
					l->co_code_adaptive) >> 1);
		if (rd8(fr, l->fr_owner) != l->owner_generator && instr < m->first)
			return 0;	/* still being set up */
	} else {
		instr = (__s32)rd32(fr, l->fr_lasti);
	}
	return W(frame_out)(c, code, m->fp, instr, 0);
}
#endif

static long W(walk_cb)(__u32 i, struct walk_ctx *c)
{
	const struct pt_layout *l = &c->py->layout;
	struct scratch *s = c->s;
	__u64 f = c->frame, code, fp = 0;
	const __u8 *fr;
	__u32 flags;
	__s32 instr;

	if (!f)
		return 1;
	if (c->win_base && f >= c->win_base &&
	    f - c->win_base <= WIN - l->fr_read) {
		fr = s->win + ((f - c->win_base) & (WIN - 1));
	} else if (W(fetch_chunk)(c->task, s->fr, l->fr_read, f)) {
		c->status = PT_STACK_READ_ERROR;
		return 1;
	} else {
		fr = s->fr;
	}
	c->frame = rd64(fr, l->fr_back);
	/* A chain pointing back at itself or at its start (a corrupt or
	 * hostile target) ends here; longer loops end at PT_MAX_DEPTH. */
	if (c->frame == f || c->frame == c->first) {
		c->status = PT_STACK_LOOP;
		c->frame = 0;
	}
	code = rd64(fr, l->fr_code) & l->code_ptr_mask;
	if (l->owner_skip_min && rd8(fr, l->fr_owner) >= l->owner_skip_min)
		return 0;	/* C-stack / interpreter shim frame */
	if (c->n >= max_frames || c->n >= PT_MAX_FRAMES) {
		/* Beyond the limit only count (shims already skipped), up to
		 * PT_MAX_DEPTH frames: one more makes the depth a lower bound. */
		if (c->depth >= PT_MAX_DEPTH) {
			c->status = PT_STACK_TOO_DEEP;
			return 1;
		}
		c->depth++;
		c->status = PT_STACK_TRUNCATED;
		return 0;
	}
	/*
	 * Is this code object one user space knows?  The same as at this
	 * place in the thread's last walk, with nothing freed since: yes.
	 * Else, where the code-free uprobe runs, a valid slot numbered for it
	 * says so without reading the object; otherwise the object and its
	 * line table's head are read and fingerprinted at every walk.
	 */
	struct pt_code_slot *slot;
	bool known = false, trusted;
	__s32 first = 0;
	__u32 si;
#if W_MEMO
	/* A hit has its own short way out (the memo is only used where
	 * frames need no tlbc). */
	struct frame_memo *m = &c->memo[c->n & (MEMO_FRAMES - 1)];

	if (c->frees && code && m->code == code && m->frees == c->frees_now &&
	    m->gen == c->gen)
		return W(memo_frame)(c, l, fr, code, m);
#endif
	si = pt_code_slot_index(code, c->tgid);
	slot = bpf_map_lookup_elem(&code_slots, &si);
	if (!slot) {
		c->status = PT_STACK_READ_ERROR;
		return 1;
	}
	if (slot->code == code && slot->tgid == c->tgid &&
	    slot->gen == c->gen && slot->check == pt_code_slot_check(slot)) {
		fp = slot->fp;
		first = slot->firsttraceable;
		known = c->frees && !(fp & 1);
	}
	if (!known) {
		if (W(fetch_chunk)(c->task, s->co, l->co_read, code)) {
			c->status = PT_STACK_READ_ERROR;
			return 1;
		}
		first = (__s32)rd32(s->co, l->co_firsttraceable);
	}
	trusted = known;
	flags = 0;
	if (l->fr_instr != PT_NOFF) {
		__u64 ip = rd64(fr, l->fr_instr);
		__u64 start = code + l->co_code_adaptive;

		if (l->co_tlbc != PT_NOFF && W(tlbc_start)(c->task, s, fr, l, &start))
			flags = PT_FRAME_F_NO_INSTR;
		instr = (__s32)((__s64)(ip - start) >> 1);
		/* A frame still being set up is not part of the stack yet. */
		if (!flags && rd8(fr, l->fr_owner) != l->owner_generator &&
		    instr < first)
			return 0;
	} else {
		instr = (__s32)rd32(fr, l->fr_lasti);
	}

	if (!known) {
		__u64 was = fp;

		fp = c->frees ? __sync_fetch_and_add(&code_seq, 2) + 2
			      : W(fingerprint)(c->task, l, s);
		if (fp != was) {
			struct pt_code_key key = { .code = code, .tgid = c->tgid,
						   .gen = c->gen };

			trusted = W(send_code)(c->task, s, c->py, &key, fp, s->co,
					       slot) && c->frees;
		}
	}
#if W_MEMO
	if (c->frees) {		/* elsewhere nothing reads the memo */
		m->code = trusted ? code : 0;	/* 0: ask the slot next time */
		m->fp = fp;
		m->first = first;
		m->frees = c->frees_now;
		m->gen = c->gen;
	}
#else
	(void)trusted;
#endif
	return W(frame_out)(c, code, fp, instr, flags);
}

static __always_inline void W(walk_stack)(const struct pt_proc *p,
					  struct scratch *s, struct pt_enter *e,
					  struct task_struct *task,
					  struct inflight *rec)
{
	struct tstate_ent *ent = &rec->thr;
#if W_MEMO
	__u64 frees_now = code_frees;
#endif
	struct pt_python_key pk = { .tgid = e->h.tgid, .gen = p->gen };
	const struct pt_python *py = bpf_map_lookup_elem(&pythons, &pk);
	const struct pt_layout *l;
	struct walk_ctx c = {};
	__u64 ts, frame;
	int st;

	if (!py) {
		e->stack_status = PT_STACK_NO_PYTHON;
		return;
	}
	l = &py->layout;
	st = W(find_tstate)(py, p->gen, e->h.tgid, task, s, ent, &ts);
	if (st != PT_STACK_OK) {
		e->stack_status = st;
		return;
	}
	/* s->fr: the thread state, as find_tstate() read it */
	if (l->ts_cframe != PT_NOFF) {
		if (W(fetch_ptr)(task, rd64(s->fr, l->ts_cframe) + l->cframe_frame,
				 &frame)) {
			e->stack_status = PT_STACK_READ_ERROR;
			return;
		}
	} else {
		frame = rd64(s->fr, l->ts_frame);
	}
	c.task = task;
	c.py = py;
	c.s = s;
	c.frames = (struct pt_frame *)(e + 1);
	c.frame = frame;
	c.first = frame;
	/* 3.11+: the data stack below the innermost frame, in one read; a
	 * window that would touch an unmapped page fails whole, and then
	 * every frame is read on its own as before. */
	if (l->fr_instr != PT_NOFF && frame > WIN &&
	    !RD(task, s->win, WIN,
				 (void *)(frame + l->fr_read - WIN)))
		c.win_base = frame + l->fr_read - WIN;
	c.tgid = e->h.tgid;
	c.gen = p->gen;
	/* Free-threaded builds need the object for the thread's bytecode:
	 * they read it at every call. */
	c.frees = (py->flags & PT_PY_F_CODE_FREES) && l->co_tlbc == PT_NOFF;
#if W_MEMO
	c.memo = rec->memo;
	c.frees_now = frees_now;
#endif
	/* From 3.12 every call from C adds a shim frame, which takes a step
	 * but is no Python frame: twice the depth covers shims between all. */
	bpf_loop(2 * PT_MAX_DEPTH + 2, W(walk_cb), &c, 0);
	/* Frames left when the loop ran out: the count is a lower bound. */
	if (c.frame && (c.status == PT_STACK_OK ||
			c.status == PT_STACK_TRUNCATED))
		c.status = PT_STACK_TOO_DEEP;
	e->n_frames = c.n;
	e->depth = c.depth;
	e->stack_status = c.status;
}

