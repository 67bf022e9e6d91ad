// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel environment of the kbpf core: the interpreter's run stacks.
 *
 * A program's frames (KBPF_MAX_CALL_FRAMES of KBPF_STACK_SIZE bytes) are too
 * big for the kernel stack of a softirq, so each CPU owns one preallocated
 * area.  Programs only run with bottom halves disabled (the netfilter hook,
 * the test run), so at most one run is active per CPU and the area needs no
 * lock; the busy flag only catches a broken caller.
 */
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/topology.h>
#include <linux/bottom_half.h>
#include <linux/preempt.h>
#include <linux/vmalloc.h>
#include <linux/mm.h>

#include "env.h"

struct kbpf_run_stack {
	void *frames;
	bool busy;
};

static DEFINE_PER_CPU(struct kbpf_run_stack, kbpf_run_stacks);

void *kbpf_run_stack_acquire(void)
{
	struct kbpf_run_stack *rs;

	/* Softirqs off keeps both the CPU and the area ours until release. */
	if (WARN_ON_ONCE(!in_softirq()))
		return NULL;
	rs = this_cpu_ptr(&kbpf_run_stacks);
	if (unlikely(rs->busy)) {
		kbpf_bug("nested program run on cpu %d", smp_processor_id());
		return NULL;
	}
	rs->busy = true;
	return rs->frames;
}

void kbpf_run_stack_release(void *stack)
{
	struct kbpf_run_stack *rs = this_cpu_ptr(&kbpf_run_stacks);

	if (unlikely(!rs->busy || stack != rs->frames)) {
		kbpf_bug("run stack %p released but not held", stack);
		return;
	}
	rs->busy = false;
}
/* The shared cases end chains (kbpf_run_chain_end() is inline). */
KBPF_EXPORT_FOR_KUNIT(kbpf_run_stack_release);

void *kbpf_run_stack_current(void)
{
	struct kbpf_run_stack *rs = this_cpu_ptr(&kbpf_run_stacks);

	return rs->busy ? rs->frames : NULL;
}

static void kbpf_env_free_stacks(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct kbpf_run_stack *rs = per_cpu_ptr(&kbpf_run_stacks, cpu);

		kfree(rs->frames);
		rs->frames = NULL;
	}
}

int kbpf_env_init(void)
{
	int cpu;

	/* Every possible CPU: a CPU coming online later needs no hotplug hook. */
	for_each_possible_cpu(cpu) {
		struct kbpf_run_stack *rs = per_cpu_ptr(&kbpf_run_stacks, cpu);

		rs->frames = kzalloc_node(KBPF_RUN_STACK_BYTES, GFP_KERNEL,
					  cpu_to_node(cpu));
		if (!rs->frames) {
			kbpf_env_free_stacks();
			return -ENOMEM;
		}
		rs->busy = false;
	}
	return 0;
}

void kbpf_env_exit(void)
{
	/* Map memory freed through kbpf_call_rcu() runs our callbacks. */
	kbpf_rcu_barrier();
	kbpf_env_free_stacks();
}

/* ---- test seam (KUnit builds only) ---------------------------------------- */

#if IS_ENABLED(CONFIG_KUNIT)
/*
 * One task's Nth allocation fails (kbpf_env_fail_nth()); only that task's,
 * in task context, so a softirq or worker allocating meanwhile neither
 * fails nor uses up the count.  Live blocks are counted for every caller.
 */
static struct task_struct *kbpf_env_fail_task;
static int kbpf_env_fail_left;
static atomic_long_t kbpf_env_live_blocks = ATOMIC_LONG_INIT(0);

bool kbpf_env_test_alloc_fails(void)
{
	if (likely(READ_ONCE(kbpf_env_fail_task) != current) || !in_task())
		return false;
	if (--kbpf_env_fail_left)
		return false;
	WRITE_ONCE(kbpf_env_fail_task, NULL);
	return true;
}
/* The allocators are inlines: the suites' own allocations call these too. */
KBPF_EXPORT_FOR_KUNIT(kbpf_env_test_alloc_fails);

void *kbpf_env_test_count(void *p)
{
	if (p)
		atomic_long_inc(&kbpf_env_live_blocks);
	return p;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_env_test_count);

void kbpf_env_test_uncount(const void *p)
{
	if (p)
		atomic_long_dec(&kbpf_env_live_blocks);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_env_test_uncount);

/*
 * The calling task's nth allocation from now fails (1: the next one);
 * 0 disarms.  Returns how many were left to go of an earlier arming (0:
 * it fired, or there was none), so a case can check its failure happened.
 */
int kbpf_env_fail_nth(int nth)
{
	int left = READ_ONCE(kbpf_env_fail_task) == current ?
		   kbpf_env_fail_left : 0;

	WRITE_ONCE(kbpf_env_fail_task, NULL);
	kbpf_env_fail_left = nth;
	if (nth > 0)
		WRITE_ONCE(kbpf_env_fail_task, current);
	return left;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_env_fail_nth);

/* Blocks from kbpf_zalloc*() not yet given back to kbpf_free(). */
long kbpf_env_live_blocks_read(void)
{
	return atomic_long_read(&kbpf_env_live_blocks);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_env_live_blocks_read);
#endif

/* ---- RCU ------------------------------------------------------------------ */

static void kbpf_rcu_callback(struct rcu_head *rcu)
{
	struct kbpf_rcu_head *head = container_of(rcu, struct kbpf_rcu_head,
						  head);

	head->fn(head);
}

void kbpf_call_rcu(struct kbpf_rcu_head *head, kbpf_rcu_fn fn)
{
	head->fn = fn;
	call_rcu(&head->head, kbpf_rcu_callback);
}

/* ---- ring memory ---------------------------------------------------------- */

/*
 * Cloud: pages from the page allocator, the data mapped twice by a vmap
 * made at create.  Embedded: ctl + 2 x data pages from the pool, mapped
 * nothing after load; the second data copy is the ring's own (the ring
 * copies wrapped tails back, see core/maps/ringbuf.c), and users get the
 * first copy twice from kbpf_ring_mem_mmap() page by page.
 */
struct kbpf_ring_mem {
	void *addr;		/* ctl, data, data again (aliased or not) */
	u32 ctl_pages;
	u32 data_pages;
	u32 nr_pages;		/* pages[] allocated (cloud) */
	struct page *pages[];	/* cloud: ctl + 2 * data, data pages twice */
};

#ifdef KBPF_PROFILE_EMBEDDED
void *kbpf_ring_mem_alloc(u32 ctl_pages, u32 data_pages,
			  struct kbpf_ring_mem **memp)
{
	u64 pages = ctl_pages + 2ULL * data_pages;
	struct kbpf_ring_mem *mem;

	*memp = NULL;
	if (pages > U32_MAX / PAGE_SIZE)
		return NULL;
	mem = kbpf_zalloc(sizeof(*mem));
	if (!mem)
		return NULL;
	mem->addr = kbpf_env_pool_zalloc_pages(pages * PAGE_SIZE);
	if (!mem->addr) {
		kbpf_free(mem);
		return NULL;
	}
	mem->ctl_pages = ctl_pages;
	mem->data_pages = data_pages;
	*memp = mem;
	return mem->addr;
}

void kbpf_ring_mem_free(struct kbpf_ring_mem *mem)
{
	if (!mem)
		return;
	kbpf_free(mem->addr);
	kbpf_free(mem);
}

/* User page i of the ring: ctl, data, then the data again. */
static struct page *kbpf_ring_mem_page(struct kbpf_ring_mem *mem, u32 i)
{
	if (i >= mem->ctl_pages + mem->data_pages)
		i -= mem->data_pages;
	return vmalloc_to_page(mem->addr + (size_t)i * PAGE_SIZE);
}

/*
 * Page by page: the pool's pages are not a vmalloc area of their own that
 * remap_vmalloc_range() could take, and the second data copy users see
 * is the first one again.
 */
int kbpf_ring_mem_mmap(struct kbpf_ring_mem *mem, struct vm_area_struct *vma,
		       u32 first_page)
{
	unsigned long uaddr = vma->vm_start;
	u32 i = first_page + vma->vm_pgoff;
	int err;

	for (; uaddr < vma->vm_end; uaddr += PAGE_SIZE, i++) {
		err = vm_insert_page(vma, uaddr, kbpf_ring_mem_page(mem, i));
		if (err)
			return err;
	}
	return 0;
}
#else
void *kbpf_ring_mem_alloc(u32 ctl_pages, u32 data_pages,
			  struct kbpf_ring_mem **memp)
{
	const gfp_t gfp = GFP_KERNEL_ACCOUNT | __GFP_NOWARN |
			  __GFP_RETRY_MAYFAIL | __GFP_ZERO;
	u64 mapped = ctl_pages + 2ULL * data_pages;
	struct kbpf_ring_mem *mem;
	u32 i;

	*memp = NULL;
	if (mapped > U32_MAX / 2)
		return NULL;
	mem = kvzalloc(struct_size(mem, pages, mapped), gfp);
	if (!mem)
		return NULL;
	mem->ctl_pages = ctl_pages;
	mem->data_pages = data_pages;
	for (i = 0; i < ctl_pages + data_pages; i++) {
		mem->pages[i] = alloc_page(gfp);
		if (!mem->pages[i])
			goto err;
		mem->nr_pages++;
	}
	for (i = 0; i < data_pages; i++)
		mem->pages[ctl_pages + data_pages + i] = mem->pages[ctl_pages + i];
	/* VM_USERMAP: kbpf_ring_mem_mmap() hands it to remap_vmalloc_range(). */
	mem->addr = vmap(mem->pages, mapped, VM_MAP | VM_USERMAP, PAGE_KERNEL);
	if (!mem->addr)
		goto err;
	*memp = mem;
	return mem->addr;

err:
	kbpf_ring_mem_free(mem);
	return NULL;
}

void kbpf_ring_mem_free(struct kbpf_ring_mem *mem)
{
	u32 i;

	if (!mem)
		return;
	if (mem->addr)
		vunmap(mem->addr);
	for (i = 0; i < mem->nr_pages; i++)
		__free_page(mem->pages[i]);
	kvfree(mem);
}

int kbpf_ring_mem_mmap(struct kbpf_ring_mem *mem, struct vm_area_struct *vma,
		       u32 first_page)
{
	return remap_vmalloc_range(vma, mem->addr, first_page + vma->vm_pgoff);
}
#endif

/* ---- wait queues ------------------------------------------------------------ */

static void kbpf_waitq_work(struct irq_work *work)
{
	struct kbpf_waitq *w = container_of(work, struct kbpf_waitq, work);

	wake_up_all(&w->wq);
}

void kbpf_waitq_init(struct kbpf_waitq *w)
{
	init_waitqueue_head(&w->wq);
	init_irq_work(&w->work, kbpf_waitq_work);
}

void kbpf_waitq_wake(struct kbpf_waitq *w)
{
	irq_work_queue(&w->work);
}

void kbpf_waitq_destroy(struct kbpf_waitq *w)
{
	irq_work_sync(&w->work);
}
