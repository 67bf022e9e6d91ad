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
 * Paired measurements.  A packet's cost (about 8 us of UDP over loopback
 * under TCG) depends on where its namespace's objects landed (the softmmu
 * TLB is direct-mapped by address) by more than one program costs, so two
 * namespaces cannot be compared to a few ns.  Every figure is therefore a
 * difference inside one namespace: a phase measures batches with nothing
 * attached, attaches the configuration's K programs, measures, detaches
 * them and measures nothing attached again; ns per program is (median
 * batch attached - median batch detached) / K.  Each attach draws new
 * places for the hook's objects (kbpf's hook point and run list, Linux's
 * links and netfilter's hook array), so over many phases a figure averages
 * over placements rather than taking one draw.  The programs are loaded
 * once, before.
 *
 * Phases run in NFB_SLOTS namespaces ("slots", each with a UDP socket
 * pair on its loopback) in rotating order: a round is one phase of every
 * configuration in every slot.  A configuration's figure of the round is
 * the median over the slots; printed are the median and min-max over the
 * rounds and each slot's median over the rounds.  A packet goes out and
 * comes back in within the sender's sendmmsg() (loopback's receive softirq
 * runs when the transmit path enables bottom halves again), so the time
 * per packet includes local_in exactly once; the bench runs on CPU 0 only.
 * TCG's timings are emulated: the ratios are the figures, not the ns.
 *
 *   kbpf-vm-nf-bench [ROUNDS [RUNTIME...]]
 *
 * RUNTIME names the runtimes to measure (default: all four).
 * Prints figures and never fails on time.  It fails when something cannot
 * be set up, a packet is lost, or a program did not run for every packet
 * sent while it was attached (kbpf's run counters; for Linux, run_cnt under
 * kernel.bpf_stats_enabled on a check phase after the measurements): a
 * fast wrong answer is not a figure.  Built -static: the VM's initramfs
 * has no libbpf.
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
#define NFB_PHASE_BATCHES	24	/* measured attached; as many detached */
#define NFB_SLOTS		5
#define NFB_DEFAULT_ROUNDS	15
#define NFB_CHECK_BURST		256
#define NFB_PORT		9999
#define NFB_DEADLINE_PRIO	1	/* kbpf-deadline's hook point */

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
#define NFB_NK		(int)(sizeof(ks) / sizeof(ks[0]))
#define NFB_NCONF	((RT_COUNT - 1) * NFB_NK)

/* A namespace with a connected UDP pair on its loopback. */
struct slot {
	int netns;
	int tx, rx;
};

/* A configuration: K programs of one runtime, loaded once. */
struct conf {
	enum runtime rt;
	int k;
	int prog[NFB_MAX_K];		/* Linux: fds; kbpf: ids */
	int link[NFB_MAX_K];		/* Linux link fds while attached */
	unsigned long long sent;	/* packets sent while attached */
	double *prog_ns;		/* per round: ns per program */
	double *pkt_ns;			/* per round: ns per packet, attached */
	double *slot_ns[NFB_SLOTS];	/* per slot and round: ns per program */
};

static struct slot slots[NFB_SLOTS];
static struct conf confs[NFB_NCONF];
static int nconf;			/* of the runtimes wanted */
static bool rt_wanted[RT_COUNT];
static double *base_pkt_ns;		/* per round: ns per packet, detached */
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

static double *doubles(int n)
{
	double *v = calloc(n, sizeof(*v));

	if (!v)
		die("calloc");
	return v;
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

/* At exit too, from wherever: the sysctl is the initial namespace's. */
static void restore_jit(void)
{
	if (saved_jit < 0 || setns(host_netns, CLONE_NEWNET))
		return;
	write_int_file(JIT_SYSCTL, saved_jit);
}

/* ---- slots: namespaces and sockets -------------------------------------- */

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

static void open_sockets(struct slot *sl)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_port = htons(NFB_PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int rcvbuf = 8 << 20;

	sl->rx = socket(AF_INET, SOCK_DGRAM, 0);
	sl->tx = socket(AF_INET, SOCK_DGRAM, 0);
	if (sl->rx < 0 || sl->tx < 0)
		die("socket");
	/* Room for every packet of a batch: none may be lost. */
	if (setsockopt(sl->rx, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)))
		die("SO_RCVBUFFORCE");
	if (bind(sl->rx, (struct sockaddr *)&addr, sizeof(addr)) ||
	    connect(sl->tx, (struct sockaddr *)&addr, sizeof(addr)))
		die("bind/connect on 127.0.0.1");
}

static void ctl_hdr(struct kbpf_ctl_hdr *hdr, __u32 size, __u32 flags)
{
	hdr->size = size;
	hdr->flags = flags;
	hdr->log_buf = (__u64)(uintptr_t)log_buf;
	hdr->log_size = sizeof(log_buf);
	log_buf[0] = '\0';
}

static void kbpf_ioctl(unsigned long cmd, void *attr, const char *what)
{
	if (ioctl(kbpf_fd, cmd, attr)) {
		fprintf(stderr, "%s\n", log_buf);
		die(what);
	}
}

/*
 * In the caller's (the slot's) namespace: kbpf-deadline's hook point, under
 * the deadline policy (metered runs, a clock read per program) with the
 * defaults' budget and deadlines.  It keeps its policy while empty.
 */
static void kbpf_hook_deadline(void)
{
	struct kbpf_hook_set_attr attr = {
		.hook = {
			.family = KBPF_NF_FAMILY_IPV4,
			.hook = KBPF_NF_HOOK_LOCAL_IN,
			.nf_prio = NFB_DEADLINE_PRIO,
		},
		.policy = KBPF_SCHED_DEADLINE,
	};

	ctl_hdr(&attr.hdr, sizeof(attr), KBPF_HOOK_SET_F_POLICY);
	kbpf_ioctl(KBPF_IOC_HOOK_SET, &attr, "KBPF_IOC_HOOK_SET deadline");
}

static void setup_slots(void)
{
	int i;

	for (i = 0; i < NFB_SLOTS; i++) {
		enter_new_netns();
		open_sockets(&slots[i]);
		kbpf_hook_deadline();
		slots[i].netns = open("/proc/self/ns/net", O_RDONLY);
		if (slots[i].netns < 0)
			die("/proc/self/ns/net");
	}
	if (setns(host_netns, CLONE_NEWNET))
		die("back to the initial namespace");
}

/* ---- programs ----------------------------------------------------------- */

/* r0 = 1 (NF_ACCEPT, KBPF_NF_ACCEPT); exit */
static const struct bpf_insn accept_all[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 1 },
	{ .code = BPF_JMP | BPF_EXIT },
};

static int kbpf_load_accept(const struct conf *c, int i)
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

	snprintf(attr.name, sizeof(attr.name), "%s%d_%d",
		 c->rt == RT_KBPF ? "nfb" : "nfd", c->k, i);
	log_buf[0] = '\0';
	kbpf_ioctl(KBPF_IOC_PROG_LOAD, &attr, "kbpf prog load");
	return (int)attr.prog_id;
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

static void load_confs(int rounds)
{
	int r, j, i;

	for (r = RT_KBPF; r < RT_COUNT; r++) {
		if (!rt_wanted[r])
			continue;
		for (j = 0; j < NFB_NK; j++) {
			struct conf *c = &confs[nconf++];

			c->rt = r;
			c->k = ks[j];
			c->prog_ns = doubles(rounds);
			c->pkt_ns = doubles(rounds);
			for (i = 0; i < NFB_SLOTS; i++)
				c->slot_ns[i] = doubles(rounds);
			if (!is_kbpf(r))
				write_int_file(JIT_SYSCTL, r == RT_LINUX_JIT);
			for (i = 0; i < c->k; i++)
				c->prog[i] = is_kbpf(r) ?
					     kbpf_load_accept(c, i) :
					     linux_load_accept(r == RT_LINUX_JIT);
		}
	}
	restore_jit();
	base_pkt_ns = doubles(rounds);
}

/* ---- attach and detach, in the caller's (a slot's) namespace ------------ */

static void kbpf_attach(const struct conf *c, int i)
{
	struct kbpf_prog_attach_attr attr = {
		.prog_id = (__u32)c->prog[i],
		.hook = {
			.family = KBPF_NF_FAMILY_IPV4,
			.hook = KBPF_NF_HOOK_LOCAL_IN,
			.nf_prio = c->rt == RT_KBPF_DEADLINE ?
				   NFB_DEADLINE_PRIO : 0,
		},
	};

	ctl_hdr(&attr.hdr, sizeof(attr), 0);
	kbpf_ioctl(KBPF_IOC_PROG_ATTACH, &attr, "KBPF_IOC_PROG_ATTACH");
}

static void kbpf_detach(const struct conf *c, int i)
{
	struct kbpf_prog_detach_attr attr = {
		.prog_id = (__u32)c->prog[i],
	};

	ctl_hdr(&attr.hdr, sizeof(attr), KBPF_DETACH_F_ALL);
	kbpf_ioctl(KBPF_IOC_PROG_DETACH, &attr, "KBPF_IOC_PROG_DETACH");
}

/* One BPF_LINK_CREATE netfilter link per program. */
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

/*
 * BPF_LINK_DETACH takes the hook away now; a close() alone would leave it
 * to a worker, and the next baseline batches might still run it.
 */
static void linux_detach(int link_fd)
{
	if (bpf_link_detach(link_fd))
		die("BPF_LINK_DETACH");
	close(link_fd);
}

static void attach_conf(struct conf *c, const struct slot *sl)
{
	int i;

	if (setns(sl->netns, CLONE_NEWNET))
		die("setns to a slot");
	for (i = 0; i < c->k; i++) {
		if (is_kbpf(c->rt))
			kbpf_attach(c, i);
		else
			c->link[i] = linux_attach(c->prog[i], i + 1);
	}
}

static void detach_conf(struct conf *c)
{
	int i;

	for (i = 0; i < c->k; i++) {
		if (is_kbpf(c->rt))
			kbpf_detach(c, i);
		else
			linux_detach(c->link[i]);
	}
}

/* ---- the measurement ---------------------------------------------------- */

/* Send n packets (a multiple of NFB_BATCH) through sl and take them back. */
static void send_recv(const struct slot *sl, unsigned int n)
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
		m = sendmmsg(sl->tx, tx, NFB_BATCH, 0);
		if (m != NFB_BATCH)
			die("sendmmsg");
		for (got = 0; got < NFB_BATCH; got += m) {
			m = recvmmsg(sl->rx, rx, NFB_BATCH - got, MSG_WAITFORONE, NULL);
			if (m <= 0)
				die("recvmmsg (a packet lost?)");
		}
	}
}

/* n batches through sl: ns per packet of each into v. */
static void measure_batches(const struct slot *sl, double *v, int n)
{
	unsigned long long t0;
	int i;

	for (i = 0; i < n; i++) {
		t0 = now_ns();
		send_recv(sl, NFB_BATCH);
		v[i] = (double)(now_ns() - t0) / NFB_BATCH;
	}
}

static double median_of(double *v, int n);

/*
 * One phase of c in sl: detached, attached, detached again; the detached
 * batches are taken on both sides so that a drift of the host hits both
 * medians alike.  ns per program into *prog, ns per packet into the rest.
 */
static void phase(struct conf *c, const struct slot *sl, double *prog,
		  double *pkt, double *base)
{
	double off[NFB_PHASE_BATCHES], on[NFB_PHASE_BATCHES];
	const int half = NFB_PHASE_BATCHES / 2;

	measure_batches(sl, off, half);
	attach_conf(c, sl);
	send_recv(sl, NFB_BATCH);	/* the new hook's first packets */
	measure_batches(sl, on, NFB_PHASE_BATCHES);
	c->sent += (NFB_PHASE_BATCHES + 1) * NFB_BATCH;
	detach_conf(c);
	measure_batches(sl, off + half, NFB_PHASE_BATCHES - half);
	*pkt = median_of(on, NFB_PHASE_BATCHES);
	*base = median_of(off, NFB_PHASE_BATCHES);
	*prog = (*pkt - *base) / c->k;
}

/*
 * A round: a phase of every configuration in every slot, both orders
 * rotating with the round.  A configuration's figure of the round is the
 * median over the slots.
 */
static void run_round(int r)
{
	static double pkt[NFB_NCONF][NFB_SLOTS], base[NFB_NCONF * NFB_SLOTS];
	double v[NFB_SLOTS];
	int s, i, n = 0;

	for (s = 0; s < NFB_SLOTS; s++) {
		int si = (s + r) % NFB_SLOTS;

		for (i = 0; i < nconf; i++) {
			int ci = (i + r + s) % nconf;
			struct conf *c = &confs[ci];

			phase(c, &slots[si], &c->slot_ns[si][r], &pkt[ci][si],
			      &base[n++]);
		}
	}
	for (i = 0; i < nconf; i++) {
		struct conf *c = &confs[i];

		for (s = 0; s < NFB_SLOTS; s++)
			v[s] = c->slot_ns[s][r];
		c->prog_ns[r] = median_of(v, NFB_SLOTS);
		c->pkt_ns[r] = median_of(pkt[i], NFB_SLOTS);
	}
	base_pkt_ns[r] = median_of(base, n);
	if (setns(host_netns, CLONE_NEWNET))
		die("back to the initial namespace");
}

/* ---- checks: every program ran for every packet ------------------------- */

static unsigned long long kbpf_run_cnt(int id)
{
	struct kbpf_prog_info_attr attr = { .prog_id = (__u32)id };

	ctl_hdr(&attr.hdr, sizeof(attr), 0);
	kbpf_ioctl(KBPF_IOC_PROG_GET_INFO, &attr, "KBPF_IOC_PROG_GET_INFO");
	return attr.run_cnt;
}

static unsigned long long linux_run_cnt(int fd)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		die("BPF_OBJ_GET_INFO_BY_FD");
	return info.run_cnt;
}

static void fail_conf(const struct conf *c, int i, const char *how)
{
	char what[128];

	snprintf(what, sizeof(what), "%s K=%d program %d %s", rt_names[c->rt],
		 c->k, i, how);
	fail("%s", what);
}

/*
 * kbpf counts every run; Linux counts runs only under bpf_stats_enabled,
 * which costs time, so Linux's programs are checked on a burst of their
 * own after the measurements.
 */
static void check_ran(void)
{
	static unsigned long long before[NFB_NCONF][NFB_MAX_K];
	int saved_stats = read_int_file(STATS_SYSCTL);
	int i, j;

	for (i = 0; i < nconf; i++) {
		struct conf *c = &confs[i];

		for (j = 0; j < c->k && is_kbpf(c->rt); j++)
			if (kbpf_run_cnt(c->prog[j]) < c->sent)
				fail_conf(c, j, "ran for fewer packets than were sent");
	}
	write_int_file(STATS_SYSCTL, 1);
	for (i = 0; i < nconf; i++) {
		struct conf *c = &confs[i];

		if (is_kbpf(c->rt))
			continue;
		for (j = 0; j < c->k; j++)
			before[i][j] = linux_run_cnt(c->prog[j]);
		attach_conf(c, &slots[0]);
		send_recv(&slots[0], NFB_CHECK_BURST);
		detach_conf(c);
		for (j = 0; j < c->k; j++)
			if (linux_run_cnt(c->prog[j]) - before[i][j] <
			    NFB_CHECK_BURST)
				fail_conf(c, j, "did not run for every packet (run_cnt)");
	}
	write_int_file(STATS_SYSCTL, saved_stats);
	if (setns(host_netns, CLONE_NEWNET))
		die("back to the initial namespace");
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

static const struct conf *find_conf(enum runtime rt, int k)
{
	int i;

	for (i = 0; i < nconf; i++)
		if (confs[i].rt == rt && confs[i].k == k)
			return &confs[i];
	return NULL;
}

/* The ratio of a's to b's ns per program, round by round: median [min-max]. */
static void print_ratio(const char *what, enum runtime a, enum runtime b,
			int rounds)
{
	static double q[256];
	struct spread p;
	int j, r;

	if (!rt_wanted[a] || !rt_wanted[b])
		return;
	printf("  %-26s", what);
	for (j = 0; j < NFB_NK; j++) {
		const struct conf *ca = find_conf(a, ks[j]);
		const struct conf *cb = find_conf(b, ks[j]);

		for (r = 0; r < rounds; r++)
			q[r] = cb->prog_ns[r] > 0 ?
			       ca->prog_ns[r] / cb->prog_ns[r] : 0;
		p = spread_of(q, rounds);
		printf("  K=%-2d %4.2f [%4.2f-%4.2f]", ks[j], p.median, p.min,
		       p.max);
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
	const struct conf *c4 = find_conf(rt, 4), *c16 = find_conf(rt, 16);
	static double slope[256], fixed[256];
	struct spread sl, fx;
	int r;

	if (!rt_wanted[rt])
		return;
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

static void print_figures(int rounds)
{
	struct spread base = spread_of(base_pkt_ns, rounds), p, s;
	int i, j;

	printf("\nnetfilter ipv4/local_in, accept-all programs, UDP over loopback: %d rounds; a round\n"
	       "is a phase of each of %d configurations in each of %d namespaces (slots), a phase\n"
	       "%d batches of %d packets attached against %d detached in the same namespace;\n"
	       "per round the median over the slots; printed: median [min-max] over the rounds,\n"
	       "then each slot's median ns/program\n",
	       rounds, nconf, NFB_SLOTS, NFB_PHASE_BATCHES, NFB_BATCH,
	       NFB_PHASE_BATCHES);
	printf("nothing attached: %.0f ns/packet [%.0f-%.0f]\n",
	       base.median, base.min, base.max);
	printf("%-13s %3s %24s %28s  %s\n", "runtime", "K", "ns/packet",
	       "ns/program over detached", "slots");
	for (i = 0; i < nconf; i++) {
		const struct conf *c = &confs[i];

		s = spread_of(c->pkt_ns, rounds);
		p = spread_of(c->prog_ns, rounds);
		printf("%-13s %3d %8.0f [%6.0f-%6.0f] %10.1f [%6.1f-%6.1f] ",
		       rt_names[c->rt], c->k, s.median, s.min, s.max,
		       p.median, p.min, p.max);
		for (j = 0; j < NFB_SLOTS; j++)
			printf(" %6.1f", spread_of(c->slot_ns[j], rounds).median);
		printf("\n");
	}
	printf("K = 4 to 16, per round:  ns per added program     fixed ns per packet\n");
	for (i = RT_KBPF; i < RT_COUNT; i++)
		print_fit(i, rounds);
	printf("ratios of ns/program, per round: median [min-max] over the rounds\n");
	print_ratio("kbpf / linux-interp", RT_KBPF, RT_LINUX_INTERP, rounds);
	print_ratio("kbpf / linux-jit", RT_KBPF, RT_LINUX_JIT, rounds);
	print_ratio("linux-interp / linux-jit", RT_LINUX_INTERP, RT_LINUX_JIT,
		    rounds);
	print_ratio("kbpf-deadline / kbpf", RT_KBPF_DEADLINE, RT_KBPF, rounds);
}

/* RUNTIME... names the runtimes to measure; none: all of them. */
static void want_runtimes(int n, char **names)
{
	int i, r;

	for (r = RT_KBPF; r < RT_COUNT; r++)
		rt_wanted[r] = !n;
	for (i = 0; i < n; i++) {
		for (r = RT_KBPF; r < RT_COUNT; r++)
			if (!strcmp(names[i], rt_names[r]))
				break;
		if (r == RT_COUNT)
			fail("unknown runtime '%s' (kbpf, linux-interp, linux-jit, kbpf-deadline)",
			     names[i]);
		rt_wanted[r] = true;
	}
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : NFB_DEFAULT_ROUNDS;
	cpu_set_t cpu0;
	int r;

	if (rounds < 3 || rounds > 256)
		fail("ROUNDS must be 3 to 256, not %s", argv[1]);
	want_runtimes(argc > 2 ? argc - 2 : 0, argv + 2);
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

	load_confs(rounds);
	setup_slots();
	for (r = 0; r < NFB_SLOTS; r++)
		send_recv(&slots[r], 4 * NFB_BATCH);	/* warm every path */
	for (r = 0; r < rounds; r++)
		run_round(r);
	check_ran();
	print_figures(rounds);
	return 0;
}
