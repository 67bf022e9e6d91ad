// SPDX-License-Identifier: GPL-2.0
/*
 * Run order of a chain and admission of the deadline policy.
 *
 * Admission is the classic test for jobs released together and run
 * non-preemptively in EDF order: sorted by deadline, program k finishes
 * after the cost of programs 0..k, and each must finish by its own
 * deadline; the chain as a whole must fit the hook point's deadline.  Costs
 * are instructions times a configured ns-per-instruction; a program whose
 * worst case is unknown costs its budget, which the metered interpreter
 * enforces, so the sum stays an upper bound.
 */
#include "sched.h"

bool kbpf_sched_before(const struct kbpf_sched_attr *a,
		       const struct kbpf_sched_attr *b, u32 policy)
{
	if (policy == KBPF_SCHED_DEADLINE && a->deadline_ns != b->deadline_ns)
		return a->deadline_ns < b->deadline_ns;
	if (a->prio != b->prio)
		return a->prio > b->prio;
	return a->seq < b->seq;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_sched_before);

void kbpf_sched_sort(void **items, u32 n, u32 policy,
		     const struct kbpf_sched_attr *(*attr)(const void *item))
{
	u32 i, j;

	for (i = 1; i < n; i++) {
		void *item = items[i];

		for (j = i; j > 0 &&
		     kbpf_sched_before(attr(item), attr(items[j - 1]), policy);
		     j--)
			items[j] = items[j - 1];
		items[j] = item;
	}
}
KBPF_EXPORT_FOR_KUNIT(kbpf_sched_sort);

u64 kbpf_sched_cost(const struct kbpf_sched_attr *a)
{
	if (a->worst_case != KBPF_WORST_CASE_UNBOUNDED &&
	    a->worst_case < a->budget)
		return a->worst_case;
	return a->budget;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_sched_cost);

static u64 sat_add(u64 a, u64 b)
{
	return a + b < a ? U64_MAX : a + b;
}

static u64 sat_mul(u64 a, u64 b)
{
	if (a && b > U64_MAX / a)
		return U64_MAX;
	return a * b;
}

int kbpf_sched_admit(const struct kbpf_sched_attr *const *attrs, u32 n,
		     const struct kbpf_admit_params *p,
		     const char *(*name)(const void *ctx, u32 i),
		     const void *ctx, char *msg, size_t msg_size)
{
	u64 insns = 0, finish_ns;
	u32 i;

	for (i = 0; i < n; i++) {
		const struct kbpf_sched_attr *a = attrs[i];

		if (a->observe)
			continue;
		if (a->worst_case != KBPF_WORST_CASE_UNBOUNDED &&
		    a->worst_case > a->budget) {
			snprintf(msg, msg_size,
				 "prog %s: worst case %llu insns > budget %u",
				 name(ctx, i), (unsigned long long)a->worst_case,
				 a->budget);
			return -E2BIG;
		}
		insns = sat_add(insns, kbpf_sched_cost(a));
		finish_ns = sat_mul(insns, p->ns_per_insn);
		if (finish_ns > a->deadline_ns) {
			snprintf(msg, msg_size,
				 "prog %s: done at %llu insns x %u ns = %llu ns > deadline %llu ns",
				 name(ctx, i), (unsigned long long)insns,
				 p->ns_per_insn, (unsigned long long)finish_ns,
				 (unsigned long long)a->deadline_ns);
			return -E2BIG;
		}
	}
	finish_ns = sat_mul(insns, p->ns_per_insn);
	if (finish_ns > p->hook_deadline_ns) {
		snprintf(msg, msg_size,
			 "chain: %llu insns x %u ns = %llu ns > hook deadline %llu ns",
			 (unsigned long long)insns, p->ns_per_insn,
			 (unsigned long long)finish_ns,
			 (unsigned long long)p->hook_deadline_ns);
		return -E2BIG;
	}
	return 0;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_sched_admit);
