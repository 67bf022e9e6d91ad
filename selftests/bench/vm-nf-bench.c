// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf-vm-nf-bench: inside the VM, what one accept-all program costs a
 * packet at ipv4/local_in, with K = 1, 4 and 16 programs attached:
 *
 *   kbpf          K kbpf programs in one chain, run by kbpf's one
 *                 dispatcher for the hook point (throughput policy,
 *                 statistics off: the module's defaults)
 *   linux-interp  K BPF_PROG_TYPE_NETFILTER programs, each in its own
 *                 BPF_LINK_CREATE link (one nf_hook_ops per link), loaded
 *                 with net.core.bpf_jit_enable=0: the kernel's interpreter
 *   linux-jit     the same, loaded with bpf_jit_enable=1: JIT-compiled
 *   kbpf-deadline kbpf again, the hook point under the deadline policy
 *                 (metered runs, clock reads, deadline accounting)
 *
 * Each configuration lives in its own network namespace, with a UDP socket
 * pair on that namespace's loopback, so all thirteen (the baseline without
 * any program, and three K for each of the four runtimes) are set up once and
 * measured in alternation.  Each is set up three times over (instances, in
 * namespaces of their own): under TCG what a packet costs depends on where
 * its objects landed (softmmu TLB slots are direct-mapped by address), so
 * one instance of a configuration can be a lucky or unlucky draw of its
 * own, by a factor of two at K = 1; the figures take the median instance.  A packet goes out and comes back in within the
 * sender's sendmmsg() (loopback's receive softirq runs when the transmit
 * path enables bottom halves again), so the time per packet includes
 * local_in exactly once; the bench runs on CPU 0 only.
 *
 * A sweep sends one batch of 64 packets through every instance, the
 * starting one rotating; a round is as many sweeps as fill about 1 s.
 * Per round and instance: ns per packet is the median over the sweeps, and
 * ns per program the median over the sweeps of (batch with K programs -
 * the median of the same sweep's baseline batches) / K, so a host hiccup
 * hits one sweep and both sides of a difference alike; a configuration's
 * figure of the round is the median of its instances'.  Printed: median
 * and min-max over the rounds, each instance's median, and the ratios of
 * the medians.  TCG's timings are emulated: the
 * ratios are the figures, not the nanoseconds.
 *
 *   kbpf-vm-nf-bench [ROUNDS]
 *
 * Prints figures and never fails on time.  It fails when something cannot
 * be set up, a packet is lost, or a program did not run for every packet
 * (kbpf's run counters; for Linux, run_cnt under kernel.bpf_stats_enabled
 * on a short check burst after the measurements): a fast wrong answer is
 * not a figure.  Built -static: the VM's initramfs has no libbpf.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>

/* Linux 6.4+ netfilter programs; the build host's uapi headers are 6.1's. */
#define NFB_PROG_TYPE_NETFILTER	32	/* BPF_PROG_TYPE_NETFILTER */
#define NFB_ATTACH_NETFILTER	45	/* BPF_NETFILTER */
#define NFB_NFPROTO_IPV4	2
#define NFB_NF_INET_LOCAL_IN	1

/* union bpf_attr's link_create as 6.4+ lays it out for netfilter links. */
struct nfb_link_create_attr {
	__u32 prog_fd;
	__u32 target_fd;
	__u32 attach_type;
	__u32 flags;
	__u32 pf;
	__u32 hooknum;
	__s32 priority;
	__u32 nf_flags;
};

#define NFB_MAX_K		16
#define NFB_BATCH		64	/* packets per sendmmsg() */
#define NFB_PAYLOAD		32
#define NFB_ROUND_NS		(1000ULL * 1000 * 1000)	/* a round's length */
#define NFB_MAX_SWEEPS		256
#define NFB_DEFAULT_ROUNDS	15
#define NFB_CHECK_BURST		256
#define NFB_PORT		9999

enum runtime {
	RT_NONE, RT_KBPF, RT_LINUX_INTERP, RT_LINUX_JIT, RT_KBPF_DEADLINE,
	RT_COUNT
};

static const char *const rt_names[RT_COUNT] = {
	[RT_NONE] = "baseline",
	[RT_KBPF] = "kbpf",
	[RT_LINUX_INTERP] = "linux-interp",
	[RT_LINUX_JIT] = "linux-jit",
	[RT_KBPF_DEADLINE] = "kbpf-deadline",
};

static bool is_kbpf(enum runtime rt)
{
	return rt == RT_KBPF || rt == RT_KBPF_DEADLINE;
}

static const int ks[] = { 1, 4, 16 };
#define NFB_NK	(int)(sizeof(ks) / sizeof(ks[0]))
#define NFB_INSTANCES	3
#define NFB_NGROUP	(1 + (RT_COUNT - 1) * NFB_NK)
#define NFB_NCONF	(NFB_NGROUP * NFB_INSTANCES)

/* One instance of a configuration: its namespace, sockets and programs. */
struct conf {
	enum runtime rt;
	int k;
	int inst;
	int tx, rx;			/* connected UDP pair on lo */
	int prog[NFB_MAX_K];		/* Linux: fds; kbpf: ids */
	char kbpf_name[NFB_MAX_K][KBPF_OBJ_NAME_LEN];
	int link[NFB_MAX_K];		/* Linux link fds */
	unsigned long long sent;	/* packets sent through it */
	double batch_ns[NFB_MAX_SWEEPS];	/* this round's batches */
	double *pkt_ns;			/* per round: ns per packet */
	double *prog_ns;		/* per round: ns per program */
};

/* A configuration: the median of its instances, per round. */
struct group {
	enum runtime rt;
	int k;
	struct conf *inst[NFB_INSTANCES];
	double *pkt_ns;
	double *prog_ns;
};

static struct conf confs[NFB_NCONF];
static struct group groups[NFB_NGROUP];
static int kbpf_fd = -1;
static int host_netns = -1;
static int saved_jit = -1;
static char log_buf[16384];

static void die(const char *what)
{
	fprintf(stderr, "kbpf-vm-nf-bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "kbpf-vm-nf-bench: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	exit(1);
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* ---- sysctls ------------------------------------------------------------ */

static int read_int_file(const char *path)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		die(path);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		die(path);
	return atoi(buf);
}

static void write_int_file(const char *path, int v)
{
	char buf[32];
	int fd = open(path, O_WRONLY);
	int len = snprintf(buf, sizeof(buf), "%d\n", v);

	if (fd < 0 || write(fd, buf, len) != len)
		die(path);
	close(fd);
}

#define JIT_SYSCTL	"/proc/sys/net/core/bpf_jit_enable"
#define STATS_SYSCTL	"/proc/sys/kernel/bpf_stats_enabled"

static void restore_jit(void)
{
	if (saved_jit >= 0)
		write_int_file(JIT_SYSCTL, saved_jit);
}

/* ---- namespaces and sockets -------------------------------------------- */

static void enter_new_netns(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int s;

	if (setns(host_netns, CLONE_NEWNET) || unshare(CLONE_NEWNET))
		die("new network namespace");
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr))
		die("lo flags");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr))
		die("lo up");
	close(s);
}

static void open_sockets(struct conf *c)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_port = htons(NFB_PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int rcvbuf = 8 << 20;

	c->rx = socket(AF_INET, SOCK_DGRAM, 0);
	c->tx = socket(AF_INET, SOCK_DGRAM, 0);
	if (c->rx < 0 || c->tx < 0)
		die("socket");
	/* Room for every packet of a batch: none may be lost. */
	if (setsockopt(c->rx, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)))
		die("SO_RCVBUFFORCE");
	if (bind(c->rx, (struct sockaddr *)&addr, sizeof(addr)) ||
	    connect(c->tx, (struct sockaddr *)&addr, sizeof(addr)))
		die("bind/connect on 127.0.0.1");
}

/* ---- programs ----------------------------------------------------------- */

/* r0 = 1 (NF_ACCEPT, KBPF_NF_ACCEPT); exit */
static const struct bpf_insn accept_all[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 1 },
	{ .code = BPF_JMP | BPF_EXIT },
};

static void kbpf_load_accept(struct conf *c, int i)
{
	struct kbpf_prog_load_attr attr = {
		.size = sizeof(attr),
		.prog_type = KBPF_PROG_TYPE_NETFILTER,
		.insns = (__u64)(uintptr_t)accept_all,
		.insn_cnt = 2,
		.log_level = KBPF_LOG_LEVEL_ERRORS,
		.log_buf = (__u64)(uintptr_t)log_buf,
		.log_size = sizeof(log_buf),
	};

	snprintf(c->kbpf_name[i], sizeof(c->kbpf_name[i]), "%s%d_%d_%d",
		 c->rt == RT_KBPF ? "nfb" : "nfd", c->k, c->inst, i);
	memcpy(attr.name, c->kbpf_name[i], sizeof(attr.name));
	log_buf[0] = '\0';
	if (ioctl(kbpf_fd, KBPF_IOC_PROG_LOAD, &attr)) {
		fprintf(stderr, "%s", log_buf);
		die("kbpf prog load");
	}
	c->prog[i] = (int)attr.prog_id;
}

static const char *kbpfctl(void)
{
	const char *p = getenv("KBPFCTL");

	return p && *p ? p : "kbpfctl";
}

/* In c's namespace (the caller is there): kbpfctl attaches by name. */
static void kbpf_attach(struct conf *c, int i)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "%s prog attach %s hook ipv4/local_in",
		 kbpfctl(), c->kbpf_name[i]);
	if (system(cmd))
		fail("'%s' failed", cmd);
}

/*
 * In c's namespace: the hook point under the deadline policy (metered runs,
 * a clock read per program), with the defaults' budget and deadlines.
 */
static void kbpf_hook_deadline(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "%s hook set ipv4/local_in policy deadline",
		 kbpfctl());
	if (system(cmd))
		fail("'%s' failed", cmd);
}

static int linux_load_accept(bool jit)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		    .expected_attach_type = NFB_ATTACH_NETFILTER,
		    .log_buf = log_buf, .log_size = sizeof(log_buf));
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int fd;

	log_buf[0] = '\0';
	fd = bpf_prog_load(NFB_PROG_TYPE_NETFILTER, "nfb_accept", "GPL",
			   accept_all, 2, &opts);
	if (fd < 0) {
		errno = -fd;
		fprintf(stderr, "%s", log_buf);
		die("BPF_PROG_LOAD of a BPF_PROG_TYPE_NETFILTER program (Linux 6.4+)");
	}
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		die("BPF_OBJ_GET_INFO_BY_FD");
	if ((info.jited_prog_len != 0) != jit)
		fail("a program loaded with bpf_jit_enable=%s has the wrong engine",
		     jit ? "1" : "0");
	return fd;
}

/* In c's namespace: one BPF_LINK_CREATE netfilter link per program. */
static int linux_attach(int prog_fd, int priority)
{
	struct nfb_link_create_attr attr = {
		.prog_fd = (__u32)prog_fd,
		.attach_type = NFB_ATTACH_NETFILTER,
		.pf = NFB_NFPROTO_IPV4,
		.hooknum = NFB_NF_INET_LOCAL_IN,
		.priority = priority,
	};
	int fd = (int)syscall(__NR_bpf, BPF_LINK_CREATE, &attr, sizeof(attr));

	if (fd < 0)
		die("BPF_LINK_CREATE netfilter ipv4/local_in");
	return fd;
}

static void setup_conf(struct conf *c, enum runtime rt, int k, int inst,
		       int rounds)
{
	int i;

	c->rt = rt;
	c->k = k;
	c->inst = inst;
	c->pkt_ns = calloc(rounds, sizeof(*c->pkt_ns));
	c->prog_ns = calloc(rounds, sizeof(*c->prog_ns));
	if (!c->pkt_ns || !c->prog_ns)
		die("calloc");
	if (rt == RT_LINUX_INTERP || rt == RT_LINUX_JIT)
		write_int_file(JIT_SYSCTL, rt == RT_LINUX_JIT);
	/* Programs are loaded from the initial namespace, where /dev/kbpf is. */
	for (i = 0; i < k; i++) {
		if (is_kbpf(rt))
			kbpf_load_accept(c, i);
		else if (rt == RT_LINUX_INTERP || rt == RT_LINUX_JIT)
			c->prog[i] = linux_load_accept(rt == RT_LINUX_JIT);
	}
	enter_new_netns();
	open_sockets(c);
	for (i = 0; i < k; i++) {
		if (is_kbpf(rt))
			kbpf_attach(c, i);
		else if (rt != RT_NONE)
			c->link[i] = linux_attach(c->prog[i], i + 1);
	}
	if (rt == RT_KBPF_DEADLINE)
		kbpf_hook_deadline();
	if (setns(host_netns, CLONE_NEWNET))
		die("back to the initial namespace");
}

static void group_init(struct group *g, enum runtime rt, int k, int rounds)
{
	g->rt = rt;
	g->k = k;
	g->pkt_ns = calloc(rounds, sizeof(*g->pkt_ns));
	g->prog_ns = calloc(rounds, sizeof(*g->prog_ns));
	if (!g->pkt_ns || !g->prog_ns)
		die("calloc");
}

/* Instance by instance, so that one group's instances are set up apart. */
static void setup_all(int rounds)
{
	int r, j, inst, g, n = 0;

	for (inst = 0; inst < NFB_INSTANCES; inst++) {
		g = 0;
		if (!inst)
			group_init(&groups[g], RT_NONE, 0, rounds);
		groups[g].inst[inst] = &confs[n];
		setup_conf(&confs[n++], RT_NONE, 0, inst, rounds);
		for (r = RT_KBPF; r < RT_COUNT; r++) {
			for (j = 0; j < NFB_NK; j++) {
				g++;
				if (!inst)
					group_init(&groups[g], r, ks[j], rounds);
				groups[g].inst[inst] = &confs[n];
				setup_conf(&confs[n++], r, ks[j], inst, rounds);
			}
		}
	}
	restore_jit();
}

/* ---- the measurement ---------------------------------------------------- */

/* Send n packets (a multiple of NFB_BATCH) and take them all back. */
static void send_recv(struct conf *c, unsigned int n)
{
	static char payload[NFB_BATCH][NFB_PAYLOAD], sink[NFB_BATCH][NFB_PAYLOAD];
	static struct iovec tx_iov[NFB_BATCH], rx_iov[NFB_BATCH];
	static struct mmsghdr tx[NFB_BATCH], rx[NFB_BATCH];
	unsigned int sent, got;
	int i, m;

	for (i = 0; i < NFB_BATCH; i++) {
		tx_iov[i] = (struct iovec){ payload[i], NFB_PAYLOAD };
		rx_iov[i] = (struct iovec){ sink[i], NFB_PAYLOAD };
		tx[i].msg_hdr = (struct msghdr){ .msg_iov = &tx_iov[i], .msg_iovlen = 1 };
		rx[i].msg_hdr = (struct msghdr){ .msg_iov = &rx_iov[i], .msg_iovlen = 1 };
	}
	for (sent = 0; sent < n; sent += NFB_BATCH) {
		m = sendmmsg(c->tx, tx, NFB_BATCH, 0);
		if (m != NFB_BATCH)
			die("sendmmsg");
		for (got = 0; got < NFB_BATCH; got += m) {
			m = recvmmsg(c->rx, rx, NFB_BATCH - got, MSG_WAITFORONE, NULL);
			if (m <= 0)
				die("recvmmsg (a packet lost?)");
		}
	}
	c->sent += n;
}

/* One batch through c: ns per packet. */
static double measure_batch(struct conf *c)
{
	unsigned long long t0 = now_ns();

	send_recv(c, NFB_BATCH);
	return (double)(now_ns() - t0) / NFB_BATCH;
}

/* Sweeps per round, from the quickest of three sweeps. */
static int calibrate(void)
{
	unsigned long long t0, best = ~0ULL;
	int i, j, sweeps;

	for (i = 0; i < NFB_NCONF; i++)
		send_recv(&confs[i], 4 * NFB_BATCH);	/* warm every path */
	for (j = 0; j < 3; j++) {
		t0 = now_ns();
		for (i = 0; i < NFB_NCONF; i++)
			measure_batch(&confs[i]);
		if (now_ns() - t0 < best)
			best = now_ns() - t0;
	}
	sweeps = (int)(NFB_ROUND_NS / (best + 1));
	return sweeps < 5 ? 5 : sweeps > NFB_MAX_SWEEPS ? NFB_MAX_SWEEPS : sweeps;
}

static double median_of(double *v, int n);

/*
 * A sweep sends one batch through every configuration, starting one
 * further each time, so that a batch and the baseline's batch of the same
 * sweep are a few milliseconds apart and share whatever the host is doing.
 * A round's figures are medians over its sweeps: of ns per packet, and of
 * the difference to the same sweep's baseline, per program.
 */
static void run_round(int r, int sweeps)
{
	static double d[NFB_MAX_SWEEPS], b[NFB_INSTANCES], base[NFB_MAX_SWEEPS];
	int s, i, j;

	for (s = 0; s < sweeps; s++)
		for (i = 0; i < NFB_NCONF; i++) {
			struct conf *c = &confs[(s + i) % NFB_NCONF];

			c->batch_ns[s] = measure_batch(c);
		}
	for (s = 0; s < sweeps; s++) {
		for (j = 0; j < NFB_INSTANCES; j++)
			b[j] = groups[0].inst[j]->batch_ns[s];
		base[s] = median_of(b, NFB_INSTANCES);
	}
	for (i = 0; i < NFB_NCONF; i++) {
		struct conf *c = &confs[i];

		for (s = 0; s < sweeps && c->k; s++)
			d[s] = (c->batch_ns[s] - base[s]) / c->k;
		c->prog_ns[r] = c->k ? median_of(d, sweeps) : 0;
		c->pkt_ns[r] = median_of(c->batch_ns, sweeps);
	}
	for (i = 0; i < NFB_NGROUP; i++) {
		struct group *g = &groups[i];

		for (j = 0; j < NFB_INSTANCES; j++)
			b[j] = g->inst[j]->prog_ns[r];
		g->prog_ns[r] = median_of(b, NFB_INSTANCES);
		for (j = 0; j < NFB_INSTANCES; j++)
			b[j] = g->inst[j]->pkt_ns[r];
		g->pkt_ns[r] = median_of(b, NFB_INSTANCES);
	}
}

/* ---- checks: every program ran for every packet ------------------------- */

/* kbpf: the attachment's "runs" counter, from kbpfctl -j prog show. */
static unsigned long long kbpf_runs(const char *name)
{
	unsigned long long runs = 0;
	static char line[8192];
	char cmd[256], *p;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "%s -j prog show name %s", kbpfctl(), name);
	f = popen(cmd, "r");
	if (!f)
		die("popen kbpfctl");
	while (fgets(line, sizeof(line), f)) {
		p = strstr(line, "\"stats\":{\"runs\":");
		if (p)
			runs = strtoull(p + strlen("\"stats\":{\"runs\":"), NULL, 10);
	}
	pclose(f);
	return runs;
}

static unsigned long long linux_run_cnt(int fd)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		die("BPF_OBJ_GET_INFO_BY_FD");
	return info.run_cnt;
}

static void check_ran(void)
{
	static unsigned long long before[NFB_NCONF][NFB_MAX_K];
	int saved_stats = read_int_file(STATS_SYSCTL);
	char what[128];
	int i, j;

	for (i = 0; i < NFB_NCONF; i++) {
		struct conf *c = &confs[i];

		for (j = 0; j < c->k && is_kbpf(c->rt); j++)
			if (kbpf_runs(c->kbpf_name[j]) < c->sent)
				fail("kbpf program %s ran for fewer packets than were sent",
				     c->kbpf_name[j]);
	}
	write_int_file(STATS_SYSCTL, 1);
	for (i = 0; i < NFB_NCONF; i++)
		for (j = 0; j < confs[i].k && !is_kbpf(confs[i].rt); j++)
			before[i][j] = linux_run_cnt(confs[i].prog[j]);
	for (i = 0; i < NFB_NCONF; i++)
		send_recv(&confs[i], NFB_CHECK_BURST);
	write_int_file(STATS_SYSCTL, saved_stats);
	for (i = 0; i < NFB_NCONF; i++) {
		struct conf *c = &confs[i];

		for (j = 0; j < c->k && !is_kbpf(c->rt); j++) {
			if (linux_run_cnt(c->prog[j]) - before[i][j] >= NFB_CHECK_BURST)
				continue;
			snprintf(what, sizeof(what),
				 "%s K=%d (instance %d) program %d",
				 rt_names[c->rt], c->k, c->inst, j);
			fail("%s did not run for every packet (run_cnt)", what);
		}
	}
}

/* ---- figures ------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts v. */
static double median_of(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct spread {
	double median, min, max;
};

static struct spread spread_of(const double *v, int n)
{
	static double s[256];
	struct spread r;

	memcpy(s, v, n * sizeof(*v));
	r.median = median_of(s, n);
	r.min = s[0];
	r.max = s[n - 1];
	return r;
}

static const struct group *find_group(enum runtime rt, int k)
{
	int i;

	for (i = 0; i < NFB_NGROUP; i++)
		if (groups[i].rt == rt && groups[i].k == k)
			return &groups[i];
	return NULL;
}

static void print_ratio(const char *what, enum runtime a, enum runtime b,
			int rounds)
{
	struct spread p, q;
	int j;

	printf("  %-28s", what);
	for (j = 0; j < NFB_NK; j++) {
		p = spread_of(find_group(a, ks[j])->prog_ns, rounds);
		q = spread_of(find_group(b, ks[j])->prog_ns, rounds);
		if (q.median > 0)
			printf("  K=%-2d %5.2f", ks[j], p.median / q.median);
		else
			printf("  K=%-2d     -", ks[j]);
	}
	printf("\n");
}

/*
 * Per round, the line through K = 4 and K = 16: its slope is what one more
 * program costs, its intercept what the hook costs before the first (for
 * kbpf, the dispatcher: context, bottom halves, the hook point's counters).
 */
static void print_fit(enum runtime rt, int rounds)
{
	const struct group *c4 = find_group(rt, 4), *c16 = find_group(rt, 16);
	static double slope[256], fixed[256];
	struct spread sl, fx;
	int r;

	for (r = 0; r < rounds; r++) {
		slope[r] = (16 * c16->prog_ns[r] - 4 * c4->prog_ns[r]) / 12;
		fixed[r] = 4 * c4->prog_ns[r] - 4 * slope[r];
	}
	sl = spread_of(slope, rounds);
	fx = spread_of(fixed, rounds);
	printf("  %-13s %8.1f [%6.1f-%6.1f] %12.1f [%7.1f-%7.1f]\n",
	       rt_names[rt], sl.median, sl.min, sl.max, fx.median, fx.min,
	       fx.max);
}

static void print_figures(int rounds, int sweeps)
{
	struct spread base = spread_of(groups[0].pkt_ns, rounds), p, s;
	int i, j;

	printf("\nnetfilter ipv4/local_in, accept-all programs, UDP over loopback: %d rounds of %d sweeps,\n"
	       "a sweep sends %d packets through each of %d configurations x %d instances (one network\n"
	       "namespace each); per round the median over its sweeps, then over the instances;\n"
	       "printed: median [min-max] over the rounds, then each instance's median ns/program\n",
	       rounds, sweeps, NFB_BATCH, NFB_NGROUP, NFB_INSTANCES);
	printf("baseline (no program): %.0f ns/packet [%.0f-%.0f]\n",
	       base.median, base.min, base.max);
	printf("%-13s %3s %24s %28s  %s\n", "runtime", "K", "ns/packet",
	       "ns/program over baseline", "instances");
	for (i = 1; i < NFB_NGROUP; i++) {
		const struct group *g = &groups[i];

		s = spread_of(g->pkt_ns, rounds);
		p = spread_of(g->prog_ns, rounds);
		printf("%-13s %3d %8.0f [%6.0f-%6.0f] %10.1f [%6.1f-%6.1f] ",
		       rt_names[g->rt], g->k, s.median, s.min, s.max,
		       p.median, p.min, p.max);
		for (j = 0; j < NFB_INSTANCES; j++)
			printf(" %6.1f",
			       spread_of(g->inst[j]->prog_ns, rounds).median);
		printf("\n");
	}
	printf("K = 4 to 16, per round:  ns per added program     fixed ns per packet\n");
	for (i = RT_KBPF; i < RT_COUNT; i++)
		print_fit(i, rounds);
	printf("ratios of the medians of ns/program:\n");
	print_ratio("kbpf / linux-interp", RT_KBPF, RT_LINUX_INTERP, rounds);
	print_ratio("kbpf / linux-jit", RT_KBPF, RT_LINUX_JIT, rounds);
	print_ratio("linux-interp / linux-jit", RT_LINUX_INTERP, RT_LINUX_JIT,
		    rounds);
	print_ratio("kbpf-deadline / kbpf", RT_KBPF_DEADLINE, RT_KBPF, rounds);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : NFB_DEFAULT_ROUNDS;
	cpu_set_t cpu0;
	int r, sweeps;

	if (rounds < 3 || rounds > 256)
		fail("ROUNDS must be 3 to 256, not %s", argv[1]);
	/* Sender, softirq and receiver on one CPU: no cross-CPU wakeups. */
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	if (sched_setaffinity(0, sizeof(cpu0), &cpu0))
		die("sched_setaffinity");
	kbpf_fd = open("/dev/kbpf", O_RDWR);
	if (kbpf_fd < 0)
		die("/dev/kbpf (insmod kbpf.ko first)");
	host_netns = open("/proc/self/ns/net", O_RDONLY);
	if (host_netns < 0)
		die("/proc/self/ns/net");
	saved_jit = read_int_file(JIT_SYSCTL);
	atexit(restore_jit);

	setup_all(rounds);
	sweeps = calibrate();
	for (r = 0; r < rounds; r++)
		run_round(r, sweeps);
	check_ran();
	print_figures(rounds, sweeps);
	return 0;
}
