/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The netfilter program context, built the same way for the hook and for
 * test runs, and what happens to the packet after the program ran.
 */
#ifndef KBPF_NF_CTX_H
#define KBPF_NF_CTX_H

#include <linux/netfilter.h>
#include <linux/skbuff.h>

#include "core/kbpf_core.h"

/*
 * Fill c for skb at (family, hook), uapi numbers, with the given device
 * index.  At netdev/ingress the family is the frame's (skb->protocol).
 */
void kbpf_nf_ctx_build(struct kbpf_nf_ctx_kern *c, struct sk_buff *skb,
		       u32 family, u32 hook, u32 ifindex);

/*
 * Apply what the program decided: a changed ctx->mark goes into skb->mark,
 * KBPF_NF_REJECT answers the packet (state may be NULL in a test run: no
 * answer).  Returns the netfilter verdict.
 */
unsigned int kbpf_nf_ctx_finish(struct kbpf_nf_ctx_kern *c, u64 r0,
				const struct nf_hook_state *state);

int kbpf_nf_reject_init(void);
void kbpf_nf_reject_exit(void);

#endif /* KBPF_NF_CTX_H */
