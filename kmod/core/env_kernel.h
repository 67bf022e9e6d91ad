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
#include <linux/random.h>
#include <linux/smp.h>
#include <linux/bug.h>
#include <linux/limits.h>
#include <linux/overflow.h>
#include <linux/objtool.h>
#include <linux/bottom_half.h>
#include <linux/rcupdate.h>

static inline void *kbpf_zalloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}

/* For map updates made by a program running in softirq context. */
static inline void *kbpf_zalloc_atomic(size_t size)
{
	return kzalloc(size, GFP_ATOMIC | __GFP_NOWARN);
}

static inline void kbpf_free(const void *p)
{
	kvfree(p);
}

static inline u64 kbpf_ktime_get_ns(void)
{
	return ktime_get_mono_fast_ns();
}

static inline u32 kbpf_prandom_u32(void)
{
	return get_random_u32();
}

static inline u32 kbpf_processor_id(void)
{
	return raw_smp_processor_id();
}

typedef struct {
	spinlock_t lock;
	unsigned long flags;
} kbpf_lock_t;

static inline void kbpf_lock_init(kbpf_lock_t *l)
{
	spin_lock_init(&l->lock);
}

static inline void kbpf_lock_acquire(kbpf_lock_t *l)
{
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	l->flags = flags;
}

static inline void kbpf_lock_release(kbpf_lock_t *l)
{
	spin_unlock_irqrestore(&l->lock, l->flags);
}

typedef refcount_t kbpf_refcount_t;
#define kbpf_refcount_set(r, v)		refcount_set(r, v)
#define kbpf_refcount_inc(r)		refcount_inc(r)
#define kbpf_refcount_dec_and_test(r)	refcount_dec_and_test(r)
#define kbpf_refcount_read(r)		refcount_read(r)

/*
 * BPF atomic instructions operate on plain memory (stack, map values) that
 * the verifier proved aligned; treat it as the kernel's atomic types.
 */
#define KBPF_ENV_ATOMIC_OP(bits, type, name, kop)			\
static inline void kbpf_atomic##bits##_##name(u##bits *p, u##bits v)	\
{									\
	type##_##kop((s##bits)v, (type##_t *)p);			\
}									\
static inline u##bits kbpf_atomic##bits##_fetch_##name(u##bits *p, u##bits v) \
{									\
	return type##_fetch_##kop((s##bits)v, (type##_t *)p);		\
}
KBPF_ENV_ATOMIC_OP(32, atomic, add, add)
KBPF_ENV_ATOMIC_OP(32, atomic, or, or)
KBPF_ENV_ATOMIC_OP(32, atomic, and, and)
KBPF_ENV_ATOMIC_OP(32, atomic, xor, xor)
KBPF_ENV_ATOMIC_OP(64, atomic64, add, add)
KBPF_ENV_ATOMIC_OP(64, atomic64, or, or)
KBPF_ENV_ATOMIC_OP(64, atomic64, and, and)
KBPF_ENV_ATOMIC_OP(64, atomic64, xor, xor)
#undef KBPF_ENV_ATOMIC_OP

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

/* Defined in kmod/env.c: per-CPU frames, used with bottom halves off. */
void *kbpf_run_stack_acquire(void);
void kbpf_run_stack_release(void *stack);
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
#if IS_ENABLED(CONFIG_KUNIT)
#include <linux/export.h>
#include <kunit/visibility.h>
#define KBPF_EXPORT_FOR_KUNIT(sym)	EXPORT_SYMBOL_IF_KUNIT(sym)
#else
#define KBPF_EXPORT_FOR_KUNIT(sym)
#endif

#endif /* KBPF_CORE_ENV_KERNEL_H */
