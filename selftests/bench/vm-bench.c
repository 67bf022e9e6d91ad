// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf-vm-bench: inside the VM, the benchmark programs of programs.c run
 * through kbpf.ko's test-run ioctl and through the Linux kernel's own
 * interpreter on the same kernel, side by side.
 *
 * kbpf: KBPF_IOC_PROG_LOAD (netfilter type, kbpf_nf_ctx layout: data at 0,
 * data_end at 8, 64-bit loads) then KBPF_IOC_PROG_TEST_RUN with repeat.
 * Linux: net.core.bpf_jit_enable=0, then libbpf's bpf_prog_load() as an XDP
 * program (xdp_md layout: data at 0, data_end at 4, 32-bit loads) and
 * bpf_prog_test_run_opts() with repeat.  The issue asks for `bpftool prog
 * run`; bpftool cannot load raw bytecode, and this is the same syscall it
 * makes.
 *
 * Prints figures and never fails on time; it fails when a program is
 * refused or returns the wrong r0 (a fast wrong answer is not a figure).
 * Built -static: the VM's initramfs has no libbpf.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/kbpf.h>

#include "programs.h"

#define VM_BENCH_TARGET_NS	(200ULL * 1000 * 1000)	/* per measurement */
#define VM_BENCH_PROBE_REPEAT	64

struct runtime {
	const char *name;
	struct bench_ctx_layout layout;
	int (*load)(const struct bench_prog *bp, int *handle);
	/* One measurement: average ns per run and r0 of the last. */
	int (*run)(int handle, u8 *pkt, u32 len, u32 repeat, double *ns,
		   u32 *r0);
};

static int kbpf_fd = -1;
static char log_buf[65536];

/* The end of a verifier log, where the reason is. */
static const char *log_tail(void)
{
	size_t len = strnlen(log_buf, sizeof(log_buf));

	return len > 1024 ? log_buf + len - 1024 : log_buf;
}

static int kbpf_load(const struct bench_prog *bp, int *id)
{
	struct kbpf_prog_load_attr attr = {
		.size = sizeof(attr),
		.prog_type = KBPF_PROG_TYPE_NETFILTER,
		.insns = (__u64)(uintptr_t)bp->insns,
		.insn_cnt = bp->insn_cnt,
		.log_level = KBPF_LOG_LEVEL_ERRORS,
		.log_buf = (__u64)(uintptr_t)log_buf,
		.log_size = sizeof(log_buf),
	};

	log_buf[0] = '\0';
	snprintf(attr.name, sizeof(attr.name), "bench_%s", bp->name);
	if (ioctl(kbpf_fd, KBPF_IOC_PROG_LOAD, &attr)) {
		fprintf(stderr, "kbpf: %s refused: %s\n%s", bp->name,
			strerror(errno), log_tail());
		return -1;
	}
	*id = (int)attr.prog_id;
	return 0;
}

static int kbpf_run(int id, u8 *pkt, u32 len, u32 repeat, double *ns,
		    u32 *r0)
{
	struct kbpf_prog_test_run_attr attr = {
		.size = sizeof(attr),
		.prog_id = (__u32)id,
		.data_in = (__u64)(uintptr_t)pkt,
		.data_size_in = len,
		.repeat = repeat,
	};

	if (ioctl(kbpf_fd, KBPF_IOC_PROG_TEST_RUN, &attr)) {
		fprintf(stderr, "kbpf: test run: %s\n", strerror(errno));
		return -1;
	}
	*ns = (double)attr.duration_ns;
	*r0 = attr.retval;
	return 0;
}

static int linux_load(const struct bench_prog *bp, int *fd)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		    .log_buf = log_buf,
		    /* level 0: libbpf logs only a retry after a refusal */
		    .log_size = sizeof(log_buf));

	log_buf[0] = '\0';
	*fd = bpf_prog_load(BPF_PROG_TYPE_XDP, bp->name, "GPL",
			    (const struct bpf_insn *)bp->insns, bp->insn_cnt,
			    &opts);
	if (*fd < 0) {
		fprintf(stderr, "linux: %s refused: %s\n%s", bp->name,
			strerror(-*fd), log_tail());
		return -1;
	}
	return 0;
}

static int linux_run(int fd, u8 *pkt, u32 len, u32 repeat, double *ns,
		     u32 *r0)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		    .data_in = pkt,
		    .data_size_in = len,
		    .repeat = repeat);
	int err = bpf_prog_test_run_opts(fd, &opts);

	if (err) {
		fprintf(stderr, "linux: test run: %s\n", strerror(-err));
		return -1;
	}
	*ns = (double)opts.duration;
	*r0 = opts.retval;
	return 0;
}

static const struct runtime runtimes[2] = {
	{ "kbpf", { KBPF_DW, 0, 8 }, kbpf_load, kbpf_run },
	{ "linux", { KBPF_W, 0, 4 }, linux_load, linux_run },
};

/* ns per run of program id on rt, best of three timed batches. */
static int measure(const struct runtime *rt, enum bench_id id, double *ns,
		   u32 *insns, u64 *executed)
{
	u8 pkt[128];
	u32 len = bench_packet(pkt, sizeof(pkt)), r0, repeat;
	struct bench_prog bp;
	double probe, best = 0;
	int handle, err = -1;

	if (bench_build(id, &rt->layout, &bp))
		return -1;
	*insns = bp.insn_cnt;
	*executed = bp.executed;
	if (rt->load(&bp, &handle))
		goto out;
	if (rt->run(handle, pkt, len, VM_BENCH_PROBE_REPEAT, &probe, &r0))
		goto out_close;
	repeat = probe > 0 ? (u32)(VM_BENCH_TARGET_NS / probe) : 1u << 20;
	if (repeat < VM_BENCH_PROBE_REPEAT)
		repeat = VM_BENCH_PROBE_REPEAT;
	if (repeat > 1u << 22)
		repeat = 1u << 22;
	for (int i = 0; i < 3; i++) {
		double t;

		if (rt->run(handle, pkt, len, repeat, &t, &r0))
			goto out_close;
		if (!i || t < best)
			best = t;
	}
	if (r0 != bp.expect_r0) {
		fprintf(stderr, "%s: %s returned %u, must return %llu\n",
			rt->name, bp.name, r0,
			(unsigned long long)bp.expect_r0);
		goto out_close;
	}
	*ns = best;
	err = 0;
out_close:
	/* kbpf programs stay until the VM stops; Linux ones go with the fd. */
	if (rt == &runtimes[1])
		close(handle);
out:
	bench_free(&bp);
	return err;
}

static int disable_linux_jit(void)
{
	int fd = open("/proc/sys/net/core/bpf_jit_enable", O_WRONLY);
	int ok = fd >= 0 && write(fd, "0", 1) == 1;

	if (fd >= 0)
		close(fd);
	if (!ok) {
		fprintf(stderr, "cannot set net.core.bpf_jit_enable=0: %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

static void print_header(void)
{
	printf("kbpf.ko test-run ioctl vs the Linux interpreter, same kernel (VM)\n");
	printf("linux: net.core.bpf_jit_enable=0, XDP program loaded with libbpf "
	       "bpf_prog_load() and run with bpf_prog_test_run_opts()\n"
	       "       (what `bpftool prog run` does; bpftool cannot load raw bytecode)\n");
	printf("QEMU TCG emulates the CPU: absolute times are slow, the ratio is the figure\n");
	printf("%-8s %6s %8s | %10s %8s | %10s %8s | %10s\n", "bench", "insns",
	       "executed", "kbpf ns", "ns/insn", "linux ns", "ns/insn",
	       "kbpf/linux");
}

/* One row: the program's size, then each runtime's figures and the ratio. */
static int bench_row(enum bench_id id)
{
	struct bench_prog bp;
	double ns[2] = { 0, 0 };
	bool ok[2];
	u32 insns;
	u64 executed;

	if (bench_build(id, &runtimes[0].layout, &bp))
		return -1;
	insns = bp.insn_cnt;
	executed = bp.executed;
	printf("%-8s %6u %8llu |", bp.name, insns,
	       (unsigned long long)executed);
	bench_free(&bp);
	fflush(stdout);
	for (int r = 0; r < 2; r++)
		ok[r] = !measure(&runtimes[r], id, &ns[r], &insns, &executed);
	for (int r = 0; r < 2; r++) {
		if (ok[r])
			printf(" %10.1f %8.2f |", ns[r], ns[r] / executed);
		else
			printf(" %10s %8s |", "failed", "-");
	}
	if (ok[0] && ok[1] && ns[1] > 0)
		printf(" %10.2f\n", ns[0] / ns[1]);
	else
		printf(" %10s\n", "-");
	return ok[0] && ok[1] ? 0 : -1;
}

int main(void)
{
	int failed = 0;

	kbpf_fd = open(KBPF_DEVICE_PATH, O_RDWR);
	if (kbpf_fd < 0) {
		fprintf(stderr, "%s: %s (insmod kbpf.ko first)\n",
			KBPF_DEVICE_PATH, strerror(errno));
		return 1;
	}
	if (disable_linux_jit())
		return 1;
	print_header();
	for (int id = 0; id < BENCH_COUNT; id++)
		failed |= bench_row(id);
	close(kbpf_fd);
	return failed ? 1 : 0;
}
