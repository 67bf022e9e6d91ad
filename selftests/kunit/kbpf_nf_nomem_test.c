// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf_nf_nomem: netfilter's control paths when an allocation fails.
 *
 * A detach must not fail, so when the new list cannot be allocated
 * (hookpt_update_removal() in kmod/netfilter.c) the link is cleared in
 * place in the published list: packets skip the empty entry, its slot
 * stays counted for the link until the link is freed and for nobody
 * after (docs/architecture.md, "Object lifetimes" and the dispatcher
 * under "Scheduling").  An attach or a replace that cannot get its memory
 * fails with -ENOMEM and changes nothing: walked allocation by allocation
 * (the 1st fails, then the 2nd, ... until none does), each failure must
 * leave the published lists, the programs' attachments and the blocks
 * kbpf holds as they were.  Allocations fail through the test seam of
 * core/env_kernel.h (kbpf_env_fail_nth()); packets are real skbs handed
 * to the hook point's netfilter hook function, as nf_hook_slow() would.
 *
 * The chain: "pass" (accepts, kbpf priority 10, runs first) and "drop"
 * (drops).  While both run every packet is dropped; once "drop" is
 * cleared in place every packet must be accepted, with "pass" alone
 * counting it.  The hook points are ipv4/forward and ipv6/forward of the
 * initial namespace, where nothing else sends packets in the test VM.
 */

#include <kunit/test.h>
#include <linux/kbpf.h>
#include <linux/netfilter.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>

#include "../../kmod/env.h"
#include "../../kmod/netfilter.h"
#include "../../kmod/registry.h"

static const struct kbpf_insn kbpf_test_pass[] = {
	KBPF_MOV64_IMM(KBPF_REG_0, KBPF_NF_ACCEPT),
	KBPF_EXIT_INSN(),
};

static const struct kbpf_insn kbpf_test_drop[] = {
	KBPF_MOV64_IMM(KBPF_REG_0, KBPF_NF_DROP),
	KBPF_EXIT_INSN(),
};

static const struct kbpf_caller kbpf_test_root = {
	.net = &init_net,
	.admin = true,
	.init_admin = true,
};

static const struct kbpf_hook_id kbpf_test_hook = {
	.family = KBPF_NF_FAMILY_IPV4,
	.hook = KBPF_NF_HOOK_FORWARD,
};

static const struct kbpf_hook_id kbpf_test_hook6 = {
	.family = KBPF_NF_FAMILY_IPV6,
	.hook = KBPF_NF_HOOK_FORWARD,
};

/* An ICMP echo request from 10.0.0.1 to 10.0.0.2. */
static const u8 kbpf_test_ipv4[28] = {
	0x45, 0, 0, 28, 0, 1, 0, 0, 64, 1, 0, 0,
	10, 0, 0, 1, 10, 0, 0, 2,
	8, 0, 0, 0, 0, 0, 0, 0,
};

/* A loaded, committed program named name, as a load ioctl leaves it. */
static struct kbpf_reg_prog *kbpf_test_prog(struct kunit *test,
					    const char *name,
					    const struct kbpf_insn *insns)
{
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_NETFILTER,
		.insns = insns,
		.insn_cnt = 2,
	};
	struct kbpf_reg_prog *rp;
	struct kbpf_prog *prog;

	rp = kbpf_registry_prog_new();
	KUNIT_ASSERT_NOT_NULL(test, rp);
	KUNIT_ASSERT_EQ(test, kbpf_prog_load(&opts, &prog), 0);
	KUNIT_ASSERT_EQ(test, kbpf_registry_prog_reserve(&kbpf_test_root, rp, prog,
							 name, NULL), 0);
	kbpf_registry_prog_commit(rp);
	return rp;
}

static int kbpf_test_try_attach(struct kbpf_reg_prog *rp,
				const struct kbpf_hook_id *at, s32 sched_prio)
{
	struct kbpf_nf_attach_opts o = {
		.family = at->family,
		.hook = at->hook,
		.sched_prio = sched_prio,
		.miss_verdict = KBPF_NF_ACCEPT,
		.mode = KBPF_MODE_INLINE,
	};
	int err;

	kbpf_registry_lock();
	err = kbpf_nf_attach_locked(&init_net, rp, &o, NULL);
	kbpf_registry_unlock();
	return err;
}

static void kbpf_test_attach(struct kunit *test, struct kbpf_reg_prog *rp,
			     s32 sched_prio)
{
	KUNIT_ASSERT_EQ(test, kbpf_test_try_attach(rp, &kbpf_test_hook,
						   sched_prio), 0);
}

static struct kbpf_nf_hookpt *kbpf_test_hookpt_at(const struct kbpf_hook_id *at)
{
	struct kbpf_nf_hookpt *hp;

	kbpf_registry_lock();
	hp = kbpf_nf_hook_find_locked(&init_net, at);
	kbpf_registry_unlock();
	return hp;
}

static struct kbpf_nf_hookpt *kbpf_test_hookpt(void)
{
	return kbpf_test_hookpt_at(&kbpf_test_hook);
}

/* Send n packets through hp's hook function; each must get verdict. */
static void kbpf_test_packets(struct kunit *test, struct kbpf_nf_hookpt *hp,
			      u32 n, unsigned int verdict)
{
	const struct nf_hook_state state = {
		.hook = NF_INET_FORWARD,
		.pf = NFPROTO_IPV4,
		.net = &init_net,
	};
	struct sk_buff *skb;
	unsigned int v;
	u32 i;

	for (i = 0; i < n; i++) {
		skb = alloc_skb(sizeof(kbpf_test_ipv4), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		skb_put_data(skb, kbpf_test_ipv4, sizeof(kbpf_test_ipv4));
		skb->protocol = htons(ETH_P_IP);
		skb_reset_network_header(skb);
		rcu_read_lock();
		v = hp->ops.hook(hp->ops.priv, skb, &state);
		rcu_read_unlock();
		kfree_skb(skb);
		KUNIT_EXPECT_EQ_MSG(test, v, verdict, "packet %u", i);
	}
}

static u64 kbpf_test_runs(struct kbpf_reg_prog *rp)
{
	struct kbpf_prog_stats st;

	kbpf_registry_lock();
	kbpf_registry_prog_read_stats(rp, &st);
	kbpf_registry_unlock();
	return st.run_cnt;
}

static void kbpf_test_hook_info(struct kbpf_nf_hookpt *hp,
				struct kbpf_hook_info_attr *hi)
{
	kbpf_registry_lock();
	kbpf_nf_hook_info_locked(hp, hi);
	kbpf_registry_unlock();
}

/* The packets each program ran on, and the hook point's drops and accepts. */
struct kbpf_test_counts {
	u64 pass;
	u64 drop;
	u64 hook_drops;
	u64 hook_accepts;
};

static void kbpf_test_expect_counts(struct kunit *test,
				    struct kbpf_nf_hookpt *hp,
				    struct kbpf_reg_prog *pass,
				    struct kbpf_reg_prog *drop,
				    const struct kbpf_test_counts *want)
{
	struct kbpf_hook_info_attr hi;

	kbpf_test_hook_info(hp, &hi);
	KUNIT_EXPECT_EQ(test, kbpf_test_runs(pass), want->pass);
	KUNIT_EXPECT_EQ(test, kbpf_test_runs(drop), want->drop);
	KUNIT_EXPECT_EQ(test, hi.stats.drops, want->hook_drops);
	KUNIT_EXPECT_EQ(test, hi.stats.accepts, want->hook_accepts);
	KUNIT_EXPECT_EQ(test, hi.stats.runs, want->hook_drops + want->hook_accepts);
}

static void kbpf_test_detach(struct kunit *test, struct kbpf_reg_prog *rp)
{
	int err;

	kbpf_registry_lock();
	err = kbpf_nf_detach_locked(&init_net, rp, true, kbpf_test_hook.family,
				    kbpf_test_hook.hook, 0, NULL);
	kbpf_registry_unlock();
	KUNIT_ASSERT_EQ(test, err, 0);
}

static void kbpf_test_unload(struct kbpf_reg_prog *rp)
{
	kbpf_registry_lock();
	kbpf_registry_prog_unload_locked(rp);
	kbpf_registry_unlock();
}

/* The published list of hp, read under the lock: n entries, cleared ones. */
static void kbpf_test_list(struct kbpf_nf_hookpt *hp,
			   const struct kbpf_nf_runlist **rlp, u32 *cleared)
{
	const struct kbpf_nf_runlist *rl;
	u32 i;

	kbpf_registry_lock();
	rl = rcu_dereference_protected(hp->run, true);
	*cleared = 0;
	for (i = 0; rl && i < rl->n; i++)
		*cleared += !rl->entries[i].link;
	kbpf_registry_unlock();
	*rlp = rl;
}

/*
 * An operation made n allocations: exactly want under the throughput
 * policy (the cloud profile's default); the deadline policy (embedded's)
 * adds admission's and the metered image's, so there only some.
 */
static void kbpf_test_expect_allocs(struct kunit *test, int n, int want)
{
#ifdef KBPF_PROFILE_EMBEDDED
	KUNIT_EXPECT_GT(test, n, 0);
#else
	KUNIT_EXPECT_EQ(test, n, want);
#endif
}

/* hp's published list (NULL for no hook point), read under the lock. */
static const struct kbpf_nf_runlist *kbpf_test_published(struct kbpf_nf_hookpt *hp)
{
	const struct kbpf_nf_runlist *rl;

	if (!hp)
		return NULL;
	kbpf_registry_lock();
	rl = rcu_dereference_protected(hp->run, true);
	kbpf_registry_unlock();
	return rl;
}

static u32 kbpf_test_links(struct kbpf_reg_prog *rp)
{
	u32 n;

	kbpf_registry_lock();
	n = kbpf_nf_link_count_locked(rp);
	kbpf_registry_unlock();
	return n;
}

/* Blocks kbpf holds once RCU callbacks that free some have run. */
static long kbpf_test_blocks(void)
{
	rcu_barrier();
	return kbpf_env_live_blocks_read();
}

/*
 * Attach rp once and detach it, so that what a program keeps for its
 * hook point's policy (the deadline policy's metered image, made at its
 * first attach and freed with the program) is there before blocks are
 * counted: a failed attach may rightly leave that behind.
 */
static void kbpf_test_warm(struct kunit *test, struct kbpf_reg_prog *rp)
{
	kbpf_test_attach(test, rp, 0);
	kbpf_test_detach(test, rp);
}

/*
 * Attach rp at ipv4/forward with its 1st, 2nd, ... allocation failing
 * until it succeeds; each failure must be -ENOMEM and leave the hook
 * point (or its absence), its published list, rp's attachments and the
 * blocks as they were.  Returns how many allocations the attach made.
 */
static int kbpf_test_attach_walk(struct kunit *test, struct kbpf_reg_prog *rp,
				 s32 sched_prio)
{
	struct kbpf_nf_hookpt *hp = kbpf_test_hookpt();
	const struct kbpf_nf_runlist *rl = kbpf_test_published(hp);
	bool fired;
	long blocks;
	int nth, err;

	for (nth = 1; nth <= 16; nth++) {
		blocks = kbpf_test_blocks();
		kbpf_env_fail_nth(nth);
		err = kbpf_test_try_attach(rp, &kbpf_test_hook, sched_prio);
		fired = !kbpf_env_fail_nth(0);
		if (!err && !fired)
			return nth - 1;
		KUNIT_EXPECT_EQ_MSG(test, err, -ENOMEM, "allocation %d failing", nth);
		KUNIT_EXPECT_TRUE_MSG(test, fired, "allocation %d", nth);
		KUNIT_EXPECT_PTR_EQ(test, kbpf_test_hookpt(), hp);
		KUNIT_EXPECT_PTR_EQ(test, kbpf_test_published(hp), rl);
		KUNIT_EXPECT_EQ(test, kbpf_test_links(rp), 0U);
		KUNIT_EXPECT_EQ_MSG(test, kbpf_test_blocks(), blocks,
				    "blocks after allocation %d failed", nth);
		if (err != -ENOMEM)
			break;
	}
	KUNIT_FAIL(test, "attach never succeeded (%d allocations tried)", nth);
	return -1;
}

/*
 * A new hook point's attach allocates the hook point, the link and the
 * run list; a second program's, its link and the new list.  Every failure
 * changes nothing; the chain then runs as if none had happened.
 */
static void kbpf_nf_attach_fail_nth_changes_nothing(struct kunit *test)
{
	struct kbpf_reg_prog *pass, *drop;
	struct kbpf_nf_hookpt *hp;
	long blocks;

	pass = kbpf_test_prog(test, "kunit_pass", kbpf_test_pass);
	drop = kbpf_test_prog(test, "kunit_drop", kbpf_test_drop);
	kbpf_test_warm(test, pass);
	kbpf_test_warm(test, drop);
	blocks = kbpf_test_blocks();

	kbpf_test_expect_allocs(test, kbpf_test_attach_walk(test, pass, 10), 3);
	hp = kbpf_test_hookpt();
	KUNIT_ASSERT_NOT_NULL(test, hp);
	kbpf_test_expect_allocs(test, kbpf_test_attach_walk(test, drop, 0), 2);
	kbpf_test_packets(test, hp, 4, NF_DROP);
	kbpf_test_expect_counts(test, hp, pass, drop,
				&(struct kbpf_test_counts){ 4, 4, 4, 0 });

	kbpf_test_detach(test, drop);
	kbpf_test_detach(test, pass);
	KUNIT_EXPECT_NULL(test, kbpf_test_hookpt());
	KUNIT_EXPECT_EQ(test, kbpf_test_blocks(), blocks);
	kbpf_test_unload(drop);
	kbpf_test_unload(pass);
}

static int kbpf_test_replace(struct kbpf_reg_prog *old,
			     struct kbpf_reg_prog *new)
{
	int err;

	kbpf_registry_lock();
	err = kbpf_nf_replace_locked(&init_net, old, new, NULL);
	kbpf_registry_unlock();
	return err;
}

/*
 * A replace of a program attached at two hook points allocates its step
 * array, then per chain the new link and the new list.  It is all or
 * nothing: every failure leaves both chains running the old program.
 */
static void kbpf_nf_replace_fail_nth_keeps_the_old(struct kunit *test)
{
	const struct kbpf_nf_runlist *rl4, *rl6;
	struct kbpf_nf_hookpt *hp4, *hp6;
	struct kbpf_reg_prog *old, *new;
	long blocks, before;
	bool fired;
	int nth, err;

	blocks = kbpf_test_blocks();
	old = kbpf_test_prog(test, "kunit_drop", kbpf_test_drop);
	new = kbpf_test_prog(test, "kunit_pass", kbpf_test_pass);
	kbpf_test_warm(test, new);
	KUNIT_ASSERT_EQ(test, kbpf_test_try_attach(old, &kbpf_test_hook, 0), 0);
	KUNIT_ASSERT_EQ(test, kbpf_test_try_attach(old, &kbpf_test_hook6, 0), 0);
	hp4 = kbpf_test_hookpt_at(&kbpf_test_hook);
	hp6 = kbpf_test_hookpt_at(&kbpf_test_hook6);
	KUNIT_ASSERT_NOT_NULL(test, hp4);
	KUNIT_ASSERT_NOT_NULL(test, hp6);
	rl4 = kbpf_test_published(hp4);
	rl6 = kbpf_test_published(hp6);

	for (nth = 1; nth <= 16; nth++) {
		before = kbpf_test_blocks();
		kbpf_env_fail_nth(nth);
		err = kbpf_test_replace(old, new);
		fired = !kbpf_env_fail_nth(0);
		if (!err && !fired)
			break;
		KUNIT_EXPECT_EQ_MSG(test, err, -ENOMEM, "allocation %d failing", nth);
		KUNIT_EXPECT_TRUE_MSG(test, fired, "allocation %d", nth);
		KUNIT_EXPECT_PTR_EQ(test, kbpf_test_published(hp4), rl4);
		KUNIT_EXPECT_PTR_EQ(test, kbpf_test_published(hp6), rl6);
		KUNIT_EXPECT_EQ(test, kbpf_test_links(old), 2U);
		KUNIT_EXPECT_EQ(test, kbpf_test_links(new), 0U);
		KUNIT_EXPECT_EQ_MSG(test, kbpf_test_blocks(), before,
				    "blocks after allocation %d failed", nth);
		kbpf_test_packets(test, hp4, 1, NF_DROP);
		if (err != -ENOMEM)
			break;
	}
	/* Steps, then a link and a list per chain. */
	kbpf_test_expect_allocs(test, nth - 1, 5);
	KUNIT_EXPECT_EQ(test, kbpf_test_links(old), 0U);
	KUNIT_EXPECT_EQ(test, kbpf_test_links(new), 2U);
	kbpf_test_packets(test, hp4, 1, NF_ACCEPT);

	kbpf_test_unload(new);
	KUNIT_EXPECT_NULL(test, kbpf_test_hookpt_at(&kbpf_test_hook));
	KUNIT_EXPECT_NULL(test, kbpf_test_hookpt_at(&kbpf_test_hook6));
	kbpf_test_unload(old);
	KUNIT_EXPECT_EQ(test, kbpf_test_blocks(), blocks);
}

static void kbpf_nf_detach_no_memory_clears_in_place(struct kunit *test)
{
	long blocks;
	const struct kbpf_nf_runlist *before, *after;
	struct kbpf_reg_prog *pass, *drop;
	struct kbpf_hook_info_attr hi;
	struct kbpf_nf_hookpt *hp;
	u32 cleared;

	blocks = kbpf_test_blocks();
	KUNIT_ASSERT_NULL(test, kbpf_test_hookpt());

	/* Arrange: pass, then drop; 5 packets through both, all dropped. */
	pass = kbpf_test_prog(test, "kunit_pass", kbpf_test_pass);
	drop = kbpf_test_prog(test, "kunit_drop", kbpf_test_drop);
	kbpf_test_attach(test, pass, 10);
	kbpf_test_attach(test, drop, 0);
	hp = kbpf_test_hookpt();
	KUNIT_ASSERT_NOT_NULL(test, hp);
	kbpf_test_packets(test, hp, 5, NF_DROP);
	kbpf_test_expect_counts(test, hp, pass, drop,
				&(struct kbpf_test_counts){ 5, 5, 5, 0 });
	kbpf_test_list(hp, &before, &cleared);
	KUNIT_ASSERT_EQ(test, before->n, 2U);
	KUNIT_EXPECT_EQ(test, cleared, 0U);

	/* Act: detach drop with the next allocation (the new list) failing. */
	kbpf_env_fail_nth(1);
	kbpf_test_detach(test, drop);
	KUNIT_EXPECT_EQ_MSG(test, kbpf_env_fail_nth(0), 0,
			    "the detach made no allocation to fail");

	/* Assert: the same list, drop's entry cleared and skipped. */
	kbpf_test_list(hp, &after, &cleared);
	KUNIT_EXPECT_PTR_EQ(test, after, before);
	KUNIT_EXPECT_EQ(test, cleared, 1U);
	kbpf_test_hook_info(hp, &hi);
	KUNIT_EXPECT_EQ(test, hi.chain_cnt, 1U);
	kbpf_test_packets(test, hp, 7, NF_ACCEPT);
	/* Counters exact: drop keeps its 5 runs, pass and the hook count 12. */
	kbpf_test_expect_counts(test, hp, pass, drop,
				&(struct kbpf_test_counts){ 12, 5, 5, 7 });

	/*
	 * The next change builds a list again; the cleared slot's counts,
	 * folded into drop when its link went, are not counted twice.
	 */
	kbpf_test_attach(test, drop, 0);
	kbpf_test_list(hp, &after, &cleared);
	KUNIT_EXPECT_EQ(test, after->n, 2U);
	KUNIT_EXPECT_EQ(test, cleared, 0U);
	kbpf_test_packets(test, hp, 3, NF_DROP);
	kbpf_test_expect_counts(test, hp, pass, drop,
				&(struct kbpf_test_counts){ 15, 8, 8, 7 });

	/* Unloads detach everything: the hook point and every block go. */
	kbpf_test_unload(drop);
	kbpf_test_unload(pass);
	KUNIT_EXPECT_NULL(test, kbpf_test_hookpt());
	KUNIT_EXPECT_EQ(test, kbpf_test_blocks(), blocks);
}

/* The last detach of a hook point needs no list: no allocation to fail. */
static void kbpf_nf_detach_last_needs_no_memory(struct kunit *test)
{
	struct kbpf_reg_prog *drop;
	struct kbpf_nf_hookpt *hp;

	drop = kbpf_test_prog(test, "kunit_drop", kbpf_test_drop);
	kbpf_test_attach(test, drop, 0);
	hp = kbpf_test_hookpt();
	KUNIT_ASSERT_NOT_NULL(test, hp);
	kbpf_test_packets(test, hp, 2, NF_DROP);

	kbpf_env_fail_nth(1);
	kbpf_test_detach(test, drop);
	/* Still armed: nothing was allocated, and nothing may stay armed. */
	KUNIT_EXPECT_EQ(test, kbpf_env_fail_nth(0), 1);
	KUNIT_EXPECT_NULL(test, kbpf_test_hookpt());
	KUNIT_EXPECT_EQ(test, kbpf_test_runs(drop), 2ULL);
	kbpf_test_unload(drop);
}

static struct kunit_case kbpf_nf_nomem_cases[] = {
	KUNIT_CASE(kbpf_nf_detach_no_memory_clears_in_place),
	KUNIT_CASE(kbpf_nf_detach_last_needs_no_memory),
	KUNIT_CASE(kbpf_nf_attach_fail_nth_changes_nothing),
	KUNIT_CASE(kbpf_nf_replace_fail_nth_keeps_the_old),
	{}
};

static struct kunit_suite kbpf_nf_nomem_suite = {
	.name = "kbpf_nf_nomem",
	.test_cases = kbpf_nf_nomem_cases,
};

kunit_test_suite(kbpf_nf_nomem_suite);
