/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one header through which the kbpf core reaches its environment.
 *
 * The core (verifier, interpreter, maps, helpers) is built twice: into
 * kbpf.ko and into a userspace library for unit tests, fuzzers, benchmarks
 * and offline verification.  Core files include this header and nothing from
 * the kernel or libc directly; each environment supplies the same small set
 * of types and functions:
 *
 *   u8..u64, s8..s64, bool, size_t, uintptr_t; memcpy, memset, memcmp,
 *   strlen, strnlen, snprintf, vsnprintf; errno values (EINVAL, ...)
 *   likely(), unlikely(), ARRAY_SIZE(), __printf(), fallthrough
 *   kbpf_zalloc(), kbpf_zalloc_atomic(), kbpf_free()   zeroed memory
 *   kbpf_zalloc_account()  zeroed memory charged to the caller's memcg
 *   kbpf_resched_check()   in long loops: reschedule; -EINTR once killed
 *   kbpf_mem_describe(buf, size)  why the last allocation failed
 *   kbpf_ktime_get_ns(), kbpf_ktime_get_boot_ns(), kbpf_jiffies64(),
 *   kbpf_prandom_u32(), kbpf_processor_id()
 *   struct kbpf_lock with kbpf_lock_init/acquire/release    (irq-safe spinlock)
 *   kbpf_lock_acquire_nested()  a second such lock, inside the first one
 *   kbpf_synchronize_rcu()  wait for the RCU readers of before (sleeps)
 *   struct kbpf_refcount with kbpf_refcount_set/inc/dec_and_test/read
 *   kbpf_atomic{32,64}_{add,or,and,xor,xchg,cmpxchg}[_fetch] on plain memory
 *   kbpf_load_acquire_ptr(), kbpf_xchg_ptr()   pointer publication
 *   kbpf_run_stack_acquire() / kbpf_run_stack_release()
 *                       scratch memory for the interpreter's call frames
 *   kbpf_run_stack_current()  the area held by this CPU's run, or NULL
 *   kbpf_trace_notify()  a trace line was written (wake readers)
 *   kbpf_bug(fmt, ...)  report an internal inconsistency once (WARN_ONCE)
 *   KBPF_EXPORT_FOR_KUNIT(sym)  export a core symbol to the KUnit module
 *   KBPF_PACKET_TEXT    a function on a hook's packet path (its section)
 */
#ifndef KBPF_CORE_ENV_H
#define KBPF_CORE_ENV_H

#ifdef __KERNEL__
#include "env_kernel.h"
#else
#include "env_user.h"
#endif

#endif /* KBPF_CORE_ENV_H */
