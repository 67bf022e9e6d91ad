// SPDX-License-Identifier: GPL-2.0
/* EXPECT: accept
 *
 * Builds a key and a value struct on the stack and stores them.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct flow {
	__u32 mark;
	__u32 ifindex;
};

struct seen {
	__u64 len;
	__u32 hook;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, struct flow);
	__type(value, struct seen);
} flows SEC(".maps");

SEC("kbpf/ipv4/local_in")
int update_from_stack(struct kbpf_nf_ctx *ctx)
{
	struct flow key = { .mark = ctx->mark, .ifindex = ctx->ifindex };
	struct seen val = { .len = ctx->len, .hook = ctx->hook };

	bpf_map_update_elem(&flows, &key, &val, BPF_ANY);
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
