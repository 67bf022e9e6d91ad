// SPDX-License-Identifier: GPL-2.0
/* EXPECT: reject "cannot write into ctx"
 *
 * Only mark is writable in the netfilter context; len is the packet's.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

SEC("kbpf/ipv4/local_in")
int ctx_write(struct kbpf_nf_ctx *ctx)
{
	ctx->len = 7;
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
