/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attaching programs to netfilter hooks, per network namespace, and the
 * dispatcher that runs each hook point's chain under its scheduling policy.
 */
#ifndef KBPF_NETFILTER_H
#define KBPF_NETFILTER_H

#include <linux/if.h>
#include <linux/netlink.h>
#include <linux/jump_label.h>
#include <linux/u64_stats_sync.h>
#include <linux/netfilter.h>
#include <net/net_namespace.h>

#include "registry.h"
#include "core/sched/sched.h"

/*
 * Counters, one set per CPU: a run list's slot (where packets count), a
 * link's or hook point's own (observers), or a sum of them (folded).
 */
struct kbpf_nf_stats {
	/* A run accepts or drops: runs are accepts + drops, not counted. */
	u64 accepts;
	u64 drops;
	u64 overruns;		/* stopped by the budget */
	u64 misses;		/* finished after the deadline */
	u64 queued;		/* observer requests queued */
	u64 qdrops;		/* observer requests refused by a full queue */
	u64 qhwm;		/* deepest queue at an enqueue */
	u64 run_ns;		/* while statistics are on */
	u64 run_ns_max;
	/* Of runs and misses: observer requests discarded unrun (late). */
	u64 expired;
	struct u64_stats_sync syncp;
} ____cacheline_aligned;

/*
 * One attachment: a program in a hook point's chain.  Its counters are
 * in three places, summed when read (link_stats()): the run
 * lists' slots, where packets count; folded, what run lists since freed
 * counted; and stats, where observer workers count and requests are
 * queued.  A program's own figures are its attachments'
 * (kbpf_nf_add_prog_stats_locked()).
 */
struct kbpf_nf_link {
	struct list_head prog_node;	/* in kbpf_reg_prog.links */
	struct list_head hp_node;	/* in kbpf_nf_hookpt.links */
	struct list_head free_node;	/* on a removal batch */
	struct kbpf_reg_prog *prog;	/* holds a reference */
	struct kbpf_run_prog run;	/* prog->prog, as packets run it */
	struct kbpf_nf_hookpt *hp;
	struct kbpf_sched_attr sa;
	u32 miss_verdict;
	struct kbpf_nf_stats folded;	/* under the registry lock */
	struct kbpf_nf_stats stats[];	/* one per CPU id */
};

/*
 * A run list's entry: all a packet needs to run and count the program
 * without reading its link or its struct kbpf_prog.
 */
struct kbpf_nf_entry {
	struct kbpf_run_prog run;
	struct kbpf_nf_link *link;	/* NULL: detached in place, skipped */
	bool observe;
};

/*
 * What packets see: immutable once published, but for entries cleared in
 * place.  One allocation: the entries, their owners and the counters,
 * (n + 1) per CPU id, the hook point's first: a packet touches this
 * block, the hook point and the programs' code, nothing else.  An
 * unpublished list waits on its hook point's retired list until a grace
 * period has passed, when its counters are folded into its owners'.
 */
struct kbpf_nf_runlist {
	struct list_head retired;	/* in kbpf_nf_hookpt.retired */
	unsigned long gp;		/* get_state_synchronize_rcu() */
	u32 policy;
	/* Every inline program is kbpf_prog_frame0_only(). */
	bool frame0;
	/*
	 * The context fields the dispatcher sets (enum kbpf_nf_ctx_field):
	 * every one a program of the list may reach (kbpf_prog.ctx_fields),
	 * all of them if an observer copies the context.
	 */
	u32 ctx_fields;
	u32 n;
	/* Whose each entry's counters are; kept past a clear in place. */
	struct kbpf_nf_link **owners;
	/* Small programs' images, which their entries run (runlist_build()). */
	u8 *images;
	struct kbpf_nf_stats *stats;
	struct kbpf_nf_entry entries[];
};

struct kbpf_nf_hookpt {
	struct list_head net_node;	/* in kbpf_nf_hookpts (all netns) */
	struct list_head free_node;
	struct net *net;		/* no reference: pre_exit empties it */
	u32 family;
	u32 hook;
	s32 nf_prio;
	/*
	 * netdev/ingress: the device, without a reference: the netdevice
	 * notifier removes the hook point before the device goes.  Its
	 * name is kept here (renames included) for dumps.
	 */
	u32 ifindex;
	struct net_device *dev;
	char ifname[IFNAMSIZ];
	u32 policy;			/* KBPF_SCHED_DEFAULT: the module's */
	u64 deadline_ns;		/* 0: the profile's */
	struct list_head links;		/* attach order */
	u32 nlinks;
	bool registered;
	struct kbpf_nf_runlist __rcu *run;
	struct list_head retired;	/* unpublished run lists, not folded */
	struct nf_hook_ops ops;
	/* As a link's: folded from run lists; observers' queue counts. */
	struct kbpf_nf_stats folded;
	struct kbpf_nf_stats stats[];	/* one per CPU id */
};

/* Where and how to attach. */
struct kbpf_nf_attach_opts {
	u32 family;
	u32 hook;
	s32 nf_prio;		/* netfilter priority: selects the hook point */
	u32 ifindex;		/* netdev/ingress: the device, else 0 */
	s32 sched_prio;		/* kbpf priority within the chain */
	u32 budget;		/* 0: the profile's default */
	u64 deadline_ns;	/* 0: the hook point's deadline */
	u32 miss_verdict;	/* KBPF_NF_ACCEPT (default) or KBPF_NF_DROP */
	u32 mode;		/* enum kbpf_attach_mode */
};

int kbpf_nf_init(void);
void kbpf_nf_exit(void);

/* Whether the uapi family and hook numbers name something we attach to. */
bool kbpf_nf_family_valid(u32 family);
bool kbpf_nf_hook_valid(u32 family, u32 hook);
/*
 * Whether (family, hook, nf_prio) is somewhere kbpf attaches (what the
 * netlink policy and the ioctls' callers cannot check): 0, or -EINVAL,
 * -EOPNOTSUPP or -ERANGE with its message.
 */
int kbpf_nf_check_hook(u32 family, u32 hook, s32 nf_prio,
		       struct netlink_ext_ack *extack);

/* Run-time statistics (a static key, off by default). */
DECLARE_STATIC_KEY_FALSE(kbpf_stats_key);
void kbpf_nf_set_stats(bool on);
bool kbpf_nf_stats_enabled(void);
u32 kbpf_nf_default_policy(void);
u32 kbpf_nf_ns_per_insn(void);
const char *kbpf_sched_policy_name(u32 policy);

/* Callers hold the registry lock for all of these. */
int kbpf_nf_attach_locked(struct net *net, struct kbpf_reg_prog *rp,
			  const struct kbpf_nf_attach_opts *opts,
			  struct netlink_ext_ack *extack);
/*
 * Detach from (family, hook, ifindex) in net, or from every hook of net if
 * !one.  ifindex: the device of netdev/ingress, else 0.
 */
int kbpf_nf_detach_locked(struct net *net, struct kbpf_reg_prog *rp, bool one,
			  u32 family, u32 hook, u32 ifindex,
			  struct netlink_ext_ack *extack);
void kbpf_nf_detach_prog_locked(struct kbpf_reg_prog *rp);
/* new takes old's place, with its settings, in every chain of net. */
int kbpf_nf_replace_locked(struct net *net, struct kbpf_reg_prog *old,
			   struct kbpf_reg_prog *new,
			   struct netlink_ext_ack *extack);
/*
 * policy U32_MAX, deadline_ns U64_MAX: leave as is; policy
 * KBPF_SCHED_DEFAULT, deadline_ns 0: back to the module's and the
 * profile's (a hook point then back to defaults with nothing attached
 * goes away).
 */
int kbpf_nf_hook_set_locked(struct net *net, u32 family, u32 hook,
			    s32 nf_prio, u32 ifindex, u32 policy,
			    u64 deadline_ns, struct netlink_ext_ack *extack);
u32 kbpf_nf_link_count_locked(const struct kbpf_reg_prog *rp);

/*
 * Reporting, as plain uapi structs that genl.c turns into attributes and
 * the control ioctls copy out as they are (every byte set).  fn gets each
 * attachment from the pos'th on; a non-zero return stops the walk and is
 * returned.
 */
typedef int (*kbpf_nf_info_fn)(void *arg, const struct kbpf_attach_info *ai);
/* rp's attachments, in attach order. */
int kbpf_nf_prog_links_locked(const struct kbpf_reg_prog *rp, u32 pos,
			      kbpf_nf_info_fn fn, void *arg);
void kbpf_nf_hook_id(const struct kbpf_nf_hookpt *hp, struct kbpf_hook_id *id);
/* The hook point id names in net, or NULL. */
struct kbpf_nf_hookpt *kbpf_nf_hook_find_locked(struct net *net,
						const struct kbpf_hook_id *id);
/*
 * net's hook point following start in (family, hook, ifindex, nf_prio)
 * order, or NULL past the last; family 0 starts at the first.
 */
struct kbpf_nf_hookpt *kbpf_nf_hook_after_locked(struct net *net,
						 const struct kbpf_hook_id *start);
/* Its id, device name, policy and deadline in effect, counters, chain length. */
void kbpf_nf_hook_info_locked(const struct kbpf_nf_hookpt *hp,
			      struct kbpf_hook_info_attr *hi);
/* Its chain, in run order. */
int kbpf_nf_hook_links_locked(const struct kbpf_nf_hookpt *hp, u32 pos,
			      kbpf_nf_info_fn fn, void *arg);

/*
 * Add what rp's attachments ran it to sum: runs and run time (a freed
 * attachment's are in rp->gone).
 */
void kbpf_nf_add_prog_stats_locked(const struct kbpf_reg_prog *rp,
				   struct kbpf_prog_stats *sum);

/* For the observer workers (observe.c). */
void kbpf_nf_count_expired(struct kbpf_nf_stats *st);
/* Run link's program on an observer's copy (no skb) and count it. */
u64 kbpf_nf_run_link(struct kbpf_nf_link *link, struct kbpf_nf_ctx_kern *ctx,
		     u32 policy, u64 start, u64 *prev, bool timed);

/* A formatted extended-ack message (kept beyond the reply on old kernels). */
__printf(2, 3) void kbpf_nf_errmsg(struct netlink_ext_ack *extack,
				   const char *fmt, ...);

#endif /* KBPF_NETFILTER_H */
