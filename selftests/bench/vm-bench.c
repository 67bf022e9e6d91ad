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

#define VM_BENCH_TARGET_NS	(100ULL * 1000 * 1000)	/* per measurement */
#define VM_BENCH_PROBE_REPEAT	64
#define VM_BENCH_ROUNDS		5

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

/* A program loaded into one runtime, with its measurement so far. */
struct loaded {
	const struct runtime *rt;
	struct bench_prog bp;
	int handle;
	bool loaded;
	u32 repeat;
	double best_ns;
	u32 r0;
};

static int prepare(struct loaded *l, const struct runtime *rt,
		   enum bench_id id, u8 *pkt, u32 len)
{
	double probe;

	l->rt = rt;
	if (bench_build(id, &rt->layout, &l->bp))
		return -1;
	if (rt->load(&l->bp, &l->handle))
		return -1;
	l->loaded = true;
	if (rt->run(l->handle, pkt, len, VM_BENCH_PROBE_REPEAT, &probe,
		    &l->r0))
		return -1;
	l->repeat = probe > 0 ? (u32)(VM_BENCH_TARGET_NS / probe) : 1u << 20;
	if (l->repeat < VM_BENCH_PROBE_REPEAT)
		l->repeat = VM_BENCH_PROBE_REPEAT;
	if (l->repeat > 1u << 22)
		l->repeat = 1u << 22;
	return 0;
}

static int measure_once(struct loaded *l, u8 *pkt, u32 len)
{
	double t;

	if (l->rt->run(l->handle, pkt, len, l->repeat, &t, &l->r0))
		return -1;
	if (!l->best_ns || t < l->best_ns)
		l->best_ns = t;
	return 0;
}

static int check_r0(const struct loaded *l)
{
	if (l->r0 == l->bp.expect_r0)
		return 0;
	fprintf(stderr, "%s: %s returned %u, must return %llu\n", l->rt->name,
		l->bp.name, l->r0, (unsigned long long)l->bp.expect_r0);
	return -1;
}

static void release(struct loaded *l)
{
	/* kbpf programs stay until the VM stops; Linux ones go with the fd. */
	if (l->loaded && l->rt == &runtimes[1])
		close(l->handle);
	bench_free(&l->bp);
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

/*
 * One row.  The two runtimes are measured in alternation, best of
 * VM_BENCH_ROUNDS each, so that a noisy neighbour on the host slows both
 * rather than whichever ran during it.
 */
static int bench_row(enum bench_id id)
{
	struct loaded l[2] = { 0 };
	u8 pkt[128];
	u32 len = bench_packet(pkt, sizeof(pkt));
	bool ok[2];
	int r, round;

	for (r = 0; r < 2; r++)
		ok[r] = !prepare(&l[r], &runtimes[r], id, pkt, len);
	for (round = 0; round < VM_BENCH_ROUNDS; round++)
		for (r = 0; r < 2; r++)
			if (ok[r] && measure_once(&l[r], pkt, len))
				ok[r] = false;
	for (r = 0; r < 2; r++)
		if (ok[r] && check_r0(&l[r]))
			ok[r] = false;

	printf("%-8s %6u %8llu |", l[0].bp.name, l[0].bp.insn_cnt,
	       (unsigned long long)l[0].bp.executed);
	for (r = 0; r < 2; r++) {
		if (ok[r])
			printf(" %10.1f %8.2f |", l[r].best_ns,
			       l[r].best_ns / l[r].bp.executed);
		else
			printf(" %10s %8s |", "failed", "-");
	}
	if (ok[0] && ok[1] && l[1].best_ns > 0)
		printf(" %10.2f\n", l[0].best_ns / l[1].best_ns);
	else
		printf(" %10s\n", "-");
	for (r = 0; r < 2; r++)
		release(&l[r]);
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
