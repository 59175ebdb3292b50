// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <argp.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "syscalls.h"
#include "sysclass.h"

const char *argp_program_version = "pytrace 0.1";
const char *argp_program_bug_address = NULL;

static const char doc[] =
	"Trace the system calls of Python processes, with the Python traceback "
	"of the thread that made each call.\n"
	"\n"
	"USAGE: pytrace [OPTIONS] -p PID [-p PID...]\n"
	"       pytrace [OPTIONS] [--] COMMAND [ARGS...]\n"
	"\n"
	"EXAMPLES:\n"
	"  pytrace -p 1234 -e openat         # which Python code opens what\n"
	"  pytrace -f -e trace=openat,connect -- python3 app.py\n"
	"  pytrace -e trace=%file -- python3 app.py      # a class of syscalls\n"
	"  pytrace -e 'trace=!%memory,/^rt_sig' -- python3 app.py\n"
	"  pytrace -Z -e trace=%file -- python3 app.py   # failed calls only\n"
	"  pytrace -yy -e trace=%net -p 1234  # fds with paths, sockets' ends\n"
	"  pytrace -P /etc/hosts -- python3 app.py       # calls touching a path\n"
	"  pytrace -c -- python3 -m pytest   # time per syscall and per Python line\n"
	"  pytrace -ff -o trace -- python3 app.py        # a file trace.TID each\n"
	"  pytrace -r -T -p 1234             # relative timestamps, durations\n"
	"  pytrace --json -o trace.jsonl -- python3 -m pytest\n"
	"\v"
	"CLASSES for -e trace=%CLASS (strace's): %file %desc %net %network\n"
	"%process %memory %signal %ipc %creds %clock %stat %lstat %fstat %%stat\n"
	"%statfs %fstatfs %%statfs %pure.  See pytrace(1).\n"
	"\n"
	"Exit status: the command's own status when launching; otherwise 0, or\n"
	"2 (bad usage), 3 (no such process / cannot trace it), 4 (no privileges,\n"
	"no BTF, BPF refused), 5 (internal error).";

enum {
	OPT_JSON = 1000,
	OPT_NO_FRAMES,
	OPT_FRAMES,
	OPT_CODE_CHECK,
	OPT_STACK_DEPTH,
	OPT_BUFFER,
	OPT_TRACE,
	OPT_STATUS,
};

static const struct argp_option opts[] = {
	{ NULL, 0, NULL, 0, "Targets:", 1 },
	{ "pid", 'p', "PID", 0, "Attach to process PID (repeatable)", 1 },
	{ "follow-forks", 'f', NULL, 0,
	  "Trace child processes too; -ff with -o: one file FILE.TID per "
	  "thread, as strace", 1 },
	{ NULL, 0, NULL, 0, "Filtering:", 2 },
	{ "expr", 'e', "EXPR", 0,
	  "trace=[!]SET: syscalls to show; SET items: NAME, %CLASS, /REGEX, "
	  "all, none, ?ITEM (no error if unknown).  status=[!]SET: successful, "
	  "failed, unfinished, unavailable, detached.  -e SET is trace=SET", 2 },
	{ "trace", OPT_TRACE, "SET", 0, "Same as -e trace=SET", 2 },
	{ "status", OPT_STATUS, "SET", 0, "Same as -e status=SET", 2 },
	{ "successful-only", 'z', NULL, 0, "Show only calls that succeeded", 2 },
	{ "failed-only", 'Z', NULL, 0, "Show only calls that failed", 2 },
	{ "trace-path", 'P', "PATH", 0,
	  "Show only calls that touch PATH (by name or by an fd open on it); "
	  "repeatable", 2 },
	{ NULL, 0, NULL, 0, "Output:", 3 },
	{ "output", 'o', "FILE", 0, "Write the trace to FILE instead of stderr", 3 },
	{ "json", OPT_JSON, NULL, 0, "Write JSON Lines (schema: docs/json.md)", 3 },
	{ "string-limit", 's', "N", 0,
	  "Show at most N bytes of buffers (default 32; at most 4095)", 3 },
	{ NULL, 't', NULL, 0, "Prefix lines with the time (-tt: with us, -ttt: epoch)", 3 },
	{ "relative-timestamps", 'r', NULL, 0,
	  "Prefix lines with the time since the previous line", 3 },
	{ NULL, 'T', NULL, 0, "Show the time spent in each syscall", 3 },
	{ "decode-fds", 'y', NULL, 0,
	  "Print paths of fds: 3</tmp/x>; -yy: also sockets' addresses", 3 },
	{ "summary-only", 'c', NULL, 0,
	  "Count time, calls and errors per syscall and per Python call site; "
	  "print the tables at the end instead of the trace", 3 },
	{ "summary", 'C', NULL, 0, "Like -c, and print the trace too", 3 },
	{ "stack-depth", OPT_STACK_DEPTH, "N", 0,
	  "Show at most N Python frames per call (default 128)", 3 },
	{ "no-frames", OPT_NO_FRAMES, NULL, 0, "Do not walk Python stacks", 3 },
	{ "frames", OPT_FRAMES, "HOW", 0,
	  "How a thread's Python state is found: walk (the thread list, "
	  "default) or uprobe (a uprobe on the eval loop, 3.9+)", 3 },
	{ "code-check", OPT_CODE_CHECK, "HOW", 0,
	  "How a code object seen before is known to be the same: uprobe (a "
	  "uprobe on the code deallocator says when it goes, default) or "
	  "reread (read it again at every call)", 3 },
	{ NULL, 0, NULL, 0, "Miscellaneous:", 4 },
	{ "buffer-size", OPT_BUFFER, "MiB", 0, "Ring buffer size (default 8)", 4 },
	{ "quiet", 'q', NULL, 0, "Suppress notices (attached, no Python...)", 4 },
	{ "verbose", 'v', NULL, 0, "Also print libbpf's messages", 4 },
	{},
};

static void usage_error(const char *fmt, const char *arg)
{
	fputs("pytrace: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (see pytrace --help)\n", stderr);
	exit(PT_EXIT_USAGE);
}

static unsigned long parse_num(const char *s, const char *what,
			       unsigned long lo, unsigned long hi)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v < lo || v > hi) {
		fprintf(stderr, "pytrace: invalid %s '%s' (expected %lu..%lu)\n",
			what, s, lo, hi);
		exit(PT_EXIT_USAGE);
	}
	return v;
}

static void mask_set(uint64_t *mask, unsigned nr)
{
	mask[nr / 64] |= 1ull << (nr % 64);
}

/* Sets the syscalls whose name matches a POSIX extended regex; how many. */
static int regex_fill(const char *re, uint64_t *mask, char *err, size_t errlen)
{
	regex_t rx;
	int n = 0, rc = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB);

	if (rc) {
		char msg[96];

		regerror(rc, &rx, msg, sizeof(msg));
		snprintf(err, errlen, "regcomp: %s: %s", re, msg);
		return -1;
	}
	for (unsigned nr = 0; nr < PT_NR_SYSCALLS; nr++) {
		const char *name = sc_get(nr)->name;

		if (name && regexec(&rx, name, 0, NULL, 0) == 0) {
			mask_set(mask, nr);
			n++;
		}
	}
	regfree(&rx);
	return n;
}

/* One ITEM of a trace= list.  '?' makes an item that selects nothing, or
 * names nothing known, no error (strace's meaning). */
static int filter_item(const char *tok, uint64_t *mask, char *err,
		       size_t errlen)
{
	bool optional = tok[0] == '?';
	int nr;

	if (optional)
		tok++;
	if (strcmp(tok, "all") == 0) {
		memset(mask, 0xff, PT_NR_SYSCALLS / 8);
		return 0;
	}
	if (strcmp(tok, "none") == 0)
		return 0;
	if (tok[0] == '/') {
		int n = regex_fill(tok + 1, mask, err, errlen);

		if (n < 0)
			return -1;
		if (n == 0 && !optional)
			return snprintf(err, errlen, "invalid system call '%s'",
					tok), -1;
		return 0;
	}
	if (tok[0] == '%') {
		if (sysclass_fill(tok + 1, mask) == 0 || optional)
			return 0;
		return snprintf(err, errlen, "invalid system call '%s'", tok), -1;
	}
	nr = sc_by_name(tok);
	if (nr >= 0)
		mask_set(mask, nr);
	else if (!optional)
		return snprintf(err, errlen, "invalid system call '%s'", tok), -1;
	return 0;
}

int filter_parse(const char *list, uint64_t *mask, char *err, size_t errlen)
{
	uint64_t set[PT_NR_SYSCALLS / 64] = {};
	bool negate = list[0] == '!';
	const char *p = list + negate, *comma;

	/* Items are split by hand: strtok would skip an empty one, which
	 * strace reports. */
	do {
		char tok[256];
		size_t len;

		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (len >= sizeof(tok))
			return snprintf(err, errlen, "invalid system call '%.*s'",
					(int)len, p), -1;
		memcpy(tok, p, len);
		tok[len] = '\0';
		if (!len)
			return snprintf(err, errlen, "invalid system call ''"), -1;
		if (filter_item(tok, set, err, errlen))
			return -1;
		if (comma)
			p = comma + 1;
	} while (comma);
	for (size_t i = 0; i < PT_NR_SYSCALLS / 64; i++)
		mask[i] = negate ? ~set[i] : set[i];
	return 0;
}

static const struct {
	const char *name;
	unsigned bits;
} status_names[] = {
	{ "successful", PT_ST_SUCCESSFUL }, { "failed", PT_ST_FAILED },
	{ "unfinished", PT_ST_UNFINISHED }, { "unavailable", PT_ST_UNAVAILABLE },
	{ "detached", PT_ST_DETACHED },	    { "all", PT_ST_ALL },
	{ "none", 0 },
};

int status_parse(const char *list, unsigned *bits, char *err, size_t errlen)
{
	bool negate = list[0] == '!';
	const char *p = list + negate, *comma;
	unsigned set = 0;

	do {
		size_t len, i, n = sizeof(status_names) / sizeof(status_names[0]);

		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		for (i = 0; i < n; i++)
			if (strlen(status_names[i].name) == len &&
			    !strncmp(status_names[i].name, p, len))
				break;
		if (i == n)
			return snprintf(err, errlen, "invalid status '%.*s'",
					(int)len, p), -1;
		set |= status_names[i].bits;
		if (comma)
			p = comma + 1;
	} while (comma);
	*bits = negate ? ~set & PT_ST_ALL : set;
	return 0;
}

/* -e QUALIFIER=VALUE, or -e VALUE meaning trace=VALUE. */
static int expr_parse(struct options *o, const char *expr, char *err,
		      size_t errlen)
{
	const char *eq = strchr(expr, '=');
	size_t qlen = eq ? (size_t)(eq - expr) : 0;

	if (!eq || (qlen == 5 && !strncmp(expr, "trace", 5)) ||
	    (qlen == 1 && expr[0] == 't')) {
		o->trace_given = true;
		return filter_parse(eq ? eq + 1 : expr, o->syscall_mask, err,
				    errlen);
	}
	if (qlen == 6 && !strncmp(expr, "status", 6))
		return status_parse(eq + 1, &o->status_mask, err, errlen);
	return snprintf(err, errlen, "unsupported -e qualifier in '%s'", expr),
	       -1;
}

static void add_path(struct options *o, const char *path)
{
	char *real;

	if (o->npaths >= PT_MAX_PATHS)
		usage_error("too many -P options (at most 32)%s", "");
	o->paths[o->npaths++] = path;
	/* strace matches both the name given and what it resolves to. */
	real = realpath(path, NULL);
	if (real && strcmp(real, path) && o->npaths < PT_MAX_PATHS) {
		fprintf(stderr, "pytrace: Requested path \"%s\" resolved into \"%s\"\n",
			path, real);
		o->paths[o->npaths++] = real;
	} else {
		free(real);
	}
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct options *o = state->input;
	char err[160];

	switch (key) {
	case 'p':
		if (o->npids >= PT_MAX_PIDS)
			usage_error("too many -p options (at most 64)%s", "");
		o->pids[o->npids++] = parse_num(arg, "PID", 1, INT_MAX);
		break;
	case 'e':
		if (expr_parse(o, arg, err, sizeof(err)))
			usage_error("%s", err);
		break;
	case OPT_TRACE:
		o->trace_given = true;
		if (filter_parse(arg, o->syscall_mask, err, sizeof(err)))
			usage_error("%s", err);
		break;
	case OPT_STATUS:
		if (status_parse(arg, &o->status_mask, err, sizeof(err)))
			usage_error("%s", err);
		break;
	case 'z':
		o->status_mask = PT_ST_SUCCESSFUL;
		break;
	case 'Z':
		o->status_mask = PT_ST_FAILED;
		break;
	case 'P':
		add_path(o, arg);
		break;
	case 'r':
		o->relative_ts = true;
		break;
	case 'y':
		o->decode_fds = o->decode_fds < 2 ? o->decode_fds + 1 : 2;
		break;
	case 'c':
		o->summary_only = true;
		break;
	case 'C':
		o->summary = true;
		break;
	case 'o':
		o->outfile = arg;
		break;
	case OPT_JSON:
		o->json = true;
		break;
	case 'f':
		/* -ff: one file per process, when there is a file (-o). */
		o->per_process_files = o->follow;
		o->follow = true;
		break;
	case 's':
		/* strace users write -s 9999; more than is captured shows
		 * as the "..." of a cut string. */
		o->strsize = parse_num(arg, "string limit", 0, INT_MAX);
		if (o->strsize > PT_CAP_BYTES - 1)
			o->strsize = PT_CAP_BYTES - 1;
		break;
	case 't':
		o->ts_mode = o->ts_mode < 3 ? o->ts_mode + 1 : 3;
		break;
	case 'T':
		o->show_time = true;
		break;
	case OPT_STACK_DEPTH:
		o->stack_depth = parse_num(arg, "stack depth", 0, PT_MAX_FRAMES);
		break;
	case OPT_NO_FRAMES:
		o->no_frames = true;
		break;
	case OPT_FRAMES:
		if (!strcmp(arg, "uprobe"))
			o->frames_uprobe = true;
		else if (strcmp(arg, "walk"))
			usage_error("--frames: 'walk' or 'uprobe', not '%s'", arg);
		break;
	case OPT_CODE_CHECK:
		if (!strcmp(arg, "reread"))
			o->code_reread = true;
		else if (strcmp(arg, "uprobe"))
			usage_error("--code-check: 'uprobe' or 'reread', not '%s'", arg);
		break;
	case OPT_BUFFER:
		o->buffer_mb = parse_num(arg, "buffer size", 1, 1024);
		break;
	case 'q':
		o->quiet = true;
		break;
	case 'v':
		o->verbose = true;
		break;
	case ARGP_KEY_ARG:
		/* The command starts here; everything after is its own. */
		o->argv = state->argv + state->next - 1;
		state->next = state->argc;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/*
 * argp reports a bad option on two lines and exits with 64; pytrace promises
 * one line and exit status 2.  So the option table is first run through
 * getopt_long (built from the same table) just to find such errors.
 */
static void check_option_syntax(int argc, char **argv)
{
	struct option lopts[sizeof(opts) / sizeof(opts[0]) + 4] = {};
	char sopts[2 * sizeof(opts) / sizeof(opts[0]) + 8] = "+:?V";
	size_t n = 0, k = strlen(sopts);
	int c;

	for (const struct argp_option *a = opts; a->name || a->key || a->doc;
	     a++) {
		if (a->name)
			lopts[n++] = (struct option){ a->name,
						      a->arg ? required_argument
							     : no_argument,
						      NULL, a->key };
		if (a->key > 0 && a->key < 128) {
			sopts[k++] = a->key;
			if (a->arg)
				sopts[k++] = ':';
		}
	}
	/* argp's own: --help, --usage, --version (-?, -V) */
	lopts[n++] = (struct option){ "help", no_argument, NULL, 1 };
	lopts[n++] = (struct option){ "usage", no_argument, NULL, 1 };
	lopts[n++] = (struct option){ "version", no_argument, NULL, 1 };
	sopts[k] = '\0';
	opterr = 0;
	optind = 1;
	while (optopt = 0, (c = getopt_long(argc, argv, sopts, lopts, NULL)) != -1) {
		const char *arg = argv[optind - 1];
		char shortopt[3] = { '-', (char)optopt, 0 };

		if (c == '?' && optopt == 0 && !(arg[0] == '-' && arg[1] == '-'))
			continue;	/* -? itself: argp's --help */
		/* A short option, maybe inside a bundle such as -yy, where
		 * argv[optind - 1] may not even be the bundle yet. */
		if (optopt > 0 && optopt < 128 &&
		    !(arg[0] == '-' && arg[1] == '-'))
			arg = shortopt;
		if (c == '?')
			usage_error("unknown option or unexpected value '%s'", arg);
		if (c == ':')
			usage_error("option '%s' needs a value", arg);
	}
	optind = 1;
}

void options_parse(struct options *o, int argc, char **argv)
{
	static const struct argp argp = { opts, parse_opt, "[--] [COMMAND...]",
					   doc, NULL, NULL, NULL };
	bool any = false;

	check_option_syntax(argc, argv);
	memset(o, 0, sizeof(*o));
	o->strsize = 32;
	o->stack_depth = PT_MAX_FRAMES;
	o->buffer_mb = 8;
	o->status_mask = PT_ST_ALL;
	if (argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, o))
		exit(PT_EXIT_USAGE);
	if (!o->npids && !o->argv)
		usage_error("must have -p PID or a command%s", "");
	if (o->npids && o->argv)
		usage_error("-p and a command are mutually exclusive%s", "");
	for (int i = 0; i < PT_NR_SYSCALLS / 64; i++)
		any |= o->syscall_mask[i] != 0;
	if (!any && !o->trace_given)
		memset(o->syscall_mask, 0xff, sizeof(o->syscall_mask));
	if (!o->outfile)
		o->per_process_files = false;	/* -ff alone is -f */
	if (o->summary)
		o->summary_only = false;	/* -C: both; -c: table only */
}
