/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The netfilter program context, built the same way for the hook and for
 * test runs, and what happens to the packet after the program ran.
 */
#ifndef KBPF_NF_CTX_H
#define KBPF_NF_CTX_H

#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/if_ether.h>

#include "core/kbpf_core.h"

/* Packet operations on an skb (nf_ctx.c). */
extern const struct kbpf_nf_pkt_ops kbpf_nf_skb_ops;

/* Answer skb as netfilter's REJECT target does. */
void kbpf_nf_reject(struct sk_buff *skb, const struct nf_hook_state *state);

/*
 * Inline below: the hook builds and finishes a context per packet, and a
 * call costs there (most under emulation, docs/architecture.md).
 */

/* data, data_end and len from the skb as it is now. */
static inline void kbpf_nf_ctx_refresh(struct kbpf_nf_ctx_kern *c)
{
	struct sk_buff *skb = c->skb;
	const u8 *data = skb_network_header(skb);
	const u8 *end = skb->data + skb_headlen(skb);

	/* A program may read [data, data_end): never let that run backwards. */
	if (end < data)
		end = data;
	c->ctx.data = (u64)(uintptr_t)data;
	c->ctx.data_end = (u64)(uintptr_t)end;
	c->ctx.len = skb->len;
}

/* What an ingress frame claims to carry; anything but IP is "netdev". */
static inline u32 kbpf_nf_frame_family(const struct sk_buff *skb)
{
	switch (skb->protocol) {
	case htons(ETH_P_IP):
		return KBPF_NF_FAMILY_IPV4;
	case htons(ETH_P_IPV6):
		return KBPF_NF_FAMILY_IPV6;
	default:
		return KBPF_NF_FAMILY_NETDEV;
	}
}

/*
 * Fill c for skb at (family, hook), uapi numbers, with the given device
 * index.  At netdev/ingress the family is the frame's (skb->protocol).
 */
static inline void kbpf_nf_ctx_build(struct kbpf_nf_ctx_kern *c,
				     struct sk_buff *skb, u32 family, u32 hook,
				     u32 ifindex)
{
	/*
	 * Every field is set, so no memset on the packet path; a new field
	 * of struct kbpf_nf_ctx must be set here too.
	 */
	BUILD_BUG_ON(sizeof(c->ctx) != offsetofend(struct kbpf_nf_ctx, mark));
	c->skb = skb;
	c->pkt_ops = &kbpf_nf_skb_ops;
	kbpf_nf_ctx_refresh(c);
	if (hook == KBPF_NF_HOOK_INGRESS)
		family = kbpf_nf_frame_family(skb);
	c->ctx.family = family;
	c->ctx.hook = hook;
	c->ctx.ifindex = ifindex;
	c->ctx.protocol = (__force u32)skb->protocol;
	c->ctx.mark = skb->mark;
}

/*
 * Apply what the program decided: a changed ctx->mark goes into skb->mark,
 * KBPF_NF_REJECT answers the packet (state may be NULL in a test run: no
 * answer).  Returns the netfilter verdict.
 */
static inline unsigned int kbpf_nf_ctx_finish(struct kbpf_nf_ctx_kern *c,
					      u64 r0,
					      const struct nf_hook_state *state)
{
	struct sk_buff *skb = c->skb;

	skb->mark = c->ctx.mark;
	if (unlikely(r0 == KBPF_NF_REJECT)) {
		if (state)
			kbpf_nf_reject(skb, state);
		return NF_DROP;
	}
	/* The verifier bounds r0; anything else still must not drop. */
	return r0 == KBPF_NF_DROP ? NF_DROP : NF_ACCEPT;
}

int kbpf_nf_reject_init(void);
void kbpf_nf_reject_exit(void);

#endif /* KBPF_NF_CTX_H */
