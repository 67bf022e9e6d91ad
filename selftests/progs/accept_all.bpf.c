// SPDX-License-Identifier: GPL-2.0
/* The smallest netfilter program: accept every packet. */
#include <linux/types.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

SEC("kbpf/ipv4/local_in")
int accept_all(struct kbpf_nf_ctx *ctx)
{
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
