// SPDX-License-Identifier: GPL-2.0
/*
 * A hash map keyed by skb mark, and two maps in one program: exercises map
 * creation and relocation of more than one map reference.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} by_mark SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} total SEC(".maps");

SEC("kbpf/ipv4/pre_routing")
int hash_by_mark(struct kbpf_nf_ctx *ctx)
{
	__u32 mark = ctx->mark, zero = 0;
	__u64 one = 1, *val;

	val = bpf_map_lookup_elem(&by_mark, &mark);
	if (val)
		__sync_fetch_and_add(val, 1);
	else
		bpf_map_update_elem(&by_mark, &mark, &one, BPF_NOEXIST);

	val = bpf_map_lookup_elem(&total, &zero);
	if (val)
		__sync_fetch_and_add(val, 1);
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
