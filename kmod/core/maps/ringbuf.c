// SPDX-License-Identifier: GPL-2.0
/*
 * Ring buffer maps (RINGBUF): programs reserve, fill and submit records;
 * userspace reads them in place through a shared mapping, laid out as
 * Linux's BPF ring buffer (see KBPF_IOC_MAP_GET_FD in uapi/linux/kbpf.h).
 *
 * Ring memory, from kbpf_ring_mem_alloc():
 *
 *   page 0      private: a pointer back to the map, never mapped to users
 *   page 1      consumer page: consumer_pos, written by the reader
 *   page 2      producer page: producer_pos, read-only to the reader
 *   page 3...   data, max_entries bytes, mapped twice in a row
 *
 * Where the second data copy is not the first mapped again
 * (!kbpf_ring_data_aliased(): the embedded profile, which maps nothing
 * after load), it is memory of its own that only a record wrapping past
 * the data's end writes into: commit copies that tail to the data's start,
 * where the reader (which maps the first copy twice) finds it, before the
 * record's length clears its busy bit.  At most one record wraps at a time
 * (the producer never gets a ring ahead of the oldest uncommitted one), so
 * the copy never races another writer.
 *
 * Producers serialise on the map's lock only to reserve; they write and
 * commit their records without it, in any order.  A record's header
 * carries the busy bit until commit, and the page offset of the header
 * from the ring's start, which is how submit and discard find the ring
 * from nothing but the record pointer.  producer_pos never runs more than
 * the ring size ahead of consumer_pos (reader) or of pending_pos (the
 * oldest record still being written), so no record is overwritten while it
 * is read or written.
 */
#include "map.h"

#define RING_PRIV_PAGE		0
#define RING_CONSUMER_PAGE	1
#define RING_PRODUCER_PAGE	2
#define RING_CTL_PAGES		3

/* The largest record: the length field has two flag bits. */
#define RING_MAX_RECORD		(KBPF_RINGBUF_DISCARD_BIT - 1)

struct ring_hdr {
	u32 len;		/* KBPF_RINGBUF_{BUSY,DISCARD}_BIT | length */
	u32 pg_off;		/* pages from the ring's start to this header */
};

struct kbpf_ringbuf_map {
	struct kbpf_map map;
	struct kbpf_lock lock;		/* reservations */
	struct kbpf_waitq waitq;	/* readers in poll() */
	struct kbpf_ring_mem *mem;
	u8 *base;			/* page 0 of the ring memory */
	u8 *data;
	u64 mask;			/* max_entries - 1 */
	u64 pending_pos;		/* under lock */
	bool copy_wrapped;		/* second data copy is not an alias */
};

static struct kbpf_ringbuf_map *to_ring(struct kbpf_map *map)
{
	return (struct kbpf_ringbuf_map *)map;
}

static u64 *consumer_pos(struct kbpf_ringbuf_map *rb)
{
	return (u64 *)(rb->base + RING_CONSUMER_PAGE * KBPF_PAGE_SIZE);
}

static u64 *producer_pos(struct kbpf_ringbuf_map *rb)
{
	return (u64 *)(rb->base + RING_PRODUCER_PAGE * KBPF_PAGE_SIZE);
}

/* ---- creation ----------------------------------------------------------- */

static bool is_pow2(u32 n)
{
	return n && !(n & (n - 1));
}

static int ringbuf_check(const struct kbpf_map_attrs *attrs,
			 const struct kbpf_limits *limits, struct kbpf_log *log)
{
	if (attrs->key_size || attrs->value_size) {
		kbpf_map_log(log, "a ring buffer's key_size and value_size must be 0");
		return -EINVAL;
	}
	if (!is_pow2(attrs->max_entries) ||
	    attrs->max_entries % KBPF_PAGE_SIZE) {
		kbpf_map_log(log, "a ring buffer's max_entries (%u) must be a power of 2 and a multiple of %lu",
			     attrs->max_entries, (unsigned long)KBPF_PAGE_SIZE);
		return -EINVAL;
	}
	return 0;
}

/*
 * The pages (the data twice unless aliased), the page table of the double
 * mapping, the map struct.
 */
static int ringbuf_cost(const struct kbpf_map_attrs *attrs, u64 *bytes)
{
	u64 data_pages = attrs->max_entries / KBPF_PAGE_SIZE;
	u64 mapped = RING_CTL_PAGES + 2 * data_pages;
	u64 pages = kbpf_ring_data_aliased() ? RING_CTL_PAGES + data_pages :
					       mapped;

	return kbpf_mul_add(pages, KBPF_PAGE_SIZE,
			    mapped * sizeof(void *) +
			    sizeof(struct kbpf_ringbuf_map), bytes);
}

static int ringbuf_alloc(const struct kbpf_map_attrs *attrs,
			 struct kbpf_map **mapp)
{
	struct kbpf_ringbuf_map *rb = kbpf_zalloc(sizeof(*rb));

	if (!rb)
		return -ENOMEM;
	rb->base = kbpf_ring_mem_alloc(RING_CTL_PAGES,
				       attrs->max_entries / KBPF_PAGE_SIZE,
				       &rb->mem);
	if (!rb->base) {
		kbpf_free(rb);
		return -ENOMEM;
	}
	/* Page 0 is private: submit finds the map from a record through it. */
	*(struct kbpf_ringbuf_map **)rb->base = rb;
	rb->data = rb->base + RING_CTL_PAGES * KBPF_PAGE_SIZE;
	rb->mask = attrs->max_entries - 1;
	rb->copy_wrapped = !kbpf_ring_data_aliased();
	kbpf_lock_init(&rb->lock);
	kbpf_waitq_init(&rb->waitq);
	*mapp = &rb->map;
	return 0;
}

static void ringbuf_free(struct kbpf_map *map)
{
	struct kbpf_ringbuf_map *rb = to_ring(map);

	kbpf_waitq_destroy(&rb->waitq);
	kbpf_ring_mem_free(rb->mem);
	kbpf_free(rb);
}

static bool ringbuf_helper_ok(u32 func_id)
{
	return func_id == KBPF_FUNC_RINGBUF_OUTPUT ||
	       func_id == KBPF_FUNC_RINGBUF_RESERVE ||
	       func_id == KBPF_FUNC_RINGBUF_QUERY;
}

/* No element operations: every op stays NULL (-EOPNOTSUPP). */
const struct kbpf_map_ops kbpf_ringbuf_map_ops = {
	.check = ringbuf_check,
	.mem_cost = ringbuf_cost,
	.alloc = ringbuf_alloc,
	.free = ringbuf_free,
	.helper_ok = ringbuf_helper_ok,
};

/* ---- records ------------------------------------------------------------ */

/* Move pending_pos past records already committed.  Under rb->lock. */
static u64 advance_pending(struct kbpf_ringbuf_map *rb, u64 prod)
{
	u64 pend = rb->pending_pos;

	while (pend < prod) {
		struct ring_hdr *hdr = (struct ring_hdr *)(rb->data +
							   (pend & rb->mask));
		u32 len = kbpf_load_acquire(hdr->len);

		if (len & KBPF_RINGBUF_BUSY_BIT)
			break;
		len &= ~KBPF_RINGBUF_DISCARD_BIT;
		pend += kbpf_round_up8_64(len) + KBPF_RINGBUF_HDR_SZ;
	}
	rb->pending_pos = pend;
	return pend;
}

static void *ring_reserve(struct kbpf_ringbuf_map *rb, u64 size)
{
	u64 len, cons, prod, pend;
	struct ring_hdr *hdr;

	if (size > RING_MAX_RECORD)
		return NULL;
	len = kbpf_round_up8_64((u32)size) + KBPF_RINGBUF_HDR_SZ;
	if (len > rb->mask + 1)
		return NULL;
	cons = kbpf_load_acquire(*consumer_pos(rb));
	kbpf_lock_acquire(&rb->lock);
	prod = *producer_pos(rb);
	pend = advance_pending(rb, prod);
	/* Never more than the ring ahead of the reader or the oldest writer. */
	if (prod + len - cons > rb->mask || prod + len - pend > rb->mask) {
		kbpf_lock_release(&rb->lock);
		return NULL;
	}
	hdr = (struct ring_hdr *)(rb->data + (prod & rb->mask));
	hdr->len = (u32)size | KBPF_RINGBUF_BUSY_BIT;
	hdr->pg_off = ((u8 *)hdr - rb->base) / KBPF_PAGE_SIZE;
	kbpf_store_release(*producer_pos(rb), prod + len);
	kbpf_lock_release(&rb->lock);
	return hdr + 1;
}

static struct ring_hdr *sample_hdr(void *sample)
{
	return (struct ring_hdr *)sample - 1;
}

/* The map a record belongs to, from its header's page offset. */
static struct kbpf_ringbuf_map *sample_ring(struct ring_hdr *hdr)
{
	uintptr_t page = (uintptr_t)hdr & ~(uintptr_t)(KBPF_PAGE_SIZE - 1);

	return *(struct kbpf_ringbuf_map **)(page - (uintptr_t)hdr->pg_off *
					     KBPF_PAGE_SIZE);
}

/* Where the data is not aliased: a wrapped record's tail to its place. */
static void ring_fold_tail(struct kbpf_ringbuf_map *rb, u8 *sample, u32 len)
{
	u64 end = sample - rb->data + kbpf_round_up8_64(len);
	u64 size = rb->mask + 1;

	if (end > size)
		memcpy(rb->data, rb->data + size, end - size);
}

static void ring_commit(void *sample, u64 flags, bool discard)
{
	struct ring_hdr *hdr = sample_hdr(sample);
	struct kbpf_ringbuf_map *rb = sample_ring(hdr);
	u32 len = hdr->len & ~KBPF_RINGBUF_BUSY_BIT;
	u64 rec_pos, cons;

	if (discard)
		len |= KBPF_RINGBUF_DISCARD_BIT;
	else if (rb->copy_wrapped)
		ring_fold_tail(rb, sample, len);
	/* A full barrier: the record's bytes are visible before the length. */
	kbpf_atomic32_xchg(&hdr->len, len);
	rec_pos = (u8 *)hdr - rb->data;
	cons = kbpf_load_acquire(*consumer_pos(rb)) & rb->mask;
	if (flags & KBPF_RB_FORCE_WAKEUP)
		kbpf_waitq_wake(&rb->waitq);
	else if (cons == rec_pos && !(flags & KBPF_RB_NO_WAKEUP))
		kbpf_waitq_wake(&rb->waitq);
}

/* ---- helpers ------------------------------------------------------------ */

static void *u64_to_ptr(u64 v)
{
	return (void *)(uintptr_t)v;
}

#define RB_WAKEUP_FLAGS	(KBPF_RB_NO_WAKEUP | KBPF_RB_FORCE_WAKEUP)

u64 kbpf_ringbuf_output(u64 map, u64 data, u64 size, u64 flags, u64 r5)
{
	void *rec;

	if (flags & ~(u64)RB_WAKEUP_FLAGS)
		return (u64)-EINVAL;
	rec = ring_reserve(to_ring(u64_to_ptr(map)), size);
	if (!rec)
		return (u64)-EAGAIN;
	memcpy(rec, u64_to_ptr(data), size);
	ring_commit(rec, flags, false);
	return 0;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_ringbuf_output);

u64 kbpf_ringbuf_reserve(u64 map, u64 size, u64 flags, u64 r4, u64 r5)
{
	if (flags)
		return 0;
	return (u64)(uintptr_t)ring_reserve(to_ring(u64_to_ptr(map)), size);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_ringbuf_reserve);

u64 kbpf_ringbuf_submit(u64 sample, u64 flags, u64 r3, u64 r4, u64 r5)
{
	ring_commit(u64_to_ptr(sample), flags, false);
	return 0;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_ringbuf_submit);

u64 kbpf_ringbuf_discard(u64 sample, u64 flags, u64 r3, u64 r4, u64 r5)
{
	ring_commit(u64_to_ptr(sample), flags, true);
	return 0;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_ringbuf_discard);

u64 kbpf_ringbuf_query(u64 map, u64 flags, u64 r3, u64 r4, u64 r5)
{
	struct kbpf_ringbuf_map *rb = to_ring(u64_to_ptr(map));
	u64 cons = kbpf_load_acquire(*consumer_pos(rb));
	u64 prod = kbpf_load_acquire(*producer_pos(rb));

	switch (flags) {
	case KBPF_RB_AVAIL_DATA:
		return prod - cons;
	case KBPF_RB_RING_SIZE:
		return rb->mask + 1;
	case KBPF_RB_CONS_POS:
		return cons;
	case KBPF_RB_PROD_POS:
		return prod;
	default:
		return 0;
	}
}
KBPF_EXPORT_FOR_KUNIT(kbpf_ringbuf_query);

/* ---- the glue's view ---------------------------------------------------- */

static struct kbpf_ringbuf_map *as_ring(struct kbpf_map *map)
{
	return map->ops == &kbpf_ringbuf_map_ops ? to_ring(map) : NULL;
}

struct kbpf_ring_mem *kbpf_ringbuf_mem(struct kbpf_map *map, u32 *first_page)
{
	struct kbpf_ringbuf_map *rb = as_ring(map);

	*first_page = RING_CONSUMER_PAGE;
	return rb ? rb->mem : NULL;
}

struct kbpf_waitq *kbpf_ringbuf_waitq(struct kbpf_map *map)
{
	struct kbpf_ringbuf_map *rb = as_ring(map);

	return rb ? &rb->waitq : NULL;
}

bool kbpf_ringbuf_has_data(struct kbpf_map *map)
{
	struct kbpf_ringbuf_map *rb = as_ring(map);

	return rb && kbpf_load_acquire(*consumer_pos(rb)) !=
		     kbpf_load_acquire(*producer_pos(rb));
}

void *kbpf_ringbuf_consumer_page(struct kbpf_map *map)
{
	struct kbpf_ringbuf_map *rb = as_ring(map);

	return rb ? consumer_pos(rb) : NULL;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_ringbuf_consumer_page);
