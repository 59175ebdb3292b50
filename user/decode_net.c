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
