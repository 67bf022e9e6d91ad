// SPDX-License-Identifier: GPL-2.0
/*
 * One half of a map shared between two objects: this one counts packets in
 * "shared_cnt"; shared_map_b.bpf.c reads the same map when loaded with
 * "map shared_cnt=shared_cnt".
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
} shared_cnt SEC(".maps");

SEC("kbpf/ipv4/local_in")
int count_in(struct kbpf_nf_ctx *ctx)
{
	__u32 key = 0;
	__u64 *n = bpf_map_lookup_elem(&shared_cnt, &key);

	if (n)
		__sync_fetch_and_add(n, 1);
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
