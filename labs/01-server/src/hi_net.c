/*
 * hi_net: network interfaces, their hardware (MAC) and IP addresses.
 *
 * getifaddrs(3) returns one entry per (interface, address): AF_PACKET
 * entries carry the MAC in a sockaddr_ll, AF_INET/AF_INET6 entries an IP
 * address and its netmask. hi_net folds them into one record per interface.
 * A captured tree has no live sockets, so only /sys/class/net/NAME/address
 * (the MAC) is read from it.
 */
#include "hi_net.h"

#include "hi_diag.h"
#include "hi_file.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The contract is in hi_net.h. Reads the mask bit by bit, most significant
 * bit of byte 0 first: 255.255.255.0 is 24, 0.0.0.0 is 0, all ones is
 * len * 8; a one bit after a zero bit (255.0.255.0) is -EINVAL.
 * Stage 01.4, README "Steps" 4.
 */
int hi_net_prefixlen(const unsigned char *mask, size_t len)
{
	/* >>> SOLUTION 01.4: count the leading one bits; once a zero bit is seen, no one bit may follow */
	int bits = 0, zero_seen = 0;

	for (size_t i = 0; i < len; i++) {
		for (int b = 7; b >= 0; b--) {
			if (!(mask[i] & (1u << b)))
				zero_seen = 1;
			else if (zero_seen)
				return -EINVAL;
			else
				bits++;
		}
	}
	return bits;
	/* === STUB
	(void)mask;
	(void)len;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/* The record for name, created at the end if new; NULL when full. */
static struct hi_iface *iface_get(struct hi_net *net, const char *name)
{
	struct hi_iface *ifc;

	for (unsigned i = 0; i < net->n; i++)
		if (strcmp(net->iface[i].name, name) == 0)
			return &net->iface[i];
	if (net->n >= HI_IFACE_MAX || strlen(name) >= sizeof(ifc->name))
		return NULL;
	ifc = &net->iface[net->n++];
	snprintf(ifc->name, sizeof(ifc->name), "%s", name);
	return ifc;
}

static void mac_text(const unsigned char *a, char *buf, size_t size)
{
	snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2],
		 a[3], a[4], a[5]);
}

/* The address bytes inside an IPv4 or IPv6 socket address, and their size. */
static const void *ip_bytes(const struct sockaddr *sa, size_t *len)
{
	const void *p = sa;

	if (sa->sa_family == AF_INET) {
		*len = 4;
		return &((const struct sockaddr_in *)p)->sin_addr;
	}
	*len = 16;
	return &((const struct sockaddr_in6 *)p)->sin6_addr;
}

/* Adds one IPv4 or IPv6 address (with its netmask) to the interface. */
static void addr_add(struct hi_iface *ifc, const struct ifaddrs *ia)
{
	int fam = ia->ifa_addr->sa_family;
	struct hi_addr *a = &ifc->addr[ifc->naddr];
	const void *ip;
	size_t len;

	if (ifc->naddr >= HI_ADDR_MAX)
		return;
	ip = ip_bytes(ia->ifa_addr, &len);
	if (!inet_ntop(fam, ip, a->text, sizeof(a->text)))
		return;
	a->family = fam;
	a->prefix = -1; /* unknown, unless a netmask says */
	if (ia->ifa_netmask && ia->ifa_netmask->sa_family == fam) {
		const void *mask = ip_bytes(ia->ifa_netmask, &len);
		int bits = hi_net_prefixlen(mask, len);

		a->prefix = bits < 0 ? -1 : bits;
	}
	ifc->naddr++;
}

static int net_live(struct hi_net *out, struct hi_diags *ds)
{
	struct ifaddrs *list, *ia;

	if (getifaddrs(&list) != 0) {
		int en = errno;
		hi_diag_add(ds, -en, "/", "(getifaddrs)", 0,
			    "cannot list interfaces");
		return -en;
	}
	for (ia = list; ia; ia = ia->ifa_next) {
		struct hi_iface *ifc = iface_get(out, ia->ifa_name);
		int fam = ia->ifa_addr ? ia->ifa_addr->sa_family : AF_UNSPEC;
		const struct sockaddr_ll *ll = (const void *)ia->ifa_addr;

		if (!ifc)
			continue;
		ifc->up = (ia->ifa_flags & IFF_UP) != 0;
		if (fam == AF_PACKET && ll->sll_halen == 6)
			mac_text(ll->sll_addr, ifc->mac, sizeof(ifc->mac));
		else if (fam == AF_INET || fam == AF_INET6)
			addr_add(ifc, ia);
	}
	freeifaddrs(list);
	out->live = 1;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct hi_iface *)a)->name,
		      ((const struct hi_iface *)b)->name);
}

/* A captured tree: interface names and MACs from sys/class/net. */
static int net_captured(const char *root, struct hi_net *out,
			struct hi_diags *ds)
{
	char path[4096], rel[300];
	struct dirent *e;
	DIR *dir;
	int err = hi_path(path, sizeof(path), root, "sys/class/net");

	if (err || !(dir = opendir(path))) {
		err = err ? err : -errno;
		hi_diag_add(ds, err, root, "sys/class/net", 0,
			    "cannot list interfaces");
		return err;
	}
	while ((e = readdir(dir))) {
		struct hi_iface *ifc;
		if (e->d_name[0] == '.' || !(ifc = iface_get(out, e->d_name)))
			continue;
		snprintf(rel, sizeof(rel), "sys/class/net/%s/address",
			 e->d_name);
		if (hi_diag_nomem(ds, root, rel,
				  hi_file_line(root, rel, ifc->mac, sizeof(ifc->mac))))
			ifc->mac[0] = '\0';
	}
	closedir(dir);
	qsort(out->iface, out->n, sizeof(out->iface[0]), name_cmp);
	return 0;
}

int hi_net_read(const char *root, struct hi_net *out, struct hi_diags *ds)
{
	memset(out, 0, sizeof(*out));
	if (hi_root_is_live(root))
		return net_live(out, ds);
	return net_captured(root, out, ds);
}
