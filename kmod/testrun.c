// SPDX-License-Identifier: GPL-2.0
/*
 * Test runs: a program on bytes the caller supplies, repeat times, timed.
 *
 * The bytes become a real skb (network header first, as a hook sees it)
 * and the context comes from the same builder the netfilter hook uses, so
 * packet helpers, packet writes and ctx->mark behave as on a hook.  The
 * hook is local_in; the family is guessed from the IP version nibble.
 * The verdict is reported, not applied: a KBPF_NF_REJECT is not answered
 * and ctx->mark does not reach the skb.  Runs go in batches
 * with softirqs off and the RCU read lock held, as in a hook; between
 * batches the task may be rescheduled or interrupted by a signal.
 *
 * Every repetition sees the caller's packet and a fresh context, never
 * what an earlier one wrote; the bytes copied out are what the last run
 * left.  The context is built once, as Linux's test run builds its own,
 * and a repetition puts back only what a run can change: ctx->mark, the
 * one field a program may store to, and the packet bytes, which only the
 * store and checksum helpers write (the verifier refuses direct packet
 * stores).  Those helpers reach the skb through kbpf_test_pkt_ops, which
 * notes the write, so a run that wrote nothing costs nothing to undo.
 */
#include <linux/bottom_half.h>
#include <linux/if_ether.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/math64.h>

#include "testrun.h"
#include "nf_ctx.h"

/* Runs between two chances to reschedule. */
#define KBPF_TEST_RUN_BATCH	256

/* One test run's packet and the context its repetitions share. */
struct kbpf_test_ctx {
	struct kbpf_nf_ctx_kern kern;	/* what r1 points to */
	/* The hook's packet operations, which kbpf_test_pkt_ops wraps. */
	const struct kbpf_nf_pkt_ops *skb_ops;
	struct sk_buff *skb;
	const u8 *input;		/* the caller's bytes, as copied in */
	u32 size;
	bool written;			/* a run wrote the packet */
};

static struct kbpf_test_ctx *test_ctx(struct kbpf_nf_ctx_kern *c)
{
	return container_of(c, struct kbpf_test_ctx, kern);
}

static int test_load_bytes(struct kbpf_nf_ctx_kern *c, u32 off, void *to,
			   u32 len)
{
	return test_ctx(c)->skb_ops->load_bytes(c, off, to, len);
}

/* Writers mark the packet written first: even a failed write may have. */
static int test_store_bytes(struct kbpf_nf_ctx_kern *c, u32 off,
			    const void *from, u32 len, u64 flags)
{
	struct kbpf_test_ctx *t = test_ctx(c);

	t->written = true;
	return t->skb_ops->store_bytes(c, off, from, len, flags);
}

static int test_l3_csum_replace(struct kbpf_nf_ctx_kern *c, u32 off,
				u64 from, u64 to, u64 flags)
{
	struct kbpf_test_ctx *t = test_ctx(c);

	t->written = true;
	return t->skb_ops->l3_csum_replace(c, off, from, to, flags);
}

static int test_l4_csum_replace(struct kbpf_nf_ctx_kern *c, u32 off,
				u64 from, u64 to, u64 flags)
{
	struct kbpf_test_ctx *t = test_ctx(c);

	t->written = true;
	return t->skb_ops->l4_csum_replace(c, off, from, to, flags);
}

static const struct kbpf_nf_pkt_ops kbpf_test_pkt_ops = {
	.load_bytes = test_load_bytes,
	.store_bytes = test_store_bytes,
	.l3_csum_replace = test_l3_csum_replace,
	.l4_csum_replace = test_l4_csum_replace,
};

/* The caller's bytes, kept to build the packet and to restore it. */
static u8 *kbpf_test_input(const void __user *data, u32 size)
{
	u8 *input = kvmalloc(max(size, 1U), GFP_KERNEL_ACCOUNT);

	if (!input)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(input, data, size)) {
		kvfree(input);
		return ERR_PTR(-EFAULT);
	}
	return input;
}

/* The bytes as a packet that just reached local_in. */
static struct sk_buff *kbpf_test_skb(const u8 *input, u32 size)
{
	struct sk_buff *skb = alloc_skb(NET_SKB_PAD + size, GFP_KERNEL_ACCOUNT);
	bool ipv6;

	if (!skb)
		return ERR_PTR(-ENOMEM);
	skb_reserve(skb, NET_SKB_PAD);
	skb_put_data(skb, input, size);
	skb_reset_network_header(skb);
	ipv6 = size && (input[0] >> 4) == 6;
	skb->protocol = htons(ipv6 ? ETH_P_IPV6 : ETH_P_IP);
	return skb;
}

static u32 kbpf_test_family(const struct sk_buff *skb)
{
	return skb->protocol == htons(ETH_P_IPV6) ? KBPF_NF_FAMILY_IPV6 :
						    KBPF_NF_FAMILY_IPV4;
}

/* The context as the hook builds it, its packet writes noted. */
static void kbpf_test_ctx_build(struct kbpf_test_ctx *t)
{
	kbpf_nf_ctx_build(&t->kern, t->skb, kbpf_test_family(t->skb),
			  KBPF_NF_HOOK_LOCAL_IN, 0);
	t->skb_ops = t->kern.pkt_ops;
	t->kern.pkt_ops = &kbpf_test_pkt_ops;
	t->written = false;
}

/*
 * Undo the last run's packet writes.  They changed bytes only: the length
 * stays, the skb is linear and not cloned, its ip_summed is
 * CHECKSUM_NONE (no checksum state to fix) and its hash was clear.  The
 * rebuilt context follows the data, which making it writable may move.
 */
static void kbpf_test_restore_packet(struct kbpf_test_ctx *t)
{
	skb_store_bits(t->skb, skb_network_offset(t->skb), t->input, t->size);
	kbpf_test_ctx_build(t);
}

/* Run up to count times; returns how many ran, r0 of the last in *retval. */
static u32 kbpf_test_run_batch(const struct kbpf_prog *prog,
			       struct kbpf_test_ctx *t, u32 count,
			       u64 *retval)
{
	u32 i;

	local_bh_disable();
	rcu_read_lock();
	for (i = 0; i < count; i++) {
		if (unlikely(t->written))
			kbpf_test_restore_packet(t);
		t->kern.ctx.mark = t->skb->mark;
		*retval = kbpf_prog_run_hook(prog, &t->kern, t->skb);
	}
	rcu_read_unlock();
	local_bh_enable();
	return i;
}

static int kbpf_test_run_loop(const struct kbpf_prog *prog,
			      struct kbpf_test_ctx *t, u32 repeat,
			      u64 *retval, u64 *total_ns)
{
	u64 start = ktime_get_ns();
	u32 done = 0;

	while (done < repeat) {
		done += kbpf_test_run_batch(prog, t,
					    min_t(u32, repeat - done,
						  KBPF_TEST_RUN_BATCH),
					    retval);
		if (done < repeat) {
			if (signal_pending(current))
				return -EINTR;
			cond_resched();
		}
	}
	*total_ns = ktime_get_ns() - start;
	return 0;
}

/* The packet as the program left it, up to the caller's room. */
static int kbpf_test_copy_out(struct sk_buff *skb, void __user *out,
			      u32 room, u32 *copied)
{
	u32 n = min(room, skb->len);
	void *buf;
	int err = 0;

	*copied = 0;
	if (!out || !n)
		return 0;
	buf = kvmalloc(n, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (skb_copy_bits(skb, skb_network_offset(skb), buf, n) ||
	    copy_to_user(out, buf, n))
		err = -EFAULT;
	kvfree(buf);
	if (!err)
		*copied = n;
	return err;
}

static int kbpf_test_run_on(const struct kbpf_prog *prog,
			    struct kbpf_test_ctx *t,
			    struct kbpf_prog_test_run_attr *attr)
{
	u32 repeat = attr->repeat ?: 1;
	u64 retval = 0, total_ns;
	int err;

	kbpf_test_ctx_build(t);
	err = kbpf_test_run_loop(prog, t, repeat, &retval, &total_ns);
	if (err)
		return err;
	attr->retval = (u32)retval;
	attr->duration_ns = div_u64(total_ns, repeat);
	return kbpf_test_copy_out(t->skb, u64_to_user_ptr(attr->data_out),
				  attr->data_size_out, &attr->data_size_out);
}

int kbpf_test_run(struct kbpf_reg_prog *rp,
		  struct kbpf_prog_test_run_attr *attr)
{
	struct kbpf_test_ctx t = { .size = attr->data_size_in };
	int err;

	if (rp->prog->type != KBPF_PROG_TYPE_NETFILTER)
		return -EINVAL;
	if (attr->data_size_in > KBPF_TEST_RUN_MAX_DATA ||
	    attr->repeat > KBPF_TEST_RUN_MAX_REPEAT)
		return -E2BIG;

	t.input = kbpf_test_input(u64_to_user_ptr(attr->data_in), t.size);
	if (IS_ERR(t.input))
		return PTR_ERR(t.input);
	t.skb = kbpf_test_skb(t.input, t.size);
	if (IS_ERR(t.skb)) {
		err = PTR_ERR(t.skb);
	} else {
		err = kbpf_test_run_on(rp->prog, &t, attr);
		kfree_skb(t.skb);
	}
	kvfree(t.input);
	return err;
}
