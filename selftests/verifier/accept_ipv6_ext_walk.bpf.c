// SPDX-License-Identifier: GPL-2.0
/* EXPECT: accept
 *
 * IPv6 extension-header walk in a bounded loop: hop-by-hop, routing and
 * destination options headers are skipped (each (len + 1) * 8 bytes) for at
 * most 6 headers; ICMPv6 is dropped.  Every header read is checked against
 * data_end at its variable offset.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

#define MAX_EXT_HDRS	6

SEC("kbpf/ipv6/local_in")
int ipv6_ext_walk(struct kbpf_nf_ctx *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;
	__u32 off = 40;
	__u8 nexthdr;
	int i;

	if (data + 40 > data_end)
		return KBPF_NF_ACCEPT;
	nexthdr = data[6];
	for (i = 0; i < MAX_EXT_HDRS; i++) {
		__u8 *h;

		if (nexthdr != 0 && nexthdr != 43 && nexthdr != 60)
			break;
		if (off > 512)
			return KBPF_NF_ACCEPT;
		h = data + off;
		if (h + 2 > data_end)
			return KBPF_NF_ACCEPT;
		nexthdr = h[0];
		off += (h[1] + 1) * 8;
	}
	return nexthdr == 58 ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
