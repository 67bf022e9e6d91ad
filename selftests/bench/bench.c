// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf-bench: native figures for the userspace build of the core.
 *
 * For each benchmark program: verification time (per processed instruction)
 * and interpreter time (per run and per executed instruction).  It prints
 * figures; it never passes or fails on time.  It does fail when a program
 * returns something other than what it must, since a fast wrong answer is
 * not a figure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../../kmod/core/kbpf_core.h"
#include "programs.h"

#define BENCH_MIN_NS	(300ULL * 1000 * 1000)	/* run each for >= 0.3 s */
#define BENCH_BIG_INSNS	1000000
#define BENCH_BATCH	2000		/* runs per timed batch */

/*
 * CPU time of this thread, not wall time: the build machines are shared,
 * and time spent descheduled says nothing about the interpreter.
 */
static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int load(const struct kbpf_insn *insns, u32 cnt, struct kbpf_prog **prog,
		u64 *load_ns)
{
	static char log_buf[16384];
	struct kbpf_log log;
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_NETFILTER,
		.insns = insns,
		.insn_cnt = cnt,
		.log = &log,
		.limits = &kbpf_limits_cloud,
	};
	u64 t0;
	int err;

	kbpf_log_init(&log, log_buf, sizeof(log_buf), KBPF_LOG_LEVEL_ERRORS);
	t0 = now_ns();
	err = kbpf_prog_load(&opts, prog);
	*load_ns = now_ns() - t0;
	if (err)
		fprintf(stderr, "%sload failed: %d\n", log_buf, err);
	return err;
}

static int bench_one(enum bench_id id)
{
	static const struct bench_ctx_layout kbpf_layout = {
		.data_size = KBPF_DW,
		.data_off = 0,
		.data_end_off = 8,
	};
	struct kbpf_nf_ctx ctx = { 0 };
	u8 packet[128];
	struct bench_prog bp;
	struct kbpf_prog *prog;
	u64 load_ns, t0, elapsed, best = 0, r0 = 0;
	double ns_run;

	if (bench_build(id, &kbpf_layout, &bp))
		return -1;
	if (load(bp.insns, bp.insn_cnt, &prog, &load_ns)) {
		bench_free(&bp);
		return -1;
	}
	ctx.len = bench_packet(packet, sizeof(packet));
	ctx.data = (u64)(uintptr_t)packet;
	ctx.data_end = ctx.data + ctx.len;

	/*
	 * Batches of BENCH_BATCH runs for at least BENCH_MIN_NS in all; the
	 * figure is the best batch, the least disturbed by whatever else the
	 * machine runs.
	 */
	t0 = now_ns();
	do {
		u64 b0 = now_ns(), b;

		for (int i = 0; i < BENCH_BATCH; i++)
			r0 = kbpf_prog_run(prog, &ctx);
		b = now_ns() - b0;
		if (!best || b < best)
			best = b;
		elapsed = now_ns() - t0;
	} while (elapsed < BENCH_MIN_NS);

	ns_run = (double)best / BENCH_BATCH;
	printf("%-8s %-32s %6u %8llu %9.1f %8.2f %9.1f %10.2f\n",
	       bp.name, bp.what, bp.insn_cnt, (unsigned long long)bp.executed,
	       ns_run, ns_run / bp.executed, 1e3 / (ns_run / bp.executed),
	       prog->stats.insns_processed ?
	       (double)load_ns / prog->stats.insns_processed : 0.0);
	kbpf_prog_free(prog);
	bench_free(&bp);
	if (r0 != bp.expect_r0) {
		fprintf(stderr, "%s returned %llu, must return %llu\n", bp.name,
			(unsigned long long)r0, (unsigned long long)bp.expect_r0);
		return -1;
	}
	return 0;
}

/* A program of BENCH_BIG_INSNS straight-line instructions. */
static int bench_big_verify(void)
{
	struct kbpf_insn *insns = calloc(BENCH_BIG_INSNS, sizeof(*insns));
	struct kbpf_prog *prog;
	u64 load_ns;
	u32 i;

	if (!insns)
		return -1;
	insns[0] = KBPF_MOV64_IMM(KBPF_REG_0, 0);
	for (i = 1; i < BENCH_BIG_INSNS - 2; i++)
		insns[i] = KBPF_ALU64_IMM(ADD, KBPF_REG_0, (s32)(i & 7));
	insns[i++] = KBPF_ALU64_IMM(AND, KBPF_REG_0, 1);
	insns[i] = KBPF_EXIT_INSN();
	if (load(insns, BENCH_BIG_INSNS, &prog, &load_ns)) {
		free(insns);
		return -1;
	}
	printf("\nverify %u-instruction straight-line program: %.3f s "
	       "(%u processed, %.1f ns per processed instruction)\n",
	       BENCH_BIG_INSNS, load_ns / 1e9, prog->stats.insns_processed,
	       (double)load_ns / (prog->stats.insns_processed ?
				  prog->stats.insns_processed : 1));
	kbpf_prog_free(prog);
	free(insns);
	return 0;
}

int main(void)
{
	int failed = 0;

	printf("kbpf native interpreter (userspace build of the core; thread CPU "
	       "time, best batch of %d runs)\n", BENCH_BATCH);
	printf("%-8s %-32s %6s %8s %9s %8s %9s %10s\n", "bench", "program",
	       "insns", "executed", "ns/run", "ns/insn", "Minsn/s",
	       "verify ns/insn");
	for (int id = 0; id < BENCH_COUNT; id++)
		failed |= bench_one(id);
	failed |= bench_big_verify();
	return failed ? 1 : 0;
}
