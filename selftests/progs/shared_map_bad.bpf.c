// SPDX-License-Identifier: GPL-2.0
/* "shared_cnt" with a 4-byte value: reusing shared_map_a's map is refused. */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} shared_cnt SEC(".maps");

SEC("kbpf/ipv4/local_out")
int bad_shape(struct kbpf_nf_ctx *ctx)
{
	__u32 key = 0;
	__u32 *n = bpf_map_lookup_elem(&shared_cnt, &key);

	return n && *n ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
