// SPDX-License-Identifier: GPL-2.0
/*
 * Who may do what to which object: the rules are in perm.h and in
 * uapi/linux/kbpf.h.  Both ways in (chardev.c, genl.c) describe their caller
 * as a struct kbpf_caller and ask kbpf_perm_check(), so the device and
 * netlink cannot drift apart again.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/netlink.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/user_namespace.h>
#include <net/sock.h>

#include "perm.h"

static bool kbpf_file_admin(const struct file *file, struct user_namespace *ns)
{
	return (file_ns_capable(file, ns, CAP_NET_ADMIN) &&
		ns_capable(ns, CAP_NET_ADMIN)) ||
	       (file_ns_capable(file, ns, CAP_SYS_ADMIN) &&
		ns_capable(ns, CAP_SYS_ADMIN));
}

void kbpf_caller_from_file(struct kbpf_caller *c, const struct file *file)
{
	c->net = current->nsproxy->net_ns;
	c->admin = kbpf_file_admin(file, c->net->user_ns);
	c->init_admin = kbpf_file_admin(file, &init_user_ns);
}

static bool kbpf_skb_admin(const struct sk_buff *skb,
			   struct user_namespace *ns)
{
	return netlink_ns_capable(skb, ns, CAP_NET_ADMIN) ||
	       netlink_ns_capable(skb, ns, CAP_SYS_ADMIN);
}

void kbpf_caller_from_skb(struct kbpf_caller *c, const struct sk_buff *skb)
{
	c->net = sock_net(skb->sk);
	c->admin = kbpf_skb_admin(skb, c->net->user_ns);
	c->init_admin = kbpf_skb_admin(skb, &init_user_ns);
}

bool kbpf_perm_sees(const struct kbpf_caller *c, const struct net *owner)
{
	return c->init_admin || (c->admin && net_eq(owner, c->net));
}

int kbpf_perm_check(const struct kbpf_caller *c, enum kbpf_perm_op op,
		    const struct net *owner)
{
	/* The initial admin is an admin of every namespace. */
	if (!c->admin && !c->init_admin)
		return -EPERM;
	if (op == KBPF_PERM_CREATE)
		return c->admin ? 0 : -EPERM;
	if (!kbpf_perm_sees(c, owner))
		return -ENOENT;
	/* The initial admin may deploy one program into many namespaces. */
	if (op == KBPF_PERM_ATTACH && !net_eq(owner, c->net) && !c->init_admin)
		return -EPERM;
	return 0;
}
