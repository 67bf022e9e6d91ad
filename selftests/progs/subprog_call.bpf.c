// SPDX-License-Identifier: GPL-2.0
/* A bpf-to-bpf call: the loader must append the callee from .text. */
#include <linux/types.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) int verdict_for(__u32 mark)
{
	return mark == 0xdead ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

SEC("kbpf/ipv4/local_in")
int subprog_call(struct kbpf_nf_ctx *ctx)
{
	return verdict_for(ctx->mark);
}

char LICENSE[] SEC("license") = "GPL";
