// SPDX-License-Identifier: GPL-2.0
/* EXPECT: reject "leaks addr into map"
 *
 * Stores the packet address into a map value userspace can read.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} leak SEC(".maps");

SEC("kbpf/ipv4/local_in")
int pointer_leak_map(struct kbpf_nf_ctx *ctx)
{
	__u32 zero = 0;
	__u64 *v = bpf_map_lookup_elem(&leak, &zero);

	if (v)
		*v = ctx->data;
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
