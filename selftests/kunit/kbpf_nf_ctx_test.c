// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf_nf_ctx: the netfilter context kmod/nf_ctx.c builds, on real skbs,
 * at netdev/ingress (a frame not yet checked by IP, maybe not IP at all,
 * maybe short or paged) and at an IP hook.  What a program may read
 * directly is [data, data_end): it must never reach past the linear part,
 * whatever the frame claims to be.  Expected values come from the uapi
 * header and from how the skbs are built here.
 */

#include <kunit/test.h>
#include <linux/if_ether.h>
#include <linux/skbuff.h>
#include <linux/kbpf.h>

#include "../../kmod/nf_ctx.h"

KUNIT_DEFINE_ACTION_WRAPPER(kbpf_test_kfree_skb, kfree_skb, struct sk_buff *);

/*
 * An skb as the receive path hands it to netdev/ingress: the Ethernet
 * header pulled, the network header at data, linear bytes of lin, protocol
 * proto.  The test frees it.
 */
static struct sk_buff *kbpf_test_skb(struct kunit *test, __be16 proto,
				     const u8 *lin, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(ETH_HLEN + len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kbpf_test_kfree_skb,
							skb), 0);
	skb_reserve(skb, ETH_HLEN);
	skb_put_data(skb, lin, len);
	skb->protocol = proto;
	skb_reset_network_header(skb);
	return skb;
}

static const u8 kbpf_test_ipv4[28] = {
	0x45, 0, 0, 28, 0, 1, 0, 0, 64, 1, 0, 0,
	10, 0, 0, 1, 10, 0, 0, 2,
	8, 0, 0, 0, 0, 0, 0, 0,		/* ICMP echo request */
};

static void kbpf_nf_ctx_expect_linear(struct kunit *test,
				      const struct kbpf_nf_ctx_kern *c,
				      const struct sk_buff *skb)
{
	KUNIT_EXPECT_EQ(test, c->ctx.data,
			(u64)(uintptr_t)skb_network_header(skb));
	KUNIT_EXPECT_EQ(test, c->ctx.data_end,
			(u64)(uintptr_t)(skb->data + skb_headlen(skb)));
	KUNIT_EXPECT_EQ(test, c->ctx.len, skb->len);
}

/* An IPv4 frame at ingress: family ipv4 from the frame, the device's index. */
static void kbpf_nf_ctx_ingress_ipv4(struct kunit *test)
{
	struct sk_buff *skb = kbpf_test_skb(test, htons(ETH_P_IP),
					    kbpf_test_ipv4,
					    sizeof(kbpf_test_ipv4));
	struct kbpf_nf_ctx_kern c;

	kbpf_nf_ctx_build(&c, skb, KBPF_NF_FAMILY_NETDEV, KBPF_NF_HOOK_INGRESS, 7);
	KUNIT_EXPECT_EQ(test, c.ctx.family, (u32)KBPF_NF_FAMILY_IPV4);
	KUNIT_EXPECT_EQ(test, c.ctx.hook, (u32)KBPF_NF_HOOK_INGRESS);
	KUNIT_EXPECT_EQ(test, c.ctx.ifindex, 7U);
	KUNIT_EXPECT_EQ(test, c.ctx.protocol, (u32)(__force u16)htons(ETH_P_IP));
	KUNIT_EXPECT_EQ(test, c.ctx.len, 28U);
	kbpf_nf_ctx_expect_linear(test, &c, skb);
	/* data is the IP header itself. */
	KUNIT_EXPECT_EQ(test, *(u8 *)(uintptr_t)c.ctx.data, 0x45);
}

static void kbpf_nf_ctx_ingress_ipv6(struct kunit *test)
{
	static const u8 ip6[40] = { 0x60, 0, 0, 0, 0, 0, 58, 64 };
	struct sk_buff *skb = kbpf_test_skb(test, htons(ETH_P_IPV6), ip6,
					    sizeof(ip6));
	struct kbpf_nf_ctx_kern c;

	kbpf_nf_ctx_build(&c, skb, KBPF_NF_FAMILY_NETDEV, KBPF_NF_HOOK_INGRESS, 3);
	KUNIT_EXPECT_EQ(test, c.ctx.family, (u32)KBPF_NF_FAMILY_IPV6);
	KUNIT_EXPECT_EQ(test, c.ctx.protocol,
			(u32)(__force u16)htons(ETH_P_IPV6));
	kbpf_nf_ctx_expect_linear(test, &c, skb);
}

/* ARP is neither: family netdev, the bytes still from the network header. */
static void kbpf_nf_ctx_ingress_non_ip(struct kunit *test)
{
	static const u8 arp[28] = { 0, 1, 8, 0, 6, 4, 0, 1 };
	struct sk_buff *skb = kbpf_test_skb(test, htons(ETH_P_ARP), arp,
					    sizeof(arp));
	struct kbpf_nf_ctx_kern c;

	kbpf_nf_ctx_build(&c, skb, KBPF_NF_FAMILY_NETDEV, KBPF_NF_HOOK_INGRESS, 3);
	KUNIT_EXPECT_EQ(test, c.ctx.family, (u32)KBPF_NF_FAMILY_NETDEV);
	KUNIT_EXPECT_EQ(test, c.ctx.protocol, (u32)(__force u16)htons(ETH_P_ARP));
	kbpf_nf_ctx_expect_linear(test, &c, skb);
}

/* A frame claiming IPv4 with 6 bytes: data_end says 6, not 20. */
static void kbpf_nf_ctx_ingress_short_frame(struct kunit *test)
{
	struct sk_buff *skb = kbpf_test_skb(test, htons(ETH_P_IP),
					    kbpf_test_ipv4, 6);
	struct kbpf_nf_ctx_kern c;
	u8 byte;

	kbpf_nf_ctx_build(&c, skb, KBPF_NF_FAMILY_NETDEV, KBPF_NF_HOOK_INGRESS, 3);
	KUNIT_EXPECT_EQ(test, c.ctx.family, (u32)KBPF_NF_FAMILY_IPV4);
	KUNIT_EXPECT_EQ(test, c.ctx.data_end - c.ctx.data, 6ULL);
	KUNIT_EXPECT_EQ(test, c.ctx.len, 6U);
	/* bpf_skb_load_bytes() past the end fails; it never reads beyond. */
	KUNIT_EXPECT_EQ(test, c.pkt_ops->load_bytes(&c, 6, &byte, 1), -EFAULT);
	KUNIT_EXPECT_EQ(test, c.pkt_ops->load_bytes(&c, 5, &byte, 1), 0);
}

/*
 * A paged frame: 20 linear bytes, 64 in a page.  Direct reads stop at the
 * linear part; bpf_skb_load_bytes() reaches the page, and nothing beyond.
 */
static void kbpf_nf_ctx_ingress_paged(struct kunit *test)
{
	struct sk_buff *skb = kbpf_test_skb(test, htons(ETH_P_IP),
					    kbpf_test_ipv4, 20);
	struct kbpf_nf_ctx_kern c;
	struct page *page;
	u8 buf[4];

	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	memset(page_address(page), 0xab, 64);
	skb_add_rx_frag(skb, 0, page, 0, 64, PAGE_SIZE);

	kbpf_nf_ctx_build(&c, skb, KBPF_NF_FAMILY_NETDEV, KBPF_NF_HOOK_INGRESS, 3);
	KUNIT_EXPECT_EQ(test, c.ctx.data_end - c.ctx.data, 20ULL);
	KUNIT_EXPECT_EQ(test, c.ctx.len, 84U);
	KUNIT_EXPECT_EQ(test, c.pkt_ops->load_bytes(&c, 80, buf, 4), 0);
	KUNIT_EXPECT_EQ(test, buf[0], 0xab);
	KUNIT_EXPECT_EQ(test, buf[3], 0xab);
	KUNIT_EXPECT_EQ(test, c.pkt_ops->load_bytes(&c, 81, buf, 4), -EFAULT);
}

/* At an IP hook the family is the hook's, whatever skb->protocol says. */
static void kbpf_nf_ctx_ip_hook_keeps_family(struct kunit *test)
{
	struct sk_buff *skb = kbpf_test_skb(test, htons(ETH_P_IP),
					    kbpf_test_ipv4,
					    sizeof(kbpf_test_ipv4));
	struct kbpf_nf_ctx_kern c;

	kbpf_nf_ctx_build(&c, skb, KBPF_NF_FAMILY_IPV6, KBPF_NF_HOOK_LOCAL_IN, 2);
	KUNIT_EXPECT_EQ(test, c.ctx.family, (u32)KBPF_NF_FAMILY_IPV6);
	KUNIT_EXPECT_EQ(test, c.ctx.hook, (u32)KBPF_NF_HOOK_LOCAL_IN);
	kbpf_nf_ctx_expect_linear(test, &c, skb);
}

#define KBPF_TEST_POISON	0xa5a5a5a5U

/*
 * The hook sets only the fields its chain's programs reach
 * (kbpf_prog.ctx_fields, whose cover the kbpf_nf_ctx_fields suite
 * checks): the others keep whatever the stack held, here a poison, and
 * skb->mark is written back only when a program may have changed it.
 */
static void kbpf_nf_ctx_sets_only_the_fields_asked(struct kunit *test)
{
	struct sk_buff *skb = kbpf_test_skb(test, htons(ETH_P_IP),
					    kbpf_test_ipv4,
					    sizeof(kbpf_test_ipv4));
	u32 fields = (1u << KBPF_NF_CTX_HOOK) | (1u << KBPF_NF_CTX_MARK);
	struct kbpf_nf_ctx_kern c;

	skb->mark = 42;
	memset(&c, 0xa5, sizeof(c));
	kbpf_nf_ctx_set(&c, skb, KBPF_NF_FAMILY_IPV4, KBPF_NF_HOOK_LOCAL_IN,
			NULL, 9, fields);
	KUNIT_EXPECT_EQ(test, c.ctx.hook, (u32)KBPF_NF_HOOK_LOCAL_IN);
	KUNIT_EXPECT_EQ(test, c.ctx.mark, 42U);
	KUNIT_EXPECT_PTR_EQ(test, (struct sk_buff *)c.skb, skb);
	KUNIT_EXPECT_PTR_EQ(test, c.pkt_ops, &kbpf_nf_skb_ops);
	KUNIT_EXPECT_EQ(test, c.ctx.family, KBPF_TEST_POISON);
	KUNIT_EXPECT_EQ(test, c.ctx.ifindex, KBPF_TEST_POISON);
	KUNIT_EXPECT_EQ(test, c.ctx.protocol, KBPF_TEST_POISON);
	KUNIT_EXPECT_EQ(test, c.ctx.len, KBPF_TEST_POISON);
	KUNIT_EXPECT_EQ(test, c.ctx.data, ((u64)KBPF_TEST_POISON << 32) |
					  KBPF_TEST_POISON);

	/* A program changed the mark: it reaches the skb. */
	c.ctx.mark = 43;
	KUNIT_EXPECT_EQ(test, kbpf_nf_ctx_finish_fields(&c, skb, KBPF_NF_ACCEPT,
							NULL, fields),
			(unsigned int)NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, skb->mark, 43U);

	/* No program reaches the mark: the stale one never does. */
	memset(&c, 0xa5, sizeof(c));
	kbpf_nf_ctx_set(&c, skb, KBPF_NF_FAMILY_IPV4, KBPF_NF_HOOK_LOCAL_IN,
			NULL, 9, KBPF_NF_CTX_PKT);
	kbpf_nf_ctx_expect_linear(test, &c, skb);
	KUNIT_EXPECT_EQ(test, c.ctx.mark, KBPF_TEST_POISON);
	KUNIT_EXPECT_EQ(test, kbpf_nf_ctx_finish_fields(&c, skb, KBPF_NF_DROP,
							NULL, KBPF_NF_CTX_PKT),
			(unsigned int)NF_DROP);
	KUNIT_EXPECT_EQ(test, skb->mark, 43U);
}

static struct kunit_case kbpf_nf_ctx_test_cases[] = {
	KUNIT_CASE(kbpf_nf_ctx_ingress_ipv4),
	KUNIT_CASE(kbpf_nf_ctx_ingress_ipv6),
	KUNIT_CASE(kbpf_nf_ctx_ingress_non_ip),
	KUNIT_CASE(kbpf_nf_ctx_ingress_short_frame),
	KUNIT_CASE(kbpf_nf_ctx_ingress_paged),
	KUNIT_CASE(kbpf_nf_ctx_ip_hook_keeps_family),
	KUNIT_CASE(kbpf_nf_ctx_sets_only_the_fields_asked),
	{}
};

static struct kunit_suite kbpf_nf_ctx_test_suite = {
	.name = "kbpf_nf_ctx",
	.test_cases = kbpf_nf_ctx_test_cases,
};

kunit_test_suite(kbpf_nf_ctx_test_suite);
