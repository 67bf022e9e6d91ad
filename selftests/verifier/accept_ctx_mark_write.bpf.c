// SPDX-License-Identifier: GPL-2.0
/* EXPECT: accept
 *
 * ctx->mark is writable: the hook stores it back into skb->mark.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

SEC("kbpf/ipv4/local_in")
int mark_write(struct kbpf_nf_ctx *ctx)
{
	ctx->mark = ctx->mark | 0x100;
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
