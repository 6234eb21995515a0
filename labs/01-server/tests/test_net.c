/*
 * Tests of hi_net: netmasks to prefix lengths, captured interfaces, and
 * the loopback interface of this machine.
 */
#include "hi_net.h"

#include "graded.h"
#include "fixture.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

GRADED(net, prefix_lengths, 2, "01.4 network", 5)
{
	const unsigned char m24[4] = {255, 255, 255, 0};
	const unsigned char m0[4] = {0, 0, 0, 0};
	const unsigned char m32[4] = {255, 255, 255, 255};
	const unsigned char m20[4] = {255, 255, 240, 0};
	unsigned char m64[16] = {0};

	memset(m64, 0xff, 8);
	cr_expect_eq(hi_net_prefixlen(m24, 4), 24);
	cr_expect_eq(hi_net_prefixlen(m0, 4), 0);
	cr_expect_eq(hi_net_prefixlen(m32, 4), 32);
	cr_expect_eq(hi_net_prefixlen(m20, 4), 20);
	cr_expect_eq(hi_net_prefixlen(m64, 16), 64);
}

GRADED(net, non_contiguous_mask, 1, "01.4 network", 5)
{
	const unsigned char bad[4] = {255, 0, 255, 0};

	cr_expect_eq(hi_net_prefixlen(bad, 4), -EINVAL);
}

GRADED(net, captured_names_and_macs, 0, "01.4 network", 5)
{
	static struct hi_net n;

	cr_assert_eq(hi_net_read(fixture("xeon-2s"), &n, NULL), 0);
	cr_expect_eq(n.live, 0);
	cr_assert_eq(n.n, 4);
	cr_expect_str_eq(n.iface[1].name, "eno1");
	cr_expect_str_eq(n.iface[1].mac, "d0:94:66:1a:2b:3c");
}

GRADED(net, live_loopback, 1, "01.4 network", 5)
{
	static struct hi_net n;
	int found = 0;

	cr_assert_eq(hi_net_read("/", &n, NULL), 0);
	for (unsigned i = 0; i < n.n; i++)
		for (unsigned j = 0; j < n.iface[i].naddr; j++)
			if (!strcmp(n.iface[i].addr[j].text, "127.0.0.1"))
				found = n.iface[i].addr[j].prefix == 8;
	cr_expect(found, "lo has 127.0.0.1/8");
}
