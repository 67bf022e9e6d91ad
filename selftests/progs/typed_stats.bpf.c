// SPDX-License-Identifier: GPL-2.0
/*
 * Per-flow statistics with struct keys and values, so that `kbpfctl map
 * dump` has BTF to print them typed: integers, an enum by name, a char
 * array as a string.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

enum flow_kind {
	FLOW_OTHER,
	FLOW_ICMP,
	FLOW_TCP,
	FLOW_UDP,
};

struct flow_key {
	__u32 saddr;		/* network byte order */
	__u32 daddr;
	__u8 proto;
	__u8 pad[3];
};

struct flow_stats {
	__u64 packets;
	__u64 bytes;
	enum flow_kind kind;
	char tag[8];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
} flow_stats SEC(".maps");

static enum flow_kind kind_of(__u8 proto)
{
	switch (proto) {
	case 1:
		return FLOW_ICMP;
	case 6:
		return FLOW_TCP;
	case 17:
		return FLOW_UDP;
	}
	return FLOW_OTHER;
}

SEC("kbpf/ipv4/local_in")
int typed_stats(struct kbpf_nf_ctx *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;
	struct flow_stats fresh = { 0 }, *st;
	struct flow_key key = { 0 };

	if (data + 20 > data_end)
		return KBPF_NF_ACCEPT;
	key.proto = data[9];
	__builtin_memcpy(&key.saddr, data + 12, 4);
	__builtin_memcpy(&key.daddr, data + 16, 4);

	st = bpf_map_lookup_elem(&flow_stats, &key);
	if (st) {
		__sync_fetch_and_add(&st->packets, 1);
		__sync_fetch_and_add(&st->bytes, ctx->len);
		return KBPF_NF_ACCEPT;
	}
	fresh.packets = 1;
	fresh.bytes = ctx->len;
	fresh.kind = kind_of(key.proto);
	__builtin_memcpy(fresh.tag, "first", 6);
	bpf_map_update_elem(&flow_stats, &key, &fresh, BPF_NOEXIST);
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
