// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf-bench: native figures for the userspace build of the core.
 *
 * For each benchmark program: verification time (per processed instruction),
 * interpreter time and the time of the same program compiled ahead of time
 * (bpf2c, cc -O2), per run and per executed instruction.  It prints figures;
 * it never passes or fails on time.  It does fail when a program returns
 * something other than what it must, since a fast wrong answer is not a
 * figure.
 *
 *   kbpf-bench                    the figures
 *   kbpf-bench --emit-native DIR  write each program as a kernel module
 *                                 source (bpf2c) and a Kbuild into DIR, for
 *                                 the VM half of `make bench`
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../kmod/core/kbpf_core.h"
#include "../../userspace-tool/aot/aot_user.h"
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

static const struct bench_ctx_layout kbpf_layout = {
	.data_size = KBPF_DW,
	.data_off = 0,
	.data_end_off = 8,
};

/*
 * ns per run: batches of BENCH_BATCH runs for at least BENCH_MIN_NS in all;
 * the figure is the best batch, the least disturbed by whatever else the
 * machine runs.
 */
static double time_runs(const struct kbpf_prog *prog,
			const struct kbpf_nf_ctx *ctx, u64 *r0)
{
	u64 t0, elapsed, best = 0;

	t0 = now_ns();
	do {
		u64 b0 = now_ns(), b;

		for (int i = 0; i < BENCH_BATCH; i++)
			*r0 = kbpf_prog_run(prog, ctx);
		b = now_ns() - b0;
		if (!best || b < best)
			best = b;
		elapsed = now_ns() - t0;
	} while (elapsed < BENCH_MIN_NS);
	return (double)best / BENCH_BATCH;
}

static int check_r0(const struct bench_prog *bp, const char *engine, u64 r0)
{
	if (r0 == bp->expect_r0)
		return 0;
	fprintf(stderr, "%s (%s) returned %llu, must return %llu\n", bp->name,
		engine, (unsigned long long)r0,
		(unsigned long long)bp->expect_r0);
	return -1;
}

static int bench_one(enum bench_id id)
{
	struct kbpf_nf_ctx ctx = { 0 };
	struct aot_user_obj aot;
	u8 packet[128];
	struct bench_prog bp;
	struct kbpf_prog *prog;
	u64 load_ns, r0 = 0, r0_aot = 0;
	double ns_run, ns_aot = 0;
	int err;

	if (bench_build(id, &kbpf_layout, &bp))
		return -1;
	if (load(bp.insns, bp.insn_cnt, &prog, &load_ns)) {
		bench_free(&bp);
		return -1;
	}
	ctx.len = bench_packet(packet, sizeof(packet));
	ctx.data = (u64)(uintptr_t)packet;
	ctx.data_end = ctx.data + ctx.len;

	ns_run = time_runs(prog, &ctx, &r0);
	err = check_r0(&bp, "interpreter", r0);
	if (!aot_user_bind(prog, &aot)) {
		ns_aot = time_runs(prog, &ctx, &r0_aot);
		aot_user_release(prog, &aot);
		err |= check_r0(&bp, "native", r0_aot);
	} else {
		err = -1;
	}
	printf("%-8s %-32s %6u %8llu %9.1f %8.2f %9.2f %9.2f %10.2f\n",
	       bp.name, bp.what, bp.insn_cnt, (unsigned long long)bp.executed,
	       ns_run, ns_run / bp.executed, ns_aot / bp.executed,
	       ns_aot > 0 ? ns_run / ns_aot : 0.0,
	       prog->stats.insns_processed ?
	       (double)load_ns / prog->stats.insns_processed : 0.0);
	kbpf_prog_free(prog);
	bench_free(&bp);
	return err;
}

/* Each program as a module source, for the VM's native column. */
static int emit_native(const char *dir)
{
	static char kbuild[2048];
	char path[512];
	size_t len = 0;
	int id, err = 0;

	for (id = 0; id < BENCH_COUNT && !err; id++) {
		struct bpf2c_opts opts = {
			.target = BPF2C_MODULE,
			.verified = true,
			.origin = "selftests/bench/programs.c",
			.prog_type = KBPF_PROG_TYPE_NETFILTER,
		};
		char name[32], why[256];
		struct bench_prog bp;
		FILE *f;

		if (bench_build(id, &kbpf_layout, &bp))
			return -1;
		snprintf(name, sizeof(name), "bench_%s", bp.name);
		opts.name = name;
		snprintf(path, sizeof(path), "%s/kbpf_prog_%s.c", dir, name);
		f = fopen(path, "w");
		if (!f) {
			fprintf(stderr, "%s: %s\n", path, strerror(errno));
			err = -1;
		} else {
			err = bpf2c_translate(f, bp.insns, bp.insn_cnt, &opts, why,
					      sizeof(why));
			if (fclose(f) || err)
				fprintf(stderr, "%s: %s\n", path, err ? why : "write error");
		}
		len += snprintf(kbuild + len, sizeof(kbuild) - len,
				"obj-m += kbpf_prog_%s.o\n", name);
		bench_free(&bp);
	}
	if (!err)
		err = bpf2c_write_file(dir, "Kbuild", kbuild) ?:
		      bpf2c_write_file(dir, "kbpf_native.h", bpf2c_native_header);
	if (err)
		fprintf(stderr, "%s: cannot write the module sources\n", dir);
	return err ? 1 : 0;
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

int main(int argc, char **argv)
{
	int failed = 0;

	if (argc == 3 && !strcmp(argv[1], "--emit-native"))
		return emit_native(argv[2]);
	printf("kbpf in userspace: interpreter and ahead-of-time compiled code "
	       "(bpf2c, cc -O2); thread CPU time, best batch of %d runs\n",
	       BENCH_BATCH);
	printf("%-8s %-32s %6s %8s %9s %8s %9s %9s %10s\n", "bench", "program",
	       "insns", "executed", "ns/run", "ns/insn", "aot ns/i",
	       "interp/aot", "verify ns/insn");
	for (int id = 0; id < BENCH_COUNT; id++)
		failed |= bench_one(id);
	failed |= bench_big_verify();
	return failed ? 1 : 0;
}
