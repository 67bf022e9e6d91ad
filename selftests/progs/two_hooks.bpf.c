// SPDX-License-Identifier: GPL-2.0
/*
 * Two programs in one object, for `section` selection and for `kbpfctl load`
 * attaching each program where its section says (with a priority).
 */
#include <linux/types.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

SEC("kbpf/ipv4/local_in")
int accept_in(struct kbpf_nf_ctx *ctx)
{
	return KBPF_NF_ACCEPT;
}

SEC("kbpf/ipv4/local_out/-5")
int accept_out(struct kbpf_nf_ctx *ctx)
{
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
