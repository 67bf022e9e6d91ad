// SPDX-License-Identifier: GPL-2.0
/*
 * The observers' run queue: a binary heap of requests over a fixed array,
 * with one snap buffer per request slot.  Every operation is O(log n) or
 * better except purge (O(n), on detach only), and nothing allocates after
 * kbpf_runq_init(): a full queue refuses, it never grows or blocks.
 */
#include "sched.h"

size_t kbpf_runq_mem_size(u32 cap, u32 snap)
{
	return (size_t)cap * (sizeof(struct kbpf_runq_req) + sizeof(u32) +
			      snap);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_runq_mem_size);

int kbpf_runq_init(struct kbpf_runq *q, u32 policy, u32 cap, u32 snap)
{
	u32 i;

	memset(q, 0, sizeof(*q));
	if (!cap || cap > (1U << 20) || snap > (1U << 16))
		return -EINVAL;
	q->policy = policy;
	q->cap = cap;
	q->snap = snap;
	q->heap = kbpf_zalloc((size_t)cap * sizeof(*q->heap));
	q->free_slots = kbpf_zalloc((size_t)cap * sizeof(*q->free_slots));
	q->data = snap ? kbpf_zalloc((size_t)cap * snap) : NULL;
	if (!q->heap || !q->free_slots || (snap && !q->data)) {
		kbpf_runq_destroy(q);
		return -ENOMEM;
	}
	for (i = 0; i < cap; i++)
		q->free_slots[i] = cap - 1 - i;
	q->nfree = cap;
	return 0;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_runq_init);

void kbpf_runq_destroy(struct kbpf_runq *q)
{
	kbpf_free(q->heap);
	kbpf_free(q->free_slots);
	kbpf_free(q->data);
	q->heap = NULL;
	q->free_slots = NULL;
	q->data = NULL;
	q->cap = 0;
	q->len = 0;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_runq_destroy);

static bool req_before(const struct kbpf_runq *q, const struct kbpf_runq_req *a,
		       const struct kbpf_runq_req *b)
{
	if (q->policy == KBPF_SCHED_DEADLINE) {
		if (a->deadline_ns != b->deadline_ns)
			return a->deadline_ns < b->deadline_ns;
	} else if (a->prio != b->prio) {
		return a->prio > b->prio;
	}
	return a->seq < b->seq;
}

static void swap_req(struct kbpf_runq_req *a, struct kbpf_runq_req *b)
{
	struct kbpf_runq_req t = *a;

	*a = *b;
	*b = t;
}

static void sift_up(struct kbpf_runq *q, u32 i)
{
	while (i && req_before(q, &q->heap[i], &q->heap[(i - 1) / 2])) {
		swap_req(&q->heap[i], &q->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
}

static void sift_down(struct kbpf_runq *q, u32 i)
{
	for (;;) {
		u32 l = 2 * i + 1, r = l + 1, best = i;

		if (l < q->len && req_before(q, &q->heap[l], &q->heap[best]))
			best = l;
		if (r < q->len && req_before(q, &q->heap[r], &q->heap[best]))
			best = r;
		if (best == i)
			return;
		swap_req(&q->heap[i], &q->heap[best]);
		i = best;
	}
}

struct kbpf_runq_req *kbpf_runq_reserve(struct kbpf_runq *q)
{
	struct kbpf_runq_req *req;

	if (q->len >= q->cap || !q->nfree) {
		q->drops++;
		return NULL;
	}
	req = &q->heap[q->len];
	memset(req, 0, sizeof(*req));
	req->slot = q->free_slots[--q->nfree];
	req->seq = q->seq++;
	return req;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_runq_reserve);

void kbpf_runq_commit(struct kbpf_runq *q)
{
	q->len++;
	if (q->len > q->hwm)
		q->hwm = q->len;
	sift_up(q, q->len - 1);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_runq_commit);

void *kbpf_runq_buf(struct kbpf_runq *q, u32 slot)
{
	return q->data + (size_t)slot * q->snap;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_runq_buf);

static void remove_at(struct kbpf_runq *q, u32 i)
{
	q->len--;
	if (i == q->len)
		return;
	q->heap[i] = q->heap[q->len];
	sift_down(q, i);
	sift_up(q, i);
}

enum kbpf_runq_pop kbpf_runq_pop(struct kbpf_runq *q, u64 now,
				 struct kbpf_runq_req *req)
{
	if (!q->len)
		return KBPF_RUNQ_EMPTY;
	*req = q->heap[0];
	remove_at(q, 0);
	if (q->policy == KBPF_SCHED_DEADLINE && req->deadline_ns < now)
		return KBPF_RUNQ_EXPIRED;
	return KBPF_RUNQ_READY;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_runq_pop);

void kbpf_runq_release(struct kbpf_runq *q, u32 slot)
{
	if (slot >= q->cap || q->nfree >= q->cap) {
		kbpf_bug("run queue slot %u released twice", slot);
		return;
	}
	q->free_slots[q->nfree++] = slot;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_runq_release);

u32 kbpf_runq_purge(struct kbpf_runq *q, const void *owner)
{
	u32 i = 0, n = 0;

	while (i < q->len) {
		if (q->heap[i].owner != owner) {
			i++;
			continue;
		}
		kbpf_runq_release(q, q->heap[i].slot);
		q->len--;
		q->heap[i] = q->heap[q->len];
		n++;
	}
	/* Removing from the middle broke the heap order: rebuild it. */
	for (i = q->len / 2; i-- > 0;)
		sift_down(q, i);
	return n;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_runq_purge);
