// SPDX-License-Identifier: GPL-2.0
/* EXPECT: accept
 *
 * A map-based counter: per-protocol packet and byte counts in an array
 * of structs, bumped atomically after the null check.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct counts {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct counts);
} proto_counts SEC(".maps");

SEC("kbpf/ipv4/local_in")
int array_counter(struct kbpf_nf_ctx *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;
	struct counts *c;
	__u32 proto;

	if (data + 20 > data_end)
		return KBPF_NF_ACCEPT;
	proto = data[9];
	c = bpf_map_lookup_elem(&proto_counts, &proto);
	if (!c)
		return KBPF_NF_ACCEPT;
	__sync_fetch_and_add(&c->packets, 1);
	__sync_fetch_and_add(&c->bytes, ctx->len);
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
