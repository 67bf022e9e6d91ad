// SPDX-License-Identifier: GPL-2.0
/* EXPECT: accept
 *
 * Every plain context field is readable.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

SEC("kbpf/ipv4/forward")
int ctx_fields(struct kbpf_nf_ctx *ctx)
{
	__u32 x = ctx->len ^ ctx->family ^ ctx->hook ^ ctx->ifindex ^
		  ctx->protocol ^ ctx->mark;

	return x & 1;
}

char LICENSE[] SEC("license") = "GPL";
