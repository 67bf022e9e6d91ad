// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf-vm-bench: inside the VM, the benchmark programs of programs.c run
 * through kbpf.ko's test-run ioctl (interpreter, and native code compiled
 * ahead of time) and through the Linux kernel's own interpreter and JIT on
 * the same kernel, side by side.
 *
 *   kbpf-vm-bench [--passes N] [NATIVE.ko...]
 *
 * Each pass measures every program in every runtime; the summary gives the
 * median ns/insn and the median and range of each ratio over the passes
 * (default 3).
 *
 * kbpf: KBPF_IOC_PROG_LOAD (netfilter type, kbpf_nf_ctx layout: data at 0,
 * data_end at 8, 64-bit loads) then KBPF_IOC_PROG_TEST_RUN with repeat.
 * kbpf native: the NATIVE.ko modules (`kbpf-bench --emit-native`, built
 * against this kernel) are inserted after the interpreter's copies are
 * loaded; loading the same bytecode again then binds the compiled code,
 * which `kbpfctl prog show` must confirm.
 * Linux: net.core.bpf_jit_enable=0, then libbpf's bpf_prog_load() as an XDP
 * program (xdp_md layout: data at 0, data_end at 4, 32-bit loads) and
 * bpf_prog_test_run_opts() with repeat; then the same with
 * bpf_jit_enable=1 (the JIT compiles at load).  The issue asks for `bpftool
 * prog run`; bpftool cannot load raw bytecode, and this is the same syscall
 * it makes.
 *
 * Prints figures and never fails on time; it fails when a program is
 * refused or returns the wrong r0 (a fast wrong answer is not a figure).
 * Built -static: the VM's initramfs has no libbpf.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/kbpf.h>

#include "programs.h"

#define VM_BENCH_TARGET_NS	(100ULL * 1000 * 1000)	/* per measurement */
#define VM_BENCH_PROBE_REPEAT	64
#define VM_BENCH_ROUNDS		5
#define VM_BENCH_MAX_PASSES	16

struct runtime {
	const char *name;
	struct bench_ctx_layout layout;
	int (*load)(const struct bench_prog *bp, int *handle);
	/*
	 * One test-run call of repeat runs: the kernel's average ns per run,
	 * r0 of the last.  Not wall time around the call: Linux's XDP test
	 * run with repeat > 1 puts the program into the XDP dispatcher for
	 * the call (text patching, milliseconds under TCG), which its own
	 * duration rightly leaves out.  Both kernels report whole ns.
	 */
	int (*run)(int handle, u8 *pkt, u32 len, u32 repeat, u32 *ns,
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

static int kbpf_load_named(const struct bench_prog *bp, const char *prefix,
			   int *id)
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
	snprintf(attr.name, sizeof(attr.name), "%s%s", prefix, bp->name);
	if (ioctl(kbpf_fd, KBPF_IOC_PROG_LOAD, &attr)) {
		fprintf(stderr, "kbpf: %s refused: %s\n%s", bp->name,
			strerror(errno), log_tail());
		return -1;
	}
	*id = (int)attr.prog_id;
	return 0;
}

static int kbpf_load(const struct bench_prog *bp, int *id)
{
	return kbpf_load_named(bp, "bench_", id);
}

static int kbpf_run(int id, u8 *pkt, u32 len, u32 repeat, u32 *ns, u32 *r0)
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
	*ns = attr.duration_ns;
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

static int linux_run(int fd, u8 *pkt, u32 len, u32 repeat, u32 *ns, u32 *r0)
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
	*ns = opts.duration;
	*r0 = opts.retval;
	return 0;
}

/* kbpf again, once the native modules are in: same bytecode, new name. */
static int kbpf_native_load(const struct bench_prog *bp, int *id)
{
	char cmd[128], line[512];
	bool native = false;
	FILE *p;

	if (kbpf_load_named(bp, "nbench_", id))
		return -1;
	snprintf(cmd, sizeof(cmd), "kbpfctl -j prog show id %d", *id);
	p = popen(cmd, "r");
	while (p && fgets(line, sizeof(line), p))
		native |= strstr(line, "\"engine\":\"native\"") != NULL;
	if (p)
		pclose(p);
	if (!native)
		fprintf(stderr, "kbpf: %s does not run as native code\n", bp->name);
	return native ? 0 : -1;
}

enum { RT_KBPF, RT_NATIVE, RT_LINUX, RT_JIT, RT_COUNT };

static const struct runtime runtimes[RT_COUNT] = {
	[RT_KBPF] = { "kbpf", { KBPF_DW, 0, 8 }, kbpf_load, kbpf_run },
	[RT_NATIVE] = { "native", { KBPF_DW, 0, 8 }, kbpf_native_load, kbpf_run },
	[RT_LINUX] = { "linux", { KBPF_W, 0, 4 }, linux_load, linux_run },
	[RT_JIT] = { "jit", { KBPF_W, 0, 4 }, linux_load, linux_run },
};

/* A program loaded into one runtime, with its measurements. */
struct loaded {
	const struct runtime *rt;
	struct bench_prog bp;
	int handle;
	bool loaded;
	bool ok;
	u32 repeat;
	u32 r0;
	double best_ns;			/* this pass: best run, ns per run */
	double pass_ns[VM_BENCH_MAX_PASSES];
};

static int timed_run(struct loaded *l, u8 *pkt, u32 len, u32 repeat,
		     double *ns)
{
	u32 t;

	if (l->rt->run(l->handle, pkt, len, repeat, &t, &l->r0))
		return -1;
	*ns = t;
	return 0;
}

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
	if (timed_run(l, pkt, len, VM_BENCH_PROBE_REPEAT, &probe))
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

	if (timed_run(l, pkt, len, l->repeat, &t))
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
	if (l->loaded && (l->rt == &runtimes[RT_LINUX] ||
			  l->rt == &runtimes[RT_JIT]))
		close(l->handle);
	bench_free(&l->bp);
}

static int set_linux_jit(const char *value)
{
	int fd = open("/proc/sys/net/core/bpf_jit_enable", O_WRONLY);
	int ok = fd >= 0 && write(fd, value, 1) == 1;

	if (fd >= 0)
		close(fd);
	if (!ok) {
		fprintf(stderr, "cannot set net.core.bpf_jit_enable=%s: %s\n",
			value, strerror(errno));
		return -1;
	}
	return 0;
}

static int insert_modules(int n, char **paths)
{
	for (int i = 0; i < n; i++) {
		int fd = open(paths[i], O_RDONLY | O_CLOEXEC);

		if (fd < 0 || syscall(SYS_finit_module, fd, "", 0)) {
			fprintf(stderr, "insmod %s: %s\n", paths[i],
				strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

static void print_header(void)
{
	printf("kbpf.ko test-run ioctl (interpreter, native code) vs Linux's interpreter and JIT, same kernel (VM)\n");
	printf("linux: XDP program loaded with libbpf bpf_prog_load() and run with bpf_prog_test_run_opts()\n"
	       "       (what `bpftool prog run` does; bpftool cannot load raw bytecode),\n"
	       "       net.core.bpf_jit_enable=0 for 'linux', =1 for 'jit'\n");
	printf("QEMU TCG emulates the CPU: absolute times are slow, the ratios are the figures\n");
	printf("each pass: the runtimes in alternation, best of %d calls of ~%llu ms each;\n"
	       "      ns per run as each kernel reports it (whole ns)\n",
	       VM_BENCH_ROUNDS, VM_BENCH_TARGET_NS / 1000000);
}

static void print_table_header(const char *title)
{
	printf("\n%s\n", title);
	printf("%-8s %6s %8s | %9s %9s %9s %9s | %11s %10s %11s\n", "bench",
	       "insns", "executed", "kbpf", "native", "linux", "jit",
	       "kbpf/linux", "native/jit", "native/kbpf");
	printf("%-8s %6s %8s | %9s %9s %9s %9s |\n", "", "", "",
	       "ns/insn", "ns/insn", "ns/insn", "ns/insn");
}

static struct loaded rows[BENCH_COUNT][RT_COUNT];
static u8 pkt[128];
static u32 pkt_len;
static int passes = 3;

/* The ratios the table prints: a over b. */
static const int ratios[][2] = {
	{ RT_KBPF, RT_LINUX }, { RT_NATIVE, RT_JIT }, { RT_NATIVE, RT_KBPF },
};
#define RATIO_COUNT	(int)(sizeof(ratios) / sizeof(ratios[0]))

/*
 * Load every program into runtime r.  The JIT compiles at load, so its
 * copies are loaded with bpf_jit_enable=1 and the setting goes back to 0.
 */
static void prepare_runtime(int r)
{
	for (int id = 0; id < BENCH_COUNT; id++) {
		struct loaded *l = &rows[id][r];

		if (r == RT_JIT && set_linux_jit("1"))
			continue;
		l->ok = !prepare(l, &runtimes[r], id, pkt, pkt_len);
		if (r == RT_JIT)
			set_linux_jit("0");
	}
}

static void print_row_start(const struct loaded *l)
{
	printf("%-8s %6u %8llu |", l->bp.name, l->bp.insn_cnt,
	       (unsigned long long)l->bp.executed);
}

/*
 * One row of one pass.  The runtimes are measured in alternation, best of
 * VM_BENCH_ROUNDS each, so that a noisy neighbour on the host slows all of
 * them rather than whichever ran during it.
 */
static int bench_row(enum bench_id id, int pass)
{
	struct loaded *l = rows[id];
	bool all = true;
	int r, round;

	for (r = 0; r < RT_COUNT; r++)
		l[r].best_ns = 0;
	for (round = 0; round < VM_BENCH_ROUNDS; round++)
		for (r = 0; r < RT_COUNT; r++)
			if (l[r].ok && measure_once(&l[r], pkt, pkt_len))
				l[r].ok = false;
	print_row_start(&l[0]);
	for (r = 0; r < RT_COUNT; r++) {
		l[r].ok = l[r].ok && !check_r0(&l[r]);
		l[r].pass_ns[pass] = l[r].best_ns;
		if (l[r].ok)
			printf(" %9.2f", l[r].best_ns / l[r].bp.executed);
		else
			printf(" %9s", "failed");
		all &= l[r].ok;
	}
	printf(" |");
	for (int i = 0; i < RATIO_COUNT; i++) {
		const struct loaded *a = &l[ratios[i][0]], *b = &l[ratios[i][1]];

		if (a->ok && b->ok && b->best_ns > 0)
			printf(" %10.2f", a->best_ns / b->best_ns);
		else
			printf(" %10s", "-");
	}
	printf("\n");
	return all ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median, min and max of n values (sorted in place). */
static void spread(double *v, int n, double out[3])
{
	qsort(v, n, sizeof(*v), cmp_double);
	out[0] = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	out[1] = v[0];
	out[2] = v[n - 1];
}

/* Each pass's ratio a/b (from the same pass: alternated), summarised. */
static void print_ratio_spread(const struct loaded *l, int a, int b)
{
	double v[VM_BENCH_MAX_PASSES], s[3];

	if (!l[a].ok || !l[b].ok) {
		printf(" %18s", "-");
		return;
	}
	for (int p = 0; p < passes; p++)
		v[p] = l[a].pass_ns[p] / l[b].pass_ns[p];
	spread(v, passes, s);
	printf(" %5.2f [%4.2f-%4.2f]", s[0], s[1], s[2]);
}

/* Medians over the passes; ratios as median [min-max]. */
static void print_summary(void)
{
	printf("\nsummary over %d passes: ns/insn medians; ratios median [min-max] of the passes\n",
	       passes);
	printf("%-8s %6s %8s | %9s %9s %9s %9s | %18s %18s %18s\n", "bench",
	       "insns", "executed", "kbpf", "native", "linux", "jit",
	       "kbpf/linux", "native/jit", "native/kbpf");
	for (int id = 0; id < BENCH_COUNT; id++) {
		const struct loaded *l = rows[id];

		print_row_start(&l[0]);
		for (int r = 0; r < RT_COUNT; r++) {
			double v[VM_BENCH_MAX_PASSES], s[3];

			if (!l[r].ok) {
				printf(" %9s", "failed");
				continue;
			}
			memcpy(v, l[r].pass_ns, sizeof(v));
			spread(v, passes, s);
			printf(" %9.2f", s[0] / l[r].bp.executed);
		}
		printf(" |");
		for (int i = 0; i < RATIO_COUNT; i++)
			print_ratio_spread(l, ratios[i][0], ratios[i][1]);
		printf("\n");
	}
}

/*
 * Every measurement on one CPU: under TCG each virtual CPU is a host
 * thread with its own translation caches and its own share of the host.
 */
static void pin_to_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		fprintf(stderr, "cannot pin to CPU 0: %s\n", strerror(errno));
}

static int parse_args(int *argc, char ***argv)
{
	if (*argc >= 3 && !strcmp((*argv)[1], "--passes")) {
		passes = atoi((*argv)[2]);
		*argc -= 2;
		*argv += 2;
	}
	if (passes < 1 || passes > VM_BENCH_MAX_PASSES) {
		fprintf(stderr, "--passes: 1 to %d\n", VM_BENCH_MAX_PASSES);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int failed = 0;

	if (parse_args(&argc, &argv))
		return 1;
	kbpf_fd = open(KBPF_DEVICE_PATH, O_RDWR);
	if (kbpf_fd < 0) {
		fprintf(stderr, "%s: %s (insmod kbpf.ko first)\n",
			KBPF_DEVICE_PATH, strerror(errno));
		return 1;
	}
	if (set_linux_jit("0"))
		return 1;
	pin_to_cpu0();
	pkt_len = bench_packet(pkt, sizeof(pkt));
	/*
	 * A program loaded while a module holds its bytecode runs natively:
	 * every interpreter copy is loaded before the modules go in.
	 */
	prepare_runtime(RT_KBPF);
	prepare_runtime(RT_LINUX);
	prepare_runtime(RT_JIT);
	if (insert_modules(argc - 1, argv + 1))
		failed = 1;
	prepare_runtime(RT_NATIVE);
	print_header();
	for (int pass = 0; pass < passes; pass++) {
		char title[64];

		snprintf(title, sizeof(title), "pass %d of %d", pass + 1, passes);
		print_table_header(title);
		for (int id = 0; id < BENCH_COUNT; id++)
			failed |= bench_row(id, pass);
	}
	print_summary();
	for (int id = 0; id < BENCH_COUNT; id++)
		for (int r = 0; r < RT_COUNT; r++)
			release(&rows[id][r]);
	close(kbpf_fd);
	return failed ? 1 : 0;
}
