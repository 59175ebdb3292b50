// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* File descriptor targets for -y, -yy and -P; see fdpath.h. */
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fdpath.h"
#include "intmap.h"
#include "syscalls.h"

/* Most descriptors remembered per process: a leak in the target must not
 * grow pytrace without bound. */
#define FDS_PER_PROC_MAX 65536

struct fdpath {
	unsigned level;
	struct intmap procs;	/* tgid -> struct intmap * (fd -> char *) */
};

struct fdpath *fdpath_new(unsigned level)
{
	struct fdpath *f = calloc(1, sizeof(*f));

	if (f)
		f->level = level;
	return f;
}

static void fdtab_free(struct intmap *tab)
{
	size_t i = 0;
	uint32_t key;
	void *val;

	while (intmap_next(tab, &i, &key, &val))
		free(val);
	intmap_free(tab);
	free(tab);
}

void fdpath_free(struct fdpath *f)
{
	size_t i = 0;
	uint32_t key;
	void *val;

	if (!f)
		return;
	while (intmap_next(&f->procs, &i, &key, &val))
		fdtab_free(val);
	intmap_free(&f->procs);
	free(f);
}

void fdpath_drop_proc(struct fdpath *f, uint32_t tgid)
{
	struct intmap *tab = f ? intmap_del(&f->procs, tgid) : NULL;

	if (tab)
		fdtab_free(tab);
}

static struct intmap *fdtab(struct fdpath *f, uint32_t tgid, bool create)
{
	struct intmap *tab = intmap_get(&f->procs, tgid);

	if (tab || !create)
		return tab;
	tab = calloc(1, sizeof(*tab));
	if (tab && intmap_put(&f->procs, tgid, tab)) {
		free(tab);
		tab = NULL;
	}
	return tab;
}

/* An entry is the target, a NUL, and -yy's socket details (maybe empty)
 * and their NUL. */
static void remember_bytes(struct fdpath *f, uint32_t tgid, int fd,
			   const char *s, size_t len)
{
	struct intmap *tab = fdtab(f, tgid, true);
	char *copy;

	if (!tab || (fd < 0 && fd != AT_FDCWD) || !s)
		return;
	free(intmap_del(tab, (uint32_t)fd));
	if (tab->count >= FDS_PER_PROC_MAX || !(copy = malloc(len)))
		return;
	memcpy(copy, s, len);
	if (intmap_put(tab, (uint32_t)fd, copy))
		free(copy);
}

static void remember(struct fdpath *f, uint32_t tgid, int fd, const char *s)
{
	char buf[PATH_MAX + 2];
	size_t n = s ? strlen(s) : 0;

	if (!s || n + 2 > sizeof(buf))
		return;
	memcpy(buf, s, n + 1);
	buf[n + 1] = '\0';
	remember_bytes(f, tgid, fd, buf, n + 2);
}

static void forget(struct fdpath *f, uint32_t tgid, int fd)
{
	struct intmap *tab = fdtab(f, tgid, false);

	if (tab && (fd >= 0 || fd == AT_FDCWD))
		free(intmap_del(tab, (uint32_t)fd));
}

/* readlink of /proc/TGID/fd/FD (or cwd when fd is AT_FDCWD). */
static bool proc_link(uint32_t tgid, int fd, char *buf, size_t len)
{
	char link[64];
	ssize_t n;

	if (fd == AT_FDCWD)
		snprintf(link, sizeof(link), "/proc/%u/cwd", tgid);
	else
		snprintf(link, sizeof(link), "/proc/%u/fd/%d", tgid, fd);
	n = readlink(link, buf, len - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return true;
}

/* ---- -yy: sockets -------------------------------------------------------- */

/* "0100007F:1F90" (hex, as /proc/net/tcp has it) -> "127.0.0.1:8080". */
static void inet_text(const char *hex, bool v6, char *out, size_t len)
{
	unsigned char a[16];
	char host[INET6_ADDRSTRLEN];
	unsigned port = 0;
	size_t n = v6 ? 16 : 4;

	out[0] = '\0';
	if (strlen(hex) < 2 * n + 2 || hex[2 * n] != ':')
		return;		/* not "ADDR:PORT" of the expected size */
	for (size_t i = 0; i < n / 4; i++) {
		unsigned w;

		if (sscanf(hex + 8 * i, "%8x", &w) != 1)
			return;
		memcpy(a + 4 * i, &w, 4);	/* the kernel printed host order */
	}
	sscanf(hex + 2 * n + 1, "%x", &port);
	inet_ntop(v6 ? AF_INET6 : AF_INET, a, host, sizeof(host));
	if (v6)
		snprintf(out, len, "[%s]:%u", host, port);
	else
		snprintf(out, len, "%s:%u", host, port);
}

static bool is_any(const char *hex)
{
	return strspn(hex, "0") == strcspn(hex, ":");
}

/* Looks for a socket inode in /proc/TGID/net/FILE (tcp, udp, tcp6...). */
static bool inet_lookup(uint32_t tgid, const char *file, const char *proto,
			unsigned long ino, char *out, size_t len)
{
	char path[64], line[512], l[80], r[80], ls[64], rs[64];
	bool v6 = strchr(file, '6') != NULL, found = false;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%u/net/%s", tgid, file);
	fp = fopen(path, "re");
	if (!fp)
		return false;
	while (!found && fgets(line, sizeof(line), fp)) {
		unsigned long inode;

		if (sscanf(line, "%*s %79s %79s %*s %*s %*s %*s %*s %*s %lu",
			   l, r, &inode) != 3 || inode != ino)
			continue;
		inet_text(l, v6, ls, sizeof(ls));
		if (is_any(r)) {
			snprintf(out, len, "%s:[%s]", proto, ls);
		} else {
			inet_text(r, v6, rs, sizeof(rs));
			snprintf(out, len, "%s:[%s->%s]", proto, ls, rs);
		}
		found = true;
	}
	fclose(fp);
	return found;
}

/* The peer's inode of a connected UNIX socket, from the kernel's sock_diag
 * (pytrace's network namespace; 0 when unknown). */
static uint32_t unix_peer(unsigned long ino)
{
	struct {
		struct nlmsghdr nh;
		struct unix_diag_req r;
	} req = {
		.nh = { .nlmsg_len = sizeof(req), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST },
		.r = { .sdiag_family = AF_UNIX, .udiag_states = ~0u,
		       .udiag_ino = (uint32_t)ino, .udiag_show = UDIAG_SHOW_PEER,
		       .udiag_cookie = { ~0u, ~0u } },
	};
	union {
		struct nlmsghdr nh;
		char buf[1024];
	} resp;
	uint32_t peer = 0;
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	ssize_t n;

	if (fd < 0)
		return 0;
	if (send(fd, &req, sizeof(req), 0) == (ssize_t)sizeof(req) &&
	    (n = recv(fd, &resp, sizeof(resp), 0)) > 0 &&
	    NLMSG_OK(&resp.nh, (size_t)n) &&
	    resp.nh.nlmsg_type == SOCK_DIAG_BY_FAMILY) {
		struct unix_diag_msg *m = NLMSG_DATA(&resp.nh);
		int len = (int)resp.nh.nlmsg_len - NLMSG_LENGTH(sizeof(*m));
		struct rtattr *a = (struct rtattr *)(m + 1);

		for (; len > 0 && RTA_OK(a, len); a = RTA_NEXT(a, len))
			if (a->rta_type == UNIX_DIAG_PEER &&
			    RTA_PAYLOAD(a) >= sizeof(uint32_t))
				memcpy(&peer, RTA_DATA(a), sizeof(peer));
	}
	close(fd);
	return peer;
}

/* As strace: UNIX-STREAM:[ino->peer,"path"], UNIX:[ino] for datagrams. */
static bool unix_lookup(uint32_t tgid, unsigned long ino, char *out, size_t len)
{
	char path[64], line[512], name[256], peer[32] = "";
	bool found = false;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%u/net/unix", tgid);
	fp = fopen(path, "re");
	if (!fp)
		return false;
	while (!found && fgets(line, sizeof(line), fp)) {
		unsigned long inode;
		unsigned type;
		uint32_t p;
		int n;

		name[0] = '\0';
		n = sscanf(line, "%*s %*s %*s %*s %x %*s %lu %255s", &type,
			   &inode, name);
		if (n < 2 || inode != ino)
			continue;
		p = unix_peer(ino);
		if (p)
			snprintf(peer, sizeof(peer), "->%u", p);
		snprintf(out, len, "UNIX%s:[%lu%s%s%s%s]",
			 type == 1 ? "-STREAM" : type == 5 ? "-SEQPACKET" : "",
			 ino, peer, name[0] ? ",\"" : "", name, name[0] ? "\"" : "");
		found = true;
	}
	fclose(fp);
	return found;
}

/* "socket:[123]" -> "TCP:[a:p->b:q]" when the socket is found. */
static void socket_details(uint32_t tgid, const char *link, char *out,
			   size_t len)
{
	static const struct {
		const char *file, *proto;
	} inet[] = { { "tcp", "TCP" }, { "tcp6", "TCPv6" }, { "udp", "UDP" },
		     { "udp6", "UDPv6" } };
	unsigned long ino;

	if (sscanf(link, "socket:[%lu]", &ino) != 1)
		return;
	for (size_t i = 0; i < sizeof(inet) / sizeof(inet[0]); i++)
		if (inet_lookup(tgid, inet[i].file, inet[i].proto, ino, out, len))
			return;
	unix_lookup(tgid, ino, out, len);
}

/* ---- lookups ------------------------------------------------------------- */

const char *fdpath_get(struct fdpath *f, uint32_t tgid, int fd)
{
	struct intmap *tab;
	const char *s;
	char buf[PATH_MAX];

	if (!f || (fd < 0 && fd != AT_FDCWD))	/* AT_FDCWD: the cwd */
		return NULL;
	tab = fdtab(f, tgid, false);
	s = tab ? intmap_get(tab, (uint32_t)fd) : NULL;
	if (s)
		return s[0] ? s : NULL;	/* "": made, but what it is unknown */
	/* Not seen made (inherited, or before attach): ask /proc now. */
	if (!proc_link(tgid, fd, buf, sizeof(buf)))
		return NULL;
	remember(f, tgid, fd, buf);
	tab = fdtab(f, tgid, false);
	return tab ? intmap_get(tab, (uint32_t)fd) : NULL;
}

/*
 * -yy: a socket's ends as they are now.  They are cached with the inode
 * ("socket:[123]\0TCP:[...]"), so that a socket already gone when its
 * close is printed still shows what it was connected to.
 */
static const char *socket_text(struct fdpath *f, uint32_t tgid, int fd,
			       const char *s)
{
	char detail[320] = "", both[400];
	const char *cached = s + strlen(s) + 1;

	socket_details(tgid, s, detail, sizeof(detail));
	if (!detail[0])
		return cached[0] ? cached : s;
	if (strcmp(cached, detail)) {
		size_t n = strlen(s);

		if (n + 1 + strlen(detail) + 1 > sizeof(both))
			return s;
		memcpy(both, s, n + 1);
		strcpy(both + n + 1, detail);
		remember_bytes(f, tgid, fd, both, n + 1 + strlen(detail) + 1);
		s = fdpath_get(f, tgid, fd);
		return s ? s + strlen(s) + 1 : "";
	}
	return cached;
}

void fdpath_put(struct fdpath *f, struct sbuf *out, uint32_t tgid, int fd)
{
	const char *s = fdpath_get(f, tgid, fd);

	if (!s)
		return;
	if (f->level > 1 && strncmp(s, "socket:[", 8) == 0)
		s = socket_text(f, tgid, fd, s);
	sb_putc(out, '<');
	sb_puts(out, s);
	sb_putc(out, '>');
}

/* The index of the first argument of a given type, or -1. */
static int arg_of_type(const struct sc_info *e, unsigned type)
{
	for (unsigned i = 0; e->decoded && i < e->nargs && i < PT_NARGS; i++)
		if (e->arg[i] == type)
			return (int)i;
	return -1;
}

/* The path argument of a call as a C string, or false. */
static bool path_arg(const struct sc_call *c, int i, char *buf, size_t len)
{
	const struct pt_cap *cap = i >= 0 ? c->cap[i] : NULL;
	size_t n;

	if (!cap || (cap->flags & 2 /* PT_CAP_F_FAULT */))
		return false;
	n = strnlen((const char *)(cap + 1), cap->len);
	if (n >= len || n == 0)
		return false;
	memcpy(buf, cap + 1, n);
	buf[n] = '\0';
	return true;
}

/* Where an open-like call's path leads: relative to its dirfd or the cwd,
 * with symbolic links resolved when the file is still there. */
static bool opened_path(struct fdpath *f, uint32_t tgid, const struct sc_call *c,
			char *out, size_t len)
{
	const struct sc_info *e = sc_get(c->nr);
	int pi = arg_of_type(e, A_PATH), di = arg_of_type(e, A_DIRFD);
	char rel[PATH_MAX], base[PATH_MAX], joined[2 * PATH_MAX + 2];
	char *real;

	if (!path_arg(c, pi, rel, sizeof(rel)))
		return false;
	if (rel[0] == '/') {
		snprintf(joined, sizeof(joined), "%s", rel);
	} else {
		int dfd = di >= 0 ? (int)c->args[di] : AT_FDCWD;
		const char *b = dfd == AT_FDCWD ? NULL : fdpath_get(f, tgid, dfd);

		if (!b && !proc_link(tgid, AT_FDCWD, base, sizeof(base)))
			return false;
		snprintf(joined, sizeof(joined), "%s/%s", b ? b : base, rel);
	}
	real = realpath(joined, NULL);
	if (strlen(real ? real : joined) >= len) {
		free(real);
		return false;
	}
	strcpy(out, real ? real : joined);
	free(real);
	return true;
}

/* Calls that return a new fd, whether or not the table decodes them. */
static bool makes_fd(unsigned nr)
{
	static const unsigned calls[] = {
		SYS_socket, SYS_accept, SYS_accept4, SYS_open, SYS_openat,
		SYS_openat2, SYS_creat, SYS_dup, SYS_dup2, SYS_dup3,
		SYS_eventfd, SYS_eventfd2, SYS_memfd_create, SYS_epoll_create,
		SYS_epoll_create1, SYS_timerfd_create, SYS_signalfd,
		SYS_signalfd4, SYS_inotify_init, SYS_inotify_init1,
		SYS_pidfd_open, SYS_open_by_handle_at,
	};

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (calls[i] == nr)
			return true;
	return sc_get(nr)->ret_fd;
}

static bool returns_fd(const struct sc_call *c)
{
	return c->exited && c->ret >= 0 && makes_fd(c->nr);
}

/* What the kernel names the fds some calls make (readlink of /proc/PID/fd),
 * known without looking, which may be too late. */
static bool anon_kind(unsigned nr, char *buf, size_t len)
{
	const char *s = NULL;

	switch (nr) {
	case SYS_epoll_create:
	case SYS_epoll_create1:
		s = "anon_inode:[eventpoll]";
		break;
	case SYS_eventfd:
	case SYS_eventfd2:
		s = "anon_inode:[eventfd]";
		break;
	case SYS_timerfd_create:
		s = "anon_inode:[timerfd]";
		break;
	case SYS_signalfd:
	case SYS_signalfd4:
		s = "anon_inode:[signalfd]";
		break;
	case SYS_inotify_init:
	case SYS_inotify_init1:
		s = "anon_inode:inotify";
		break;
	case SYS_pidfd_open:
		s = "anon_inode:[pidfd]";
		break;
	}
	if (!s || strlen(s) >= len)
		return false;
	strcpy(buf, s);
	return true;
}

/* Whether what /proc shows now can be what the call made. */
static bool plausible(unsigned nr, const char *link)
{
	if (nr == SYS_socket || nr == SYS_accept || nr == SYS_accept4)
		return strncmp(link, "socket:[", 8) == 0;
	return true;
}

void fdpath_learn(struct fdpath *f, uint32_t tgid, const struct sc_call *c)
{
	char buf[PATH_MAX];
	int fd = (int)c->ret;

	if (!f)
		return;
	if (f->level > 1 && c->exited && c->ret == 0 &&
	    (c->nr == SYS_connect || c->nr == SYS_bind || c->nr == SYS_listen)) {
		struct sbuf scratch = {};

		/* while the socket surely exists: note its ends */
		fdpath_put(f, &scratch, tgid, (int)c->args[0]);
		sb_free(&scratch);
		return;
	}
	if (!returns_fd(c))
		return;
	forget(f, tgid, fd);	/* whatever it was before */
	switch (c->nr) {
	case SYS_dup:
	case SYS_dup2:
	case SYS_dup3: {
		const char *s = fdpath_get(f, tgid, (int)c->args[0]);

		if (s) {
			snprintf(buf, sizeof(buf), "%s", s);
			remember(f, tgid, fd, buf);
		}
		return;
	}
	}
	if (opened_path(f, tgid, c, buf, sizeof(buf)) ||
	    anon_kind(c->nr, buf, sizeof(buf)))
		remember(f, tgid, fd, buf);
	else if (proc_link(tgid, fd, buf, sizeof(buf)) && plausible(c->nr, buf))
		remember(f, tgid, fd, buf);
	else	/* /proc shows something else by now: say nothing, not wrong */
		remember(f, tgid, fd, "");
	if (f->level > 1) {	/* accept: connected already */
		struct sbuf scratch = {};

		fdpath_put(f, &scratch, tgid, fd);
		sb_free(&scratch);
	}
}

void fdpath_forget(struct fdpath *f, uint32_t tgid, const struct sc_call *c)
{
	if (!f || !c->exited)
		return;
	switch (c->nr) {
	case SYS_close:
		forget(f, tgid, (int)c->args[0]);
		break;
	case SYS_close_range: {
		unsigned lo = (unsigned)c->args[0], hi = (unsigned)c->args[1];
		struct intmap *tab = fdtab(f, tgid, false);
		size_t i = 0;
		uint32_t key;
		void *val;

		while (tab && intmap_next(tab, &i, &key, &val))
			if (key >= lo && key <= hi)
				free(intmap_del(tab, key));
		break;
	}
	case SYS_chdir:
	case SYS_fchdir:
		forget(f, tgid, AT_FDCWD);
		break;
	case SYS_execve:
	case SYS_execveat:
		if (c->ret == 0)	/* O_CLOEXEC ones are gone: start over */
			fdpath_drop_proc(f, tgid);
		break;
	}
}

void fdpath_needed_calls(uint64_t *mask)
{
	static const unsigned calls[] = {
		SYS_close, SYS_close_range, SYS_execve, SYS_execveat,
		SYS_chdir, SYS_fchdir, SYS_connect, SYS_bind, SYS_listen,
	};

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		mask[calls[i] / 64] |= 1ull << (calls[i] % 64);
	for (unsigned nr = 0; nr < PT_NR_SYSCALLS; nr++)
		if (makes_fd(nr))
			mask[nr / 64] |= 1ull << (nr % 64);
}

/* ---- -P ------------------------------------------------------------------ */

static bool in_paths(const char *s, const char *const *paths, int n)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(s, paths[i]) == 0)
			return true;
	return false;
}

/* Calls whose first argument is an fd, for those the syscall table does not
 * decode yet (their argument types are unknown there); mmap's is the 5th. */
static int raw_fd_arg(unsigned nr)
{
	static const unsigned first[] = {
		SYS_ioctl, SYS_fcntl, SYS_fstatfs, SYS_fchdir, SYS_fsync,
		SYS_fdatasync, SYS_ftruncate, SYS_flock, SYS_getdents64,
		SYS_getdents, SYS_fadvise64, SYS_fallocate, SYS_fgetxattr,
		SYS_fsetxattr, SYS_flistxattr, SYS_fremovexattr, SYS_fchmod,
		SYS_fchown, SYS_readv, SYS_writev, SYS_preadv, SYS_pwritev,
		SYS_sendfile, SYS_readahead, SYS_sync_file_range, SYS_syncfs,
	};

	if (nr == SYS_mmap)
		return 4;
	for (size_t i = 0; i < sizeof(first) / sizeof(first[0]); i++)
		if (first[i] == nr)
			return 0;
	return -1;
}

bool fdpath_touches(struct fdpath *f, uint32_t tgid, const struct sc_call *c,
		    const char *const *paths, int npaths)
{
	const struct sc_info *e = sc_get(c->nr);
	char buf[PATH_MAX];
	int raw = e->decoded ? -1 : raw_fd_arg(c->nr);

	if (raw >= 0 && (int)c->args[raw] >= 0 &&
	    in_paths(fdpath_get(f, tgid, (int)c->args[raw]), paths, npaths))
		return true;

	for (unsigned i = 0; e->decoded && i < e->nargs && i < PT_NARGS; i++) {
		switch (e->arg[i]) {
		case A_PATH:
			if (path_arg(c, (int)i, buf, sizeof(buf)) &&
			    in_paths(buf, paths, npaths))
				return true;
			break;
		case A_FD:
		case A_DIRFD:
			if ((int)c->args[i] != AT_FDCWD &&
			    in_paths(fdpath_get(f, tgid, (int)c->args[i]), paths,
				     npaths))
				return true;
			break;
		}
	}
	return false;
}
