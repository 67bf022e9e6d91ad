// SPDX-License-Identifier: GPL-2.0
/* EXPECT: accept
 *
 * A bounded loop: the IPv4 header checksum summed over 10 16-bit words,
 * the packet checked once for 20 bytes; bad checksums are dropped.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

SEC("kbpf/ipv4/local_in")
int bounded_loop_sum(struct kbpf_nf_ctx *ctx)
{
	__u16 *w = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 sum = 0;
	int i;

	if ((void *)(w + 10) > data_end)
		return KBPF_NF_ACCEPT;
#pragma clang loop unroll(disable)
	for (i = 0; i < 10; i++)
		sum += w[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff ? KBPF_NF_ACCEPT : KBPF_NF_DROP;
}

char LICENSE[] SEC("license") = "GPL";
