// SPDX-License-Identifier: GPL-2.0
/* EXPECT: reject "invalid read from stack"
 *
 * Passes a key the program never wrote to a map lookup.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u64);
	__type(value, __u64);
} m SEC(".maps");

SEC("kbpf/ipv4/local_in")
int uninit_key(struct kbpf_nf_ctx *ctx)
{
	__u64 key;

	asm volatile("" : "=m"(key));	/* clang: key is "written" */
	return bpf_map_lookup_elem(&m, &key) ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
