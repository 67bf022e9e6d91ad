// SPDX-License-Identifier: GPL-2.0
/*
 * Test runs: a program on bytes the caller supplies, repeat times, timed.
 *
 * The bytes become a real skb (network header first, as a hook sees it)
 * and the context comes from the same builder the netfilter hook uses, so
 * packet helpers, packet writes and ctx->mark behave as on a hook.  The
 * hook is local_in; the family is guessed from the IP version nibble.
 * A KBPF_NF_REJECT verdict is reported, not answered.  Runs go in batches
 * with softirqs off and the RCU read lock held, as in a hook; between
 * batches the task may be rescheduled or interrupted by a signal.  Writes
 * accumulate over the repeats, as they would on one packet seen again.
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

/* The caller's bytes as a packet that just reached local_in. */
static struct sk_buff *kbpf_test_skb(const void __user *data, u32 size)
{
	struct sk_buff *skb = alloc_skb(NET_SKB_PAD + size, GFP_KERNEL);
	bool ipv6;

	if (!skb)
		return ERR_PTR(-ENOMEM);
	skb_reserve(skb, NET_SKB_PAD);
	if (copy_from_user(skb_put(skb, size), data, size)) {
		kfree_skb(skb);
		return ERR_PTR(-EFAULT);
	}
	skb_reset_network_header(skb);
	ipv6 = size && (skb->data[0] >> 4) == 6;
	skb->protocol = htons(ipv6 ? ETH_P_IPV6 : ETH_P_IP);
	return skb;
}

static u32 kbpf_test_family(const struct sk_buff *skb)
{
	return skb->protocol == htons(ETH_P_IPV6) ? KBPF_NF_FAMILY_IPV6 :
						    KBPF_NF_FAMILY_IPV4;
}

/* Run up to count times; returns how many ran, r0 of the last in *retval. */
static u32 kbpf_test_run_batch(const struct kbpf_prog *prog,
			       struct sk_buff *skb, u32 count, u64 *retval)
{
	struct kbpf_nf_ctx_kern ctx;
	u32 i;

	local_bh_disable();
	rcu_read_lock();
	for (i = 0; i < count; i++) {
		kbpf_nf_ctx_build(&ctx, skb, kbpf_test_family(skb),
				  KBPF_NF_HOOK_LOCAL_IN, 0);
		*retval = kbpf_prog_run_hook(prog, &ctx, skb);
		kbpf_nf_ctx_finish(&ctx, *retval, NULL);
	}
	rcu_read_unlock();
	local_bh_enable();
	return i;
}

static int kbpf_test_run_loop(const struct kbpf_prog *prog,
			      struct sk_buff *skb, u32 repeat,
			      u64 *retval, u64 *total_ns)
{
	u64 start = ktime_get_ns();
	u32 done = 0;

	while (done < repeat) {
		done += kbpf_test_run_batch(prog, skb,
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

int kbpf_test_run(struct kbpf_reg_prog *rp,
		  struct kbpf_prog_test_run_attr *attr)
{
	u32 repeat = attr->repeat ?: 1;
	u64 retval = 0, total_ns;
	struct sk_buff *skb;
	int err;

	if (rp->prog->type != KBPF_PROG_TYPE_NETFILTER)
		return -EINVAL;
	if (attr->data_size_in > KBPF_TEST_RUN_MAX_DATA ||
	    repeat > KBPF_TEST_RUN_MAX_REPEAT)
		return -E2BIG;

	skb = kbpf_test_skb(u64_to_user_ptr(attr->data_in), attr->data_size_in);
	if (IS_ERR(skb))
		return PTR_ERR(skb);
	err = kbpf_test_run_loop(rp->prog, skb, repeat, &retval, &total_ns);
	if (err)
		goto out;
	attr->retval = (u32)retval;
	attr->duration_ns = div_u64(total_ns, repeat);
	err = kbpf_test_copy_out(skb, u64_to_user_ptr(attr->data_out),
				 attr->data_size_out, &attr->data_size_out);
out:
	kfree_skb(skb);
	return err;
}
