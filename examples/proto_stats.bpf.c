// SPDX-License-Identifier: GPL-2.0
/*
 * Packets and bytes per IP protocol, counted per CPU: each CPU adds to its
 * own copy of the value without atomics, and `kbpfctl map dump` shows every
 * CPU's count (sum them for the total):
 *
 *	kbpfctl load build/examples/proto_stats.bpf.o
 *	kbpfctl map lookup proto_stats key 1 0 0 0
 *	key: 1
 *	  value (CPU 00): {"packets":4,"bytes":336}
 *	  value (CPU 01): {"packets":0,"bytes":0}
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct proto_count {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct proto_count);
} proto_stats SEC(".maps");

SEC("kbpf/ipv4/local_in")
int proto_stats_in(struct kbpf_nf_ctx *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;
	struct proto_count *c;
	__u32 proto;

	if (data + 20 > data_end)
		return KBPF_NF_ACCEPT;
	proto = data[9];
	c = bpf_map_lookup_elem(&proto_stats, &proto);
	if (c) {
		c->packets++;
		c->bytes += ctx->len;
	}
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
