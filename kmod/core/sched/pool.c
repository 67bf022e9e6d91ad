// SPDX-License-Identifier: GPL-2.0
/*
 * The embedded profile's pool: first fit over one region reserved when the
 * module loads, so that nothing is allocated from the system afterwards.
 *
 * Every block, free or allocated, starts with a header giving its size
 * (header included, a multiple of KBPF_POOL_ALIGN).  Free blocks form a
 * list in address order; freeing merges a block with the free neighbours
 * that touch it, so fragmentation is only ever what live allocations cause.
 */
#include "sched.h"

struct kbpf_pool_block {
	size_t size;			/* bytes, this header included */
	struct kbpf_pool_block *next;	/* free blocks only */
};

#define HDR_SIZE	KBPF_POOL_ALIGN

_Static_assert(sizeof(struct kbpf_pool_block) <= HDR_SIZE,
	       "pool header must fit its alignment unit");

static size_t round_up_align(size_t n)
{
	return (n + KBPF_POOL_ALIGN - 1) & ~(size_t)(KBPF_POOL_ALIGN - 1);
}

void kbpf_pool_init(struct kbpf_pool *pool, void *mem, size_t size)
{
	memset(pool, 0, sizeof(*pool));
	size &= ~(size_t)(KBPF_POOL_ALIGN - 1);
	pool->base = mem;
	pool->size = size;
	if (size < 2 * HDR_SIZE)
		return;
	pool->free_list = mem;
	pool->free_list->size = size;
	pool->free_list->next = NULL;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_pool_init);

/*
 * Where in free block b an allocation aligned to align would start: right
 * after b's header if that is aligned, else further on, leaving in front a
 * gap large enough to stay a free block of its own.
 */
static u8 *aligned_start(const struct kbpf_pool_block *b, size_t align)
{
	uintptr_t first = (uintptr_t)b + HDR_SIZE;
	uintptr_t p = (first + align - 1) & ~(uintptr_t)(align - 1);

	while (p != first && p - first < 2 * HDR_SIZE)
		p += align;
	return (u8 *)p;
}

/*
 * Carve need bytes (header included) for payload start out of free block
 * b, which *link points to; what is left in front and behind stays free.
 */
static struct kbpf_pool_block *carve(struct kbpf_pool_block **link,
				     struct kbpf_pool_block *b, u8 *start,
				     size_t need)
{
	struct kbpf_pool_block *a = (struct kbpf_pool_block *)(start - HDR_SIZE);
	size_t front = (u8 *)a - (u8 *)b;
	size_t tail = b->size - front - need;
	struct kbpf_pool_block *after = b->next, *rest;

	/* Split unless the remainder could not hold anything. */
	if (tail >= 2 * HDR_SIZE) {
		rest = (struct kbpf_pool_block *)((u8 *)a + need);
		rest->size = tail;
		rest->next = after;
		after = rest;
	} else {
		need += tail;
	}
	if (front) {
		b->size = front;
		b->next = after;
	} else {
		*link = after;
	}
	a->size = need;
	return a;
}

void *kbpf_pool_zalloc_aligned(struct kbpf_pool *pool, size_t size,
			       size_t align)
{
	struct kbpf_pool_block **link, *b, *a;
	size_t need;
	u8 *start;

	if (!size || size > pool->size || align < KBPF_POOL_ALIGN ||
	    (align & (align - 1)) || align > pool->size)
		return NULL;
	need = round_up_align(size) + HDR_SIZE;
	for (link = &pool->free_list; (b = *link); link = &b->next) {
		start = aligned_start(b, align);
		if (start - HDR_SIZE + need > (u8 *)b + b->size)
			continue;
		a = carve(link, b, start, need);
		pool->used += a->size;
		if (pool->used > pool->peak)
			pool->peak = pool->used;
		pool->allocs++;
		memset(start, 0, a->size - HDR_SIZE);
		return start;
	}
	return NULL;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_pool_zalloc_aligned);

void *kbpf_pool_zalloc(struct kbpf_pool *pool, size_t size)
{
	return kbpf_pool_zalloc_aligned(pool, size, KBPF_POOL_ALIGN);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_pool_zalloc);

bool kbpf_pool_owns(const struct kbpf_pool *pool, const void *p)
{
	const u8 *c = p;

	return pool->base && c >= pool->base + HDR_SIZE &&
	       c < pool->base + pool->size;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_pool_owns);

static bool touches(const struct kbpf_pool_block *a,
		    const struct kbpf_pool_block *b)
{
	return (const u8 *)a + a->size == (const u8 *)b;
}

void kbpf_pool_free(struct kbpf_pool *pool, const void *p)
{
	struct kbpf_pool_block *b, *prev = NULL, *next;

	if (!p)
		return;
	if (!kbpf_pool_owns(pool, p)) {
		kbpf_bug("pool free of %p outside the pool", p);
		return;
	}
	b = (struct kbpf_pool_block *)((u8 *)p - HDR_SIZE);
	for (next = pool->free_list; next && next < b; next = next->next)
		prev = next;
	if (next == b || (prev && (u8 *)prev + prev->size > (u8 *)b)) {
		kbpf_bug("pool block %p freed twice", p);
		return;
	}
	pool->used -= b->size;
	pool->allocs--;
	b->next = next;
	if (next && touches(b, next)) {
		b->size += next->size;
		b->next = next->next;
	}
	if (prev && touches(prev, b)) {
		prev->size += b->size;
		prev->next = b->next;
	} else if (prev) {
		prev->next = b;
	} else {
		pool->free_list = b;
	}
}
KBPF_EXPORT_FOR_KUNIT(kbpf_pool_free);

size_t kbpf_pool_largest_free(const struct kbpf_pool *pool)
{
	const struct kbpf_pool_block *b;
	size_t best = 0;

	for (b = pool->free_list; b; b = b->next)
		if (b->size - HDR_SIZE > best)
			best = b->size - HDR_SIZE;
	return best;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_pool_largest_free);
