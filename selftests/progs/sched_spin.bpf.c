// SPDX-License-Identifier: GPL-2.0
/*
 * A loop of 1000 iterations behind a tail call: the verifier accepts it,
 * the worst-case count is unbounded (whatever program the prog_array holds
 * at run time would run instead; the slot stays empty here), so admission
 * takes it on its budget, and a small budget stops it under the deadline
 * policy (selftests/e2e/sched.sh).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} spin_next SEC(".maps");

SEC("kbpf/ipv4/local_in")
int sched_spin(struct kbpf_nf_ctx *ctx)
{
	__u64 acc = ctx->len;
	int i;

	bpf_tail_call(ctx, &spin_next, 0);
#pragma clang loop unroll(disable)
	for (i = 0; i < 1000; i++)
		acc = acc * 31 + i;
	return acc == 1 ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
