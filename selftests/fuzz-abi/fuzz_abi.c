// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_abi: a structure-aware fuzzer of kbpf.ko's syscall surface, the
 * /dev/kbpf ioctls and the "kbpf" generic netlink family.
 *
 *	fuzz_abi [-d SECONDS] [-n OPS] [-s SEED] [-j WORKERS] [-v]
 *	         [--faults] [--fault-walk KBPF_KO] [--max-nth N]
 *
 * Each worker keeps a model of the objects it created (programs, maps,
 * attachments, small maps' contents) and runs random operations against
 * it (ops.c): generated and mutated programs, map creation with edge
 * geometries, element operations on real maps, test runs, attach, detach,
 * unload, destroy, lookups by id and name, raw netlink messages with random
 * attributes and lying headers, unknown ioctls, unprivileged requests.
 * Every answer must be 0 or a -errno of a sensible class; a well-formed
 * request's answer is predicted from the model; every 40 operations the
 * PROG_GET and MAP_GET dumps are compared with the model.  At the end every
 * object is removed and the module must list none of them.  The module's
 * own health (oops, WARN, KASAN, lockdep, kmemleak) is the caller's to
 * check (selftests/fuzz-abi/run.sh does, inside the VM).
 *
 * --faults makes this task's allocations fail at random while an operation
 * runs (failslab/fail_page_alloc configured by the caller through debugfs;
 * this sets /proc/self/make-it-fail around each operation, never around
 * the checks).  --fault-walk runs fault.c's deterministic walk instead.
 *
 * Output: one "FINDING" line per violated invariant, then a summary with
 * executions and findings; exit status 1 when anything was found.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <signal.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "fuzz.h"

struct fuzz F;

#define CHECK_EVERY	40
#define MAX_REPORTED	200

void ops_init(void);

void finding(const char *fmt, ...)
{
	va_list ap;

	F.st.findings++;
	if (F.st.findings > MAX_REPORTED)
		return;
	printf("FINDING [op %lu %s]: ", F.op_no, F.op_name ? F.op_name : "-");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void vlog(const char *fmt, ...)
{
	va_list ap;

	if (!F.verbose)
		return;
	printf("  [%lu] ", F.op_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void fresh_name(char *buf)
{
	snprintf(buf, KBPF_OBJ_NAME_LEN, "%s%u", F.m.prefix, F.name_seq++);
}

void faults_enable(bool on)
{
	if (F.make_it_fail_fd < 0 || F.faults == on)
		return;
	if (pwrite(F.make_it_fail_fd, on ? "1" : "0", 1, 0) != 1) {
		perror("make-it-fail");
		exit(2);
	}
	F.faults = on;
}

int check_listing(void)
{
	bool faults = F.faults;
	int err, bad;

	faults_enable(false);
	F.st.checks++;
	err = kraw_list(&F.k, F.list);
	F.st.execs += 2;
	faults_enable(faults);
	if (err) {
		finding("PROG_GET/MAP_GET dump failed: %s", strerror(-err));
		return -1;
	}
	bad = model_check_listing(&F.m, F.list, finding, F.last_failed);
	return bad;
}

/* Take the outcome of requests whose answer was lost from the listing. */
static void resync(void)
{
	int i;

	F.needs_resync = false;
	if (kraw_list(&F.k, F.list)) {
		finding("PROG_GET/MAP_GET dump failed");
		return;
	}
	F.st.execs += 2;
	for (i = 0; i < MODEL_MAX_PROGS; i++) {
		struct mprog *p = &F.m.progs[i];
		const struct kraw_prog *lp;

		if (!p->live)
			continue;
		lp = kraw_find_prog(F.list, p->id);
		if (!lp) {
			p->live = false;
			continue;
		}
		p->links = 0;
		for (int j = 0; j < lp->n_links; j++)
			p->links |= LINK_BIT(lp->links[j].family, lp->links[j].hook);
	}
	for (i = 0; i < MODEL_MAX_MAPS; i++)
		if (F.m.maps[i].live && !kraw_find_map(F.list, F.m.maps[i].id))
			F.m.maps[i].live = false;
}

void adopt_unknown(void)
{
	bool faults = F.faults;
	int err;

	faults_enable(false);
	err = kraw_list(&F.k, F.list);
	F.st.execs += 2;
	if (err)
		finding("PROG_GET/MAP_GET dump failed: %s", strerror(-err));
	else if (model_adopt(&F.m, F.list))
		vlog("adopted objects we created without learning their ids");
	if (err) {
		faults_enable(faults);
		return;
	}
	/* With the model full, take back what it could not adopt. */
	for (int i = 0; i < F.list->n_progs; i++)
		if (!model_prog(&F.m, F.list->progs[i].id) && F.m.exclusive)
			answer(kraw_unload(&F.k, F.list->progs[i].id), true);
	for (int i = 0; i < F.list->n_maps; i++)
		if (!model_map(&F.m, F.list->maps[i].id) && F.m.exclusive)
			answer(kraw_map_destroy(&F.k, F.list->maps[i].id), true);
	faults_enable(faults);
}

int cleanup_all(void)
{
	int i, err, bad = 0;

	faults_enable(false);
	for (i = 0; i < MODEL_MAX_PROGS; i++) {
		struct mprog *p = &F.m.progs[i];

		if (!p->live)
			continue;
		err = kraw_unload(&F.k, p->id);
		F.st.execs++;
		if (err) {
			finding("cleanup: unload of program %u failed: %s", p->id, strerror(-err));
			bad++;
		}
		p->live = false;
	}
	for (i = 0; i < MODEL_MAX_MAPS; i++) {
		struct mmap *mm = &F.m.maps[i];

		if (!mm->live)
			continue;
		/* Another worker's mutated program may still use it, for a while. */
		for (int tries = 0; tries < 40; tries++) {
			err = kraw_map_destroy(&F.k, mm->id);
			F.st.execs++;
			if (err != -EBUSY || F.m.exclusive)
				break;
			usleep(500000);
		}
		if (err) {
			finding("cleanup: destroy of map %u failed: %s", mm->id, strerror(-err));
			bad++;
		}
		mm->live = false;
	}
	if (check_listing())
		bad++;
	return bad;
}

/* Relative weights of the operations. */
static const unsigned int weights[NR_OPS] = {
	[OP_PROG_LOAD] = 14, [OP_MAP_CREATE] = 7, [OP_MAP_UPDATE] = 16,
	[OP_MAP_LOOKUP] = 12, [OP_MAP_DELETE] = 7, [OP_MAP_ITERATE] = 3,
	[OP_TEST_RUN] = 10, [OP_ATTACH] = 6, [OP_DETACH] = 4, [OP_UNLOAD] = 4,
	[OP_MAP_DESTROY] = 3, [OP_GENL_GET] = 6, [OP_GENL_RAW] = 8,
	[OP_IOCTL_RAW] = 3, [OP_UNPRIV] = 0, [OP_MAP_BTF] = 4,
};

static enum fuzz_op pick_op(void)
{
	unsigned int total = 0, r, i;

	for (i = 0; i < NR_OPS; i++)
		total += weights[i];
	r = rng_below(&F.r, total);
	for (i = 0; i < NR_OPS; i++) {
		if (r < weights[i])
			return i;
		r -= weights[i];
	}
	return OP_CHECK;
}

/* A crash of the fuzzer itself: say where (addr2line -e fuzz_abi ADDR...). */
static void crash_handler(int sig)
{
	void *frames[32];
	int n = backtrace(frames, 32);

	dprintf(1, "fuzz_abi: signal %d in op %lu (%s); frames:", sig, F.op_no,
		F.op_name ? F.op_name : "-");
	for (int i = 0; i < n; i++)
		dprintf(1, " %p", frames[i]);
	dprintf(1, "\n");
	signal(sig, SIG_DFL);
	raise(sig);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void print_summary(const char *who, double secs)
{
	static const char *const names[NR_OPS] = {
		"prog_load", "map_create", "map_update", "map_lookup", "map_delete",
		"map_iterate", "test_run", "attach", "detach", "unload", "map_destroy",
		"genl_get", "genl_raw", "ioctl_raw", "check", "unpriv", "map_btf",
	};
	unsigned int i;

	printf("%s: ops:", who);
	for (i = 0; i < NR_OPS; i++)
		if (F.st.ops[i])
			printf(" %s=%lu", names[i], F.st.ops[i]);
	printf("\n%s: answers:", who);
	for (i = 0; i < ARRAY_SIZE(F.st.errnos); i++)
		if (F.st.errnos[i])
			printf(" %s=%lu", i ? strerrorname_np(i) ?: "?" : "ok", F.st.errnos[i]);
	printf("\n%s: %lu executions in %.0f s (%.0f/s), %lu operations, %lu listing checks, "
	       "%lu netlink errors without extack, %lu findings\n",
	       who, F.st.execs, secs, secs > 0 ? F.st.execs / secs : 0.0, F.op_no,
	       F.st.checks, F.st.nl_err_no_extack, F.st.findings);
	fflush(stdout);
}

struct options {
	double duration;
	unsigned long max_ops;
	__u64 seed;
	int workers;
	bool faults;
	const char *fault_walk;
	unsigned int max_nth;
	unsigned int check_every;
};

static int fuzz_worker(const struct options *o, int idx)
{
	char prefix[8], who[32];
	double start = now(), end = start + o->duration;
	int bad;

	snprintf(prefix, sizeof(prefix), "fz%d_", idx);
	snprintf(who, sizeof(who), "fuzz_abi[%d]", idx);
	F.m.prefix = prefix;
	F.m.exclusive = o->workers == 1;
	rng_seed(&F.r, o->seed + idx * 0x9e3779b97f4a7c15ULL);
	F.make_it_fail_fd = -1;
	if (o->faults) {
		F.make_it_fail_fd = open("/proc/self/make-it-fail", O_WRONLY);
		if (F.make_it_fail_fd < 0) {
			perror("/proc/self/make-it-fail (a kernel with CONFIG_FAULT_INJECTION?)");
			return 2;
		}
	}
	if (kraw_open(&F.k))
		return 2;
	ops_init();
	printf("%s: seed %llu, %.0f s%s%s\n", who, (unsigned long long)o->seed, o->duration,
	       o->faults ? ", allocation failures on" : "",
	       F.known ? ", steering around known findings" : "");
	fflush(stdout);
	while (now() < end && (!o->max_ops || F.op_no < o->max_ops)) {
		enum fuzz_op op = pick_op();

		F.op_no++;
		faults_enable(o->faults);
		run_op(op);
		faults_enable(false);
		if (F.needs_resync)
			resync();
		if (F.op_no % o->check_every == 0)
			run_op(OP_CHECK);
		/* Unprivileged attempts fork: rarely, and never with faults on. */
		if (F.op_no % 500 == 0)
			run_op(OP_UNPRIV);
	}
	F.op_name = "cleanup";
	bad = cleanup_all();
	if (bad)
		printf("%s: cleanup left %d problems\n", who, bad);
	print_summary(who, now() - start);
	return F.st.findings ? 1 : 0;
}

static int parse_known(const char *list)
{
	static const struct { const char *name; unsigned int bit; } names[] = {
		{ "map-huge", KNOWN_MAP_HUGE },
		{ "create-efault", KNOWN_CREATE_EFAULT },
	};
	char *copy = strdup(list), *tok, *save = NULL;
	unsigned int i;

	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		for (i = 0; i < ARRAY_SIZE(names); i++)
			if (!strcmp(tok, names[i].name))
				break;
		if (i == ARRAY_SIZE(names)) {
			fprintf(stderr, "fuzz_abi: unknown known-issue name '%s'\n", tok);
			free(copy);
			return -1;
		}
		F.known |= names[i].bit;
	}
	free(copy);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: fuzz_abi [-d SECONDS] [-n OPS] [-s SEED] [-j WORKERS] [-v] [-x KNOWN,...]\n"
		"                [--faults] [--fault-walk KBPF_KO [--max-nth N]]\n"
		"  -d  run for SECONDS (default 60)       -n  stop after OPS operations\n"
		"  -s  seed (default: time)               -j  parallel workers (default 1)\n"
		"  -c  compare the listing with the model every N operations (default 40)\n"
		"  -x  steer around known open findings (map-huge, create-efault);\n"
		"      default: $FUZZ_ABI_KNOWN\n"
		"  --faults      fail this task's allocations at random during operations\n"
		"                (failslab/fail_page_alloc set up in debugfs by the caller)\n"
		"  --fault-walk  fail the 1st, 2nd, ... allocation of each scenario\n"
		"                (/proc/thread-self/fail-nth), module load included\n");
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "faults", no_argument, NULL, 'F' },
		{ "fault-walk", required_argument, NULL, 'W' },
		{ "max-nth", required_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct options o = { .duration = 60, .seed = time(NULL), .workers = 1, .max_nth = 400,
			   .check_every = CHECK_EVERY };
	int c, i, status, rc = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGSEGV, crash_handler);
	signal(SIGBUS, crash_handler);
	signal(SIGABRT, crash_handler);
	if (getenv("FUZZ_ABI_KNOWN") && parse_known(getenv("FUZZ_ABI_KNOWN")))
		return 2;
	while ((c = getopt_long(argc, argv, "d:n:s:j:x:c:vh", lopts, NULL)) != -1) {
		switch (c) {
		case 'd': o.duration = atof(optarg); break;
		case 'n': o.max_ops = strtoul(optarg, NULL, 0); break;
		case 's': o.seed = strtoull(optarg, NULL, 0); break;
		case 'j': o.workers = atoi(optarg); break;
		case 'c': o.check_every = atoi(optarg) ?: 1; break;
		case 'v': F.verbose++; break;
		case 'x':
			F.known = 0;
			if (parse_known(optarg))
				return 2;
			break;
		case 'F': o.faults = true; break;
		case 'W': o.fault_walk = optarg; break;
		case 'N': o.max_nth = strtoul(optarg, NULL, 0); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || o.workers < 1 || o.workers > 8) {
		usage(stderr);
		return 2;
	}
	F.page = sysconf(_SC_PAGESIZE);
	F.ncpus = sysconf(_SC_NPROCESSORS_CONF);
	F.list = calloc(1, sizeof(*F.list));
	if (!F.list)
		return 2;
	if (o.fault_walk)
		return fault_walk(o.fault_walk, o.max_nth) ? 1 : 0;
	if (o.workers == 1)
		return fuzz_worker(&o, 0);
	for (i = 0; i < o.workers; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 2;
		}
		if (!pid)
			_exit(fuzz_worker(&o, i));
	}
	for (i = 0; i < o.workers; i++) {
		if (wait(&status) < 0)
			break;
		/* The worst outcome wins: a crashed worker is not a finding. */
		if (!WIFEXITED(status)) {
			printf("fuzz_abi: a worker died of signal %d\n", WTERMSIG(status));
			rc = 2;
		} else if (WEXITSTATUS(status) && rc != 2) {
			rc = WEXITSTATUS(status) == 1 ? 1 : 2;
		}
	}
	return rc;
}
