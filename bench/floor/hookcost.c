// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * hookcost MODE -- COMMAND...: runs COMMAND with only the BPF programs of
 * MODE attached (see hookcost.bpf.c), draining their records the way
 * pytrace does (a 20 ms poll, no wake-ups), and says on stderr how many it
 * got.  A floor for bench/run.py's W1, not a tracer.
 *
 *   empty       both syscall hooks, programs that return at once
 *   exit-empty  the exit hook alone, returning at once
 *   reads       both hooks: the reads and records of a 12-frame openat
 *   exit-reads  the exit hook alone, doing all of that in one record
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "hookcost.skel.h"

static unsigned long long records, bytes;

static int on_record(void *ctx, void *data, size_t size)
{
	records++;
	bytes += size;
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: hookcost empty|exit-empty|reads|exit-reads -- COMMAND [ARG...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct hookcost_bpf *skel;
	struct ring_buffer *rb = NULL;
	const char *mode;
	int go[2], status = 0, err;
	pid_t child;

	if (argc < 4 || strcmp(argv[2], "--"))
		return usage();
	mode = argv[1];
	if (strcmp(mode, "empty") && strcmp(mode, "exit-empty") &&
	    strcmp(mode, "reads") && strcmp(mode, "exit-reads"))
		return usage();

	/* The command waits for the programs before it execs. */
	if (pipe(go)) {
		perror("hookcost: pipe");
		return 1;
	}
	child = fork();
	if (child < 0) {
		perror("hookcost: fork");
		return 1;
	}
	if (child == 0) {
		char c;

		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		execvp(argv[3], argv + 3);
		fprintf(stderr, "hookcost: %s: %s\n", argv[3], strerror(errno));
		_exit(127);
	}
	close(go[0]);

	skel = hookcost_bpf__open();
	if (!skel) {
		fprintf(stderr, "hookcost: cannot open the BPF object\n");
		goto fail;
	}
	skel->rodata->target_tgid = child;
	bpf_program__set_autoload(skel->progs.enter_empty, !strcmp(mode, "empty"));
	bpf_program__set_autoload(skel->progs.exit_empty,
				  !strcmp(mode, "empty") || !strcmp(mode, "exit-empty"));
	bpf_program__set_autoload(skel->progs.enter_reads, !strcmp(mode, "reads"));
	bpf_program__set_autoload(skel->progs.exit_record, !strcmp(mode, "reads"));
	bpf_program__set_autoload(skel->progs.exit_reads, !strcmp(mode, "exit-reads"));
	err = hookcost_bpf__load(skel);
	if (!err)
		err = hookcost_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "hookcost: cannot load or attach: %s\n", strerror(-err));
		goto fail;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_record, NULL, NULL);
	if (!rb) {
		fprintf(stderr, "hookcost: cannot open the ring buffer\n");
		goto fail;
	}
	if (write(go[1], "x", 1) != 1)
		goto fail;
	close(go[1]);
	for (;;) {
		pid_t w = waitpid(child, &status, WNOHANG);

		ring_buffer__consume(rb);
		if (w == child)
			break;
		if (w < 0 && errno != EINTR) {
			perror("hookcost: waitpid");
			break;
		}
		usleep(20000);
	}
	ring_buffer__consume(rb);
	fprintf(stderr, "hookcost: %s: %llu records, %llu bytes, %llu lost, %llu failed reads\n",
		mode, records, bytes, (unsigned long long)skel->bss->lost,
		(unsigned long long)skel->bss->read_errors);
	ring_buffer__free(rb);
	hookcost_bpf__destroy(skel);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
fail:
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	ring_buffer__free(rb);
	hookcost_bpf__destroy(skel);
	return 1;
}
