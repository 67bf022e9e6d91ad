// SPDX-License-Identifier: GPL-2.0
/*
 * One program for every hook point (selftests/e2e/hooks.sh): attached to
 * the five ipv4 and five ipv6 hooks and to netdev/ingress, it counts what
 * it sees in seen[slot], slot = hook * 3 + what the context says the packet
 * is (0: ipv4, 1: ipv6, 2: neither, e.g. ARP at netdev/ingress).  IP
 * packets count only when they are ICMP/ICMPv6 echo requests, read at
 * ctx->data, so a count also proves that data is the network header.  It
 * drops those requests at slot drop_slot[0] - 1 (none while it is 0), and
 * keeps the last
 * ctx->ifindex and ctx->protocol of each slot.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

#define SLOTS (__KBPF_NF_HOOK_MAX * 3)

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} drop_slot SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} last_ifindex SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} last_protocol SEC(".maps");

/* IPv4 without options, as ping sends it: ICMP echo request. */
static __always_inline int echo_request4(const __u8 *data, const __u8 *end)
{
	if (data + 21 > end)
		return 0;
	return data[0] == 0x45 && data[9] == 1 && data[20] == 8;
}

/* IPv6 without extension headers: ICMPv6 echo request. */
static __always_inline int echo_request6(const __u8 *data, const __u8 *end)
{
	if (data + 41 > end)
		return 0;
	return (data[0] >> 4) == 6 && data[6] == 58 && data[40] == 128;
}

static __always_inline void put_u32(void *map, __u32 slot, __u32 v)
{
	__u32 *p = bpf_map_lookup_elem(map, &slot);

	if (p)
		*p = v;
}

/* A section names no device: kbpfctl load loads it, unattached. */
SEC("kbpf/netdev/ingress")
int hook_probe(struct kbpf_nf_ctx *ctx)
{
	const __u8 *data = (void *)(long)ctx->data;
	const __u8 *end = (void *)(long)ctx->data_end;
	__u32 kind, slot, zero = 0, *drop;
	__u64 *n;

	if (ctx->family == KBPF_NF_FAMILY_IPV4) {
		if (!echo_request4(data, end))
			return KBPF_NF_ACCEPT;
		kind = 0;
	} else if (ctx->family == KBPF_NF_FAMILY_IPV6) {
		if (!echo_request6(data, end))
			return KBPF_NF_ACCEPT;
		kind = 1;
	} else {
		kind = 2;
	}
	if (ctx->hook >= __KBPF_NF_HOOK_MAX)
		return KBPF_NF_ACCEPT;
	slot = ctx->hook * 3 + kind;
	n = bpf_map_lookup_elem(&seen, &slot);
	if (n)
		__sync_fetch_and_add(n, 1);
	put_u32(&last_ifindex, slot, ctx->ifindex);
	put_u32(&last_protocol, slot, ctx->protocol);
	drop = bpf_map_lookup_elem(&drop_slot, &zero);
	return drop && *drop == slot + 1 ? KBPF_NF_DROP : KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
