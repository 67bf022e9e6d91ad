// SPDX-License-Identifier: GPL-2.0
/* EXPECT: reject "cannot write into packet"
 *
 * Rewrites the TTL: the netfilter hook's packet is read-only for kbpf.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

SEC("kbpf/ipv4/forward")
int packet_write(struct kbpf_nf_ctx *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;

	if (data + 20 > data_end)
		return KBPF_NF_ACCEPT;
	data[8] = 64;
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
