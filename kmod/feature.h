/* SPDX-License-Identifier: GPL-2.0 */
/* What kbpfctl feature shows: profile limits, scheduling, memory. */
#ifndef KBPF_FEATURE_H
#define KBPF_FEATURE_H

#include <linux/skbuff.h>

/* A KBPF_A_FEATURE nest with every KBPF_FEAT_A_*; 0 or -EMSGSIZE. */
int kbpf_feature_fill(struct sk_buff *skb);

#endif /* KBPF_FEATURE_H */
