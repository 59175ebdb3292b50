// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * File descriptor operations: fcntl, ioctl, pipes, vectored I/O, poll,
 * select, epoll, getdents64, getrandom, flock; and the details strace
 * adds after some return values.
 */
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <linux/close_range.h>

#include "decode_priv.h"
#include "syscalls.h"

#define K_O_LARGEFILE 0100000

/* pipe2 and dup3 flags, in the order strace names them */
static const struct flag pipe_flags[] = {
	FLAG(O_NONBLOCK), FLAG(O_DIRECT), FLAG(O_CLOEXEC),
};

static const struct flag fcntl_cmds[] = {
	FLAG(F_DUPFD), FLAG(F_GETFD), FLAG(F_SETFD), FLAG(F_GETFL),
	FLAG(F_SETFL), FLAG(F_GETLK), FLAG(F_SETLK), FLAG(F_SETLKW),
	FLAG(F_SETOWN), FLAG(F_GETOWN), FLAG(F_SETSIG), FLAG(F_GETSIG),
	FLAG(F_SETOWN_EX), FLAG(F_GETOWN_EX), FLAG(F_OFD_GETLK),
	FLAG(F_OFD_SETLK), FLAG(F_OFD_SETLKW), FLAG(F_SETLEASE),
	FLAG(F_GETLEASE), FLAG(F_NOTIFY), FLAG(F_DUPFD_CLOEXEC),
	FLAG(F_SETPIPE_SZ), FLAG(F_GETPIPE_SZ), FLAG(F_ADD_SEALS),
	FLAG(F_GET_SEALS),
};

static const struct flag fd_flags[] = { FLAG(FD_CLOEXEC) };

static const struct flag lease_types[] = {
	FLAG(F_RDLCK), FLAG(F_WRLCK), FLAG(F_UNLCK),
};

static const struct flag seals[] = {
	FLAG(F_SEAL_SEAL), FLAG(F_SEAL_SHRINK), FLAG(F_SEAL_GROW),
	FLAG(F_SEAL_WRITE), FLAG(F_SEAL_FUTURE_WRITE),
};

/* Requests strace names (x86_64 values). */
static const struct flag ioctl_reqs[] = {
	{ 0x5401, "TCGETS" }, { 0x5402, "TCSETS" }, { 0x5403, "TCSETSW" },
	{ 0x5404, "TCSETSF" }, { 0x5409, "TCSBRK" }, { 0x540b, "TCFLSH" },
	{ 0x540c, "TIOCEXCL" }, { 0x540d, "TIOCNXCL" }, { 0x540e, "TIOCSCTTY" },
	{ 0x540f, "TIOCGPGRP" }, { 0x5410, "TIOCSPGRP" }, { 0x5411, "TIOCOUTQ" },
	{ 0x5413, "TIOCGWINSZ" }, { 0x5414, "TIOCSWINSZ" },
	{ 0x541b, "FIONREAD" }, { 0x5421, "FIONBIO" }, { 0x5422, "TIOCNOTTY" },
	{ 0x5450, "FIONCLEX" }, { 0x5451, "FIOCLEX" }, { 0x5452, "FIOASYNC" },
	{ 0x80045430, "TIOCGPTN" }, { 0x40045431, "TIOCSPTLCK" },
	{ 0x40049409, "FICLONE" }, { 0x80086601, "FS_IOC_GETFLAGS" },
	{ 0x40086602, "FS_IOC_SETFLAGS" },
};

#define TCGETS_K 0x5401
#define TIOCGWINSZ_K 0x5413

/* termios baud rates (c_cflag & CBAUD) */
static const struct flag bauds[] = {
	{ 0, "B0" }, { 1, "B50" }, { 2, "B75" }, { 3, "B110" }, { 4, "B134" },
	{ 5, "B150" }, { 6, "B200" }, { 7, "B300" }, { 8, "B600" },
	{ 9, "B1200" }, { 10, "B1800" }, { 11, "B2400" }, { 12, "B4800" },
	{ 13, "B9600" }, { 14, "B19200" }, { 15, "B38400" },
	{ 0x1001, "B57600" }, { 0x1002, "B115200" }, { 0x1003, "B230400" },
	{ 0x1004, "B460800" }, { 0x1005, "B500000" }, { 0x1006, "B576000" },
	{ 0x1007, "B921600" }, { 0x1008, "B1000000" },
};

static const struct flag poll_events[] = {
	FLAG(POLLIN), FLAG(POLLPRI), FLAG(POLLOUT), FLAG(POLLERR),
	FLAG(POLLHUP), FLAG(POLLNVAL), FLAG(POLLRDNORM), FLAG(POLLRDBAND),
	FLAG(POLLWRNORM), FLAG(POLLWRBAND), FLAG(POLLMSG), { 0x1000, "POLLREMOVE" },
	FLAG(POLLRDHUP),
};

static const struct flag epoll_events[] = {
	FLAG(EPOLLIN), FLAG(EPOLLPRI), FLAG(EPOLLOUT), FLAG(EPOLLERR),
	FLAG(EPOLLHUP), { 0x20, "EPOLLNVAL" }, FLAG(EPOLLRDNORM), FLAG(EPOLLRDBAND),
	FLAG(EPOLLWRNORM), FLAG(EPOLLWRBAND), FLAG(EPOLLMSG), FLAG(EPOLLRDHUP),
	{ 1u << 27, "EPOLL_URING_WAKE" }, FLAG(EPOLLEXCLUSIVE),
	FLAG(EPOLLWAKEUP), FLAG(EPOLLONESHOT), FLAG(EPOLLET),
};

static const struct flag epoll_ops[] = {
	FLAG(EPOLL_CTL_ADD), FLAG(EPOLL_CTL_DEL), FLAG(EPOLL_CTL_MOD),
};

static const struct flag epoll_flags[] = { FLAG(EPOLL_CLOEXEC) };

static const struct flag grnd_flags[] = {
	FLAG(GRND_NONBLOCK), FLAG(GRND_RANDOM), { 4, "GRND_INSECURE" },
};

static const struct flag flock_ops[] = {
	FLAG(LOCK_SH), FLAG(LOCK_EX), FLAG(LOCK_NB), FLAG(LOCK_UN),
	{ 32, "LOCK_MAND" }, { 64, "LOCK_READ" }, { 128, "LOCK_WRITE" },
};

static const struct flag close_range_flags[] = {
	{ 2, "CLOSE_RANGE_UNSHARE" }, { 4, "CLOSE_RANGE_CLOEXEC" },
};

static const struct flag rename_flags[] = {
	{ 1, "RENAME_NOREPLACE" }, { 2, "RENAME_EXCHANGE" },
	{ 4, "RENAME_WHITEOUT" },
};

/* fcntl commands without an argument */
static bool fcntl_no_arg(uint32_t cmd)
{
	return cmd == F_GETFD || cmd == F_GETFL || cmd == F_GETOWN ||
	       cmd == F_GETSIG || cmd == F_GETLEASE || cmd == F_GETPIPE_SZ ||
	       cmd == F_GET_SEALS;
}

static bool ioctl_no_arg(uint32_t req)
{
	return req == 0x5450 || req == 0x5451 || req == 0x5422 ||
	       req == 0x540c || req == 0x540d;
}

bool fdio_arg_shown(const struct sc_call *c, unsigned i, unsigned type)
{
	switch (type) {
	case A_FCNTL_ARG:
		return !fcntl_no_arg((uint32_t)c->args[1]);
	case A_IOCTL_ARG:
		return !ioctl_no_arg((uint32_t)c->args[1]);
	case A_MREMAP_ADDR:
		return c->args[3] & MREMAP_FIXED;
	default:
		return true;
	}
}

static void put_fcntl_arg(struct sbuf *out, const struct sc_call *c,
			  unsigned i)
{
	uint64_t v = c->args[i];

	switch ((uint32_t)c->args[1]) {
	case F_SETFD:
		print_flags(out, fd_flags, ARRAY_LEN(fd_flags), (uint32_t)v,
			    NULL);
		break;
	case F_SETFL:
		print_open_flags(out, (uint32_t)v);
		break;
	case F_SETLEASE:
		print_xval(out, lease_types, ARRAY_LEN(lease_types),
			   (uint32_t)v, "F_???");
		break;
	case F_ADD_SEALS:
		print_flags(out, seals, ARRAY_LEN(seals), (uint32_t)v,
			    "F_SEAL_???");
		break;
	case F_GETLK: case F_SETLK: case F_SETLKW: case F_OFD_GETLK:
	case F_OFD_SETLK: case F_OFD_SETLKW: case F_SETOWN_EX:
	case F_GETOWN_EX:
		print_ptr(out, v);
		break;
	default:
		sb_printf(out, "%d", (int)v);
		break;
	}
}

static void print_termios(struct sbuf *out, const unsigned char *p)
{
	uint32_t f[4];	/* iflag, oflag, cflag, lflag */

	memcpy(f, p, sizeof(f));
	sb_putc(out, '{');
	print_xval(out, bauds, ARRAY_LEN(bauds), f[2] & 0x100f, "B???");
	sb_printf(out, " %sopost %sisig %sicanon %secho ...}",
		  f[1] & 1 ? "" : "-", f[3] & 1 ? "" : "-",
		  f[3] & 2 ? "" : "-", f[3] & 010 ? "" : "-");
}

static void put_ioctl_arg(struct sbuf *out, const struct sc_call *c,
			  unsigned i)
{
	const struct pt_cap *cap = cap_at_exit(c, i);
	uint32_t req = (uint32_t)c->args[1];
	uint64_t v = c->args[i];
	const unsigned char *p;
	uint16_t ws[4];
	int n;

	if (!v || !cap_usable(cap)) {
		print_hex(out, v);
		return;
	}
	p = cap_bytes(cap);
	if (req == TCGETS_K && cap->len >= 36) {
		print_termios(out, p);
	} else if (req == TIOCGWINSZ_K && cap->len >= sizeof(ws)) {
		memcpy(ws, p, sizeof(ws));
		sb_printf(out, "{ws_row=%u, ws_col=%u, ws_xpixel=%u, ws_ypixel=%u}",
			  ws[0], ws[1], ws[2], ws[3]);
	} else if (cap->len >= sizeof(n)) {
		memcpy(&n, p, sizeof(n));
		sb_printf(out, "[%d]", n);
	} else {
		print_hex(out, v);
	}
}

static void put_int_pair(struct sbuf *out, const struct sc_call *c, unsigned i)
{
	const void *p = cap_struct(cap_at_exit(c, i), 2 * sizeof(int));
	int fds[2];

	if (!c->args[i] || !p) {
		print_ptr(out, c->args[i]);
		return;
	}
	memcpy(fds, p, sizeof(fds));
	sb_printf(out, "[%d, %d]", fds[0], fds[1]);
}

/* One iovec entry: its data (bytes copied, shown up to -s) and length. */
static void put_iov_entry(struct sbuf *out, const struct pt_iov *e,
			  const unsigned char *data, uint64_t avail,
			  const struct decode_opts *o)
{
	uint64_t show = e->len < avail ? e->len : avail;

	sb_puts(out, "{iov_base=");
	if (e->flags & PT_CAP_F_FAULT)
		print_ptr(out, e->base);
	else
		escape_str(out, data, min_sz(e->copied, o->strsize),
			   show > o->strsize || show > e->copied);
	sb_printf(out, ", iov_len=%llu}", (unsigned long long)e->len);
}

/* [{iov_base="...", iov_len=N}, ...]; at exit, data up to ret in all. */
static void print_iov(struct sbuf *out, const struct sc_call *c, unsigned i,
		      const struct pt_cap *cap, bool at_exit,
		      const struct decode_opts *o)
{
	const unsigned char *p;
	uint64_t left = at_exit ? (uint64_t)c->ret : UINT64_MAX;
	size_t off = 0;
	struct pt_iov e;
	unsigned k;

	if (!c->args[i] || !cap_usable(cap)) {
		print_ptr(out, c->args[i]);
		return;
	}
	p = cap_bytes(cap);
	sb_putc(out, '[');
	for (k = 0; k < cap->full_len; k++) {
		if (k >= o->strsize || cap->len - off < sizeof(e)) {
			sb_puts(out, k ? ", ..." : "...");
			break;
		}
		memcpy(&e, p + off, sizeof(e));
		off += sizeof(e);
		if (e.copied > cap->len - off)
			e.copied = (uint32_t)(cap->len - off);
		if (k)
			sb_puts(out, ", ");
		put_iov_entry(out, &e, p + off, left, o);
		left -= e.len < left ? e.len : left;
		off = (off + e.copied + 7) & ~(size_t)7;
		if (off > cap->len)
			off = cap->len;
	}
	sb_putc(out, ']');
}

/* struct pollfd array: entry shows events, exit (after the return)
 * the entries with revents. */
static void print_pollfds(struct sbuf *out, const struct pt_cap *cap,
			  uint64_t nfds, bool revents, unsigned strsize)
{
	const unsigned char *p = cap_bytes(cap);
	size_t n = cap->len / sizeof(struct pollfd), k;
	const char *sep = "";
	struct pollfd pf;
	unsigned shown = 0;

	sb_putc(out, '[');
	for (k = 0; k < n && k < nfds; k++) {
		memcpy(&pf, p + k * sizeof(pf), sizeof(pf));
		if (revents && !pf.revents)
			continue;
		if (shown++ >= strsize) {
			sb_printf(out, "%s...", sep);
			break;
		}
		sb_printf(out, "%s{fd=%d", sep, pf.fd);
		if (revents) {
			sb_puts(out, ", revents=");
			print_flags(out, poll_events, ARRAY_LEN(poll_events),
				    (uint16_t)pf.revents, "POLL???");
		} else if (pf.fd >= 0) {
			sb_puts(out, ", events=");
			print_flags(out, poll_events, ARRAY_LEN(poll_events),
				    (uint16_t)pf.events, "POLL???");
		}
		sb_putc(out, '}');
		sep = ", ";
	}
	if (!revents && k < nfds && shown < strsize)
		sb_printf(out, "%s...", sep);
	sb_putc(out, ']');
}

/* [3 4]: the descriptors below nfds in a set. */
static void print_fdset(struct sbuf *out, const struct pt_cap *cap, int nfds)
{
	const unsigned char *p = cap_bytes(cap);
	const char *sep = "";
	int fd;

	sb_putc(out, '[');
	for (fd = 0; fd < nfds && (size_t)fd / 8 < cap->len; fd++) {
		if (!(p[fd / 8] & (1u << (fd % 8))))
			continue;
		sb_printf(out, "%s%d", sep, fd);
		sep = " ";
	}
	sb_putc(out, ']');
}

static bool fdset_empty(const struct pt_cap *cap, int nfds)
{
	const unsigned char *p = cap_bytes(cap);
	int fd;

	for (fd = 0; fd < nfds && (size_t)fd / 8 < cap->len; fd++)
		if (p[fd / 8] & (1u << (fd % 8)))
			return false;
	return true;
}

static void print_epoll_event(struct sbuf *out, const unsigned char *p)
{
	uint32_t ev;
	uint64_t data;

	memcpy(&ev, p, sizeof(ev));
	memcpy(&data, p + 4, sizeof(data));
	sb_puts(out, "{events=");
	print_flags(out, epoll_events, ARRAY_LEN(epoll_events), ev,
		    "EPOLL???");
	sb_printf(out, ", data={u32=%u, u64=%llu}}", (uint32_t)data,
		  (unsigned long long)data);
}

#define EPOLL_EVENT_SIZE 12	/* packed on x86_64 */

static void put_epoll_events(struct sbuf *out, const struct sc_call *c,
			     unsigned i, const struct decode_opts *o)
{
	const struct pt_cap *cap = cap_at_exit(c, i);
	size_t n, k;

	if (!c->args[i] || !cap_usable(cap)) {
		print_ptr(out, c->args[i]);
		return;
	}
	n = cap->len / EPOLL_EVENT_SIZE;
	sb_putc(out, '[');
	for (k = 0; k < n && k < (uint64_t)c->ret; k++) {
		if (k)
			sb_puts(out, ", ");
		if (k >= o->strsize) {
			sb_puts(out, "...");
			break;
		}
		print_epoll_event(out, cap_bytes(cap) + k * EPOLL_EVENT_SIZE);
	}
	sb_putc(out, ']');
}

static void put_dirents(struct sbuf *out, const struct sc_call *c, unsigned i)
{
	const struct pt_cap *cap = cap_at_exit(c, i);

	print_ptr(out, c->args[i]);
	if (c->args[i] && cap_usable(cap))
		sb_printf(out, " /* %u entries */", cap->full_len);
}

static void put_hexbuf(struct sbuf *out, const struct sc_call *c, unsigned i,
		       const struct decode_opts *o)
{
	const struct pt_cap *cap = cap_at_exit(c, i);
	size_t show;

	if (!c->args[i] || !cap_usable(cap)) {
		print_ptr(out, c->args[i]);
		return;
	}
	show = min_sz(min_sz((uint64_t)c->ret, o->strsize), cap->len);
	escape_hex(out, cap_bytes(cap), show, (uint64_t)c->ret > show);
}

static void put_time_arg(struct sbuf *out, const struct sc_call *c,
			 unsigned i, bool usec)
{
	const void *p = cap_struct(c->cap[i], 16);

	if (!c->args[i] || !p)
		print_ptr(out, c->args[i]);
	else
		print_timespec(out, p, usec);
}

static bool put_fdio_named(struct sbuf *out, unsigned type, uint64_t v)
{
	const struct flag *tab;
	size_t n;
	const char *unknown;

	switch (type) {
	case A_PIPE_FLAGS:
		tab = pipe_flags, n = ARRAY_LEN(pipe_flags), unknown = "O_???";
		break;
	case A_EPOLL_FLAGS:
		tab = epoll_flags, n = ARRAY_LEN(epoll_flags), unknown = "EPOLL_???";
		break;
	case A_GRND_FLAGS:
		tab = grnd_flags, n = ARRAY_LEN(grnd_flags), unknown = "GRND_???";
		break;
	case A_FLOCK_OP:
		tab = flock_ops, n = ARRAY_LEN(flock_ops), unknown = "LOCK_???";
		break;
	case A_CLOSE_RANGE_FLAGS:
		tab = close_range_flags, n = ARRAY_LEN(close_range_flags);
		unknown = "CLOSE_RANGE_???";
		break;
	case A_RENAME_FLAGS:
		tab = rename_flags, n = ARRAY_LEN(rename_flags);
		unknown = "RENAME_???";
		break;
	case A_FCNTL_CMD:
		print_xval(out, fcntl_cmds, ARRAY_LEN(fcntl_cmds), (uint32_t)v,
			   "F_???");
		return true;
	case A_IOCTL_REQ:
		print_xval(out, ioctl_reqs, ARRAY_LEN(ioctl_reqs), (uint32_t)v,
			   "_IOC_???");
		return true;
	case A_EPOLL_OP:
		print_xval(out, epoll_ops, ARRAY_LEN(epoll_ops), (uint32_t)v,
			   "EPOLL_CTL_???");
		return true;
	default:
		return false;
	}
	print_flags(out, tab, n, (uint32_t)v, unknown);
	return true;
}

bool put_fdio_arg(struct sbuf *out, const struct sc_call *c, unsigned i,
		  unsigned type, const struct decode_opts *o)
{
	uint64_t v = c->args[i];

	if (put_fdio_named(out, type, v))
		return true;
	switch (type) {
	case A_FCNTL_ARG:
		put_fcntl_arg(out, c, i);
		return true;
	case A_IOCTL_ARG:
		put_ioctl_arg(out, c, i);
		return true;
	case A_INT_PAIR_OUT:
		put_int_pair(out, c, i);
		return true;
	case A_IOV_IN:
		print_iov(out, c, i, c->cap[i], false, o);
		return true;
	case A_IOV_OUT:
		print_iov(out, c, i, cap_at_exit(c, i), true, o);
		return true;
	case A_POLLFDS:
		if (!v || !cap_usable(c->cap[i]))
			print_ptr(out, v);
		else
			print_pollfds(out, c->cap[i], c->args[i + 1], false,
				      o->strsize);
		return true;
	case A_FDSET:
		if (!v || !cap_usable(c->cap[i]))
			print_ptr(out, v);
		else
			print_fdset(out, c->cap[i], (int)c->args[0]);
		return true;
	case A_TIMEVAL:
	case A_TIMESPEC:
		put_time_arg(out, c, i, type == A_TIMEVAL);
		return true;
	case A_EPOLL_EVENT:
		if (!v || (uint32_t)c->args[1] == EPOLL_CTL_DEL ||
		    !cap_struct(c->cap[i], EPOLL_EVENT_SIZE))
			print_ptr(out, v);
		else
			print_epoll_event(out, cap_bytes(c->cap[i]));
		return true;
	case A_EPOLL_EVENTS_OUT:
		put_epoll_events(out, c, i, o);
		return true;
	case A_DIRENTS:
		put_dirents(out, c, i);
		return true;
	case A_HEXBUF_OUT:
		put_hexbuf(out, c, i, o);
		return true;
	default:
		return false;
	}
}

/* ---- after the return value ---- */

/* " (in [3], out [4], left {tv_sec=0, tv_nsec=0})" */
static void select_detail(struct sbuf *out, const struct sc_call *c,
			  bool usec)
{
	static const char *const names[] = { "in", "out", "except" };
	const char *sep = "";
	const void *left;
	unsigned k;

	sb_puts(out, " (");
	for (k = 0; k < 3; k++) {
		const struct pt_cap *cap = c->cap_out[1 + k];

		if (!c->args[1 + k] || !cap_usable(cap) ||
		    fdset_empty(cap, (int)c->args[0]))
			continue;
		sb_printf(out, "%s%s ", sep, names[k]);
		print_fdset(out, cap, (int)c->args[0]);
		sep = ", ";
	}
	left = cap_struct(c->cap_out[4], 16);
	if (c->args[4] && left) {
		sb_printf(out, "%sleft ", sep);
		print_timespec(out, left, usec);
	}
	sb_putc(out, ')');
}

static void poll_detail(struct sbuf *out, const struct sc_call *c,
			bool ppoll)
{
	const struct pt_cap *cap = c->cap_out[0];
	const void *left;

	if (!cap_usable(cap))
		return;
	sb_puts(out, " (");
	print_pollfds(out, cap, c->args[1], true, UINT32_MAX);
	left = ppoll ? cap_struct(c->cap_out[2], 16) : NULL;
	if (c->args[2] && left) {
		sb_puts(out, ", left ");
		print_timespec(out, left, false);
	}
	sb_putc(out, ')');
}

static void fcntl_detail(struct sbuf *out, const struct sc_call *c)
{
	uint32_t cmd = (uint32_t)c->args[1];
	uint32_t r = (uint32_t)c->ret;

	if (cmd == F_GETFL) {
		sb_printf(out, "%#x (flags ", r);
		/* the kernel sets O_LARGEFILE itself on 64-bit */
		print_open_flags(out, r);
		sb_putc(out, ')');
	} else if (cmd == F_GETFD && r) {
		sb_printf(out, "%#x (flags ", r);
		print_flags(out, fd_flags, ARRAY_LEN(fd_flags), r, NULL);
		sb_putc(out, ')');
	} else if (cmd == F_GET_SEALS && r) {
		sb_printf(out, "%#x (seals ", r);
		print_flags(out, seals, ARRAY_LEN(seals), r, NULL);
		sb_putc(out, ')');
	} else if (cmd == F_GETLEASE) {
		print_xval(out, lease_types, ARRAY_LEN(lease_types), r, "F_???");
	} else {
		sb_printf(out, "%lld", (long long)c->ret);
	}
}

void put_ret_detail(struct sbuf *out, const struct sc_call *c)
{
	bool timeout = c->ret == 0;

	switch (c->nr) {
	case __NR_fcntl:
		fcntl_detail(out, c);
		return;
	case __NR_poll:
	case __NR_ppoll:
	case __NR_select:
	case __NR_pselect6:
		sb_printf(out, "%lld", (long long)c->ret);
		break;
	default:
		sb_printf(out, "%lld", (long long)c->ret);
		return;
	}
	if (timeout) {
		sb_puts(out, " (Timeout)");
		return;
	}
	if (c->nr == __NR_poll || c->nr == __NR_ppoll)
		poll_detail(out, c, c->nr == __NR_ppoll);
	else
		select_detail(out, c, c->nr == __NR_select);
}
