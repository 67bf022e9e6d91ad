// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "kbpf": version, listing, attach, detach,
 * unload and destroy, plus the "events" multicast group.  The commands and
 * attributes are documented in uapi/linux/kbpf.h.
 *
 * Every attribute has a policy, so the core rejects malformed requests with
 * an extended ack before a handler runs.  Handlers then only turn attributes
 * into ctl.h's plain requests and call the control operation the device's
 * ioctls call too (ctl.c), which checks the rest, asks perm.c and sets the
 * extack message; replies are built from the same uapi structs the ioctls
 * return.  No command carries a GENL_*_PERM flag: every handler describes
 * its caller (kbpf_caller_from_skb).
 *
 * Dumps resume at (object id, attachment index): a program with more
 * attachments than one message holds continues in the next message, which
 * repeats its id.  A dump may be narrowed to one object by id or name.
 *
 * The "events" group is a subscriber of events.h: what the registry and
 * netfilter report, genl announces; they never call it.
 */
#include <linux/netfilter_ipv4.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "ctl.h"
#include "events.h"
#include "feature.h"
#include "genl.h"
#include "netfilter.h"
#include "perm.h"

/*
 * Both netfilter extremes are netfilter's own, as Linux's netfilter BPF
 * links decide (checked in kbpf_genl_init()).  Not const: the policy of 6.1
 * points at it through a non-const pointer.
 */
static struct netlink_range_validation_signed kbpf_genl_prio_range = {
	.min = KBPF_NF_PRIO_MIN,
	.max = KBPF_NF_PRIO_MAX,
};

static const struct nla_policy kbpf_genl_attach_policy[KBPF_ATTACH_A_MAX + 1] = {
	[KBPF_ATTACH_A_NF_FAMILY] = NLA_POLICY_RANGE(NLA_U32, KBPF_NF_FAMILY_IPV4,
						     KBPF_NF_FAMILY_IPV6),
	[KBPF_ATTACH_A_NF_HOOK] = NLA_POLICY_MAX(NLA_U32, __KBPF_NF_HOOK_MAX - 1),
	[KBPF_ATTACH_A_NF_PRIORITY] =
		NLA_POLICY_FULL_RANGE_SIGNED(NLA_S32, &kbpf_genl_prio_range),
	[KBPF_ATTACH_A_NETNS_COOKIE] = { .type = NLA_U64 },
	[KBPF_ATTACH_A_SCHED_PRIO] = { .type = NLA_S32 },
	[KBPF_ATTACH_A_BUDGET] = { .type = NLA_U32 },
	[KBPF_ATTACH_A_DEADLINE_NS] = { .type = NLA_U64 },
	[KBPF_ATTACH_A_MISS_VERDICT] = NLA_POLICY_MAX(NLA_U32, KBPF_NF_ACCEPT),
	[KBPF_ATTACH_A_MODE] = NLA_POLICY_MAX(NLA_U32, __KBPF_MODE_MAX - 1),
	[KBPF_ATTACH_A_PROG_ID] = { .type = NLA_U32 },
	[KBPF_ATTACH_A_PROG_NAME] = { .type = NLA_NUL_STRING,
				      .len = KBPF_OBJ_NAME_LEN - 1 },
	[KBPF_ATTACH_A_STATS] = { .type = NLA_NESTED },
	[KBPF_ATTACH_A_POLICY] = NLA_POLICY_MAX(NLA_U32, __KBPF_SCHED_MAX - 1),
	[KBPF_ATTACH_A_IFINDEX] = { .type = NLA_U32 },
	[KBPF_ATTACH_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
};

static const struct nla_policy kbpf_genl_policy[KBPF_A_MAX + 1] = {
	[KBPF_A_VERSION] = { .type = NLA_U32 },
	[KBPF_A_PROFILE] = { .type = NLA_NUL_STRING, .len = 15 },
	[KBPF_A_PROG_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[KBPF_A_PROG_NAME] = { .type = NLA_NUL_STRING,
			       .len = KBPF_OBJ_NAME_LEN - 1 },
	[KBPF_A_PROG_TYPE] = NLA_POLICY_RANGE(NLA_U32, KBPF_PROG_TYPE_NETFILTER,
					      __KBPF_PROG_TYPE_MAX - 1),
	[KBPF_A_PROG_INSN_CNT] = { .type = NLA_U32 },
	[KBPF_A_PROG_RUN_CNT] = { .type = NLA_U64 },
	[KBPF_A_PROG_RUN_TIME_NS] = { .type = NLA_U64 },
	[KBPF_A_ATTACHMENT] = NLA_POLICY_NESTED(kbpf_genl_attach_policy),
	[KBPF_A_NF_FAMILY] = NLA_POLICY_RANGE(NLA_U32, KBPF_NF_FAMILY_IPV4,
					      KBPF_NF_FAMILY_IPV6),
	[KBPF_A_NF_HOOK] = NLA_POLICY_MAX(NLA_U32, __KBPF_NF_HOOK_MAX - 1),
	[KBPF_A_NF_PRIORITY] =
		NLA_POLICY_FULL_RANGE_SIGNED(NLA_S32, &kbpf_genl_prio_range),
	[KBPF_A_MAP_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[KBPF_A_MAP_NAME] = { .type = NLA_NUL_STRING,
			      .len = KBPF_OBJ_NAME_LEN - 1 },
	[KBPF_A_MAP_TYPE] = { .type = NLA_U32 },
	[KBPF_A_MAP_KEY_SIZE] = { .type = NLA_U32 },
	[KBPF_A_MAP_VALUE_SIZE] = { .type = NLA_U32 },
	[KBPF_A_MAP_MAX_ENTRIES] = { .type = NLA_U32 },
	[KBPF_A_EVENT] = NLA_POLICY_MAX(NLA_U32, KBPF_EVENT_MAP_DESTROYED),
	[KBPF_A_NR_CPUS] = { .type = NLA_U32 },
	[KBPF_A_MAP_BYTES_MAX] = { .type = NLA_U64 },
	[KBPF_A_MAPS_BYTES_MAX] = { .type = NLA_U64 },
	[KBPF_A_MAPS_BYTES_USED] = { .type = NLA_U64 },
	/* Padding only ever appears in replies. */
	[KBPF_A_PAD] = { .type = NLA_REJECT },
	[KBPF_A_MODULE_VERSION] = { .type = NLA_NUL_STRING,
				    .len = KBPF_MODULE_VERSION_LEN - 1 },
	[KBPF_A_PROG_ENGINE] = { .type = NLA_U32 },
	[KBPF_A_PROG_NATIVE_MODULE] = { .type = NLA_NUL_STRING,
					.len = MODULE_NAME_LEN - 1 },
	[KBPF_A_NETNS_COOKIE] = { .type = NLA_U64 },
	[KBPF_A_PROG_ATTACH_CNT] = { .type = NLA_U32 },
	[KBPF_A_SCHED_PRIO] = { .type = NLA_S32 },
	/* A budget of 0 would stop every run: 0 asks for the default. */
	[KBPF_A_BUDGET] = { .type = NLA_U32 },
	/* 0: the default (HOOK_SET: back to the profile's). */
	[KBPF_A_DEADLINE_NS] = { .type = NLA_U64 },
	[KBPF_A_MISS_VERDICT] = NLA_POLICY_MAX(NLA_U32, KBPF_NF_ACCEPT),
	[KBPF_A_MODE] = NLA_POLICY_MAX(NLA_U32, __KBPF_MODE_MAX - 1),
	[KBPF_A_POLICY] = NLA_POLICY_MAX(NLA_U32, __KBPF_SCHED_MAX - 1),
	[KBPF_A_NEW_PROG_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[KBPF_A_NEW_PROG_NAME] = { .type = NLA_NUL_STRING,
				   .len = KBPF_OBJ_NAME_LEN - 1 },
	[KBPF_A_WORST_CASE] = { .type = NLA_REJECT },
	[KBPF_A_STATS] = { .type = NLA_REJECT },
	[KBPF_A_STATS_ENABLED] = NLA_POLICY_MAX(NLA_U32, 1),
	[KBPF_A_FEATURE] = { .type = NLA_REJECT },
	[KBPF_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[KBPF_A_IFNAME] = { .type = NLA_REJECT },
	[KBPF_A_MAP_FLAGS] = { .type = NLA_REJECT },
	[KBPF_A_MAP_FROZEN] = { .type = NLA_REJECT },
};

enum kbpf_genl_mcgrp {
	KBPF_GENL_MCGRP_EVENTS_IDX,
};

/*
 * Joining needs CAP_NET_ADMIN over the listener's namespace (checked by
 * genetlink at bind time), and events go only to the namespace owning the
 * object and to the initial one: what a listener hears is what its dumps
 * would show.
 */
static const struct genl_multicast_group kbpf_genl_mcgrps[] = {
	[KBPF_GENL_MCGRP_EVENTS_IDX] = { .name = KBPF_GENL_MCGRP_EVENTS,
					 .flags = KBPF_GENL_MCGRP_ADMIN },
};

static struct genl_family kbpf_genl_family;

/* ---- replies ----------------------------------------------------------- */

/*
 * Replies are built from the structs the control ioctls return (ctl.c,
 * netfilter.c and feature.c fill them), so both ways in report the same.
 */
static int kbpf_genl_put_stats(struct sk_buff *skb, int attr,
			       const struct kbpf_stats *s)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, attr);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, KBPF_STATS_A_RUNS, s->runs, KBPF_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, KBPF_STATS_A_ACCEPTS, s->accepts,
			      KBPF_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, KBPF_STATS_A_DROPS, s->drops,
			      KBPF_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, KBPF_STATS_A_OVERRUNS, s->overruns,
			      KBPF_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, KBPF_STATS_A_MISSES, s->misses,
			      KBPF_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, KBPF_STATS_A_QUEUED, s->queued,
			      KBPF_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, KBPF_STATS_A_QUEUE_DROPS, s->queue_drops,
			      KBPF_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, KBPF_STATS_A_QUEUE_HWM, s->queue_hwm,
			      KBPF_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, KBPF_STATS_A_RUN_TIME_NS, s->run_time_ns,
			      KBPF_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, KBPF_STATS_A_RUN_TIME_MAX_NS,
			      s->run_time_max_ns, KBPF_STATS_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* One KBPF_A_ATTACHMENT nest. */
static int kbpf_genl_put_attach(struct sk_buff *skb,
				const struct kbpf_attach_info *ai)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, KBPF_A_ATTACHMENT);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, KBPF_ATTACH_A_NF_FAMILY, ai->family) ||
	    nla_put_u32(skb, KBPF_ATTACH_A_NF_HOOK, ai->hook) ||
	    nla_put_s32(skb, KBPF_ATTACH_A_NF_PRIORITY, ai->nf_prio) ||
	    nla_put_u64_64bit(skb, KBPF_ATTACH_A_NETNS_COOKIE,
			      ai->netns_cookie, KBPF_ATTACH_A_UNSPEC) ||
	    nla_put_u32(skb, KBPF_ATTACH_A_PROG_ID, ai->prog_id) ||
	    nla_put_string(skb, KBPF_ATTACH_A_PROG_NAME, ai->prog_name) ||
	    nla_put_s32(skb, KBPF_ATTACH_A_SCHED_PRIO, ai->sched_prio) ||
	    nla_put_u32(skb, KBPF_ATTACH_A_BUDGET, ai->budget) ||
	    nla_put_u64_64bit(skb, KBPF_ATTACH_A_DEADLINE_NS,
			      ai->deadline_ns, KBPF_ATTACH_A_UNSPEC) ||
	    nla_put_u32(skb, KBPF_ATTACH_A_MISS_VERDICT, ai->miss_verdict) ||
	    nla_put_u32(skb, KBPF_ATTACH_A_MODE, ai->mode) ||
	    nla_put_u32(skb, KBPF_ATTACH_A_POLICY, ai->policy) ||
	    (ai->ifindex &&
	     (nla_put_u32(skb, KBPF_ATTACH_A_IFINDEX, ai->ifindex) ||
	      nla_put_string(skb, KBPF_ATTACH_A_IFNAME, ai->ifname))) ||
	    kbpf_genl_put_stats(skb, KBPF_ATTACH_A_STATS, &ai->stats)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Everything about a program but its attachments. */
static int kbpf_genl_fill_prog_head(struct sk_buff *skb,
				    const struct kbpf_reg_prog *rp)
{
	struct kbpf_prog_info_attr pi = {};

	kbpf_ctl_prog_info_locked(rp, &pi);
	if (nla_put_u32(skb, KBPF_A_PROG_ID, pi.prog_id) ||
	    nla_put_string(skb, KBPF_A_PROG_NAME, pi.name) ||
	    nla_put_u32(skb, KBPF_A_PROG_TYPE, pi.prog_type) ||
	    nla_put_u32(skb, KBPF_A_PROG_INSN_CNT, pi.insn_cnt) ||
	    nla_put_u64_64bit(skb, KBPF_A_PROG_RUN_CNT, pi.run_cnt,
			      KBPF_A_PAD) ||
	    nla_put_u64_64bit(skb, KBPF_A_PROG_RUN_TIME_NS, pi.run_time_ns,
			      KBPF_A_PAD) ||
	    nla_put_u32(skb, KBPF_A_PROG_ENGINE, pi.engine) ||
	    (pi.engine == KBPF_ENGINE_NATIVE &&
	     nla_put_string(skb, KBPF_A_PROG_NATIVE_MODULE, pi.native_module)) ||
	    nla_put_u64_64bit(skb, KBPF_A_NETNS_COOKIE, pi.netns_cookie,
			      KBPF_A_PAD) ||
	    nla_put_u32(skb, KBPF_A_PROG_ATTACH_CNT, pi.attach_cnt) ||
	    nla_put_u64_64bit(skb, KBPF_A_WORST_CASE, pi.worst_case,
			      KBPF_A_PAD))
		return -EMSGSIZE;
	return 0;
}

/* Attachments into a message, counting those put in *pos. */
struct kbpf_genl_links {
	struct sk_buff *skb;
	u32 *pos;
};

static int kbpf_genl_put_link(void *arg, const struct kbpf_attach_info *ai)
{
	struct kbpf_genl_links *l = arg;
	int err = kbpf_genl_put_attach(l->skb, ai);

	if (!err && l->pos)
		(*l->pos)++;
	return err;
}

/* The head, then attachments from *pos on while they fit (see dumps). */
static int kbpf_genl_fill_prog(struct sk_buff *skb, const void *obj, u32 *pos)
{
	const struct kbpf_reg_prog *rp = obj;
	struct kbpf_genl_links l = { .skb = skb, .pos = pos };

	return kbpf_genl_fill_prog_head(skb, rp) ?:
	       kbpf_nf_prog_links_locked(rp, *pos, kbpf_genl_put_link, &l);
}

static int kbpf_genl_fill_map(struct sk_buff *skb, const void *obj, u32 *pos)
{
	struct kbpf_map_info_attr mi = {};

	kbpf_ctl_map_info_locked(obj, &mi);
	if (nla_put_u32(skb, KBPF_A_MAP_ID, mi.map_id) ||
	    nla_put_string(skb, KBPF_A_MAP_NAME, mi.name) ||
	    nla_put_u32(skb, KBPF_A_MAP_TYPE, mi.map_type) ||
	    nla_put_u32(skb, KBPF_A_MAP_KEY_SIZE, mi.key_size) ||
	    nla_put_u32(skb, KBPF_A_MAP_VALUE_SIZE, mi.value_size) ||
	    nla_put_u32(skb, KBPF_A_MAP_MAX_ENTRIES, mi.max_entries) ||
	    nla_put_u64_64bit(skb, KBPF_A_NETNS_COOKIE, mi.netns_cookie,
			      KBPF_A_PAD) ||
	    nla_put_u32(skb, KBPF_A_MAP_FLAGS, mi.map_flags) ||
	    nla_put_u32(skb, KBPF_A_MAP_FROZEN, mi.frozen))
		return -EMSGSIZE;
	return 0;
}

/* A hook point with its settings, counters and chain in run order. */
static int kbpf_genl_fill_hook(struct sk_buff *skb,
			       const struct kbpf_nf_hookpt *hp)
{
	struct kbpf_genl_links l = { .skb = skb };
	struct kbpf_hook_info_attr hi = {};

	kbpf_nf_hook_info_locked(hp, &hi);
	if (nla_put_u32(skb, KBPF_A_NF_FAMILY, hi.hook.family) ||
	    nla_put_u32(skb, KBPF_A_NF_HOOK, hi.hook.hook) ||
	    nla_put_s32(skb, KBPF_A_NF_PRIORITY, hi.hook.nf_prio) ||
	    nla_put_u32(skb, KBPF_A_POLICY, hi.policy) ||
	    nla_put_u64_64bit(skb, KBPF_A_DEADLINE_NS, hi.deadline_ns,
			      KBPF_A_PAD) ||
	    (hi.hook.ifindex &&
	     (nla_put_u32(skb, KBPF_A_IFINDEX, hi.hook.ifindex) ||
	      nla_put_string(skb, KBPF_A_IFNAME, hi.ifname))) ||
	    kbpf_genl_put_stats(skb, KBPF_A_STATS, &hi.stats))
		return -EMSGSIZE;
	return kbpf_nf_hook_links_locked(hp, 0, kbpf_genl_put_link, &l);
}

/* Start a reply to info; *hdr is where genlmsg_end() closes it. */
static struct sk_buff *kbpf_genl_reply_new(struct genl_info *info, u8 cmd,
					   void **hdr)
{
	struct sk_buff *msg;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &kbpf_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* ---- object lookup ----------------------------------------------------- */

/* The object a request names by id_attr or name_attr. */
static struct kbpf_ctl_obj kbpf_genl_obj(struct nlattr **attrs, int id_attr,
					 int name_attr)
{
	struct nlattr *id = attrs[id_attr], *name = attrs[name_attr];

	return (struct kbpf_ctl_obj) {
		.id = id ? nla_get_u32(id) : 0,
		.name = name ? nla_data(name) : NULL,
		.attr = id ?: name,
	};
}

static struct kbpf_reg_prog *
kbpf_genl_find_prog_locked(const struct kbpf_caller *c, struct nlattr **attrs,
			   struct netlink_ext_ack *extack)
{
	struct kbpf_ctl_obj o = kbpf_genl_obj(attrs, KBPF_A_PROG_ID,
					      KBPF_A_PROG_NAME);

	return kbpf_ctl_find_prog_locked(c, &o, extack);
}

static struct kbpf_reg_map *
kbpf_genl_find_map_locked(const struct kbpf_caller *c, struct nlattr **attrs,
			  struct netlink_ext_ack *extack)
{
	struct kbpf_ctl_obj o = kbpf_genl_obj(attrs, KBPF_A_MAP_ID,
					      KBPF_A_MAP_NAME);

	return kbpf_ctl_find_map_locked(c, &o, extack);
}

/* ---- dumps ------------------------------------------------------------- */

/*
 * How a GET dump walks one kind of registry object.  Objects go through
 * void * so that one walk serves programs and maps.
 */
struct kbpf_genl_walk {
	u8 cmd;
	u16 id_attr, name_attr;	/* what narrows the dump to one object */
	void *(*find_locked)(const struct kbpf_caller *c, struct nlattr **attrs,
			     struct netlink_ext_ack *extack);
	/* The visible object with the least id >= *id, setting *id. */
	void *(*next_locked)(const struct kbpf_caller *c, u32 *id);
	u32 (*id_of)(const void *obj);
	/* Fill one message; -EMSGSIZE with *pos advanced: resume there. */
	int (*fill)(struct sk_buff *skb, const void *obj, u32 *pos);
};

/* The state a dump keeps between rounds, in cb->args. */
enum {
	KBPF_DUMP_ID,		/* the object to continue with */
	KBPF_DUMP_POS,		/* its first part not sent yet */
	KBPF_DUMP_CALLER,	/* KBPF_DUMP_F_*, fixed at the first round */
	KBPF_DUMP_ONLY,		/* the one object asked for, or 0 */
};

#define KBPF_DUMP_F_STARTED	BIT(0)
#define KBPF_DUMP_F_ADMIN	BIT(1)
#define KBPF_DUMP_F_INIT_ADMIN	BIT(2)

/*
 * Later rounds may run in whichever task reads the socket: the rights are
 * those of the request, taken at the first round.
 */
static void kbpf_genl_dump_caller(struct netlink_callback *cb,
				  struct kbpf_caller *c)
{
	unsigned long *flags = &cb->args[KBPF_DUMP_CALLER];

	if (!(*flags & KBPF_DUMP_F_STARTED)) {
		kbpf_caller_from_skb(c, cb->skb);
		*flags = KBPF_DUMP_F_STARTED |
			 (c->admin ? KBPF_DUMP_F_ADMIN : 0) |
			 (c->init_admin ? KBPF_DUMP_F_INIT_ADMIN : 0);
	}
	c->net = sock_net(cb->skb->sk);
	c->admin = *flags & KBPF_DUMP_F_ADMIN;
	c->init_admin = *flags & KBPF_DUMP_F_INIT_ADMIN;
}

/* First round: a dump narrowed by id or name starts (and ends) there. */
static int kbpf_genl_dump_start_locked(struct netlink_callback *cb,
				       const struct kbpf_caller *c,
				       const struct kbpf_genl_walk *walk)
{
	struct nlattr **attrs = KBPF_GENL_DUMP_ATTRS(cb);
	void *obj;
	int err;

	err = kbpf_ctl_may_look(c, cb->extack);
	if (err)
		return err;
	if (!attrs || (!attrs[walk->id_attr] && !attrs[walk->name_attr]))
		return 0;
	obj = walk->find_locked(c, attrs, cb->extack);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	cb->args[KBPF_DUMP_ONLY] = walk->id_of(obj);
	cb->args[KBPF_DUMP_ID] = walk->id_of(obj);
	return 0;
}

/*
 * One round: whole objects while they fit.  An object whose parts overflow
 * ends the round after the parts that fit, and the next round resumes it;
 * if none of its parts fit, it is dropped from this round entirely (an
 * earlier object filled the message) and starts the next one.
 */
static int kbpf_genl_dump_round_locked(struct sk_buff *skb,
				       struct netlink_callback *cb,
				       const struct kbpf_caller *c,
				       const struct kbpf_genl_walk *walk)
{
	u32 id = cb->args[KBPF_DUMP_ID], pos = cb->args[KBPF_DUMP_POS], start;
	u32 only = cb->args[KBPF_DUMP_ONLY];
	void *obj, *hdr;
	int err = 0;

	while ((obj = walk->next_locked(c, &id))) {
		if (only && id != only)
			break;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &kbpf_genl_family,
				  NLM_F_MULTI, walk->cmd);
		if (!hdr) {
			err = -EMSGSIZE;
			break;
		}
		start = pos;
		err = walk->fill(skb, obj, &pos);
		if (err && pos == start) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		if (err)
			break;
		pos = 0;
		id = only ? U32_MAX : id + 1;
	}
	cb->args[KBPF_DUMP_ID] = id;
	cb->args[KBPF_DUMP_POS] = pos;
	/* A full skb ends this round; what fits no empty skb is an error. */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

static int kbpf_genl_dump(struct sk_buff *skb, struct netlink_callback *cb,
			  const struct kbpf_genl_walk *walk)
{
	struct kbpf_caller c;
	bool first = !cb->args[KBPF_DUMP_CALLER];
	int ret = 0;

	kbpf_genl_dump_caller(cb, &c);
	kbpf_registry_lock();
	if (first)
		ret = kbpf_genl_dump_start_locked(cb, &c, walk);
	if (!ret)
		ret = kbpf_genl_dump_round_locked(skb, cb, &c, walk);
	kbpf_registry_unlock();
	if (ret == -EMSGSIZE)
		NL_SET_ERR_MSG(cb->extack, "an object does not fit in a message");
	return ret;
}

static void *kbpf_genl_prog_find_locked(const struct kbpf_caller *c,
					struct nlattr **attrs,
					struct netlink_ext_ack *extack)
{
	return kbpf_genl_find_prog_locked(c, attrs, extack);
}

static void *kbpf_genl_prog_next_locked(const struct kbpf_caller *c, u32 *id)
{
	return kbpf_registry_prog_next_locked(c, id);
}

static u32 kbpf_genl_prog_id(const void *obj)
{
	return ((const struct kbpf_reg_prog *)obj)->obj.id;
}

static const struct kbpf_genl_walk kbpf_genl_prog_walk = {
	.cmd = KBPF_CMD_PROG_GET,
	.id_attr = KBPF_A_PROG_ID,
	.name_attr = KBPF_A_PROG_NAME,
	.find_locked = kbpf_genl_prog_find_locked,
	.next_locked = kbpf_genl_prog_next_locked,
	.id_of = kbpf_genl_prog_id,
	.fill = kbpf_genl_fill_prog,
};

static void *kbpf_genl_map_find_locked(const struct kbpf_caller *c,
				       struct nlattr **attrs,
				       struct netlink_ext_ack *extack)
{
	return kbpf_genl_find_map_locked(c, attrs, extack);
}

static void *kbpf_genl_map_next_locked(const struct kbpf_caller *c, u32 *id)
{
	return kbpf_registry_map_next_locked(c, id);
}

static u32 kbpf_genl_map_id(const void *obj)
{
	return ((const struct kbpf_reg_map *)obj)->obj.id;
}

static const struct kbpf_genl_walk kbpf_genl_map_walk = {
	.cmd = KBPF_CMD_MAP_GET,
	.id_attr = KBPF_A_MAP_ID,
	.name_attr = KBPF_A_MAP_NAME,
	.find_locked = kbpf_genl_map_find_locked,
	.next_locked = kbpf_genl_map_next_locked,
	.id_of = kbpf_genl_map_id,
	.fill = kbpf_genl_fill_map,
};

/* ---- commands ---------------------------------------------------------- */

static int kbpf_genl_get_version_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct kbpf_version_attr v = {};
	struct sk_buff *msg;
	void *hdr;

	msg = kbpf_genl_reply_new(info, KBPF_CMD_GET_VERSION, &hdr);
	if (!msg)
		return -ENOMEM;
	kbpf_ctl_version(&v);
	if (nla_put_u32(msg, KBPF_A_VERSION, v.version) ||
	    nla_put_string(msg, KBPF_A_PROFILE, v.profile) ||
	    nla_put_string(msg, KBPF_A_MODULE_VERSION, v.module_version) ||
	    nla_put_u32(msg, KBPF_A_NR_CPUS, v.nr_cpus) ||
	    nla_put_u64_64bit(msg, KBPF_A_MAP_BYTES_MAX, v.map_bytes_max,
			      KBPF_A_PAD) ||
	    nla_put_u64_64bit(msg, KBPF_A_MAPS_BYTES_MAX, v.maps_bytes_max,
			      KBPF_A_PAD) ||
	    nla_put_u64_64bit(msg, KBPF_A_MAPS_BYTES_USED, v.maps_bytes_used,
			      KBPF_A_PAD)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/*
 * A program's attachments as far as one message holds them; the reply's
 * KBPF_A_PROG_ATTACH_CNT tells how many there are, and a dump narrowed to
 * the program lists them all.
 */
static int kbpf_genl_prog_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kbpf_genl_links l = {};
	struct kbpf_reg_prog *rp;
	struct kbpf_caller c;
	struct sk_buff *msg;
	void *hdr;
	int err;

	kbpf_caller_from_skb(&c, skb);
	msg = kbpf_genl_reply_new(info, KBPF_CMD_PROG_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	l.skb = msg;
	kbpf_registry_lock();
	rp = kbpf_genl_find_prog_locked(&c, info->attrs, info->extack);
	err = IS_ERR(rp) ? PTR_ERR(rp) : kbpf_genl_fill_prog_head(msg, rp);
	if (!err)
		kbpf_nf_prog_links_locked(rp, 0, kbpf_genl_put_link, &l);
	kbpf_registry_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int kbpf_genl_prog_get_dumpit(struct sk_buff *skb,
				     struct netlink_callback *cb)
{
	return kbpf_genl_dump(skb, cb, &kbpf_genl_prog_walk);
}

/* The scheduling settings of an attach request. */
static void kbpf_genl_attach_opts(struct genl_info *info,
				  struct kbpf_nf_attach_opts *o)
{
	struct nlattr **a = info->attrs;

	o->family = nla_get_u32(a[KBPF_A_NF_FAMILY]);
	o->hook = nla_get_u32(a[KBPF_A_NF_HOOK]);
	o->nf_prio = a[KBPF_A_NF_PRIORITY] ?
		     nla_get_s32(a[KBPF_A_NF_PRIORITY]) : 0;
	o->ifindex = a[KBPF_A_IFINDEX] ? nla_get_u32(a[KBPF_A_IFINDEX]) : 0;
	o->sched_prio = a[KBPF_A_SCHED_PRIO] ?
			nla_get_s32(a[KBPF_A_SCHED_PRIO]) : 0;
	o->budget = a[KBPF_A_BUDGET] ? nla_get_u32(a[KBPF_A_BUDGET]) : 0;
	o->deadline_ns = a[KBPF_A_DEADLINE_NS] ?
			 nla_get_u64(a[KBPF_A_DEADLINE_NS]) : 0;
	o->miss_verdict = a[KBPF_A_MISS_VERDICT] ?
			  nla_get_u32(a[KBPF_A_MISS_VERDICT]) : KBPF_NF_ACCEPT;
	o->mode = a[KBPF_A_MODE] ? nla_get_u32(a[KBPF_A_MODE]) :
		  KBPF_MODE_INLINE;
}

static int kbpf_genl_prog_attach_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct kbpf_ctl_obj prog = kbpf_genl_obj(info->attrs, KBPF_A_PROG_ID,
						 KBPF_A_PROG_NAME);
	struct kbpf_nf_attach_opts opts;
	struct kbpf_caller c;
	struct sk_buff *msg;
	u32 id = 0;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, KBPF_A_NF_FAMILY) ||
	    GENL_REQ_ATTR_CHECK(info, KBPF_A_NF_HOOK)) {
		NL_SET_ERR_MSG(info->extack, "attach needs a family and a hook");
		return -EINVAL;
	}
	kbpf_genl_attach_opts(info, &opts);
	kbpf_caller_from_skb(&c, skb);
	msg = kbpf_genl_reply_new(info, KBPF_CMD_PROG_ATTACH, &hdr);
	if (!msg)
		return -ENOMEM;
	err = kbpf_ctl_prog_attach(&c, &prog, &opts, &id, info->extack);
	if (err)
		goto err_free;
	if (nla_put_u32(msg, KBPF_A_PROG_ID, id)) {
		err = -EMSGSIZE;
		goto err_free;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

static int kbpf_genl_prog_detach_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct kbpf_ctl_obj prog = kbpf_genl_obj(info->attrs, KBPF_A_PROG_ID,
						 KBPF_A_PROG_NAME);
	struct nlattr *family = info->attrs[KBPF_A_NF_FAMILY];
	struct nlattr *hook = info->attrs[KBPF_A_NF_HOOK];
	struct nlattr *ifindex = info->attrs[KBPF_A_IFINDEX];
	struct kbpf_ctl_detach d = {
		.one = family,
		.family = family ? nla_get_u32(family) : 0,
		.hook = hook ? nla_get_u32(hook) : 0,
		.ifindex = ifindex ? nla_get_u32(ifindex) : 0,
	};
	struct kbpf_caller c;

	if (!family != !hook) {
		NL_SET_ERR_MSG_ATTR(info->extack, family ?: hook,
				    "family and hook go together");
		return -EINVAL;
	}
	kbpf_caller_from_skb(&c, skb);
	return kbpf_ctl_prog_detach(&c, &prog, &d, info->extack);
}

static int kbpf_genl_prog_unload_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct kbpf_ctl_obj prog = kbpf_genl_obj(info->attrs, KBPF_A_PROG_ID,
						 KBPF_A_PROG_NAME);
	struct kbpf_caller c;

	kbpf_caller_from_skb(&c, skb);
	return kbpf_ctl_prog_unload(&c, &prog, info->extack);
}

static int kbpf_genl_map_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kbpf_reg_map *rm;
	struct kbpf_caller c;
	struct sk_buff *msg;
	u32 pos = 0;
	void *hdr;
	int err;

	kbpf_caller_from_skb(&c, skb);
	msg = kbpf_genl_reply_new(info, KBPF_CMD_MAP_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	kbpf_registry_lock();
	rm = kbpf_genl_find_map_locked(&c, info->attrs, info->extack);
	err = IS_ERR(rm) ? PTR_ERR(rm) : kbpf_genl_fill_map(msg, rm, &pos);
	kbpf_registry_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int kbpf_genl_map_get_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	return kbpf_genl_dump(skb, cb, &kbpf_genl_map_walk);
}

static int kbpf_genl_map_destroy_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct kbpf_ctl_obj map = kbpf_genl_obj(info->attrs, KBPF_A_MAP_ID,
						KBPF_A_MAP_NAME);
	struct kbpf_caller c;

	kbpf_caller_from_skb(&c, skb);
	return kbpf_ctl_map_destroy(&c, &map, info->extack);
}

/*
 * Netlink only: resizing is the cloud profile's (the embedded one cannot
 * grow a map after load, so it refuses), and a resize allocates the new
 * table from the kernel anyway, which the device's promise of allocating
 * nothing could not keep.
 */
static int kbpf_genl_map_resize_doit(struct sk_buff *skb,
				     struct genl_info *info)
{
	struct kbpf_ctl_obj map = kbpf_genl_obj(info->attrs, KBPF_A_MAP_ID,
						KBPF_A_MAP_NAME);
	struct kbpf_caller c;

	if (GENL_REQ_ATTR_CHECK(info, KBPF_A_MAP_MAX_ENTRIES)) {
		NL_SET_ERR_MSG(info->extack, "resize needs the new max_entries");
		return -EINVAL;
	}
	kbpf_caller_from_skb(&c, skb);
	return kbpf_ctl_map_resize(&c, &map,
				   nla_get_u32(info->attrs[KBPF_A_MAP_MAX_ENTRIES]),
				   info->extack);
}

static int kbpf_genl_prog_replace_doit(struct sk_buff *skb,
				       struct genl_info *info)
{
	struct kbpf_ctl_obj old = kbpf_genl_obj(info->attrs, KBPF_A_PROG_ID,
						KBPF_A_PROG_NAME);
	struct kbpf_ctl_obj new = kbpf_genl_obj(info->attrs, KBPF_A_NEW_PROG_ID,
						KBPF_A_NEW_PROG_NAME);
	struct kbpf_caller c;

	kbpf_caller_from_skb(&c, skb);
	return kbpf_ctl_prog_replace(&c, &old, &new, info->extack);
}

/* The dump resumes after the last hook point sent, kept in cb->args. */
enum {
	KBPF_HOOK_DUMP_FAMILY,		/* 0: start at the first */
	KBPF_HOOK_DUMP_HOOK,
	KBPF_HOOK_DUMP_PRIO,
	KBPF_HOOK_DUMP_IFINDEX,
};

static int kbpf_genl_hook_get_dumpit(struct sk_buff *skb,
				     struct netlink_callback *cb)
{
	struct kbpf_hook_id last = {
		.family = cb->args[KBPF_HOOK_DUMP_FAMILY],
		.hook = cb->args[KBPF_HOOK_DUMP_HOOK],
		.nf_prio = (s32)cb->args[KBPF_HOOK_DUMP_PRIO],
		.ifindex = cb->args[KBPF_HOOK_DUMP_IFINDEX],
	};
	struct kbpf_nf_hookpt *hp;
	struct kbpf_caller c;
	void *hdr;
	int err;

	kbpf_caller_from_skb(&c, cb->skb);
	err = kbpf_perm_check(&c, KBPF_PERM_USE, c.net);
	if (err)
		return err;
	kbpf_registry_lock();
	while ((hp = kbpf_nf_hook_after_locked(c.net, &last))) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &kbpf_genl_family,
				  NLM_F_MULTI, KBPF_CMD_HOOK_GET);
		if (!hdr) {
			err = -EMSGSIZE;
			break;
		}
		err = kbpf_genl_fill_hook(skb, hp);
		if (err) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		kbpf_nf_hook_id(hp, &last);
	}
	kbpf_registry_unlock();
	cb->args[KBPF_HOOK_DUMP_FAMILY] = last.family;
	cb->args[KBPF_HOOK_DUMP_HOOK] = last.hook;
	cb->args[KBPF_HOOK_DUMP_PRIO] = (u32)last.nf_prio;
	cb->args[KBPF_HOOK_DUMP_IFINDEX] = last.ifindex;
	if (err && !skb->len)
		return err;
	return skb->len;
}

static int kbpf_genl_hook_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct kbpf_ctl_hook_set hs = {
		.set_policy = a[KBPF_A_POLICY],
		.policy = a[KBPF_A_POLICY] ? nla_get_u32(a[KBPF_A_POLICY]) : 0,
		.set_deadline = a[KBPF_A_DEADLINE_NS],
		.deadline_ns = a[KBPF_A_DEADLINE_NS] ?
			       nla_get_u64(a[KBPF_A_DEADLINE_NS]) : 0,
	};
	struct kbpf_caller c;

	if (GENL_REQ_ATTR_CHECK(info, KBPF_A_NF_FAMILY) ||
	    GENL_REQ_ATTR_CHECK(info, KBPF_A_NF_HOOK)) {
		NL_SET_ERR_MSG(info->extack, "hook set needs a family and a hook");
		return -EINVAL;
	}
	hs.hook = (struct kbpf_hook_id) {
		.family = nla_get_u32(a[KBPF_A_NF_FAMILY]),
		.hook = nla_get_u32(a[KBPF_A_NF_HOOK]),
		.nf_prio = a[KBPF_A_NF_PRIORITY] ?
			   nla_get_s32(a[KBPF_A_NF_PRIORITY]) : 0,
		.ifindex = a[KBPF_A_IFINDEX] ? nla_get_u32(a[KBPF_A_IFINDEX]) : 0,
	};
	kbpf_caller_from_skb(&c, skb);
	return kbpf_ctl_hook_set(&c, &hs, info->extack);
}

static int kbpf_genl_put_feature(struct sk_buff *skb,
				 const struct kbpf_feature_get_attr *f)
{
	static const struct {
		int attr;
		size_t off;
	} u64s[] = {
#define KBPF_FEAT(a, m) { KBPF_FEAT_A_##a, offsetof(struct kbpf_feature_get_attr, m) }
		KBPF_FEAT(MAX_INSNS, max_insns),
		KBPF_FEAT(MAX_PROCESSED_INSNS, max_processed_insns),
		KBPF_FEAT(MAX_STATES, max_states),
		KBPF_FEAT(MAX_MAPS_PER_PROG, max_maps_per_prog),
		KBPF_FEAT(MAX_KEY_SIZE, max_key_size),
		KBPF_FEAT(MAX_VALUE_SIZE, max_value_size),
		KBPF_FEAT(MAX_ENTRIES, max_entries),
		KBPF_FEAT(MAX_PROGS, max_progs),
		KBPF_FEAT(MAX_MAPS, max_maps),
		KBPF_FEAT(MAX_CHAIN, max_chain),
		KBPF_FEAT(DEFAULT_BUDGET, default_budget),
		KBPF_FEAT(DEFAULT_DEADLINE_NS, default_deadline_ns),
		KBPF_FEAT(NS_PER_INSN, ns_per_insn),
		KBPF_FEAT(QUEUE_LEN, queue_len),
		KBPF_FEAT(SNAP_LEN, snap_len),
		KBPF_FEAT(POOL_SIZE, pool_size),
		KBPF_FEAT(POOL_USED, pool_used),
		KBPF_FEAT(POOL_PEAK, pool_peak),
		KBPF_FEAT(MAX_VERIFIER_BYTES, max_verifier_bytes),
		KBPF_FEAT(MAX_MAP_BYTES, max_map_bytes),
		KBPF_FEAT(MAX_MAPS_BYTES, max_maps_bytes),
		KBPF_FEAT(MAPS_BYTES_USED, maps_bytes_used),
		KBPF_FEAT(TRACE_LINES, trace_lines),
#undef KBPF_FEAT
	};
	struct nlattr *nest;
	size_t i;

	nest = nla_nest_start(skb, KBPF_A_FEATURE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, KBPF_FEAT_A_STATS_ENABLED, f->stats_enabled))
		goto cancel;
	for (i = 0; i < ARRAY_SIZE(u64s); i++)
		if (nla_put_u64_64bit(skb, u64s[i].attr,
				      *(const u64 *)((const u8 *)f + u64s[i].off),
				      KBPF_FEAT_A_PAD))
			goto cancel;
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int kbpf_genl_feature_get_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct kbpf_feature_get_attr f = {};
	struct sk_buff *msg;
	void *hdr;

	msg = kbpf_genl_reply_new(info, KBPF_CMD_FEATURE_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	kbpf_feature_read(&f);
	if (nla_put_string(msg, KBPF_A_PROFILE, f.profile) ||
	    nla_put_u32(msg, KBPF_A_POLICY, f.policy) ||
	    kbpf_genl_put_feature(msg, &f)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int kbpf_genl_feature_set_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct nlattr *stats = info->attrs[KBPF_A_STATS_ENABLED];
	struct kbpf_ctl_feature_set fs = {
		.set_stats = stats,
		.stats = stats ? nla_get_u32(stats) : 0,
	};
	struct kbpf_caller c;

	kbpf_caller_from_skb(&c, skb);
	return kbpf_ctl_feature_set(&c, &fs, info->extack);
}

static const struct kbpf_genl_op kbpf_genl_ops[] = {
	KBPF_GENL_DO(KBPF_CMD_GET_VERSION, kbpf_genl_get_version_doit,
		     kbpf_genl_policy, 0),
	KBPF_GENL_DO_DUMP(KBPF_CMD_PROG_GET, kbpf_genl_prog_get_doit,
			  kbpf_genl_prog_get_dumpit, kbpf_genl_policy, 0),
	KBPF_GENL_DO(KBPF_CMD_PROG_ATTACH, kbpf_genl_prog_attach_doit,
		     kbpf_genl_policy, 0),
	KBPF_GENL_DO(KBPF_CMD_PROG_DETACH, kbpf_genl_prog_detach_doit,
		     kbpf_genl_policy, 0),
	KBPF_GENL_DO(KBPF_CMD_PROG_UNLOAD, kbpf_genl_prog_unload_doit,
		     kbpf_genl_policy, 0),
	KBPF_GENL_DO_DUMP(KBPF_CMD_MAP_GET, kbpf_genl_map_get_doit,
			  kbpf_genl_map_get_dumpit, kbpf_genl_policy, 0),
	KBPF_GENL_DO(KBPF_CMD_MAP_DESTROY, kbpf_genl_map_destroy_doit,
		     kbpf_genl_policy, 0),
	KBPF_GENL_DO(KBPF_CMD_PROG_REPLACE, kbpf_genl_prog_replace_doit,
		     kbpf_genl_policy, 0),
	KBPF_GENL_DUMP(KBPF_CMD_HOOK_GET, kbpf_genl_hook_get_dumpit,
		       kbpf_genl_policy, 0),
	KBPF_GENL_DO(KBPF_CMD_HOOK_SET, kbpf_genl_hook_set_doit,
		     kbpf_genl_policy, 0),
	KBPF_GENL_DO(KBPF_CMD_FEATURE_GET, kbpf_genl_feature_get_doit,
		     kbpf_genl_policy, 0),
	KBPF_GENL_DO(KBPF_CMD_FEATURE_SET, kbpf_genl_feature_set_doit,
		     kbpf_genl_policy, 0),
	KBPF_GENL_DO(KBPF_CMD_MAP_RESIZE, kbpf_genl_map_resize_doit,
		     kbpf_genl_policy, 0),
};

static struct genl_family kbpf_genl_family = {
	.name = KBPF_GENL_NAME,
	.version = KBPF_GENL_VERSION,
	.maxattr = KBPF_A_MAX,
	.netnsok = true,
	/* The registry lock serialises what needs it. */
	.parallel_ops = true,
	.module = THIS_MODULE,
	KBPF_GENL_FAMILY_OPS(kbpf_genl_ops),
	.mcgrps = kbpf_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(kbpf_genl_mcgrps),
};

/* ---- events ------------------------------------------------------------ */

/*
 * Whether an event about an object of net would reach anyone (it goes to
 * net and to the initial namespace).  Without a listener no message is
 * built: a load, create or attach then allocates nothing for its event,
 * which keeps the embedded profile's ioctls off the kernel's allocator.
 * A listener joining meanwhile misses the event, as any multicast may.
 */
static bool kbpf_genl_event_heard(struct net *net)
{
	return genl_has_listeners(&kbpf_genl_family, net,
				  KBPF_GENL_MCGRP_EVENTS_IDX) ||
	       genl_has_listeners(&kbpf_genl_family, &init_net,
				  KBPF_GENL_MCGRP_EVENTS_IDX);
}

static struct sk_buff *kbpf_genl_event_new(u32 event, struct net *net,
					   void **hdr)
{
	struct sk_buff *msg;

	if (!kbpf_genl_event_heard(net))
		return NULL;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &kbpf_genl_family, 0, KBPF_CMD_EVENT);
	if (!*hdr || nla_put_u32(msg, KBPF_A_EVENT, event)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/*
 * To the namespace owning the object and to the initial one.  Listeners are
 * best effort, as for any netlink multicast: no errors.
 */
static void kbpf_genl_event_send(struct sk_buff *msg, void *hdr,
				 struct net *net)
{
	struct sk_buff *copy;

	genlmsg_end(msg, hdr);
	if (!net_eq(net, &init_net)) {
		copy = skb_clone(msg, GFP_KERNEL);
		if (copy)
			genlmsg_multicast_netns(&kbpf_genl_family, &init_net,
						copy, 0,
						KBPF_GENL_MCGRP_EVENTS_IDX,
						GFP_KERNEL);
	}
	genlmsg_multicast_netns(&kbpf_genl_family, net, msg, 0,
				KBPF_GENL_MCGRP_EVENTS_IDX, GFP_KERNEL);
}

static bool kbpf_genl_event_of_map(u32 event)
{
	return event == KBPF_EVENT_MAP_CREATED ||
	       event == KBPF_EVENT_MAP_DESTROYED;
}

/* Where an attach or detach happened. */
static int kbpf_genl_put_event_hook(struct sk_buff *msg,
				    const struct kbpf_hook_id *h)
{
	if (nla_put_u32(msg, KBPF_A_NF_FAMILY, h->family) ||
	    nla_put_u32(msg, KBPF_A_NF_HOOK, h->hook) ||
	    nla_put_s32(msg, KBPF_A_NF_PRIORITY, h->nf_prio) ||
	    (h->ifindex && nla_put_u32(msg, KBPF_A_IFINDEX, h->ifindex)))
		return -EMSGSIZE;
	return 0;
}

/*
 * The events.h subscriber: the event's object by id and name (program or
 * map attributes), then for attach and detach the hook.  Called under the
 * registry lock, between kbpf_genl_init() and kbpf_genl_exit(), so the
 * family is registered.
 */
static void kbpf_genl_announce(const struct kbpf_obj_event *ev)
{
	bool map = kbpf_genl_event_of_map(ev->type);
	struct sk_buff *msg;
	void *hdr;

	msg = kbpf_genl_event_new(ev->type, ev->net, &hdr);
	if (!msg)
		return;
	if (nla_put_u32(msg, map ? KBPF_A_MAP_ID : KBPF_A_PROG_ID,
			ev->obj->id) ||
	    nla_put_string(msg, map ? KBPF_A_MAP_NAME : KBPF_A_PROG_NAME,
			   ev->obj->name) ||
	    (ev->hook && kbpf_genl_put_event_hook(msg, ev->hook))) {
		nlmsg_free(msg);
		return;
	}
	kbpf_genl_event_send(msg, hdr, ev->net);
}

static struct kbpf_events_subscriber kbpf_genl_subscriber = {
	.notify = kbpf_genl_announce,
};

/* ---- module lifetime --------------------------------------------------- */

int kbpf_genl_init(void)
{
	int err;

	BUILD_BUG_ON((int)KBPF_NF_PRIO_MIN != (int)NF_IP_PRI_FIRST + 1);
	BUILD_BUG_ON((int)KBPF_NF_PRIO_MAX != (int)NF_IP_PRI_LAST - 1);

	err = genl_register_family(&kbpf_genl_family);
	if (err)
		return err;
	/* Announce only what happens while the family is registered. */
	kbpf_events_subscribe(&kbpf_genl_subscriber);
	return 0;
}

void kbpf_genl_exit(void)
{
	kbpf_events_unsubscribe(&kbpf_genl_subscriber);
	genl_unregister_family(&kbpf_genl_family);
}
