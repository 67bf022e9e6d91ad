// SPDX-License-Identifier: GPL-2.0
/* EXPECT: reject "map_value_or_null"
 *
 * Uses a lookup result without checking it for NULL.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("kbpf/ipv4/local_in")
int missing_null_check(struct kbpf_nf_ctx *ctx)
{
	__u32 mark = ctx->mark;
	__u64 *v = bpf_map_lookup_elem(&counts, &mark);

	__sync_fetch_and_add(v, 1);
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
