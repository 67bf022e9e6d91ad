/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The permission model of kbpf, one check for /dev/kbpf and netlink alike.
 *
 * Programs and maps belong to the network namespace they were created in
 * (their owner).  A caller is
 *
 *  - an admin of its namespace: CAP_NET_ADMIN or CAP_SYS_ADMIN in the user
 *    namespace owning the network namespace its request concerns (the
 *    caller's own for the device, the socket's for netlink);
 *  - the initial admin: the same capabilities in the initial user namespace.
 *
 * Only an admin creates objects, owned by its namespace.  An object is
 * visible and usable (get, list, test run, map lookup and update, unload,
 * destroy, and reference from a program being loaded) from its owner's
 * admins and by the initial admin; to everyone else it does not exist
 * (-ENOENT).  A namespace's admin attaches only in the owner's namespace;
 * the initial admin may attach an object it sees in any namespace it is in
 * (one policy deployed into many containers).  A caller who is admin
 * nowhere gets -EPERM for everything but the version query.
 * When a namespace goes away, its objects go with it.
 *
 * Capabilities are those of both the opener of the file or socket and the
 * task making the request, as netlink_ns_capable() does: a descriptor passed
 * to a less privileged process does not carry its opener's rights, and a
 * privileged process cannot be tricked into using a descriptor it did not
 * open for more than its opener could.
 */
#ifndef KBPF_PERM_H
#define KBPF_PERM_H

#include <linux/fs.h>
#include <linux/skbuff.h>
#include <net/net_namespace.h>

struct kbpf_caller {
	struct net *net;	/* the namespace the request concerns */
	bool admin;		/* admin of net */
	bool init_admin;	/* admin of the initial namespace */
};

enum kbpf_perm_op {
	KBPF_PERM_CREATE,	/* load a program, create a map */
	KBPF_PERM_USE,		/* anything else on an existing object */
	KBPF_PERM_ATTACH,	/* attach in the caller's namespace */
};

/* A device ioctl: the task's namespace, the opener's and task's rights. */
void kbpf_caller_from_file(struct kbpf_caller *c, const struct file *file);
/* A netlink request: the socket's namespace, as netlink_ns_capable(). */
void kbpf_caller_from_skb(struct kbpf_caller *c, const struct sk_buff *skb);

/*
 * The one check: may c do op on an object owned by owner (ignored for
 * KBPF_PERM_CREATE)?  0, -EPERM (not an admin, or attach outside the
 * owner's namespace) or -ENOENT (the object is not visible to c).
 */
int kbpf_perm_check(const struct kbpf_caller *c, enum kbpf_perm_op op,
		    const struct net *owner);

/* Whether c sees objects owned by owner (kbpf_perm_check() == 0 for USE). */
bool kbpf_perm_sees(const struct kbpf_caller *c, const struct net *owner);

#endif /* KBPF_PERM_H */
