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
	kbpf_env_free_stacks();
}
