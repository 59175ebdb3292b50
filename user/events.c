// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Ring-buffer records in, strace-style lines (or JSON Lines) out.
 *
 * An enter record becomes a pending syscall with its traceback formatted
 * right away (the code objects it names may be gone later).  The exit record
 * completes it.  Like strace, a syscall that is interrupted by another
 * thread's line, or that stays blocked, is shown as "<unfinished ...>" and
 * later as "<... NAME resumed>".
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include "fdpath.h"
#include "summary.h"
#include "syscalls.h"
#include "tracer.h"

static const char *const stack_status_names[] = {
	[PT_STACK_OK] = "ok",
	[PT_STACK_NO_PYTHON] = "no_python",
	[PT_STACK_NO_INTERP] = "no_interpreter",
	[PT_STACK_NO_THREAD] = "no_thread_state",
	[PT_STACK_READ_ERROR] = "read_error",
	[PT_STACK_TRUNCATED] = "truncated",
	[PT_STACK_TOO_DEEP] = "too_deep",
	[PT_STACK_DISABLED] = "disabled",
	[PT_STACK_LOOP] = "loop",
};

static const char *stack_status_name(unsigned s)
{
	if (s < sizeof(stack_status_names) / sizeof(stack_status_names[0]) &&
	    stack_status_names[s])
		return stack_status_names[s];
	return "unknown";
}

/* In -e trace=; other calls are traced only to keep the -y cache right. */
static bool shown_nr(const struct tracer *t, unsigned nr)
{
	return nr < PT_NR_SYSCALLS &&
	       (t->o->syscall_mask[nr / 64] >> (nr % 64) & 1);
}

/* -ff: a line goes to FILE.TID, opened the first time (strace names them
 * by thread, and so does pytrace). */
static void ff_write(struct tracer *t, uint32_t tid, struct sbuf *b)
{
	FILE *f = intmap_get(&t->ff_files, tid);

	if (!f) {
		char name[4096];

		snprintf(name, sizeof(name), "%s.%u", t->o->outfile, tid);
		f = fopen(name, "we");
		if (!f || intmap_put(&t->ff_files, tid, f)) {
			if (f)
				fclose(f);
			if (!t->output_error)
				t->output_error = errno ? errno : EIO;
			return;
		}
	}
	if (fwrite(b->p, 1, b->len, f) != b->len && !t->output_error)
		t->output_error = errno ? errno : EIO;
}

/* -y: "<path>" after an fd argument (decode_opts.fd_suffix). */
static void fd_suffix(struct sbuf *out, int fd, void *ctx)
{
	struct tracer *t = ctx;

	fdpath_put(t->fds, out, t->cur_tgid, fd);
}

void events_setup(struct tracer *t)
{
	const struct options *o = t->o;

	t->defer = o->status_mask != PT_ST_ALL || o->npaths || o->summary_only;
	if (o->decode_fds || o->npaths)
		t->fds = fdpath_new(o->decode_fds ? o->decode_fds : 1);
	if (o->decode_fds) {
		t->dopts.fd_suffix = fd_suffix;
		t->dopts.fd_ctx = t;
	}
	if (o->summary || o->summary_only)
		t->sum = summary_new();
}

void events_finish(struct tracer *t)
{
	size_t i = 0;
	uint32_t key;
	void *val;

	if (t->sum) {
		flush_output(t);
		summary_print(t->sum, &t->obuf, t->o->json);
		flush_output(t);
	}
	summary_free(t->sum);
	fdpath_free(t->fds);
	while (intmap_next(&t->ff_files, &i, &key, &val))
		if (fclose(val) && !t->output_error)
			t->output_error = errno;
	intmap_free(&t->ff_files);
}

/* Names and file names from the target: keep UTF-8, escape controls. */
static void put_text_name(struct sbuf *b, const char *s)
{
	/* escape_str() adds quotes; here they belong to the caller, so
	 * escape one byte at a time and drop them. */
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		/* C0 controls, DEL, and C1 controls (U+0080-U+009F, which
		 * some terminals obey: CSI is U+009B) are escaped. */
		size_t n = *p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\' ? 1
			   : p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f ? 2
			   : 0;

		if (n) {
			struct sbuf one = {};

			escape_str(&one, p, n, false);
			if (one.len >= 2)
				sb_put(b, one.p + 1, one.len - 2);
			sb_free(&one);
			p += n - 1;
		} else {
			sb_putc(b, *p);
		}
	}
}

static char *shown(const char *s, bool json)
{
	struct sbuf b = {};

	if (json)
		json_str(&b, (const unsigned char *)s, strlen(s));
	else
		put_text_name(&b, s);
	sb_str(&b);
	return b.p;
}

/* Escaping is done once per code object, not once per frame printed. */
static bool prepare_shown(struct code_info *ci, bool json)
{
	if (!ci->shown_file)
		ci->shown_file = shown(ci->filename, json);
	if (!ci->shown_name)
		ci->shown_name = shown(ci->name, json);
	return ci->shown_file && ci->shown_name;
}

static void put_frame_json(struct sbuf *b, struct code_info *ci, int line,
			   uint64_t code)
{
	if (ci && prepare_shown(ci, true)) {
		sb_puts(b, "{\"file\":");
		sb_puts(b, ci->shown_file);
		sb_puts(b, ",\"line\":");
		sb_put_int(b, line);
		sb_puts(b, ",\"func\":");
		sb_puts(b, ci->shown_name);
		sb_puts(b, ",\"code\":\"");
	} else {
		sb_puts(b, "{\"file\":null,\"line\":-1,\"func\":null,\"code\":\"");
	}
	sb_put_hex(b, code);
	sb_puts(b, "\"}");
}

static void put_frame_text(struct sbuf *b, struct code_info *ci, int line,
			   uint64_t code)
{
	if (!ci || !prepare_shown(ci, false)) {
		sb_printf(b, "    File \"<unknown>\", line ?, in <code 0x%llx>\n",
			  (unsigned long long)code);
	} else {
		/* The hot path of a deep traceback: no printf here. */
		sb_puts(b, "    File \"");
		sb_puts(b, ci->shown_file);
		sb_puts(b, "\", line ");
		if (line >= 0)
			sb_put_int(b, line);
		else
			sb_putc(b, '?');
		sb_puts(b, ", in ");
		sb_puts(b, ci->shown_name);
		sb_putc(b, '\n');
	}
}

static void format_frames(struct tracer *t, struct pending *pd)
{
	const struct pt_enter *e = pd->ev;
	const struct pt_frame *fr = (const void *)(e + 1);
	struct sbuf *b = &pd->frames;
	unsigned n = e->n_frames;

	if (t->o->json)
		sb_putc(b, '[');
	for (unsigned i = 0; i < n; i++) {
		struct code_info *ci = codecache_get(t->codes, e->h.tgid, e->gen,
						     fr[i].code, fr[i].fp);
		int line = ci && !(fr[i].flags & PT_FRAME_F_NO_INSTR)
				   ? code_line(ci, fr[i].instr) : -1;

		if (!ci)
			t->st.unresolved_frames++;
		if (t->o->json) {
			if (i)
				sb_putc(b, ',');
			put_frame_json(b, ci, line, fr[i].code);
		} else {
			put_frame_text(b, ci, line, fr[i].code);
		}
	}
	if (t->o->json) {
		sb_putc(b, ']');
		return;
	}
	switch (e->stack_status) {
	case PT_STACK_TRUNCATED:
		sb_printf(b, "    ... %u more frames (stack depth %u)\n",
			  e->depth - n, e->depth);
		break;
	case PT_STACK_TOO_DEEP:
		sb_printf(b, "    ... more than %u more frames (stack depth > %u)\n",
			  e->depth - n, e->depth);
		break;
	case PT_STACK_READ_ERROR:
		sb_puts(b, "    [rest of the Python stack unreadable]\n");
		break;
	case PT_STACK_LOOP:
		sb_puts(b, "    [the frame chain loops back here: stopped]\n");
		break;
	}
}

/* ---- line pieces ---------------------------------------------------------- */

static void put_clock(struct tracer *t, struct sbuf *b, uint64_t ts)
{
	if (t->o->ts_mode) {
		int64_t real = (int64_t)ts + t->real_offset_ns;
		time_t sec = real / 1000000000;
		long ns = real % 1000000000;
		struct tm tm;

		if (t->o->ts_mode == 3) {
			sb_printf(b, "%lld.%06ld ", (long long)sec, ns / 1000);
			return;
		}
		localtime_r(&sec, &tm);
		sb_printf(b, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
		if (t->o->ts_mode == 2)
			sb_printf(b, ".%06ld", ns / 1000);
		sb_putc(b, ' ');
	}
}

/* -r: time since the previous line's start, as strace -r ("(+ ...)" after
 * a -t clock). */
static void put_relative(struct tracer *t, struct sbuf *b, uint64_t ts)
{
	uint64_t d = t->last_line_ts && ts > t->last_line_ts
			     ? ts - t->last_line_ts : 0;

	t->last_line_ts = ts;
	if (t->o->ts_mode)
		b->len--;	/* the clock's trailing space */
	sb_printf(b, t->o->ts_mode ? " (+%6llu.%06llu) " : "%6llu.%06llu ",
		  (unsigned long long)(d / 1000000000),
		  (unsigned long long)(d / 1000 % 1000000));
}

static void put_prefix(struct tracer *t, struct sbuf *b, uint32_t tid,
		       uint64_t ts)
{
	t->line_tid = tid;	/* -ff: whose file the line goes to */
	if (t->multi && !t->o->per_process_files)
		sb_printf(b, "[pid %5u] ", tid);
	put_clock(t, b, ts);
	if (t->o->relative_ts)
		put_relative(t, b, ts);
}

/* Fills c->cap[] from the captures after a record's fixed part. */
static void attach_caps(struct sc_call *c, const void *rec, size_t size,
			size_t off, unsigned n)
{
	if (off <= size)
		decode_set_caps(c, (const char *)rec + off, size - off, n);
}

static void call_from_enter(struct sc_call *c, const struct pending *pd)
{
	const struct pt_enter *e = pd->ev;

	memset(c, 0, sizeof(*c));
	c->nr = e->nr;
	memcpy(c->args, e->args, sizeof(c->args));
	attach_caps(c, e, pd->size,
		    sizeof(*e) + (size_t)e->n_frames * sizeof(struct pt_frame),
		    e->n_caps);
}

/* Output is written in pieces of about this size (and at every poll). */
#define OUTPUT_CHUNK (64 * 1024)

/* strace aligns the return value at column 40 (its -a default). */
static void put_ret_sep(struct sbuf *b)
{
	if (b->len < 39) {
		while (b->len < 40)
			sb_putc(b, ' ');
		sb_puts(b, "= ");
	} else {
		sb_puts(b, " = ");
	}
}

/* Queues a finished line (or a line and its traceback) for output. */
static void emit(struct tracer *t, struct sbuf *b)
{
	if (t->o->per_process_files) {
		ff_write(t, t->line_tid, b);
		sb_reset(b);
		return;
	}
	sb_put(&t->obuf, b->p, b->len);
	sb_reset(b);
	if (t->obuf.len >= OUTPUT_CHUNK)
		flush_output(t);
}

/* ---- pending syscalls not yet shown ------------------------------------------ */

static void unshown_add(struct tracer *t, struct pending *pd)
{
	pd->prev_unshown = NULL;
	pd->next_unshown = t->unshown;
	if (t->unshown)
		t->unshown->prev_unshown = pd;
	t->unshown = pd;
}

static void unshown_remove(struct tracer *t, struct pending *pd)
{
	if (pd->unfinished_shown)
		return;		/* not on the list */
	if (pd->prev_unshown)
		pd->prev_unshown->next_unshown = pd->next_unshown;
	else
		t->unshown = pd->next_unshown;
	if (pd->next_unshown)
		pd->next_unshown->prev_unshown = pd->prev_unshown;
	pd->prev_unshown = pd->next_unshown = NULL;
}

/* ---- text output ---------------------------------------------------------- */

/* "NAME(args known at entry" + tail, then the traceback: the first half
 * of a call that has not returned (tail: " <unfinished ...>\n"...). */
static void put_entry_half(struct tracer *t, struct sbuf *b,
			   const struct pending *pd, const struct sc_call *c,
			   unsigned k, const char *tail)
{
	const struct pt_enter *e = pd->ev;
	char tmp[32];

	put_prefix(t, b, e->h.tid, e->h.ts);
	sb_puts(b, decode_name(e->nr, tmp, sizeof(tmp)));
	sb_putc(b, '(');
	decode_args(b, c, 0, k, &t->dopts);
	if (k > 0 && k < decode_nargs(e->nr))
		sb_puts(b, ", ");
	sb_puts(b, tail);
	sb_put(b, pd->frames.p, pd->frames.len);
}

static void print_unfinished(struct tracer *t, struct pending *pd)
{
	const struct pt_enter *e = pd->ev;
	struct sbuf *b = &t->line;
	struct sc_call c;
	unsigned k = decode_first_exit_arg(e->nr);

	if (t->o->json || pd->unfinished_shown || t->defer ||
	    !shown_nr(t, e->nr))
		return;
	call_from_enter(&c, pd);
	put_entry_half(t, b, pd, &c, k, " <unfinished ...>\n");
	unshown_remove(t, pd);
	pd->unfinished_shown = true;
	emit(t, b);
}

/*
 * Before a line of thread tid: other threads' syscalls still pending are
 * shown as unfinished, as strace does.  Only those not shown yet are on the
 * list, so with thousands of threads blocked this stays cheap.
 */
static void interrupt_others(struct tracer *t, uint32_t tid)
{
	struct pending *pd = t->unshown, *next;

	if (t->o->json)
		return;
	for (; pd; pd = next) {
		next = pd->next_unshown;
		if (pd->ev->h.tid != tid)
			print_unfinished(t, pd);
	}
}

static void print_json(struct tracer *t, struct pending *pd,
		       const struct pt_exit *x, size_t xsize)
{
	const struct pt_enter *e = pd->ev;
	struct sbuf *b = &t->line;
	struct sc_call c;
	char tmp[32];
	int64_t real = (int64_t)e->h.ts + t->real_offset_ns;

	call_from_enter(&c, pd);
	if (x) {
		c.exited = true;
		c.ret = x->ret;
		attach_caps(&c, x, xsize, sizeof(*x), x->n_caps);
	}
	sb_printf(b, "{\"v\":1,\"type\":\"syscall\",\"ts\":%lld.%09lld,"
		     "\"pid\":%u,\"tid\":%u,\"syscall\":\"%s\",\"nr\":%u,\"args\":[",
		  (long long)(real / 1000000000), (long long)(real % 1000000000),
		  e->h.tgid, e->h.tid, decode_name(e->nr, tmp, sizeof(tmp)),
		  e->nr);
	for (unsigned i = 0, shown = 0; i < decode_nargs(e->nr); i++) {
		struct sbuf *a = &t->piece;

		if (!decode_arg_shown(&c, i))
			continue;
		if (shown++)
			sb_putc(b, ',');
		sb_reset(a);
		decode_arg(a, &c, i, &t->dopts);
		json_str(b, (const unsigned char *)sb_str(a), a->len);
	}
	sb_putc(b, ']');
	if (x) {
		struct sbuf *r = &t->piece;

		sb_reset(r);
		decode_ret(r, &c);
		if (t->fds && t->o->decode_fds && x->ret >= 0 &&
		    sc_get(e->nr)->ret_fd)	/* -y: "3</tmp/x>" */
			fdpath_put(t->fds, r, e->h.tgid, (int)x->ret);
		sb_printf(b, ",\"ret\":%lld,\"retstr\":", (long long)x->ret);
		json_str(b, (const unsigned char *)sb_str(r), r->len);
		if (x->ret < 0 && x->ret >= -4095 && errno_name(-x->ret))
			sb_printf(b, ",\"errno\":\"%s\"", errno_name(-x->ret));
		else
			sb_puts(b, ",\"errno\":null");
		sb_printf(b, ",\"duration_ns\":%llu",
			  (unsigned long long)(x->h.ts - e->h.ts));
	} else {
		sb_puts(b, ",\"ret\":null,\"retstr\":\"?\",\"errno\":null,\"unfinished\":true");
	}
	sb_printf(b, ",\"stack\":\"%s\",\"depth\":%u,\"frames\":",
		  stack_status_name(e->stack_status), e->depth);
	sb_put(b, pd->frames.p, pd->frames.len);
	sb_puts(b, "}\n");
	emit(t, b);
}

static void print_complete_line(struct tracer *t, struct pending *pd,
				const struct pt_exit *x, size_t xsize)
{
	const struct pt_enter *e = pd->ev;
	struct sbuf *b = &t->line;
	struct sc_call c;
	char tmp[32];
	unsigned k = decode_first_exit_arg(e->nr), n = decode_nargs(e->nr);

	if (t->o->json) {
		print_json(t, pd, x, xsize);
		return;
	}
	interrupt_others(t, e->h.tid);
	call_from_enter(&c, pd);
	c.exited = true;
	c.ret = x->ret;
	attach_caps(&c, x, xsize, sizeof(*x), x->n_caps);

	/* strace stamps a line with the time it starts: the entry, or the
	 * return for a resumed half. */
	put_prefix(t, b, e->h.tid, pd->unfinished_shown ? x->h.ts : e->h.ts);
	if (pd->unfinished_shown) {
		sb_printf(b, "<... %s resumed>", decode_name(e->nr, tmp, sizeof(tmp)));
		decode_args(b, &c, k, n, &t->dopts);
	} else {
		sb_printf(b, "%s(", decode_name(e->nr, tmp, sizeof(tmp)));
		decode_args(b, &c, 0, n, &t->dopts);
	}
	sb_putc(b, ')');
	put_ret_sep(b);
	decode_ret(b, &c);
	if (t->fds && t->o->decode_fds && c.ret >= 0 && sc_get(c.nr)->ret_fd)
		fdpath_put(t->fds, b, e->h.tgid, (int)c.ret);
	if (t->o->show_time)
		sb_printf(b, " <%llu.%06llu>",
			  (unsigned long long)((x->h.ts - e->h.ts) / 1000000000),
			  (unsigned long long)((x->h.ts - e->h.ts) / 1000 % 1000000));
	sb_putc(b, '\n');
	if (!pd->unfinished_shown)
		sb_put(b, pd->frames.p, pd->frames.len);
	emit(t, b);
}

/* A syscall that never returns (exit, execve that replaced the image, or
 * still blocked at the end of the session). */
static void print_no_return_line(struct tracer *t, struct pending *pd)
{
	struct sbuf *b = &t->line;
	const struct pt_enter *e = pd->ev;
	struct sc_call c;
	char tmp[32];

	if (t->o->json) {
		print_json(t, pd, NULL, 0);
		return;
	}
	interrupt_others(t, e->h.tid);
	call_from_enter(&c, pd);
	put_prefix(t, b, e->h.tid, e->h.ts);
	if (pd->unfinished_shown) {
		sb_printf(b, "<... %s resumed>", decode_name(e->nr, tmp, sizeof(tmp)));
	} else {
		sb_printf(b, "%s(", decode_name(e->nr, tmp, sizeof(tmp)));
		decode_args(b, &c, 0, decode_nargs(e->nr), &t->dopts);
	}
	sb_putc(b, ')');
	put_ret_sep(b);
	sb_puts(b, "?\n");
	if (!pd->unfinished_shown)
		sb_put(b, pd->frames.p, pd->frames.len);
	emit(t, b);
}

/* ---- what is shown: -e trace/status, -P, -c, and the -y cache ------------ */

/* Python call site of a call for -c: innermost frame and its caller. */
static void call_site(struct tracer *t, const struct pending *pd,
		      struct summary_site *site)
{
	const struct pt_enter *e = pd->ev;
	const struct pt_frame *fr = (const void *)(e + 1);

	site->n = 0;
	for (unsigned i = 0; i < e->n_frames && i < 2; i++) {
		struct code_info *ci = codecache_get(t->codes, e->h.tgid, e->gen,
						     fr[i].code, fr[i].fp);

		site->f[i].file = ci ? ci->filename : NULL;
		site->f[i].func = ci ? ci->name : NULL;
		site->f[i].line = ci && !(fr[i].flags & PT_FRAME_F_NO_INSTR)
					  ? code_line(ci, fr[i].instr) : -1;
		site->n = i + 1;
	}
}

/*
 * Whether a finished call gets its line; counts it for -c on the way.
 * Calls outside -e trace= reach here only to keep the fd cache right.
 */
static bool want_call(struct tracer *t, const struct pending *pd,
		      const struct sc_call *c, unsigned status, uint64_t ns)
{
	const struct options *o = t->o;

	if (!shown_nr(t, c->nr))
		return false;
	if (o->npaths && !fdpath_touches(t->fds, pd->ev->h.tgid, c, o->paths,
					 o->npaths))
		return false;
	if (t->sum && (status & (PT_ST_SUCCESSFUL | PT_ST_FAILED))) {
		struct summary_site site;

		call_site(t, pd, &site);
		summary_add(t->sum, c->nr, c->ret, ns, &site);
	}
	return (o->status_mask & status) && !o->summary_only;
}

static void print_complete(struct tracer *t, struct pending *pd,
			   const struct pt_exit *x, size_t xsize)
{
	const struct pt_enter *e = pd->ev;
	struct sc_call c;
	bool failed = x->ret < 0 && x->ret >= -4095;

	call_from_enter(&c, pd);
	c.exited = true;
	c.ret = x->ret;
	attach_caps(&c, x, xsize, sizeof(*x), x->n_caps);
	t->cur_tgid = e->h.tgid;
	fdpath_learn(t->fds, e->h.tgid, &c);
	if (want_call(t, pd, &c, failed ? PT_ST_FAILED : PT_ST_SUCCESSFUL,
		      x->h.ts - e->h.ts))
		print_complete_line(t, pd, x, xsize);
	fdpath_forget(t->fds, e->h.tgid, &c);
}

/* status: PT_ST_UNFINISHED (never returned) or PT_ST_UNAVAILABLE (the
 * thread was killed on its way out: the value is lost). */
static void print_no_return_as(struct tracer *t, struct pending *pd,
			       unsigned status)
{
	struct sc_call c;

	call_from_enter(&c, pd);
	t->cur_tgid = pd->ev->h.tgid;
	if (want_call(t, pd, &c, status, 0))
		print_no_return_line(t, pd);
}

static void print_no_return(struct tracer *t, struct pending *pd)
{
	print_no_return_as(t, pd, PT_ST_UNFINISHED);
}

static void pending_free(struct pending *pd)
{
	free(pd->ev);
	sb_free(&pd->frames);
	free(pd);
}

/* Takes a thread's pending syscall out of the table. */
static struct pending *pending_take(struct tracer *t, uint32_t tid)
{
	struct pending *pd = intmap_del(&t->pending, tid);

	if (pd)
		unshown_remove(t, pd);
	return pd;
}

/* Prints a pending syscall that will not return, and forgets it. */
static void pending_no_return(struct tracer *t, uint32_t tid)
{
	struct pending *pd = pending_take(t, tid);

	if (pd) {
		print_no_return(t, pd);
		pending_free(pd);
	}
}

/* ---- records -------------------------------------------------------------- */

static void note_tid(struct tracer *t, uint32_t tid)
{
	if (t->multi || intmap_get(&t->tids, tid))
		return;
	intmap_put(&t->tids, tid, (void *)1);
	if (t->tids.count > 1)
		t->multi = true;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void pending_rekey(struct tracer *t, uint32_t from, uint32_t to)
{
	struct pending *pd = pending_take(t, from);

	if (!pd)
		return;
	pending_no_return(t, to);	/* the leader's own, if any */
	pd->ev->h.tid = to;
	if (intmap_put(&t->pending, to, pd)) {
		pending_free(pd);
		return;
	}
	if (!pd->unfinished_shown)
		unshown_add(t, pd);
}

static bool never_returns(unsigned nr)
{
	return nr == SYS_exit || nr == SYS_exit_group;
}

static void on_enter(struct tracer *t, const struct pt_enter *e, size_t size)
{
	struct pending *pd;

	if (size < sizeof(*e) ||
	    sizeof(*e) + (size_t)e->n_frames * sizeof(struct pt_frame) > size) {
		t->st.bad_records++;
		return;
	}
	note_tid(t, e->h.tid);
	if (e->n_frames)
		proc_note_walk(t, e->h.tgid, e->gen);
	pending_no_return(t, e->h.tid);	/* its exit record was lost */
	pd = calloc(1, sizeof(*pd));
	if (!pd || !(pd->ev = malloc(size))) {
		free(pd);
		t->st.alloc_failures++;
		return;
	}
	memcpy(pd->ev, e, size);
	pd->size = size;
	pd->seen_ns = now_ns();
	format_frames(t, pd);
	if (never_returns(e->nr)) {	/* strace prints these at once: "= ?" */
		print_no_return(t, pd);
		pending_free(pd);
		return;
	}
	if (intmap_put(&t->pending, e->h.tid, pd)) {
		pending_free(pd);
		t->st.alloc_failures++;
		return;
	}
	unshown_add(t, pd);
}

static void on_exit_rec(struct tracer *t, const struct pt_exit *x, size_t size)
{
	struct pending *pd;

	if (size < sizeof(*x)) {
		t->st.bad_records++;
		return;
	}
	pd = pending_take(t, x->h.tid);
	if (!pd) {
		t->st.unpaired_exits++;	/* entered before we attached */
		return;
	}
	if (pd->ev->nr != x->nr) {
		t->st.unpaired_exits++;
		print_no_return(t, pd);
		pending_free(pd);
		return;
	}
	if (x->flags & PT_EXIT_F_KILLED)
		print_no_return_as(t, pd, PT_ST_UNAVAILABLE);	/* strace: "= ?" */
	else
		print_complete(t, pd, x, size);
	pending_free(pd);
}

/* Prints what a thread group still had pending when it exited or exec'd. */
static void flush_proc_pending(struct tracer *t, uint32_t tgid)
{
	size_t i = 0;
	uint32_t key;
	void *val;

	while (intmap_next(&t->pending, &i, &key, &val)) {
		struct pending *pd = val;

		if (pd->ev->h.tgid == tgid)
			pending_no_return(t, key);
	}
}

static void on_proc_event(struct tracer *t, const struct pt_proc_event *r,
			  size_t size)
{
	struct uproc *p;

	if (size < sizeof(*r)) {
		t->st.bad_records++;
		return;
	}
	p = intmap_get(&t->procs, r->h.tgid);
	switch (r->h.type) {
	case PT_EV_EXEC:
		/* The execve's exit record follows and completes the line;
		 * from a thread other than the leader, it returns under the
		 * leader's id (old id in exit_code). */
		if ((uint32_t)r->exit_code != r->h.tid)
			pending_rekey(t, r->exit_code, r->h.tid);
		if (!p)
			return;
		p->gen = r->gen;
		p->python = false;
		p->noticed = false;
		codecache_drop_proc(t->codes, r->h.tgid);
		fdpath_drop_proc(t->fds, r->h.tgid);
		proc_detect(t, p, false);
		break;
	case PT_EV_RESCAN:
		if (p && !p->python && p->gen == r->gen)
			proc_detect(t, p, false);
		break;
	case PT_EV_FORK:
		p = proc_add(t, r->h.tgid, r->gen, PT_PROC_F_FOLLOW);
		if (!p)
			break;
		p->gen = r->gen;
		p->noticed = true;
		/* The BPF side gave the child its parent's Python, unless the
		 * parent forked before we had looked at it; the code-free
		 * uprobe is per process. */
		if (!p->python) {
			proc_detect(t, p, false);
		} else {
			struct uproc *parent = intmap_get(&t->procs,
							  (pid_t)r->exit_code);

			if (parent) {
				p->free_off = parent->free_off;
				p->obj_start = parent->obj_start;
				p->obj_end = parent->obj_end;
			}
		}
		break;
	case PT_EV_PROC_EXIT:
		flush_proc_pending(t, r->h.tgid);
		fdpath_drop_proc(t->fds, r->h.tgid);
		if (t->o->summary_only) {
			/* strace -c prints only the table */
		} else if (!t->o->json) {	/* strace hides these only with -qq */
			struct sbuf *b = &t->line;
			int st = r->exit_code;

			put_prefix(t, b, r->h.tgid, r->h.ts);
			if (st & 0x7f)
				sb_printf(b, "+++ killed by %s%s +++\n",
					  sigabbrev_np(st & 0x7f) ? "SIG" : "",
					  sigabbrev_np(st & 0x7f) ?: "?");
			else
				sb_printf(b, "+++ exited with %d +++\n",
					  (st >> 8) & 0xff);
			emit(t, b);
		} else if (t->o->json) {
			sb_printf(&t->line,
				  "{\"v\":1,\"type\":\"exit\",\"pid\":%u,\"status\":%d}\n",
				  r->h.tgid, r->exit_code);
			emit(t, &t->line);
		}
		proc_gone(t, r->h.tgid);
		break;
	}
}

/* The stack blocked_stack walked for tracer_walk_blocked(): kept until
 * print_blocked_before_attach() takes it. */
static void on_stack(struct tracer *t, const void *data, uint32_t size)
{
	const struct pt_enter *e = data;

	if (size < sizeof(*e) ||
	    size < sizeof(*e) + (size_t)e->n_frames * sizeof(struct pt_frame) ||
	    e->n_frames > PT_MAX_FRAMES) {
		t->st.bad_records++;
		return;
	}
	free(t->stack_rec);
	t->stack_rec = malloc(size);
	if (t->stack_rec)
		memcpy(t->stack_rec, data, size);
	else
		t->st.alloc_failures++;
}

int handle_event(void *ctx, void *data, size_t size)
{
	struct tracer *t = ctx;
	const struct pt_hdr *h = data;

	t->st.events++;
	if (size < sizeof(*h) || h->size > size) {
		t->st.bad_records++;
		return 0;
	}
	switch (h->type) {
	case PT_EV_ENTER:
		on_enter(t, data, h->size);
		break;
	case PT_EV_EXIT:
		on_exit_rec(t, data, h->size);
		break;
	case PT_EV_CODE:
		t->st.code_records++;
		if (codecache_add(t->codes, data, h->size))
			t->st.bad_records++;
		break;
	case PT_EV_EXEC:
	case PT_EV_PROC_EXIT:
	case PT_EV_FORK:
	case PT_EV_RESCAN:
		on_proc_event(t, data, h->size);
		break;
	case PT_EV_STACK:
		on_stack(t, data, h->size);
		break;
	default:
		t->st.bad_records++;
	}
	return 0;	/* never stop the poll loop from here */
}

void flush_stale_pending(struct tracer *t, uint64_t older_than_ns)
{
	uint64_t now = now_ns();
	struct pending *pd, *next;

	if (t->o->json)
		return;
	for (pd = t->unshown; pd; pd = next) {
		next = pd->next_unshown;
		if (now - pd->seen_ns >= older_than_ns)
			print_unfinished(t, pd);
	}
}

/*
 * strace's "<detached ...>": a call still blocked when tracing ends.  Its
 * traceback is printed here even if it was shown with "<unfinished ...>"
 * before: a hung process is why one attached, and this is the answer.
 */
static void print_detached(struct tracer *t, struct pending *pd)
{
	const struct pt_enter *e = pd->ev;
	struct sbuf *b = &t->line;
	struct sc_call c;
	unsigned k = decode_first_exit_arg(e->nr);

	call_from_enter(&c, pd);
	t->cur_tgid = e->h.tgid;
	if (!want_call(t, pd, &c, PT_ST_DETACHED, 0))
		return;
	if (t->o->json) {
		print_json(t, pd, NULL, 0);
		return;
	}
	/* The whole call again even if "<unfinished ...>" showed it: this
	 * is the line the user is looking for. */
	put_entry_half(t, b, pd, &c, k, " <detached ...>\n");
	emit(t, b);
}

/*
 * A call already blocked when pytrace attached has no entry record, but the
 * kernel still says which call a blocked thread is in, with its arguments
 * (/proc/PID/task/TID/syscall: "nr arg1..arg6 sp pc" in hex, "running" or
 * "-1 ..." otherwise).  Printed as detached, with the traceback the
 * blocked_stack iterator reads from outside the thread.
 */
static void print_blocked_before_attach(struct tracer *t, uint32_t tgid,
					uint32_t tid)
{
	struct pending pd = {};
	struct pt_enter rec = {}, *e = &rec;
	unsigned long long v[PT_NARGS + 1];
	char path[80], line[256];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/%u/task/%u/syscall", tgid, tid);
	f = fopen(path, "re");
	if (!f)
		return;
	n = fgets(line, sizeof(line), f)
		    ? sscanf(line, "%llu %llx %llx %llx %llx %llx %llx", &v[0],
			     &v[1], &v[2], &v[3], &v[4], &v[5], &v[6])
		    : 0;
	fclose(f);
	if (n != PT_NARGS + 1 || v[0] >= PT_NR_SYSCALLS || !shown_nr(t, v[0]))
		return;
	if (!t->o->no_frames && !tracer_walk_blocked(t, tid) &&
	    t->stack_rec && t->stack_rec->h.tid == tid)
		e = t->stack_rec;	/* its frames follow it */
	e->h.tgid = tgid;
	e->h.tid = tid;
	e->h.ts = now_ns();	/* the time it is seen, not its start */
	e->nr = (uint32_t)v[0];
	for (int i = 0; i < PT_NARGS; i++)
		e->args[i] = v[i + 1];
	pd.ev = e;
	pd.size = sizeof(*e) + e->n_frames * sizeof(struct pt_frame);
	if (e != &rec)
		format_frames(t, &pd);
	else
		sb_puts(&pd.frames, t->o->json ? "[]"
				    : "    [blocked since before pytrace attached: "
				      "no Python traceback]\n");
	print_detached(t, &pd);
	sb_free(&pd.frames);
}

/* Threads of attached processes blocked in a call pytrace never saw enter. */
static void flush_blocked_before_attach(struct tracer *t)
{
	size_t i = 0;
	uint32_t key;
	void *val;

	while (intmap_next(&t->procs, &i, &key, &val)) {
		struct uproc *p = val;
		char path[64];
		struct dirent *de;
		DIR *d;

		if (!p->root || t->child || p->exited)
			continue;	/* a launched command was seen from exec */
		snprintf(path, sizeof(path), "/proc/%u/task", key);
		d = opendir(path);
		while (d && (de = readdir(d))) {
			uint32_t tid = (uint32_t)strtoul(de->d_name, NULL, 10);

			if (tid && !intmap_get(&t->pending, tid))
				print_blocked_before_attach(t, key, tid);
		}
		if (d)
			closedir(d);
	}
}

void flush_all_pending(struct tracer *t)
{
	size_t i = 0;
	uint32_t key;
	void *val;

	flush_blocked_before_attach(t);
	while (intmap_next(&t->pending, &i, &key, &val)) {
		print_detached(t, val);
		pending_free(pending_take(t, key));
	}
}

void print_notice(struct tracer *t, const char *fmt, ...)
{
	va_list ap;

	if (t->o->quiet)
		return;
	flush_output(t);	/* the trace so far comes first */
	fputs("pytrace: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
