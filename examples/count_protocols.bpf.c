// SPDX-License-Identifier: GPL-2.0
/*
 * Count IPv4 packets arriving at this host per IP protocol number and accept
 * them all.  The map is defined exactly as for libbpf, so the same object
 * would load into the kernel's own BPF:
 *
 *	kbpfctl load build/examples/count_protocols.bpf.o
 *	kbpfctl map dump name proto_count
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} proto_count SEC(".maps");

SEC("kbpf/ipv4/local_in")
int count_protocols(struct kbpf_nf_ctx *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;
	__u64 *count;
	__u32 proto;

	/* Byte 9 of the IPv4 header is the protocol. */
	if (data + 10 > data_end)
		return KBPF_NF_ACCEPT;
	proto = data[9];

	count = bpf_map_lookup_elem(&proto_count, &proto);
	if (count)
		__sync_fetch_and_add(count, 1);
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
