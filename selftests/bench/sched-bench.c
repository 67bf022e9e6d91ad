// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf-sched-bench: the scheduler core (core/sched/runq.c) on synthetic
 * request streams, in simulated time, for each policy.
 *
 * Eight sporadic request streams ("tasks"), each with a kbpf priority, a
 * cost in instructions and a minimum inter-arrival time T; utilisation U is
 * sum(cost / T), costs as the deadline policy pays them (see make_tasks()).  Two arrival patterns:
 *   poisson: each release comes T plus an exponential jitter (mean T/10)
 *            after the previous one;
 *   bursty:  B = 8 releases at once, every B * T.
 * A request's relative deadline is its release window (T, or B * T for
 * bursts) plus the largest cost, the blocking a non-preemptive run can
 * cause.  One server takes requests from a kbpf_runq:
 *   throughput: priority then FIFO, every request runs (to completion);
 *   deadline:   EDF; a request already late at the head is discarded (a
 *               miss); runs cost what the metered interpreter costs, a
 *               factor measured here on a real program, plus a clock read.
 * Printed: completions per simulated second and the deadline-miss ratio
 * (late completions, discards and queue-full refusals over releases).
 * Figures, not a test: it never fails on them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <time.h>

#include "../../kmod/core/kbpf_core.h"
#include "../../kmod/core/sched/sched.h"

#define NTASKS		8
#define BURST		8
#define QUEUE_CAP	4096
#define SIM_REQUESTS	200000
#define NS_PER_INSN	4.0
#define CLOCK_READ_NS	20.0

struct task {
	s32 prio;
	u32 cost;		/* instructions */
	double period;		/* ns, minimum inter-arrival */
	double next;		/* next release, ns */
};

struct result {
	u64 released, completed, late, discarded, refused;
	double end;
};

static u64 rng = 0x9e3779b97f4a7c15ULL;

static double uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / (double)(1ULL << 53);
}

/*
 * Utilisation is counted at the deadline policy's cost (metered run plus a
 * clock read), the dearer of the two, so that U <= 1 is feasible for it.
 */
static void make_tasks(struct task *t, double util, bool bursty,
		       double meter_factor, u32 *max_cost)
{
	static const u32 costs[NTASKS] = { 50, 120, 200, 400, 80, 300, 150, 600 };
	double share = util / NTASKS;
	int i;

	*max_cost = 0;
	for (i = 0; i < NTASKS; i++) {
		t[i].prio = i % 4;
		t[i].cost = costs[i];
		t[i].period = (costs[i] * NS_PER_INSN * meter_factor +
			       CLOCK_READ_NS) / share;
		t[i].next = uniform() * t[i].period * (bursty ? BURST : 1);
		if (costs[i] > *max_cost)
			*max_cost = costs[i];
	}
}

/* Release what is due by now into q; returns the earliest future release. */
static double release(struct kbpf_runq *q, struct task *t, double now,
		      bool bursty, u32 max_cost, struct result *r, u64 limit)
{
	double next = 1e300, window;
	int i, b;

	for (i = 0; i < NTASKS; i++) {
		window = t[i].period * (bursty ? BURST : 1);
		while (t[i].next <= now && r->released < limit) {
			for (b = 0; b < (bursty ? BURST : 1); b++) {
				struct kbpf_runq_req *req = kbpf_runq_reserve(q);

				r->released++;
				if (!req) {
					r->refused++;
					continue;
				}
				req->owner = &t[i];
				req->prio = t[i].prio;
				req->deadline_ns = (u64)(t[i].next + window +
							 max_cost * NS_PER_INSN +
							 CLOCK_READ_NS);
				kbpf_runq_commit(q);
			}
			t[i].next += bursty ? window :
				     t[i].period * (1 - log(1 - uniform()) / 10);
		}
		if (t[i].next < next)
			next = t[i].next;
	}
	return next;
}

static void simulate(u32 policy, double util, bool bursty, double meter_factor,
		     struct result *r)
{
	struct task t[NTASKS];
	struct kbpf_runq q;
	struct kbpf_runq_req req;
	double now = 0, next, cost;
	u32 max_cost;

	memset(r, 0, sizeof(*r));
	rng = 0x9e3779b97f4a7c15ULL;	/* the same streams for both policies */
	make_tasks(t, util, bursty, meter_factor, &max_cost);
	if (kbpf_runq_init(&q, policy, QUEUE_CAP, 0)) {
		fprintf(stderr, "runq init failed\n");
		exit(1);
	}
	while (r->released < SIM_REQUESTS || q.len) {
		next = release(&q, t, now, bursty, max_cost, r, SIM_REQUESTS);
		switch (kbpf_runq_pop(&q, (u64)now, &req)) {
		case KBPF_RUNQ_EMPTY:
			now = next;
			continue;
		case KBPF_RUNQ_EXPIRED:
			r->discarded++;
			kbpf_runq_release(&q, req.slot);
			continue;
		case KBPF_RUNQ_READY:
			break;
		}
		cost = ((struct task *)req.owner)->cost * NS_PER_INSN;
		if (policy == KBPF_SCHED_DEADLINE)
			cost = cost * meter_factor + CLOCK_READ_NS;
		now += cost;
		r->completed++;
		if (now > (double)req.deadline_ns)
			r->late++;
		kbpf_runq_release(&q, req.slot);
	}
	r->end = now;
	kbpf_runq_destroy(&q);
}

/* ---- the metered interpreter's cost, measured ----------------------- */

static u64 cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* r0 = 0; do r0 += 1; r1 -= 1 while r1 != 0: 3 instructions a turn. */
static const struct kbpf_insn loop_prog[] = {
	KBPF_MOV64_IMM(0, 0),
	KBPF_ALU64_IMM(ADD, 0, 1),
	KBPF_ALU64_IMM(SUB, 1, 1),
	KBPF_JMP_IMM(JNE, 1, 0, -3),
	KBPF_EXIT_INSN(),
};

static double measure_meter_factor(void)
{
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_UNSPEC, .insns = loop_prog,
		.insn_cnt = ARRAY_SIZE(loop_prog), .flags = KBPF_LOAD_NO_VERIFY,
	};
	struct kbpf_run_meter m = { .budget = ~0ULL };
	double best_plain = 1e30, best_metered = 1e30;
	struct kbpf_prog *prog;
	u64 t0, arg = 100000;
	int round;

	if (kbpf_prog_load(&opts, &prog) || kbpf_prog_prepare_metered(prog)) {
		fprintf(stderr, "cannot load the loop program\n");
		exit(1);
	}
	/* Alternate, best of 7: noise hits both alike. */
	for (round = 0; round < 7; round++) {
		t0 = cpu_ns();
		kbpf_prog_run(prog, (void *)(uintptr_t)arg);
		if (cpu_ns() - t0 < best_plain)
			best_plain = cpu_ns() - t0;
		t0 = cpu_ns();
		kbpf_prog_run_metered(prog, (void *)(uintptr_t)arg, NULL, &m);
		if (cpu_ns() - t0 < best_metered)
			best_metered = cpu_ns() - t0;
	}
	printf("interpreter, loop of %llu turns (3 insns each): plain %.2f ns/insn, metered %.2f ns/insn (x%.2f)\n",
	       (unsigned long long)arg, best_plain / (3.0 * arg),
	       best_metered / (3.0 * arg), best_metered / best_plain);
	kbpf_prog_free(prog);
	return best_metered / best_plain;
}

int main(void)
{
	static const double utils[] = { 0.5, 0.75, 0.9, 1.0, 1.25, 1.5 };
	static const char *const names[] = { "poisson", "bursty" };
	double factor = measure_meter_factor();
	struct result r;
	size_t u;
	int pat;
	u32 pol;

	printf("scheduler core, %d requests per run, %d streams, %.0f ns/insn, deadline = window + largest cost\n",
	       SIM_REQUESTS, NTASKS, NS_PER_INSN);
	printf("%-8s %-5s %-10s %14s %10s %9s %9s %9s\n", "stream", "util",
	       "policy", "completions/s", "miss-ratio", "late", "discard",
	       "refused");
	for (pat = 0; pat < 2; pat++) {
		for (u = 0; u < ARRAY_SIZE(utils); u++) {
			for (pol = KBPF_SCHED_THROUGHPUT;
			     pol <= KBPF_SCHED_DEADLINE; pol++) {
				simulate(pol, utils[u], pat, factor, &r);
				printf("%-8s %-5.2f %-10s %14.0f %10.4f %9llu %9llu %9llu\n",
				       names[pat], utils[u],
				       pol == KBPF_SCHED_DEADLINE ? "deadline" :
				       "throughput",
				       r.completed / (r.end / 1e9),
				       (double)(r.late + r.discarded + r.refused) /
				       r.released,
				       (unsigned long long)r.late,
				       (unsigned long long)r.discarded,
				       (unsigned long long)r.refused);
			}
		}
	}
	return 0;
}
