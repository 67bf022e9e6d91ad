// SPDX-License-Identifier: GPL-2.0
/*
 * Test runs: a program on bytes the caller supplies, repeat times, timed.
 *
 * The program runs on the bytes themselves, network header first, with
 * the core's flat-bytes packet operations (kbpf_nf_flat_pkt_ops): Linux's
 * packet helpers on a linear skb without checksum offload state, which is
 * what a test packet is.  The context is the hook's where the caller
 * says the packet is (ctx_in: family and hook, device, protocol, mark,
 * each checked, with the reason in the caller's log), by default at
 * local_in (family guessed from the IP version nibble, no device, mark 0).
 * The verdict is reported, not applied: a KBPF_NF_REJECT is not answered.
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
 * what an earlier one wrote; the bytes (and the context) copied out are
 * what the last run left.  The context is built once, as Linux's test run
 * builds its own, and a repetition puts back only what a run can change:
 * ctx->mark, the one field a program may store to, and the packet bytes, which only the
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
#include <linux/netdevice.h>

#include "netfilter.h"
#include "testrun.h"

/* Runs between two chances to reschedule. */
#define KBPF_TEST_RUN_BATCH	256

/* One test run's packet and the context its repetitions share. */
struct kbpf_test_ctx {
	struct kbpf_nf_ctx_kern kern;	/* what r1 points to */
	const u8 *input;		/* the caller's bytes, as copied in */
	u8 *packet;			/* what the program reads and writes */
	u32 size;
	u32 mark;			/* what each repetition starts from */
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
static int kbpf_test_input(struct kbpf_test_ctx *t, const void __user *data,
			   struct kbpf_log *log)
{
	u8 *buf = kbpf_zalloc_account(2 * (size_t)t->size ?: 1);
	char what[80];

	if (!buf) {
		/* What a full pool must be told: a packet counts twice. */
		snprintf(what, sizeof(what),
			 "the packet and the copy it is restored from (2 x %u bytes)",
			 t->size);
		return kbpf_registry_log_nomem(log, what);
	}
	if (copy_from_user(buf, data, t->size)) {
		kbpf_free(buf);
		return -EFAULT;
	}
	memcpy(buf + t->size, buf, t->size);
	t->input = buf;
	t->packet = buf + t->size;
	return 0;
}

/* A refused context: err, with the reason in log. */
static __printf(3, 4) int kbpf_test_refuse(struct kbpf_log *log, int err,
					   const char *fmt, ...)
{
	char msg[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kbpf_log_printf(log, "ctx_in: %s", msg);
	return err;
}

/* The EtherType of an IP family, network byte order; 0 for netdev. */
static u32 kbpf_test_family_proto(u32 family)
{
	if (family == KBPF_NF_FAMILY_IPV4)
		return (__force u32)htons(ETH_P_IP);
	if (family == KBPF_NF_FAMILY_IPV6)
		return (__force u32)htons(ETH_P_IPV6);
	return 0;
}

/*
 * The protocol goes with the family: an IP family's own EtherType (0
 * asks for it), anything but those for a netdev-family frame.
 */
static int kbpf_test_ctx_proto(struct kbpf_nf_ctx *in, struct kbpf_log *log)
{
	u32 want = kbpf_test_family_proto(in->family);

	if (in->protocol > U16_MAX)
		return kbpf_test_refuse(log, -EINVAL,
					"protocol %#x is not a 16-bit EtherType",
					in->protocol);
	if (!in->protocol && !want)
		return kbpf_test_refuse(log, -EINVAL,
					"a netdev-family frame needs its protocol (an EtherType, network byte order)");
	if (!in->protocol) {
		in->protocol = want;
		return 0;
	}
	if (want ? in->protocol != want :
	    in->protocol == kbpf_test_family_proto(KBPF_NF_FAMILY_IPV4) ||
	    in->protocol == kbpf_test_family_proto(KBPF_NF_FAMILY_IPV6))
		return kbpf_test_refuse(log, -EINVAL,
					"protocol %#06x does not go with family %u",
					ntohs((__force __be16)in->protocol),
					in->family);
	return 0;
}

/* A device of the caller's namespace; ingress frames need one. */
static int kbpf_test_ctx_dev(const struct kbpf_caller *c,
			     const struct kbpf_nf_ctx *in, struct kbpf_log *log)
{
	bool found;

	if (!in->ifindex) {
		if (in->hook != KBPF_NF_HOOK_INGRESS)
			return 0;
		return kbpf_test_refuse(log, -EINVAL,
					"ingress frames come in by a device: give its ifindex");
	}
	rcu_read_lock();
	found = dev_get_by_index_rcu(c->net, in->ifindex);
	rcu_read_unlock();
	if (!found)
		return kbpf_test_refuse(log, -ENODEV,
					"no device has ifindex %u in this namespace",
					in->ifindex);
	return 0;
}

/* Where the caller says the packet is: every field checked. */
static int kbpf_test_ctx_check(const struct kbpf_caller *c,
			       struct kbpf_nf_ctx *in, struct kbpf_log *log)
{
	if (in->data || in->data_end || in->len)
		return kbpf_test_refuse(log, -EINVAL,
					"data, data_end and len come from the packet: leave them 0");
	if (!kbpf_nf_family_valid(in->family))
		return kbpf_test_refuse(log, -EINVAL,
					"unknown family %u (ipv4 %u, ipv6 %u, netdev %u)",
					in->family, KBPF_NF_FAMILY_IPV4,
					KBPF_NF_FAMILY_IPV6,
					KBPF_NF_FAMILY_NETDEV);
	if (in->hook >= __KBPF_NF_HOOK_MAX)
		return kbpf_test_refuse(log, -EINVAL, "unknown hook %u",
					in->hook);
	if (in->family == KBPF_NF_FAMILY_NETDEV &&
	    in->hook != KBPF_NF_HOOK_INGRESS)
		return kbpf_test_refuse(log, -EINVAL,
					"family netdev has only the ingress hook (%u)",
					KBPF_NF_HOOK_INGRESS);
	return kbpf_test_ctx_proto(in, log) ?: kbpf_test_ctx_dev(c, in, log);
}

/*
 * The caller's context, zero-extended, bytes past ours zero (as every
 * size-prefixed argument), checked; all zero without one (the default).
 */
static int kbpf_test_ctx_in(const struct kbpf_caller *c,
			    const struct kbpf_prog_test_run_attr *attr,
			    struct kbpf_nf_ctx *in, struct kbpf_log *log)
{
	int err;

	memset(in, 0, sizeof(*in));
	if (!attr->ctx_in != !attr->ctx_size_in)
		return kbpf_test_refuse(log, -EINVAL,
					"ctx_in and ctx_size_in go together");
	if (!attr->ctx_in)
		return 0;
	if (attr->ctx_size_in > PAGE_SIZE)
		return kbpf_test_refuse(log, -E2BIG,
					"ctx_size_in %u is over a page",
					attr->ctx_size_in);
	err = copy_struct_from_user(in, sizeof(*in),
				    u64_to_user_ptr(attr->ctx_in),
				    attr->ctx_size_in);
	if (err == -E2BIG)
		return kbpf_test_refuse(log, err,
					"bytes past the %zu of struct kbpf_nf_ctx must be 0",
					sizeof(*in));
	return err ?: kbpf_test_ctx_check(c, in, log);
}

/* The context of a packet at the hook in says, by default local_in. */
static void kbpf_test_ctx_build(struct kbpf_test_ctx *t,
				const struct kbpf_nf_ctx *in)
{
	bool ipv6 = t->size && (t->input[0] >> 4) == 6;
	struct kbpf_nf_ctx *ctx = &t->kern.ctx;

	memset(&t->kern, 0, sizeof(t->kern));
	ctx->data = (u64)(uintptr_t)t->packet;
	ctx->data_end = ctx->data + t->size;
	ctx->len = t->size;
	if (in->family) {
		ctx->family = in->family;
		ctx->hook = in->hook;
		ctx->ifindex = in->ifindex;
		ctx->protocol = in->protocol;
	} else {
		ctx->family = ipv6 ? KBPF_NF_FAMILY_IPV6 : KBPF_NF_FAMILY_IPV4;
		ctx->hook = KBPF_NF_HOOK_LOCAL_IN;
		ctx->protocol = kbpf_test_family_proto(ctx->family);
	}
	t->mark = in->mark;
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
		t->kern.ctx.mark = t->mark;
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

/* The context as the last run left it, without the kernel's addresses. */
static int kbpf_test_ctx_out(const struct kbpf_test_ctx *t, void __user *out,
			     u32 room, u32 *copied)
{
	struct kbpf_nf_ctx ctx = t->kern.ctx;
	u32 n = min_t(u32, room, sizeof(ctx));

	*copied = 0;
	if (!out || !n)
		return 0;
	ctx.data = 0;
	ctx.data_end = 0;
	if (copy_to_user(out, &ctx, n))
		return -EFAULT;
	*copied = n;
	return 0;
}

static int kbpf_test_run_on(const struct kbpf_prog *prog,
			    struct kbpf_test_ctx *t,
			    const struct kbpf_nf_ctx *in,
			    struct kbpf_prog_test_run_attr *attr)
{
	u32 repeat = attr->repeat ?: 1;
	u64 retval = 0, total_ns;
	int err;

	kbpf_test_ctx_build(t, in);
	err = kbpf_test_run_loop(prog, t, repeat, &retval, &total_ns);
	if (err)
		return err;
	attr->retval = (u32)retval;
	attr->duration_ns = div_u64(total_ns, repeat);
	return kbpf_test_copy_out(t, u64_to_user_ptr(attr->data_out),
				  attr->data_size_out, &attr->data_size_out) ?:
	       kbpf_test_ctx_out(t, u64_to_user_ptr(attr->ctx_out),
				 attr->ctx_size_out, &attr->ctx_size_out);
}

int kbpf_test_run(const struct kbpf_caller *c, struct kbpf_reg_prog *rp,
		  struct kbpf_prog_test_run_attr *attr, struct kbpf_log *log)
{
	struct kbpf_test_ctx t = { .size = attr->data_size_in };
	struct kbpf_nf_ctx in;
	int err;

	if (rp->prog->type != KBPF_PROG_TYPE_NETFILTER) {
		kbpf_log_printf(log, "only netfilter programs have test runs");
		return -EINVAL;
	}
	if (attr->data_size_in > KBPF_TEST_RUN_MAX_DATA) {
		kbpf_log_printf(log, "data_size_in %u is over %u",
				attr->data_size_in, KBPF_TEST_RUN_MAX_DATA);
		return -E2BIG;
	}
	if (attr->repeat > KBPF_TEST_RUN_MAX_REPEAT) {
		kbpf_log_printf(log, "repeat %u is over %u", attr->repeat,
				KBPF_TEST_RUN_MAX_REPEAT);
		return -E2BIG;
	}
	/* Checked before anything is allocated for the run. */
	err = kbpf_test_ctx_in(c, attr, &in, log);
	if (err)
		return err;

	err = kbpf_test_input(&t, u64_to_user_ptr(attr->data_in), log);
	if (err)
		return err;
	err = kbpf_test_run_on(rp->prog, &t, &in, attr);
	kbpf_free(t.input);
	return err;
}
