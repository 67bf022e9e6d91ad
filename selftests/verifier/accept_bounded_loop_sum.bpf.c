// SPDX-License-Identifier: GPL-2.0
/* EXPECT: accept
 * WORST: 82
 *
 * A bounded loop: the IPv4 header checksum summed over 10 16-bit words,
 * the packet checked once for 20 bytes; bad checksums are dropped.  Its
 * worst case by hand from clang 14's code: blocks [0-5] 6, [6-7] 2, the
 * loop body [8-13] 6 ten times, [14-26] 12 (the ld_imm64 counts once),
 * [27] 1, [28] 1: 6 + 2 + 60 + 12 + 1 + 1 = 82.
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
