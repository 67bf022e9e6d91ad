// SPDX-License-Identifier: GPL-2.0
/*
 * A CIDR blocklist: drop IPv4 packets whose source matches a prefix marked 1
 * in an LPM trie, accept those whose longest matching prefix is marked 0.
 * The longest prefix wins, so exceptions nest:
 *
 *	kbpfctl load build/examples/cidr_block.bpf.o
 *	# key: prefix length (u32, little endian), then the address bytes
 *	kbpfctl map update cidr_rules key 16 0 0 0 10 200 0 0 value 1 0 0 0   # block 10.200.0.0/16
 *	kbpfctl map update cidr_rules key 24 0 0 0 10 200 0 0 value 0 0 0 0   # but allow 10.200.0.0/24
 *	kbpfctl map update cidr_rules key 32 0 0 0 10 200 0 9 value 1 0 0 0   # except 10.200.0.9
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

#define CIDR_BLOCK	1

struct ipv4_lpm_key {
	__u32 prefixlen;
	__u32 addr;		/* network byte order */
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct ipv4_lpm_key);
	__type(value, __u32);		/* CIDR_BLOCK, or 0 to allow */
} cidr_rules SEC(".maps");

SEC("kbpf/ipv4/pre_routing")
int cidr_block(struct kbpf_nf_ctx *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;
	struct ipv4_lpm_key key = { .prefixlen = 32 };
	__u32 *rule;

	if (data + 20 > data_end)
		return KBPF_NF_ACCEPT;
	__builtin_memcpy(&key.addr, data + 12, sizeof(key.addr));
	rule = bpf_map_lookup_elem(&cidr_rules, &key);
	return rule && *rule == CIDR_BLOCK ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
