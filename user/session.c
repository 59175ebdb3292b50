// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "session.h"

#define CAP_SYS_ADMIN 21
#define CAP_SYS_PTRACE 19
#define CAP_PERFMON 38
#define CAP_BPF 39

static void fail(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("pytrace: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

/* A "Key:\tvalue" line of /proc/PID/status, or -1 if absent. */
static int status_field(pid_t pid, const char *key, char *val, size_t len)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	int ret = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			char *v = line + klen + 1;

			v += strspn(v, " \t");
			v[strcspn(v, "\n")] = '\0';
			snprintf(val, len, "%s", v);
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

static void check_privileges(void)
{
	char caps[64];
	unsigned long long eff;
	const char *missing[4];
	int n = 0;

	if (status_field(getpid(), "CapEff", caps, sizeof(caps))) {
		/* Without /proc no target could be found or read. */
		if (access("/proc/self/status", R_OK))
			fail(PT_EXIT_ENV, "cannot read /proc/self/status (%s): "
			     "pytrace needs /proc", strerror(errno));
		return;
	}
	eff = strtoull(caps, NULL, 16);
#define HAS(c) (eff & (1ull << (c)))
	if (!HAS(CAP_SYS_ADMIN)) {
		if (!HAS(CAP_BPF))
			missing[n++] = "CAP_BPF";
		if (!HAS(CAP_PERFMON))
			missing[n++] = "CAP_PERFMON";
		/* /proc/PID/map_files, to read the target's ELF files. */
		missing[n++] = "CAP_SYS_ADMIN";
	}
	if (!HAS(CAP_SYS_PTRACE))
		missing[n++] = "CAP_SYS_PTRACE";
#undef HAS
	if (n) {
		char list[128] = "";

		for (int i = 0; i < n; i++) {
			strcat(list, i ? ", " : "");
			strcat(list, missing[i]);
		}
		fail(PT_EXIT_ENV, "missing privileges: %s (run as root)", list);
	}
}

static void check_kernel(void)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		fail(PT_EXIT_ENV, "this kernel has no BTF (/sys/kernel/btf/vmlinux: %s); "
		     "pytrace needs CONFIG_DEBUG_INFO_BTF=y", strerror(errno));
}

static void check_target(pid_t *pid)
{
	char val[64], path[64];

	if (status_field(*pid, "Tgid", val, sizeof(val)))
		fail(PT_EXIT_TARGET, "attach: pid %d: %s", *pid,
		     errno == ENOENT ? "No such process" : strerror(errno));
	*pid = atoi(val);
	if (status_field(*pid, "State", val, sizeof(val)) == 0 && val[0] == 'Z')
		fail(PT_EXIT_TARGET, "attach: pid %d is a zombie (it has exited)",
		     *pid);
	snprintf(path, sizeof(path), "/proc/%d/exe", *pid);
	if (status_field(*pid, "Kthread", val, sizeof(val)) == 0 ?
		    val[0] == '1' :
		    (access(path, F_OK) && errno == ENOENT))
		fail(PT_EXIT_TARGET, "attach: pid %d is a kernel thread", *pid);
	if (*pid == getpid())
		fail(PT_EXIT_TARGET, "attach: pid %d is pytrace itself", *pid);
}

void session_preflight(struct options *o)
{
	check_privileges();
	check_kernel();
	for (int i = 0; i < o->npids; i++)
		check_target(&o->pids[i]);
}

static bool is_exec_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, X_OK) == 0;
}

int session_find_program(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH");

	if (strchr(name, '/')) {
		snprintf(out, len, "%s", name);
		return is_exec_file(out) ? 0 : -1;
	}
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		/* an empty element means the current directory */
		if ((n ? snprintf(out, len, "%.*s/%s", (int)n, path, name)
		       : snprintf(out, len, "./%s", name)) < (int)len &&
		    is_exec_file(out))
			return 0;
		path += n + (path[n] == ':');
	}
	return -1;
}
