// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf_stress: kbpf.ko's concurrency under packets, run as root inside the
 * test VM (2 CPUs) on the debug kernel, where lockdep, KASAN and PROVE_RCU
 * watch.  selftests/fuzz-abi/guest.sh runs it (MODE stress).
 *
 *	kbpf_stress [-d SECONDS] KBPF_KO
 *
 * Phases, each with one UDP flooder pinned to every CPU:
 *
 *  1. maps: a program attached to ipv4/local_out and ipv4/local_in updates,
 *     looks up (and increments) and deletes elements of one hash map, and
 *     counts packets in a per-CPU array and an array, on every CPU at once,
 *     while userspace processes update, delete and walk (NEXT_KEY + lookup)
 *     the same hash map.  Afterwards the per-CPU counters must add up to
 *     the program's run count.
 *  2. churn: load, attach to two hooks, detach one, unload while attached,
 *     over and over, with the floods running.
 *  3. netns: namespaces that attach the program and flood their own
 *     loopback are killed mid-flood; their attachments must go.
 *  4. rmmod: `rmmod kbpf` with programs attached, maps in use and the
 *     floods running; insmod again; three times.
 *
 * Prints figures per phase and "kbpf_stress: N problems"; exit 1 if any.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "raw.h"

#define NCPU_MAX	64
#define HASH_KEYS	16

static struct kraw K;
static const char *module_path;
static int problems;
static int ncpus;
/* Shared with the children: packets sent, userspace map operations. */
static volatile unsigned long *shared;
enum { SH_PACKETS, SH_MAP_OPS, SH_MAP_ERRS, SH_ITER_WALKS, NR_SHARED };

static void __printf(1, 2) problem(const char *fmt, ...)
{
	va_list ap;

	problems++;
	printf("kbpf_stress: PROBLEM: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % ncpus, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* ---- traffic ---------------------------------------------------------------- */

static void lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		return;
	if (!ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
}

/* UDP to 127.0.0.1:9 as fast as possible until killed. */
static void __attribute__((noreturn)) flood(int cpu)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	char payload[64] = "kbpf stress";
	unsigned long n = 0;
	int fd;

	/* An inherited /dev/kbpf would pin the module (rmmod phase). */
	kraw_close(&K);
	pin(cpu);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		_exit(1);
	for (;;) {
		/* Lengths vary, so the program's keys do. */
		sendto(fd, payload, 1 + (n & 31), MSG_DONTWAIT, (void *)&to, sizeof(to));
		if (++n % 64 == 0)
			__atomic_add_fetch(&shared[SH_PACKETS], 64, __ATOMIC_RELAXED);
	}
}

static pid_t floods[NCPU_MAX];

static void start_floods(void)
{
	for (int c = 0; c < ncpus; c++) {
		floods[c] = fork();
		if (!floods[c])
			flood(c);
	}
}

static void stop_pids(pid_t *pids, int n)
{
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGKILL);
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			waitpid(pids[i], NULL, 0);
	memset(pids, 0, n * sizeof(*pids));
}

/* ---- the program ------------------------------------------------------------- */

#define I(c, d, s, o, i) ((struct kbpf_insn){ .code = (c), .dst_reg = (d), \
					       .src_reg = (s), .off = (o), .imm = (i) })
#define LD_MAP(d, id)	I(0x18, d, KBPF_PSEUDO_MAP_ID, 0, id), I(0, 0, 0, 0, 0)

static __u32 hash_id, percpu_id, array_id;

/*
 * key = ctx->len & 15; hash[key] = len; hash[key]++ through the lookup
 * pointer; delete hash[key ^ 1]; percpu[0]++; array[key & 3]++; accept.
 */
static int build_prog(struct kbpf_insn *p)
{
	struct kbpf_insn prog[] = {
		I(0xbf, 6, 1, 0, 0),				/* r6 = ctx */
		I(0x61, 7, 6, offsetof(struct kbpf_nf_ctx, len), 0), /* r7 = len */
		I(0x57, 7, 0, 0, HASH_KEYS - 1),		/* r7 &= 15 */
		I(0x63, 10, 7, -4, 0),				/* *(u32 *)(fp-4) = r7 */
		I(0x7b, 10, 7, -16, 0),				/* *(u64 *)(fp-16) = r7 */
		LD_MAP(1, hash_id),
		I(0xbf, 2, 10, 0, 0), I(0x07, 2, 0, 0, -4),	/* r2 = fp-4 */
		I(0xbf, 3, 10, 0, 0), I(0x07, 3, 0, 0, -16),	/* r3 = fp-16 */
		I(0xb7, 4, 0, 0, 0),				/* BPF_ANY */
		I(0x85, 0, 0, 0, 2),				/* map_update_elem */
		LD_MAP(1, hash_id),
		I(0xbf, 2, 10, 0, 0), I(0x07, 2, 0, 0, -4),
		I(0x85, 0, 0, 0, 1),				/* map_lookup_elem */
		I(0x15, 0, 0, 3, 0),				/* if r0 == 0 skip 3 */
		I(0x79, 1, 0, 0, 0), I(0x07, 1, 0, 0, 1), I(0x7b, 0, 1, 0, 0),
		I(0xa7, 7, 0, 0, 1),				/* r7 ^= 1 */
		I(0x63, 10, 7, -8, 0),				/* *(u32 *)(fp-8) = r7 */
		LD_MAP(1, hash_id),
		I(0xbf, 2, 10, 0, 0), I(0x07, 2, 0, 0, -8),
		I(0x85, 0, 0, 0, 3),				/* map_delete_elem */
		I(0x62, 10, 0, -4, 0),				/* *(u32 *)(fp-4) = 0 */
		LD_MAP(1, percpu_id),
		I(0xbf, 2, 10, 0, 0), I(0x07, 2, 0, 0, -4),
		I(0x85, 0, 0, 0, 1),
		I(0x15, 0, 0, 3, 0),
		I(0x79, 1, 0, 0, 0), I(0x07, 1, 0, 0, 1), I(0x7b, 0, 1, 0, 0),
		I(0x57, 7, 0, 0, 3),				/* r7 &= 3 */
		I(0x63, 10, 7, -4, 0),
		LD_MAP(1, array_id),
		I(0xbf, 2, 10, 0, 0), I(0x07, 2, 0, 0, -4),
		I(0x85, 0, 0, 0, 1),
		I(0x15, 0, 0, 3, 0),
		I(0x79, 1, 0, 0, 0), I(0x07, 1, 0, 0, 1), I(0x7b, 0, 1, 0, 0),
		I(0xb7, 0, 0, 0, KBPF_NF_ACCEPT),
		I(0x95, 0, 0, 0, 0),
	};

	memcpy(p, prog, sizeof(prog));
	return ARRAY_SIZE(prog);
}

static int load_prog(const char *name, __u32 *id)
{
	struct kbpf_insn insns[64];
	static char log[65536];
	struct kbpf_prog_load_attr a = {
		.size = sizeof(a),
		.prog_type = KBPF_PROG_TYPE_NETFILTER,
		.insns = ptr_to_u64(insns),
		.log_level = KBPF_LOG_LEVEL_ERRORS,
		.log_buf = ptr_to_u64(log),
		.log_size = sizeof(log),
	};
	int err;

	a.insn_cnt = build_prog(insns);
	snprintf(a.name, sizeof(a.name), "%s", name);
	err = kraw_ioctl(&K, KBPF_IOC_PROG_LOAD, &a);
	if (err)
		problem("load %s: %s\n%s", name, strerror(-err), log);
	else
		*id = a.prog_id;
	return err;
}

static int create_maps(void)
{
	return kraw_map_create(&K, "st_hash", KBPF_MAP_TYPE_HASH, 4, 8, HASH_KEYS, &hash_id) ?:
	       kraw_map_create(&K, "st_percpu", KBPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 1, &percpu_id) ?:
	       kraw_map_create(&K, "st_array", KBPF_MAP_TYPE_ARRAY, 4, 8, 4, &array_id);
}

/* ---- userspace on the same map ------------------------------------------------ */

static void __attribute__((noreturn)) map_worker(int kind, int cpu)
{
	struct kraw k;
	__u32 key = 0, next;
	__u64 val = 0;
	int err;

	kraw_close(&K);
	pin(cpu);
	if (kraw_open(&k))
		_exit(1);
	for (unsigned long n = 0;; n++) {
		key = (key * 1103515245 + 12345) & (HASH_KEYS - 1);
		switch (kind) {
		case 0:
			val = n;
			err = kraw_map_op(&k, KBPF_IOC_MAP_UPDATE, hash_id, &key, &val, KBPF_ANY);
			/* A full map refuses a new key: the program fills it too. */
			if (err == -E2BIG)
				err = 0;
			break;
		case 1:
			err = kraw_map_op(&k, KBPF_IOC_MAP_DELETE, hash_id, &key, NULL, 0);
			if (err == -ENOENT)
				err = 0;
			break;
		default:
			/* Walk the whole map, looking up each key. */
			err = 0;
			for (int steps = 0; steps <= HASH_KEYS * 4; steps++) {
				int e = kraw_map_op(&k, KBPF_IOC_MAP_NEXT_KEY, hash_id,
						    steps ? &key : NULL, &next, 0);

				if (e == -ENOENT)
					break;
				if (e) {
					err = e;
					break;
				}
				if (next >= HASH_KEYS) {
					err = -EBADMSG;
					break;
				}
				key = next;
				e = kraw_map_op(&k, KBPF_IOC_MAP_LOOKUP, hash_id, &key, &val, 0);
				if (e && e != -ENOENT)
					err = e;
			}
			__atomic_add_fetch(&shared[SH_ITER_WALKS], 1, __ATOMIC_RELAXED);
			break;
		}
		__atomic_add_fetch(&shared[SH_MAP_OPS], 1, __ATOMIC_RELAXED);
		if (err)
			__atomic_add_fetch(&shared[SH_MAP_ERRS], 1, __ATOMIC_RELAXED);
	}
}

/* Sum of a per-CPU u64 array element over every CPU. */
static __u64 percpu_sum(void)
{
	__u64 vals[256] = { 0 }, sum = 0;
	__u32 key = 0;
	int err = kraw_map_op(&K, KBPF_IOC_MAP_LOOKUP, percpu_id, &key, vals, 0);

	if (err)
		problem("lookup of the per-CPU counter: %s", strerror(-err));
	for (long c = 0; c < sysconf(_SC_NPROCESSORS_CONF) && c < 256; c++)
		sum += vals[c];
	return sum;
}

struct run_cnt_reply {
	__u64 run_cnt;
};

static void run_cnt_reply(const struct nlmsghdr *h, void *arg)
{
	struct run_cnt_reply *r = arg;
	const struct nlattr *a;
	int rem;

	for (a = genl_attrs(h, &rem); NLA_OK(a, rem); a = NLA_NEXT(a, rem))
		if ((a->nla_type & NLA_TYPE_MASK) == KBPF_A_PROG_RUN_CNT)
			memcpy(&r->run_cnt, NLA_DATA(a), sizeof(r->run_cnt));
}

static __u64 prog_run_cnt(__u32 id)
{
	struct run_cnt_reply r = { 0 };
	struct nlbuf m;

	nl_begin(&K, &m, KBPF_CMD_PROG_GET, 0);
	nl_put_u32(&m, KBPF_A_PROG_ID, id);
	if (nl_transact(&K, &m, 0, run_cnt_reply, &r))
		problem("PROG_GET %u failed", id);
	return r.run_cnt;
}

static void phase_maps(double secs)
{
	pid_t workers[3 * NCPU_MAX] = { 0 };
	unsigned long pkts0 = shared[SH_PACKETS];
	__u64 runs, counted;
	int nw = 0, err;
	__u32 prog;

	if (load_prog("st_maps", &prog))
		return;
	err = kraw_attach(&K, prog, KBPF_NF_FAMILY_IPV4, KBPF_NF_HOOK_LOCAL_OUT, 0) ?:
	      kraw_attach(&K, prog, KBPF_NF_FAMILY_IPV4, KBPF_NF_HOOK_LOCAL_IN, 0);
	if (err)
		problem("attach st_maps: %s", strerror(-err));
	for (int kind = 0; kind < 3; kind++)
		for (int c = 0; c < ncpus; c++) {
			workers[nw] = fork();
			if (!workers[nw])
				map_worker(kind, c);
			nw++;
		}
	start_floods();
	usleep(secs * 1e6);
	stop_pids(floods, ncpus);
	stop_pids(workers, nw);
	/* The last packets may still be in a softirq. */
	usleep(300000);
	kraw_detach(&K, prog);
	runs = prog_run_cnt(prog);
	counted = percpu_sum();
	printf("kbpf_stress: maps: %lu packets sent, %llu program runs on %d CPUs, "
	       "%lu userspace map operations (%lu full walks), %lu errors\n",
	       shared[SH_PACKETS] - pkts0, (unsigned long long)runs, ncpus,
	       shared[SH_MAP_OPS], shared[SH_ITER_WALKS], shared[SH_MAP_ERRS]);
	if (shared[SH_MAP_ERRS])
		problem("%lu userspace map operations failed", shared[SH_MAP_ERRS]);
	if (!runs)
		problem("the program never ran");
	/*
	 * A program in process context (local_out) may be interrupted on its
	 * CPU by the softirq that runs it for local_in, as in Linux: a
	 * non-atomic per-CPU increment can then be lost, never invented.
	 */
	printf("kbpf_stress: maps: per-CPU counter %llu of %llu runs (%llu increments lost to nesting)\n",
	       (unsigned long long)counted, (unsigned long long)runs,
	       (unsigned long long)(runs > counted ? runs - counted : 0));
	if (counted > runs)
		problem("per-CPU packet counter sums to %llu, more than the %llu runs",
			(unsigned long long)counted, (unsigned long long)runs);
	err = kraw_unload(&K, prog);
	if (err)
		problem("unload st_maps: %s", strerror(-err));
}

/* ---- attach / detach / unload under traffic ------------------------------------ */

static void phase_churn(double secs)
{
	double end = now() + secs;
	unsigned long cycles = 0;
	__u32 prog;
	int err;

	start_floods();
	while (now() < end) {
		if (load_prog("st_churn", &prog))
			break;
		err = kraw_attach(&K, prog, KBPF_NF_FAMILY_IPV4, KBPF_NF_HOOK_LOCAL_OUT, 0) ?:
		      kraw_attach(&K, prog, KBPF_NF_FAMILY_IPV4, KBPF_NF_HOOK_LOCAL_IN,
				  (int)(cycles % 200) - 100) ?:
		      kraw_attach(&K, prog, KBPF_NF_FAMILY_IPV6, KBPF_NF_HOOK_LOCAL_OUT, 0);
		if (err)
			problem("churn attach: %s (%s)", strerror(-err), K.extack);
		usleep(2000);
		/* Detach one hook, then unload while still attached. */
		struct nlbuf m;

		nl_begin(&K, &m, KBPF_CMD_PROG_DETACH, 0);
		nl_put_u32(&m, KBPF_A_PROG_ID, prog);
		nl_put_u32(&m, KBPF_A_NF_FAMILY, KBPF_NF_FAMILY_IPV4);
		nl_put_u32(&m, KBPF_A_NF_HOOK, KBPF_NF_HOOK_LOCAL_OUT);
		err = nl_transact(&K, &m, 0, NULL, NULL);
		if (err)
			problem("churn detach: %s", strerror(-err));
		usleep(1000);
		err = kraw_unload(&K, prog);
		if (err) {
			problem("churn unload: %s", strerror(-err));
			break;
		}
		cycles++;
	}
	stop_pids(floods, ncpus);
	printf("kbpf_stress: churn: %lu load/attach x3/detach/unload-while-attached cycles under floods\n",
	       cycles);
}

/* ---- namespaces dying under traffic --------------------------------------------- */

/*
 * In a new namespace: attach the initial namespace's program (the initial
 * admin may attach anywhere), load one of its own with a map of its own,
 * attach that too, flood its loopback from every CPU, wait to be killed.
 */
static void __attribute__((noreturn)) netns_child(__u32 prog, int ready_fd)
{
	static const struct kbpf_insn accept[] = {
		{ .code = 0xb7, .imm = KBPF_NF_ACCEPT }, { .code = 0x95 },
	};
	struct kraw k;
	__u32 own;
	char ok = 1;

	kraw_close(&K);
	/* Our flooders go with us: one process group per namespace. */
	setpgid(0, 0);
	if (unshare(CLONE_NEWNET))
		_exit(1);
	lo_up();
	if (kraw_open(&k) ||
	    kraw_attach(&k, prog, KBPF_NF_FAMILY_IPV4, KBPF_NF_HOOK_LOCAL_OUT, 0) ||
	    kraw_attach(&k, prog, KBPF_NF_FAMILY_IPV4, KBPF_NF_HOOK_PRE_ROUTING, 0) ||
	    kraw_map_create(&k, "st_nsmap", KBPF_MAP_TYPE_HASH, 4, 8, 16, NULL) ||
	    kraw_prog_load(&k, "st_ns", accept, ARRAY_SIZE(accept), &own) ||
	    kraw_attach(&k, own, KBPF_NF_FAMILY_IPV4, KBPF_NF_HOOK_LOCAL_IN, 0))
		ok = 0;
	kraw_close(&k);
	for (int c = 1; c < ncpus; c++)
		if (!fork())
			flood(c);
	if (write(ready_fd, &ok, 1) != 1)
		_exit(1);
	flood(0);
}

static struct kraw_list L;

static int count_links(__u32 prog)
{
	if (kraw_list(&K, &L))
		return -1;
	const struct kraw_prog *p = kraw_find_prog(&L, prog);

	return p ? p->n_links : -1;
}

/* Objects the dead namespaces owned that are still listed. */
static int count_ns_objects(void)
{
	int n = 0;

	if (kraw_list(&K, &L))
		return -1;
	for (int i = 0; i < L.n_progs; i++)
		n += !strcmp(L.progs[i].name, "st_ns");
	for (int i = 0; i < L.n_maps; i++)
		n += !strcmp(L.maps[i].name, "st_nsmap");
	return n;
}

static void phase_netns(double secs)
{
	double end = now() + secs, t;
	unsigned long cycles = 0, killed_links = 0;
	__u32 prog;
	int n;

	if (load_prog("st_netns", &prog))
		return;
	/* One attachment in the initial namespace that must survive. */
	if (kraw_attach(&K, prog, KBPF_NF_FAMILY_IPV4, KBPF_NF_HOOK_LOCAL_IN, 0))
		problem("netns: attach in the initial namespace");
	start_floods();
	while (now() < end) {
		pid_t kids[3];
		int pipes[3][2];
		char ok;

		for (int i = 0; i < 3; i++) {
			if (pipe(pipes[i]))
				return;
			kids[i] = fork();
			if (!kids[i])
				netns_child(prog, pipes[i][1]);
			close(pipes[i][1]);
		}
		for (int i = 0; i < 3; i++) {
			if (read(pipes[i][0], &ok, 1) != 1 || !ok)
				problem("netns child %d did not attach", i);
			close(pipes[i][0]);
		}
		n = count_links(prog);
		killed_links += n > 1 ? n - 1 : 0;
		usleep(20000);
		/* Kill the namespaces' processes: their flood sockets and the namespaces die. */
		for (int i = 0; i < 3; i++)
			kill(-kids[i], SIGKILL);
		/* We are the subreaper: reap the namespaces' flooders too. */
		while (waitpid(-1, NULL, WNOHANG) > 0 || kill(-kids[0], 0) == 0 ||
		       kill(-kids[1], 0) == 0 || kill(-kids[2], 0) == 0)
			usleep(1000);
		cycles++;
	}
	stop_pids(floods, ncpus);
	/* Namespaces are torn down by a workqueue after their last user. */
	for (t = now(); now() - t < 30; usleep(200000))
		if (count_links(prog) == 1 && count_ns_objects() == 0)
			break;
	n = count_links(prog);
	if (count_ns_objects())
		problem("%d programs or maps of dead namespaces are still listed",
			count_ns_objects());
	printf("kbpf_stress: netns: %lu rounds of 3 namespaces killed mid-flood (%lu attachments), "
	       "%d left after %.1f s\n", cycles, killed_links, n, now() - t);
	if (n != 1)
		problem("%d attachments remain, want the initial namespace's one", n);
	if (kraw_unload(&K, prog))
		problem("netns: unload");
}

/* ---- rmmod under a flood ----------------------------------------------------------- */

static int insmod(void)
{
	int fd = open(module_path, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return -errno;
	err = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return err;
}

static void phase_rmmod(void)
{
	struct stat st;
	__u32 prog;

	kraw_close(&K);
	start_floods();
	for (int round = 0; round < 3; round++) {
		if (kraw_open(&K)) {
			problem("rmmod round %d: kbpf not usable after insmod", round);
			break;
		}
		if (create_maps() || load_prog("st_rmmod", &prog) ||
		    kraw_attach(&K, prog, KBPF_NF_FAMILY_IPV4, KBPF_NF_HOOK_LOCAL_OUT, 0) ||
		    kraw_attach(&K, prog, KBPF_NF_FAMILY_IPV4, KBPF_NF_HOOK_LOCAL_IN, 0))
			problem("rmmod round %d: setup", round);
		usleep(300000);
		kraw_close(&K);
		if (syscall(SYS_delete_module, "kbpf", O_NONBLOCK))
			problem("rmmod round %d under a flood: %s", round, strerror(errno));
		if (!stat("/sys/module/kbpf", &st) || !stat("/dev/kbpf", &st))
			problem("rmmod round %d left /sys/module/kbpf or /dev/kbpf", round);
		if (insmod())
			problem("insmod after rmmod round %d: %s", round, strerror(errno));
	}
	stop_pids(floods, ncpus);
	printf("kbpf_stress: rmmod: 3 rounds of rmmod with 2 attachments and 3 maps in use, under floods\n");
}

int main(int argc, char **argv)
{
	double secs = 60, start = now();
	int c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt(argc, argv, "d:")) != -1) {
		if (c == 'd')
			secs = atof(optarg);
		else
			return 2;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: kbpf_stress [-d SECONDS] KBPF_KO\n");
		return 2;
	}
	module_path = argv[optind];
	ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (ncpus > NCPU_MAX)
		ncpus = NCPU_MAX;
	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED || kraw_open(&K))
		return 2;
	lo_up();
	printf("kbpf_stress: %d CPUs, %.0f s\n", ncpus, secs);
	if (create_maps()) {
		problem("map create");
		return 1;
	}
	phase_maps(secs * 0.4);
	phase_churn(secs * 0.25);
	phase_netns(secs * 0.25);
	kraw_map_destroy(&K, hash_id);
	kraw_map_destroy(&K, percpu_id);
	kraw_map_destroy(&K, array_id);
	phase_rmmod();
	printf("kbpf_stress: %d problems in %.0f s\n", problems, now() - start);
	return problems ? 1 : 0;
}
