// SPDX-License-Identifier: GPL-2.0
/* EXPECT: accept
 *
 * bpf-to-bpf calls three deep, passing scalars down and a verdict back.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) __u32 mix(__u32 a, __u32 b)
{
	return (a ^ b) * 2654435761u;
}

static __attribute__((noinline)) __u32 score(__u32 mark, __u32 len)
{
	return mix(mark, len) >> 28;
}

static __attribute__((noinline)) int decide(__u32 mark, __u32 len)
{
	return score(mark, len) > 12 ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

SEC("kbpf/ipv4/local_in")
int nested_subprogs(struct kbpf_nf_ctx *ctx)
{
	return decide(ctx->mark, ctx->len);
}

char LICENSE[] SEC("license") = "GPL";
