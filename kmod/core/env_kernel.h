/* SPDX-License-Identifier: GPL-2.0 */
/* The kbpf core's environment inside kbpf.ko.  Only env.h includes this. */
#ifndef KBPF_CORE_ENV_KERNEL_H
#define KBPF_CORE_ENV_KERNEL_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/refcount.h>
#include <linux/atomic.h>
#include <linux/timekeeping.h>
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/smp.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/limits.h>
#include <linux/overflow.h>
#include <linux/objtool.h>
#include <linux/bottom_half.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/cpumask.h>
#include <linux/wait.h>
#include <linux/irq_work.h>

/*
 * Memory.  The embedded profile takes everything from the pool reserved
 * at module load (kmod/pool.c).  In the cloud profile, memory a caller can
 * influence is charged to its memory cgroup, and a failure is an error for
 * the caller, never a WARN or the OOM killer.  kbpf_mem_describe() says why
 * an allocation failed ("embedded pool exhausted: N of M bytes in use").
 */
void *kbpf_env_pool_zalloc(size_t size);
/* Whole zeroed pages from the pool, page-aligned: they may be mapped. */
void *kbpf_env_pool_zalloc_pages(size_t size);
void kbpf_env_pool_free(const void *p);
int kbpf_mem_describe(char *buf, size_t size);

/*
 * Test seam, in KUnit builds only (production kernels have no CONFIG_KUNIT,
 * and there both are empty inlines): kbpf_env_fail_nth() (kmod/env.c) makes
 * one task's Nth allocation fail, as the kernel's fail-nth does, so a KUnit
 * case reaches what a full pool or memory cgroup makes kbpf do; and the
 * blocks the allocators below hand out and kbpf_free() takes back are
 * counted, so a case can assert it left none behind in either profile.
 */
#if IS_ENABLED(CONFIG_KUNIT)
bool kbpf_env_test_alloc_fails(void);
void *kbpf_env_test_count(void *p);
void kbpf_env_test_uncount(const void *p);
#else
static inline bool kbpf_env_test_alloc_fails(void)
{
	return false;
}

static inline void *kbpf_env_test_count(void *p)
{
	return p;
}

static inline void kbpf_env_test_uncount(const void *p)
{
}
#endif

static inline void *kbpf_zalloc(size_t size)
{
	if (kbpf_env_test_alloc_fails())
		return NULL;
#ifdef KBPF_PROFILE_EMBEDDED
	return kbpf_env_test_count(kbpf_env_pool_zalloc(size));
#else
	return kbpf_env_test_count(kvzalloc(size, GFP_KERNEL_ACCOUNT |
					    __GFP_NOWARN |
					    __GFP_RETRY_MAYFAIL));
#endif
}

/*
 * Memory a caller's request makes the core allocate for its own work (the
 * verifier's states): charged to the caller's memory cgroup, and no warning
 * when a large request fails -- the core bounds it and reports the error.
 */
static inline void *kbpf_zalloc_account(size_t size)
{
	if (kbpf_env_test_alloc_fails())
		return NULL;
#ifdef KBPF_PROFILE_EMBEDDED
	return kbpf_env_test_count(kbpf_env_pool_zalloc(size));
#else
	return kbpf_env_test_count(kvzalloc(size, GFP_KERNEL_ACCOUNT |
					    __GFP_NOWARN));
#endif
}

/* For map updates made by a program running in softirq context. */
static inline void *kbpf_zalloc_atomic(size_t size)
{
	if (kbpf_env_test_alloc_fails())
		return NULL;
#ifdef KBPF_PROFILE_EMBEDDED
	return kbpf_env_test_count(kbpf_env_pool_zalloc(size));
#else
	return kbpf_env_test_count(kzalloc(size, GFP_ATOMIC | __GFP_NOWARN |
					   __GFP_ACCOUNT));
#endif
}

static inline void kbpf_free(const void *p)
{
	kbpf_env_test_uncount(p);
#ifdef KBPF_PROFILE_EMBEDDED
	kbpf_env_pool_free(p);
#else
	kvfree(p);
#endif
}

static inline u64 kbpf_ktime_get_ns(void)
{
	return ktime_get_mono_fast_ns();
}

/* Includes time suspended, as bpf_ktime_get_boot_ns() does. */
static inline u64 kbpf_ktime_get_boot_ns(void)
{
	return ktime_get_boot_fast_ns();
}

static inline u64 kbpf_jiffies64(void)
{
	return get_jiffies_64();
}

static inline u32 kbpf_prandom_u32(void)
{
	return get_random_u32();
}

static inline u32 kbpf_processor_id(void)
{
	return raw_smp_processor_id();
}

struct kbpf_lock {
	spinlock_t lock;
	unsigned long flags;
};

static inline void kbpf_lock_init(struct kbpf_lock *l)
{
	spin_lock_init(&l->lock);
}

static inline void kbpf_lock_acquire(struct kbpf_lock *l)
{
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	l->flags = flags;
}

/* A second lock of the same kind, always taken after the first one held. */
static inline void kbpf_lock_acquire_nested(struct kbpf_lock *l)
{
	unsigned long flags;

	spin_lock_irqsave_nested(&l->lock, flags, SINGLE_DEPTH_NESTING);
	l->flags = flags;
}

static inline void kbpf_lock_release(struct kbpf_lock *l)
{
	spin_unlock_irqrestore(&l->lock, l->flags);
}

struct kbpf_refcount {
	refcount_t refs;
};

static inline void kbpf_refcount_set(struct kbpf_refcount *r, unsigned int v)
{
	refcount_set(&r->refs, v);
}

static inline void kbpf_refcount_inc(struct kbpf_refcount *r)
{
	refcount_inc(&r->refs);
}

static inline bool kbpf_refcount_dec_and_test(struct kbpf_refcount *r)
{
	return refcount_dec_and_test(&r->refs);
}

static inline unsigned int kbpf_refcount_read(const struct kbpf_refcount *r)
{
	return refcount_read(&r->refs);
}

/*
 * BPF atomic instructions operate on plain memory (stack, map values) that
 * the verifier proved aligned; treat it as the kernel's atomic types.
 */
static inline void kbpf_atomic32_add(u32 *p, u32 v)
{
	atomic_add((s32)v, (atomic_t *)p);
}

static inline u32 kbpf_atomic32_fetch_add(u32 *p, u32 v)
{
	return atomic_fetch_add((s32)v, (atomic_t *)p);
}

static inline void kbpf_atomic32_or(u32 *p, u32 v)
{
	atomic_or((s32)v, (atomic_t *)p);
}

static inline u32 kbpf_atomic32_fetch_or(u32 *p, u32 v)
{
	return atomic_fetch_or((s32)v, (atomic_t *)p);
}

static inline void kbpf_atomic32_and(u32 *p, u32 v)
{
	atomic_and((s32)v, (atomic_t *)p);
}

static inline u32 kbpf_atomic32_fetch_and(u32 *p, u32 v)
{
	return atomic_fetch_and((s32)v, (atomic_t *)p);
}

static inline void kbpf_atomic32_xor(u32 *p, u32 v)
{
	atomic_xor((s32)v, (atomic_t *)p);
}

static inline u32 kbpf_atomic32_fetch_xor(u32 *p, u32 v)
{
	return atomic_fetch_xor((s32)v, (atomic_t *)p);
}

static inline void kbpf_atomic64_add(u64 *p, u64 v)
{
	atomic64_add((s64)v, (atomic64_t *)p);
}

static inline u64 kbpf_atomic64_fetch_add(u64 *p, u64 v)
{
	return atomic64_fetch_add((s64)v, (atomic64_t *)p);
}

static inline void kbpf_atomic64_or(u64 *p, u64 v)
{
	atomic64_or((s64)v, (atomic64_t *)p);
}

static inline u64 kbpf_atomic64_fetch_or(u64 *p, u64 v)
{
	return atomic64_fetch_or((s64)v, (atomic64_t *)p);
}

static inline void kbpf_atomic64_and(u64 *p, u64 v)
{
	atomic64_and((s64)v, (atomic64_t *)p);
}

static inline u64 kbpf_atomic64_fetch_and(u64 *p, u64 v)
{
	return atomic64_fetch_and((s64)v, (atomic64_t *)p);
}

static inline void kbpf_atomic64_xor(u64 *p, u64 v)
{
	atomic64_xor((s64)v, (atomic64_t *)p);
}

static inline u64 kbpf_atomic64_fetch_xor(u64 *p, u64 v)
{
	return atomic64_fetch_xor((s64)v, (atomic64_t *)p);
}

/* Publishing a pointer that readers follow under RCU (prog_array slots). */
static inline void *kbpf_load_acquire_ptr(void *const *p)
{
	/* Pairs with the full barrier of xchg() in kbpf_xchg_ptr(). */
	return smp_load_acquire(p);
}

static inline void *kbpf_xchg_ptr(void **p, void *v)
{
	return xchg(p, v);
}

static inline u32 kbpf_atomic32_xchg(u32 *p, u32 v)
{
	return atomic_xchg((atomic_t *)p, v);
}

static inline u64 kbpf_atomic64_xchg(u64 *p, u64 v)
{
	return atomic64_xchg((atomic64_t *)p, v);
}

static inline u32 kbpf_atomic32_cmpxchg(u32 *p, u32 old, u32 new)
{
	return atomic_cmpxchg((atomic_t *)p, old, new);
}

static inline u64 kbpf_atomic64_cmpxchg(u64 *p, u64 old, u64 new)
{
	return atomic64_cmpxchg((atomic64_t *)p, old, new);
}

/*
 * Long work in process context (verification) calls this every few thousand
 * steps: give the CPU away if needed, and stop with -EINTR once the caller
 * has been killed, so that SIGKILL ends a load at once.
 */
static inline int kbpf_resched_check(void)
{
	cond_resched();
	return fatal_signal_pending(current) ? -EINTR : 0;
}

/*
 * CPUs: per-CPU map values are indexed by CPU id below kbpf_nr_cpu_ids();
 * userspace sees the possible ones, packed in ascending order.
 */
static inline u32 kbpf_nr_cpu_ids(void)
{
	return nr_cpu_ids;
}

static inline bool kbpf_cpu_possible(u32 cpu)
{
	return cpu_possible(cpu);
}

static inline u32 kbpf_num_possible_cpus(void)
{
	return num_possible_cpus();
}

/*
 * RCU: programs run inside an RCU read section (kbpf_run_section_begin());
 * map memory a program may still point to is freed through kbpf_call_rcu().
 * Pointers published to readers go through kbpf_rcu_assign() and are read
 * with kbpf_rcu_deref().  Callbacks must not sleep.
 */
struct kbpf_rcu_head;
typedef void (*kbpf_rcu_fn)(struct kbpf_rcu_head *head);

struct kbpf_rcu_head {
	struct rcu_head head;
	kbpf_rcu_fn fn;
};

/* Defined in kmod/env.c. */
void kbpf_call_rcu(struct kbpf_rcu_head *head, kbpf_rcu_fn fn);

static inline void kbpf_rcu_read_lock(void)
{
	rcu_read_lock();
}

static inline void kbpf_rcu_read_unlock(void)
{
	rcu_read_unlock();
}

/* Waits until every RCU read section begun before has ended; sleeps. */
static inline void kbpf_synchronize_rcu(void)
{
	synchronize_rcu();
}

/* Waits for every callback queued so far (module exit). */
static inline void kbpf_rcu_barrier(void)
{
	rcu_barrier();
}

/* Release: the pointee is initialised before readers can see the pointer. */
#define kbpf_rcu_assign(p, v)	smp_store_release(&(p), (v))
#define kbpf_rcu_deref(p)	READ_ONCE(p)

/*
 * Memory shared with userspace (ring buffers): a position is stored with
 * release after the bytes it covers are written, and loaded with acquire
 * before they are read.
 */
#define kbpf_load_acquire(p)		smp_load_acquire(&(p))
/* Pairs with kbpf_load_acquire() on the other side of the ring. */
#define kbpf_store_release(p, v)	smp_store_release(&(p), (v))

#define KBPF_PAGE_SIZE		PAGE_SIZE

/*
 * Ring memory (ring buffer maps): ctl_pages pages, then data_pages pages,
 * then data_pages more, so that a record wrapping around the end of the
 * data is contiguous.  Zeroed.  Defined in kmod/env.c, which also maps it
 * into userspace (the data twice, as Linux does).  When
 * kbpf_ring_data_aliased(), the second data_pages are the first ones
 * mapped again (cloud: a vmap made at create); otherwise they are memory
 * of their own (embedded: pool pages, nothing mapped after load) and the
 * ring copies a wrapped record's tail to the data's start when it is
 * committed.
 */
struct kbpf_ring_mem;
void *kbpf_ring_mem_alloc(u32 ctl_pages, u32 data_pages,
			  struct kbpf_ring_mem **memp);
void kbpf_ring_mem_free(struct kbpf_ring_mem *mem);

static inline bool kbpf_ring_data_aliased(void)
{
#ifdef KBPF_PROFILE_EMBEDDED
	return false;
#else
	return true;
#endif
}

/*
 * A wait queue a reader sleeps on (poll) and a producer in any context
 * wakes (from an irq_work, so a program never takes the scheduler's locks).
 */
struct kbpf_waitq {
	wait_queue_head_t wq;
	struct irq_work work;
};

void kbpf_waitq_init(struct kbpf_waitq *w);
void kbpf_waitq_wake(struct kbpf_waitq *w);
/* Waits for a queued wake-up to finish, before the memory goes away. */
void kbpf_waitq_destroy(struct kbpf_waitq *w);

/* Defined in kmod/env.c: per-CPU frames, used with bottom halves off. */
void *kbpf_run_stack_acquire(void);
void kbpf_run_stack_release(void *stack);
/* The area this CPU's current run holds, or NULL outside a run. */
void *kbpf_run_stack_current(void);
/* Defined in kmod/trace.c: wake trace readers after a line was written. */
void kbpf_trace_notify(void);
int kbpf_env_init(void);
void kbpf_env_exit(void);

/*
 * The section a program run needs (kbpf_prog_run()'s contract): bottom
 * halves off and an RCU read section, as in a netfilter hook.  For callers
 * in process context such as the shared test cases.
 */
static inline void kbpf_run_section_begin(void)
{
	local_bh_disable();
	rcu_read_lock();
}

static inline void kbpf_run_section_end(void)
{
	rcu_read_unlock();
	local_bh_enable();
}

#define kbpf_bug(fmt, ...)	WARN_ONCE(1, "kbpf bug: " fmt, ##__VA_ARGS__)

/*
 * The core links into kbpf.ko and nothing outside it calls the core, so it
 * exports nothing -- except to the KUnit suite module, which tests the core
 * inside the real kbpf.ko (namespace EXPORTED_FOR_KUNIT_TESTING).
 */
/*
 * The packet path's text: a hook's dispatcher opens the section at a page
 * boundary and the interpreter's entry follows it, so a packet reaches its
 * first program's first instruction without leaving one page (one iTLB
 * entry; under TCG, where make bench-nf runs, a call within a page is a
 * chained jump, one to another page a lookup on every packet).
 */
#define KBPF_PACKET_TEXT	__section(".text.kbpf_packet")

#if IS_ENABLED(CONFIG_KUNIT)
#include <linux/export.h>
#include <kunit/visibility.h>
#define KBPF_EXPORT_FOR_KUNIT(sym)	EXPORT_SYMBOL_IF_KUNIT(sym)
#else
/* Still names the symbol, so a misspelt export fails every build. */
#define KBPF_EXPORT_FOR_KUNIT(sym)	static_assert(__same_type(&(sym), &(sym)))
#endif

#endif /* KBPF_CORE_ENV_KERNEL_H */
