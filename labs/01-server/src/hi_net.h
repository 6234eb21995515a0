/*
 * hi_net: network interfaces, their hardware (MAC) and IP addresses.
 *
 *   hi_net_prefixlen(mask, len)   netmask bytes -> prefix length (/24)
 *   hi_net_read(root, &net, ds)   live: getifaddrs(3); captured tree:
 *                                 names and MACs from /sys/class/net only
 */
#ifndef HI_NET_H
#define HI_NET_H

#include <stddef.h>

struct hi_diags;

#define HI_IFACE_MAX 32
#define HI_ADDR_MAX  8

struct hi_addr {
	int family;              /* AF_INET or AF_INET6 */
	char text[46];           /* INET6_ADDRSTRLEN */
	int prefix;              /* 24 in 192.0.2.2/24; -1 unknown */
};

struct hi_iface {
	char name[32];
	char mac[18];            /* "52:54:00:12:34:56", "" when none */
	int up;                  /* IFF_UP (live only) */
	unsigned naddr;
	struct hi_addr addr[HI_ADDR_MAX];
};

struct hi_net {
	int live;                /* addresses were read (getifaddrs) */
	unsigned n;
	struct hi_iface iface[HI_IFACE_MAX];
};

/*
 * The prefix length of a netmask of len bytes (4 for IPv4, 16 for IPv6):
 * the number of leading one bits. Returns it, or -EINVAL if the ones are
 * not contiguous (255.0.255.0 is no netmask).
 */
int hi_net_prefixlen(const unsigned char *mask, size_t len);

/* Reads the interfaces. Returns 0 or -errno; problems recorded in ds. */
int hi_net_read(const char *root, struct hi_net *out, struct hi_diags *ds);

#endif /* HI_NET_H */
