// SPDX-License-Identifier: GPL-2.0
/*
 * The other half of shared_map_a.bpf.c: the same map definition, so that
 * "kbpfctl load shared_map_b.bpf.o map shared_cnt=shared_cnt" reuses the
 * map A created.  The program drops once A has counted 1000 packets.  A map
 * of another shape (shared_map_bad.bpf.c) is refused.
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

SEC("kbpf/ipv4/local_out")
int limit_out(struct kbpf_nf_ctx *ctx)
{
	__u32 key = 0;
	__u64 *n = bpf_map_lookup_elem(&shared_cnt, &key);

	return n && *n >= 1000 ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
