// SPDX-License-Identifier: GPL-2.0
/*
 * A bounded loop of 1000 iterations: the verifier accepts it, the
 * worst-case count calls it unbounded (a loop), and a small budget stops
 * it under the deadline policy (selftests/e2e/sched.sh).
 */
#include <linux/types.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

SEC("kbpf/ipv4/local_in")
int sched_spin(struct kbpf_nf_ctx *ctx)
{
	__u64 acc = ctx->len;
	int i;

#pragma clang loop unroll(disable)
	for (i = 0; i < 1000; i++)
		acc = acc * 31 + i;
	return acc == 1 ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
