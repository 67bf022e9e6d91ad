// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf-sched-bench: the scheduler core (core/sched/runq.c) on synthetic
 * request streams, in simulated time, for each policy.
 *
 * Eight sporadic request streams ("tasks"), each with a cost in
 * instructions and a minimum inter-arrival time T; every request draws its
 * kbpf priority (0-3) at random, independently of its cost, so that the
 * figures compare policies rather than a chosen link between priority and
 * cost.  Utilisation U is sum(run cost / T), runs costed as the deadline
 * policy pays them (see run_ns()), each task taking U/8.  Two arrival
 * patterns:
 *   poisson: each release comes T plus an exponential jitter (mean T/10)
 *            after the previous one, so the mean load is U / 1.1 (a true
 *            Poisson stream has no minimum gap, and no policy could promise
 *            it anything);
 *   bursty:  B = 8 releases at once, every B * T.
 * A request's relative deadline is its release window (T, or B * T for
 * bursts) plus the longest run, the blocking a non-preemptive run can
 * cause: with that, EDF is feasible at U <= 1.  Each task has its own
 * random generator, so both policies see the very same streams.
 *
 * One server takes requests from a kbpf_runq, as an observer worker does
 * (kmod/observe.c):
 *   throughput: priority then FIFO, every request runs to completion;
 *               a pop and the run, no clock read (statistics off);
 *   deadline:   EDF; a request already late at the head is discarded
 *               (a miss) for the price of a pop and a clock read; a run
 *               costs the pop, three clock reads and the metered
 *               interpreter, whose factor over the plain one is measured
 *               here on a real program.
 * A pop's price is measured on the run queue too.
 *
 * Releases stop at a horizon H (about SIM_REQUESTS requests); the queue is
 * then drained so that every request ends on time, late, discarded or
 * refused (queue full).  Printed per pattern, U and policy:
 *   completions/s  runs finished by H, over H: the same window for both
 *                  policies (a throughput backlog drained after H would
 *                  otherwise count at no arrival pressure);
 *   Minsn/s        program instructions those runs executed, over H;
 *   insn/run       their mean cost: which requests a policy serves;
 *   miss-ratio     (late + discarded + refused) / released, after the drain.
 * Figures, not a test: it never fails on them.  docs/testing.md discusses
 * what they show.
 */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <time.h>

#include "../../kmod/core/kbpf_core.h"
#include "../../kmod/core/sched/sched.h"

#define NTASKS		8
#define BURST		8
#define NPRIO		4
#define QUEUE_CAP	4096
#define SIM_REQUESTS	200000
#define NS_PER_INSN	4.0
#define CLOCK_READ_NS	20.0
#define DEADLINE_RUN_CLOCK_READS 3	/* pop, before and after the run */

struct cost_model {
	double meter_factor;	/* metered / plain interpreter */
	double pop_ns;		/* one reserve + commit + pop + release */
};

struct task {
	u32 cost;		/* instructions */
	double period;		/* ns, minimum inter-arrival */
	double window;		/* ns, T or B * T */
	double next;		/* next release, ns */
	u64 rng;		/* this task's own random stream */
};

struct result {
	u64 released, completed, late, discarded, refused;
	u64 win_completed, win_insns;	/* finished by the horizon */
	double horizon;
};

static double uniform(u64 *rng)
{
	*rng ^= *rng << 13;
	*rng ^= *rng >> 7;
	*rng ^= *rng << 17;
	return (double)(*rng >> 11) / (double)(1ULL << 53);
}

/* What one run of cost insns takes the server under policy. */
static double run_ns(u32 policy, u32 insns, const struct cost_model *cm)
{
	if (policy == KBPF_SCHED_DEADLINE)
		return cm->pop_ns + DEADLINE_RUN_CLOCK_READS * CLOCK_READ_NS +
		       insns * NS_PER_INSN * cm->meter_factor;
	return cm->pop_ns + insns * NS_PER_INSN;
}

/*
 * Utilisation is counted at the deadline policy's price, the dearer of the
 * two, so that U <= 1 is feasible for it.  Returns the horizon H and the
 * longest run (the blocking term of the deadlines).
 */
static double make_tasks(struct task *t, double util, bool bursty,
			 const struct cost_model *cm, double *blocking)
{
	static const u32 costs[NTASKS] = { 50, 120, 200, 400, 80, 300, 150, 600 };
	double share = util / NTASKS, rate = 0;
	int i;

	*blocking = 0;
	for (i = 0; i < NTASKS; i++) {
		double c = run_ns(KBPF_SCHED_DEADLINE, costs[i], cm);

		t[i].cost = costs[i];
		t[i].period = c / share;
		t[i].window = t[i].period * (bursty ? BURST : 1);
		t[i].rng = 0x9e3779b97f4a7c15ULL * (i + 1);
		t[i].next = uniform(&t[i].rng) * t[i].window;
		/* Poisson: the mean gap is T * 1.1; bursts: B per B * T. */
		rate += 1 / (t[i].period * (bursty ? 1 : 1.1));
		if (c > *blocking)
			*blocking = c;
	}
	return SIM_REQUESTS / rate;
}

/* Release what is due by now (and before the horizon) into q. */
static double release(struct kbpf_runq *q, struct task *t, double now,
		      bool bursty, double blocking, struct result *r)
{
	double next = 1e300;
	int i, b;

	for (i = 0; i < NTASKS; i++) {
		while (t[i].next <= now && t[i].next < r->horizon) {
			for (b = 0; b < (bursty ? BURST : 1); b++) {
				struct kbpf_runq_req *req = kbpf_runq_reserve(q);
				s32 prio = (s32)(uniform(&t[i].rng) * NPRIO);

				r->released++;
				if (!req) {
					r->refused++;
					continue;
				}
				req->owner = &t[i];
				req->prio = prio;
				req->deadline_ns = (u64)(t[i].next + t[i].window +
							 blocking);
				kbpf_runq_commit(q);
			}
			t[i].next += bursty ? t[i].window :
				     t[i].period * (1 - log(1 - uniform(&t[i].rng)) / 10);
		}
		if (t[i].next < next && t[i].next < r->horizon)
			next = t[i].next;
	}
	return next;
}

static void simulate(u32 policy, double util, bool bursty,
		     const struct cost_model *cm, struct result *r)
{
	struct task t[NTASKS];
	struct kbpf_runq q;
	struct kbpf_runq_req req;
	double now = 0, next, blocking;
	u32 insns;

	memset(r, 0, sizeof(*r));
	r->horizon = make_tasks(t, util, bursty, cm, &blocking);
	if (kbpf_runq_init(&q, policy, QUEUE_CAP, 0)) {
		fprintf(stderr, "runq init failed\n");
		exit(1);
	}
	for (;;) {
		next = release(&q, t, now, bursty, blocking, r);
		switch (kbpf_runq_pop(&q, (u64)now, &req)) {
		case KBPF_RUNQ_EMPTY:
			if (next > 1e299)
				goto out;
			now = next;
			continue;
		case KBPF_RUNQ_EXPIRED:
			now += cm->pop_ns + CLOCK_READ_NS;
			r->discarded++;
			kbpf_runq_release(&q, req.slot);
			continue;
		case KBPF_RUNQ_READY:
			break;
		}
		insns = ((struct task *)req.owner)->cost;
		now += run_ns(policy, insns, cm);
		r->completed++;
		if (now <= r->horizon) {
			r->win_completed++;
			r->win_insns += insns;
		}
		if (now > (double)req.deadline_ns)
			r->late++;
		kbpf_runq_release(&q, req.slot);
	}
out:
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

/*
 * One request through the queue, at a depth of 1024 (an overloaded
 * queue): reserve, commit, pop, release.  Best of 7.
 */
static double measure_pop_ns(void)
{
	enum { DEPTH = 1024, CYCLES = 200000 };
	struct kbpf_runq_req *req, out;
	double best = 1e30;
	struct kbpf_runq q;
	u64 rng = 1, t0;
	int round, i;

	if (kbpf_runq_init(&q, KBPF_SCHED_DEADLINE, QUEUE_CAP, 0)) {
		fprintf(stderr, "runq init failed\n");
		exit(1);
	}
	for (i = 0; i < DEPTH; i++) {
		req = kbpf_runq_reserve(&q);
		req->deadline_ns = (u64)(uniform(&rng) * 1e6);
		kbpf_runq_commit(&q);
	}
	for (round = 0; round < 7; round++) {
		t0 = cpu_ns();
		for (i = 0; i < CYCLES; i++) {
			req = kbpf_runq_reserve(&q);
			req->deadline_ns = (u64)(uniform(&rng) * 1e6);
			kbpf_runq_commit(&q);
			kbpf_runq_pop(&q, 0, &out);
			kbpf_runq_release(&q, out.slot);
		}
		if ((double)(cpu_ns() - t0) / CYCLES < best)
			best = (double)(cpu_ns() - t0) / CYCLES;
	}
	kbpf_runq_destroy(&q);
	printf("run queue: one request in and out at depth %d: %.1f ns\n",
	       DEPTH, best);
	return best;
}

int main(void)
{
	static const double utils[] = { 0.5, 0.75, 0.9, 1.0, 1.25, 1.5 };
	static const char *const names[] = { "poisson", "bursty" };
	struct cost_model cm;
	struct result r;
	size_t u;
	int pat;
	u32 pol;

	cm.meter_factor = measure_meter_factor();
	cm.pop_ns = measure_pop_ns();
	printf("scheduler core, about %d requests per run, %d streams, priority 0-%d at random, %.0f ns/insn,\n"
	       "a clock read %.0f ns, deadline = window + longest run; util at the minimum gaps (poisson's\n"
	       "mean load is util / 1.1); rates over the release horizon, miss ratio after the drain\n",
	       SIM_REQUESTS, NTASKS, NPRIO - 1, NS_PER_INSN, CLOCK_READ_NS);
	printf("%-8s %-5s %-10s %14s %8s %8s %10s %8s %8s %8s\n", "stream",
	       "util", "policy", "completions/s", "Minsn/s", "insn/run",
	       "miss-ratio", "late", "discard", "refused");
	for (pat = 0; pat < 2; pat++) {
		for (u = 0; u < ARRAY_SIZE(utils); u++) {
			for (pol = KBPF_SCHED_THROUGHPUT;
			     pol <= KBPF_SCHED_DEADLINE; pol++) {
				simulate(pol, utils[u], pat, &cm, &r);
				printf("%-8s %-5.2f %-10s %14.0f %8.1f %8.1f %10.4f %8llu %8llu %8llu\n",
				       names[pat], utils[u],
				       pol == KBPF_SCHED_DEADLINE ? "deadline" :
				       "throughput",
				       r.win_completed / (r.horizon / 1e9),
				       r.win_insns / (r.horizon / 1e3),
				       r.win_completed ?
				       (double)r.win_insns / r.win_completed : 0,
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
