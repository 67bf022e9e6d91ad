// SPDX-License-Identifier: GPL-2.0
/*
 * The parts of the userspace environment (env_user.h) that are not inline:
 * clock, random numbers and the interpreter's frame memory.  Compiled only
 * outside the kernel; kbpf.ko gets these from kmod/env.c.
 */
#ifndef __KERNEL__
#define _GNU_SOURCE
#include "kbpf_core.h"
#include <pthread.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

u64 kbpf_ktime_get_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

/* Test-only: see kbpf_resched_check() in env_user.h. */
int (*kbpf_user_resched_hook)(void);
u64 kbpf_ktime_get_boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

/* A 100 Hz tick count since boot, as a kernel with HZ=100 would have it. */
u64 kbpf_jiffies64(void)
{
	return kbpf_ktime_get_boot_ns() / 10000000ULL;
}

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

/* A run is also an RCU read section, as the kernel's callers make it. */
void *kbpf_run_stack_acquire(void)
{
	if (run_stack_busy)
		return NULL;
	run_stack_busy = true;
	kbpf_rcu_read_lock();
	return run_stack;
}

void kbpf_run_stack_release(void *stack)
{
	if (stack == run_stack) {
		run_stack_busy = false;
		kbpf_rcu_read_unlock();
	}
}

/* ---- RCU (see env_user.h) ---------------------------------------------- */

static pthread_mutex_t rcu_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct kbpf_rcu_head *rcu_pending;
static unsigned long rcu_readers;

/*
 * Run the callbacks queued so far if no reader is inside a section.  The
 * list is taken before the count is read: a reader that entered after an
 * element was unlinked (and only then queued) cannot see it.
 */
static void rcu_run_pending(void)
{
	struct kbpf_rcu_head *list, *next;

	pthread_mutex_lock(&rcu_mutex);
	list = rcu_pending;
	if (__atomic_load_n(&rcu_readers, __ATOMIC_SEQ_CST)) {
		pthread_mutex_unlock(&rcu_mutex);
		return;
	}
	rcu_pending = NULL;
	pthread_mutex_unlock(&rcu_mutex);
	for (; list; list = next) {
		next = list->next;
		list->fn(list);
	}
}

void kbpf_call_rcu(struct kbpf_rcu_head *head, kbpf_rcu_fn fn)
{
	head->fn = fn;
	pthread_mutex_lock(&rcu_mutex);
	head->next = rcu_pending;
	rcu_pending = head;
	pthread_mutex_unlock(&rcu_mutex);
	rcu_run_pending();
}

/*
 * For kbpf_synchronize_rcu(), which must not wait for the global count to
 * drop to zero (threads that keep reading would starve it): each outermost
 * section also counts in one of two phases, and a grace period flips the
 * phase and waits for the old one's readers only, as SRCU does.  A reader
 * that took the old phase but counts itself after the wait began reads
 * after the flip, which came after what the waiter unpublished.
 */
static pthread_mutex_t rcu_gp_mutex = PTHREAD_MUTEX_INITIALIZER;
static unsigned long rcu_phase;
static unsigned long rcu_phase_readers[2];
static __thread unsigned int rcu_nesting;
static __thread unsigned int rcu_my_phase;

void kbpf_rcu_read_lock(void)
{
	if (!rcu_nesting++) {
		rcu_my_phase = __atomic_load_n(&rcu_phase, __ATOMIC_SEQ_CST) & 1;
		__atomic_fetch_add(&rcu_phase_readers[rcu_my_phase], 1,
				   __ATOMIC_SEQ_CST);
	}
	__atomic_fetch_add(&rcu_readers, 1, __ATOMIC_SEQ_CST);
}

void kbpf_rcu_read_unlock(void)
{
	if (!--rcu_nesting)
		__atomic_fetch_sub(&rcu_phase_readers[rcu_my_phase], 1,
				   __ATOMIC_SEQ_CST);
	if (__atomic_sub_fetch(&rcu_readers, 1, __ATOMIC_SEQ_CST) == 0)
		rcu_run_pending();
}

/* Flip the phase, then wait for the readers of the old one to leave. */
void kbpf_synchronize_rcu(void)
{
	unsigned long old;

	pthread_mutex_lock(&rcu_gp_mutex);
	old = __atomic_fetch_add(&rcu_phase, 1, __ATOMIC_SEQ_CST) & 1;
	while (__atomic_load_n(&rcu_phase_readers[old], __ATOMIC_SEQ_CST))
		sched_yield();
	pthread_mutex_unlock(&rcu_gp_mutex);
}

/*
 * Every callback queued so far has run when this returns, as the kernel's
 * rcu_barrier() promises, even while other threads keep reading: a reader
 * still inside after the grace period began after the callbacks were
 * queued, so it cannot see what they free.  Not inside a section.
 */
void kbpf_rcu_barrier(void)
{
	struct kbpf_rcu_head *list, *next;

	pthread_mutex_lock(&rcu_mutex);
	list = rcu_pending;
	rcu_pending = NULL;
	pthread_mutex_unlock(&rcu_mutex);
	kbpf_synchronize_rcu();
	for (; list; list = next) {
		next = list->next;
		list->fn(list);
	}
}

/* ---- ring memory ------------------------------------------------------- */

struct kbpf_ring_mem {
	void *addr;
	size_t len;		/* of the whole reservation */
	int fd;
};

bool kbpf_user_ring_unaliased;

/* The embedded profile's layout: the data's second copy is its own memory. */
static void *ring_mem_alloc_unaliased(struct kbpf_ring_mem *mem)
{
	void *base = mmap(NULL, mem->len, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (base == MAP_FAILED) {
		free(mem);
		return NULL;
	}
	mem->addr = base;
	mem->fd = -1;
	return base;
}

/*
 * Reserve the whole range, then map the memfd over it twice: ctl + data
 * pages at the start, and the data pages once more behind them.
 */
void *kbpf_ring_mem_alloc(u32 ctl_pages, u32 data_pages,
			  struct kbpf_ring_mem **memp)
{
	size_t pg = KBPF_PAGE_SIZE, once = (size_t)(ctl_pages + data_pages) * pg;
	size_t data = (size_t)data_pages * pg;
	struct kbpf_ring_mem *mem;
	u8 *base;

	*memp = NULL;
	mem = calloc(1, sizeof(*mem));
	if (!mem)
		return NULL;
	mem->len = once + data;
	if (kbpf_user_ring_unaliased) {
		base = ring_mem_alloc_unaliased(mem);
		if (base)
			*memp = mem;
		return base;
	}
	mem->fd = memfd_create("kbpf-ring", MFD_CLOEXEC);
	if (mem->fd < 0)
		goto err_free;
	if (ftruncate(mem->fd, once))
		goto err_close;
	base = mmap(NULL, mem->len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	if (base == MAP_FAILED)
		goto err_close;
	mem->addr = base;
	if (mmap(base, once, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 mem->fd, 0) == MAP_FAILED ||
	    mmap(base + once, data, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, mem->fd,
		 (off_t)ctl_pages * pg) == MAP_FAILED)
		goto err_unmap;
	*memp = mem;
	return base;

err_unmap:
	munmap(base, mem->len);
err_close:
	close(mem->fd);
err_free:
	free(mem);
	return NULL;
}

void kbpf_ring_mem_free(struct kbpf_ring_mem *mem)
{
	if (!mem)
		return;
	munmap(mem->addr, mem->len);
	if (mem->fd >= 0)
		close(mem->fd);
	free(mem);
}

void *kbpf_run_stack_current(void)
{
	return run_stack_busy ? run_stack : NULL;
}
#endif /* !__KERNEL__ */
