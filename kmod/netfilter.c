// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter attachments: a loaded program on (family, hook, priority) of one
 * network namespace.
 *
 * Each attachment (struct kbpf_nf_link) owns its nf_hook_ops, whose private
 * pointer is the link itself, and a reference to the program.  Links sit on
 * two lists under the registry lock: the program's, for listing and
 * unload, and the namespace's, so that a dying namespace drops its links in
 * pre_exit without searching every program.
 *
 * Freeing: nf_unregister_net_hook() unpublishes the hook but does not wait
 * for CPUs still running it (it frees the old hook array with call_rcu()),
 * and hooks run inside rcu_read_lock().  So detach unregisters a batch of
 * links, waits once with synchronize_net(), and only then frees them.
 */
#include <linux/netfilter.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>
#include <linux/bottom_half.h>
#include <net/netns/generic.h>
#include <net/netlink.h>

#include "netfilter.h"
#include "nf_ctx.h"
#include "genl.h"

struct kbpf_nf_link {
	struct list_head prog_node;	/* in kbpf_reg_prog.links */
	struct list_head net_node;	/* in kbpf_nf_net.links */
	struct list_head free_node;	/* on a detach batch */
	struct kbpf_reg_prog *prog;	/* holds a reference */
	struct net *net;		/* no reference: pre_exit detaches */
	struct nf_hook_ops ops;
	u32 family;
	u32 hook;
	s32 priority;
};

/* Per namespace: its links, under the registry lock. */
struct kbpf_nf_net {
	struct list_head links;
};

static unsigned int kbpf_nf_net_id __read_mostly;

static struct kbpf_nf_net *kbpf_nf_net(struct net *net)
{
	return net_generic(net, kbpf_nf_net_id);
}

bool kbpf_nf_family_valid(u32 family)
{
	return family == KBPF_NF_FAMILY_IPV4 || family == KBPF_NF_FAMILY_IPV6;
}

bool kbpf_nf_hook_valid(u32 hook)
{
	return hook < __KBPF_NF_HOOK_MAX;
}

/* ---- the packet path --------------------------------------------------- */

static u32 kbpf_nf_ifindex(const struct nf_hook_state *state)
{
	const struct net_device *dev = state->in;

	/* Output hooks have no input device: report the output one. */
	if (state->hook == NF_INET_LOCAL_OUT ||
	    state->hook == NF_INET_POST_ROUTING)
		dev = state->out;
	return dev ? dev->ifindex : 0;
}

static unsigned int kbpf_nf_hookfn(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	const struct kbpf_nf_link *link = priv;
	struct kbpf_reg_prog *rp = link->prog;
	struct kbpf_prog_stats *stats;
	struct kbpf_nf_ctx_kern ctx;
	u64 start, r0;

	kbpf_nf_ctx_build(&ctx, skb, state->pf, state->hook,
			  kbpf_nf_ifindex(state));

	/*
	 * Hooks run in softirq, except local_out, which also runs in process
	 * context; the interpreter's per-CPU frames need softirqs off.
	 */
	local_bh_disable();
	start = ktime_get_mono_fast_ns();
	r0 = kbpf_prog_run_hook(rp->prog, &ctx, skb);
	stats = this_cpu_ptr(rp->stats);
	u64_stats_update_begin(&stats->syncp);
	stats->run_cnt++;
	stats->run_time_ns += ktime_get_mono_fast_ns() - start;
	if (r0 != KBPF_NF_DROP && r0 != KBPF_NF_ACCEPT && r0 != KBPF_NF_REJECT)
		stats->bad_verdicts++;
	u64_stats_update_end(&stats->syncp);
	local_bh_enable();

	return kbpf_nf_ctx_finish(&ctx, r0, state);
}

/* ---- attach and detach ------------------------------------------------- */

static struct kbpf_nf_link *kbpf_nf_find_link(struct kbpf_reg_prog *rp,
					      struct net *net, u32 family,
					      u32 hook)
{
	struct kbpf_nf_link *link;

	list_for_each_entry(link, &rp->links, prog_node)
		if (net_eq(link->net, net) && link->family == family &&
		    link->hook == hook)
			return link;
	return NULL;
}

int kbpf_nf_attach_locked(struct net *net, struct kbpf_reg_prog *rp,
			  u32 family, u32 hook, s32 priority,
			  struct netlink_ext_ack *extack)
{
	struct kbpf_nf_link *link;
	int err;

	kbpf_registry_assert_locked();
	if (rp->prog->type != KBPF_PROG_TYPE_NETFILTER) {
		NL_SET_ERR_MSG(extack, "program is not a netfilter program");
		return -EINVAL;
	}
	if (!kbpf_nf_family_valid(family) || !kbpf_nf_hook_valid(hook)) {
		NL_SET_ERR_MSG(extack, "no such netfilter family or hook");
		return -EINVAL;
	}
	if (kbpf_nf_find_link(rp, net, family, hook)) {
		NL_SET_ERR_MSG(extack,
			       "program already attached to this hook in this namespace");
		return -EEXIST;
	}

	link = kzalloc(sizeof(*link), GFP_KERNEL);
	if (!link)
		return -ENOMEM;
	link->prog = rp;
	link->net = net;
	link->family = family;
	link->hook = hook;
	link->priority = priority;
	link->ops.hook = kbpf_nf_hookfn;
	link->ops.priv = link;
	link->ops.pf = family;
	link->ops.hooknum = hook;
	link->ops.priority = priority;

	refcount_inc(&rp->refcnt);
	err = nf_register_net_hook(net, &link->ops);
	if (err) {
		NL_SET_ERR_MSG(extack, "netfilter refused to register the hook");
		kbpf_registry_prog_put(rp);
		kfree(link);
		return err;
	}
	list_add_tail(&link->prog_node, &rp->links);
	list_add_tail(&link->net_node, &kbpf_nf_net(net)->links);
	kbpf_genl_notify_link(KBPF_EVENT_PROG_ATTACHED, rp, net, family, hook,
			      priority);
	return 0;
}

/* Unhook link and queue it on batch; kbpf_nf_free_batch() frees it. */
static void kbpf_nf_unhook(struct kbpf_nf_link *link, struct list_head *batch,
			   bool notify)
{
	nf_unregister_net_hook(link->net, &link->ops);
	list_del(&link->prog_node);
	list_del(&link->net_node);
	list_add_tail(&link->free_node, batch);
	if (notify)
		kbpf_genl_notify_link(KBPF_EVENT_PROG_DETACHED, link->prog,
				      link->net, link->family, link->hook,
				      link->priority);
}

static void kbpf_nf_free_batch(struct list_head *batch)
{
	struct kbpf_nf_link *link, *tmp;

	if (list_empty(batch))
		return;
	/* Let every CPU that may still be inside the hooks leave them. */
	synchronize_net();
	list_for_each_entry_safe(link, tmp, batch, free_node) {
		kbpf_registry_prog_put(link->prog);
		kfree(link);
	}
}

int kbpf_nf_detach_locked(struct net *net, struct kbpf_reg_prog *rp, bool one,
			  u32 family, u32 hook, struct netlink_ext_ack *extack)
{
	struct kbpf_nf_link *link, *tmp;
	LIST_HEAD(batch);

	kbpf_registry_assert_locked();
	list_for_each_entry_safe(link, tmp, &rp->links, prog_node) {
		if (!net_eq(link->net, net))
			continue;
		if (one && (link->family != family || link->hook != hook))
			continue;
		kbpf_nf_unhook(link, &batch, true);
	}
	if (list_empty(&batch)) {
		if (one)
			NL_SET_ERR_MSG(extack,
				       "program is not attached to this hook in this namespace");
		else
			NL_SET_ERR_MSG(extack,
				       "program is not attached in this namespace");
		return -ENOENT;
	}
	kbpf_nf_free_batch(&batch);
	return 0;
}

void kbpf_nf_detach_prog_locked(struct kbpf_reg_prog *rp)
{
	struct kbpf_nf_link *link, *tmp;
	LIST_HEAD(batch);

	kbpf_registry_assert_locked();
	list_for_each_entry_safe(link, tmp, &rp->links, prog_node)
		kbpf_nf_unhook(link, &batch, true);
	kbpf_nf_free_batch(&batch);
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

int kbpf_nf_fill_links_locked(struct sk_buff *skb,
			      const struct kbpf_reg_prog *rp, u32 *pos)
{
	const struct kbpf_nf_link *link;
	struct nlattr *nest;
	u32 i = 0;

	kbpf_registry_assert_locked();
	list_for_each_entry(link, &rp->links, prog_node) {
		if (i++ < *pos)
			continue;
		nest = nla_nest_start(skb, KBPF_A_ATTACHMENT);
		if (!nest)
			return -EMSGSIZE;
		if (nla_put_u32(skb, KBPF_ATTACH_A_NF_FAMILY, link->family) ||
		    nla_put_u32(skb, KBPF_ATTACH_A_NF_HOOK, link->hook) ||
		    nla_put_s32(skb, KBPF_ATTACH_A_NF_PRIORITY, link->priority) ||
		    nla_put_u64_64bit(skb, KBPF_ATTACH_A_NETNS_COOKIE,
				      link->net->net_cookie,
				      KBPF_ATTACH_A_UNSPEC)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
		nla_nest_end(skb, nest);
		*pos = i;
	}
	return 0;
}

/* ---- namespaces -------------------------------------------------------- */

static int __net_init kbpf_nf_net_init(struct net *net)
{
	INIT_LIST_HEAD(&kbpf_nf_net(net)->links);
	return 0;
}

/*
 * A namespace is going away (or the module is): unhook its links.  Nobody is
 * left in it to tell, so no events.
 */
static void __net_exit kbpf_nf_net_pre_exit(struct net *net)
{
	struct kbpf_nf_link *link, *tmp;
	LIST_HEAD(batch);

	kbpf_registry_lock();
	list_for_each_entry_safe(link, tmp, &kbpf_nf_net(net)->links, net_node)
		kbpf_nf_unhook(link, &batch, false);
	kbpf_nf_free_batch(&batch);
	kbpf_registry_unlock();
}

static struct pernet_operations kbpf_nf_net_ops = {
	.init = kbpf_nf_net_init,
	.pre_exit = kbpf_nf_net_pre_exit,
	.id = &kbpf_nf_net_id,
	.size = sizeof(struct kbpf_nf_net),
};

int kbpf_nf_init(void)
{
	/* The uapi hook numbers are netfilter's. */
	BUILD_BUG_ON((int)KBPF_NF_HOOK_PRE_ROUTING != (int)NF_INET_PRE_ROUTING);
	BUILD_BUG_ON((int)KBPF_NF_HOOK_LOCAL_IN != (int)NF_INET_LOCAL_IN);
	BUILD_BUG_ON((int)KBPF_NF_HOOK_FORWARD != (int)NF_INET_FORWARD);
	BUILD_BUG_ON((int)KBPF_NF_HOOK_LOCAL_OUT != (int)NF_INET_LOCAL_OUT);
	BUILD_BUG_ON((int)KBPF_NF_HOOK_POST_ROUTING != (int)NF_INET_POST_ROUTING);
	BUILD_BUG_ON((int)KBPF_NF_FAMILY_IPV4 != (int)NFPROTO_IPV4);
	BUILD_BUG_ON((int)KBPF_NF_FAMILY_IPV6 != (int)NFPROTO_IPV6);
	BUILD_BUG_ON(KBPF_NF_DROP != NF_DROP);
	BUILD_BUG_ON(KBPF_NF_ACCEPT != NF_ACCEPT);

	kbpf_nf_reject_init();
	return register_pernet_subsys(&kbpf_nf_net_ops);
}

/* Runs pre_exit on every namespace, which unhooks every link. */
void kbpf_nf_exit(void)
{
	unregister_pernet_subsys(&kbpf_nf_net_ops);
	kbpf_nf_reject_exit();
}
