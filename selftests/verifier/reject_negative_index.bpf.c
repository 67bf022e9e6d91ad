// SPDX-License-Identifier: GPL-2.0
/* EXPECT: reject "register with unbounded value"
 *
 * Indexes a map value with a signed number that is only checked from above: the offset may be hugely negative.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct hist {
	__u64 bucket[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hist);
} h SEC(".maps");

SEC("kbpf/ipv4/local_in")
int negative_index(struct kbpf_nf_ctx *ctx)
{
	__u32 zero = 0;
	int idx = (int)ctx->mark;
	struct hist *v = bpf_map_lookup_elem(&h, &zero);

	if (v && idx < 16)
		__sync_fetch_and_add(&v->bucket[idx], 1);
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
