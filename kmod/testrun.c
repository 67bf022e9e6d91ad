// SPDX-License-Identifier: GPL-2.0
/*
 * Test runs: a program on bytes the caller supplies, repeat times, timed.
 *
 * The context is built as the netfilter hook builds it for a packet arriving
 * on local_in, with data pointing at a private copy of the bytes.  Runs go
 * in batches with softirqs off and the RCU read lock held, as in a hook;
 * between batches the task may be rescheduled or interrupted by a signal.
 */
#include <linux/bottom_half.h>
#include <linux/if_ether.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/math64.h>

#include "testrun.h"

/* Runs between two chances to reschedule. */
#define KBPF_TEST_RUN_BATCH	256

/* Family from the IP version nibble, as a hook would know it. */
static void kbpf_test_ctx_init(struct kbpf_nf_ctx *ctx, const u8 *data,
			       u32 size)
{
	bool ipv6 = size && (data[0] >> 4) == 6;

	memset(ctx, 0, sizeof(*ctx));
	ctx->data = (u64)(uintptr_t)data;
	ctx->data_end = (u64)(uintptr_t)(data + size);
	ctx->len = size;
	ctx->family = ipv6 ? KBPF_NF_FAMILY_IPV6 : KBPF_NF_FAMILY_IPV4;
	ctx->hook = KBPF_NF_HOOK_LOCAL_IN;
	ctx->protocol = (__force u32)htons(ipv6 ? ETH_P_IPV6 : ETH_P_IP);
}

/* Run up to count times; returns how many ran, r0 of the last in *retval. */
static u32 kbpf_test_run_batch(const struct kbpf_prog *prog,
			       const struct kbpf_nf_ctx *ctx, u32 count,
			       u64 *retval)
{
	u32 i;

	local_bh_disable();
	rcu_read_lock();
	for (i = 0; i < count; i++)
		*retval = kbpf_prog_run(prog, ctx);
	rcu_read_unlock();
	local_bh_enable();
	return i;
}

static int kbpf_test_run_loop(const struct kbpf_prog *prog,
			      const struct kbpf_nf_ctx *ctx, u32 repeat,
			      u64 *retval, u64 *total_ns)
{
	u64 start = ktime_get_ns();
	u32 done = 0;

	while (done < repeat) {
		done += kbpf_test_run_batch(prog, ctx,
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

int kbpf_test_run(struct kbpf_reg_prog *rp,
		  struct kbpf_prog_test_run_attr *attr)
{
	void __user *out = u64_to_user_ptr(attr->data_out);
	u32 repeat = attr->repeat ?: 1;
	struct kbpf_nf_ctx ctx;
	u64 retval = 0, total_ns;
	u32 copy;
	u8 *data;
	int err;

	if (rp->prog->type != KBPF_PROG_TYPE_NETFILTER)
		return -EINVAL;
	if (attr->data_size_in > KBPF_TEST_RUN_MAX_DATA ||
	    repeat > KBPF_TEST_RUN_MAX_REPEAT)
		return -E2BIG;

	/* One spare byte keeps the buffer real when the packet is empty. */
	data = kvmalloc(attr->data_size_in + 1, GFP_KERNEL);
	if (!data)
		return -ENOMEM;
	if (copy_from_user(data, u64_to_user_ptr(attr->data_in),
			   attr->data_size_in)) {
		err = -EFAULT;
		goto out;
	}
	kbpf_test_ctx_init(&ctx, data, attr->data_size_in);

	err = kbpf_test_run_loop(rp->prog, &ctx, repeat, &retval, &total_ns);
	if (err)
		goto out;
	attr->retval = (u32)retval;
	attr->duration_ns = div_u64(total_ns, repeat);

	copy = 0;
	if (out) {
		copy = min(attr->data_size_out, attr->data_size_in);
		if (copy_to_user(out, data, copy)) {
			err = -EFAULT;
			goto out;
		}
	}
	attr->data_size_out = copy;
out:
	kvfree(data);
	return err;
}
