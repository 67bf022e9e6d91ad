// SPDX-License-Identifier: GPL-2.0
/*
 * The embedded profile's pool (core/sched/pool.c is the allocator).  The
 * region is reserved once, at module load, and the core's kbpf_zalloc()
 * and kbpf_free() (env_kernel.h) go through it from then on, so the module
 * asks the system for nothing after load.  One spinlock, irq-safe: frees
 * also come from RCU callbacks and map updates from softirq.  Running out
 * is -ENOMEM with "embedded pool exhausted: N of M bytes in use" in the
 * kernel log (rate-limited) and in the reason kbpf_mem_describe() gives.
 */
#include <linux/moduleparam.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>

#include "pool.h"
#include "core/sched/sched.h"

#ifdef KBPF_PROFILE_EMBEDDED
static uint pool_size;
module_param(pool_size, uint, 0444);
MODULE_PARM_DESC(pool_size, "bytes reserved at load for everything (default 64 KiB)");
#endif

static DEFINE_SPINLOCK(kbpf_pool_lock);
static struct kbpf_pool kbpf_the_pool;
static void *kbpf_pool_mem;

static void *kbpf_env_pool_zalloc_aligned(size_t size, size_t align)
{
	unsigned long flags;
	size_t used, total;
	void *p;

	spin_lock_irqsave(&kbpf_pool_lock, flags);
	p = kbpf_pool_zalloc_aligned(&kbpf_the_pool, size, align);
	used = kbpf_the_pool.used;
	total = kbpf_the_pool.size;
	spin_unlock_irqrestore(&kbpf_pool_lock, flags);
	if (!p)
		pr_warn_ratelimited("embedded pool exhausted: %zu of %zu bytes in use (asked for %zu)\n",
				    used, total, size);
	return p;
}

void *kbpf_env_pool_zalloc(size_t size)
{
	return kbpf_env_pool_zalloc_aligned(size, KBPF_POOL_ALIGN);
}
/* KUnit cases built for the embedded profile allocate through it too. */
KBPF_EXPORT_FOR_KUNIT(kbpf_env_pool_zalloc);

/*
 * Ring buffer pages: whole pages of the pool (vmalloc memory, so each is a
 * page of its own that vm_insert_page() can map), sharing none with other
 * blocks: the block's header sits at the end of the page before.
 */
void *kbpf_env_pool_zalloc_pages(size_t size)
{
	return kbpf_env_pool_zalloc_aligned(PAGE_ALIGN(size), PAGE_SIZE);
}

void kbpf_env_pool_free(const void *p)
{
	unsigned long flags;

	if (!p)
		return;
	spin_lock_irqsave(&kbpf_pool_lock, flags);
	kbpf_pool_free(&kbpf_the_pool, p);
	spin_unlock_irqrestore(&kbpf_pool_lock, flags);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_env_pool_free);

int kbpf_mem_describe(char *buf, size_t size)
{
	struct kbpf_pool_usage u;

	kbpf_pool_usage(&u);
	if (!u.size)
		return snprintf(buf, size, "out of memory");
	return snprintf(buf, size,
			"embedded pool exhausted: %zu of %zu bytes in use",
			u.used, u.size);
}

void kbpf_pool_usage(struct kbpf_pool_usage *u)
{
	unsigned long flags;

	spin_lock_irqsave(&kbpf_pool_lock, flags);
	u->size = kbpf_the_pool.size;
	u->used = kbpf_the_pool.used;
	u->peak = kbpf_the_pool.peak;
	spin_unlock_irqrestore(&kbpf_pool_lock, flags);
}

int kbpf_pool_setup(void)
{
#ifdef KBPF_PROFILE_EMBEDDED
	size_t size = pool_size ?: kbpf_default_limits()->pool_size;

	/* vmalloc memory is page aligned, more than KBPF_POOL_ALIGN. */
	kbpf_pool_mem = vzalloc(size);
	if (!kbpf_pool_mem)
		return -ENOMEM;
	kbpf_pool_init(&kbpf_the_pool, kbpf_pool_mem, size);
	pr_info("embedded pool: %zu bytes reserved\n", size);
#endif
	return 0;
}

void kbpf_pool_teardown(void)
{
	if (kbpf_the_pool.allocs)
		pr_err("embedded pool: %u blocks (%zu bytes) leaked\n",
		       kbpf_the_pool.allocs, kbpf_the_pool.used);
	vfree(kbpf_pool_mem);
	kbpf_pool_mem = NULL;
	memset(&kbpf_the_pool, 0, sizeof(kbpf_the_pool));
}
