// SPDX-License-Identifier: GPL-2.0
/* EXPECT: reject "too complex"
 *
 * Loops as many times as the mark says: up to 2^32 iterations, which
 * cannot be proven to end within the complexity budget.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

SEC("kbpf/ipv4/local_in")
int unbounded_loop(struct kbpf_nf_ctx *ctx)
{
	__u32 n = ctx->mark, i, x = ctx->len;

#pragma clang loop unroll(disable)
	for (i = 0; i < n; i++)
		x = x * 33 + i;
	return x & 1;
}

char LICENSE[] SEC("license") = "GPL";
