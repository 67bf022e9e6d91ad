// SPDX-License-Identifier: GPL-2.0
/* EXPECT: accept
 *
 * IPv4 header with options: the header length comes from the IHL nibble,
 * so the transport header sits at a variable offset that must be proven
 * inside the packet before the ports are read.  Drops TCP/UDP port 23.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

SEC("kbpf/ipv4/local_in")
int ipv4_options(struct kbpf_nf_ctx *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;
	__u8 *l4;
	__u32 hlen;

	if (data + 20 > data_end)
		return KBPF_NF_ACCEPT;
	hlen = (data[0] & 0x0f) * 4;
	if (hlen < 20)
		return KBPF_NF_DROP;
	if (data[9] != 6 && data[9] != 17)
		return KBPF_NF_ACCEPT;
	l4 = data + hlen;
	if (l4 + 4 > data_end)
		return KBPF_NF_ACCEPT;
	if (l4[2] == 0 && l4[3] == 23)
		return KBPF_NF_DROP;
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
