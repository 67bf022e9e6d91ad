// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter program type: runs on a netfilter hook with r1 pointing at
 * struct kbpf_nf_ctx and returns a verdict.
 *
 * Context: data and data_end, read as whole 8-byte words, become packet
 * and packet-end pointers; the u32 fields read as numbers, also in aligned
 * 1- or 2-byte pieces (clang narrows loads of masked fields); mark may be
 * written (whole, a scalar: never a pointer, which would leave the module
 * in skb->mark).  The hook's private part of struct kbpf_nf_ctx_kern lies
 * past ctx_size, where the verifier lets no access go.
 *
 * Packet helpers work on the skb behind the context through the hook's
 * struct kbpf_nf_pkt_ops; without one (test runs, userspace) they work on
 * the flat bytes [data, data_end).  Writers make the skb writable first and
 * refresh data, data_end and len afterwards; the verifier forgets every
 * packet pointer across them (changes_pkt_data), as Linux does.
 */
#include "../helpers.h"
#include "../verifier/types.h"

#define NF_FIELD(member, kind_, writable_)				\
	{ .off = offsetof(struct kbpf_nf_ctx, member),			\
	  .size = sizeof(((struct kbpf_nf_ctx *)0)->member),		\
	  .kind = kind_, .writable = writable_ }

/* Indexed as kbpf_prog.ctx_fields' bits. */
static const struct kbpf_ctx_field nf_ctx_fields[KBPF_NF_CTX_FIELD_CNT] = {
	[KBPF_NF_CTX_DATA] = NF_FIELD(data, KBPF_CTX_PACKET, false),
	[KBPF_NF_CTX_DATA_END] = NF_FIELD(data_end, KBPF_CTX_PACKET_END, false),
	[KBPF_NF_CTX_LEN] = NF_FIELD(len, KBPF_CTX_SCALAR, false),
	[KBPF_NF_CTX_FAMILY] = NF_FIELD(family, KBPF_CTX_SCALAR, false),
	[KBPF_NF_CTX_HOOK] = NF_FIELD(hook, KBPF_CTX_SCALAR, false),
	[KBPF_NF_CTX_IFINDEX] = NF_FIELD(ifindex, KBPF_CTX_SCALAR, false),
	[KBPF_NF_CTX_PROTOCOL] = NF_FIELD(protocol, KBPF_CTX_SCALAR, false),
	[KBPF_NF_CTX_MARK] = NF_FIELD(mark, KBPF_CTX_SCALAR, true),
};

/* ---- packet access without an skb: flat bytes [data, data_end) --------- */

static u8 *flat_bytes(struct kbpf_nf_ctx_kern *c, u32 off, u32 len)
{
	u64 size = c->ctx.data_end - c->ctx.data;

	if ((u64)off + len > size)
		return NULL;
	return (u8 *)(uintptr_t)c->ctx.data + off;
}

static int flat_load_bytes(struct kbpf_nf_ctx_kern *c, u32 off, void *to,
			   u32 len)
{
	u8 *p = flat_bytes(c, off, len);

	if (!p)
		return -EFAULT;
	memcpy(to, p, len);
	return 0;
}

static int flat_store_bytes(struct kbpf_nf_ctx_kern *c, u32 off,
			    const void *from, u32 len, u64 flags)
{
	u8 *p = flat_bytes(c, off, len);

	if (!p)
		return -EFAULT;
	memcpy(p, from, len);
	return 0;
}

/* The new 16-bit checksum after the covered data changed from -> to. */
static u16 csum_replaced(u16 csum, u64 from, u64 to, u32 size)
{
	u32 acc = (u16)~csum;

	switch (size) {
	case 0:		/* to is a csum_diff() result */
		acc = kbpf_csum_add(acc, (u32)to);
		break;
	case 2:
		acc = kbpf_csum_add(acc, (u16)~from);
		acc = kbpf_csum_add(acc, (u16)to);
		break;
	default:
		acc = kbpf_csum_add(acc, ~(u32)from);
		acc = kbpf_csum_add(acc, (u32)to);
		break;
	}
	return kbpf_csum_fold(acc);
}

static int flat_csum_replace(struct kbpf_nf_ctx_kern *c, u32 off, u64 from,
			     u64 to, u64 flags, bool l4)
{
	u8 *p = flat_bytes(c, off, 2);
	u16 csum;

	if (!p)
		return -EFAULT;
	memcpy(&csum, p, 2);
	if (l4 && (flags & KBPF_F_MARK_MANGLED_0) && !csum)
		return 0;
	csum = csum_replaced(csum, from, to, flags & KBPF_F_HDR_FIELD_MASK);
	if (l4 && (flags & KBPF_F_MARK_MANGLED_0) && !csum)
		csum = 0xffff;
	memcpy(p, &csum, 2);
	return 0;
}

static int flat_l3_csum_replace(struct kbpf_nf_ctx_kern *c, u32 off,
				u64 from, u64 to, u64 flags)
{
	return flat_csum_replace(c, off, from, to, flags, false);
}

static int flat_l4_csum_replace(struct kbpf_nf_ctx_kern *c, u32 off,
				u64 from, u64 to, u64 flags)
{
	return flat_csum_replace(c, off, from, to, flags, true);
}

const struct kbpf_nf_pkt_ops kbpf_nf_flat_pkt_ops = {
	.load_bytes = flat_load_bytes,
	.store_bytes = flat_store_bytes,
	.l3_csum_replace = flat_l3_csum_replace,
	.l4_csum_replace = flat_l4_csum_replace,
};

static struct kbpf_nf_ctx_kern *nf_ctx(u64 r1)
{
	return (struct kbpf_nf_ctx_kern *)(uintptr_t)r1;
}

static const struct kbpf_nf_pkt_ops *pkt_ops(struct kbpf_nf_ctx_kern *c)
{
	return c->pkt_ops ? c->pkt_ops : &kbpf_nf_flat_pkt_ops;
}

/* ---- the packet helpers ---------------------------------------------------- */

/* bpf_skb_load_bytes(ctx, offset, to, len): also past the linear part. */
static u64 nf_skb_load_bytes(u64 ctx, u64 off, u64 to, u64 len, u64 r5)
{
	struct kbpf_nf_ctx_kern *c = nf_ctx(ctx);
	void *dst = (void *)(uintptr_t)to;
	int err = -EFAULT;

	/* Linux's bound: offsets are u32 and at most 0xffff. */
	if (off <= 0xffff)
		err = pkt_ops(c)->load_bytes(c, (u32)off, dst, (u32)len);
	if (err)
		memset(dst, 0, (u32)len);	/* the verifier counts it written */
	return (u64)(s64)err;
}

static u64 nf_skb_store_bytes(u64 ctx, u64 off, u64 from, u64 len, u64 flags)
{
	struct kbpf_nf_ctx_kern *c = nf_ctx(ctx);

	if (off > 0xffff ||
	    (flags & ~(KBPF_F_RECOMPUTE_CSUM | KBPF_F_INVALIDATE_HASH)))
		return (u64)-EINVAL;
	return (u64)(s64)pkt_ops(c)->store_bytes(c, (u32)off,
						 (const void *)(uintptr_t)from,
						 (u32)len, flags);
}

static u64 nf_l3_csum_replace(u64 ctx, u64 off, u64 from, u64 to, u64 flags)
{
	struct kbpf_nf_ctx_kern *c = nf_ctx(ctx);
	u64 size = flags & KBPF_F_HDR_FIELD_MASK;

	if (off > 0xffff || (flags & ~KBPF_F_HDR_FIELD_MASK) ||
	    (size != 0 && size != 2 && size != 4) || (!size && from))
		return (u64)-EINVAL;
	return (u64)(s64)pkt_ops(c)->l3_csum_replace(c, (u32)off, from, to,
						     flags);
}

static u64 nf_l4_csum_replace(u64 ctx, u64 off, u64 from, u64 to, u64 flags)
{
	struct kbpf_nf_ctx_kern *c = nf_ctx(ctx);
	u64 size = flags & KBPF_F_HDR_FIELD_MASK;

	if (off > 0xffff ||
	    (flags & ~(KBPF_F_HDR_FIELD_MASK | KBPF_F_PSEUDO_HDR |
		       KBPF_F_MARK_MANGLED_0)) ||
	    (size != 0 && size != 2 && size != 4) || (!size && from))
		return (u64)-EINVAL;
	return (u64)(s64)pkt_ops(c)->l4_csum_replace(c, (u32)off, from, to,
						     flags);
}

static const struct kbpf_helper nf_helpers[] = {
	KBPF_HELPER_MAP_LOOKUP_ELEM, KBPF_HELPER_MAP_UPDATE_ELEM,
	KBPF_HELPER_MAP_DELETE_ELEM, KBPF_HELPER_KTIME_GET_NS,
	KBPF_HELPER_TRACE_PRINTK, KBPF_HELPER_GET_PRANDOM_U32,
	KBPF_HELPER_GET_SMP_PROCESSOR_ID, KBPF_HELPER_TAIL_CALL,
	KBPF_HELPER_CSUM_DIFF, KBPF_HELPER_JIFFIES64,
	KBPF_HELPER_KTIME_GET_BOOT_NS, KBPF_HELPER_SNPRINTF,
	KBPF_HELPER_LOOP,
	KBPF_HELPER_RINGBUF_OUTPUT, KBPF_HELPER_RINGBUF_RESERVE,
	KBPF_HELPER_RINGBUF_SUBMIT, KBPF_HELPER_RINGBUF_DISCARD,
	KBPF_HELPER_RINGBUF_QUERY,
	[KBPF_FUNC_skb_load_bytes] = {
		.name = "skb_load_bytes",
		.fn = nf_skb_load_bytes,
		.ret = KBPF_RET_INTEGER,
		.args = { KBPF_ARG_PTR_TO_CTX, KBPF_ARG_ANYTHING,
			  KBPF_ARG_PTR_TO_UNINIT_MEM, KBPF_ARG_CONST_SIZE },
	},
	[KBPF_FUNC_skb_store_bytes] = {
		.name = "skb_store_bytes",
		.fn = nf_skb_store_bytes,
		.ret = KBPF_RET_INTEGER,
		.args = { KBPF_ARG_PTR_TO_CTX, KBPF_ARG_ANYTHING,
			  KBPF_ARG_PTR_TO_MEM, KBPF_ARG_CONST_SIZE,
			  KBPF_ARG_ANYTHING },
		.changes_pkt_data = true,
	},
	[KBPF_FUNC_l3_csum_replace] = {
		.name = "l3_csum_replace",
		.fn = nf_l3_csum_replace,
		.ret = KBPF_RET_INTEGER,
		.args = { KBPF_ARG_PTR_TO_CTX, KBPF_ARG_ANYTHING,
			  KBPF_ARG_ANYTHING, KBPF_ARG_ANYTHING,
			  KBPF_ARG_ANYTHING },
		.changes_pkt_data = true,
	},
	[KBPF_FUNC_l4_csum_replace] = {
		.name = "l4_csum_replace",
		.fn = nf_l4_csum_replace,
		.ret = KBPF_RET_INTEGER,
		.args = { KBPF_ARG_PTR_TO_CTX, KBPF_ARG_ANYTHING,
			  KBPF_ARG_ANYTHING, KBPF_ARG_ANYTHING,
			  KBPF_ARG_ANYTHING },
		.changes_pkt_data = true,
	},
};

/* The netfilter set is also the one disassembly and tools name helpers by. */
const struct kbpf_helper_table kbpf_default_helpers = {
	.helpers = nf_helpers,
	.count = ARRAY_SIZE(nf_helpers),
};
KBPF_EXPORT_FOR_KUNIT(kbpf_default_helpers);

static int nf_init_entry_regs(struct kbpf_verifier_env *env,
			      struct kbpf_reg_state *regs)
{
	kbpf_mark_reg_known(&regs[KBPF_REG_1], 0);
	regs[KBPF_REG_1].type = KBPF_REG_PTR_TO_CTX;
	return 0;
}

const struct kbpf_prog_type_ops kbpf_netfilter_prog_type = {
	.name = "netfilter",
	.ctx_size = sizeof(struct kbpf_nf_ctx),
	.ctx_fields = nf_ctx_fields,
	.ctx_field_cnt = ARRAY_SIZE(nf_ctx_fields),
	.ret_min = KBPF_NF_DROP,
	.ret_max = KBPF_NF_ACCEPT,
	.has_ret_special = true,
	.ret_special = KBPF_NF_REJECT,
	.helpers = &kbpf_default_helpers,
	.init_entry_regs = nf_init_entry_regs,
};
