// SPDX-License-Identifier: GPL-2.0
/*
 * A bounded loop of 100 iterations: its worst case is counted from the
 * trip count the verifier proved, so under the deadline policy a budget
 * below it is refused at attach and a budget equal to it never overruns
 * (selftests/e2e/sched.sh).
 */
#include <linux/types.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

SEC("kbpf/ipv4/local_in")
int sched_loop(struct kbpf_nf_ctx *ctx)
{
	__u64 acc = ctx->len;
	int i;

#pragma clang loop unroll(disable)
	for (i = 0; i < 100; i++)
		acc = acc * 31 + i;
	return acc == 1 ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
