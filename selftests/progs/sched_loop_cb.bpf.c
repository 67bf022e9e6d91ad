// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_loop over a callback with a bounded loop of its own: the worst case
 * counts the loop's proven trip count in every iteration (it was unbounded
 * before), so under the deadline policy a budget below it is refused at
 * attach and a budget equal to it never overruns (selftests/e2e/sched.sh).
 * Every packet takes the longest path: 8 runs of 10 rounds.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct acc {
	__u64 sum;
};

static int mix_rounds(__u32 i, void *data)
{
	struct acc *a = data;
	__u64 k;

#pragma clang loop unroll(disable)
	for (k = 0; k < 10; k++)
		a->sum = a->sum * 31 + i + k;
	return 0;
}

SEC("kbpf/ipv4/local_in")
int sched_loop_cb(struct kbpf_nf_ctx *ctx)
{
	struct acc a = { .sum = ctx->len };

	bpf_loop(8, mix_rounds, &a, 0);
	return a.sum == 1 ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
