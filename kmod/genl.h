/* SPDX-License-Identifier: GPL-2.0 */
/* The generic netlink family "kbpf" and its "events" group. */
#ifndef KBPF_GENL_H
#define KBPF_GENL_H

#include <net/net_namespace.h>

#include "registry.h"

int kbpf_genl_init(void);
void kbpf_genl_exit(void);

/*
 * Announce a change on the "events" group.  Safe to call at any time: before
 * the family is registered or after it is gone they do nothing.  Events go
 * to the namespace owning the object (for attach and detach: of the hook)
 * and to the initial namespace.
 */
void kbpf_genl_notify_prog(u32 event, const struct kbpf_reg_prog *rp);
void kbpf_genl_notify_map(u32 event, const struct kbpf_reg_map *rm);
void kbpf_genl_notify_link(u32 event, const struct kbpf_reg_prog *rp,
			   struct net *net, u32 family, u32 hook, s32 priority,
			   u32 ifindex);

#endif /* KBPF_GENL_H */
