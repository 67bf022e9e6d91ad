// SPDX-License-Identifier: GPL-2.0
/*
 * Tail calls and bpf_loop on a live hook: the attached program tail calls
 * slot 0 of a prog_array, whose program sums 1..4 with bpf_loop and counts
 * in "hits"; "fallthrough" counts runs where the tail call failed.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");	/* 0: hits, 1: fallthrough, 2: loop sum */

static __u64 *count(__u32 i)
{
	return bpf_map_lookup_elem(&counts, &i);
}

struct loop_ctx {
	__u64 sum;
};

static int add_index(__u32 i, void *data)
{
	struct loop_ctx *lc = data;

	lc->sum += i + 1;
	return 0;
}

SEC("kbpf")
int tail_target(struct kbpf_nf_ctx *ctx)
{
	struct loop_ctx lc = { .sum = 0 };
	__u64 *c = count(0), *sum = count(2);

	bpf_loop(4, add_index, &lc, 0);
	if (c)
		__sync_fetch_and_add(c, 1);
	if (sum)
		*sum = lc.sum;
	return KBPF_NF_ACCEPT;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
	__array(values, int (void *));
} jmp SEC(".maps") = {
	.values = { [0] = (void *)&tail_target },
};

SEC("kbpf/ipv4/local_in")
int tail_entry(struct kbpf_nf_ctx *ctx)
{
	__u64 *c;

	bpf_tail_call(ctx, &jmp, 0);
	c = count(1);
	if (c)
		__sync_fetch_and_add(c, 1);
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
