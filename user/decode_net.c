// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Socket addresses, as strace prints them.  Families without a decoder
 * here print their raw sa_data (strace decodes a few more: AX.25, IPX,
 * packet, VSOCK...).
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/netlink.h>

#include "decode_priv.h"
#include "syscalls.h"

#define AF(x) [AF_##x] = "AF_" #x
static const char *const families[AF_MAX] = {
	AF(UNSPEC), AF(UNIX), AF(INET), AF(AX25), AF(IPX), AF(APPLETALK),
	AF(NETROM), AF(BRIDGE), AF(ATMPVC), AF(X25), AF(INET6), AF(ROSE),
	AF(DECnet), AF(NETBEUI), AF(SECURITY), AF(KEY), AF(NETLINK),
	AF(PACKET), AF(ASH), AF(ECONET), AF(ATMSVC), AF(RDS), AF(SNA),
	AF(IRDA), AF(PPPOX), AF(WANPIPE), AF(LLC), AF(IB), AF(MPLS), AF(CAN),
	AF(TIPC), AF(BLUETOOTH), AF(IUCV), AF(RXRPC), AF(ISDN), AF(PHONET),
	AF(IEEE802154), AF(CAIF), AF(ALG), AF(NFC), AF(VSOCK), AF(KCM),
	AF(QIPCRTR), AF(SMC), AF(XDP), AF(MCTP),
};
#undef AF

/* sockaddr_in6 without sin6_scope_id, as RFC 2133 had it */
#define SIN6_LEN_RFC2133 24

static void put_family(struct sbuf *out, unsigned family)
{
	if (family < AF_MAX && families[family])
		sb_printf(out, "{sa_family=%s", families[family]);
	else
		sb_printf(out, "{sa_family=%#x /* AF_??? */", family);
}

static void put_sa_data(struct sbuf *out, const unsigned char *sa, size_t len)
{
	sb_puts(out, ", sa_data=");
	escape_str(out, sa + 2, len - 2, false);
}

static void put_inet(struct sbuf *out, const unsigned char *sa)
{
	struct sockaddr_in sin;
	char ip[INET_ADDRSTRLEN];

	memcpy(&sin, sa, sizeof(sin));
	inet_ntop(AF_INET, &sin.sin_addr, ip, sizeof(ip));
	sb_printf(out, ", sin_port=htons(%u), sin_addr=inet_addr(\"%s\")",
		  ntohs(sin.sin_port), ip);
}

/* Link-local scopes are interface indexes; strace names the interface. */
static void put_scope_id(struct sbuf *out, const struct sockaddr_in6 *sin6)
{
	char name[IF_NAMESIZE];
	const struct in6_addr *a = &sin6->sin6_addr;

	if ((IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_MC_LINKLOCAL(a)) &&
	    if_indextoname(sin6->sin6_scope_id, name))
		sb_printf(out, ", sin6_scope_id=if_nametoindex(\"%s\")", name);
	else
		sb_printf(out, ", sin6_scope_id=%u", sin6->sin6_scope_id);
}

static void put_inet6(struct sbuf *out, const unsigned char *sa, size_t len)
{
	struct sockaddr_in6 sin6;
	char ip[INET6_ADDRSTRLEN];

	memset(&sin6, 0, sizeof(sin6));
	memcpy(&sin6, sa, min_sz(len, sizeof(sin6)));
	inet_ntop(AF_INET6, &sin6.sin6_addr, ip, sizeof(ip));
	sb_printf(out, ", sin6_port=htons(%u), sin6_flowinfo=htonl(%u)"
		  ", inet_pton(AF_INET6, \"%s\", &sin6_addr)",
		  ntohs(sin6.sin6_port), ntohl(sin6.sin6_flowinfo), ip);
	if (len >= sizeof(sin6))
		put_scope_id(out, &sin6);
}

/* sun_path: up to its NUL; an abstract name (leading NUL) is all bytes. */
static void put_unix(struct sbuf *out, const unsigned char *sa, size_t len)
{
	const unsigned char *path = sa + offsetof(struct sockaddr_un, sun_path);
	size_t n = min_sz(len, sizeof(struct sockaddr_un)) -
		   offsetof(struct sockaddr_un, sun_path);
	const unsigned char *nul;

	sb_puts(out, ", sun_path=");
	if (path[0] == '\0') {
		sb_putc(out, '@');
		escape_str(out, path + 1, n - 1, false);
		return;
	}
	nul = memchr(path, '\0', n);
	escape_str(out, path, nul ? (size_t)(nul - path) : n, false);
}

static void put_netlink(struct sbuf *out, const unsigned char *sa)
{
	struct sockaddr_nl nl;

	memcpy(&nl, sa, sizeof(nl));
	sb_printf(out, ", nl_pid=%u, nl_groups=%#08x", nl.nl_pid, nl.nl_groups);
}

/* The family's fields, given len (> 2) bytes of the address. */
static void put_fields(struct sbuf *out, unsigned family,
		       const unsigned char *sa, size_t len)
{
	if (family == AF_INET && len >= sizeof(struct sockaddr_in))
		put_inet(out, sa);
	else if (family == AF_INET6 && len >= SIN6_LEN_RFC2133)
		put_inet6(out, sa, len);
	else if (family == AF_UNIX)
		put_unix(out, sa, len);
	else if (family == AF_NETLINK && len >= sizeof(struct sockaddr_nl))
		put_netlink(out, sa);
	else
		put_sa_data(out, sa, len);
}

void print_sockaddr(struct sbuf *out, uint64_t addr, const struct pt_cap *cap,
		    uint32_t addrlen)
{
	const unsigned char *sa;
	size_t len;
	uint16_t family;

	if (!addr || addrlen < sizeof(family) || !cap_usable(cap)) {
		print_ptr(out, addr);
		return;
	}
	len = min_sz(addrlen, cap->len);
	if (len < sizeof(family)) {
		print_ptr(out, addr);
		return;
	}
	sa = cap_bytes(cap);
	memcpy(&family, sa, sizeof(family));
	put_family(out, family);
	if (len > sizeof(family))
		put_fields(out, family, sa, len);
	sb_putc(out, '}');
}

/* ---- socket(), options, flags ---- */

static const struct flag sock_types[] = {
	FLAG(SOCK_STREAM), FLAG(SOCK_DGRAM), FLAG(SOCK_RAW), FLAG(SOCK_RDM),
	FLAG(SOCK_SEQPACKET), FLAG(SOCK_DCCP), FLAG(SOCK_PACKET),
};

static const struct flag sock_flags[] = {
	FLAG(SOCK_CLOEXEC), FLAG(SOCK_NONBLOCK),
};

static const struct flag ip_protos[] = {
	FLAG(IPPROTO_IP), FLAG(IPPROTO_ICMP), FLAG(IPPROTO_IGMP),
	FLAG(IPPROTO_IPIP), FLAG(IPPROTO_TCP), FLAG(IPPROTO_EGP),
	FLAG(IPPROTO_PUP), FLAG(IPPROTO_UDP), FLAG(IPPROTO_IDP),
	FLAG(IPPROTO_TP), FLAG(IPPROTO_DCCP), FLAG(IPPROTO_IPV6),
	FLAG(IPPROTO_RSVP), FLAG(IPPROTO_GRE), FLAG(IPPROTO_ESP),
	FLAG(IPPROTO_AH), FLAG(IPPROTO_ICMPV6), FLAG(IPPROTO_MTP),
	FLAG(IPPROTO_BEETPH), FLAG(IPPROTO_ENCAP), FLAG(IPPROTO_PIM),
	FLAG(IPPROTO_COMP), FLAG(IPPROTO_SCTP), FLAG(IPPROTO_UDPLITE),
	FLAG(IPPROTO_MPLS), FLAG(IPPROTO_RAW), { 262, "IPPROTO_MPTCP" },
};

static const struct flag netlink_protos[] = {
	FLAG(NETLINK_ROUTE), FLAG(NETLINK_UNUSED), FLAG(NETLINK_USERSOCK),
	FLAG(NETLINK_FIREWALL), FLAG(NETLINK_SOCK_DIAG), FLAG(NETLINK_NFLOG),
	FLAG(NETLINK_XFRM), FLAG(NETLINK_SELINUX), FLAG(NETLINK_ISCSI),
	FLAG(NETLINK_AUDIT), FLAG(NETLINK_FIB_LOOKUP), FLAG(NETLINK_CONNECTOR),
	FLAG(NETLINK_NETFILTER), FLAG(NETLINK_IP6_FW), FLAG(NETLINK_DNRTMSG),
	FLAG(NETLINK_KOBJECT_UEVENT), FLAG(NETLINK_GENERIC),
	FLAG(NETLINK_SCSITRANSPORT), FLAG(NETLINK_ECRYPTFS),
	FLAG(NETLINK_RDMA), FLAG(NETLINK_CRYPTO),
};

static const struct flag sol_levels[] = {
	{ 0, "SOL_IP" }, { 1, "SOL_SOCKET" }, { 6, "SOL_TCP" },
	{ 17, "SOL_UDP" }, { 41, "SOL_IPV6" }, { 58, "SOL_ICMPV6" },
	{ 132, "SOL_SCTP" }, { 136, "SOL_UDPLITE" }, { 255, "SOL_RAW" },
	{ 263, "SOL_PACKET" }, { 270, "SOL_NETLINK" }, { 279, "SOL_ALG" },
	{ 282, "SOL_TLS" }, { 283, "SOL_XDP" }, { 284, "SOL_MPTCP" },
};

static const struct flag so_names[] = {
	{ 1, "SO_DEBUG" }, { 2, "SO_REUSEADDR" }, { 3, "SO_TYPE" },
	{ 4, "SO_ERROR" }, { 5, "SO_DONTROUTE" }, { 6, "SO_BROADCAST" },
	{ 7, "SO_SNDBUF" }, { 8, "SO_RCVBUF" }, { 9, "SO_KEEPALIVE" },
	{ 10, "SO_OOBINLINE" }, { 11, "SO_NO_CHECK" }, { 12, "SO_PRIORITY" },
	{ 13, "SO_LINGER" }, { 14, "SO_BSDCOMPAT" }, { 15, "SO_REUSEPORT" },
	{ 16, "SO_PASSCRED" }, { 17, "SO_PEERCRED" }, { 18, "SO_RCVLOWAT" },
	{ 19, "SO_SNDLOWAT" }, { 20, "SO_RCVTIMEO_OLD" },
	{ 21, "SO_SNDTIMEO_OLD" }, { 25, "SO_BINDTODEVICE" },
	{ 26, "SO_ATTACH_FILTER" }, { 27, "SO_DETACH_FILTER" },
	{ 28, "SO_PEERNAME" }, { 29, "SO_TIMESTAMP_OLD" },
	{ 30, "SO_ACCEPTCONN" }, { 31, "SO_PEERSEC" }, { 32, "SO_SNDBUFFORCE" },
	{ 33, "SO_RCVBUFFORCE" }, { 34, "SO_PASSSEC" },
	{ 35, "SO_TIMESTAMPNS_OLD" }, { 36, "SO_MARK" },
	{ 37, "SO_TIMESTAMPING_OLD" }, { 38, "SO_PROTOCOL" },
	{ 39, "SO_DOMAIN" }, { 40, "SO_RXQ_OVFL" }, { 41, "SO_WIFI_STATUS" },
	{ 42, "SO_PEEK_OFF" }, { 43, "SO_NOFCS" }, { 44, "SO_LOCK_FILTER" },
	{ 45, "SO_SELECT_ERR_QUEUE" }, { 46, "SO_BUSY_POLL" },
	{ 47, "SO_MAX_PACING_RATE" }, { 48, "SO_BPF_EXTENSIONS" },
	{ 49, "SO_INCOMING_CPU" }, { 50, "SO_ATTACH_BPF" },
	{ 53, "SO_CNX_ADVICE" }, { 55, "SO_MEMINFO" },
	{ 56, "SO_INCOMING_NAPI_ID" }, { 57, "SO_COOKIE" },
	{ 59, "SO_PEERGROUPS" }, { 60, "SO_ZEROCOPY" }, { 61, "SO_TXTIME" },
	{ 62, "SO_BINDTOIFINDEX" }, { 63, "SO_TIMESTAMP_NEW" },
	{ 64, "SO_TIMESTAMPNS_NEW" }, { 65, "SO_TIMESTAMPING_NEW" },
	{ 66, "SO_RCVTIMEO_NEW" }, { 67, "SO_SNDTIMEO_NEW" },
};

static const struct flag tcp_names[] = {
	{ 1, "TCP_NODELAY" }, { 2, "TCP_MAXSEG" }, { 3, "TCP_CORK" },
	{ 4, "TCP_KEEPIDLE" }, { 5, "TCP_KEEPINTVL" }, { 6, "TCP_KEEPCNT" },
	{ 7, "TCP_SYNCNT" }, { 8, "TCP_LINGER2" }, { 9, "TCP_DEFER_ACCEPT" },
	{ 10, "TCP_WINDOW_CLAMP" }, { 11, "TCP_INFO" }, { 12, "TCP_QUICKACK" },
	{ 13, "TCP_CONGESTION" }, { 14, "TCP_MD5SIG" },
	{ 18, "TCP_USER_TIMEOUT" }, { 19, "TCP_REPAIR" },
	{ 23, "TCP_FASTOPEN" }, { 24, "TCP_TIMESTAMP" },
	{ 25, "TCP_NOTSENT_LOWAT" }, { 30, "TCP_FASTOPEN_CONNECT" },
	{ 31, "TCP_ULP" },
};

static const struct flag ip_names[] = {
	{ 1, "IP_TOS" }, { 2, "IP_TTL" }, { 3, "IP_HDRINCL" },
	{ 4, "IP_OPTIONS" }, { 8, "IP_RECVTTL" }, { 10, "IP_MTU_DISCOVER" },
	{ 11, "IP_RECVERR" }, { 14, "IP_MTU" }, { 15, "IP_FREEBIND" },
	{ 19, "IP_TRANSPARENT" }, { 32, "IP_MULTICAST_IF" },
	{ 33, "IP_MULTICAST_TTL" }, { 34, "IP_MULTICAST_LOOP" },
	{ 35, "IP_ADD_MEMBERSHIP" }, { 36, "IP_DROP_MEMBERSHIP" },
	{ 49, "IP_BIND_ADDRESS_NO_PORT" },
};

static const struct flag ipv6_names[] = {
	{ 16, "IPV6_UNICAST_HOPS" }, { 17, "IPV6_MULTICAST_IF" },
	{ 18, "IPV6_MULTICAST_HOPS" }, { 19, "IPV6_MULTICAST_LOOP" },
	{ 20, "IPV6_ADD_MEMBERSHIP" }, { 21, "IPV6_DROP_MEMBERSHIP" },
	{ 23, "IPV6_MTU_DISCOVER" }, { 24, "IPV6_MTU" },
	{ 25, "IPV6_RECVERR" }, { 26, "IPV6_V6ONLY" },
};

static const struct flag msg_flags[] = {
	FLAG(MSG_OOB), FLAG(MSG_PEEK), FLAG(MSG_DONTROUTE), FLAG(MSG_CTRUNC),
	FLAG(MSG_PROXY), FLAG(MSG_TRUNC), FLAG(MSG_DONTWAIT), FLAG(MSG_EOR),
	FLAG(MSG_WAITALL), FLAG(MSG_FIN), FLAG(MSG_SYN), FLAG(MSG_CONFIRM),
	FLAG(MSG_RST), FLAG(MSG_ERRQUEUE), FLAG(MSG_NOSIGNAL), FLAG(MSG_MORE),
	FLAG(MSG_WAITFORONE), { 0x40000, "MSG_BATCH" },
	{ 0x4000000, "MSG_ZEROCOPY" }, FLAG(MSG_FASTOPEN),
	FLAG(MSG_CMSG_CLOEXEC),
};

static const struct flag shut_hows[] = {
	FLAG(SHUT_RD), FLAG(SHUT_WR), FLAG(SHUT_RDWR),
};

#define SOCK_TYPE_MASK 0xf

static void print_sock_type(struct sbuf *out, uint32_t v)
{
	uint32_t rest = v & ~(uint32_t)SOCK_TYPE_MASK;

	print_xval(out, sock_types, ARRAY_LEN(sock_types), v & SOCK_TYPE_MASK,
		   "SOCK_???");
	if (rest) {
		sb_putc(out, '|');
		print_flags(out, sock_flags, ARRAY_LEN(sock_flags), rest, NULL);
	}
}

static void print_sock_proto(struct sbuf *out, uint32_t domain, uint32_t v)
{
	if (domain == AF_INET || domain == AF_INET6)
		print_xval(out, ip_protos, ARRAY_LEN(ip_protos), v,
			   "IPPROTO_???");
	else if (domain == AF_NETLINK)
		print_xval(out, netlink_protos, ARRAY_LEN(netlink_protos), v,
			   "NETLINK_???");
	else
		sb_printf(out, "%d", (int)v);
}

static void print_sockopt_name(struct sbuf *out, uint32_t level, uint32_t v)
{
	switch (level) {
	case SOL_SOCKET:
		print_xval(out, so_names, ARRAY_LEN(so_names), v, "SO_???");
		break;
	case IPPROTO_TCP:
		print_xval(out, tcp_names, ARRAY_LEN(tcp_names), v, "TCP_???");
		break;
	case IPPROTO_IP:
		print_xval(out, ip_names, ARRAY_LEN(ip_names), v, "IP_???");
		break;
	case IPPROTO_IPV6:
		print_xval(out, ipv6_names, ARRAY_LEN(ipv6_names), v,
			   "IPV6_???");
		break;
	default:
		sb_printf(out, "%u", v);
		break;
	}
}

/* An option value of len bytes: [int] when it is one, else the pointer. */
static void print_optval(struct sbuf *out, uint64_t addr,
			 const struct pt_cap *cap, uint64_t len)
{
	int v;

	if (!addr || !cap_usable(cap) || len != sizeof(v) ||
	    cap->len < sizeof(v)) {
		print_ptr(out, addr);
		return;
	}
	memcpy(&v, cap_bytes(cap), sizeof(v));
	sb_printf(out, "[%d]", v);
}

/* [16], or [128 => 16] when the kernel changed the length */
static void put_socklen(struct sbuf *out, const struct sc_call *c, unsigned i)
{
	const void *in = cap_struct(c->cap[i], sizeof(uint32_t));
	const struct pt_cap *res = i > 0 ? cap_at_exit(c, i - 1) : NULL;
	uint32_t len_in;

	if (!c->args[i] || !in) {
		print_ptr(out, c->args[i]);
		return;
	}
	memcpy(&len_in, in, sizeof(len_in));
	if (!c->args[i - 1] || !cap_usable(res) || res->full_len == len_in)
		sb_printf(out, "[%u]", len_in);
	else
		sb_printf(out, "[%u => %u]", len_in, res->full_len);
}

/* The address the kernel wrote: as long as it says, and no longer than
 * the buffer the caller gave. */
static void put_sockaddr_out(struct sbuf *out, const struct sc_call *c,
			     unsigned i)
{
	const struct pt_cap *cap = cap_at_exit(c, i);
	const void *in = cap_struct(c->cap[i + 1], sizeof(uint32_t));
	uint32_t len;

	if (!cap_usable(cap)) {
		print_ptr(out, c->args[i]);
		return;
	}
	len = cap->full_len;
	if (in) {
		uint32_t len_in;

		memcpy(&len_in, in, sizeof(len_in));
		if (len_in < len)
			len = len_in;
	}
	print_sockaddr(out, c->args[i], cap, len);
}

static bool put_net_named(struct sbuf *out, const struct sc_call *c,
			  unsigned i, unsigned type)
{
	uint32_t v = (uint32_t)c->args[i];

	switch (type) {
	case A_SOCK_DOMAIN:
		if (v < AF_MAX && families[v])
			sb_puts(out, families[v]);
		else
			sb_printf(out, "%#x /* AF_??? */", v);
		return true;
	case A_SOCK_TYPE:
		print_sock_type(out, v);
		return true;
	case A_SOCK_PROTO:
		print_sock_proto(out, (uint32_t)c->args[0], v);
		return true;
	case A_SOCK_FLAGS:
		print_flags(out, sock_flags, ARRAY_LEN(sock_flags), v,
			    "SOCK_???");
		return true;
	case A_SOCK_LEVEL:
		print_xval(out, sol_levels, ARRAY_LEN(sol_levels), v,
			   "SOL_???");
		return true;
	case A_SOCKOPT_NAME:
		print_sockopt_name(out, (uint32_t)c->args[1], v);
		return true;
	case A_MSG_FLAGS:
		print_flags(out, msg_flags, ARRAY_LEN(msg_flags), v, "MSG_???");
		return true;
	case A_SHUT_HOW:
		print_xval(out, shut_hows, ARRAY_LEN(shut_hows), v, "SHUT_???");
		return true;
	default:
		return false;
	}
}

bool put_net_arg(struct sbuf *out, const struct sc_call *c, unsigned i,
		 unsigned type, const struct decode_opts *o)
{
	const struct pt_cap *res;

	if (put_net_named(out, c, i, type))
		return true;
	switch (type) {
	case A_SOCKADDR_OUT:
		put_sockaddr_out(out, c, i);
		return true;
	case A_SOCKLEN_PTR:
		put_socklen(out, c, i);
		return true;
	case A_SOCKOPT_IN:
		print_optval(out, c->args[i], c->cap[i], c->args[i + 1]);
		return true;
	case A_SOCKOPT_OUT:
		res = cap_at_exit(c, i);
		print_optval(out, c->args[i], res,
			     cap_usable(res) ? res->full_len : 0);
		return true;
	default:
		return false;
	}
}
