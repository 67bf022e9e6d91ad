// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter context and the packet behind it.
 *
 * kbpf_nf_ctx_build() is the one context builder: the hook calls it on the
 * packet it got, the test run on an skb it made from the caller's bytes.
 * The program sees struct kbpf_nf_ctx; the skb pointer and the packet
 * operations sit after it in struct kbpf_nf_ctx_kern, out of the
 * program's reach (the verifier's ctx_size).
 *
 * Packet operations (the core's struct kbpf_nf_pkt_ops) address bytes from
 * the network header, as ctx->data does.  Reads use skb_copy_bits(), so
 * they reach paged data too.  Writes first make the bytes writable and
 * linear (skb_ensure_writable(), which may move the data: ctx->data and
 * data_end are rebuilt, and the verifier has forgotten every packet
 * pointer), then adjust checksums as Linux's helpers do.
 *
 * At netdev/ingress the frame has not been through IP: the network header
 * is where the link layer left it (reset by the receive path to the first
 * byte after the Ethernet header and any VLAN tag), nothing checked its
 * length, and it need not be IP at all.  The context says what the frame
 * claims to be (family from skb->protocol) and bounds data_end by the
 * linear part as everywhere; it pulls nothing, so the packet path still
 * allocates nothing, and bytes beyond the linear part are read with
 * bpf_skb_load_bytes().  Taps (tcpdump) have been given the frame before
 * the hook and let go of it, so writes may unshare it as at IP hooks.
 *
 * KBPF_NF_REJECT answers as netfilter's REJECT target: nf_send_reset() for
 * TCP, nf_send_unreach() otherwise, from the nf_reject_ipv4/6 modules.
 * They are looked up at module load (loading them if needed) rather than
 * linked, so that kbpf.ko loads without them; without them a reject is a
 * drop, and the module says so once.
 */
#include <linux/module.h>
#include <linux/kmod.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <net/checksum.h>
#include <net/ipv6.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/netfilter/ipv6/nf_reject.h>

#include "nf_ctx.h"

/* modprobe kbpf loads them first; insmod leaves it to request_module(). */
MODULE_SOFTDEP("pre: nf_reject_ipv4 nf_reject_ipv6");

static struct sk_buff *ctx_skb(struct kbpf_nf_ctx_kern *c)
{
	return c->skb;
}

/* Offset from skb->data of the packet byte off (from the network header). */
static int pkt_offset(struct sk_buff *skb, u32 off, u32 len)
{
	int noff = skb_network_offset(skb) + (int)off;

	if (noff < 0 || (u64)noff + len > skb->len)
		return -EFAULT;
	return noff;
}

static int skb_load_bytes(struct kbpf_nf_ctx_kern *c, u32 off, void *to,
			  u32 len)
{
	struct sk_buff *skb = ctx_skb(c);
	int noff = pkt_offset(skb, off, len);

	if (noff < 0)
		return noff;
	return skb_copy_bits(skb, noff, to, len) ? -EFAULT : 0;
}

/* Make [noff, noff + len) writable and linear; ctx follows the data. */
static int skb_writable(struct kbpf_nf_ctx_kern *c, int noff, u32 len)
{
	int err = skb_ensure_writable(ctx_skb(c), noff + len);

	kbpf_nf_ctx_refresh(c);
	return err;
}

static int skb_store_bytes(struct kbpf_nf_ctx_kern *c, u32 off,
			   const void *from, u32 len, u64 flags)
{
	struct sk_buff *skb = ctx_skb(c);
	int noff = pkt_offset(skb, off, len);
	int err;

	if (noff < 0)
		return noff;
	err = skb_writable(c, noff, len);
	if (err)
		return err;
	if (flags & KBPF_F_RECOMPUTE_CSUM)
		skb_postpull_rcsum(skb, skb->data + noff, len);
	memcpy(skb->data + noff, from, len);
	if (flags & KBPF_F_RECOMPUTE_CSUM)
		skb_postpush_rcsum(skb, skb->data + noff, len);
	if (flags & KBPF_F_INVALIDATE_HASH)
		skb_clear_hash(skb);
	return 0;
}

static int skb_csum_field(struct kbpf_nf_ctx_kern *c, u32 off, __sum16 **ptr)
{
	struct sk_buff *skb = ctx_skb(c);
	int noff = pkt_offset(skb, off, sizeof(**ptr));
	int err;

	if (noff < 0)
		return noff;
	err = skb_writable(c, noff, sizeof(**ptr));
	if (err)
		return err;
	*ptr = (__sum16 *)(skb->data + noff);
	return 0;
}

static int skb_l3_csum_replace(struct kbpf_nf_ctx_kern *c, u32 off, u64 from,
			       u64 to, u64 flags)
{
	__sum16 *ptr;
	int err = skb_csum_field(c, off, &ptr);

	if (err)
		return err;
	switch (flags & KBPF_F_HDR_FIELD_MASK) {
	case 0:
		csum_replace_by_diff(ptr, (__force __wsum)(u32)to);
		break;
	case 2:
		csum_replace2(ptr, (__force __be16)(u16)from,
			      (__force __be16)(u16)to);
		break;
	default:
		csum_replace4(ptr, (__force __be32)(u32)from,
			      (__force __be32)(u32)to);
		break;
	}
	return 0;
}

static int skb_l4_csum_replace(struct kbpf_nf_ctx_kern *c, u32 off, u64 from,
			       u64 to, u64 flags)
{
	bool pseudo = flags & KBPF_F_PSEUDO_HDR;
	bool mangled_0 = flags & KBPF_F_MARK_MANGLED_0;
	struct sk_buff *skb = ctx_skb(c);
	__sum16 *ptr;
	int err = skb_csum_field(c, off, &ptr);

	if (err)
		return err;
	/* UDP's 0 means "no checksum": leave it so. */
	if (mangled_0 && !*ptr)
		return 0;
	switch (flags & KBPF_F_HDR_FIELD_MASK) {
	case 0:
		inet_proto_csum_replace_by_diff(ptr, skb,
						(__force __wsum)(u32)to, pseudo,
						c->ctx.family ==
						KBPF_NF_FAMILY_IPV6);
		break;
	case 2:
		inet_proto_csum_replace2(ptr, skb, (__force __be16)(u16)from,
					 (__force __be16)(u16)to, pseudo);
		break;
	default:
		inet_proto_csum_replace4(ptr, skb, (__force __be32)(u32)from,
					 (__force __be32)(u32)to, pseudo);
		break;
	}
	if (mangled_0 && !*ptr)
		*ptr = CSUM_MANGLED_0;
	return 0;
}

const struct kbpf_nf_pkt_ops kbpf_nf_skb_ops = {
	.load_bytes = skb_load_bytes,
	.store_bytes = skb_store_bytes,
	.l3_csum_replace = skb_l3_csum_replace,
	.l4_csum_replace = skb_l4_csum_replace,
};
KBPF_EXPORT_FOR_KUNIT(kbpf_nf_skb_ops);

/* ---- REJECT ---------------------------------------------------------------- */

static typeof(&nf_send_reset) kbpf_send_reset;
static typeof(&nf_send_unreach) kbpf_send_unreach;
static typeof(&nf_send_reset6) kbpf_send_reset6;
static typeof(&nf_send_unreach6) kbpf_send_unreach6;

int kbpf_nf_reject_init(void)
{
	/* Absent modules are fine: a reject is then a drop. */
	request_module("nf_reject_ipv4");
	request_module("nf_reject_ipv6");
	kbpf_send_reset = symbol_get(nf_send_reset);
	kbpf_send_unreach = symbol_get(nf_send_unreach);
	kbpf_send_reset6 = symbol_get(nf_send_reset6);
	kbpf_send_unreach6 = symbol_get(nf_send_unreach6);
	if (!kbpf_send_reset || !kbpf_send_unreach || !kbpf_send_reset6 ||
	    !kbpf_send_unreach6)
		pr_info("nf_reject_ipv4/6 unavailable: KBPF_NF_REJECT drops without an answer\n");
	return 0;
}

void kbpf_nf_reject_exit(void)
{
	if (kbpf_send_reset)
		symbol_put(nf_send_reset);
	if (kbpf_send_unreach)
		symbol_put(nf_send_unreach);
	if (kbpf_send_reset6)
		symbol_put(nf_send_reset6);
	if (kbpf_send_unreach6)
		symbol_put(nf_send_unreach6);
}

static u8 kbpf_nf_l4_proto(struct sk_buff *skb, u32 family)
{
	__be16 frag_off;
	u8 nexthdr;

	if (family == NFPROTO_IPV4)
		return ip_hdr(skb)->protocol;
	nexthdr = ipv6_hdr(skb)->nexthdr;
	if (ipv6_skip_exthdr(skb, skb_network_offset(skb) +
			     sizeof(struct ipv6hdr), &nexthdr, &frag_off) < 0)
		return IPPROTO_NONE;
	return nexthdr;
}

/* As REJECT: TCP gets a reset, anything else a port unreachable. */
void kbpf_nf_reject(struct sk_buff *skb, const struct nf_hook_state *state)
{
	bool tcp = kbpf_nf_l4_proto(skb, state->pf) == IPPROTO_TCP;

	if (state->pf == NFPROTO_IPV4) {
		if (tcp && kbpf_send_reset)
			kbpf_send_reset(state->net, state->sk, skb, state->hook);
		else if (!tcp && kbpf_send_unreach)
			kbpf_send_unreach(skb, ICMP_PORT_UNREACH, state->hook);
	} else if (state->pf == NFPROTO_IPV6) {
		if (tcp && kbpf_send_reset6)
			kbpf_send_reset6(state->net, state->sk, skb, state->hook);
		else if (!tcp && kbpf_send_unreach6)
			kbpf_send_unreach6(state->net, skb, ICMPV6_PORT_UNREACH,
					   state->hook);
	}
}
