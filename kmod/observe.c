// SPDX-License-Identifier: GPL-2.0
/*
 * Deferred (observer) execution: the scheduler's run queue.
 *
 * An attachment in mode observe never holds its packet.  The dispatcher
 * copies up to snap_len bytes from the network header into a request on
 * this CPU's queue and moves on; a per-CPU worker (a bound workqueue item)
 * runs the program on the copy later, and its verdict is ignored.  Each CPU
 * has two queues (core/sched/runq.c): one ordered by kbpf priority then
 * FIFO for throughput hook points, one by absolute deadline (arrival plus
 * the attachment's relative deadline) for deadline hook points.  Workers
 * serve the deadline queue first, in batches of KBPF_OBS_BATCH with bottom
 * halves off; a deadline request already late at the head is discarded and
 * counted as a miss.  A full queue refuses the request and counts a queue
 * drop: the packet path never waits and never allocates.
 *
 * Locking: one spinlock per CPU, taken with bottom halves off by the packet
 * path, the worker and purge.  A worker pops a request and runs it inside
 * one bottom-half-off (hence RCU) section, so netfilter.c's removal --
 * unpublish, synchronize, kbpf_obs_purge(), synchronize -- leaves no
 * request and no run of a link behind before it frees the link.
 */
#include <linux/moduleparam.h>
#include <linux/workqueue.h>
#include <linux/spinlock.h>
#include <linux/bottom_half.h>
#include <linux/rcupdate.h>

#include "observe.h"

#define KBPF_OBS_BATCH	32

static uint queue_len;
module_param(queue_len, uint, 0444);
MODULE_PARM_DESC(queue_len,
		 "observer requests per CPU and policy (0: the profile's)");

/* What a request remembers of the context besides the bytes. */
struct kbpf_obs_meta {
	u32 len;
	u32 family;
	u32 hook;
	u32 ifindex;
	u32 protocol;
	u32 mark;
};

enum { OBS_Q_THROUGHPUT, OBS_Q_DEADLINE, OBS_NQ };

struct kbpf_obs_cpu {
	spinlock_t lock;
	struct kbpf_runq q[OBS_NQ];
	struct work_struct work;
};

static struct kbpf_obs_cpu *kbpf_obs_cpus;
static struct workqueue_struct *kbpf_obs_wq;

static_assert(sizeof(struct kbpf_obs_meta) <=
	      sizeof(((struct kbpf_runq_req *)0)->meta));

static void count_queue(struct kbpf_nf_stats *st, bool dropped, u32 depth)
{
	u64_stats_update_begin(&st->syncp);
	if (dropped) {
		st->qdrops++;
	} else {
		st->queued++;
		if (depth > st->qhwm)
			st->qhwm = depth;
	}
	u64_stats_update_end(&st->syncp);
}

void kbpf_obs_submit(struct kbpf_nf_link *link, const struct kbpf_nf_ctx *ctx,
		     u32 policy, u64 now)
{
	int cpu = smp_processor_id();
	struct kbpf_obs_cpu *c = &kbpf_obs_cpus[cpu];
	bool deadline = policy == KBPF_SCHED_DEADLINE;
	struct kbpf_runq *q = &c->q[deadline ? OBS_Q_DEADLINE : OBS_Q_THROUGHPUT];
	struct kbpf_obs_meta *meta;
	struct kbpf_runq_req *req;
	u32 len, depth = 0;

	spin_lock(&c->lock);
	req = kbpf_runq_reserve(q);
	if (req) {
		len = min_t(u32, ctx->data_end - ctx->data, q->snap);
		req->owner = link;
		req->prio = link->sa.prio;
		req->deadline_ns = deadline ? now + link->sa.deadline_ns : 0;
		req->len = len;
		memcpy(kbpf_runq_buf(q, req->slot),
		       (const void *)(uintptr_t)ctx->data, len);
		meta = (struct kbpf_obs_meta *)req->meta;
		meta->len = ctx->len;
		meta->family = ctx->family;
		meta->hook = ctx->hook;
		meta->ifindex = ctx->ifindex;
		meta->protocol = ctx->protocol;
		meta->mark = ctx->mark;
		kbpf_runq_commit(q);
		depth = q->len;
	}
	spin_unlock(&c->lock);

	count_queue(&link->stats[cpu], !req, depth);
	count_queue(&link->hp->stats[cpu], !req, depth);
	if (req)
		queue_work_on(cpu, kbpf_obs_wq, &c->work);
}

/* Take the next request, deadline queue first; false when both are empty. */
static bool obs_pop(struct kbpf_obs_cpu *c, struct kbpf_runq_req *req,
		    u32 *qi, bool *expired)
{
	struct kbpf_runq *dq = &c->q[OBS_Q_DEADLINE];
	enum kbpf_runq_pop got = KBPF_RUNQ_EMPTY;

	spin_lock(&c->lock);
	*qi = OBS_Q_DEADLINE;
	/* The clock is read only when a deadline request waits. */
	if (dq->len)
		got = kbpf_runq_pop(dq, ktime_get_mono_fast_ns(), req);
	if (got == KBPF_RUNQ_EMPTY) {
		*qi = OBS_Q_THROUGHPUT;
		got = kbpf_runq_pop(&c->q[*qi], 0, req);
	}
	spin_unlock(&c->lock);
	*expired = got == KBPF_RUNQ_EXPIRED;
	return got != KBPF_RUNQ_EMPTY;
}

static void obs_run(struct kbpf_obs_cpu *c, const struct kbpf_runq_req *req,
		    u32 qi)
{
	const struct kbpf_obs_meta *meta = (const void *)req->meta;
	struct kbpf_nf_link *link = req->owner;
	u8 *buf = kbpf_runq_buf(&c->q[qi], req->slot);
	u32 policy = qi == OBS_Q_DEADLINE ? KBPF_SCHED_DEADLINE :
		     KBPF_SCHED_THROUGHPUT;
	bool timed = policy == KBPF_SCHED_DEADLINE ||
		     static_branch_unlikely(&kbpf_stats_key);
	/* No skb: packet helpers work on the copy's flat bytes. */
	struct kbpf_nf_ctx_kern ctx = {
		.ctx = {
			.data = (u64)(uintptr_t)buf,
			.data_end = (u64)(uintptr_t)(buf + req->len),
			.len = meta->len,
			.family = meta->family,
			.hook = meta->hook,
			.ifindex = meta->ifindex,
			.protocol = meta->protocol,
			.mark = meta->mark,
		},
	};
	u64 arrival = req->deadline_ns - link->sa.deadline_ns;
	u64 prev = timed ? ktime_get_mono_fast_ns() : 0;

	kbpf_nf_run_link(link, &ctx, policy, arrival, &prev, timed);
}

static void obs_work(struct work_struct *work)
{
	struct kbpf_obs_cpu *c = container_of(work, struct kbpf_obs_cpu, work);
	struct kbpf_runq_req req;
	bool more = true, expired;
	u32 i, qi;

	while (more) {
		local_bh_disable();
		rcu_read_lock();
		for (i = 0; i < KBPF_OBS_BATCH; i++) {
			more = obs_pop(c, &req, &qi, &expired);
			if (!more)
				break;
			if (expired) {
				struct kbpf_nf_link *link = req.owner;
				int cpu = smp_processor_id();

				kbpf_nf_count_expired(&link->stats[cpu]);
			} else {
				obs_run(c, &req, qi);
			}
			spin_lock(&c->lock);
			kbpf_runq_release(&c->q[qi], req.slot);
			spin_unlock(&c->lock);
		}
		rcu_read_unlock();
		local_bh_enable();
		cond_resched();
	}
}

void kbpf_obs_purge(struct kbpf_nf_link *link)
{
	int cpu, i;

	for_each_possible_cpu(cpu) {
		struct kbpf_obs_cpu *c = &kbpf_obs_cpus[cpu];

		spin_lock_bh(&c->lock);
		for (i = 0; i < OBS_NQ; i++)
			kbpf_runq_purge(&c->q[i], link);
		spin_unlock_bh(&c->lock);
	}
}

u32 kbpf_obs_queue_len(void)
{
	return min_t(u32, queue_len ?: kbpf_default_limits()->queue_len,
		     1U << 16);
}

void kbpf_obs_usage(u32 *queued, u32 *capacity)
{
	int cpu, i;

	*queued = 0;
	*capacity = 0;
	for_each_possible_cpu(cpu) {
		struct kbpf_obs_cpu *c = &kbpf_obs_cpus[cpu];

		for (i = 0; i < OBS_NQ; i++) {
			*queued += READ_ONCE(c->q[i].len);
			*capacity += c->q[i].cap;
		}
	}
}

static void obs_free(void)
{
	int cpu, i;

	for_each_possible_cpu(cpu)
		for (i = 0; i < OBS_NQ; i++)
			kbpf_runq_destroy(&kbpf_obs_cpus[cpu].q[i]);
	kbpf_free(kbpf_obs_cpus);
	kbpf_obs_cpus = NULL;
}

int kbpf_obs_init(void)
{
	const struct kbpf_limits *lim = kbpf_default_limits();
	u32 len = kbpf_obs_queue_len();
	int cpu, i, err;

	kbpf_obs_cpus = kbpf_zalloc(array_size(nr_cpu_ids,
					       sizeof(*kbpf_obs_cpus)));
	if (!kbpf_obs_cpus)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct kbpf_obs_cpu *c = &kbpf_obs_cpus[cpu];

		spin_lock_init(&c->lock);
		INIT_WORK(&c->work, obs_work);
		for (i = 0; i < OBS_NQ; i++) {
			err = kbpf_runq_init(&c->q[i], i == OBS_Q_DEADLINE ?
					     KBPF_SCHED_DEADLINE :
					     KBPF_SCHED_THROUGHPUT,
					     len, lim->snap_len);
			if (err)
				goto err_free;
		}
	}
	kbpf_obs_wq = alloc_workqueue("kbpf_observe", WQ_HIGHPRI, 0);
	if (!kbpf_obs_wq) {
		err = -ENOMEM;
		goto err_free;
	}
	return 0;

err_free:
	obs_free();
	return err;
}

void kbpf_obs_exit(void)
{
	/* Flushes whatever is still queued: every link is gone by now. */
	destroy_workqueue(kbpf_obs_wq);
	obs_free();
}
