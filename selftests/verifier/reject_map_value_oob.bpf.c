// SPDX-License-Identifier: GPL-2.0
/* EXPECT: reject "invalid access to map value"
 *
 * Indexes a 16-bucket array in a map value with an unmasked length.
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
} len_hist SEC(".maps");

SEC("kbpf/ipv4/local_in")
int map_value_oob(struct kbpf_nf_ctx *ctx)
{
	__u32 zero = 0, idx = ctx->len >> 7;
	struct hist *h = bpf_map_lookup_elem(&len_hist, &zero);

	if (h && idx < 32)
		__sync_fetch_and_add(&h->bucket[idx], 1);
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
