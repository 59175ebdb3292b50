// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The session: checks, BPF load and attach, the targets, the poll loop and
 * the summary of anything lost.
 *
 * Every attachment is a BPF link owned by a file descriptor of this process,
 * so however pytrace ends (SIGKILL included) the kernel detaches everything.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fdpath.h"
#include "pytrace.skel.h"
#include "session.h"
#include "syscalls.h"
#include "tracer.h"

/* Syscall records do not wake us until the ring is a quarter full, so this
 * bounds how late a line can appear (an idle wake-up costs microseconds). */
#define POLL_MS 20

static volatile sig_atomic_t stop_signal, signal_count, signal_from_user;

/* The signals pytrace handles, and what they were when it started (the
 * launched command gets them back: nohup's SIG_IGN must reach it). */
static const int handled_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
static struct sigaction saved_actions[sizeof(handled_signals) / sizeof(int)];

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	stop_signal = sig;
	signal_count++;
	/* kill(1) or timeout(1), not the terminal's Ctrl-C, which reached
	 * the launched command already. */
	signal_from_user = si && si->si_code == SI_USER;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	return vfprintf(stderr, fmt, ap);
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	return 0;
}

static void die(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("pytrace: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* ---- load and attach ------------------------------------------------------ */

static void load_bpf(struct tracer *t)
{
	struct options *o = t->o;
	struct pytrace_bpf *skel;
	int err, fd;

	libbpf_set_print(o->verbose ? libbpf_print : libbpf_quiet);
	skel = pytrace_bpf__open();
	if (!skel)
		die(PT_EXIT_ENV, "failed to open BPF object: %s", strerror(errno));
	skel->rodata->strsize = o->strsize;
	skel->rodata->max_frames = o->stack_depth;
	skel->rodata->want_frames = !o->no_frames;
	skel->rodata->want_time = o->json || o->ts_mode || o->show_time ||
				  o->relative_ts || o->summary_only ||
				  o->summary;
	bpf_map__set_max_entries(skel->maps.events, o->buffer_mb << 20);
	skel->rodata->ring_size = (uint64_t)o->buffer_mb << 20;
	/* Only --frames=uprobe loads it; it is attached per process, to the
	 * process's own image (procs.c), never by the skeleton. */
	bpf_program__set_autoload(skel->progs.eval_entry, o->frames_uprobe);
	bpf_program__set_autoattach(skel->progs.eval_entry, false);
	/* Likewise per process (procs.c); without frames it has no use. */
	bpf_program__set_autoload(skel->progs.code_freed,
				  !o->no_frames && !o->code_reread);
	bpf_program__set_autoattach(skel->progs.code_freed, false);
	/* Run on demand, on one thread, and loaded then (blocked_prog()). */
	bpf_program__set_autoload(skel->progs.blocked_stack, false);
	err = pytrace_bpf__load(skel);
	if (err)
		die(err == -EPERM ? PT_EXIT_ENV : PT_EXIT_INTERNAL,
		    "failed to load BPF programs: %s%s", strerror(-err),
		    err == -EPERM ? " (need CAP_BPF and CAP_PERFMON, or root)"
				  : " (run with -v for the verifier's log)");
	memcpy(skel->bss->syscall_mask, o->syscall_mask,
	       sizeof(skel->bss->syscall_mask));
	/* -y and -P follow fds through open, dup, close... even unshown */
	if (o->decode_fds || o->npaths)
		fdpath_needed_calls((uint64_t *)skel->bss->syscall_mask);
	fd = bpf_map__fd(skel->maps.specs);
	for (__u32 nr = 0; nr < PT_NR_SYSCALLS; nr++) {
		struct pt_spec spec = {};

		sc_spec(nr, &spec, o->strsize);
		bpf_map_update_elem(fd, &nr, &spec, BPF_ANY);
	}
	err = pytrace_bpf__attach(skel);
	if (err)
		die(PT_EXIT_ENV, "failed to attach BPF programs: %s",
		    strerror(-err));
	t->skel = skel;
}

/*
 * The iterator is run only for a call blocked since before an attach, at
 * the end, so it is loaded only then: in a second instance of the object
 * whose maps are the first's (globals included).  Verifying it takes tens
 * of milliseconds, which every attach would otherwise wait for.
 */
static struct bpf_program *blocked_prog(struct tracer *t)
{
	struct pytrace_bpf *s;
	struct bpf_program *p;
	struct bpf_map *m;

	if (t->skel_blocked)
		return t->skel_blocked->progs.blocked_stack;
	s = pytrace_bpf__open();
	if (!s)
		return NULL;
	bpf_object__for_each_program(p, s->obj)
		bpf_program__set_autoload(p, p == s->progs.blocked_stack);
	bpf_object__for_each_map(m, s->obj) {
		const struct bpf_map *mine = bpf_object__find_map_by_name(
			t->skel->obj, bpf_map__name(m));

		if (!mine || bpf_map__reuse_fd(m, bpf_map__fd(mine))) {
			pytrace_bpf__destroy(s);
			return NULL;
		}
	}
	if (pytrace_bpf__load(s)) {
		pytrace_bpf__destroy(s);
		return NULL;
	}
	t->skel_blocked = s;
	return s->progs.blocked_stack;
}

int tracer_walk_blocked(struct tracer *t, uint32_t tid)
{
	struct bpf_program *prog;
	LIBBPF_OPTS(bpf_iter_attach_opts, opts);
	union bpf_iter_link_info linfo = {};
	struct bpf_link *link;
	char buf[64];
	int fd;

	free(t->stack_rec);
	t->stack_rec = NULL;
	if (!t->skel || !t->rb || !(prog = blocked_prog(t)))
		return -1;
	linfo.task.tid = tid;	/* this one thread only */
	opts.link_info = &linfo;
	opts.link_info_len = sizeof(linfo);
	link = bpf_program__attach_iter(prog, &opts);
	if (!link)
		return -1;
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd >= 0) {
		while (read(fd, buf, sizeof(buf)) > 0)
			;	/* running the iterator is the point */
		close(fd);
	}
	bpf_link__destroy(link);
	ring_buffer__consume(t->rb);	/* its code records and the stack */
	return t->stack_rec ? 0 : -1;
}

/* The BPF side will send the code object again if it meets it.  A slot
 * rewritten meanwhile belongs to a newer record: then nothing is lost by
 * keeping it, and at worst the object is sent twice. */
static void evict_code(void *ctx, const struct pt_code_key *key)
{
	struct tracer *t = ctx;
	__u32 i = pt_code_slot_index(key->code, key->tgid);
	int fd = bpf_map__fd(t->skel->maps.code_slots);
	struct pt_code_slot slot;

	if (bpf_map_lookup_elem(fd, &i, &slot) == 0 && slot.code == key->code &&
	    slot.tgid == key->tgid && slot.gen == key->gen) {
		memset(&slot, 0, sizeof(slot));
		bpf_map_update_elem(fd, &i, &slot, BPF_ANY);
	}
}

/* ---- signals -------------------------------------------------------------- */

static void install_signals(void)
{
	struct sigaction sa = { .sa_sigaction = on_signal,
				.sa_flags = SA_SIGINFO };

	for (size_t i = 0; i < sizeof(handled_signals) / sizeof(int); i++) {
		int sig = handled_signals[i];

		sigaction(sig, NULL, &saved_actions[i]);
		if (sig == SIGPIPE)
			signal(SIGPIPE, SIG_IGN);	/* write errors say it */
		else if (saved_actions[i].sa_handler != SIG_IGN)
			sigaction(sig, &sa, NULL);	/* nohup: stay immune */
	}
}

/* In the launched child, before exec. */
static void restore_signals(void)
{
	for (size_t i = 0; i < sizeof(handled_signals) / sizeof(int); i++)
		sigaction(handled_signals[i], &saved_actions[i], NULL);
}

/* ---- launching a command -------------------------------------------------- */

/*
 * The child waits on a pipe until it is in the traced set, then calls
 * execve itself: its very first traced syscall is the execve.  The path is
 * resolved here so the child makes one execve, as strace shows it.
 */
static pid_t launch(struct tracer *t, char **argv)
{
	struct uproc *p;
	char path[4096];
	int pfd[2];
	pid_t pid;

	if (session_find_program(argv[0], path, sizeof(path)))
		die(PT_EXIT_TARGET, "cannot find program '%s'", argv[0]);
	if (pipe2(pfd, O_CLOEXEC))
		die(PT_EXIT_INTERNAL, "pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die(PT_EXIT_INTERNAL, "fork: %s", strerror(errno));
	if (pid == 0) {
		char go;
		extern char **environ;

		close(pfd[1]);
		restore_signals();
		if (read(pfd[0], &go, 1) != 1)
			_exit(127);
		execve(path, argv, environ);
		fprintf(stderr, "pytrace: exec %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	close(pfd[0]);
	p = proc_add(t, pid, 0, PT_PROC_F_AWAIT_EXEC |
					(t->o->follow ? PT_PROC_F_FOLLOW : 0));
	if (p)
		p->root = true;
	if (write(pfd[1], "g", 1) != 1)
		die(PT_EXIT_INTERNAL, "cannot start '%s'", argv[0]);
	close(pfd[1]);
	return pid;
}

/* ---- the loop ------------------------------------------------------------- */

static void reap_child(struct tracer *t)
{
	int status;

	if (!t->child || t->child_reaped)
		return;
	if (waitpid(t->child, &status, WNOHANG) == t->child) {
		t->child_status = status;
		t->child_reaped = true;
	}
}

/* Exit records can be lost when the ring buffer is full: look for
 * processes that are gone without one. */
static void check_liveness(struct tracer *t)
{
	size_t i = 0;
	uint32_t key;
	void *val;
	pid_t gone[64];
	int n = 0;

	while (intmap_next(&t->procs, &i, &key, &val) && n < 64) {
		if (key == (uint32_t)t->child && !t->child_reaped)
			continue;
		if (kill(key, 0) && errno == ESRCH)
			gone[n++] = key;
		else if (key == (uint32_t)t->child && t->child_reaped)
			gone[n++] = key;
	}
	ring_buffer__consume(t->rb);
	for (int k = 0; k < n; k++)
		proc_gone(t, gone[k]);
}

/*
 * Attached: a signal detaches.  Launched: SIGTERM and SIGHUP (and a SIGINT
 * sent by kill rather than by the terminal) go on to the command, and the
 * trace goes on until the command exits; a second signal stops at once.
 */
static bool should_stop(struct tracer *t)
{
	static sig_atomic_t handled;

	if (!signal_count)
		return false;
	if (!t->child || t->child_reaped || signal_count > 1)
		return true;
	if (!handled) {
		handled = 1;
		if (stop_signal != SIGINT || signal_from_user)
			kill(t->child, stop_signal);
	}
	return false;
}

/*
 * How much of buf to write at once: all of it to a file; to a pipe or a
 * terminal shared with the traced program, whole lines of at most PIPE_BUF
 * bytes, which the kernel writes in one piece, so the program's output
 * cannot land in the middle of a line.
 */
static size_t write_piece(const struct tracer *t, const char *buf, size_t len)
{
	size_t n = len < PIPE_BUF ? len : PIPE_BUF;

	if (!t->out_shared || n == len)
		return len;
	while (n > 0 && buf[n - 1] != '\n')
		n--;
	return n ? n : PIPE_BUF;	/* a line longer than PIPE_BUF */
}

/* Writes the buffered trace, keeping the errno of the first failure. */
void flush_output(struct tracer *t)
{
	size_t off = 0;

	while (off < t->obuf.len && !t->output_error) {
		size_t len = write_piece(t, t->obuf.p + off, t->obuf.len - off);
		ssize_t n = write(fileno(t->out), t->obuf.p + off, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			t->output_error = n < 0 ? errno : EIO;
		else
			off += (size_t)n;
	}
	sb_reset(&t->obuf);
}

/* Write errors end the session with a message (once); a closed pipe quietly. */
static bool output_failed(struct tracer *t)
{
	static bool said;

	flush_output(t);
	if (!t->output_error)
		return false;
	if (t->output_error != EPIPE && !said)
		fprintf(stderr, "pytrace: writing the trace: %s\n",
			strerror(t->output_error));
	said = true;
	return true;
}

/*
 * The traced threads make records as fast as they run.  When they keep
 * every CPU busy, a fair share is not enough for pytrace to read the ring
 * (the 300-thread soak lost 476k records at nice 0 on a quiet machine; with
 * another busy process it still lost 154k-461k at -10, none at -20), so it
 * takes the largest one it may (setpriority clamps at -20).  It only runs
 * while records wait: what it takes is its CPU time, which make bench
 * reports.  Children it launches were forked before this.
 */
#define TRACER_NICE_BOOST 20

static void raise_priority(void)
{
	int now;

	errno = 0;
	now = getpriority(PRIO_PROCESS, 0);
	if (!errno)
		setpriority(PRIO_PROCESS, 0, now - TRACER_NICE_BOOST);
}

static void run_loop(struct tracer *t)
{
	uint64_t last_check = clock_ns(CLOCK_MONOTONIC);

	raise_priority();
	while (!should_stop(t) && t->live > 0) {
		int err = ring_buffer__poll(t->rb, POLL_MS);

		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "pytrace: polling the ring buffer: %s\n",
				strerror(-err));
			t->output_error = -err;
			break;
		}
		/* Syscall records do not wake us until the ring is a quarter
		 * full (waking costs the traced thread more than the record):
		 * take what is there at every poll timeout, so that a slow
		 * target's lines show within POLL_MS, and -y/-P read
		 * /proc/PID/fd while the fd is likelier still open. */
		ring_buffer__consume(t->rb);
		proc_code_frees_done(t);
		reap_child(t);
		flush_stale_pending(t, 200 * 1000000ull);
		if (output_failed(t))
			break;
		if (clock_ns(CLOCK_MONOTONIC) - last_check > 500 * 1000000ull ||
		    t->child_reaped) {
			check_liveness(t);
			last_check = clock_ns(CLOCK_MONOTONIC);
		}
	}
	ring_buffer__consume(t->rb);
}

static uint64_t counter_sum(struct tracer *t, enum pt_counter c)
{
	int ncpu = libbpf_num_possible_cpus();
	__u64 *vals = calloc(ncpu > 0 ? ncpu : 1, sizeof(*vals));
	__u32 key = c;
	uint64_t sum = 0;

	if (vals && !bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.counters),
					 &key, vals))
		for (int i = 0; i < ncpu; i++)
			sum += vals[i];
	free(vals);
	return sum;
}

static uint64_t recursion_misses(struct tracer *t)
{
	struct bpf_program *prog;
	uint64_t sum = 0;

	bpf_object__for_each_program(prog, t->skel->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);

		if (!bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
			sum += info.recursion_misses;
	}
	return sum;
}

/* Nothing is lost silently: every drop the BPF side counted is said. */
static void report_losses(struct tracer *t)
{
	uint64_t enter = counter_sum(t, PT_CNT_ENTER_DROP);
	uint64_t exit_ = counter_sum(t, PT_CNT_EXIT_DROP);
	uint64_t code = counter_sum(t, PT_CNT_CODE_DROP);
	uint64_t proc = counter_sum(t, PT_CNT_PROC_DROP);
	uint64_t infl = counter_sum(t, PT_CNT_INFLIGHT_FULL);
	uint64_t compat = counter_sum(t, PT_CNT_COMPAT);
	uint64_t rec = recursion_misses(t);
	uint64_t total = enter + exit_ + code + proc + infl + rec;
	const struct stats *st = &t->st;

	if (t->o->json) {
		sb_printf(&t->obuf,
			"{\"v\":1,\"type\":\"summary\",\"events\":%llu,"
			"\"lost\":{\"enter\":%llu,\"exit\":%llu,\"code\":%llu,"
			"\"process\":%llu,\"inflight_full\":%llu,\"recursion\":%llu,"
			"\"no_memory\":%llu},"
			"\"not_traced_compat\":%llu,\"code_records\":%llu,"
			"\"unresolved_frames\":%llu,"
			"\"unpaired_exits\":%llu,\"bad_records\":%llu}\n",
			(unsigned long long)st->events,
			(unsigned long long)enter, (unsigned long long)exit_,
			(unsigned long long)code, (unsigned long long)proc,
			(unsigned long long)infl, (unsigned long long)rec,
			(unsigned long long)st->alloc_failures,
			(unsigned long long)compat,
			(unsigned long long)st->code_records,
			(unsigned long long)st->unresolved_frames,
			(unsigned long long)st->unpaired_exits,
			(unsigned long long)st->bad_records);
	}
	flush_output(t);
	if (total)
		fprintf(stderr,
			"pytrace: %llu records lost (ring buffer full: %llu enter, "
			"%llu exit, %llu code, %llu process; in-flight table full: "
			"%llu; probe re-entry: %llu); try --buffer-size\n",
			(unsigned long long)total, (unsigned long long)enter,
			(unsigned long long)exit_, (unsigned long long)code,
			(unsigned long long)proc, (unsigned long long)infl,
			(unsigned long long)rec);
	if (st->alloc_failures)
		fprintf(stderr, "pytrace: %llu records dropped: out of memory\n",
			(unsigned long long)st->alloc_failures);
	if (compat)
		fprintf(stderr, "pytrace: %llu 32-bit (int 0x80) system calls were not traced\n",
			(unsigned long long)compat);
	if (st->unresolved_frames)
		fprintf(stderr, "pytrace: %llu frames shown as <unknown>: their code records were lost\n",
			(unsigned long long)st->unresolved_frames);
	if (st->bad_records)
		fprintf(stderr, "pytrace: %llu malformed records ignored\n",
			(unsigned long long)st->bad_records);
}

static void tracer_free_state(struct tracer *t)
{
	size_t i = 0;
	uint32_t key;
	void *val;

	while (intmap_next(&t->procs, &i, &key, &val))
		proc_free(val);
	intmap_free(&t->procs);
	intmap_free(&t->pending);	/* emptied by flush_all_pending() */
	free(t->stack_rec);
	intmap_free(&t->tids);
	sb_free(&t->line);
	sb_free(&t->piece);
	sb_free(&t->obuf);
}

static void wait_child(struct tracer *t)
{
	while (!t->child_reaped) {
		if (waitpid(t->child, &t->child_status, 0) == t->child ||
		    errno != EINTR)
			t->child_reaped = true;
	}
}

/* pytrace's own exit status when it launched the command. */
static int launched_exit_status(struct tracer *t)
{
	if (t->output_error == EPIPE) {
		/* Nobody reads the trace any more: end like strace killed
		 * by SIGPIPE, which takes the command it started along. */
		if (!t->child_reaped)
			kill(t->child, SIGKILL);
		wait_child(t);
		return 128 + SIGPIPE;
	}
	/* Detached by a second signal while the command runs on. */
	if (!t->child_reaped && !t->child_exited && signal_count)
		return 128 + stop_signal;
	/* Otherwise the command is waited for, never left orphaned (after a
	 * write error it runs on untraced). */
	wait_child(t);
	if (t->output_error)
		return PT_EXIT_INTERNAL;
	if (WIFEXITED(t->child_status))
		return WEXITSTATUS(t->child_status);
	if (WIFSIGNALED(t->child_status))
		return 128 + WTERMSIG(t->child_status);
	return PT_EXIT_INTERNAL;
}

int tracer_run(struct options *o)
{
	struct tracer t = { .o = o };
	int fd;

	session_preflight(o);
	t.out = stderr;
	if (o->outfile && !o->per_process_files) {	/* -ff: FILE.PID */
		t.out = fopen(o->outfile, "we");
		if (!t.out)
			die(PT_EXIT_USAGE, "cannot open %s: %s", o->outfile,
			    strerror(errno));
	}
	{
		struct stat st;

		t.out_shared = fstat(fileno(t.out), &st) || !S_ISREG(st.st_mode);
	}
	t.dopts.strsize = o->strsize;
	/* With -f or several -p, every line says whose it is from the start. */
	t.multi = o->follow || o->npids > 1;
	t.real_offset_ns = (int64_t)(clock_ns(CLOCK_REALTIME) -
				     clock_ns(CLOCK_MONOTONIC));
	install_signals();
	events_setup(&t);

	load_bpf(&t);
	t.codes = codecache_new(1 << 16, evict_code, &t);
	fd = bpf_map__fd(t.skel->maps.events);
	t.rb = ring_buffer__new(fd, handle_event, &t, NULL);
	if (!t.codes || !t.rb)
		die(PT_EXIT_INTERNAL, "out of memory");

	if (o->argv) {
		t.child = launch(&t, o->argv);
	} else {
		for (int i = 0; i < o->npids; i++)
			proc_attach(&t, o->pids[i], o->follow);
	}

	run_loop(&t);
	proc_attaches_wait(&t);	/* their threads use the skeleton's program */
	flush_all_pending(&t);
	events_finish(&t);
	report_losses(&t);

	ring_buffer__free(t.rb);
	pytrace_bpf__destroy(t.skel_blocked);
	pytrace_bpf__destroy(t.skel);
	codecache_free(t.codes);
	tracer_free_state(&t);
	proc_links_wait();
	output_failed(&t);	/* the last buffered lines */
	if (t.out != stderr)
		fclose(t.out);
	if (t.child)
		return launched_exit_status(&t);
	if (t.output_error && t.output_error != EPIPE)
		return PT_EXIT_INTERNAL;
	return PT_EXIT_OK;
}
