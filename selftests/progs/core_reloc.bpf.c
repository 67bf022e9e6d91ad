// SPDX-License-Identifier: GPL-2.0
/*
 * A CO-RE field read (preserve_access_index): kbpf has no kernel BTF to
 * relocate against, so the loader refuses it instead of ignoring it.
 */
#include <linux/types.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct nf_ctx_view {
	__u32 mark;
} __attribute__((preserve_access_index));

SEC("kbpf/ipv4/local_in")
int uses_core(struct kbpf_nf_ctx *ctx)
{
	struct nf_ctx_view *v = (void *)ctx;

	return v->mark == 1 ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
