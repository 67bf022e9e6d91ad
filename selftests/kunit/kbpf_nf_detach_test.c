// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf_nf_detach: a detach that finds no memory for the shorter run list.
 *
 * A detach must not fail, so when the new list cannot be allocated
 * (hookpt_update_removal() in kmod/netfilter.c) the link is cleared in
 * place in the published list: packets skip the empty entry, its slot
 * stays counted for the link until the link is freed and for nobody
 * after (docs/architecture.md, "Object lifetimes" and the dispatcher
 * under "Scheduling").  The allocation fails through the test seam of
 * core/env_kernel.h (kbpf_env_fail_nth()); packets are real skbs handed
 * to the hook point's netfilter hook function, as nf_hook_slow() would.
 *
 * The chain: "pass" (accepts, kbpf priority 10, runs first) and "drop"
 * (drops).  While both run every packet is dropped; once "drop" is
 * cleared in place every packet must be accepted, with "pass" alone
 * counting it.  The hook point is ipv4/forward of the initial namespace,
 * where nothing else sends packets in the test VM.
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

static void kbpf_test_attach(struct kunit *test, struct kbpf_reg_prog *rp,
			     s32 sched_prio)
{
	struct kbpf_nf_attach_opts o = {
		.family = kbpf_test_hook.family,
		.hook = kbpf_test_hook.hook,
		.sched_prio = sched_prio,
		.miss_verdict = KBPF_NF_ACCEPT,
		.mode = KBPF_MODE_INLINE,
	};
	int err;

	kbpf_registry_lock();
	err = kbpf_nf_attach_locked(&init_net, rp, &o, NULL);
	kbpf_registry_unlock();
	KUNIT_ASSERT_EQ(test, err, 0);
}

static struct kbpf_nf_hookpt *kbpf_test_hookpt(void)
{
	struct kbpf_nf_hookpt *hp;

	kbpf_registry_lock();
	hp = kbpf_nf_hook_find_locked(&init_net, &kbpf_test_hook);
	kbpf_registry_unlock();
	return hp;
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

static void kbpf_nf_detach_no_memory_clears_in_place(struct kunit *test)
{
	long blocks;
	const struct kbpf_nf_runlist *before, *after;
	struct kbpf_reg_prog *pass, *drop;
	struct kbpf_hook_info_attr hi;
	struct kbpf_nf_hookpt *hp;
	u32 cleared;

	rcu_barrier();
	blocks = kbpf_env_live_blocks_read();
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
	rcu_barrier();
	KUNIT_EXPECT_EQ(test, kbpf_env_live_blocks_read(), blocks);
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

static struct kunit_case kbpf_nf_detach_cases[] = {
	KUNIT_CASE(kbpf_nf_detach_no_memory_clears_in_place),
	KUNIT_CASE(kbpf_nf_detach_last_needs_no_memory),
	{}
};

static struct kunit_suite kbpf_nf_detach_suite = {
	.name = "kbpf_nf_detach",
	.test_cases = kbpf_nf_detach_cases,
};

kunit_test_suite(kbpf_nf_detach_suite);
