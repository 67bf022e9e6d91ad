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

/* The device a hook's packet came in by; output hooks: the one it leaves by. */
static inline u32 kbpf_nf_ifindex(const struct nf_hook_state *state)
{
	const struct net_device *dev = state->in;

	if (state->pf != NFPROTO_NETDEV &&
	    (state->hook == NF_INET_LOCAL_OUT ||
	     state->hook == NF_INET_POST_ROUTING))
		dev = state->out;
	return dev ? dev->ifindex : 0;
}

#define KBPF_NF_CTX_BIT(f)	(1u << KBPF_NF_CTX_##f)

/*
 * Fill the fields of c that fields names (enum kbpf_nf_ctx_field bits)
 * for skb at (family, hook), uapi numbers; the device index from state,
 * or ifindex without one.  At netdev/ingress the family is the frame's
 * (skb->protocol).  The others are left as they are: the hook passes the
 * fields its chain's programs may reach (kbpf_prog.ctx_fields), which the
 * verifier let them reach and no others, so an unset field is never read.
 */
static __always_inline void
kbpf_nf_ctx_set(struct kbpf_nf_ctx_kern *c, struct sk_buff *skb, u32 family,
		u32 hook, const struct nf_hook_state *state, u32 ifindex,
		u32 fields)
{
	/* A new field of struct kbpf_nf_ctx must be set here too. */
	BUILD_BUG_ON(sizeof(c->ctx) != offsetofend(struct kbpf_nf_ctx, mark));
	BUILD_BUG_ON(KBPF_NF_CTX_FIELD_CNT != 8);
	/* Helpers given the context (fields then has every bit) use these. */
	if (fields) {
		c->skb = skb;
		c->pkt_ops = &kbpf_nf_skb_ops;
	}
	if (fields & KBPF_NF_CTX_PKT)
		kbpf_nf_ctx_refresh(c);
	if (fields & KBPF_NF_CTX_BIT(FAMILY)) {
		if (hook == KBPF_NF_HOOK_INGRESS)
			family = kbpf_nf_frame_family(skb);
		c->ctx.family = family;
	}
	if (fields & KBPF_NF_CTX_BIT(HOOK))
		c->ctx.hook = hook;
	if (fields & KBPF_NF_CTX_BIT(IFINDEX))
		c->ctx.ifindex = state ? kbpf_nf_ifindex(state) : ifindex;
	if (fields & KBPF_NF_CTX_BIT(PROTOCOL))
		c->ctx.protocol = (__force u32)skb->protocol;
	if (fields & KBPF_NF_CTX_BIT(MARK))
		c->ctx.mark = skb->mark;
}

/* Every field of c for skb at (family, hook) with the given device index. */
static inline void kbpf_nf_ctx_build(struct kbpf_nf_ctx_kern *c,
				     struct sk_buff *skb, u32 family, u32 hook,
				     u32 ifindex)
{
	kbpf_nf_ctx_set(c, skb, family, hook, NULL, ifindex, KBPF_NF_CTX_ALL);
}

/* The hook's context: the fields its chain may reach, ifindex from state. */
static __always_inline void
kbpf_nf_ctx_build_fields(struct kbpf_nf_ctx_kern *c, struct sk_buff *skb,
			 u32 family, u32 hook,
			 const struct nf_hook_state *state, u32 fields)
{
	kbpf_nf_ctx_set(c, skb, family, hook, state, 0, fields);
}

/*
 * Apply what the program decided: a changed ctx->mark goes into skb->mark
 * (when fields has mark: only a program reaching it can change it),
 * KBPF_NF_REJECT answers the packet (state may be NULL in a test run: no
 * answer).  Returns the netfilter verdict.
 */
static __always_inline unsigned int
kbpf_nf_ctx_finish_fields(struct kbpf_nf_ctx_kern *c, struct sk_buff *skb,
			  u64 r0, const struct nf_hook_state *state,
			  u32 fields)
{
	if (fields & KBPF_NF_CTX_BIT(MARK))
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
