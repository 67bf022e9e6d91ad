// SPDX-License-Identifier: GPL-2.0
/*
 * A per-protocol rate limiter built from tail calls: the classifier attached
 * to ipv4/local_in jumps to the limiter of the packet's protocol through a
 * prog_array, filled statically as libbpf allows; a protocol without a
 * limiter falls through and is accepted.  Each limiter is a token bucket
 * (BURST packets, refilled at RATE a second); the counts show what passed
 * and what was dropped:
 *
 *	kbpfctl load build/examples/rate_limit.bpf.o
 *	kbpfctl map dump rl_stats
 *	key: 1  value: {"passed":5,"dropped":15}
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

#define RATE		2		/* packets a second, per protocol */
#define BURST		5
#define NSEC_PER_SEC	1000000000ULL

enum rl_slot {
	RL_ICMP,
	RL_UDP,
	RL_SLOTS,
};

struct bucket {
	__u64 tokens;
	__u64 last_ns;
};

struct rl_count {
	__u64 passed;
	__u64 dropped;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, RL_SLOTS);
	__type(key, __u32);
	__type(value, struct bucket);
} rl_buckets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);		/* IP protocol */
	__type(value, struct rl_count);
} rl_stats SEC(".maps");

static int count(__u32 proto, int passed)
{
	struct rl_count fresh = { 0 }, *c;

	c = bpf_map_lookup_elem(&rl_stats, &proto);
	if (!c) {
		bpf_map_update_elem(&rl_stats, &proto, &fresh, BPF_NOEXIST);
		c = bpf_map_lookup_elem(&rl_stats, &proto);
		if (!c)
			return passed ? KBPF_NF_ACCEPT : KBPF_NF_DROP;
	}
	if (passed)
		__sync_fetch_and_add(&c->passed, 1);
	else
		__sync_fetch_and_add(&c->dropped, 1);
	return passed ? KBPF_NF_ACCEPT : KBPF_NF_DROP;
}

/* Take a token from the bucket of slot, refilling it first. */
static int take_token(__u32 slot)
{
	struct bucket *b = bpf_map_lookup_elem(&rl_buckets, &slot);
	__u64 now = bpf_ktime_get_ns(), refill;

	if (!b)
		return 1;
	if (!b->last_ns) {
		b->tokens = BURST;
		b->last_ns = now;
	}
	refill = (now - b->last_ns) * RATE / NSEC_PER_SEC;
	if (refill) {
		b->tokens = b->tokens + refill > BURST ? BURST : b->tokens + refill;
		b->last_ns = now;
	}
	if (!b->tokens)
		return 0;
	b->tokens--;
	return 1;
}

SEC("kbpf")
int rl_icmp(struct kbpf_nf_ctx *ctx)
{
	return count(1, take_token(RL_ICMP));
}

SEC("kbpf")
int rl_udp(struct kbpf_nf_ctx *ctx)
{
	return count(17, take_token(RL_UDP));
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, RL_SLOTS);
	__type(key, __u32);
	__array(values, int (void *));
} rl_jump SEC(".maps") = {
	.values = {
		[RL_ICMP] = (void *)&rl_icmp,
		[RL_UDP] = (void *)&rl_udp,
	},
};

SEC("kbpf/ipv4/local_in")
int rate_limit(struct kbpf_nf_ctx *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;

	if (data + 20 > data_end)
		return KBPF_NF_ACCEPT;
	if (data[9] == 1)
		bpf_tail_call(ctx, &rl_jump, RL_ICMP);
	else if (data[9] == 17)
		bpf_tail_call(ctx, &rl_jump, RL_UDP);
	/* No limiter for this protocol (or an empty slot): accept. */
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
