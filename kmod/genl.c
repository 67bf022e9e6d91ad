// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "kbpf": version, listing, attach, detach,
 * unload and destroy, plus the "events" multicast group.  The commands and
 * attributes are documented in uapi/linux/kbpf.h.
 *
 * Every attribute has a policy, so the core rejects malformed requests with
 * an extended ack before a handler runs; handlers add their own extack
 * message for everything the policy cannot express.  No command carries a
 * GENL_*_PERM flag: every handler describes its caller (kbpf_caller_from_skb)
 * and the registry lookups ask perm.c, as the device's ioctls do.
 *
 * Dumps resume at (object id, attachment index): a program with more
 * attachments than one message holds continues in the next message, which
 * repeats its id.  A dump may be narrowed to one object by id or name.
 */
#include <linux/netfilter_ipv4.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "genl.h"
#include "native.h"
#include "netfilter.h"
#include "maps.h"
#include "perm.h"
#include "feature.h"

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
	[KBPF_A_DEADLINE_NS] = NLA_POLICY_MIN(NLA_U64, 1),
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
/* Events are sent only while the family is registered. */
static bool kbpf_genl_registered;

/* ---- replies ----------------------------------------------------------- */

static int kbpf_genl_fill_engine(struct sk_buff *skb,
				 const struct kbpf_prog *prog)
{
	struct module *mod = kbpf_native_module(prog);

	if (!mod)
		return nla_put_u32(skb, KBPF_A_PROG_ENGINE,
				   KBPF_ENGINE_INTERPRETER);
	if (nla_put_u32(skb, KBPF_A_PROG_ENGINE, KBPF_ENGINE_NATIVE) ||
	    nla_put_string(skb, KBPF_A_PROG_NATIVE_MODULE, module_name(mod)))
		return -EMSGSIZE;
	return 0;
}

/* Everything about a program but its attachments. */
static int kbpf_genl_fill_prog_head(struct sk_buff *skb,
				    const struct kbpf_reg_prog *rp)
{
	struct kbpf_prog_stats st;

	kbpf_registry_prog_read_stats(rp, &st);
	if (nla_put_u32(skb, KBPF_A_PROG_ID, rp->obj.id) ||
	    nla_put_string(skb, KBPF_A_PROG_NAME, rp->obj.name) ||
	    nla_put_u32(skb, KBPF_A_PROG_TYPE, rp->prog->type) ||
	    nla_put_u32(skb, KBPF_A_PROG_INSN_CNT, rp->prog->insn_cnt) ||
	    nla_put_u64_64bit(skb, KBPF_A_PROG_RUN_CNT, st.run_cnt,
			      KBPF_A_PAD) ||
	    nla_put_u64_64bit(skb, KBPF_A_PROG_RUN_TIME_NS, st.run_time_ns,
			      KBPF_A_PAD) ||
	    kbpf_genl_fill_engine(skb, rp->prog) ||
	    nla_put_u64_64bit(skb, KBPF_A_NETNS_COOKIE,
			      rp->obj.owner->net_cookie, KBPF_A_PAD) ||
	    nla_put_u32(skb, KBPF_A_PROG_ATTACH_CNT,
			kbpf_nf_link_count_locked(rp)) ||
	    nla_put_u64_64bit(skb, KBPF_A_WORST_CASE, rp->prog->worst_case,
			      KBPF_A_PAD))
		return -EMSGSIZE;
	return 0;
}

/* The head, then attachments from *pos on while they fit (see dumps). */
static int kbpf_genl_fill_prog(struct sk_buff *skb, const void *obj, u32 *pos)
{
	const struct kbpf_reg_prog *rp = obj;

	return kbpf_genl_fill_prog_head(skb, rp) ?:
	       kbpf_nf_fill_links_locked(skb, rp, pos);
}

static int kbpf_genl_fill_map(struct sk_buff *skb, const void *obj, u32 *pos)
{
	const struct kbpf_reg_map *rm = obj;
	const struct kbpf_map_attrs *a = &rm->map->attrs;

	if (nla_put_u32(skb, KBPF_A_MAP_ID, rm->obj.id) ||
	    nla_put_string(skb, KBPF_A_MAP_NAME, rm->obj.name) ||
	    nla_put_u32(skb, KBPF_A_MAP_TYPE, a->type) ||
	    nla_put_u32(skb, KBPF_A_MAP_KEY_SIZE, a->key_size) ||
	    nla_put_u32(skb, KBPF_A_MAP_VALUE_SIZE, a->value_size) ||
	    nla_put_u32(skb, KBPF_A_MAP_MAX_ENTRIES, a->max_entries) ||
	    nla_put_u64_64bit(skb, KBPF_A_NETNS_COOKIE,
			      rm->obj.owner->net_cookie, KBPF_A_PAD))
		return -EMSGSIZE;
	return 0;
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

/* The extack message for a lookup's error, on the attribute that named it. */
static void kbpf_genl_lookup_msg(struct netlink_ext_ack *extack,
				 const struct nlattr *attr, int err, bool prog)
{
	if (err == -EPERM)
		NL_SET_ERR_MSG(extack,
			       "needs CAP_NET_ADMIN or CAP_SYS_ADMIN over this network namespace");
	else if (err == -ENOTUNIQ)
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "name used in several network namespaces: give the id");
	else if (err == -ENOENT && prog)
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such program");
	else if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such map");
}

static struct kbpf_reg_prog *
kbpf_genl_find_prog_locked(const struct kbpf_caller *c, struct nlattr **attrs,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *id = attrs[KBPF_A_PROG_ID];
	struct nlattr *name = attrs[KBPF_A_PROG_NAME];
	struct kbpf_reg_prog *rp;

	if (!id && !name) {
		NL_SET_ERR_MSG(extack, "program id or name required");
		return ERR_PTR(-EINVAL);
	}
	rp = kbpf_registry_prog_find_locked(c, id ? nla_get_u32(id) : 0,
					    name ? nla_data(name) : NULL);
	if (IS_ERR(rp))
		kbpf_genl_lookup_msg(extack, id ?: name, PTR_ERR(rp),
				     true);
	return rp;
}

static struct kbpf_reg_map *
kbpf_genl_find_map_locked(const struct kbpf_caller *c, struct nlattr **attrs,
			  struct netlink_ext_ack *extack)
{
	struct nlattr *id = attrs[KBPF_A_MAP_ID];
	struct nlattr *name = attrs[KBPF_A_MAP_NAME];
	struct kbpf_reg_map *rm;

	if (!id && !name) {
		NL_SET_ERR_MSG(extack, "map id or name required");
		return ERR_PTR(-EINVAL);
	}
	rm = kbpf_registry_map_find_locked(c, id ? nla_get_u32(id) : 0,
					   name ? nla_data(name) : NULL);
	if (IS_ERR(rm))
		kbpf_genl_lookup_msg(extack, id ?: name, PTR_ERR(rm),
				     false);
	return rm;
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

	err = kbpf_perm_check(c, KBPF_PERM_USE, c->net);
	if (err) {
		kbpf_genl_lookup_msg(cb->extack, NULL, err, false);
		return err;
	}
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
	u64 maps_max, maps_used;
	struct sk_buff *msg;
	void *hdr;

	msg = kbpf_genl_reply_new(info, KBPF_CMD_GET_VERSION, &hdr);
	if (!msg)
		return -ENOMEM;
	kbpf_maps_budget_read(&maps_max, &maps_used);
	if (nla_put_u32(msg, KBPF_A_VERSION, KBPF_ABI_VERSION) ||
	    nla_put_string(msg, KBPF_A_PROFILE, kbpf_default_limits()->name) ||
	    nla_put_string(msg, KBPF_A_MODULE_VERSION, KBPF_VERSION) ||
	    nla_put_u32(msg, KBPF_A_NR_CPUS, num_possible_cpus()) ||
	    nla_put_u64_64bit(msg, KBPF_A_MAP_BYTES_MAX,
			      kbpf_default_limits()->max_map_bytes, KBPF_A_PAD) ||
	    nla_put_u64_64bit(msg, KBPF_A_MAPS_BYTES_MAX, maps_max, KBPF_A_PAD) ||
	    nla_put_u64_64bit(msg, KBPF_A_MAPS_BYTES_USED, maps_used,
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
	struct kbpf_reg_prog *rp;
	struct kbpf_caller c;
	struct sk_buff *msg;
	u32 pos = 0;
	void *hdr;
	int err;

	kbpf_caller_from_skb(&c, skb);
	msg = kbpf_genl_reply_new(info, KBPF_CMD_PROG_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	kbpf_registry_lock();
	rp = kbpf_genl_find_prog_locked(&c, info->attrs, info->extack);
	err = IS_ERR(rp) ? PTR_ERR(rp) : kbpf_genl_fill_prog_head(msg, rp);
	if (!err)
		kbpf_nf_fill_links_locked(msg, rp, &pos);
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
	struct kbpf_nf_attach_opts opts;
	struct kbpf_reg_prog *rp;
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
	if (!kbpf_nf_family_valid(opts.family)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KBPF_A_NF_FAMILY],
				    "family must be ipv4 (2), netdev (5) or ipv6 (10)");
		return -EINVAL;
	}
	kbpf_caller_from_skb(&c, skb);
	msg = kbpf_genl_reply_new(info, KBPF_CMD_PROG_ATTACH, &hdr);
	if (!msg)
		return -ENOMEM;

	kbpf_registry_lock();
	rp = kbpf_genl_find_prog_locked(&c, info->attrs, info->extack);
	err = IS_ERR(rp) ? PTR_ERR(rp) :
	      kbpf_perm_check(&c, KBPF_PERM_ATTACH, rp->obj.owner);
	if (!IS_ERR(rp) && err)
		NL_SET_ERR_MSG(info->extack,
			       "a program attaches only in the network namespace that loaded it");
	if (!err) {
		id = rp->obj.id;
		err = kbpf_nf_attach_locked(c.net, rp, &opts, info->extack);
	}
	kbpf_registry_unlock();
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
	struct nlattr *family = info->attrs[KBPF_A_NF_FAMILY];
	struct nlattr *hook = info->attrs[KBPF_A_NF_HOOK];
	struct nlattr *ifindex = info->attrs[KBPF_A_IFINDEX];
	struct kbpf_reg_prog *rp;
	struct kbpf_caller c;
	int err;

	if (!family != !hook) {
		NL_SET_ERR_MSG_ATTR(info->extack, family ?: hook,
				    "family and hook go together");
		return -EINVAL;
	}
	if (ifindex && !family) {
		NL_SET_ERR_MSG_ATTR(info->extack, ifindex,
				    "a device goes with the netdev/ingress hook");
		return -EINVAL;
	}
	if (family && nla_get_u32(family) == KBPF_NF_FAMILY_NETDEV &&
	    !ifindex) {
		NL_SET_ERR_MSG_ATTR(info->extack, family,
				    "netdev/ingress is per device: give one (KBPF_A_IFINDEX)");
		return -EINVAL;
	}
	kbpf_caller_from_skb(&c, skb);
	kbpf_registry_lock();
	rp = kbpf_genl_find_prog_locked(&c, info->attrs, info->extack);
	if (IS_ERR(rp))
		err = PTR_ERR(rp);
	else
		err = kbpf_nf_detach_locked(c.net, rp, family,
					    family ? nla_get_u32(family) : 0,
					    hook ? nla_get_u32(hook) : 0,
					    ifindex ? nla_get_u32(ifindex) : 0,
					    info->extack);
	kbpf_registry_unlock();
	return err;
}

static int kbpf_genl_prog_unload_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct kbpf_reg_prog *rp;
	struct kbpf_caller c;
	int err = 0;

	kbpf_caller_from_skb(&c, skb);
	kbpf_registry_lock();
	rp = kbpf_genl_find_prog_locked(&c, info->attrs, info->extack);
	if (IS_ERR(rp))
		err = PTR_ERR(rp);
	else
		kbpf_registry_prog_unload_locked(rp);
	kbpf_registry_unlock();
	return err;
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
	struct kbpf_reg_map *rm;
	struct kbpf_caller c;
	int err;

	kbpf_caller_from_skb(&c, skb);
	kbpf_registry_lock();
	rm = kbpf_genl_find_map_locked(&c, info->attrs, info->extack);
	if (IS_ERR(rm)) {
		err = PTR_ERR(rm);
	} else {
		err = kbpf_registry_map_destroy_locked(rm);
		if (err == -EBUSY)
			NL_SET_ERR_MSG(info->extack,
				       "map is in use by a loaded program");
	}
	kbpf_registry_unlock();
	return err;
}

/*
 * Resizing may allocate and copy a large map: it runs on a reference,
 * outside the registry lock; kbpf_map_resize() serialises resizes.
 */
static int kbpf_genl_map_resize_doit(struct sk_buff *skb,
				     struct genl_info *info)
{
	struct kbpf_map *map = NULL;
	struct kbpf_reg_map *rm;
	struct kbpf_caller c;
	struct kbpf_log log;
	char why[128];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, KBPF_A_MAP_MAX_ENTRIES)) {
		NL_SET_ERR_MSG(info->extack, "resize needs the new max_entries");
		return -EINVAL;
	}
	kbpf_caller_from_skb(&c, skb);
	kbpf_registry_lock();
	rm = kbpf_genl_find_map_locked(&c, info->attrs, info->extack);
	if (!IS_ERR(rm)) {
		map = rm->map;
		kbpf_map_get(map);
	}
	kbpf_registry_unlock();
	if (IS_ERR(rm))
		return PTR_ERR(rm);
	kbpf_log_init(&log, why, sizeof(why), KBPF_LOG_LEVEL_ERRORS);
	err = kbpf_map_resize(map, nla_get_u32(info->attrs[KBPF_A_MAP_MAX_ENTRIES]),
			      NULL, &log);
	kbpf_map_put(map);
	if (err)
		kbpf_nf_errmsg(info->extack, "%s", why);
	return err;
}

static int kbpf_genl_prog_replace_doit(struct sk_buff *skb,
				       struct genl_info *info)
{
	struct nlattr *id = info->attrs[KBPF_A_NEW_PROG_ID];
	struct nlattr *name = info->attrs[KBPF_A_NEW_PROG_NAME];
	struct kbpf_reg_prog *old, *new;
	struct kbpf_caller c;
	int err;

	if (!id && !name) {
		NL_SET_ERR_MSG(info->extack,
			       "replacement program id or name required");
		return -EINVAL;
	}
	kbpf_caller_from_skb(&c, skb);
	kbpf_registry_lock();
	old = kbpf_genl_find_prog_locked(&c, info->attrs, info->extack);
	new = kbpf_registry_prog_find_locked(&c, id ? nla_get_u32(id) : 0,
					     name ? nla_data(name) : NULL);
	if (IS_ERR(old)) {
		err = PTR_ERR(old);
	} else if (IS_ERR_OR_NULL(new)) {
		NL_SET_ERR_MSG_ATTR(info->extack, id ?: name,
				    "no such replacement program");
		err = new ? PTR_ERR(new) : -ENOENT;
	} else {
		err = kbpf_perm_check(&c, KBPF_PERM_ATTACH, new->obj.owner);
		if (err)
			NL_SET_ERR_MSG(info->extack,
				       "a program attaches only in the network namespace that loaded it");
		else
			err = kbpf_nf_replace_locked(c.net, old, new,
						     info->extack);
	}
	kbpf_registry_unlock();
	return err;
}

static int kbpf_genl_hook_get_dumpit(struct sk_buff *skb,
				     struct netlink_callback *cb)
{
	struct kbpf_nf_hookpt *hp;
	struct kbpf_caller c;
	u32 idx = cb->args[0];
	void *hdr;
	int err;

	kbpf_caller_from_skb(&c, cb->skb);
	err = kbpf_perm_check(&c, KBPF_PERM_USE, c.net);
	if (err)
		return err;
	kbpf_registry_lock();
	while ((hp = kbpf_nf_hook_next_locked(c.net, &idx))) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &kbpf_genl_family,
				  NLM_F_MULTI, KBPF_CMD_HOOK_GET);
		if (!hdr) {
			err = -EMSGSIZE;
			break;
		}
		err = kbpf_nf_fill_hook_locked(skb, hp);
		if (err) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		idx++;
	}
	kbpf_registry_unlock();
	cb->args[0] = idx;
	if (err && !skb->len)
		return err;
	return skb->len;
}

static int kbpf_genl_hook_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	u64 deadline = U64_MAX;
	u32 policy = U32_MAX;
	struct kbpf_caller c;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, KBPF_A_NF_FAMILY) ||
	    GENL_REQ_ATTR_CHECK(info, KBPF_A_NF_HOOK)) {
		NL_SET_ERR_MSG(info->extack, "hook set needs a family and a hook");
		return -EINVAL;
	}
	if (!a[KBPF_A_POLICY] && !a[KBPF_A_DEADLINE_NS]) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to set: give a policy or a deadline");
		return -EINVAL;
	}
	if (!kbpf_nf_family_valid(nla_get_u32(a[KBPF_A_NF_FAMILY]))) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[KBPF_A_NF_FAMILY],
				    "family must be ipv4 (2), netdev (5) or ipv6 (10)");
		return -EINVAL;
	}
	kbpf_caller_from_skb(&c, skb);
	err = kbpf_perm_check(&c, KBPF_PERM_ATTACH, c.net);
	if (err)
		return err;
	if (a[KBPF_A_POLICY])
		policy = nla_get_u32(a[KBPF_A_POLICY]);
	if (a[KBPF_A_DEADLINE_NS])
		deadline = nla_get_u64(a[KBPF_A_DEADLINE_NS]);
	kbpf_registry_lock();
	err = kbpf_nf_hook_set_locked(c.net, nla_get_u32(a[KBPF_A_NF_FAMILY]),
				      nla_get_u32(a[KBPF_A_NF_HOOK]),
				      a[KBPF_A_NF_PRIORITY] ?
				      nla_get_s32(a[KBPF_A_NF_PRIORITY]) : 0,
				      a[KBPF_A_IFINDEX] ?
				      nla_get_u32(a[KBPF_A_IFINDEX]) : 0,
				      policy, deadline, info->extack);
	kbpf_registry_unlock();
	return err;
}

static int kbpf_genl_feature_get_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = kbpf_genl_reply_new(info, KBPF_CMD_FEATURE_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, KBPF_A_PROFILE, kbpf_default_limits()->name) ||
	    nla_put_u32(msg, KBPF_A_POLICY, kbpf_nf_default_policy()) ||
	    kbpf_feature_fill(msg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int kbpf_genl_feature_set_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct kbpf_caller c;

	/* Statistics are module-wide: the initial namespace's admin only. */
	kbpf_caller_from_skb(&c, skb);
	if (!c.init_admin)
		return -EPERM;
	if (GENL_REQ_ATTR_CHECK(info, KBPF_A_STATS_ENABLED)) {
		NL_SET_ERR_MSG(info->extack, "nothing to set");
		return -EINVAL;
	}
	kbpf_nf_set_stats(nla_get_u32(info->attrs[KBPF_A_STATS_ENABLED]));
	return 0;
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

	if (!READ_ONCE(kbpf_genl_registered) || !kbpf_genl_event_heard(net))
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

void kbpf_genl_notify_prog(u32 event, const struct kbpf_reg_prog *rp)
{
	struct sk_buff *msg;
	void *hdr;

	msg = kbpf_genl_event_new(event, rp->obj.owner, &hdr);
	if (!msg)
		return;
	if (nla_put_u32(msg, KBPF_A_PROG_ID, rp->obj.id) ||
	    nla_put_string(msg, KBPF_A_PROG_NAME, rp->obj.name)) {
		nlmsg_free(msg);
		return;
	}
	kbpf_genl_event_send(msg, hdr, rp->obj.owner);
}

void kbpf_genl_notify_map(u32 event, const struct kbpf_reg_map *rm)
{
	struct sk_buff *msg;
	void *hdr;

	msg = kbpf_genl_event_new(event, rm->obj.owner, &hdr);
	if (!msg)
		return;
	if (nla_put_u32(msg, KBPF_A_MAP_ID, rm->obj.id) ||
	    nla_put_string(msg, KBPF_A_MAP_NAME, rm->obj.name)) {
		nlmsg_free(msg);
		return;
	}
	kbpf_genl_event_send(msg, hdr, rm->obj.owner);
}

void kbpf_genl_notify_link(u32 event, const struct kbpf_reg_prog *rp,
			   struct net *net, u32 family, u32 hook, s32 priority,
			   u32 ifindex)
{
	struct sk_buff *msg;
	void *hdr;

	msg = kbpf_genl_event_new(event, net, &hdr);
	if (!msg)
		return;
	if (nla_put_u32(msg, KBPF_A_PROG_ID, rp->obj.id) ||
	    nla_put_string(msg, KBPF_A_PROG_NAME, rp->obj.name) ||
	    nla_put_u32(msg, KBPF_A_NF_FAMILY, family) ||
	    nla_put_u32(msg, KBPF_A_NF_HOOK, hook) ||
	    nla_put_s32(msg, KBPF_A_NF_PRIORITY, priority) ||
	    (ifindex && nla_put_u32(msg, KBPF_A_IFINDEX, ifindex))) {
		nlmsg_free(msg);
		return;
	}
	kbpf_genl_event_send(msg, hdr, net);
}

/* ---- module lifetime --------------------------------------------------- */

int kbpf_genl_init(void)
{
	int err;

	BUILD_BUG_ON((int)KBPF_NF_PRIO_MIN != (int)NF_IP_PRI_FIRST + 1);
	BUILD_BUG_ON((int)KBPF_NF_PRIO_MAX != (int)NF_IP_PRI_LAST - 1);

	err = genl_register_family(&kbpf_genl_family);
	if (err)
		return err;
	WRITE_ONCE(kbpf_genl_registered, true);
	return 0;
}

void kbpf_genl_exit(void)
{
	WRITE_ONCE(kbpf_genl_registered, false);
	genl_unregister_family(&kbpf_genl_family);
}
