// SPDX-License-Identifier: GPL-2.0
/*
 * Test runs: a program on bytes the caller supplies, repeat times, timed.
 *
 * The program runs on the bytes themselves, network header first, with
 * the core's flat-bytes packet operations (kbpf_nf_flat_pkt_ops): Linux's
 * packet helpers on a linear skb without checksum offload state, which is
 * what a test packet is.  The context is the hook's at local_in (family
 * guessed from the IP version nibble, protocol, length, mark 0).  The
 * verdict is reported, not applied: a KBPF_NF_REJECT is not answered.
 * Runs go in batches with softirqs off and the RCU read lock held, as in a
 * hook; between batches the task may be rescheduled or interrupted by a
 * signal.
 *
 * Memory: one request buffer holds the caller's bytes and the packet the
 * program works on, side by side (kbpf_zalloc_account(): the embedded
 * pool, else memory charged to the caller's memory cgroup); no skb is
 * built and nothing else is allocated.
 *
 * Every repetition sees the caller's packet and a fresh context, never
 * what an earlier one wrote; the bytes copied out are what the last run
 * left.  The context is built once, as Linux's test run builds its own,
 * and a repetition puts back only what a run can change: ctx->mark, the
 * one field a program may store to, and the packet bytes, which only the
 * store and checksum helpers write (the verifier refuses direct packet
 * stores).  Those helpers go through kbpf_test_pkt_ops, which notes the
 * write, so a run that wrote nothing costs nothing to undo.
 */
#include <linux/bottom_half.h>
#include <linux/if_ether.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <linux/math64.h>

#include "testrun.h"

/* Runs between two chances to reschedule. */
#define KBPF_TEST_RUN_BATCH	256

/* One test run's packet and the context its repetitions share. */
struct kbpf_test_ctx {
	struct kbpf_nf_ctx_kern kern;	/* what r1 points to */
	const u8 *input;		/* the caller's bytes, as copied in */
	u8 *packet;			/* what the program reads and writes */
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
	return kbpf_nf_flat_pkt_ops.load_bytes(c, off, to, len);
}

/* Writers mark the packet written first: even a failed write may have. */
static int test_store_bytes(struct kbpf_nf_ctx_kern *c, u32 off,
			    const void *from, u32 len, u64 flags)
{
	test_ctx(c)->written = true;
	return kbpf_nf_flat_pkt_ops.store_bytes(c, off, from, len, flags);
}

static int test_l3_csum_replace(struct kbpf_nf_ctx_kern *c, u32 off,
				u64 from, u64 to, u64 flags)
{
	test_ctx(c)->written = true;
	return kbpf_nf_flat_pkt_ops.l3_csum_replace(c, off, from, to, flags);
}

static int test_l4_csum_replace(struct kbpf_nf_ctx_kern *c, u32 off,
				u64 from, u64 to, u64 flags)
{
	test_ctx(c)->written = true;
	return kbpf_nf_flat_pkt_ops.l4_csum_replace(c, off, from, to, flags);
}

static const struct kbpf_nf_pkt_ops kbpf_test_pkt_ops = {
	.load_bytes = test_load_bytes,
	.store_bytes = test_store_bytes,
	.l3_csum_replace = test_l3_csum_replace,
	.l4_csum_replace = test_l4_csum_replace,
};

/* The caller's bytes, twice: kept to restore, and the packet. */
static int kbpf_test_input(struct kbpf_test_ctx *t, const void __user *data)
{
	u8 *buf = kbpf_zalloc_account(2 * (size_t)t->size ?: 1);

	if (!buf)
		return -ENOMEM;
	if (copy_from_user(buf, data, t->size)) {
		kbpf_free(buf);
		return -EFAULT;
	}
	memcpy(buf + t->size, buf, t->size);
	t->input = buf;
	t->packet = buf + t->size;
	return 0;
}

/* The context of a packet that just reached local_in, as the hook's. */
static void kbpf_test_ctx_build(struct kbpf_test_ctx *t)
{
	bool ipv6 = t->size && (t->input[0] >> 4) == 6;
	struct kbpf_nf_ctx *ctx = &t->kern.ctx;

	memset(&t->kern, 0, sizeof(t->kern));
	ctx->data = (u64)(uintptr_t)t->packet;
	ctx->data_end = ctx->data + t->size;
	ctx->len = t->size;
	ctx->family = ipv6 ? KBPF_NF_FAMILY_IPV6 : KBPF_NF_FAMILY_IPV4;
	ctx->hook = KBPF_NF_HOOK_LOCAL_IN;
	ctx->protocol = (__force u32)htons(ipv6 ? ETH_P_IPV6 : ETH_P_IP);
	t->kern.pkt_ops = &kbpf_test_pkt_ops;
	t->written = false;
}

/* Undo the last run's packet writes: they changed bytes only. */
static void kbpf_test_restore_packet(struct kbpf_test_ctx *t)
{
	memcpy(t->packet, t->input, t->size);
	t->written = false;
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
		t->kern.ctx.mark = 0;
		*retval = kbpf_prog_run_hook(prog, &t->kern, NULL);
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
static int kbpf_test_copy_out(const struct kbpf_test_ctx *t, void __user *out,
			      u32 room, u32 *copied)
{
	u32 n = min(room, t->size);

	*copied = 0;
	if (!out || !n)
		return 0;
	if (copy_to_user(out, t->packet, n))
		return -EFAULT;
	*copied = n;
	return 0;
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
	return kbpf_test_copy_out(t, u64_to_user_ptr(attr->data_out),
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

	err = kbpf_test_input(&t, u64_to_user_ptr(attr->data_in));
	if (err)
		return err;
	err = kbpf_test_run_on(rp->prog, &t, attr);
	kbpf_free(t.input);
	return err;
}
