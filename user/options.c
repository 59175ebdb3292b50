// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <argp.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "syscalls.h"

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
	"  pytrace --json -o trace.jsonl -- python3 -m pytest\n"
	"\v"
	"Exit status: the command's own status when launching; otherwise 0, or\n"
	"2 (bad usage), 3 (no such process / cannot trace it), 4 (no privileges,\n"
	"no BTF, BPF refused), 5 (internal error).";

enum {
	OPT_JSON = 1000,
	OPT_NO_FRAMES,
	OPT_FRAMES,
	OPT_STACK_DEPTH,
	OPT_BUFFER,
};

static const struct argp_option opts[] = {
	{ "pid", 'p', "PID", 0, "Attach to process PID (repeatable)", 0 },
	{ "expr", 'e', "EXPR", 0,
	  "Syscalls to trace: NAME[,NAME...], trace=NAME[,...], trace=all", 0 },
	{ "output", 'o', "FILE", 0, "Write the trace to FILE instead of stderr", 0 },
	{ "json", OPT_JSON, NULL, 0, "Write JSON Lines (schema: docs/json.md)", 0 },
	{ "follow-forks", 'f', NULL, 0, "Trace child processes too", 0 },
	{ "string-limit", 's', "N", 0,
	  "Show at most N bytes of buffers (default 32; at most 4095)", 0 },
	{ NULL, 't', NULL, 0, "Prefix lines with the time (-tt: with us, -ttt: epoch)", 0 },
	{ NULL, 'T', NULL, 0, "Show the time spent in each syscall", 0 },
	{ "stack-depth", OPT_STACK_DEPTH, "N", 0,
	  "Show at most N Python frames per call (default 128)", 0 },
	{ "no-frames", OPT_NO_FRAMES, NULL, 0, "Do not walk Python stacks", 0 },
	{ "frames", OPT_FRAMES, "HOW", 0,
	  "How a thread's Python state is found: walk (the thread list, "
	  "default) or uprobe (a uprobe on the eval loop, 3.9+)", 0 },
	{ "buffer-size", OPT_BUFFER, "MiB", 0, "Ring buffer size (default 8)", 0 },
	{ "quiet", 'q', NULL, 0, "Suppress notices (attached, no Python...)", 0 },
	{ "verbose", 'v', NULL, 0, "Also print libbpf's messages", 0 },
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

int filter_parse(const char *expr, uint64_t *mask, char *err, size_t errlen)
{
	char *copy, *tok, *save = NULL;
	const char *list = expr;
	int ret = 0;

	if (strncmp(list, "trace=", 6) == 0)
		list += 6;
	else if (strchr(list, '='))
		return snprintf(err, errlen, "unsupported -e qualifier in '%s'",
				expr), -1;
	if (!*list)
		return snprintf(err, errlen, "empty syscall list"), -1;
	copy = strdup(list);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int nr;

		if (strcmp(tok, "all") == 0) {
			memset(mask, 0xff, PT_NR_SYSCALLS / 8);
			continue;
		}
		nr = sc_by_name(tok);
		if (nr < 0) {
			snprintf(err, errlen, "invalid system call '%s'", tok);
			ret = -1;
			break;
		}
		mask_set(mask, nr);
	}
	free(copy);
	return ret;
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
		if (filter_parse(arg, o->syscall_mask, err, sizeof(err)))
			usage_error("%s", err);
		break;
	case 'o':
		o->outfile = arg;
		break;
	case OPT_JSON:
		o->json = true;
		break;
	case 'f':
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

	for (const struct argp_option *a = opts; a->name || a->key; a++) {
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
	if (argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, o))
		exit(PT_EXIT_USAGE);
	if (!o->npids && !o->argv)
		usage_error("must have -p PID or a command%s", "");
	if (o->npids && o->argv)
		usage_error("-p and a command are mutually exclusive%s", "");
	for (int i = 0; i < PT_NR_SYSCALLS / 64; i++)
		any |= o->syscall_mask[i] != 0;
	if (!any)
		memset(o->syscall_mask, 0xff, sizeof(o->syscall_mask));
}
