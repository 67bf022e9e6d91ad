/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scheduler core: the order programs run in at one hook point, the
 * admission arithmetic of the deadline policy, the observers' bounded run
 * queue and the embedded profile's memory pool.  Kernel-independent like
 * the rest of the core; kmod/netfilter.c and kmod/observe.c are its glue.
 *
 * Policies (enum kbpf_sched_policy in the uapi header):
 *  - throughput: higher kbpf priority first, then attach order (FIFO);
 *  - deadline: earliest relative deadline first (EDF; every program of a
 *    chain sees the packet arrive at the same instant, so EDF on absolute
 *    deadlines is EDF on relative ones), then as throughput.
 */
#ifndef KBPF_CORE_SCHED_H
#define KBPF_CORE_SCHED_H

#include "../kbpf_core.h"

/* What the scheduler knows of one attachment. */
struct kbpf_sched_attr {
	s32 prio;		/* kbpf priority: higher runs first */
	u64 seq;		/* attach order: lower runs first */
	u64 deadline_ns;	/* relative deadline */
	u32 budget;		/* instructions per run */
	u64 worst_case;		/* instructions, or KBPF_WORST_CASE_UNBOUNDED */
	bool observe;		/* deferred: not part of the inline chain */
};

/* True if a runs before b under policy. */
bool kbpf_sched_before(const struct kbpf_sched_attr *a,
		       const struct kbpf_sched_attr *b, u32 policy);

/*
 * Sort items[0..n) into run order; attr(item) gives each one's attributes.
 * Stable, in place, O(n^2): chains are short and this runs on attach only.
 */
void kbpf_sched_sort(void **items, u32 n, u32 policy,
		     const struct kbpf_sched_attr *(*attr)(const void *item));

/* ---- admission (deadline policy) ------------------------------------- */

struct kbpf_admit_params {
	u64 hook_deadline_ns;	/* the whole chain must fit in it */
	u32 ns_per_insn;	/* cost model: nanoseconds per instruction */
};

/*
 * The instructions a run of a may cost: its worst case when known, else its
 * budget, which the metered interpreter enforces.
 */
u64 kbpf_sched_cost(const struct kbpf_sched_attr *a);

/*
 * Admit a chain: attrs[0..n) in run order (observers are skipped).  0, or
 * -E2BIG with the reason and its figures in msg:
 *  - a program whose known worst case exceeds its budget;
 *  - a program that, in EDF order, would finish after its own deadline;
 *  - a chain whose summed cost exceeds the hook point's deadline.
 * name(i) names attrs[i] in messages, which are kept short enough for a
 * netlink extended ack (80 bytes) with ordinary figures.
 */
int kbpf_sched_admit(const struct kbpf_sched_attr *const *attrs, u32 n,
		     const struct kbpf_admit_params *p,
		     const char *(*name)(const void *ctx, u32 i),
		     const void *ctx, char *msg, size_t msg_size);

/* ---- the observers' run queue --------------------------------------- */

/*
 * One deferred execution request: whose, its ordering keys and where its
 * copy of the packet is.  meta is the glue's (the context to rebuild).
 */
struct kbpf_runq_req {
	void *owner;		/* the attachment */
	s32 prio;
	u64 seq;		/* enqueue order */
	u64 deadline_ns;	/* absolute: arrival + relative deadline */
	u32 slot;		/* index of its snap buffer */
	u32 len;		/* bytes copied into the buffer */
	u8 meta[32];
};

/*
 * A bounded priority queue of requests with a fixed buffer per slot.  Not
 * locked: the glue serialises each queue.  Ordered by kbpf priority then
 * FIFO (throughput), or by absolute deadline then FIFO (deadline).
 */
struct kbpf_runq {
	u32 policy;
	u32 cap;		/* requests */
	u32 snap;		/* bytes per request buffer */
	u32 len;		/* requests queued */
	u32 hwm;		/* most ever queued */
	u64 seq;
	u64 drops;		/* refused because full */
	struct kbpf_runq_req *heap;
	u32 *free_slots;	/* stack of unused buffers */
	u32 nfree;
	u8 *data;		/* cap * snap bytes */
};

/* Bytes kbpf_runq_init() allocates for cap requests of snap bytes. */
size_t kbpf_runq_mem_size(u32 cap, u32 snap);
int kbpf_runq_init(struct kbpf_runq *q, u32 policy, u32 cap, u32 snap);
void kbpf_runq_destroy(struct kbpf_runq *q);

/*
 * Reserve a request: NULL when the queue is full (counted in q->drops).
 * Fill req->owner, prio, deadline_ns, len and meta and the buffer at
 * kbpf_runq_buf(q, req->slot), then kbpf_runq_commit(); nothing may come
 * between the two.
 */
struct kbpf_runq_req *kbpf_runq_reserve(struct kbpf_runq *q);
void kbpf_runq_commit(struct kbpf_runq *q);
void *kbpf_runq_buf(struct kbpf_runq *q, u32 slot);

enum kbpf_runq_pop {
	KBPF_RUNQ_EMPTY,
	KBPF_RUNQ_READY,	/* run it */
	KBPF_RUNQ_EXPIRED,	/* past its deadline at now: count a miss */
};

/*
 * Take the head into *req.  Its buffer stays valid until
 * kbpf_runq_release(q, req->slot).  Expiry applies under the deadline
 * policy only.
 */
enum kbpf_runq_pop kbpf_runq_pop(struct kbpf_runq *q, u64 now,
				 struct kbpf_runq_req *req);
void kbpf_runq_release(struct kbpf_runq *q, u32 slot);
/* Drop every request of owner (it is going away); returns how many. */
u32 kbpf_runq_purge(struct kbpf_runq *q, const void *owner);

/* ---- the embedded profile's pool -------------------------------------- */

/*
 * First-fit allocator over one region reserved up front.  Free blocks are
 * kept in address order and merged with their neighbours, so freeing
 * everything always gives back one block.  Not locked: the glue does that.
 */
struct kbpf_pool {
	u8 *base;
	size_t size;
	size_t used;		/* bytes in allocated blocks, headers included */
	size_t peak;
	u32 allocs;		/* blocks currently allocated */
	struct kbpf_pool_block *free_list;
};

#define KBPF_POOL_ALIGN	16

/* Manage [mem, mem + size); mem aligned to KBPF_POOL_ALIGN. */
void kbpf_pool_init(struct kbpf_pool *pool, void *mem, size_t size);
/* Zeroed memory, or NULL when no free block is large enough. */
void *kbpf_pool_zalloc(struct kbpf_pool *pool, size_t size);
/*
 * The same, starting at a multiple of align (a power of 2, at least
 * KBPF_POOL_ALIGN): whole pages that can be mapped to userspace.
 */
void *kbpf_pool_zalloc_aligned(struct kbpf_pool *pool, size_t size,
			       size_t align);
void kbpf_pool_free(struct kbpf_pool *pool, const void *p);
bool kbpf_pool_owns(const struct kbpf_pool *pool, const void *p);
/* Largest single allocation that would succeed now. */
size_t kbpf_pool_largest_free(const struct kbpf_pool *pool);

#endif /* KBPF_CORE_SCHED_H */
