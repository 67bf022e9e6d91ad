/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Deferred (observer) execution: per-CPU bounded run queues of packet
 * copies and the per-CPU workers that run them.
 */
#ifndef KBPF_OBSERVE_H
#define KBPF_OBSERVE_H

#include <linux/skbuff.h>

#include "netfilter.h"

int kbpf_obs_init(void);
/* After every observer is gone: waits for the workers, frees the queues. */
void kbpf_obs_exit(void);

/*
 * Packet path, bottom halves off: queue a copy of the packet ctx shows for
 * link on this CPU, or count a queue drop.  now is the arrival time (deadline policy only).
 */
void kbpf_obs_submit(struct kbpf_nf_link *link, const struct kbpf_nf_ctx *ctx,
		     u32 policy, u64 now);
/* Drop link's queued requests on every CPU (it is being freed). */
void kbpf_obs_purge(struct kbpf_nf_link *link);
/* Requests each queue holds: queue_len= or the profile's. */
u32 kbpf_obs_queue_len(void);
/* Sum of the queues' sizes and lengths, for kbpfctl feature. */
void kbpf_obs_usage(u32 *queued, u32 *capacity);

#endif /* KBPF_OBSERVE_H */
