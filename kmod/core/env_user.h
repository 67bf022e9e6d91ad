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
#ifndef __always_inline	/* glibc's sys/cdefs.h has its own */
#define __always_inline	inline __attribute__((always_inline))
#endif
#define __maybe_unused	__attribute__((unused))
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

static inline void *kbpf_zalloc_atomic(size_t size)
{
	return kbpf_zalloc(size);
}

static inline void kbpf_free(const void *p)
{
	free((void *)p);
}

u64 kbpf_ktime_get_ns(void);
u32 kbpf_prandom_u32(void);

static inline u32 kbpf_processor_id(void)
{
	return 0;
}

/* Userspace users of the core are single-threaded per map. */
typedef struct {
	int held;
} kbpf_lock_t;

static inline void kbpf_lock_init(kbpf_lock_t *l)
{
	l->held = 0;
}

static inline void kbpf_lock_acquire(kbpf_lock_t *l)
{
	l->held++;
}

static inline void kbpf_lock_release(kbpf_lock_t *l)
{
	l->held--;
}

typedef struct {
	unsigned int refs;
} kbpf_refcount_t;

static inline void kbpf_refcount_set(kbpf_refcount_t *r, unsigned int v)
{
	__atomic_store_n(&r->refs, v, __ATOMIC_RELAXED);
}

static inline void kbpf_refcount_inc(kbpf_refcount_t *r)
{
	__atomic_fetch_add(&r->refs, 1, __ATOMIC_RELAXED);
}

static inline bool kbpf_refcount_dec_and_test(kbpf_refcount_t *r)
{
	return __atomic_sub_fetch(&r->refs, 1, __ATOMIC_ACQ_REL) == 0;
}

static inline unsigned int kbpf_refcount_read(const kbpf_refcount_t *r)
{
	return __atomic_load_n(&r->refs, __ATOMIC_RELAXED);
}

#define KBPF_ENV_ATOMIC_OP(bits, name)					\
static inline void kbpf_atomic##bits##_##name(u##bits *p, u##bits v)	\
{									\
	__atomic_fetch_##name(p, v, __ATOMIC_SEQ_CST);			\
}									\
static inline u##bits kbpf_atomic##bits##_fetch_##name(u##bits *p, u##bits v) \
{									\
	return __atomic_fetch_##name(p, v, __ATOMIC_SEQ_CST);		\
}
KBPF_ENV_ATOMIC_OP(32, add)
KBPF_ENV_ATOMIC_OP(32, or)
KBPF_ENV_ATOMIC_OP(32, and)
KBPF_ENV_ATOMIC_OP(32, xor)
KBPF_ENV_ATOMIC_OP(64, add)
KBPF_ENV_ATOMIC_OP(64, or)
KBPF_ENV_ATOMIC_OP(64, and)
KBPF_ENV_ATOMIC_OP(64, xor)
#undef KBPF_ENV_ATOMIC_OP

static inline u32 kbpf_atomic32_xchg(u32 *p, u32 v)
{
	return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
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

/* Defined in env_user.c: a thread-local buffer. */
void *kbpf_run_stack_acquire(void);
void kbpf_run_stack_release(void *stack);

/* A run needs no section in userspace (see env_kernel.h). */
static inline void kbpf_run_section_begin(void)
{
}

static inline void kbpf_run_section_end(void)
{
}

#define kbpf_bug(fmt, ...)						\
	fprintf(stderr, "kbpf bug: " fmt "\n", ##__VA_ARGS__)

/* Userspace builds link the core statically: nothing to export. */
#define KBPF_EXPORT_FOR_KUNIT(sym)

#endif /* KBPF_CORE_ENV_USER_H */
