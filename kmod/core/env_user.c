// SPDX-License-Identifier: GPL-2.0
/*
 * The parts of the userspace environment (env_user.h) that are not inline:
 * clock, random numbers and the interpreter's frame memory.  Compiled only
 * outside the kernel; kbpf.ko gets these from kmod/env.c.
 */
#ifndef __KERNEL__
#include "kbpf_core.h"
#include <time.h>

u64 kbpf_ktime_get_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

/* Test-only: see kbpf_resched_check() in env_user.h. */
int (*kbpf_user_resched_hook)(void);

/* xorshift64*: tests need variety, not secrecy. */
u32 kbpf_prandom_u32(void)
{
	static __thread u64 state;
	u64 x = state;

	if (!x)
		x = kbpf_ktime_get_ns() | 1;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	state = x;
	return (u32)((x * 0x2545f4914f6cdd1dULL) >> 32);
}

/*
 * One frame area per thread, as the kernel has one per CPU.  A nested run
 * on the same thread (a helper that runs a program) gets NULL, as it would
 * in the kernel, rather than overwriting the outer run's frames.
 */
static __thread u64 run_stack[KBPF_RUN_STACK_SIZE / sizeof(u64)];
static __thread bool run_stack_busy;

void *kbpf_run_stack_acquire(void)
{
	if (run_stack_busy)
		return NULL;
	run_stack_busy = true;
	return run_stack;
}

void kbpf_run_stack_release(void *stack)
{
	if (stack == run_stack)
		run_stack_busy = false;
}
#endif /* !__KERNEL__ */
