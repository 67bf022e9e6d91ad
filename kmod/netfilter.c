// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter attachments and their dispatcher.
 *
 * A hook point is (network namespace, family, hook, netfilter priority).
 * Every program attached at one hook point runs from a single nf_hook_ops
 * owned by the hook point (struct kbpf_nf_hookpt), whose private pointer is
 * the hook point.  The hook function reads an immutable run list (struct
 * kbpf_nf_runlist) published with RCU: the attachments in run order under
 * the hook point's policy, with the policy itself.  Attach, detach, replace
 * and a policy change build a new list and swap it in; the netfilter hook
 * is registered when the first program arrives and unregistered when the
 * last one leaves.  The packet path takes no lock and allocates nothing.
 * Attach, detach and replace (a detach of the old program, then an attach
 * of the new) are announced through events.h, under the registry lock.
 *
 * Chain semantics: programs run in list order; DROP ends the chain and
 * drops the packet, ACCEPT hands the packet to the next program.  Under the
 * deadline policy a run is metered and a budget overrun yields the
 * attachment's miss verdict, which then acts like the program's own.
 * Observers (mode observe) are queued for a per-CPU worker (observe.c) and
 * never affect the verdict.
 *
 * Lifetimes, all under the registry lock: a link (attachment) sits on its
 * program's list and its hook point's list and holds a program reference.
 * Removing links unpublishes them first (new run list, or the hook
 * unregistered), then one synchronize_net() lets CPUs still inside the old
 * list leave it, then observer requests of the removed links are purged and
 * waited for (observe.c), and only then are links, lists and empty hook
 * points freed.  A hook point holds no reference on its namespace: pre_exit
 * removes everything first.
 *
 * netdev/ingress hook points are per device as well: the dispatcher is
 * registered on the device's ingress list (NFPROTO_NETDEV,
 * NF_NETDEV_INGRESS), holding no reference on it.  Before a device goes
 * (or moves to another namespace) NETDEV_UNREGISTER detaches every program
 * from its hook points, with detach events, and unregisters them.  A device
 * is looked up and checked to be registered under the registry lock, which
 * the notifier takes as well, so an attach racing with the removal is
 * either refused or seen by the notifier.
 *
 * If building the shrunken list of a detach fails for lack of memory, the
 * link is cleared in place in the published list instead (hook functions
 * skip NULL entries), as the kernel's bpf_prog_array_delete_safe() does,
 * so detach never fails.
 */
#include <linux/netfilter.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>
#include <linux/bottom_half.h>
#include <linux/jump_label.h>
#include <linux/moduleparam.h>
#include <net/netlink.h>

#include "netfilter.h"
#include "nf_ctx.h"
#include "observe.h"
#include "events.h"
#include "core/sched/sched.h"

/* ---- settings ---------------------------------------------------------- */

DEFINE_STATIC_KEY_FALSE(kbpf_stats_key);

static char *policy = "";
module_param(policy, charp, 0444);
MODULE_PARM_DESC(policy,
		 "default scheduling policy: throughput or deadline (default: the profile's)");

static uint ns_per_insn;
module_param(ns_per_insn, uint, 0644);
MODULE_PARM_DESC(ns_per_insn,
		 "admission cost of one instruction in ns (0: the profile's)");

static int kbpf_stats_param_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int err = kstrtobool(val, &on);

	if (err)
		return err;
	kbpf_nf_set_stats(on);
	return 0;
}

static int kbpf_stats_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", kbpf_nf_stats_enabled());
}

static const struct kernel_param_ops kbpf_stats_param_ops = {
	.set = kbpf_stats_param_set,
	.get = kbpf_stats_param_get,
};
module_param_cb(stats, &kbpf_stats_param_ops, NULL, 0644);
MODULE_PARM_DESC(stats, "measure run time of every program (costs two clock reads)");

static u32 kbpf_default_policy = KBPF_SCHED_THROUGHPUT;

void kbpf_nf_set_stats(bool on)
{
	if (on)
		static_branch_enable(&kbpf_stats_key);
	else
		static_branch_disable(&kbpf_stats_key);
}

bool kbpf_nf_stats_enabled(void)
{
	return static_key_enabled(&kbpf_stats_key);
}

u32 kbpf_nf_default_policy(void)
{
	return kbpf_default_policy;
}

u32 kbpf_nf_ns_per_insn(void)
{
	return READ_ONCE(ns_per_insn) ?: kbpf_default_limits()->ns_per_insn;
}

const char *kbpf_sched_policy_name(u32 policy)
{
	return policy == KBPF_SCHED_DEADLINE ? "deadline" : "throughput";
}

/* ---- objects ----------------------------------------------------------- */

/*
 * Every namespace's hook points, under the registry lock, in creation
 * order.  One list for all rather than per-netns memory
 * (pernet_operations.size), which the kernel would allocate for every
 * namespace, after load and whether or not it ever hooks anything; only
 * attach, detach, dumps and namespace or device events walk it, never a
 * packet.
 */
static LIST_HEAD(kbpf_nf_hookpts);
static u64 kbpf_nf_seq;		/* attach order, under the registry lock */

bool kbpf_nf_family_valid(u32 family)
{
	return family == KBPF_NF_FAMILY_IPV4 || family == KBPF_NF_FAMILY_IPV6 ||
	       family == KBPF_NF_FAMILY_NETDEV;
}

/* ipv4 and ipv6 have the five IP hooks, netdev only ingress. */
bool kbpf_nf_hook_valid(u32 family, u32 hook)
{
	if (family == KBPF_NF_FAMILY_NETDEV)
		return hook == KBPF_NF_HOOK_INGRESS &&
		       IS_ENABLED(CONFIG_NETFILTER_INGRESS);
	return kbpf_nf_family_valid(family) && hook < KBPF_NF_HOOK_INGRESS;
}

int kbpf_nf_check_hook(u32 family, u32 hook, s32 nf_prio,
		       struct netlink_ext_ack *extack)
{
	if (!kbpf_nf_family_valid(family)) {
		NL_SET_ERR_MSG(extack,
			       "family must be ipv4 (2), netdev (5) or ipv6 (10)");
		return -EINVAL;
	}
	if (family == KBPF_NF_FAMILY_NETDEV && hook == KBPF_NF_HOOK_INGRESS &&
	    !IS_ENABLED(CONFIG_NETFILTER_INGRESS)) {
		NL_SET_ERR_MSG(extack,
			       "this kernel has no netfilter ingress hook (CONFIG_NETFILTER_INGRESS)");
		return -EOPNOTSUPP;
	}
	if (!kbpf_nf_hook_valid(family, hook)) {
		NL_SET_ERR_MSG(extack, "no such netfilter family or hook");
		return -EINVAL;
	}
	/* As the netlink policy: both extremes are netfilter's own. */
	if (nf_prio < KBPF_NF_PRIO_MIN || nf_prio > KBPF_NF_PRIO_MAX) {
		NL_SET_ERR_MSG(extack,
			       "netfilter priority must lie strictly between NF_IP_PRI_FIRST and NF_IP_PRI_LAST");
		return -ERANGE;
	}
	return 0;
}

static u32 hookpt_policy(const struct kbpf_nf_hookpt *hp)
{
	return hp->policy ?: kbpf_default_policy;
}

static u64 hookpt_deadline(const struct kbpf_nf_hookpt *hp)
{
	return hp->deadline_ns ?: kbpf_default_limits()->default_deadline_ns;
}

/*
 * A formatted extended-ack message.  Kernels with NL_SET_ERR_MSG_FMT keep
 * it in the extack itself (80 bytes); older ones only take a pointer, so
 * the text goes into one of a ring of buffers, reused only after many more
 * messages, long after the reply carrying it was sent.
 */
__printf(2, 3) void kbpf_nf_errmsg(struct netlink_ext_ack *extack,
				   const char *fmt, ...)
{
#ifdef NETLINK_MAX_FMTMSG_LEN
	char *buf = extack ? extack->_msg_buf : NULL;
	size_t size = NETLINK_MAX_FMTMSG_LEN;
#else
	static char ring[16][96];
	static unsigned int next;
	char *buf = extack ? ring[next++ % ARRAY_SIZE(ring)] : NULL;
	size_t size = sizeof(ring[0]);
#endif
	va_list ap;

	if (!buf)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	extack->_msg = buf;
}

/* ---- the packet path --------------------------------------------------- */

/* Count one run's outcome; dt is its run time, valid if timed. */
static __always_inline void count_run(struct kbpf_nf_stats *st, u64 r0,
				      bool overrun, bool miss, bool timed,
				      u64 dt)
{
	u64_stats_update_begin(&st->syncp);
	if (r0 == KBPF_NF_ACCEPT)
		st->accepts++;
	else
		st->drops++;	/* drop or reject */
	if (timed) {
		st->overruns += overrun;
		st->misses += miss;
		st->run_ns += dt;
		if (dt > st->run_ns_max)
			st->run_ns_max = dt;
	}
	u64_stats_update_end(&st->syncp);
}

/*
 * An observer request discarded unrun, past its deadline: a run accepted
 * and missed, as the scheduler counts it, but not one of the program's.
 */
void kbpf_nf_count_expired(struct kbpf_nf_stats *st)
{
	u64_stats_update_begin(&st->syncp);
	st->accepts++;
	st->misses++;
	st->expired++;
	u64_stats_update_end(&st->syncp);
}

/*
 * How a chain runs, fixed at compile time for each of its two callers:
 * untimed (throughput policy, statistics off: no clock, no meter, only
 * counters) or timed (the deadline policy or statistics on).
 */
struct chain_clock {
	u64 start;	/* the packet's arrival, for deadlines */
	u64 prev;	/* the end of the previous run */
};

/*
 * Run a program (run, kept for link) on chain's run area and count it in
 * st: metered under the deadline policy (an overrun takes link's miss
 * verdict), timed when asked.  r0, which the caller acts on.
 */
static __always_inline u64 entry_run(void *chain,
				     const struct kbpf_run_prog *run,
				     const struct kbpf_nf_link *link,
				     const u64 *args, u32 policy,
				     const bool timed, struct chain_clock *clk,
				     struct kbpf_nf_stats *st)
{
	bool deadline = timed && policy == KBPF_SCHED_DEADLINE;
	bool overrun = false, miss = false;
	u64 r0, now = 0;

	if (deadline) {
		struct kbpf_run_meter m = { .budget = link->sa.budget };

		r0 = kbpf_run_chain_prog_metered(chain, run->prog, args, &m);
		overrun = m.overrun;
		if (overrun)
			r0 = link->miss_verdict;
	} else {
		r0 = kbpf_run_chain_kept(chain, run, args);
	}
	if (timed) {
		now = ktime_get_mono_fast_ns();
		miss = deadline && now - clk->start > link->sa.deadline_ns;
	}
	count_run(st, r0, overrun, miss, timed, now - clk->prev);
	clk->prev = now;
	return r0;
}

u64 kbpf_nf_run_link(struct kbpf_nf_link *link, struct kbpf_nf_ctx_kern *ctx,
		     u32 policy, u64 start, u64 *prev, bool timed)
{
	u64 args[KBPF_HELPER_ARGS] = { (u64)(uintptr_t)ctx };
	struct chain_clock clk = { .start = start, .prev = *prev };
	struct kbpf_nf_stats *st = &link->stats[smp_processor_id()];
	void *chain;
	u64 r0;

	chain = kbpf_run_chain_begin(NULL);
	if (unlikely(!chain))
		return KBPF_NF_ACCEPT;
	if (timed)
		r0 = entry_run(chain, &link->run, link, args, policy, true,
			       &clk, st);
	else
		r0 = entry_run(chain, &link->run, link, args, policy, false,
			       &clk, st);
	kbpf_run_chain_end(chain);
	*prev = clk.prev;
	return r0;
}

/*
 * The one chain walk: rl's programs in order on one run area (frame 0 on
 * this stack when that is all its programs use, else this CPU's run
 * stack), observers queued, DROP and REJECT ending the chain, each run
 * counted in its entry's slot and the packet in the hook point's, both in
 * rl.  Inlined into its two callers with timed a constant, so the untimed
 * chain carries no clock or meter code.
 */
static __always_inline u64 chain_walk(struct kbpf_nf_hookpt *hp,
				      const struct kbpf_nf_runlist *rl,
				      struct kbpf_nf_ctx_kern *ctx,
				      struct sk_buff *skb, const bool timed)
{
	u64 args[KBPF_HELPER_ARGS] = { (u64)(uintptr_t)ctx };
	struct kbpf_run_frame0 frame0 __uninitialized;
	struct kbpf_nf_stats *st = rl->stats + smp_processor_id() * (rl->n + 1);
	struct chain_clock clk = { 0 };
	u64 r0 = KBPF_NF_ACCEPT;
	bool miss = false;
	void *chain;
	u32 i;

	if (rl->frame0)
		chain = kbpf_run_chain_begin_frame0(&frame0, skb);
	else
		chain = kbpf_run_chain_begin(skb);
	if (unlikely(!chain))
		return KBPF_NF_ACCEPT;
	if (timed) {
		clk.start = ktime_get_mono_fast_ns();
		clk.prev = clk.start;
	}
	for (i = 0; i < rl->n; i++) {
		const struct kbpf_nf_entry *e = &rl->entries[i];
		struct kbpf_nf_link *link = READ_ONCE(e->link);

		if (!link)
			continue;
		if (e->observe) {
			kbpf_obs_submit(link, &ctx->ctx, rl->policy, clk.start);
			continue;
		}
		r0 = entry_run(chain, &e->run, link, args, rl->policy, timed,
			       &clk, &st[1 + i]);
		/* DROP and REJECT end the chain; ACCEPT passes it on. */
		if (r0 != KBPF_NF_ACCEPT)
			break;
	}
	if (!rl->frame0)
		kbpf_run_chain_end(chain);
	if (timed)
		miss = rl->policy == KBPF_SCHED_DEADLINE &&
		       clk.prev - clk.start > hookpt_deadline(hp);
	count_run(&st[0], r0, false, miss, timed, clk.prev - clk.start);
	return r0;
}

/*
 * Throughput policy, statistics off: no clock read, nothing metered;
 * inlined into the hook, one call and return fewer per packet.
 */
static __always_inline u64 kbpf_nf_run_chain(struct kbpf_nf_hookpt *hp,
					     const struct kbpf_nf_runlist *rl,
					     struct kbpf_nf_ctx_kern *ctx,
					     struct sk_buff *skb)
{
	return chain_walk(hp, rl, ctx, skb, false);
}

/* The deadline policy, or statistics on: out of line, off the fast path. */
static noinline u64 kbpf_nf_run_chain_timed(struct kbpf_nf_hookpt *hp,
					    const struct kbpf_nf_runlist *rl,
					    struct kbpf_nf_ctx_kern *ctx,
					    struct sk_buff *skb)
{
	return chain_walk(hp, rl, ctx, skb, true);
}

/*
 * Page-aligned, it opens KBPF_PACKET_TEXT (netfilter.o links before the
 * core): the chain walk inlined here and the call into the interpreter stay
 * on one page.
 */
static unsigned int __aligned(PAGE_SIZE) KBPF_PACKET_TEXT
kbpf_nf_hookfn(void *priv, struct sk_buff *skb,
	       const struct nf_hook_state *state)
{
	struct kbpf_nf_hookpt *hp = priv;
	const struct kbpf_nf_runlist *rl;
	/*
	 * Fields no program of the chain reaches stay unset, and no auto-init
	 * fill (a rep stos) is wanted either.
	 */
	struct kbpf_nf_ctx_kern ctx __uninitialized;
	bool bh;
	u64 r0;

	rl = rcu_dereference(hp->run);
	if (unlikely(!rl))
		return NF_ACCEPT;
	/* Only what the chain's programs may read (an accept-all: nothing). */
	kbpf_nf_ctx_build_fields(&ctx, skb, hp->family, hp->hook, state,
				 rl->ctx_fields);

	/*
	 * The interpreter's per-CPU frames need softirqs off.  Hooks run in
	 * softirq, where they are, except local_out, which also runs in
	 * process context.  (On PREEMPT_RT a task in a bottom-half-disabled
	 * section holds the CPU's softirq lock: no other task's run can
	 * start on this CPU either.)
	 */
	bh = !in_softirq();
	if (bh)
		local_bh_disable();
	if (rl->policy == KBPF_SCHED_DEADLINE ||
	    static_branch_unlikely(&kbpf_stats_key))
		r0 = kbpf_nf_run_chain_timed(hp, rl, &ctx, skb);
	else
		r0 = kbpf_nf_run_chain(hp, rl, &ctx, skb);
	if (bh)
		local_bh_enable();

	/* A changed mark reaches the skb; REJECT answers the packet. */
	return kbpf_nf_ctx_finish_fields(&ctx, skb, r0, state,
					 rl->ctx_fields);
}

/* ---- run lists --------------------------------------------------------- */

static const struct kbpf_sched_attr *link_attr(const void *item)
{
	return &((const struct kbpf_nf_link *)item)->sa;
}

static const char *link_name(const void *ctx, u32 i)
{
	const struct kbpf_nf_runlist *rl = ctx;

	const char *name = rl->owners[i]->prog->obj.name;

	return name[0] ? name : "(anonymous)";
}

/*
 * A program whose plain image is at most this big runs from a copy in the
 * run list (kbpf_prog_image_copy_size()): a chain of small programs then
 * reaches no block but its hook point and its run list.  Four cache lines
 * hold an image of up to 14 instructions.
 */
#define KBPF_NF_IMAGE_COPY_MAX	(4 * SMP_CACHE_BYTES)

/*
 * A list of n entries in one block: the entries, their owners, the image
 * copies (images bytes), then the counters on cache lines of their own.
 * At most max_chain entries, each copy at most KBPF_NF_IMAGE_COPY_MAX.
 */
static struct kbpf_nf_runlist *runlist_alloc(u32 n, size_t images)
{
	struct kbpf_nf_runlist *rl;
	size_t head, size;

	head = ALIGN(struct_size(rl, entries, n) +
		     array_size(n, sizeof(*rl->owners)) + images,
		     SMP_CACHE_BYTES);
	size = head + array3_size(nr_cpu_ids, n + 1,
				  sizeof(struct kbpf_nf_stats));
	rl = kbpf_zalloc(size);
	if (!rl)
		return NULL;
	rl->n = n;
	rl->owners = (struct kbpf_nf_link **)&rl->entries[n];
	rl->images = (u8 *)&rl->owners[n];
	rl->stats = (struct kbpf_nf_stats *)((u8 *)rl + head);
	INIT_LIST_HEAD(&rl->retired);
	return rl;
}

/* The bytes link's image takes in a run list: 0 for none (observers too). */
static size_t link_image_copy_size(const struct kbpf_nf_link *link)
{
	if (link->sa.observe)
		return 0;
	return kbpf_prog_image_copy_size(link->run.prog,
					 KBPF_NF_IMAGE_COPY_MAX);
}

/* Point e's run at a copy of its image at rl->images + at; its bytes. */
static size_t runlist_copy_image(struct kbpf_nf_runlist *rl,
				 struct kbpf_nf_entry *e, size_t at)
{
	size_t size = link_image_copy_size(e->link);

	if (size)
		e->run.image = kbpf_prog_image_copy(e->run.prog,
						    rl->images + at, size);
	return size;
}

/* hp's links in run order under its policy. */
static struct kbpf_nf_runlist *runlist_build(struct kbpf_nf_hookpt *hp)
{
	struct kbpf_nf_runlist *rl;
	struct kbpf_nf_link *link;
	size_t images = 0, at = 0;
	u32 n = 0, i;

	list_for_each_entry(link, &hp->links, hp_node)
		images += link_image_copy_size(link);
	rl = runlist_alloc(hp->nlinks, images);
	if (!rl)
		return NULL;
	rl->policy = hookpt_policy(hp);
	list_for_each_entry(link, &hp->links, hp_node)
		rl->owners[n++] = link;
	kbpf_sched_sort((void **)rl->owners, n, rl->policy, link_attr);
	rl->frame0 = true;
	for (i = 0; i < n; i++) {
		struct kbpf_nf_entry *e = &rl->entries[i];

		link = rl->owners[i];
		e->run = link->run;
		e->link = link;
		e->observe = link->sa.observe;
		if (e->observe) {
			/* The request copies the whole context. */
			rl->ctx_fields = KBPF_NF_CTX_ALL;
			continue;
		}
		rl->ctx_fields |= link->run.prog->ctx_fields;
		if (!kbpf_prog_frame0_only(link->run.prog))
			rl->frame0 = false;
		at += runlist_copy_image(rl, e, at);
	}
	return rl;
}

/* Deadline policy: the chain must pass admission. */
static int runlist_admit(const struct kbpf_nf_hookpt *hp,
			 const struct kbpf_nf_runlist *rl,
			 struct netlink_ext_ack *extack)
{
	const struct kbpf_sched_attr **attrs;
	struct kbpf_admit_params p = {
		.hook_deadline_ns = hookpt_deadline(hp),
		.ns_per_insn = kbpf_nf_ns_per_insn(),
	};
	char msg[96];
	u32 i;
	int err;

	if (rl->policy != KBPF_SCHED_DEADLINE)
		return 0;
	attrs = kbpf_zalloc(array_size(rl->n ?: 1, sizeof(*attrs)));
	if (!attrs)
		return -ENOMEM;
	for (i = 0; i < rl->n; i++)
		attrs[i] = &rl->owners[i]->sa;
	err = kbpf_sched_admit(attrs, rl->n, &p, link_name, rl, msg,
			       sizeof(msg));
	if (err)
		kbpf_nf_errmsg(extack, "admission: %s", msg);
	kbpf_free(attrs);
	return err;
}

/* Add v to sum: counts add up, high-water marks and maxima do not. */
static void stats_add(const struct kbpf_nf_stats *v, struct kbpf_nf_stats *sum)
{
	sum->accepts += v->accepts;
	sum->drops += v->drops;
	sum->overruns += v->overruns;
	sum->misses += v->misses;
	sum->queued += v->queued;
	sum->qdrops += v->qdrops;
	sum->qhwm = max(sum->qhwm, v->qhwm);
	sum->run_ns += v->run_ns;
	sum->run_ns_max = max(sum->run_ns_max, v->run_ns_max);
	sum->expired += v->expired;
}

/* Add the per-CPU counters at first, one CPU's stride apart, to sum. */
static void stats_add_percpu(const struct kbpf_nf_stats *first, u32 stride,
			     struct kbpf_nf_stats *sum)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct kbpf_nf_stats *s = first + (size_t)cpu * stride;
		struct kbpf_nf_stats v;
		unsigned int seq;

		do {
			seq = u64_stats_fetch_begin(&s->syncp);
			v = *s;
		} while (u64_stats_fetch_retry(&s->syncp, seq));
		stats_add(&v, sum);
	}
}

/* Add what rl counted for its hook point (slot 0) or entry slot - 1. */
static void runlist_add_slot(const struct kbpf_nf_runlist *rl, u32 slot,
			     struct kbpf_nf_stats *sum)
{
	stats_add_percpu(&rl->stats[slot], rl->n + 1, sum);
}

/* No CPU is in rl any more: its counts go to their owners, then it goes. */
static void runlist_fold(struct kbpf_nf_hookpt *hp, struct kbpf_nf_runlist *rl)
{
	u32 i;

	runlist_add_slot(rl, 0, &hp->folded);
	for (i = 0; i < rl->n; i++)
		if (rl->owners[i])
			runlist_add_slot(rl, 1 + i, &rl->owners[i]->folded);
	list_del(&rl->retired);
	kbpf_free(rl);
}

/*
 * Fold hp's unpublished lists a grace period old; all of them when the
 * caller has just waited for one (synchronize_net(), which may be
 * expedited: polling the normal grace period's state would not see it).
 */
static void hookpt_fold(struct kbpf_nf_hookpt *hp, bool waited)
{
	struct kbpf_nf_runlist *rl, *tmp;

	list_for_each_entry_safe(rl, tmp, &hp->retired, retired)
		if (waited || poll_state_synchronize_rcu(rl->gp))
			runlist_fold(hp, rl);
}

/* Publish rl (or nothing when hp is empty), registering the hook as needed. */
static int runlist_publish(struct kbpf_nf_hookpt *hp,
			   struct kbpf_nf_runlist *rl)
{
	struct kbpf_nf_runlist *old;
	int err;

	old = rcu_replace_pointer(hp->run, rl,
				  kbpf_registry_is_locked());
	if (rl && !hp->registered) {
		err = nf_register_net_hook(hp->net, &hp->ops);
		if (err) {
			rcu_assign_pointer(hp->run, old);
			return err;
		}
		hp->registered = true;
	} else if (!rl && hp->registered) {
		nf_unregister_net_hook(hp->net, &hp->ops);
		hp->registered = false;
	}
	if (old) {
		/* CPUs may still count in it: folded once they are out. */
		old->gp = get_state_synchronize_rcu();
		list_add_tail(&old->retired, &hp->retired);
	}
	hookpt_fold(hp, false);
	return 0;
}

/*
 * Rebuild and publish hp's list after its links or policy changed; on
 * failure nothing is published and the caller undoes its change.
 */
static int hookpt_update(struct kbpf_nf_hookpt *hp,
			 struct netlink_ext_ack *extack)
{
	struct kbpf_nf_runlist *rl;
	int err;

	if (!hp->nlinks)
		return runlist_publish(hp, NULL);
	rl = runlist_build(hp);
	if (!rl)
		return -ENOMEM;
	err = runlist_admit(hp, rl, extack);
	if (!err) {
		err = runlist_publish(hp, rl);
		if (err)
			NL_SET_ERR_MSG(extack,
				       "netfilter refused to register the hook");
	}
	if (err)
		kbpf_free(rl);
	return err;
}

/* A detach must not fail: clear the link in place if no new list fits. */
static void hookpt_update_removal(struct kbpf_nf_hookpt *hp,
				  struct kbpf_nf_link *gone)
{
	struct kbpf_nf_runlist *rl;
	u32 i;

	if (!hookpt_update(hp, NULL))
		return;
	rl = rcu_dereference_protected(hp->run,
				       kbpf_registry_is_locked());
	for (i = 0; rl && i < rl->n; i++)
		if (rl->entries[i].link == gone)
			WRITE_ONCE(rl->entries[i].link, NULL);
}

/* ---- hook points ------------------------------------------------------- */

static struct kbpf_nf_hookpt *hookpt_find(struct net *net, u32 family,
					  u32 hook, s32 nf_prio, u32 ifindex)
{
	struct kbpf_nf_hookpt *hp;

	list_for_each_entry(hp, &kbpf_nf_hookpts, net_node)
		if (net_eq(hp->net, net) &&
		    hp->family == family && hp->hook == hook &&
		    hp->nf_prio == nf_prio && hp->ifindex == ifindex)
			return hp;
	return NULL;
}

/*
 * The device a request names: none but for netdev/ingress, which needs one
 * of net's, still registered.  No reference is kept: under the registry
 * lock a registered device cannot have been through NETDEV_UNREGISTER yet
 * (kbpf_nf_dev_gone() waits for the lock), and that removes whatever hook
 * point is made on it now.
 */
static int hookpt_dev(struct net *net, u32 family, u32 ifindex,
		      struct net_device **devp, struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	bool registered;

	*devp = NULL;
	if (family != KBPF_NF_FAMILY_NETDEV) {
		if (!ifindex)
			return 0;
		NL_SET_ERR_MSG(extack,
			       "a device is given only for netdev/ingress; ipv4 and ipv6 hooks see every device");
		return -EINVAL;
	}
	if (!ifindex) {
		NL_SET_ERR_MSG(extack,
			       "netdev/ingress is per device: give one (KBPF_A_IFINDEX)");
		return -EINVAL;
	}
	dev = dev_get_by_index(net, ifindex);
	if (!dev) {
		kbpf_nf_errmsg(extack,
			       "no device with ifindex %u in this network namespace",
			       ifindex);
		return -ENODEV;
	}
	registered = READ_ONCE(dev->reg_state) == NETREG_REGISTERED;
	dev_put(dev);
	if (!registered) {
		kbpf_nf_errmsg(extack, "device %u is being removed", ifindex);
		return -ENODEV;
	}
	*devp = dev;
	return 0;
}

/* The netfilter hook behind a hook point. */
static void hookpt_init_ops(struct kbpf_nf_hookpt *hp)
{
	hp->ops.hook = kbpf_nf_hookfn;
	hp->ops.priv = hp;
	hp->ops.priority = hp->nf_prio;
	if (hp->family == KBPF_NF_FAMILY_NETDEV) {
		hp->ops.pf = NFPROTO_NETDEV;
		hp->ops.hooknum = NF_NETDEV_INGRESS;
		hp->ops.dev = hp->dev;
	} else {
		hp->ops.pf = hp->family;
		hp->ops.hooknum = hp->hook;
	}
}

static struct kbpf_nf_hookpt *hookpt_get(struct net *net, u32 family,
					 u32 hook, s32 nf_prio,
					 struct net_device *dev)
{
	u32 ifindex = dev ? dev->ifindex : 0;
	struct kbpf_nf_hookpt *hp = hookpt_find(net, family, hook, nf_prio,
						ifindex);

	if (hp)
		return hp;
	hp = kbpf_zalloc(struct_size(hp, stats, nr_cpu_ids));
	if (!hp)
		return NULL;
	INIT_LIST_HEAD(&hp->free_node);
	INIT_LIST_HEAD(&hp->retired);
	hp->net = net;
	hp->family = family;
	hp->hook = hook;
	hp->nf_prio = nf_prio;
	hp->ifindex = ifindex;
	hp->dev = dev;
	if (dev)
		strscpy(hp->ifname, dev->name, sizeof(hp->ifname));
	INIT_LIST_HEAD(&hp->links);
	hookpt_init_ops(hp);
	list_add_tail(&hp->net_node, &kbpf_nf_hookpts);
	return hp;
}

/* Empty and without settings of its own: nothing to remember. */
static bool hookpt_unused(const struct kbpf_nf_hookpt *hp)
{
	return !hp->nlinks && !hp->policy && !hp->deadline_ns;
}

/* Unlink hp if unused, to be freed after the grace period. */
static void hookpt_retire(struct kbpf_nf_hookpt *hp, struct list_head *batch)
{
	if (!hookpt_unused(hp) || !list_empty(&hp->free_node))
		return;
	list_del(&hp->net_node);
	list_add_tail(&hp->free_node, batch);
}

/* After a grace period: no CPU is in any of hp's lists. */
static void hookpt_free(struct kbpf_nf_hookpt *hp)
{
	hookpt_fold(hp, true);
	kbpf_free(rcu_dereference_protected(hp->run, true));
	kbpf_free(hp);
}

/* ---- links ------------------------------------------------------------- */

/* Add what rl's entries owned by link counted (0 or 1 of them). */
static void runlist_add_link(const struct kbpf_nf_runlist *rl,
			     const struct kbpf_nf_link *link,
			     struct kbpf_nf_stats *sum)
{
	u32 i;

	for (i = 0; rl && i < rl->n; i++)
		if (rl->owners[i] == link)
			runlist_add_slot(rl, 1 + i, sum);
}

/*
 * Everything link counted, exact under the registry lock: what packets
 * count in its hook point's published and unpublished lists, what lists
 * since freed counted, and its own counters (observers).
 */
static void link_stats(const struct kbpf_nf_link *link,
		       struct kbpf_nf_stats *sum)
{
	const struct kbpf_nf_hookpt *hp = link->hp;
	const struct kbpf_nf_runlist *rl;

	memset(sum, 0, sizeof(*sum));
	stats_add_percpu(link->stats, 1, sum);
	stats_add(&link->folded, sum);
	runlist_add_link(rcu_dereference_protected(hp->run,
						   kbpf_registry_is_locked()),
			 link, sum);
	list_for_each_entry(rl, &hp->retired, retired)
		runlist_add_link(rl, link, sum);
}

/* The hook point's counters, as link_stats() sums a link's. */
static void hookpt_stats(const struct kbpf_nf_hookpt *hp,
			 struct kbpf_nf_stats *sum)
{
	const struct kbpf_nf_runlist *rl;

	memset(sum, 0, sizeof(*sum));
	stats_add_percpu(hp->stats, 1, sum);
	stats_add(&hp->folded, sum);
	rl = rcu_dereference_protected(hp->run, kbpf_registry_is_locked());
	if (rl)
		runlist_add_slot(rl, 0, sum);
	list_for_each_entry(rl, &hp->retired, retired)
		runlist_add_slot(rl, 0, sum);
}

/* What link ran its program: runs and run time, not expired requests. */
static void link_prog_stats(const struct kbpf_nf_link *link,
			    struct kbpf_prog_stats *sum)
{
	struct kbpf_nf_stats s;

	link_stats(link, &s);
	sum->run_cnt += s.accepts + s.drops - s.expired;
	sum->run_time_ns += s.run_ns;
}

/*
 * After a grace period (no CPU runs link any more): its counts go to its
 * program's.  A list published still may hold it, cleared in place: its
 * slot is link's no more.  The unpublished ones were folded already
 * (free_removed()), or never held it (a link that failed to attach).
 */
static void link_free(struct kbpf_nf_link *link)
{
	struct kbpf_nf_runlist *rl;
	u32 i;

	link_prog_stats(link, &link->prog->gone);
	rl = rcu_dereference_protected(link->hp->run,
				       kbpf_registry_is_locked());
	for (i = 0; rl && i < rl->n; i++)
		if (rl->owners[i] == link)
			rl->owners[i] = NULL;
	kbpf_registry_prog_put(link->prog);
	kbpf_free(link);
}

void kbpf_nf_add_prog_stats_locked(const struct kbpf_reg_prog *rp,
				   struct kbpf_prog_stats *sum)
{
	const struct kbpf_nf_link *link;

	kbpf_registry_assert_locked();
	list_for_each_entry(link, &rp->links, prog_node)
		link_prog_stats(link, sum);
}

static struct kbpf_nf_link *link_new(struct kbpf_reg_prog *rp,
				     struct kbpf_nf_hookpt *hp,
				     const struct kbpf_nf_attach_opts *o)
{
	struct kbpf_nf_link *link;

	link = kbpf_zalloc(struct_size(link, stats, nr_cpu_ids));
	if (!link)
		return NULL;
	link->hp = hp;
	link->sa.prio = o->sched_prio;
	link->sa.seq = kbpf_nf_seq++;
	link->sa.budget = o->budget ?: kbpf_default_limits()->default_budget;
	link->sa.deadline_ns = o->deadline_ns ?: hookpt_deadline(hp);
	link->sa.observe = o->mode == KBPF_MODE_OBSERVE;
	link->miss_verdict = o->miss_verdict;
	link->sa.worst_case = rp->prog->worst_case;
	refcount_inc(&rp->refcnt);
	link->prog = rp;
	kbpf_run_prog_init(&link->run, rp->prog);
	INIT_LIST_HEAD(&link->free_node);
	return link;
}

static bool link_at(const struct kbpf_nf_link *link, struct net *net,
		    u32 family, u32 hook, u32 ifindex)
{
	const struct kbpf_nf_hookpt *hp = link->hp;

	return net_eq(hp->net, net) && hp->family == family &&
	       hp->hook == hook && hp->ifindex == ifindex;
}

static struct kbpf_nf_link *kbpf_nf_find_link(struct kbpf_reg_prog *rp,
					      struct net *net, u32 family,
					      u32 hook, u32 ifindex)
{
	struct kbpf_nf_link *link;

	list_for_each_entry(link, &rp->links, prog_node)
		if (link_at(link, net, family, hook, ifindex))
			return link;
	return NULL;
}

/* What a program needs to run under hp's policy. */
static int prepare_prog(struct kbpf_reg_prog *rp, u32 policy,
			struct netlink_ext_ack *extack)
{
	if (policy != KBPF_SCHED_DEADLINE)
		return 0;
	if (kbpf_prog_prepare_metered(rp->prog)) {
		NL_SET_ERR_MSG(extack, "no memory for the metered program image");
		return -ENOMEM;
	}
	return 0;
}

/* Attached or detached, to the hook's namespace (events.h). */
static void notify_link(enum kbpf_event type, const struct kbpf_nf_link *link)
{
	struct kbpf_hook_id hook;
	struct kbpf_obj_event ev = {
		.type = type,
		.net = link->hp->net,
		.obj = &link->prog->obj,
		.hook = &hook,
	};

	kbpf_nf_hook_id(link->hp, &hook);
	kbpf_events_notify(&ev);
}

static int check_attach(struct net *net, struct kbpf_reg_prog *rp,
			const struct kbpf_nf_attach_opts *o,
			struct netlink_ext_ack *extack)
{
	int err;

	if (rp->prog->type != KBPF_PROG_TYPE_NETFILTER) {
		NL_SET_ERR_MSG(extack, "program is not a netfilter program");
		return -EINVAL;
	}
	err = kbpf_nf_check_hook(o->family, o->hook, o->nf_prio, extack);
	if (err)
		return err;
	if (o->mode >= __KBPF_MODE_MAX ||
	    (o->miss_verdict != KBPF_NF_DROP &&
	     o->miss_verdict != KBPF_NF_ACCEPT)) {
		NL_SET_ERR_MSG(extack, "bad mode or miss verdict");
		return -EINVAL;
	}
	if (kbpf_nf_find_link(rp, net, o->family, o->hook, o->ifindex)) {
		NL_SET_ERR_MSG(extack,
			       "program already attached to this hook in this namespace");
		return -EEXIST;
	}
	return 0;
}

int kbpf_nf_attach_locked(struct net *net, struct kbpf_reg_prog *rp,
			  const struct kbpf_nf_attach_opts *o,
			  struct netlink_ext_ack *extack)
{
	struct kbpf_nf_hookpt *hp;
	struct kbpf_nf_link *link;
	struct net_device *dev;
	LIST_HEAD(batch);
	int err;

	kbpf_registry_assert_locked();
	err = check_attach(net, rp, o, extack);
	if (!err)
		err = hookpt_dev(net, o->family, o->ifindex, &dev, extack);
	if (err)
		return err;
	hp = hookpt_get(net, o->family, o->hook, o->nf_prio, dev);
	if (!hp)
		return -ENOMEM;
	if (hp->nlinks >= kbpf_default_limits()->max_chain) {
		kbpf_nf_errmsg(extack,
			       "hook point already runs %u programs, the profile's limit",
			       hp->nlinks);
		err = -ENOSPC;
		goto err_hookpt;
	}
	err = prepare_prog(rp, hookpt_policy(hp), extack);
	if (err)
		goto err_hookpt;
	link = link_new(rp, hp, o);
	if (!link) {
		err = -ENOMEM;
		goto err_hookpt;
	}
	list_add_tail(&link->hp_node, &hp->links);
	hp->nlinks++;
	err = hookpt_update(hp, extack);
	if (err) {
		list_del(&link->hp_node);
		hp->nlinks--;
		link_free(link);
		goto err_hookpt;
	}
	list_add_tail(&link->prog_node, &rp->links);
	notify_link(KBPF_EVENT_PROG_ATTACHED, link);
	return 0;

err_hookpt:
	/* Nothing was ever published through a hook point made just now. */
	hookpt_retire(hp, &batch);
	if (!list_empty(&batch))
		hookpt_free(hp);
	return err;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_nf_attach_locked);

/* ---- removal ----------------------------------------------------------- */

/* Take link out of its lists and its hook point's run list. */
static void link_remove(struct kbpf_nf_link *link, struct list_head *links,
			struct list_head *hookpts, bool notify)
{
	struct kbpf_nf_hookpt *hp = link->hp;

	list_del(&link->prog_node);
	list_del(&link->hp_node);
	hp->nlinks--;
	hookpt_update_removal(hp, link);
	list_add_tail(&link->free_node, links);
	hookpt_retire(hp, hookpts);
	if (notify)
		notify_link(KBPF_EVENT_PROG_DETACHED, link);
}

/* After link_remove()s: wait for the packet path, then free. */
static void free_removed(struct list_head *links, struct list_head *hookpts)
{
	struct kbpf_nf_link *link, *tmp;
	struct kbpf_nf_hookpt *hp, *htmp;
	bool observers = false;

	if (list_empty(links) && list_empty(hookpts))
		return;
	synchronize_net();
	list_for_each_entry(link, links, free_node) {
		if (link->sa.observe) {
			kbpf_obs_purge(link);
			observers = true;
		}
	}
	/* A worker may have taken a request before the purge: let it finish. */
	if (observers)
		synchronize_net();
	/* The lists the links were in are a grace period old: fold them. */
	list_for_each_entry(link, links, free_node)
		hookpt_fold(link->hp, true);
	list_for_each_entry_safe(link, tmp, links, free_node)
		link_free(link);
	list_for_each_entry_safe(hp, htmp, hookpts, free_node)
		hookpt_free(hp);
}

int kbpf_nf_detach_locked(struct net *net, struct kbpf_reg_prog *rp, bool one,
			  u32 family, u32 hook, u32 ifindex,
			  struct netlink_ext_ack *extack)
{
	struct kbpf_nf_link *link, *tmp;
	LIST_HEAD(links);
	LIST_HEAD(hookpts);

	kbpf_registry_assert_locked();
	list_for_each_entry_safe(link, tmp, &rp->links, prog_node) {
		if (!net_eq(link->hp->net, net))
			continue;
		if (one && !link_at(link, net, family, hook, ifindex))
			continue;
		link_remove(link, &links, &hookpts, true);
	}
	if (list_empty(&links)) {
		if (one)
			NL_SET_ERR_MSG(extack,
				       "program is not attached to this hook in this namespace");
		else
			NL_SET_ERR_MSG(extack,
				       "program is not attached in this namespace");
		return -ENOENT;
	}
	free_removed(&links, &hookpts);
	return 0;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_nf_detach_locked);

void kbpf_nf_detach_prog_locked(struct kbpf_reg_prog *rp)
{
	struct kbpf_nf_link *link, *tmp;
	LIST_HEAD(links);
	LIST_HEAD(hookpts);

	kbpf_registry_assert_locked();
	list_for_each_entry_safe(link, tmp, &rp->links, prog_node)
		link_remove(link, &links, &hookpts, true);
	free_removed(&links, &hookpts);
}

/* ---- replace ----------------------------------------------------------- */

/* One chain of a replace: the old link and its prepared successor. */
struct replace_step {
	struct kbpf_nf_link *old;
	struct kbpf_nf_link *new;
	struct kbpf_nf_runlist *rl;
};

static int replace_prepare(struct replace_step *s, struct kbpf_reg_prog *new,
			   struct netlink_ext_ack *extack)
{
	struct kbpf_nf_hookpt *hp = s->old->hp;
	struct kbpf_nf_attach_opts o = {
		.sched_prio = s->old->sa.prio,
		.budget = s->old->sa.budget,
		.deadline_ns = s->old->sa.deadline_ns,
		.miss_verdict = s->old->miss_verdict,
		.mode = s->old->sa.observe ? KBPF_MODE_OBSERVE : KBPF_MODE_INLINE,
	};
	int err;

	if (kbpf_nf_find_link(new, hp->net, hp->family, hp->hook,
			      hp->ifindex)) {
		NL_SET_ERR_MSG(extack,
			       "new program is already attached to a hook of the old one");
		return -EEXIST;
	}
	err = prepare_prog(new, hookpt_policy(hp), extack);
	if (err)
		return err;
	s->new = link_new(new, hp, &o);
	if (!s->new)
		return -ENOMEM;
	/* Same position: same priority, deadline and attach order. */
	s->new->sa.seq = s->old->sa.seq;
	list_replace(&s->old->hp_node, &s->new->hp_node);
	s->rl = runlist_build(hp);
	err = s->rl ? runlist_admit(hp, s->rl, extack) : -ENOMEM;
	list_replace(&s->new->hp_node, &s->old->hp_node);
	return err;
}

static void replace_commit(struct replace_step *s, struct list_head *links)
{
	struct kbpf_nf_hookpt *hp = s->old->hp;

	list_replace(&s->old->hp_node, &s->new->hp_node);
	list_del(&s->old->prog_node);
	list_add_tail(&s->new->prog_node, &s->new->prog->links);
	/* The hook is registered already: publishing cannot fail. */
	runlist_publish(hp, s->rl);
	list_add_tail(&s->old->free_node, links);
	notify_link(KBPF_EVENT_PROG_DETACHED, s->old);
	notify_link(KBPF_EVENT_PROG_ATTACHED, s->new);
}

int kbpf_nf_replace_locked(struct net *net, struct kbpf_reg_prog *old,
			   struct kbpf_reg_prog *new,
			   struct netlink_ext_ack *extack)
{
	struct replace_step *steps;
	struct kbpf_nf_link *link;
	LIST_HEAD(links);
	LIST_HEAD(hookpts);
	u32 n = 0, i;
	int err = 0;

	kbpf_registry_assert_locked();
	if (new->prog->type != KBPF_PROG_TYPE_NETFILTER) {
		NL_SET_ERR_MSG(extack, "new program is not a netfilter program");
		return -EINVAL;
	}
	if (old == new) {
		NL_SET_ERR_MSG(extack, "a program cannot replace itself");
		return -EINVAL;
	}
	list_for_each_entry(link, &old->links, prog_node)
		n += net_eq(link->hp->net, net);
	if (!n) {
		NL_SET_ERR_MSG(extack, "program is not attached in this namespace");
		return -ENOENT;
	}
	steps = kbpf_zalloc(array_size(n, sizeof(*steps)));
	if (!steps)
		return -ENOMEM;
	n = 0;
	list_for_each_entry(link, &old->links, prog_node) {
		if (!net_eq(link->hp->net, net))
			continue;
		steps[n].old = link;
		err = replace_prepare(&steps[n++], new, extack);
		if (err)
			break;
	}
	if (err) {
		for (i = 0; i < n; i++) {
			kbpf_free(steps[i].rl);
			if (steps[i].new)
				link_free(steps[i].new);
		}
		kbpf_free(steps);
		return err;
	}
	for (i = 0; i < n; i++)
		replace_commit(&steps[i], &links);
	kbpf_free(steps);
	free_removed(&links, &hookpts);
	return 0;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_nf_replace_locked);

/* ---- hook point settings ----------------------------------------------- */

int kbpf_nf_hook_set_locked(struct net *net, u32 family, u32 hook,
			    s32 nf_prio, u32 ifindex, u32 policy,
			    u64 deadline_ns, struct netlink_ext_ack *extack)
{
	struct kbpf_nf_hookpt *hp;
	struct kbpf_nf_link *link;
	struct net_device *dev;
	u32 old_policy;
	u64 old_deadline;
	LIST_HEAD(batch);
	int err = 0;

	kbpf_registry_assert_locked();
	err = kbpf_nf_check_hook(family, hook, nf_prio, extack);
	if (err)
		return err;
	if (policy != U32_MAX && policy >= __KBPF_SCHED_MAX) {
		NL_SET_ERR_MSG(extack, "no such scheduling policy");
		return -EINVAL;
	}
	err = hookpt_dev(net, family, ifindex, &dev, extack);
	if (err)
		return err;
	hp = hookpt_get(net, family, hook, nf_prio, dev);
	if (!hp)
		return -ENOMEM;
	old_policy = hp->policy;
	old_deadline = hp->deadline_ns;
	if (policy != U32_MAX)
		hp->policy = policy;
	if (deadline_ns != U64_MAX)
		hp->deadline_ns = deadline_ns;
	list_for_each_entry(link, &hp->links, hp_node) {
		err = prepare_prog(link->prog, hookpt_policy(hp), extack);
		if (err)
			break;
	}
	if (!err && hp->nlinks)
		err = hookpt_update(hp, extack);
	if (err) {
		hp->policy = old_policy;
		hp->deadline_ns = old_deadline;
	}
	hookpt_retire(hp, &batch);
	if (!list_empty(&batch))
		hookpt_free(hp);
	return err;
}

/* ---- reporting --------------------------------------------------------- */

/* The counters as userspace sees them (link_stats(), hookpt_stats()). */
static void stats_info(const struct kbpf_nf_stats *s, struct kbpf_stats *out)
{
	*out = (struct kbpf_stats) {
		.runs = s->accepts + s->drops,
		.accepts = s->accepts,
		.drops = s->drops,
		.overruns = s->overruns,
		.misses = s->misses,
		.queued = s->queued,
		.queue_drops = s->qdrops,
		.queue_hwm = s->qhwm,
		.run_time_ns = s->run_ns,
		.run_time_max_ns = s->run_ns_max,
	};
}

/* Every member is set: the struct goes to userspace as it is. */
static void link_info(const struct kbpf_nf_link *link,
		      struct kbpf_attach_info *ai)
{
	const struct kbpf_nf_hookpt *hp = link->hp;
	struct kbpf_nf_stats st;

	memset(ai, 0, sizeof(*ai));
	ai->family = hp->family;
	ai->hook = hp->hook;
	ai->nf_prio = hp->nf_prio;
	ai->ifindex = hp->ifindex;
	if (hp->ifindex)
		strscpy(ai->ifname, hp->ifname, sizeof(ai->ifname));
	ai->netns_cookie = hp->net->net_cookie;
	ai->prog_id = link->prog->obj.id;
	strscpy(ai->prog_name, link->prog->obj.name, sizeof(ai->prog_name));
	ai->sched_prio = link->sa.prio;
	ai->budget = link->sa.budget;
	ai->miss_verdict = link->miss_verdict;
	ai->deadline_ns = link->sa.deadline_ns;
	ai->mode = link->sa.observe ? KBPF_MODE_OBSERVE : KBPF_MODE_INLINE;
	ai->policy = hookpt_policy(hp);
	link_stats(link, &st);
	stats_info(&st, &ai->stats);
}

u32 kbpf_nf_link_count_locked(const struct kbpf_reg_prog *rp)
{
	const struct kbpf_nf_link *link;
	u32 n = 0;

	kbpf_registry_assert_locked();
	list_for_each_entry(link, &rp->links, prog_node)
		n++;
	return n;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_nf_link_count_locked);

int kbpf_nf_prog_links_locked(const struct kbpf_reg_prog *rp, u32 pos,
			      kbpf_nf_info_fn fn, void *arg)
{
	const struct kbpf_nf_link *link;
	struct kbpf_attach_info ai;
	u32 i = 0;
	int err;

	kbpf_registry_assert_locked();
	list_for_each_entry(link, &rp->links, prog_node) {
		if (i++ < pos)
			continue;
		link_info(link, &ai);
		err = fn(arg, &ai);
		if (err)
			return err;
	}
	return 0;
}

void kbpf_nf_hook_id(const struct kbpf_nf_hookpt *hp, struct kbpf_hook_id *id)
{
	*id = (struct kbpf_hook_id) {
		.family = hp->family,
		.hook = hp->hook,
		.nf_prio = hp->nf_prio,
		.ifindex = hp->ifindex,
	};
}

/* Hook points walk in (family, hook, ifindex, nf_prio) order. */
static int hook_id_cmp(const struct kbpf_hook_id *a,
		       const struct kbpf_hook_id *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->hook != b->hook)
		return a->hook < b->hook ? -1 : 1;
	if (a->ifindex != b->ifindex)
		return a->ifindex < b->ifindex ? -1 : 1;
	if (a->nf_prio != b->nf_prio)
		return a->nf_prio < b->nf_prio ? -1 : 1;
	return 0;
}

struct kbpf_nf_hookpt *kbpf_nf_hook_find_locked(struct net *net,
						const struct kbpf_hook_id *id)
{
	kbpf_registry_assert_locked();
	return hookpt_find(net, id->family, id->hook, id->nf_prio,
			   id->ifindex);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_nf_hook_find_locked);

struct kbpf_nf_hookpt *kbpf_nf_hook_after_locked(struct net *net,
						 const struct kbpf_hook_id *start)
{
	struct kbpf_nf_hookpt *hp, *best = NULL;
	struct kbpf_hook_id id, best_id;

	kbpf_registry_assert_locked();
	list_for_each_entry(hp, &kbpf_nf_hookpts, net_node) {
		if (!net_eq(hp->net, net))
			continue;
		kbpf_nf_hook_id(hp, &id);
		if (hook_id_cmp(&id, start) <= 0 ||
		    (best && hook_id_cmp(&id, &best_id) >= 0))
			continue;
		best = hp;
		best_id = id;
	}
	return best;
}

/* The run list's live entries, in the order packets see them. */
static const struct kbpf_nf_runlist *
hookpt_runlist_locked(const struct kbpf_nf_hookpt *hp)
{
	return rcu_dereference_protected(hp->run, kbpf_registry_is_locked());
}

static u32 hookpt_chain_len(const struct kbpf_nf_hookpt *hp)
{
	const struct kbpf_nf_runlist *rl = hookpt_runlist_locked(hp);
	u32 i, n = 0;

	for (i = 0; rl && i < rl->n; i++)
		n += !!rl->entries[i].link;
	return n;
}

void kbpf_nf_hook_info_locked(const struct kbpf_nf_hookpt *hp,
			      struct kbpf_hook_info_attr *hi)
{
	struct kbpf_nf_stats st;

	kbpf_registry_assert_locked();
	kbpf_nf_hook_id(hp, &hi->hook);
	memset(hi->ifname, 0, sizeof(hi->ifname));
	if (hp->ifindex)
		strscpy(hi->ifname, hp->ifname, sizeof(hi->ifname));
	hi->policy = hookpt_policy(hp);
	hi->deadline_ns = hookpt_deadline(hp);
	hi->chain_cnt = hookpt_chain_len(hp);
	hookpt_stats(hp, &st);
	stats_info(&st, &hi->stats);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_nf_hook_info_locked);

int kbpf_nf_hook_links_locked(const struct kbpf_nf_hookpt *hp, u32 pos,
			      kbpf_nf_info_fn fn, void *arg)
{
	const struct kbpf_nf_runlist *rl = hookpt_runlist_locked(hp);
	struct kbpf_attach_info ai;
	u32 i, n = 0;
	int err;

	kbpf_registry_assert_locked();
	for (i = 0; rl && i < rl->n; i++) {
		if (!rl->entries[i].link || n++ < pos)
			continue;
		link_info(rl->entries[i].link, &ai);
		err = fn(arg, &ai);
		if (err)
			return err;
	}
	return 0;
}

/* ---- namespaces -------------------------------------------------------- */

/*
 * Unhook hp and forget its settings: it goes on the hookpts batch, its
 * links on the links batch.
 */
static void hookpt_clear(struct kbpf_nf_hookpt *hp, struct list_head *links,
			 struct list_head *hookpts, bool notify)
{
	struct kbpf_nf_link *link, *tmp;

	hp->policy = KBPF_SCHED_DEFAULT;
	hp->deadline_ns = 0;
	list_for_each_entry_safe(link, tmp, &hp->links, hp_node)
		link_remove(link, links, hookpts, notify);
	hookpt_retire(hp, hookpts);
}

/*
 * A namespace is going away (or the module is): unhook everything.  Nobody
 * is left in it to tell, so no events.
 */
static void __net_exit kbpf_nf_net_pre_exit(struct net *net)
{
	struct kbpf_nf_hookpt *hp, *htmp;
	LIST_HEAD(links);
	LIST_HEAD(hookpts);

	kbpf_registry_lock();
	list_for_each_entry_safe(hp, htmp, &kbpf_nf_hookpts, net_node)
		if (net_eq(hp->net, net))
			hookpt_clear(hp, &links, &hookpts, false);
	free_removed(&links, &hookpts);
	kbpf_registry_unlock();
}

/* ---- devices ----------------------------------------------------------- */

/*
 * dev is being unregistered, or moved to another namespace (still in its
 * old one here): its hook points are unhooked while it exists, and their
 * programs detached, with detach events, as a detach by hand would.
 */
static void kbpf_nf_dev_gone(struct net_device *dev)
{
	struct kbpf_nf_hookpt *hp, *htmp;
	LIST_HEAD(links);
	LIST_HEAD(hookpts);

	kbpf_registry_lock();
	list_for_each_entry_safe(hp, htmp, &kbpf_nf_hookpts, net_node)
		if (hp->dev == dev)
			hookpt_clear(hp, &links, &hookpts, true);
	free_removed(&links, &hookpts);
	kbpf_registry_unlock();
}

static void kbpf_nf_dev_renamed(struct net_device *dev)
{
	struct kbpf_nf_hookpt *hp;

	kbpf_registry_lock();
	list_for_each_entry(hp, &kbpf_nf_hookpts, net_node)
		if (hp->dev == dev)
			strscpy(hp->ifname, dev->name, sizeof(hp->ifname));
	kbpf_registry_unlock();
}

static int kbpf_nf_netdev_event(struct notifier_block *nb,
				unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (event == NETDEV_UNREGISTER)
		kbpf_nf_dev_gone(dev);
	else if (event == NETDEV_CHANGENAME)
		kbpf_nf_dev_renamed(dev);
	return NOTIFY_DONE;
}

static struct notifier_block kbpf_nf_netdev_nb = {
	.notifier_call = kbpf_nf_netdev_event,
};

/* No .size: a namespace costs kbpf nothing until it hooks something. */
static struct pernet_operations kbpf_nf_net_ops = {
	.pre_exit = kbpf_nf_net_pre_exit,
};

static int kbpf_nf_parse_policy(void)
{
	kbpf_default_policy = kbpf_default_limits()->default_policy;
	if (!policy[0])
		return 0;
	if (!strcmp(policy, "throughput"))
		kbpf_default_policy = KBPF_SCHED_THROUGHPUT;
	else if (!strcmp(policy, "deadline"))
		kbpf_default_policy = KBPF_SCHED_DEADLINE;
	else {
		pr_err("policy=%s: use throughput or deadline\n", policy);
		return -EINVAL;
	}
	return 0;
}

int kbpf_nf_init(void)
{
	int err;

	/* The uapi hook numbers are netfilter's. */
	BUILD_BUG_ON((int)KBPF_NF_HOOK_PRE_ROUTING != (int)NF_INET_PRE_ROUTING);
	BUILD_BUG_ON((int)KBPF_NF_HOOK_LOCAL_IN != (int)NF_INET_LOCAL_IN);
	BUILD_BUG_ON((int)KBPF_NF_HOOK_FORWARD != (int)NF_INET_FORWARD);
	BUILD_BUG_ON((int)KBPF_NF_HOOK_LOCAL_OUT != (int)NF_INET_LOCAL_OUT);
	BUILD_BUG_ON((int)KBPF_NF_HOOK_POST_ROUTING != (int)NF_INET_POST_ROUTING);
	BUILD_BUG_ON((int)KBPF_NF_FAMILY_IPV4 != (int)NFPROTO_IPV4);
	BUILD_BUG_ON((int)KBPF_NF_FAMILY_IPV6 != (int)NFPROTO_IPV6);
	BUILD_BUG_ON((int)KBPF_NF_FAMILY_NETDEV != (int)NFPROTO_NETDEV);
	BUILD_BUG_ON(KBPF_NF_DROP != NF_DROP);
	BUILD_BUG_ON(KBPF_NF_ACCEPT != NF_ACCEPT);

	err = kbpf_nf_parse_policy();
	if (err)
		return err;
	pr_info("scheduling: %s policy by default\n",
		kbpf_sched_policy_name(kbpf_default_policy));
	err = kbpf_obs_init();
	if (err)
		return err;
	kbpf_nf_reject_init();
	err = register_pernet_subsys(&kbpf_nf_net_ops);
	if (err)
		goto err_pernet;
	/* After the per-namespace lists exist: the notifier walks them. */
	err = register_netdevice_notifier(&kbpf_nf_netdev_nb);
	if (err)
		goto err_notifier;
	return 0;

err_notifier:
	unregister_pernet_subsys(&kbpf_nf_net_ops);
err_pernet:
	kbpf_nf_reject_exit();
	kbpf_obs_exit();
	return err;
}

/*
 * Unregistering the notifier replays NETDEV_UNREGISTER for every device,
 * which unhooks the netdev hook points; pre_exit on every namespace then
 * unhooks the rest.
 */
void kbpf_nf_exit(void)
{
	unregister_netdevice_notifier(&kbpf_nf_netdev_nb);
	unregister_pernet_subsys(&kbpf_nf_net_ops);
	/* Observers' and any other call_rcu() callbacks in this module. */
	rcu_barrier();
	kbpf_nf_reject_exit();
	kbpf_obs_exit();
	static_branch_disable(&kbpf_stats_key);
}
