// SPDX-License-Identifier: GPL-2.0
/*
 * A map defined the pre-BTF way, struct bpf_map_def in SEC("maps"), which
 * libbpf 1.x no longer reads: kbpfctl does.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bpf_map_def SEC("maps") legacy_cnt = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 4,
};

struct bpf_map_def SEC("maps") legacy_hash = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = 16,
};

SEC("kbpf/ipv4/local_in")
int legacy_count(struct kbpf_nf_ctx *ctx)
{
	__u32 key = ctx->hook & 3, mark = ctx->mark;
	__u64 *n = bpf_map_lookup_elem(&legacy_cnt, &key);

	if (n)
		__sync_fetch_and_add(n, 1);
	bpf_map_update_elem(&legacy_hash, &mark, &key, BPF_ANY);
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
