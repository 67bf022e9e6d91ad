// SPDX-License-Identifier: GPL-2.0
/*
 * Packets per IPv4 source address in an LRU hash of 8 entries: when a ninth
 * source shows up, the source seen least recently is evicted to make room,
 * so the map always holds the most active recent talkers and never fills.
 *
 *	kbpfctl load build/examples/src_counter.bpf.o
 *	kbpfctl map dump src_counts
 *	key: 16777343  value: 6         (127.0.0.1, network byte order)
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);		/* source address, network byte order */
	__type(value, __u64);		/* packets */
} src_counts SEC(".maps");

SEC("kbpf/ipv4/local_in")
int src_counter(struct kbpf_nf_ctx *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;
	__u64 one = 1, *n;
	__u32 saddr;

	if (data + 20 > data_end)
		return KBPF_NF_ACCEPT;
	__builtin_memcpy(&saddr, data + 12, sizeof(saddr));
	n = bpf_map_lookup_elem(&src_counts, &saddr);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&src_counts, &saddr, &one, BPF_NOEXIST);
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
