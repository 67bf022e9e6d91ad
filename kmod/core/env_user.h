/* SPDX-License-Identifier: GPL-2.0 */
/* The kbpf core's environment in userspace.  Only env.h includes this. */
#ifndef KBPF_CORE_ENV_USER_H
#define KBPF_CORE_ENV_USER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <linux/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define fallthrough	__attribute__((__fallthrough__))
#define noinline	__attribute__((__noinline__))
#if __has_attribute(__noclone__)
#define __noclone	__attribute__((__noclone__))
#else
#define __noclone
#endif
#ifndef __uninitialized	/* the kernel's: no -ftrivial-auto-var-init fill */
#define __uninitialized
#endif
#ifndef __always_inline	/* glibc's sys/cdefs.h has its own */
#define __always_inline	inline __attribute__((always_inline))
#endif
#define __maybe_unused	__attribute__((unused))
#define KBPF_PACKET_TEXT	/* one section only matters in the kernel */
#ifndef U32_MAX
#define U8_MAX		((u8)~0U)
#define U16_MAX		((u16)~0U)
#define U32_MAX		((u32)~0U)
#define U64_MAX		((u64)~0ULL)
#define S32_MAX		((s32)(U32_MAX >> 1))
#define S32_MIN		((s32)(-S32_MAX - 1))
#define S64_MAX		((s64)(U64_MAX >> 1))
#define S64_MIN		((s64)(-S64_MAX - 1))
#endif
#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)

static inline void *kbpf_zalloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

/* No memory cgroups in userspace. */
static inline void *kbpf_zalloc_account(size_t size)
{
	return kbpf_zalloc(size);
}

static inline void *kbpf_zalloc_atomic(size_t size)
{
	return kbpf_zalloc(size);
}

static inline void kbpf_free(const void *p)
{
	free((void *)p);
}

/* Why an allocation failed: userspace has no pool. */
static inline int kbpf_mem_describe(char *buf, size_t size)
{
	return snprintf(buf, size, "out of memory");
}

u64 kbpf_ktime_get_ns(void);
u64 kbpf_ktime_get_boot_ns(void);
u64 kbpf_jiffies64(void);
u32 kbpf_prandom_u32(void);
/* A trace line was written: nobody waits in userspace. */
static inline void kbpf_trace_notify(void)
{
}

static inline u32 kbpf_processor_id(void)
{
	return 0;
}

/*
 * A spinning lock, as the kernel's: tests run a map's writers on several
 * threads (map_resize's rehash under concurrent updates).
 */
struct kbpf_lock {
	int held;
};

static inline void kbpf_lock_init(struct kbpf_lock *l)
{
	__atomic_store_n(&l->held, 0, __ATOMIC_RELAXED);
}

static inline void kbpf_lock_acquire(struct kbpf_lock *l)
{
	while (__atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE))
		sched_yield();
}

static inline void kbpf_lock_acquire_nested(struct kbpf_lock *l)
{
	kbpf_lock_acquire(l);
}

static inline void kbpf_lock_release(struct kbpf_lock *l)
{
	__atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
}

struct kbpf_refcount {
	unsigned int refs;
};

static inline void kbpf_refcount_set(struct kbpf_refcount *r, unsigned int v)
{
	__atomic_store_n(&r->refs, v, __ATOMIC_RELAXED);
}

static inline void kbpf_refcount_inc(struct kbpf_refcount *r)
{
	__atomic_fetch_add(&r->refs, 1, __ATOMIC_RELAXED);
}

static inline bool kbpf_refcount_dec_and_test(struct kbpf_refcount *r)
{
	return __atomic_sub_fetch(&r->refs, 1, __ATOMIC_ACQ_REL) == 0;
}

static inline unsigned int kbpf_refcount_read(const struct kbpf_refcount *r)
{
	return __atomic_load_n(&r->refs, __ATOMIC_RELAXED);
}

static inline void kbpf_atomic32_add(u32 *p, u32 v)
{
	__atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
}

static inline u32 kbpf_atomic32_fetch_add(u32 *p, u32 v)
{
	return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
}

static inline void kbpf_atomic32_or(u32 *p, u32 v)
{
	__atomic_fetch_or(p, v, __ATOMIC_SEQ_CST);
}

static inline u32 kbpf_atomic32_fetch_or(u32 *p, u32 v)
{
	return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST);
}

static inline void kbpf_atomic32_and(u32 *p, u32 v)
{
	__atomic_fetch_and(p, v, __ATOMIC_SEQ_CST);
}

static inline u32 kbpf_atomic32_fetch_and(u32 *p, u32 v)
{
	return __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST);
}

static inline void kbpf_atomic32_xor(u32 *p, u32 v)
{
	__atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST);
}

static inline u32 kbpf_atomic32_fetch_xor(u32 *p, u32 v)
{
	return __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST);
}

static inline void kbpf_atomic64_add(u64 *p, u64 v)
{
	__atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
}

static inline u64 kbpf_atomic64_fetch_add(u64 *p, u64 v)
{
	return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
}

static inline void kbpf_atomic64_or(u64 *p, u64 v)
{
	__atomic_fetch_or(p, v, __ATOMIC_SEQ_CST);
}

static inline u64 kbpf_atomic64_fetch_or(u64 *p, u64 v)
{
	return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST);
}

static inline void kbpf_atomic64_and(u64 *p, u64 v)
{
	__atomic_fetch_and(p, v, __ATOMIC_SEQ_CST);
}

static inline u64 kbpf_atomic64_fetch_and(u64 *p, u64 v)
{
	return __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST);
}

static inline void kbpf_atomic64_xor(u64 *p, u64 v)
{
	__atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST);
}

static inline u64 kbpf_atomic64_fetch_xor(u64 *p, u64 v)
{
	return __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST);
}

static inline u32 kbpf_atomic32_xchg(u32 *p, u32 v)
{
	return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}

static inline void *kbpf_load_acquire_ptr(void *const *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void *kbpf_xchg_ptr(void **p, void *v)
{
	return __atomic_exchange_n(p, v, __ATOMIC_ACQ_REL);
}

static inline u64 kbpf_atomic64_xchg(u64 *p, u64 v)
{
	return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}

static inline u32 kbpf_atomic32_cmpxchg(u32 *p, u32 old, u32 new)
{
	__atomic_compare_exchange_n(p, &old, new, false, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	return old;
}

static inline u64 kbpf_atomic64_cmpxchg(u64 *p, u64 old, u64 new)
{
	__atomic_compare_exchange_n(p, &old, new, false, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	return old;
}

/*
 * Nothing interrupts work in userspace; tests may set a hook (env_user.c)
 * to make the check fail, as a fatal signal would in the kernel.
 */
extern int (*kbpf_user_resched_hook)(void);

static inline int kbpf_resched_check(void)
{
	return kbpf_user_resched_hook ? kbpf_user_resched_hook() : 0;
}

/*
 * CPUs: userspace plays a machine of KBPF_USER_NR_CPUS possible CPUs and
 * always runs on CPU 0, so per-CPU layouts are exercised as in the kernel.
 */
#define KBPF_USER_NR_CPUS	4

static inline u32 kbpf_nr_cpu_ids(void)
{
	return KBPF_USER_NR_CPUS;
}

static inline bool kbpf_cpu_possible(u32 cpu)
{
	return cpu < KBPF_USER_NR_CPUS;
}

static inline u32 kbpf_num_possible_cpus(void)
{
	return KBPF_USER_NR_CPUS;
}

/*
 * RCU in userspace (env_user.c): a global count of threads inside a read
 * section.  A callback runs once no reader that started before it was
 * queued can remain: at once when nobody reads, else when the count next
 * drops to zero.  Slow under contention, but correct, and userspace users of
 * the core are tests and tools.  kbpf_synchronize_rcu() waits for the
 * sections begun before it only (two phases, as SRCU).
 */
struct kbpf_rcu_head {
	struct kbpf_rcu_head *next;
	void (*fn)(struct kbpf_rcu_head *head);
};

typedef void (*kbpf_rcu_fn)(struct kbpf_rcu_head *head);

void kbpf_call_rcu(struct kbpf_rcu_head *head, kbpf_rcu_fn fn);
void kbpf_rcu_read_lock(void);
void kbpf_rcu_read_unlock(void);
void kbpf_rcu_barrier(void);
/* Waits until no reader of before the call remains; not inside a section. */
void kbpf_synchronize_rcu(void);

#define kbpf_rcu_assign(p, v)	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define kbpf_rcu_deref(p)	__atomic_load_n(&(p), __ATOMIC_ACQUIRE)

#define kbpf_load_acquire(p)	__atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#define kbpf_store_release(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)

#define KBPF_PAGE_SIZE		4096UL

/*
 * Ring memory, as in env_kernel.h; double-mapped with a memfd, or, while a
 * test sets kbpf_user_ring_unaliased, two copies as the embedded profile
 * makes them.
 */
struct kbpf_ring_mem;
void *kbpf_ring_mem_alloc(u32 ctl_pages, u32 data_pages,
			  struct kbpf_ring_mem **memp);
void kbpf_ring_mem_free(struct kbpf_ring_mem *mem);
extern bool kbpf_user_ring_unaliased;

static inline bool kbpf_ring_data_aliased(void)
{
	return !kbpf_user_ring_unaliased;
}

/* Nobody sleeps on a ring in userspace: wake-ups are only counted. */
struct kbpf_waitq {
	unsigned long wakeups;
};

static inline void kbpf_waitq_init(struct kbpf_waitq *w)
{
	w->wakeups = 0;
}

static inline void kbpf_waitq_wake(struct kbpf_waitq *w)
{
	__atomic_fetch_add(&w->wakeups, 1, __ATOMIC_RELAXED);
}

static inline void kbpf_waitq_destroy(struct kbpf_waitq *w)
{
}

/* Defined in env_user.c: a thread-local buffer. */
void *kbpf_run_stack_acquire(void);
void kbpf_run_stack_release(void *stack);
/* The area this thread holds, or NULL outside a run. */
void *kbpf_run_stack_current(void);

/* A run is an RCU read section (see env_kernel.h). */
static inline void kbpf_run_section_begin(void)
{
	kbpf_rcu_read_lock();
}

static inline void kbpf_run_section_end(void)
{
	kbpf_rcu_read_unlock();
}

#define kbpf_bug(fmt, ...)						\
	fprintf(stderr, "kbpf bug: " fmt "\n", ##__VA_ARGS__)

/* Userspace builds link the core statically: nothing to export. */
#define KBPF_EXPORT_FOR_KUNIT(sym)	_Static_assert(sizeof(&(sym)) != 0, #sym)

#endif /* KBPF_CORE_ENV_USER_H */
