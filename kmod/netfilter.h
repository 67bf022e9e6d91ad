/* SPDX-License-Identifier: GPL-2.0 */
/* Attaching programs to netfilter hooks, per network namespace. */
#ifndef KBPF_NETFILTER_H
#define KBPF_NETFILTER_H

#include <linux/netlink.h>
#include <net/net_namespace.h>

#include "registry.h"

int kbpf_nf_init(void);
void kbpf_nf_exit(void);

/* Whether the uapi family and hook numbers name something we attach to. */
bool kbpf_nf_family_valid(u32 family);
bool kbpf_nf_hook_valid(u32 hook);

/* Callers hold the registry lock for all of these. */
int kbpf_nf_attach_locked(struct net *net, struct kbpf_reg_prog *rp,
			  u32 family, u32 hook, s32 priority,
			  struct netlink_ext_ack *extack);
/* Detach from (family, hook) in net, or from every hook of net if !one. */
int kbpf_nf_detach_locked(struct net *net, struct kbpf_reg_prog *rp, bool one,
			  u32 family, u32 hook, struct netlink_ext_ack *extack);
void kbpf_nf_detach_prog_locked(struct kbpf_reg_prog *rp);
u32 kbpf_nf_link_count_locked(const struct kbpf_reg_prog *rp);
/*
 * One nested KBPF_A_ATTACHMENT per attachment of rp from the *pos'th on,
 * advancing *pos past each one put: -EMSGSIZE when skb is full, and the
 * next message resumes at *pos.
 */
int kbpf_nf_fill_links_locked(struct sk_buff *skb,
			      const struct kbpf_reg_prog *rp, u32 *pos);

#endif /* KBPF_NETFILTER_H */
