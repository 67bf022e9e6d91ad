// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier: the resources one load may use.  Memory is bounded by the
 * profile's byte budget (every state, frame, stack chunk, pending branch and
 * per-insn array counted), with -E2BIG and a log line saying how far it got;
 * stack chunks are shared between states until written; evicted states are
 * freed; max_states counts every state kept.  A program that fits exactly
 * in the budget loads.
 *
 * The programs are generated: "nested fill" is the shape of issue 11's
 * finding 1 -- a chain of bpf-to-bpf calls, each frame filling its whole
 * stack with an unknown scalar (ctx->mark), then JSETs on that unknown in
 * the innermost frame, each of which forks every path.
 */
#include "cases.h"

#define LIM_LOG_SIZE	4096

/* A generated program and the log of its last load. */
struct lim_prog {
	struct kbpf_insn *insns;
	u32 cnt;
	char *log;
};

static int lim_prog_alloc(struct lim_prog *p, u32 max_insns)
{
	p->cnt = 0;
	p->insns = kbpf_zalloc(sizeof(*p->insns) * max_insns);
	p->log = kbpf_zalloc(LIM_LOG_SIZE);
	if (p->insns && p->log)
		return 0;
	kbpf_free(p->insns);
	kbpf_free(p->log);
	return -ENOMEM;
}

static void lim_prog_free(struct lim_prog *p)
{
	kbpf_free(p->insns);
	kbpf_free(p->log);
}

static void lim_emit(struct lim_prog *p, struct kbpf_insn insn)
{
	p->insns[p->cnt++] = insn;
}

/*
 * nframes frames (main + nframes - 1 nested calls), each spilling r1 (the
 * mark) to all 64 slots of its stack; the innermost then runs njset
 * "if r1 & bit goto +0" on distinct bits and returns 0.
 */
static int lim_nested_fill(struct lim_prog *p, u32 nframes, u32 njset)
{
	u32 f, i, call_at = 0;

	if (lim_prog_alloc(p, nframes * 67 + njset + 2))
		return -ENOMEM;
	for (f = 0; f < nframes; f++) {
		if (f) /* the previous frame's call lands here */
			p->insns[call_at].imm = (s32)(p->cnt - call_at - 1);
		else
			lim_emit(p, (struct kbpf_insn)KBPF_LDX_MEM(W, KBPF_REG_1,
								  KBPF_REG_1, 36));
		for (i = 0; i < KBPF_STACK_SIZE / 8; i++)
			lim_emit(p, (struct kbpf_insn)KBPF_STX_MEM(DW, KBPF_REG_10,
								  KBPF_REG_1,
								  -8 * (s16)(i + 1)));
		if (f + 1 < nframes) {
			call_at = p->cnt;
			lim_emit(p, (struct kbpf_insn)KBPF_CALL_REL(0));
			lim_emit(p, (struct kbpf_insn)KBPF_EXIT_INSN());
		}
	}
	for (i = 0; i < njset; i++)
		lim_emit(p, (struct kbpf_insn)KBPF_JMP_IMM(JSET, KBPF_REG_1,
							  1 << (i % 31), 0));
	lim_emit(p, (struct kbpf_insn)KBPF_MOV64_IMM(KBPF_REG_0, 0));
	lim_emit(p, (struct kbpf_insn)KBPF_EXIT_INSN());
	return 0;
}

/* r0 = 0; r2 = 0; loop: r2 += 1; if r2 < n goto loop; exit */
static int lim_counting_loop(struct lim_prog *p, s32 n)
{
	if (lim_prog_alloc(p, 5))
		return -ENOMEM;
	lim_emit(p, (struct kbpf_insn)KBPF_MOV64_IMM(KBPF_REG_0, 0));
	lim_emit(p, (struct kbpf_insn)KBPF_MOV64_IMM(KBPF_REG_2, 0));
	lim_emit(p, (struct kbpf_insn)KBPF_ALU64_IMM(ADD, KBPF_REG_2, 1));
	lim_emit(p, (struct kbpf_insn)KBPF_JMP_IMM(JLT, KBPF_REG_2, n, -2));
	lim_emit(p, (struct kbpf_insn)KBPF_EXIT_INSN());
	return 0;
}

/* Load p with limits; the log (with statistics) goes to p->log. */
static int lim_load(const struct lim_prog *p, const struct kbpf_limits *limits,
		    struct kbpf_verifier_stats *stats)
{
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_NETFILTER,
		.insns = p->insns,
		.insn_cnt = p->cnt,
		.limits = limits,
	};
	struct kbpf_prog *prog = NULL;
	struct kbpf_log l;
	int err;

	kbpf_log_init(&l, p->log, LIM_LOG_SIZE,
		      KBPF_LOG_LEVEL_ERRORS | KBPF_LOG_LEVEL_STATS);
	opts.log = &l;
	err = kbpf_prog_load(&opts, &prog);
	if (prog) {
		if (stats)
			*stats = prog->stats;
		kbpf_prog_free(prog);
	}
	return err;
}

/* N from the statistics line's "memory N KiB", or -1. */
static long lim_log_kib(const char *log)
{
	const char *p = strstr(log, ", memory ");
	long n = 0;

	if (!p)
		return -1;
	for (p += 9; *p >= '0' && *p <= '9'; p++)
		n = n * 10 + (*p - '0');
	return n;
}

/* Issue 11, finding 1: embedded has 1 MiB; the program must stop there. */
static int lim_nested_fill_embedded(char *msg, size_t msg_size)
{
	struct kbpf_limits limits = kbpf_limits_embedded;
	struct lim_prog p;
	int err, ret = -EINVAL;

	if (lim_nested_fill(&p, KBPF_MAX_CALL_FRAMES, 40))
		return -ENOMEM;
	err = lim_load(&p, &limits, NULL);
	if (err != -E2BIG)
		snprintf(msg, msg_size, "load gave %d, not -E2BIG: %s", err, p.log);
	else if (!strstr(p.log, "verifier memory budget of 1048576 bytes (embedded profile) exhausted after "))
		snprintf(msg, msg_size, "no budget line: %s", p.log);
	else if (!strstr(p.log, " insns processed, ") || !strstr(p.log, " states stored "))
		snprintf(msg, msg_size, "the budget line lacks the progress: %s", p.log);
	else if (lim_log_kib(p.log) < 0 || lim_log_kib(p.log) > 1024)
		snprintf(msg, msg_size, "peak memory past the budget: %s", p.log);
	else
		ret = 0;
	lim_prog_free(&p);
	return ret;
}

/*
 * Under cloud's 64 MiB the same program runs out of instructions first.
 * Its peak stays small because the eight full stacks are stored once,
 * shared by every state: copying them per state (8 frames x 64 slots) would
 * take several MiB for the ~150 states alive at once.
 */
static int lim_nested_fill_cloud(char *msg, size_t msg_size)
{
	struct kbpf_limits limits = kbpf_limits_cloud;
	struct lim_prog p;
	int err, ret = -EINVAL;
	long kib;

	if (lim_nested_fill(&p, KBPF_MAX_CALL_FRAMES, 40))
		return -ENOMEM;
	limits.max_processed_insns = 50000;	/* enough to show the peak */
	err = lim_load(&p, &limits, NULL);
	kib = lim_log_kib(p.log);
	if (err != -E2BIG || !strstr(p.log, "program too complex: more than 50000 insns processed"))
		snprintf(msg, msg_size, "load gave %d: %s", err, p.log);
	else if (kib < 0 || kib > 2048)
		snprintf(msg, msg_size, "peak of %ld KiB, expected under 2 MiB: %s",
			 kib, p.log);
	else
		ret = 0;
	lim_prog_free(&p);
	return ret;
}

/*
 * At the bound: a program whose peak is P bytes loads with a budget of P
 * and is refused with a budget of P - 1.
 */
static int lim_budget_bound(char *msg, size_t msg_size)
{
	struct kbpf_limits limits = kbpf_limits_cloud;
	struct kbpf_verifier_stats st = { 0 };
	struct lim_prog p;
	int err, ret = -EINVAL;

	if (lim_nested_fill(&p, 1, 8))
		return -ENOMEM;
	err = lim_load(&p, &limits, &st);
	if (err || !st.mem_peak) {
		snprintf(msg, msg_size, "load gave %d, peak %llu: %s", err,
			 (unsigned long long)st.mem_peak, p.log);
		goto out;
	}
	limits.max_verifier_bytes = st.mem_peak;
	err = lim_load(&p, &limits, NULL);
	if (err) {
		snprintf(msg, msg_size, "with a budget of its peak (%llu), load gave %d: %s",
			 (unsigned long long)st.mem_peak, err, p.log);
		goto out;
	}
	limits.max_verifier_bytes = st.mem_peak - 1;
	err = lim_load(&p, &limits, NULL);
	if (err != -E2BIG || !strstr(p.log, "verifier memory budget of "))
		snprintf(msg, msg_size, "one byte under its peak, load gave %d: %s",
			 err, p.log);
	else
		ret = 0;
out:
	lim_prog_free(&p);
	return ret;
}

/*
 * A counting loop stores a state every few iterations; each is evicted once
 * it stops pruning but stays a parent of the path.  max_states counts those
 * too, so the total stops at max_states, and they hold no frames.
 */
static int lim_loop_states_bounded(char *msg, size_t msg_size)
{
	struct kbpf_limits limits = kbpf_limits_cloud;
	struct lim_prog p;
	int err, ret = -EINVAL;
	long kib;

	if (lim_counting_loop(&p, 1000000))
		return -ENOMEM;
	limits.max_processed_insns = 100000;
	limits.max_states = 1000;
	err = lim_load(&p, &limits, NULL);
	kib = lim_log_kib(p.log);
	if (err != -E2BIG || !strstr(p.log, "program too complex"))
		snprintf(msg, msg_size, "load gave %d: %s", err, p.log);
	else if (!strstr(p.log, "states 1000, peak 1000,"))
		snprintf(msg, msg_size, "states not capped at 1000: %s", p.log);
	else if (kib < 0 || kib > 512)
		snprintf(msg, msg_size, "peak of %ld KiB for 1000 states: %s", kib, p.log);
	else
		ret = 0;
	lim_prog_free(&p);
	return ret;
}

#ifndef __KERNEL__
/* Userspace stand-in for a fatal signal: kbpf_resched_check() fails. */
static int lim_interrupt_calls;

static int lim_interrupt_second(void)
{
	return ++lim_interrupt_calls >= 2 ? -EINTR : 0;
}

static int lim_interrupted(char *msg, size_t msg_size)
{
	struct kbpf_limits limits = kbpf_limits_cloud;
	struct lim_prog p;
	int err, ret = -EINVAL;

	if (lim_counting_loop(&p, 1000000))
		return -ENOMEM;
	lim_interrupt_calls = 0;
	kbpf_user_resched_hook = lim_interrupt_second;
	err = lim_load(&p, &limits, NULL);
	kbpf_user_resched_hook = NULL;
	if (err != -EINTR)
		snprintf(msg, msg_size, "load gave %d, not -EINTR: %s", err, p.log);
	else if (!strstr(p.log, "verification interrupted after 8192 insns processed"))
		snprintf(msg, msg_size, "log: %s", p.log);
	else
		ret = 0;
	lim_prog_free(&p);
	return ret;
}
#endif

static const struct kbpf_test_fn_case verifier_limits_tests[] = {
	{ "issue 11's nested full stacks with 40 JSETs stop at embedded's 1 MiB: -E2BIG",
	  lim_nested_fill_embedded },
	{ "the same under cloud ends on insns processed, stacks shared: peak under 2 MiB",
	  lim_nested_fill_cloud },
	{ "a program loads with a budget of exactly its peak, not one byte less",
	  lim_budget_bound },
	{ "evicted loop states count against max_states and hold no frames",
	  lim_loop_states_bounded },
#ifndef __KERNEL__
	{ "an interrupted verification ends with -EINTR",
	  lim_interrupted },
#endif
};

KBPF_FN_TEST_SUITE(verifier_limits, "kbpf_verifier_limits", verifier_limits_tests);
