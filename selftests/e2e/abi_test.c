// SPDX-License-Identifier: GPL-2.0
/*
 * ABI test of kbpf.ko: every ioctl of /dev/kbpf and every command of the
 * generic netlink family "kbpf", driven directly (no libbpf, no libnl, no
 * kbpfctl), so that what is checked is the module's answer to exactly the
 * bytes uapi/linux/kbpf.h describes.
 *
 *	abi_test [-k]
 *	abi_test -m NETNS PROG_ID CMD
 *
 * Run as root in a VM with kbpf.ko loaded (selftests/e2e/abi.sh does).  It
 * prints one line per check, "ok N - what" or "not ok N - what: got X want
 * Y", then "N passed, M failed", and exits 1 if anything failed.  The
 * expected values come from the comments of uapi/linux/kbpf.h and from the
 * kernel's bpf(2) conventions the header promises to follow.
 *
 * With -k it leaves a program attached (ipv4/pre_routing, ipv6/local_out)
 * and using a map, so that the caller can check that rmmod cleans up.
 *
 * Built static (the VM has no C library): make e2e does it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/kbpf.h>

#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __noreturn	__attribute__((noreturn))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* An address no process has mapped: the kernel must answer -EFAULT. */
#define BAD_PTR		((__u64)8)

/* ---- reporting --------------------------------------------------------- */

static __u32 n_pass, n_fail;

static void report(bool ok, const char *got, const char *want,
		   const char *fmt, va_list ap)
{
	printf("%sok %u - ", ok ? "" : "not ", n_pass + n_fail + 1);
	vprintf(fmt, ap);
	if (!ok)
		printf(": got %s want %s", got, want);
	printf("\n");
	fflush(stdout);
	if (ok)
		n_pass++;
	else
		n_fail++;
}

/* "0", "-EINVAL", or the number when it has no name. */
static const char *err_str(int err, char *buf, size_t size)
{
	const char *name = err < 0 ? strerrorname_np(-err) : NULL;

	if (!err)
		snprintf(buf, size, "0");
	else if (name)
		snprintf(buf, size, "-%s", name);
	else
		snprintf(buf, size, "%d", err);
	return buf;
}

/* A 0 / -errno result against the one the ABI promises. */
static void __printf(3, 4)
expect_err(int got, int want, const char *fmt, ...)
{
	char g[32], w[32];
	va_list ap;

	va_start(ap, fmt);
	report(got == want, err_str(got, g, sizeof(g)),
	       err_str(want, w, sizeof(w)), fmt, ap);
	va_end(ap);
}

/* Either of two errnos is allowed (the header names both). */
static void __printf(4, 5)
expect_err2(int got, int want1, int want2, const char *fmt, ...)
{
	char g[32], w1[32], w2[32], w[80];
	va_list ap;

	snprintf(w, sizeof(w), "%s or %s", err_str(want1, w1, sizeof(w1)),
		 err_str(want2, w2, sizeof(w2)));
	va_start(ap, fmt);
	report(got == want1 || got == want2, err_str(got, g, sizeof(g)), w,
	       fmt, ap);
	va_end(ap);
}

static void __printf(3, 4)
expect_u64(__u64 got, __u64 want, const char *fmt, ...)
{
	char g[32], w[32];
	va_list ap;

	snprintf(g, sizeof(g), "%llu", (unsigned long long)got);
	snprintf(w, sizeof(w), "%llu", (unsigned long long)want);
	va_start(ap, fmt);
	report(got == want, g, w, fmt, ap);
	va_end(ap);
}

/* A condition; got describes what was seen when it does not hold. */
static void __printf(4, 5)
expect_true(bool cond, const char *got, const char *want, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(cond, got, want, fmt, ap);
	va_end(ap);
}

static void __printf(1, 2) __noreturn
bail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("Bail out! ");
	vprintf(fmt, ap);
	printf("\n%u passed, %u failed\n", n_pass, n_fail + 1);
	va_end(ap);
	exit(1);
}

/* ---- /dev/kbpf --------------------------------------------------------- */

static int kbpf_dev = -1;

static int dev_ioctl(unsigned long req, void *arg)
{
	return ioctl(kbpf_dev, req, arg) < 0 ? -errno : 0;
}

static __u64 ptr(const void *p)
{
	return (__u64)(unsigned long)p;
}

#define INSN(c, d, s, o, i) \
	((struct kbpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
			     .off = (o), .imm = (i) })
#define MOV64_IMM(d, i)		INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define MOV64_REG(d, s)		INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define ADD64_IMM(d, i)		INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define AND64_IMM(d, i)		INSN(BPF_ALU64 | BPF_AND | BPF_K, d, 0, 0, i)
#define LDX(sz, d, s, o)	INSN(BPF_LDX | BPF_MEM | (sz), d, s, o, 0)
#define JGT_REG(d, s, o)	INSN(BPF_JMP | BPF_JGT | BPF_X, d, s, o, 0)
#define EXIT()			INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define STX(sz, d, s, o)	INSN(BPF_STX | BPF_MEM | (sz), d, s, o, 0)
#define JNE_IMM(d, i, o)	INSN(BPF_JMP | BPF_JNE | BPF_K, d, 0, o, i)
#define CALL(fn)		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, fn)
/* A 64-bit load of a map id takes two slots: LD_MAP_ID, then LD_IMM64_HI. */
#define LD_MAP_ID(d, id)	INSN(BPF_LD | BPF_IMM | BPF_DW, d, \
				     KBPF_PSEUDO_MAP_ID, 0, id)
#define LD_IMM64_HI(hi)		INSN(0, 0, 0, 0, hi)

static const struct kbpf_insn prog_accept[] = { MOV64_IMM(0, KBPF_NF_ACCEPT), EXIT() };
static const struct kbpf_insn prog_drop[] = { MOV64_IMM(0, KBPF_NF_DROP), EXIT() };
static const struct kbpf_insn prog_no_exit[] = { MOV64_IMM(0, KBPF_NF_ACCEPT) };
/* Reads byte 9 of the packet without comparing against data_end first. */
static const struct kbpf_insn prog_unchecked_read[] = {
	LDX(BPF_DW, 1, 1, offsetof(struct kbpf_nf_ctx, data)),
	LDX(BPF_B, 0, 1, 9),
	EXIT(),
};

/*
 * Accept when the IPv4 protocol byte is odd (ICMP 1, UDP 17), drop when it
 * is even (TCP 6), accept a packet too short to have one.
 */
static const struct kbpf_insn prog_proto_odd[] = {
	LDX(BPF_DW, 2, 1, offsetof(struct kbpf_nf_ctx, data_end)),
	LDX(BPF_DW, 1, 1, offsetof(struct kbpf_nf_ctx, data)),
	MOV64_REG(3, 1),
	ADD64_IMM(3, 10),
	MOV64_IMM(0, KBPF_NF_ACCEPT),
	JGT_REG(3, 2, 2),
	LDX(BPF_B, 0, 1, 9),
	AND64_IMM(0, 1),
	EXIT(),
};

/*
 * Accepts only the packet it was given: ctx->mark 0 and first byte 0x45.
 * Then leaves its mark: ctx->mark = 1, and the first byte plus one
 * through bpf_skb_store_bytes().  A repeated test run must show each run
 * the caller's packet, so it accepts however often it runs.
 */
static const struct kbpf_insn prog_fresh_packet[] = {
	MOV64_REG(6, 1),
	LDX(BPF_DW, 2, 6, offsetof(struct kbpf_nf_ctx, data)),
	LDX(BPF_DW, 3, 6, offsetof(struct kbpf_nf_ctx, data_end)),
	MOV64_REG(4, 2),
	ADD64_IMM(4, 1),
	MOV64_IMM(0, KBPF_NF_ACCEPT),
	JGT_REG(4, 3, 17),
	LDX(BPF_B, 7, 2, 0),
	LDX(BPF_W, 8, 6, offsetof(struct kbpf_nf_ctx, mark)),
	MOV64_REG(1, 7),
	ADD64_IMM(1, 1),
	STX(BPF_DW, 10, 1, -8),
	MOV64_IMM(1, 1),
	STX(BPF_W, 6, 1, offsetof(struct kbpf_nf_ctx, mark)),
	MOV64_REG(1, 6),
	MOV64_IMM(2, 0),
	MOV64_REG(3, 10),
	ADD64_IMM(3, -8),
	MOV64_IMM(4, 1),
	MOV64_IMM(5, 0),
	CALL(9),			/* bpf_skb_store_bytes */
	MOV64_IMM(0, KBPF_NF_DROP),
	JNE_IMM(8, 0, 2),
	JNE_IMM(7, 0x45, 1),
	MOV64_IMM(0, KBPF_NF_ACCEPT),
	EXIT(),
};

/*
 * Writes the context it saw (family, hook, ifindex, protocol, mark: 20
 * bytes) over the packet's first bytes, then sets mark to mark + 1.
 */
#define CTX_FIELD(r, f)	LDX(BPF_W, r, 6, offsetof(struct kbpf_nf_ctx, f))
static const struct kbpf_insn prog_ctx_echo[] = {
	MOV64_REG(6, 1),
	CTX_FIELD(1, family),
	STX(BPF_W, 10, 1, -20),
	CTX_FIELD(1, hook),
	STX(BPF_W, 10, 1, -16),
	CTX_FIELD(1, ifindex),
	STX(BPF_W, 10, 1, -12),
	CTX_FIELD(1, protocol),
	STX(BPF_W, 10, 1, -8),
	CTX_FIELD(7, mark),
	STX(BPF_W, 10, 7, -4),
	MOV64_REG(1, 6),
	MOV64_IMM(2, 0),
	MOV64_REG(3, 10),
	ADD64_IMM(3, -20),
	MOV64_IMM(4, 20),
	MOV64_IMM(5, 0),
	CALL(9),			/* bpf_skb_store_bytes */
	ADD64_IMM(7, 1),
	STX(BPF_W, 6, 7, offsetof(struct kbpf_nf_ctx, mark)),
	MOV64_IMM(0, KBPF_NF_ACCEPT),
	EXIT(),
};

static void load_attr_init(struct kbpf_prog_load_attr *a, const char *name,
			   const struct kbpf_insn *insns, __u32 cnt)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->prog_type = KBPF_PROG_TYPE_NETFILTER;
	a->insns = ptr(insns);
	a->insn_cnt = cnt;
	snprintf(a->name, sizeof(a->name), "%s", name);
}

/* Load without a log; *id is the new program's id (0 on failure). */
static int prog_load(const char *name, const struct kbpf_insn *insns,
		     __u32 cnt, __u32 *id)
{
	struct kbpf_prog_load_attr a;
	int err;

	load_attr_init(&a, name, insns, cnt);
	err = dev_ioctl(KBPF_IOC_PROG_LOAD, &a);
	*id = err ? 0 : a.prog_id;
	return err;
}

static void map_attr_init(struct kbpf_map_create_attr *a, __u32 type,
			  __u32 key_size, __u32 value_size, __u32 max_entries,
			  const char *name)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->map_type = type;
	a->key_size = key_size;
	a->value_size = value_size;
	a->max_entries = max_entries;
	snprintf(a->name, sizeof(a->name), "%s", name);
}

static int map_create(__u32 type, __u32 key_size, __u32 value_size,
		      __u32 max_entries, const char *name, __u32 *id)
{
	struct kbpf_map_create_attr a;
	int err;

	map_attr_init(&a, type, key_size, value_size, max_entries, name);
	err = dev_ioctl(KBPF_IOC_MAP_CREATE, &a);
	*id = err ? 0 : a.map_id;
	return err;
}

static int map_op(unsigned long req, __u32 map_id, const void *key,
		  void *value, __u64 flags)
{
	struct kbpf_map_elem_attr a = {
		.size = sizeof(a),
		.map_id = map_id,
		.key = ptr(key),
		.value = ptr(value),
		.flags = flags,
	};

	return dev_ioctl(req, &a);
}

static int test_run(__u32 prog_id, const void *data, __u32 len,
		    __u32 repeat, __u32 *retval)
{
	struct kbpf_prog_test_run_attr a = {
		.size = sizeof(a),
		.prog_id = prog_id,
		.data_in = ptr(data),
		.data_size_in = len,
		.repeat = repeat,
	};
	int err;

	a.retval = 0xdeadbeef;
	err = dev_ioctl(KBPF_IOC_PROG_TEST_RUN, &a);
	*retval = a.retval;
	return err;
}

/* ---- generic netlink --------------------------------------------------- */

struct nl_req {
	struct nlmsghdr nlh;
	struct genlmsghdr genl;
	char attrs[256];
};

static int nl_sock = -1;
static __u16 kbpf_family;
static __u32 kbpf_events_group;
static __u32 nl_seq = 1;
/* The extended ack message of the last failed request, or "". */
static char nl_extack[256];

#define NLA_DATA(a)	((void *)((char *)(a) + NLA_HDRLEN))
#define NLA_OK(a, rem)	((rem) >= (int)sizeof(struct nlattr) && \
			 (a)->nla_len >= sizeof(struct nlattr) && \
			 (a)->nla_len <= (rem))
#define NLA_NEXT(a, rem) ((rem) -= NLA_ALIGN((a)->nla_len), \
			  (struct nlattr *)((char *)(a) + NLA_ALIGN((a)->nla_len)))

static int nl_open(void)
{
	int one = 1, fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return fd;
}

static void nl_req_init(struct nl_req *r, __u16 type, __u8 cmd, __u16 flags)
{
	memset(r, 0, sizeof(*r));
	r->nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nlh.nlmsg_type = type;
	r->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	r->nlh.nlmsg_seq = nl_seq++;
	r->genl.cmd = cmd;
	r->genl.version = KBPF_GENL_VERSION;
}

static void nl_put(struct nl_req *r, __u16 type, const void *data, __u16 len)
{
	struct nlattr *a = (void *)((char *)r + NLMSG_ALIGN(r->nlh.nlmsg_len));

	if (NLMSG_ALIGN(r->nlh.nlmsg_len) + NLA_HDRLEN + NLA_ALIGN(len) > sizeof(*r))
		bail("netlink request too large");
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(NLA_DATA(a), data, len);
	r->nlh.nlmsg_len = NLMSG_ALIGN(r->nlh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static void nl_put_u32(struct nl_req *r, __u16 type, __u32 v)
{
	nl_put(r, type, &v, sizeof(v));
}

static void nl_parse(const struct nlattr *a, int rem,
		     const struct nlattr **tb, __u32 max)
{
	memset(tb, 0, (max + 1) * sizeof(*tb));
	for (; NLA_OK(a, rem); a = NLA_NEXT(a, rem))
		if ((a->nla_type & NLA_TYPE_MASK) <= max)
			tb[a->nla_type & NLA_TYPE_MASK] = a;
}

static const struct nlattr *genl_attrs(const struct nlmsghdr *h, int *rem)
{
	*rem = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	return (const void *)((const char *)NLMSG_DATA(h) + GENL_HDRLEN);
}

static __u32 nla_u32(const struct nlattr *a)
{
	__u32 v;

	if (!a)
		return 0xdeadbeef;
	memcpy(&v, NLA_DATA(a), sizeof(v));
	return v;
}

static void nl_save_extack(const struct nlmsghdr *h)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	int off = sizeof(*e);

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	nl_parse((const void *)((const char *)e + off),
		 h->nlmsg_len - NLMSG_HDRLEN - off, tb, NLMSGERR_ATTR_MAX);
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(nl_extack, sizeof(nl_extack), "%s",
			 (const char *)NLA_DATA(tb[NLMSGERR_ATTR_MSG]));
}

typedef void (*nl_msg_fn)(const struct nlmsghdr *h, void *arg);

static int nl_done_error(const struct nlmsghdr *h)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	int err = 0, off = sizeof(err);

	if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(err)))
		memcpy(&err, NLMSG_DATA(h), sizeof(err));
	if (err < 0 && (h->nlmsg_flags & NLM_F_ACK_TLVS)) {
		nl_parse((const void *)((const char *)NLMSG_DATA(h) + off),
			 h->nlmsg_len - NLMSG_HDRLEN - off, tb,
			 NLMSGERR_ATTR_MAX);
		if (tb[NLMSGERR_ATTR_MSG])
			snprintf(nl_extack, sizeof(nl_extack), "%s",
				 (const char *)NLA_DATA(tb[NLMSGERR_ATTR_MSG]));
	}
	return err;
}

/*
 * Send a request on sock and read until its ack (or the end of a dump):
 * returns 0 or the -errno the kernel answered, calling fn for every reply.
 */
static int nl_talk_on(int sock, struct nl_req *r, nl_msg_fn fn, void *arg)
{
	static char buf[65536];
	struct nlmsghdr *h;
	int len;

	nl_extack[0] = '\0';
	if (send(sock, r, r->nlh.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		len = recv(sock, buf, sizeof(buf), 0);
		if (len < 0)
			return -errno;
		for (h = (void *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != r->nlh.nlmsg_seq)
				continue;
			/* A dump's end carries its error, then its extack. */
			if (h->nlmsg_type == NLMSG_DONE)
				return nl_done_error(h);
			if (h->nlmsg_type == NLMSG_ERROR) {
				nl_save_extack(h);
				return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			}
			if (fn)
				fn(h, arg);
		}
	}
}

static int nl_talk(struct nl_req *r, nl_msg_fn fn, void *arg)
{
	return nl_talk_on(nl_sock, r, fn, arg);
}

/* The "events" group id out of CTRL_ATTR_MCAST_GROUPS. */
static __u32 find_events_group(const struct nlattr *groups)
{
	const struct nlattr *g, *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	int rem = groups->nla_len - NLA_HDRLEN;

	for (g = NLA_DATA(groups); NLA_OK(g, rem); g = NLA_NEXT(g, rem)) {
		nl_parse(NLA_DATA(g), g->nla_len - NLA_HDRLEN, tb,
			 CTRL_ATTR_MCAST_GRP_MAX);
		if (tb[CTRL_ATTR_MCAST_GRP_NAME] && tb[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp(NLA_DATA(tb[CTRL_ATTR_MCAST_GRP_NAME]),
			    KBPF_GENL_MCGRP_EVENTS))
			return nla_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return 0;
}

static void family_reply(const struct nlmsghdr *h, void *unused)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1], *a;
	int rem;

	a = genl_attrs(h, &rem);
	nl_parse(a, rem, tb, CTRL_ATTR_MAX);
	if (tb[CTRL_ATTR_FAMILY_ID])
		memcpy(&kbpf_family, NLA_DATA(tb[CTRL_ATTR_FAMILY_ID]),
		       sizeof(kbpf_family));
	if (tb[CTRL_ATTR_MCAST_GROUPS])
		kbpf_events_group = find_events_group(tb[CTRL_ATTR_MCAST_GROUPS]);
}

static int resolve_family(void)
{
	struct nl_req r;

	nl_req_init(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	r.genl.version = 2;
	nl_put(&r, CTRL_ATTR_FAMILY_NAME, KBPF_GENL_NAME,
	       sizeof(KBPF_GENL_NAME));
	return nl_talk(&r, family_reply, NULL);
}

/* Attributes of a kbpf request; ids 0 and NULL names are left out. */
struct kbpf_req {
	__u32 prog_id;
	const char *prog_name;
	__u32 map_id;
	bool has_family, has_hook, has_prio, has_ifindex;
	__u32 family, hook, ifindex;
	__s32 prio;
};

#define REQ(...)	((struct kbpf_req){ __VA_ARGS__ })
#define A_FAMILY(f)	.family = (f), .has_family = true
#define A_HOOK(h)	.hook = (h), .has_hook = true
#define A_PRIO(p)	.prio = (p), .has_prio = true
#define A_IFINDEX(i)	.ifindex = (i), .has_ifindex = true

static int kbpf_cmd_on(int sock, __u8 cmd, struct kbpf_req q, __u16 flags,
		       nl_msg_fn fn, void *arg)
{
	struct nl_req r;

	nl_req_init(&r, kbpf_family, cmd, flags);
	if (q.prog_id)
		nl_put_u32(&r, KBPF_A_PROG_ID, q.prog_id);
	if (q.prog_name)
		nl_put(&r, KBPF_A_PROG_NAME, q.prog_name, strlen(q.prog_name) + 1);
	if (q.map_id)
		nl_put_u32(&r, KBPF_A_MAP_ID, q.map_id);
	if (q.has_family)
		nl_put_u32(&r, KBPF_A_NF_FAMILY, q.family);
	if (q.has_hook)
		nl_put_u32(&r, KBPF_A_NF_HOOK, q.hook);
	if (q.has_prio)
		nl_put_u32(&r, KBPF_A_NF_PRIORITY, (__u32)q.prio);
	if (q.has_ifindex)
		nl_put_u32(&r, KBPF_A_IFINDEX, q.ifindex);
	return nl_talk_on(sock, &r, fn, arg);
}

static int kbpf_cmd(__u8 cmd, struct kbpf_req q)
{
	return kbpf_cmd_on(nl_sock, cmd, q, 0, NULL, NULL);
}

/* What a PROG_GET reply says about one program. */
struct prog_info {
	__u32 id;
	char name[KBPF_OBJ_NAME_LEN];
	__u32 type;
	__u32 insn_cnt;
	__u32 n_links;
	struct {
		__u32 family, hook;
		__s32 prio;
	} links[4];
};

struct prog_list {
	__u32 count;
	struct prog_info progs[16];
};

static void parse_attachment(const struct nlattr *nest, struct prog_info *p)
{
	const struct nlattr *tb[KBPF_ATTACH_A_MAX + 1];

	nl_parse(NLA_DATA(nest), nest->nla_len - NLA_HDRLEN, tb,
		 KBPF_ATTACH_A_MAX);
	if (p->n_links < ARRAY_SIZE(p->links)) {
		p->links[p->n_links].family = nla_u32(tb[KBPF_ATTACH_A_NF_FAMILY]);
		p->links[p->n_links].hook = nla_u32(tb[KBPF_ATTACH_A_NF_HOOK]);
		p->links[p->n_links].prio = nla_u32(tb[KBPF_ATTACH_A_NF_PRIORITY]);
	}
	p->n_links++;
}

static void prog_reply(const struct nlmsghdr *h, void *arg)
{
	const struct nlattr *tb[KBPF_A_MAX + 1], *a;
	struct prog_list *list = arg;
	struct prog_info *p;
	int rem;

	if (list->count >= ARRAY_SIZE(list->progs))
		return;
	p = &list->progs[list->count++];
	memset(p, 0, sizeof(*p));
	a = genl_attrs(h, &rem);
	nl_parse(a, rem, tb, KBPF_A_MAX);
	p->id = nla_u32(tb[KBPF_A_PROG_ID]);
	p->type = nla_u32(tb[KBPF_A_PROG_TYPE]);
	p->insn_cnt = nla_u32(tb[KBPF_A_PROG_INSN_CNT]);
	if (tb[KBPF_A_PROG_NAME])
		snprintf(p->name, sizeof(p->name), "%s",
			 (const char *)NLA_DATA(tb[KBPF_A_PROG_NAME]));
	/* Attachments repeat the same attribute: walk them all. */
	a = genl_attrs(h, &rem);
	for (; NLA_OK(a, rem); a = NLA_NEXT(a, rem))
		if ((a->nla_type & NLA_TYPE_MASK) == KBPF_A_ATTACHMENT)
			parse_attachment(a, p);
}

static int prog_dump(struct prog_list *list)
{
	memset(list, 0, sizeof(*list));
	return kbpf_cmd_on(nl_sock, KBPF_CMD_PROG_GET, REQ(), NLM_F_DUMP,
			   prog_reply, list);
}

static const struct prog_info *prog_find(const struct prog_list *list, __u32 id)
{
	__u32 i;

	for (i = 0; i < list->count; i++)
		if (list->progs[i].id == id)
			return &list->progs[i];
	return NULL;
}

/* Attachments of one program, by a fresh dump; ~0 if it is not listed. */
static __u32 prog_links(__u32 id)
{
	const struct prog_info *p;
	struct prog_list list;

	if (prog_dump(&list))
		return ~0U;
	p = prog_find(&list, id);
	return p ? p->n_links : ~0U;
}

struct map_info {
	__u32 count;
	__u32 id, type, key_size, value_size, max_entries, flags, frozen;
	char name[KBPF_OBJ_NAME_LEN];
};

static void map_reply(const struct nlmsghdr *h, void *arg)
{
	const struct nlattr *tb[KBPF_A_MAX + 1], *a;
	struct map_info *m = arg;
	int rem;

	a = genl_attrs(h, &rem);
	nl_parse(a, rem, tb, KBPF_A_MAX);
	m->count++;
	m->id = nla_u32(tb[KBPF_A_MAP_ID]);
	m->type = nla_u32(tb[KBPF_A_MAP_TYPE]);
	m->key_size = nla_u32(tb[KBPF_A_MAP_KEY_SIZE]);
	m->value_size = nla_u32(tb[KBPF_A_MAP_VALUE_SIZE]);
	m->max_entries = nla_u32(tb[KBPF_A_MAP_MAX_ENTRIES]);
	m->flags = nla_u32(tb[KBPF_A_MAP_FLAGS]);
	m->frozen = nla_u32(tb[KBPF_A_MAP_FROZEN]);
	if (tb[KBPF_A_MAP_NAME])
		snprintf(m->name, sizeof(m->name), "%s",
			 (const char *)NLA_DATA(tb[KBPF_A_MAP_NAME]));
}

/* ---- checks: the device and ioctl framing ------------------------------ */

static void check_device_node(void)
{
	char got[32];
	struct stat st;

	if (stat(KBPF_DEVICE_PATH, &st))
		bail("stat %s: %s", KBPF_DEVICE_PATH, strerror(errno));
	snprintf(got, sizeof(got), "%s %04o",
		 S_ISCHR(st.st_mode) ? "char" : "not-char", st.st_mode & 07777);
	expect_true(S_ISCHR(st.st_mode) && (st.st_mode & 07777) == 0600,
		    got, "char 0600", "%s is a character device, mode 0600",
		    KBPF_DEVICE_PATH);
}

/* A map-create struct followed by bytes a newer caller might know. */
struct map_create_ext {
	struct kbpf_map_create_attr attr;
	__u64 tail;
};

/* A framing_case size meaning sizeof(struct map_create_ext). */
#define EXT_SIZE	0xffffffff

struct framing_case {
	const char *what;
	__u32 size;
	__u64 tail;
	int want;
};

static const struct framing_case framing_cases[] = {
	{ "size 0 -> EINVAL", 0, 0, -EINVAL },
	{ "size 2, less than the size member -> EINVAL", 2, 0, -EINVAL },
	{ "size 4, only the size member (map type 0) -> EINVAL", 4, 0, -EINVAL },
	{ "size 1 MiB -> E2BIG", 1 << 20, 0, -E2BIG },
	{ "larger struct, non-zero tail -> E2BIG", EXT_SIZE, 1, -E2BIG },
	{ "larger struct, non-zero last byte of tail -> E2BIG", EXT_SIZE,
	  1ULL << 56, -E2BIG },
};

static void check_ioctl_framing(void)
{
	struct map_create_ext ext;
	__u32 i, id;
	int err;

	expect_err(dev_ioctl(_IO(KBPF_IOC_MAGIC, 99), &ext), -ENOTTY,
		   "unknown ioctl number -> ENOTTY");
	expect_err(dev_ioctl(_IOWR('x', 1, int), &ext), -ENOTTY,
		   "ioctl of another magic -> ENOTTY");
	expect_err(dev_ioctl(KBPF_IOC_MAP_CREATE, NULL), -EFAULT,
		   "NULL argument -> EFAULT");
	expect_err(dev_ioctl(KBPF_IOC_PROG_LOAD, (void *)BAD_PTR), -EFAULT,
		   "unmapped argument pointer -> EFAULT");

	for (i = 0; i < ARRAY_SIZE(framing_cases); i++) {
		const struct framing_case *c = &framing_cases[i];

		map_attr_init(&ext.attr, KBPF_MAP_TYPE_ARRAY, 4, 8, 4, "framing");
		ext.attr.size = c->size == EXT_SIZE ? sizeof(ext) : c->size;
		ext.tail = c->tail;
		expect_err(dev_ioctl(KBPF_IOC_MAP_CREATE, &ext), c->want,
			   "map create, %s", c->what);
	}

	/* A newer caller's struct with a zero tail is fine. */
	map_attr_init(&ext.attr, KBPF_MAP_TYPE_ARRAY, 4, 8, 4, "framing");
	ext.attr.size = sizeof(ext);
	ext.tail = 0;
	err = dev_ioctl(KBPF_IOC_MAP_CREATE, &ext);
	expect_err(err, 0, "map create, larger struct with zero tail succeeds");
	id = ext.attr.map_id;
	expect_true(!err && id != 0, "id 0", "id > 0",
		    "map create returns a non-zero map id");
	expect_err(kbpf_cmd(KBPF_CMD_MAP_DESTROY, REQ(.map_id = id)), 0,
		   "map destroy by id");
}

/* ---- checks: maps ------------------------------------------------------ */

struct map_attr_case {
	const char *what;
	__u32 type, key_size, value_size, max_entries, flags, reserved;
	const char *name;
	int want;
};

static const struct map_attr_case map_attr_cases[] = {
	{ "name with a space", KBPF_MAP_TYPE_ARRAY, 4, 8, 4, 0, 0, "bad name", -EINVAL },
	{ "name with a slash", KBPF_MAP_TYPE_ARRAY, 4, 8, 4, 0, 0, "a/b", -EINVAL },
	{ "flags 1", KBPF_MAP_TYPE_ARRAY, 4, 8, 4, 1, 0, "m", -EINVAL },
	{ "__reserved 1", KBPF_MAP_TYPE_ARRAY, 4, 8, 4, 0, 1, "m", -EINVAL },
	{ "map type 0 (UNSPEC)", 0, 4, 8, 4, 0, 0, "m", -EINVAL },
	{ "map type 77", 77, 4, 8, 4, 0, 0, "m", -EINVAL },
	{ "key_size 0", KBPF_MAP_TYPE_HASH, 0, 8, 4, 0, 0, "m", -EINVAL },
	{ "value_size 0", KBPF_MAP_TYPE_HASH, 4, 0, 4, 0, 0, "m", -EINVAL },
	{ "max_entries 0", KBPF_MAP_TYPE_HASH, 4, 8, 0, 0, 0, "m", -EINVAL },
	{ "array with key_size 8", KBPF_MAP_TYPE_ARRAY, 8, 8, 4, 0, 0, "m", -EINVAL },
	{ "max_entries 2^31", KBPF_MAP_TYPE_ARRAY, 4, 8, 1U << 31, 0, 0, "m", -E2BIG },
};

static void check_map_create_attrs(void)
{
	struct kbpf_map_create_attr a;
	__u32 i;

	for (i = 0; i < ARRAY_SIZE(map_attr_cases); i++) {
		const struct map_attr_case *c = &map_attr_cases[i];

		map_attr_init(&a, c->type, c->key_size, c->value_size,
			      c->max_entries, c->name);
		a.flags = c->flags;
		a.__reserved = c->reserved;
		expect_err(dev_ioctl(KBPF_IOC_MAP_CREATE, &a), c->want,
			   "map create, %s", c->what);
	}
	/* 16 bytes, no room for the NUL. */
	map_attr_init(&a, KBPF_MAP_TYPE_ARRAY, 4, 8, 4, "");
	memset(a.name, 'a', sizeof(a.name));
	expect_err(dev_ioctl(KBPF_IOC_MAP_CREATE, &a), -EINVAL,
		   "map create, unterminated 16-byte name -> EINVAL");
}

/* Array of 4 x u64: every index exists, none can be deleted. */
static void check_array_map(__u32 id)
{
	__u64 v = 0x1122334455667788ULL, out = 0;
	__u32 k = 1, next = 99;

	expect_err(map_op(KBPF_IOC_MAP_UPDATE, id, &k, &v, KBPF_ANY), 0,
		   "array: update key 1");
	expect_err(map_op(KBPF_IOC_MAP_LOOKUP, id, &k, &out, 0), 0,
		   "array: lookup key 1");
	expect_u64(out, v, "array: lookup returns the value written");
	k = 2;
	out = 7;
	expect_err(map_op(KBPF_IOC_MAP_LOOKUP, id, &k, &out, 0), 0,
		   "array: lookup of a never-written key succeeds");
	expect_u64(out, 0, "array: a never-written element reads as zero");
	k = 4;
	expect_err(map_op(KBPF_IOC_MAP_LOOKUP, id, &k, &out, 0), -ENOENT,
		   "array: lookup key 4 of 4 entries -> ENOENT");
	expect_err(map_op(KBPF_IOC_MAP_UPDATE, id, &k, &v, KBPF_ANY), -E2BIG,
		   "array: update key 4 of 4 entries -> E2BIG");
	k = 1;
	expect_err(map_op(KBPF_IOC_MAP_UPDATE, id, &k, &v, KBPF_NOEXIST),
		   -EEXIST, "array: update NOEXIST -> EEXIST");
	expect_err(map_op(KBPF_IOC_MAP_UPDATE, id, &k, &v, KBPF_EXIST), 0,
		   "array: update EXIST succeeds");
	expect_err(map_op(KBPF_IOC_MAP_UPDATE, id, &k, &v, 7), -EINVAL,
		   "array: update flags 7 -> EINVAL");
	expect_err(map_op(KBPF_IOC_MAP_LOOKUP, id, &k, &out, 1), -EINVAL,
		   "array: lookup with flags 1 -> EINVAL");
	expect_err(map_op(KBPF_IOC_MAP_DELETE, id, &k, NULL, 0), -EINVAL,
		   "array: delete -> EINVAL");
	expect_err(map_op(KBPF_IOC_MAP_NEXT_KEY, id, NULL, &next, 0), 0,
		   "array: next key of none");
	expect_u64(next, 0, "array: the first key is 0");
	k = 3;
	expect_err(map_op(KBPF_IOC_MAP_NEXT_KEY, id, &k, &next, 0), -ENOENT,
		   "array: next key after the last -> ENOENT");
	expect_err(map_op(KBPF_IOC_MAP_LOOKUP, id, NULL, &out, 0), -EINVAL,
		   "array: lookup without a key -> EINVAL");
	expect_err(map_op(KBPF_IOC_MAP_LOOKUP, id, &k, NULL, 0), -EINVAL,
		   "array: lookup without a value buffer -> EINVAL");
	expect_err(map_op(KBPF_IOC_MAP_UPDATE, id, (void *)BAD_PTR, &v, 0),
		   -EFAULT, "array: update with an unmapped key -> EFAULT");
	expect_err(map_op(KBPF_IOC_MAP_UPDATE, id, &k, (void *)BAD_PTR, 0),
		   -EFAULT, "array: update with an unmapped value -> EFAULT");
	expect_err(map_op(KBPF_IOC_MAP_LOOKUP, id, &k, (void *)BAD_PTR, 0),
		   -EFAULT, "array: lookup into an unmapped buffer -> EFAULT");
	expect_err(map_op(KBPF_IOC_MAP_LOOKUP, 0x7ffffff0, &k, &out, 0),
		   -ENOENT, "lookup in an unknown map id -> ENOENT");
}

/* Hash of 2 x u64 keyed by u32: entries come and go, capacity is hard. */
static void check_hash_map(__u32 id)
{
	__u32 k1 = 10, k2 = 20, k3 = 30, next = 0;
	__u64 v = 5, out = 0;

	expect_err(map_op(KBPF_IOC_MAP_LOOKUP, id, &k1, &out, 0), -ENOENT,
		   "hash: lookup in an empty map -> ENOENT");
	expect_err(map_op(KBPF_IOC_MAP_NEXT_KEY, id, NULL, &next, 0), -ENOENT,
		   "hash: next key of an empty map -> ENOENT");
	expect_err(map_op(KBPF_IOC_MAP_UPDATE, id, &k1, &v, KBPF_EXIST),
		   -ENOENT, "hash: update EXIST of a missing key -> ENOENT");
	expect_err(map_op(KBPF_IOC_MAP_UPDATE, id, &k1, &v, KBPF_NOEXIST), 0,
		   "hash: insert key 10");
	expect_err(map_op(KBPF_IOC_MAP_UPDATE, id, &k2, &v, KBPF_ANY), 0,
		   "hash: insert key 20");
	expect_err(map_op(KBPF_IOC_MAP_UPDATE, id, &k3, &v, KBPF_ANY), -E2BIG,
		   "hash: a third key in a 2-entry map -> E2BIG");
	expect_err(map_op(KBPF_IOC_MAP_UPDATE, id, &k1, &v, KBPF_NOEXIST),
		   -EEXIST, "hash: insert NOEXIST of a present key -> EEXIST");
	v = 6;
	expect_err(map_op(KBPF_IOC_MAP_UPDATE, id, &k1, &v, KBPF_EXIST), 0,
		   "hash: replace key 10");
	expect_err(map_op(KBPF_IOC_MAP_LOOKUP, id, &k1, &out, 0), 0,
		   "hash: lookup key 10");
	expect_u64(out, 6, "hash: lookup returns the replaced value");
	expect_err(map_op(KBPF_IOC_MAP_DELETE, id, &k1, NULL, 0), 0,
		   "hash: delete key 10");
	expect_err(map_op(KBPF_IOC_MAP_DELETE, id, &k1, NULL, 0), -ENOENT,
		   "hash: delete key 10 again -> ENOENT");
	expect_err(map_op(KBPF_IOC_MAP_LOOKUP, id, &k1, &out, 0), -ENOENT,
		   "hash: lookup of the deleted key -> ENOENT");
	expect_err(map_op(KBPF_IOC_MAP_NEXT_KEY, id, NULL, &next, 0), 0,
		   "hash: next key of none");
	expect_u64(next, k2, "hash: the only key left is 20");
	expect_err(map_op(KBPF_IOC_MAP_NEXT_KEY, id, &k2, &next, 0), -ENOENT,
		   "hash: next key after the only one -> ENOENT");
	expect_err(map_op(KBPF_IOC_MAP_UPDATE, id, &k3, &v, KBPF_ANY), 0,
		   "hash: the freed slot takes key 30");
}

/* ---- checks: program load ---------------------------------------------- */

struct load_case {
	const char *what;
	__u32 prog_type, insn_cnt, log_level, log_size, flags;
	bool null_insns, bad_insns, null_log;
	const char *name;
	int want;
};

static const struct load_case load_cases[] = {
	{ "insn_cnt 0", KBPF_PROG_TYPE_NETFILTER, 0, 0, 0, 0, false, false, false, "p", -EINVAL },
	{ "NULL insns", KBPF_PROG_TYPE_NETFILTER, 2, 0, 0, 0, true, false, false, "p", -EINVAL },
	{ "unmapped insns", KBPF_PROG_TYPE_NETFILTER, 2, 0, 0, 0, false, true, false, "p", -EFAULT },
	{ "insn_cnt 2^30", KBPF_PROG_TYPE_NETFILTER, 1U << 30, 0, 0, 0, false, false, false, "p", -E2BIG },
	{ "prog type 0 (UNSPEC)", 0, 2, 0, 0, 0, false, false, false, "p", -EINVAL },
	{ "prog type 99", 99, 2, 0, 0, 0, false, false, false, "p", -EINVAL },
	{ "flags 1", KBPF_PROG_TYPE_NETFILTER, 2, 0, 0, 1, false, false, false, "p", -EINVAL },
	{ "name with a dash", KBPF_PROG_TYPE_NETFILTER, 2, 0, 0, 0, false, false, false, "a-b", -EINVAL },
	{ "log level without a buffer", KBPF_PROG_TYPE_NETFILTER, 2, 1, 64, 0, false, false, true, "p", -EINVAL },
	{ "log level 8 (unknown bit)", KBPF_PROG_TYPE_NETFILTER, 2, 8, 64, 0, false, false, false, "p", -EINVAL },
	{ "log buffer without a level", KBPF_PROG_TYPE_NETFILTER, 2, 0, 64, 0, false, false, false, "p", -EINVAL },
	{ "log size 1 GiB", KBPF_PROG_TYPE_NETFILTER, 2, 1, 1U << 30, 0, false, false, false, "p", -EINVAL },
};

static void check_prog_load_attrs(void)
{
	struct kbpf_prog_load_attr a;
	char log[64];
	__u32 i;

	for (i = 0; i < ARRAY_SIZE(load_cases); i++) {
		const struct load_case *c = &load_cases[i];

		load_attr_init(&a, c->name, prog_accept, c->insn_cnt);
		a.prog_type = c->prog_type;
		a.flags = c->flags;
		a.log_level = c->log_level;
		a.log_size = c->log_size;
		if (c->log_size && !c->null_log)
			a.log_buf = ptr(log);
		if (c->null_insns)
			a.insns = 0;
		if (c->bad_insns)
			a.insns = BAD_PTR;
		expect_err(dev_ioctl(KBPF_IOC_PROG_LOAD, &a), c->want,
			   "prog load, %s", c->what);
	}
}

static bool all_bytes(const char *p, char c, size_t n)
{
	while (n--)
		if (*p++ != c)
			return false;
	return true;
}

/* ENOSPC's log_true_size is what a second load needs, exactly. */
static void check_log_true_size(struct kbpf_prog_load_attr *a)
{
	__u32 need = a->log_true_size;
	char *big, got[80];
	int err;

	expect_true(need > 8 && need < 4096, "out of range", "9..4095",
		    "ENOSPC reports the size the log needs (%u)", need);
	big = calloc(1, need ? need : 1);
	if (!big || need <= 8)
		goto out;
	a->log_buf = ptr(big);
	a->log_size = need;
	err = dev_ioctl(KBPF_IOC_PROG_LOAD, a);
	expect_err2(err, -EACCES, -EINVAL,
		    "loading again with log_true_size bytes: the rejection itself");
	snprintf(got, sizeof(got), "%zu bytes", strlen(big));
	expect_true(strlen(big) == need - 1, got, "log_true_size - 1",
		    "the whole log then fits, exactly");
	a->log_size = need - 1;
	expect_err(dev_ioctl(KBPF_IOC_PROG_LOAD, a), -ENOSPC,
		   "one byte less -> ENOSPC");
out:
	free(big);
}

/* With statistics asked for, the statistics line survives truncation. */
static void check_log_stats_kept(void)
{
	struct kbpf_prog_load_attr a;
	char log[4096], got[80];
	const char *last;
	__u32 id;

	load_attr_init(&a, "abi_logstats", prog_proto_odd,
		       ARRAY_SIZE(prog_proto_odd));
	a.log_level = KBPF_LOG_LEVEL_VERBOSE | KBPF_LOG_LEVEL_STATS;
	a.log_buf = ptr(log);
	a.log_size = 120;
	expect_err(dev_ioctl(KBPF_IOC_PROG_LOAD, &a), -ENOSPC,
		   "a valid program whose verbose log overflows -> ENOSPC");
	log[sizeof(log) - 1] = '\0';
	last = strstr(log, "processed ");
	snprintf(got, sizeof(got), "'%.60s'", log);
	expect_true(last && strchr(last, '\n') &&
		    strchr(last, '\n')[1] == '\0', got,
		    "ends with 'processed N insns ...'",
		    "the truncated log still ends with the statistics line");
	expect_true(!prog_load("abi_logstats", prog_accept,
			       ARRAY_SIZE(prog_accept), &id), "not loadable",
		    "loadable", "the ENOSPC load left no program behind (name free)");
	kbpf_cmd(KBPF_CMD_PROG_UNLOAD, REQ(.prog_id = id));

	a.log_size = sizeof(log);
	a.__reserved = 1;
	expect_err(dev_ioctl(KBPF_IOC_PROG_LOAD, &a), -EINVAL,
		   "prog load with __reserved set -> EINVAL");
}

static void check_verifier_log(void)
{
	struct kbpf_prog_load_attr a;
	char log[4096], got[80];
	int err;

	/* A rejection explains itself, NUL-terminated within the buffer. */
	memset(log, 'x', sizeof(log));
	load_attr_init(&a, "noexit", prog_no_exit, ARRAY_SIZE(prog_no_exit));
	a.log_level = KBPF_LOG_LEVEL_ERRORS;
	a.log_buf = ptr(log);
	a.log_size = sizeof(log);
	err = dev_ioctl(KBPF_IOC_PROG_LOAD, &a);
	expect_err2(err, -EINVAL, -EACCES,
		    "prog load, falls off the end without exit: rejected");
	expect_true(memchr(log, 0, sizeof(log)) && log[0], "empty or unterminated",
		    "a message", "prog load rejection writes a NUL-terminated log");

	memset(log, 'x', sizeof(log));
	load_attr_init(&a, "unchecked", prog_unchecked_read,
		       ARRAY_SIZE(prog_unchecked_read));
	a.log_level = KBPF_LOG_LEVEL_ERRORS;
	a.log_buf = ptr(log);
	a.log_size = sizeof(log);
	err = dev_ioctl(KBPF_IOC_PROG_LOAD, &a);
	expect_err2(err, -EACCES, -EINVAL,
		    "prog load, packet read without a data_end check: rejected");
	log[sizeof(log) - 1] = '\0';
	snprintf(got, sizeof(got), "'%.60s'", log);
	expect_true(strstr(log, "1:") != NULL, got, "a log naming insn 1",
		    "the rejection log names the offending instruction");

	/* A log buffer too small: ENOSPC, terminated, nothing past it. */
	memset(log, 'x', sizeof(log));
	a.log_size = 8;
	a.log_true_size = 0;
	err = dev_ioctl(KBPF_IOC_PROG_LOAD, &a);
	expect_err(err, -ENOSPC, "prog load with an 8-byte log -> ENOSPC");
	expect_true(memchr(log, 0, 8) && all_bytes(log + 8, 'x', 64),
		    "overrun or unterminated", "NUL within 8 bytes",
		    "an 8-byte log is NUL-terminated and not overrun");
	check_log_true_size(&a);

	/* The header promises the rejection's errno, log or no log. */
	a.log_buf = BAD_PTR;
	a.log_size = sizeof(log);
	expect_err2(dev_ioctl(KBPF_IOC_PROG_LOAD, &a), -EACCES, -EINVAL,
		    "prog load, rejection with an unmapped log buffer: rejected");
}

/* A load that fails must leave nothing behind, even after verification. */
static void check_load_failure_leaves_nothing(void)
{
	struct kbpf_prog_load_attr a;
	struct prog_list list;
	__u32 i;
	bool listed = false;

	load_attr_init(&a, "abi_badlog", prog_accept, ARRAY_SIZE(prog_accept));
	a.log_level = KBPF_LOG_LEVEL_ERRORS | KBPF_LOG_LEVEL_STATS;
	a.log_buf = BAD_PTR;
	a.log_size = 256;
	expect_err(dev_ioctl(KBPF_IOC_PROG_LOAD, &a), -EFAULT,
		   "prog load of a valid program with an unmapped log buffer -> EFAULT");
	prog_dump(&list);
	for (i = 0; i < list.count; i++)
		if (!strcmp(list.progs[i].name, "abi_badlog"))
			listed = true;
	expect_true(!listed, "listed", "not listed",
		    "the program whose load failed with EFAULT is not loaded");
	if (listed)
		kbpf_cmd(KBPF_CMD_PROG_UNLOAD, REQ(.prog_name = "abi_badlog"));
}

/* Outputs land only inside the caller's size; the program must be found by name. */
static void check_prog_load_short_struct(void)
{
	struct kbpf_prog_load_attr a;
	struct prog_list list;
	__u32 i, id = 0;

	load_attr_init(&a, "short", prog_accept, ARRAY_SIZE(prog_accept));
	a.size = offsetof(struct kbpf_prog_load_attr, prog_id);
	a.prog_id = 0xdeadbeef;
	a.verified_insns = 0xdeadbeef;
	expect_err(dev_ioctl(KBPF_IOC_PROG_LOAD, &a), 0,
		   "prog load with a struct that ends before prog_id");
	expect_u64(a.prog_id, 0xdeadbeef,
		   "prog_id is not written past the caller's size");
	prog_dump(&list);
	for (i = 0; i < list.count; i++)
		if (!strcmp(list.progs[i].name, "short"))
			id = list.progs[i].id;
	expect_true(id != 0, "not listed", "listed",
		    "the program loaded with a short struct is listed");
	expect_err(kbpf_cmd(KBPF_CMD_PROG_UNLOAD, REQ(.prog_name = "short")), 0,
		   "prog unload by name");
}

/* ---- checks: test runs ------------------------------------------------- */

/* Repetitions never see an earlier one's packet write or mark. */
static void check_test_run_fresh(void)
{
	unsigned char pkt[20] = { 0x45 }, out[20];
	struct kbpf_prog_test_run_attr a = {
		.size = sizeof(a),
		.data_in = ptr(pkt),
		.data_size_in = sizeof(pkt),
		.data_out = ptr(out),
		.data_size_out = sizeof(out),
		.repeat = 300,	/* more than one batch of 256 */
	};
	int err = prog_load("abi_fresh", prog_fresh_packet,
			    ARRAY_SIZE(prog_fresh_packet), &a.prog_id);

	expect_err(err, 0, "prog load, writes ctx->mark and the packet");
	if (err)
		return;
	expect_err(dev_ioctl(KBPF_IOC_PROG_TEST_RUN, &a), 0,
		   "test run of a packet writer, 300 times");
	expect_u64(a.retval, KBPF_NF_ACCEPT,
		   "every repetition saw mark 0 and the caller's first byte");
	expect_u64(out[0], 0x46, "data_out holds one run's write, not 300");
	expect_true(!memcmp(out + 1, pkt + 1, sizeof(pkt) - 1),
		    "different bytes", "the rest of the packet",
		    "data_out's other bytes are the caller's");
	kbpf_cmd(KBPF_CMD_PROG_UNLOAD, REQ(.prog_id = a.prog_id));
}

static void check_test_run(__u32 accept_id, __u32 proto_id)
{
	unsigned char pkt[20] = { 0x45 }, out[64];
	struct kbpf_prog_test_run_attr a;
	__u32 retval;

	expect_err(test_run(accept_id, pkt, sizeof(pkt), 1000, &retval), 0,
		   "test run of accept-all, 1000 times");
	expect_u64(retval, KBPF_NF_ACCEPT, "accept-all returns KBPF_NF_ACCEPT");

	pkt[9] = 17;
	expect_err(test_run(proto_id, pkt, sizeof(pkt), 0, &retval), 0,
		   "test run of a packet-reading program");
	expect_u64(retval, 1, "protocol 17 (odd) is accepted");
	pkt[9] = 6;
	test_run(proto_id, pkt, sizeof(pkt), 0, &retval);
	expect_u64(retval, 0, "protocol 6 (even) is dropped");
	test_run(proto_id, pkt, 9, 0, &retval);
	expect_u64(retval, 1, "a 9-byte packet fails the data_end check: accepted");
	expect_err(test_run(proto_id, NULL, 0, 0, &retval), 0,
		   "test run of an empty packet");
	expect_u64(retval, 1, "an empty packet is accepted");

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.prog_id = proto_id;
	a.data_in = ptr(pkt);
	a.data_size_in = sizeof(pkt);
	a.data_out = ptr(out);
	a.data_size_out = sizeof(out);
	expect_err(dev_ioctl(KBPF_IOC_PROG_TEST_RUN, &a), 0,
		   "test run with data_out");
	expect_u64(a.data_size_out, sizeof(pkt),
		   "data_size_out is the packet length");
	expect_true(!memcmp(out, pkt, sizeof(pkt)), "different bytes",
		    "the packet", "data_out holds the packet");

	a.data_size_out = sizeof(out);
	a.repeat = (1U << 24) + 1;
	expect_err(dev_ioctl(KBPF_IOC_PROG_TEST_RUN, &a), -E2BIG,
		   "test run, repeat 2^24 + 1 -> E2BIG");
	a.repeat = 0;
	a.data_size_in = 65536;
	expect_err(dev_ioctl(KBPF_IOC_PROG_TEST_RUN, &a), -E2BIG,
		   "test run, 65536 bytes of packet -> E2BIG");
	a.data_size_in = sizeof(pkt);
	a.data_in = BAD_PTR;
	expect_err(dev_ioctl(KBPF_IOC_PROG_TEST_RUN, &a), -EFAULT,
		   "test run, unmapped data_in -> EFAULT");
	a.data_in = ptr(pkt);
	a.data_out = BAD_PTR;
	expect_err(dev_ioctl(KBPF_IOC_PROG_TEST_RUN, &a), -EFAULT,
		   "test run, unmapped data_out -> EFAULT");
	a.data_out = 0;
	a.prog_id = 0x7ffffff0;
	expect_err(dev_ioctl(KBPF_IOC_PROG_TEST_RUN, &a), -ENOENT,
		   "test run of an unknown program -> ENOENT");

	check_test_run_fresh();

	/* An older caller's struct ends before retval: it must stay as is. */
	a.prog_id = accept_id;
	a.size = offsetof(struct kbpf_prog_test_run_attr, retval);
	a.retval = 777;
	a.duration_ns = 777;
	expect_err(dev_ioctl(KBPF_IOC_PROG_TEST_RUN, &a), 0,
		   "test run with a struct that ends before retval");
	expect_u64(a.retval + a.duration_ns, 777 + 777,
		   "retval and duration_ns are not written past the caller's size");
}

/* ---- checks: generic netlink ------------------------------------------- */

static char ver_profile[32];

static void version_reply(const struct nlmsghdr *h, void *arg)
{
	const struct nlattr *tb[KBPF_A_MAX + 1], *a;
	int rem;

	a = genl_attrs(h, &rem);
	nl_parse(a, rem, tb, KBPF_A_MAX);
	*(__u32 *)arg = nla_u32(tb[KBPF_A_VERSION]);
	if (tb[KBPF_A_PROFILE])
		snprintf(ver_profile, sizeof(ver_profile), "%s",
			 (const char *)NLA_DATA(tb[KBPF_A_PROFILE]));
}

static void check_genl_version(void)
{
	__u32 version = 0;

	expect_err(kbpf_cmd_on(nl_sock, KBPF_CMD_GET_VERSION, REQ(), 0,
			       version_reply, &version), 0, "genl GET_VERSION");
	expect_u64(version, KBPF_ABI_VERSION,
		   "KBPF_A_VERSION is KBPF_ABI_VERSION");
	expect_true(!strcmp(ver_profile, "cloud") ||
		    !strcmp(ver_profile, "embedded"), ver_profile,
		    "cloud or embedded", "KBPF_A_PROFILE names a profile");
	expect_err(kbpf_cmd(KBPF_CMD_EVENT, REQ()), -EOPNOTSUPP,
		   "genl KBPF_CMD_EVENT as a request -> EOPNOTSUPP");
}

struct attach_case {
	const char *what;
	struct kbpf_req req;	/* prog_id 1 means "the program under test" */
	int want;
};

#define THE_PROG	1

static const struct attach_case attach_cases[] = {
	{ "family 3 (in range, not ipv4/ipv6)",
	  REQ(.prog_id = THE_PROG, A_FAMILY(3), A_HOOK(1)), -EINVAL },
	{ "family 11 (outside the policy range)",
	  REQ(.prog_id = THE_PROG, A_FAMILY(11), A_HOOK(1)), -ERANGE },
	{ "hook 6 (outside the policy range)",
	  REQ(.prog_id = THE_PROG, A_FAMILY(2), A_HOOK(6)), -ERANGE },
	{ "ingress (hook 5) of ipv4",
	  REQ(.prog_id = THE_PROG, A_FAMILY(2), A_HOOK(5)), -EINVAL },
	{ "local_in of netdev",
	  REQ(.prog_id = THE_PROG, A_FAMILY(5), A_HOOK(1), A_IFINDEX(1)),
	  -EINVAL },
	{ "netdev/ingress without a device",
	  REQ(.prog_id = THE_PROG, A_FAMILY(5), A_HOOK(5)), -EINVAL },
	{ "netdev/ingress of ifindex 0 (policy minimum 1)",
	  REQ(.prog_id = THE_PROG, A_FAMILY(5), A_HOOK(5), A_IFINDEX(0)),
	  -ERANGE },
	{ "netdev/ingress of a device that does not exist here",
	  REQ(.prog_id = THE_PROG, A_FAMILY(5), A_HOOK(5),
	      A_IFINDEX(0x7ffffff0)), -ENODEV },
	{ "a device with an ipv4 hook",
	  REQ(.prog_id = THE_PROG, A_FAMILY(2), A_HOOK(1), A_IFINDEX(1)),
	  -EINVAL },
	{ "no hook", REQ(.prog_id = THE_PROG, A_FAMILY(2)), -EINVAL },
	{ "no family", REQ(.prog_id = THE_PROG, A_HOOK(1)), -EINVAL },
	{ "priority INT_MIN (NF_IP_PRI_FIRST, netfilter's own)",
	  REQ(.prog_id = THE_PROG, A_FAMILY(2), A_HOOK(1),
	      A_PRIO(-2147483647 - 1)), -ERANGE },
	{ "priority INT_MAX (NF_IP_PRI_LAST, conntrack confirm)",
	  REQ(.prog_id = THE_PROG, A_FAMILY(2), A_HOOK(1),
	      A_PRIO(2147483647)), -ERANGE },
	{ "neither id nor name", REQ(A_FAMILY(2), A_HOOK(1)), -EINVAL },
	{ "unknown id", REQ(.prog_id = 0x7ffffff0, A_FAMILY(2), A_HOOK(1)), -ENOENT },
	{ "unknown name", REQ(.prog_name = "nosuchprog", A_FAMILY(2), A_HOOK(1)), -ENOENT },
	{ "a 16-byte name (too long)",
	  REQ(.prog_name = "aaaaaaaaaaaaaaaa", A_FAMILY(2), A_HOOK(1)), -EINVAL },
};

static void check_genl_attach_errors(__u32 id)
{
	__u32 i;

	for (i = 0; i < ARRAY_SIZE(attach_cases); i++) {
		struct kbpf_req q = attach_cases[i].req;

		if (q.prog_id == THE_PROG)
			q.prog_id = id;
		expect_err(kbpf_cmd(KBPF_CMD_PROG_ATTACH, q),
			   attach_cases[i].want, "genl attach, %s",
			   attach_cases[i].what);
	}
	kbpf_cmd(KBPF_CMD_PROG_ATTACH, REQ(.prog_id = 0x7ffffff0, A_FAMILY(2),
					   A_HOOK(1)));
	expect_true(nl_extack[0] != '\0', "no message", "a message",
		    "genl errors carry an extack message (\"%s\")", nl_extack);
}

/* The bounds themselves are allowed: INT_MIN + 1 and INT_MAX - 1. */
static void check_prio_bounds(__u32 id)
{
	static const __s32 bounds[] = { KBPF_NF_PRIO_MIN, KBPF_NF_PRIO_MAX };
	__u32 i;

	expect_u64(KBPF_NF_PRIO_MIN, -2147483647LL,
		   "KBPF_NF_PRIO_MIN is NF_IP_PRI_FIRST + 1");
	expect_u64(KBPF_NF_PRIO_MAX, 2147483646LL,
		   "KBPF_NF_PRIO_MAX is NF_IP_PRI_LAST - 1");
	for (i = 0; i < ARRAY_SIZE(bounds); i++) {
		expect_err(kbpf_cmd(KBPF_CMD_PROG_ATTACH,
				    REQ(.prog_id = id,
					A_FAMILY(KBPF_NF_FAMILY_IPV4),
					A_HOOK(KBPF_NF_HOOK_FORWARD),
					A_PRIO(bounds[i]))), 0,
			   "genl attach at priority %d", bounds[i]);
		expect_err(kbpf_cmd(KBPF_CMD_PROG_DETACH,
				    REQ(.prog_id = id,
					A_FAMILY(KBPF_NF_FAMILY_IPV4),
					A_HOOK(KBPF_NF_HOOK_FORWARD))), 0,
			   "genl detach from priority %d", bounds[i]);
	}
}

/* netdev/ingress of lo (ifindex 1): per device, a detach names it. */
static void check_genl_netdev(__u32 id)
{
	__u32 before = prog_links(id);

	expect_err(kbpf_cmd(KBPF_CMD_PROG_ATTACH,
			    REQ(.prog_id = id, A_FAMILY(KBPF_NF_FAMILY_NETDEV),
				A_HOOK(KBPF_NF_HOOK_INGRESS), A_IFINDEX(1))),
		   0, "genl attach netdev/ingress of lo");
	expect_err(kbpf_cmd(KBPF_CMD_PROG_ATTACH,
			    REQ(.prog_id = id, A_FAMILY(KBPF_NF_FAMILY_NETDEV),
				A_HOOK(KBPF_NF_HOOK_INGRESS), A_IFINDEX(1))),
		   -EEXIST, "genl attach netdev/ingress of lo again -> EEXIST");
	expect_u64(prog_links(id), before + 1, "one more attachment");
	expect_err(kbpf_cmd(KBPF_CMD_PROG_DETACH,
			    REQ(.prog_id = id, A_FAMILY(KBPF_NF_FAMILY_NETDEV),
				A_HOOK(KBPF_NF_HOOK_INGRESS))),
		   -EINVAL, "genl detach netdev/ingress without a device -> EINVAL");
	expect_err(kbpf_cmd(KBPF_CMD_PROG_DETACH,
			    REQ(.prog_id = id, A_IFINDEX(1))),
		   -EINVAL, "genl detach with a device but no hook -> EINVAL");
	expect_err(kbpf_cmd(KBPF_CMD_PROG_DETACH,
			    REQ(.prog_id = id, A_FAMILY(KBPF_NF_FAMILY_NETDEV),
				A_HOOK(KBPF_NF_HOOK_INGRESS), A_IFINDEX(1))),
		   0, "genl detach netdev/ingress of lo");
	expect_u64(prog_links(id), before, "the attachment is gone");
}

static void check_genl_attach_detach(__u32 id)
{
	const struct prog_info *p;
	struct prog_list list;
	char got[64];

	expect_err(kbpf_cmd(KBPF_CMD_PROG_ATTACH,
			    REQ(.prog_id = id, A_FAMILY(KBPF_NF_FAMILY_IPV4),
				A_HOOK(KBPF_NF_HOOK_LOCAL_IN))), 0,
		   "genl attach ipv4/local_in");
	expect_err(kbpf_cmd(KBPF_CMD_PROG_ATTACH,
			    REQ(.prog_id = id, A_FAMILY(KBPF_NF_FAMILY_IPV4),
				A_HOOK(KBPF_NF_HOOK_LOCAL_IN))), -EEXIST,
		   "genl attach to the same hook again -> EEXIST");
	expect_err(kbpf_cmd(KBPF_CMD_PROG_ATTACH,
			    REQ(.prog_name = "abi_accept",
				A_FAMILY(KBPF_NF_FAMILY_IPV6),
				A_HOOK(KBPF_NF_HOOK_LOCAL_OUT), A_PRIO(-5))), 0,
		   "genl attach by name, ipv6/local_out priority -5");

	check_prio_bounds(id);

	expect_err(prog_dump(&list), 0, "genl PROG_GET dump");
	p = prog_find(&list, id);
	expect_true(p != NULL, "missing", "listed", "the dump lists the program");
	if (!p)
		return;
	expect_true(!strcmp(p->name, "abi_accept"), p->name, "abi_accept",
		    "the dump names the program");
	expect_u64(p->type, KBPF_PROG_TYPE_NETFILTER, "the dump gives the type");
	expect_u64(p->insn_cnt, ARRAY_SIZE(prog_accept),
		   "the dump gives the instruction count");
	expect_u64(p->n_links, 2, "the dump lists two attachments");
	snprintf(got, sizeof(got), "%u/%u/%d", p->links[1].family,
		 p->links[1].hook, p->links[1].prio);
	expect_true(p->n_links == 2 &&
		    p->links[1].family == KBPF_NF_FAMILY_IPV6 &&
		    p->links[1].hook == KBPF_NF_HOOK_LOCAL_OUT &&
		    p->links[1].prio == -5, got, "10/3/-5",
		    "the second attachment is ipv6/local_out priority -5");

	memset(&list, 0, sizeof(list));
	expect_err(kbpf_cmd_on(nl_sock, KBPF_CMD_PROG_GET,
			       REQ(.prog_name = "abi_accept"), 0, prog_reply,
			       &list), 0, "genl PROG_GET by name");
	expect_u64(list.count ? list.progs[0].id : 0, id,
		   "PROG_GET by name answers with the program's id");
	expect_err(kbpf_cmd(KBPF_CMD_PROG_GET, REQ(.prog_id = 0x7ffffff0)),
		   -ENOENT, "genl PROG_GET of an unknown id -> ENOENT");

	expect_err(kbpf_cmd(KBPF_CMD_PROG_DETACH,
			    REQ(.prog_id = id, A_FAMILY(KBPF_NF_FAMILY_IPV4))),
		   -EINVAL, "genl detach with a family but no hook -> EINVAL");
	check_genl_netdev(id);
	expect_err(kbpf_cmd(KBPF_CMD_PROG_DETACH,
			    REQ(.prog_id = id, A_FAMILY(KBPF_NF_FAMILY_IPV4),
				A_HOOK(KBPF_NF_HOOK_LOCAL_IN))), 0,
		   "genl detach ipv4/local_in");
	expect_err(kbpf_cmd(KBPF_CMD_PROG_DETACH,
			    REQ(.prog_id = id, A_FAMILY(KBPF_NF_FAMILY_IPV4),
				A_HOOK(KBPF_NF_HOOK_LOCAL_IN))), -ENOENT,
		   "genl detach ipv4/local_in again -> ENOENT");
	expect_u64(prog_links(id), 1, "one attachment is left");
	expect_err(kbpf_cmd(KBPF_CMD_PROG_DETACH, REQ(.prog_id = id)), 0,
		   "genl detach without a hook detaches everywhere");
	expect_u64(prog_links(id), 0, "no attachment is left");
}

static void check_genl_maps(__u32 map_id, __u32 user_id)
{
	struct map_info m = { 0 };

	expect_err(kbpf_cmd_on(nl_sock, KBPF_CMD_MAP_GET, REQ(.map_id = map_id),
			       0, map_reply, &m), 0, "genl MAP_GET by id");
	expect_true(m.id == map_id && m.type == KBPF_MAP_TYPE_ARRAY &&
		    m.key_size == 4 && m.value_size == 8 &&
		    m.max_entries == 4 && !strcmp(m.name, "abi_array"),
		    m.name, "abi_array array 4/8/4",
		    "MAP_GET gives the map's id, name, type and sizes");
	memset(&m, 0, sizeof(m));
	expect_err(kbpf_cmd_on(nl_sock, KBPF_CMD_MAP_GET, REQ(), NLM_F_DUMP,
			       map_reply, &m), 0, "genl MAP_GET dump");
	expect_u64(m.count, 2, "the map dump lists both maps");

	expect_err(kbpf_cmd(KBPF_CMD_MAP_DESTROY, REQ(.map_id = map_id)), -EBUSY,
		   "genl destroy of a map a program uses -> EBUSY");
	expect_true(nl_extack[0] != '\0', "no message", "a message",
		    "the EBUSY carries an extack message (\"%s\")", nl_extack);
	expect_err(kbpf_cmd(KBPF_CMD_MAP_DESTROY, REQ()), -EINVAL,
		   "genl destroy without id or name -> EINVAL");
	expect_err(kbpf_cmd(KBPF_CMD_MAP_DESTROY, REQ(.map_id = 0x7ffffff0)),
		   -ENOENT, "genl destroy of an unknown map -> ENOENT");
	expect_err(kbpf_cmd(KBPF_CMD_PROG_UNLOAD, REQ(.prog_id = user_id)), 0,
		   "genl unload of the map's user");
	expect_err(kbpf_cmd(KBPF_CMD_PROG_UNLOAD, REQ(.prog_id = user_id)),
		   -ENOENT, "genl unload again -> ENOENT");
	expect_err(kbpf_cmd(KBPF_CMD_PROG_UNLOAD, REQ()), -EINVAL,
		   "genl unload without id or name -> EINVAL");
	expect_err(kbpf_cmd(KBPF_CMD_MAP_DESTROY, REQ(.map_id = map_id)), 0,
		   "genl destroy of the map, now unused");
	expect_err(map_op(KBPF_IOC_MAP_LOOKUP, map_id, &map_id, &m, 0), -ENOENT,
		   "the destroyed map's id is gone -> ENOENT");
}

/* ---- checks: events ---------------------------------------------------- */

struct event {
	__u32 type, id;
};

static int events_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	__u32 grp = kbpf_events_group;
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	if (bind(fd, (void *)&sa, sizeof(sa)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
		       sizeof(grp))) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* The next event queued on fd, without waiting; type 0 when there is none. */
static struct event event_next(int fd)
{
	const struct nlattr *tb[KBPF_A_MAX + 1], *a;
	struct event ev = { 0, 0 };
	char buf[4096];
	int len, rem;

	len = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (len < (int)NLMSG_LENGTH(GENL_HDRLEN))
		return ev;
	a = genl_attrs((struct nlmsghdr *)buf, &rem);
	nl_parse(a, rem, tb, KBPF_A_MAX);
	ev.type = nla_u32(tb[KBPF_A_EVENT]);
	ev.id = nla_u32(tb[KBPF_A_PROG_ID] ?: tb[KBPF_A_MAP_ID]);
	return ev;
}

static void check_events(void)
{
	struct event want[6], got;
	__u32 prog_id, map_id, i;
	char g[32], w[32];
	int fd;

	expect_true(kbpf_events_group != 0, "none", "a group id",
		    "the family has the \"%s\" multicast group",
		    KBPF_GENL_MCGRP_EVENTS);
	fd = events_open();
	expect_err(fd < 0 ? fd : 0, 0, "join the events group");
	if (fd < 0)
		return;

	map_create(KBPF_MAP_TYPE_HASH, 4, 4, 1, "abi_evmap", &map_id);
	prog_load("abi_evprog", prog_drop, ARRAY_SIZE(prog_drop), &prog_id);
	kbpf_cmd(KBPF_CMD_PROG_ATTACH, REQ(.prog_id = prog_id,
					   A_FAMILY(KBPF_NF_FAMILY_IPV4),
					   A_HOOK(KBPF_NF_HOOK_FORWARD)));
	/* Unload of an attached program detaches it first. */
	kbpf_cmd(KBPF_CMD_PROG_UNLOAD, REQ(.prog_id = prog_id));
	kbpf_cmd(KBPF_CMD_MAP_DESTROY, REQ(.map_id = map_id));

	want[0] = (struct event){ KBPF_EVENT_MAP_CREATED, map_id };
	want[1] = (struct event){ KBPF_EVENT_PROG_LOADED, prog_id };
	want[2] = (struct event){ KBPF_EVENT_PROG_ATTACHED, prog_id };
	want[3] = (struct event){ KBPF_EVENT_PROG_DETACHED, prog_id };
	want[4] = (struct event){ KBPF_EVENT_PROG_UNLOADED, prog_id };
	want[5] = (struct event){ KBPF_EVENT_MAP_DESTROYED, map_id };
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		got = event_next(fd);
		snprintf(g, sizeof(g), "event %u id %u", got.type, got.id);
		snprintf(w, sizeof(w), "event %u id %u", want[i].type, want[i].id);
		expect_true(got.type == want[i].type && got.id == want[i].id,
			    g, w, "event %u of 6 is %s", i + 1, w);
	}
	got = event_next(fd);
	expect_u64(got.type, 0, "no further event");
	close(fd);
}

/* ---- checks: capabilities ---------------------------------------------- */

/* What an unprivileged process with an open /dev/kbpf gets, in order. */
struct unpriv_result {
	int load, map_create, map_update, map_lookup, map_next, test_run;
	int attach, unload, version, dump, get, map_dump, events;
	__u32 dumped;
};

static int drop_all_caps(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

static void unpriv_child(int out_fd, __u32 prog_id, __u32 map_id)
{
	struct unpriv_result r;
	struct prog_list list;
	__u32 id, k = 0, rv, ver;
	__u64 v = 0;
	int sock;

	if (drop_all_caps())
		_exit(2);
	sock = nl_open();
	r.load = prog_load("abi_unpriv", prog_accept, ARRAY_SIZE(prog_accept), &id);
	r.map_create = map_create(KBPF_MAP_TYPE_ARRAY, 4, 8, 1, "abi_unpriv", &id);
	r.map_update = map_op(KBPF_IOC_MAP_UPDATE, map_id, &k, &v, KBPF_ANY);
	r.map_lookup = map_op(KBPF_IOC_MAP_LOOKUP, map_id, &k, &v, 0);
	r.map_next = map_op(KBPF_IOC_MAP_NEXT_KEY, map_id, NULL, &k, 0);
	r.test_run = test_run(prog_id, &v, sizeof(v), 0, &rv);
	r.attach = kbpf_cmd_on(sock, KBPF_CMD_PROG_ATTACH,
			       REQ(.prog_id = prog_id, A_FAMILY(2), A_HOOK(1)),
			       0, NULL, NULL);
	r.unload = kbpf_cmd_on(sock, KBPF_CMD_PROG_UNLOAD,
			       REQ(.prog_id = prog_id), 0, NULL, NULL);
	r.version = kbpf_cmd_on(sock, KBPF_CMD_GET_VERSION, REQ(), 0,
				version_reply, &ver);
	memset(&list, 0, sizeof(list));
	r.dump = kbpf_cmd_on(sock, KBPF_CMD_PROG_GET, REQ(), NLM_F_DUMP,
			     prog_reply, &list);
	r.dumped = list.count;
	r.get = kbpf_cmd_on(sock, KBPF_CMD_PROG_GET, REQ(.prog_id = prog_id), 0,
			    NULL, NULL);
	r.map_dump = kbpf_cmd_on(sock, KBPF_CMD_MAP_GET, REQ(), NLM_F_DUMP,
				 NULL, NULL);
	r.events = events_open();
	if (r.events >= 0) {
		close(r.events);
		r.events = 0;
	}
	_exit(write(out_fd, &r, sizeof(r)) == sizeof(r) ? 0 : 3);
}

static void check_unprivileged(__u32 prog_id, __u32 map_id)
{
	struct unpriv_result r;
	int pipefd[2], status = 0;
	pid_t pid;

	if (pipe(pipefd))
		bail("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		bail("fork: %s", strerror(errno));
	if (!pid) {
		close(pipefd[0]);
		unpriv_child(pipefd[1], prog_id, map_id);
	}
	close(pipefd[1]);
	memset(&r, 0x7f, sizeof(r));
	if (read(pipefd[0], &r, sizeof(r)) != sizeof(r))
		memset(&r, 0x7f, sizeof(r));
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	expect_true(WIFEXITED(status) && !WEXITSTATUS(status), "child failed",
		    "exit 0", "a child drops every capability, keeping its fds");

	expect_err(r.load, -EPERM, "without CAP_NET_ADMIN: prog load -> EPERM");
	expect_err(r.map_create, -EPERM, "without CAP_NET_ADMIN: map create -> EPERM");
	expect_err(r.map_update, -EPERM, "without CAP_NET_ADMIN: map update -> EPERM");
	expect_err(r.test_run, -EPERM, "without CAP_NET_ADMIN: test run -> EPERM");
	expect_err(r.attach, -EPERM, "without CAP_NET_ADMIN: genl attach -> EPERM");
	expect_err(r.unload, -EPERM, "without CAP_NET_ADMIN: genl unload -> EPERM");
	expect_err(r.map_lookup, -EPERM, "without CAP_NET_ADMIN: map lookup -> EPERM");
	expect_err(r.map_next, -EPERM, "without CAP_NET_ADMIN: map next key -> EPERM");
	expect_err(r.version, 0, "without CAP_NET_ADMIN: GET_VERSION is allowed");
	expect_err(r.dump, -EPERM,
		   "without CAP_NET_ADMIN: PROG_GET dump ends in EPERM");
	expect_u64(r.dumped, 0, "without CAP_NET_ADMIN: the dump lists nothing");
	expect_err(r.get, -EPERM, "without CAP_NET_ADMIN: PROG_GET -> EPERM");
	expect_err(r.map_dump, -EPERM,
		   "without CAP_NET_ADMIN: MAP_GET dump ends in EPERM");
	expect_err(r.events, -EPERM,
		   "without CAP_NET_ADMIN: joining the events group -> EPERM");
	expect_u64(prog_links(prog_id), 0,
		   "the unprivileged attach left no attachment");
}

/* ---- checks: creation is undone when the id cannot be written back ---- */

/* A copy of an argument struct in a page the caller may only read. */
static void *read_only_copy(const void *attr, size_t size)
{
	void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (page == MAP_FAILED)
		bail("mmap: %s", strerror(errno));
	memcpy(page, attr, size);
	if (mprotect(page, 4096, PROT_READ))
		bail("mprotect: %s", strerror(errno));
	return page;
}

static bool map_listed(const char *name)
{
	struct map_info m = { 0 };
	struct nl_req r;

	nl_req_init(&r, kbpf_family, KBPF_CMD_MAP_GET, 0);
	nl_put(&r, KBPF_A_MAP_NAME, name, strlen(name) + 1);
	return nl_talk(&r, map_reply, &m) == 0 && m.count == 1;
}

static void check_create_undo(void)
{
	struct kbpf_map_create_attr ma;
	struct kbpf_prog_load_attr pa;
	struct prog_list list;
	__u32 id, i;
	bool listed = false;
	void *ro;

	map_attr_init(&ma, KBPF_MAP_TYPE_HASH, 4, 8, 4, "abi_rocreate");
	ro = read_only_copy(&ma, sizeof(ma));
	expect_err(dev_ioctl(KBPF_IOC_MAP_CREATE, ro), -EFAULT,
		   "map create with its struct in a read-only page -> EFAULT");
	munmap(ro, 4096);
	expect_true(!map_listed("abi_rocreate"), "listed", "no map",
		    "the map whose id could not be written back is gone");
	expect_err(map_create(KBPF_MAP_TYPE_HASH, 4, 8, 4, "abi_rocreate", &id),
		   0, "creating it again under the same name succeeds");
	expect_err(kbpf_cmd(KBPF_CMD_MAP_DESTROY, REQ(.map_id = id)), 0,
		   "and it can be destroyed");

	load_attr_init(&pa, "abi_roload", prog_accept, ARRAY_SIZE(prog_accept));
	ro = read_only_copy(&pa, sizeof(pa));
	expect_err(dev_ioctl(KBPF_IOC_PROG_LOAD, ro), -EFAULT,
		   "prog load with its struct in a read-only page -> EFAULT");
	munmap(ro, 4096);
	prog_dump(&list);
	for (i = 0; i < list.count; i++)
		if (!strcmp(list.progs[i].name, "abi_roload"))
			listed = true;
	expect_true(!listed, "listed", "not listed",
		    "the program whose id could not be written back is gone");
	expect_err(prog_load("abi_roload", prog_accept, ARRAY_SIZE(prog_accept),
			     &id), 0, "loading it again under the same name succeeds");
	expect_err(kbpf_cmd(KBPF_CMD_PROG_UNLOAD, REQ(.prog_id = id)), 0,
		   "and it can be unloaded");
}

/* ---- checks: objects belong to their network namespace ----------------- */

/* Run fn(arg) in a child, which writes size bytes of result to out. */
static void run_child(void (*fn)(int out_fd, void *arg), void *arg,
		      void *out, size_t size, const char *what)
{
	int pipefd[2], status = 0;
	pid_t pid;

	if (pipe(pipefd))
		bail("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		bail("fork: %s", strerror(errno));
	if (!pid) {
		close(pipefd[0]);
		fn(pipefd[1], arg);
		_exit(0);
	}
	close(pipefd[1]);
	memset(out, 0x7f, size);
	if (read(pipefd[0], out, size) != (ssize_t)size)
		memset(out, 0x7f, size);
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	expect_true(WIFEXITED(status) && !WEXITSTATUS(status), "child failed",
		    "exit 0", "%s", what);
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ok;

	if (fd < 0)
		return -errno;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok ? 0 : -EIO;
}

/* Become root of a new user namespace owning a new network namespace. */
static int enter_userns_netns(void)
{
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
		return -errno;
	if (write_file("/proc/self/setgroups", "deny") ||
	    write_file("/proc/self/uid_map", "0 0 1") ||
	    write_file("/proc/self/gid_map", "0 0 1"))
		return -EIO;
	return 0;
}

/* What the root of a user namespace (with its own netns) can do. */
struct userns_result {
	int enter;
	/* on the host's objects */
	int host_lookup, host_update, host_run, host_get, host_unload;
	int host_attach, host_destroy, host_ref;
	__u32 dumped_before;
	/* on its own */
	int load, create, same_name, attach, run, update, events;
	__u32 dumped_after, own_prog;
	__u64 own_cookie;
};

struct host_ids {
	__u32 prog_id, map_id;
};

static void userns_child(int out_fd, void *arg)
{
	const struct host_ids *h = arg;
	struct kbpf_insn insns[] = {
		LD_MAP_ID(1, 0), LD_IMM64_HI(0), MOV64_IMM(0, KBPF_NF_ACCEPT), EXIT(),
	};
	struct userns_result r;
	struct prog_list list;
	__u32 k = 0, rv, id, map_id;
	__u64 v = 0;
	int sock, ev;

	memset(&r, 0, sizeof(r));
	r.enter = enter_userns_netns();
	sock = nl_open();
	/* The device was opened by the host's root: its rights do not carry. */
	kbpf_dev = open(KBPF_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (r.enter || sock < 0 || kbpf_dev < 0)
		goto out;
	r.host_lookup = map_op(KBPF_IOC_MAP_LOOKUP, h->map_id, &k, &v, 0);
	r.host_update = map_op(KBPF_IOC_MAP_UPDATE, h->map_id, &k, &v, 0);
	r.host_run = test_run(h->prog_id, &v, sizeof(v), 0, &rv);
	r.host_get = kbpf_cmd_on(sock, KBPF_CMD_PROG_GET,
				 REQ(.prog_id = h->prog_id), 0, NULL, NULL);
	r.host_attach = kbpf_cmd_on(sock, KBPF_CMD_PROG_ATTACH,
				    REQ(.prog_id = h->prog_id, A_FAMILY(2),
					A_HOOK(1)), 0, NULL, NULL);
	r.host_unload = kbpf_cmd_on(sock, KBPF_CMD_PROG_UNLOAD,
				    REQ(.prog_id = h->prog_id), 0, NULL, NULL);
	r.host_destroy = kbpf_cmd_on(sock, KBPF_CMD_MAP_DESTROY,
				     REQ(.map_id = h->map_id), 0, NULL, NULL);
	insns[0].imm = h->map_id;
	r.host_ref = prog_load("abi_nsref", insns, ARRAY_SIZE(insns), &id);
	memset(&list, 0, sizeof(list));
	kbpf_cmd_on(sock, KBPF_CMD_PROG_GET, REQ(), NLM_F_DUMP, prog_reply,
		    &list);
	r.dumped_before = list.count;

	ev = events_open();
	r.events = ev < 0 ? ev : 0;
	/* The host's names are not taken here. */
	r.create = map_create(KBPF_MAP_TYPE_ARRAY, 4, 8, 4, "abi_array", &map_id);
	insns[0].imm = map_id;
	r.load = prog_load("abi_accept", insns, ARRAY_SIZE(insns), &r.own_prog);
	r.same_name = prog_load("abi_accept", prog_accept,
				ARRAY_SIZE(prog_accept), &id);
	r.attach = kbpf_cmd_on(sock, KBPF_CMD_PROG_ATTACH,
			       REQ(.prog_id = r.own_prog, A_FAMILY(2), A_HOOK(1)),
			       0, NULL, NULL);
	r.run = test_run(r.own_prog, &v, sizeof(v), 0, &rv);
	r.update = map_op(KBPF_IOC_MAP_UPDATE, map_id, &k, &v, 0);
	memset(&list, 0, sizeof(list));
	kbpf_cmd_on(sock, KBPF_CMD_PROG_GET, REQ(), NLM_F_DUMP, prog_reply,
		    &list);
	r.dumped_after = list.count;
	if (ev >= 0) {
		/* map created, prog loaded, attached: the first is ours. */
		struct event e = event_next(ev);

		if (e.type != KBPF_EVENT_MAP_CREATED || e.id != map_id)
			r.events = -EBADMSG;
	}
out:
	/* Leaving the namespace frees what was made in it. */
	if (write(out_fd, &r, sizeof(r)) != sizeof(r))
		_exit(3);
}

static void check_userns_root(__u32 host_prog, __u32 host_map)
{
	struct host_ids h = { host_prog, host_map };
	struct userns_result r;
	struct prog_list list;
	const struct prog_info *p = NULL;
	int tries;

	run_child(userns_child, &h, &r, sizeof(r),
		  "a child becomes root of a new user and network namespace");
	expect_err(r.enter, 0, "unshare(CLONE_NEWUSER | CLONE_NEWNET)");
	expect_err(r.host_lookup, -ENOENT, "userns root: host map lookup -> ENOENT");
	expect_err(r.host_update, -ENOENT, "userns root: host map update -> ENOENT");
	expect_err(r.host_run, -ENOENT, "userns root: host prog test run -> ENOENT");
	expect_err(r.host_get, -ENOENT, "userns root: PROG_GET of a host prog -> ENOENT");
	expect_err(r.host_attach, -ENOENT, "userns root: attach a host prog -> ENOENT");
	expect_err(r.host_unload, -ENOENT, "userns root: unload a host prog -> ENOENT");
	expect_err(r.host_destroy, -ENOENT, "userns root: destroy a host map -> ENOENT");
	expect_err2(r.host_ref, -EINVAL, -EACCES,
		    "userns root: a program referencing a host map is refused");
	expect_u64(r.dumped_before, 0, "userns root: the dump shows no host program");
	expect_err(r.create, 0, "userns root: map create (a name the host uses)");
	expect_err(r.load, 0, "userns root: prog load using its own map");
	expect_err(r.same_name, -EEXIST,
		   "userns root: names are unique within its namespace");
	expect_err(r.attach, 0, "userns root: attach its program in its namespace");
	expect_err(r.run, 0, "userns root: test run of its program");
	expect_err(r.update, 0, "userns root: update of its map");
	expect_u64(r.dumped_after, 1, "userns root: the dump shows its own program");
	expect_err(r.events, 0, "userns root: hears its own events");

	/* The child is gone; its namespace and objects follow (asynchronously). */
	for (tries = 0; tries < 50; tries++) {
		prog_dump(&list);
		p = prog_find(&list, r.own_prog);
		if (!p)
			break;
		usleep(100000);
	}
	expect_true(!p, "still listed", "gone",
		    "the namespace's program goes away with its namespace");
}

/*
 * Events stay in their namespace: a listener that is root of its own user
 * and network namespace hears nothing of what the host does.
 */
static void check_events_isolated(void)
{
	int up[2], down[2], status = 0, n = -1, fd;
	__u32 map_id = 0, prog_id = 0;
	char c = 0;
	pid_t pid;

	if (pipe(up) || pipe(down))
		bail("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		bail("fork: %s", strerror(errno));
	if (!pid) {
		fd = enter_userns_netns() ? -1 : events_open();
		n = fd < 0 ? -1 : 0;
		/* Ready (or not): the host acts, then says it is done. */
		if (write(up[1], &c, 1) != 1 || read(down[0], &c, 1) != 1)
			_exit(3);
		usleep(100000);
		while (fd >= 0 && event_next(fd).type)
			n++;
		_exit(write(up[1], &n, sizeof(n)) == sizeof(n) ? 0 : 3);
	}
	if (read(up[0], &c, 1) != 1)
		bail("the events child died");
	map_create(KBPF_MAP_TYPE_HASH, 4, 4, 1, "abi_isoev", &map_id);
	prog_load("abi_isoev", prog_drop, ARRAY_SIZE(prog_drop), &prog_id);
	kbpf_cmd(KBPF_CMD_PROG_UNLOAD, REQ(.prog_id = prog_id));
	kbpf_cmd(KBPF_CMD_MAP_DESTROY, REQ(.map_id = map_id));
	if (write(down[1], &c, 1) != 1 || read(up[0], &n, sizeof(n)) != sizeof(n))
		n = -2;
	waitpid(pid, &status, 0);
	close(up[0]);
	close(up[1]);
	close(down[0]);
	close(down[1]);
	expect_true(map_id && prog_id, "failed", "created",
		    "the host creates and removes a map and a program");
	expect_err(n, 0,
		   "a listener in another user and network namespace hears none of the host's events");
}

/* ---- checks: one program, hundreds of attachments ---------------------- */

/* 1000 attachments: more than the largest dump message (32 KiB) holds. */
#define MANY_NETNS	100

/* PROG_GET dump replies for one program: messages and attachments. */
struct prog_parts {
	__u32 id, msgs, links, total;
};

static void prog_part_reply(const struct nlmsghdr *h, void *arg)
{
	const struct nlattr *tb[KBPF_A_MAX + 1], *a;
	struct prog_parts *pp = arg;
	int rem;

	a = genl_attrs(h, &rem);
	nl_parse(a, rem, tb, KBPF_A_MAX);
	if (nla_u32(tb[KBPF_A_PROG_ID]) != pp->id)
		return;
	pp->msgs++;
	pp->total = nla_u32(tb[KBPF_A_PROG_ATTACH_CNT]);
	a = genl_attrs(h, &rem);
	for (; NLA_OK(a, rem); a = NLA_NEXT(a, rem))
		if ((a->nla_type & NLA_TYPE_MASK) == KBPF_A_ATTACHMENT)
			pp->links++;
}

/* Attach id on all ten hooks in n fresh namespaces; 0 or -errno. */
static int attach_everywhere(__u32 id, int *socks, int n)
{
	int self, i, f, hk, err = 0;

	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -errno;
	for (i = 0; i < n && !err; i++) {
		/* The socket keeps its namespace alive after we leave. */
		if (unshare(CLONE_NEWNET) || (socks[i] = nl_open()) < 0) {
			err = -errno;
			break;
		}
		/* Both IP families, each with its five hooks. */
		for (f = 0; f < 2 && !err; f++)
			for (hk = 0; hk < KBPF_NF_HOOK_INGRESS && !err; hk++)
				err = kbpf_cmd_on(socks[i], KBPF_CMD_PROG_ATTACH,
						  REQ(.prog_id = id,
						      A_FAMILY(f ? 10 : 2),
						      A_HOOK(hk)), 0, NULL, NULL);
	}
	if (setns(self, CLONE_NEWNET) && !err)
		err = -errno;
	close(self);
	return err;
}

static void check_many_attachments(void)
{
	struct prog_parts pp = { 0 };
	int socks[MANY_NETNS], i;
	struct prog_list list;
	struct nl_req r;
	__u32 id, want = MANY_NETNS * 2 * KBPF_NF_HOOK_INGRESS;

	memset(socks, -1, sizeof(socks));
	if (prog_load("abi_many", prog_accept, ARRAY_SIZE(prog_accept), &id))
		bail("cannot load abi_many");
	expect_err(attach_everywhere(id, socks, MANY_NETNS), 0,
		   "the initial admin attaches one program on every hook of %d namespaces",
		   MANY_NETNS);

	pp.id = id;
	expect_err(kbpf_cmd_on(nl_sock, KBPF_CMD_PROG_GET, REQ(), NLM_F_DUMP,
			       prog_part_reply, &pp), 0,
		   "PROG_GET dump with %u attachments on one program", want);
	expect_u64(pp.links, want, "the dump lists every attachment");
	expect_u64(pp.total, want, "KBPF_A_PROG_ATTACH_CNT counts them");
	expect_true(pp.msgs > 1, "1 message", "several",
		    "the program is split over several messages (%u)", pp.msgs);

	memset(&pp, 0, sizeof(pp));
	pp.id = id;
	nl_req_init(&r, kbpf_family, KBPF_CMD_PROG_GET, NLM_F_DUMP);
	nl_put_u32(&r, KBPF_A_PROG_ID, id);
	expect_err(nl_talk(&r, prog_part_reply, &pp), 0,
		   "PROG_GET dump narrowed to the program by id");
	expect_u64(pp.links, want, "the narrowed dump lists every attachment");
	memset(&list, 0, sizeof(list));
	nl_req_init(&r, kbpf_family, KBPF_CMD_PROG_GET, NLM_F_DUMP);
	nl_put_u32(&r, KBPF_A_PROG_ID, 0x7ffffff0);
	expect_err(nl_talk(&r, prog_reply, &list), -ENOENT,
		   "a dump narrowed to an unknown id ends in ENOENT");
	expect_true(nl_extack[0] != '\0', "no message", "a message",
		    "the dump's error carries its extack (\"%s\")", nl_extack);

	memset(&pp, 0, sizeof(pp));
	pp.id = id;
	expect_err(kbpf_cmd_on(nl_sock, KBPF_CMD_PROG_GET, REQ(.prog_id = id), 0,
			       prog_part_reply, &pp), 0,
		   "PROG_GET (do) of the program still answers");
	expect_u64(pp.total, want, "and counts every attachment");

	expect_err(kbpf_cmd(KBPF_CMD_PROG_UNLOAD, REQ(.prog_id = id)), 0,
		   "unload detaches all %u", want);
	for (i = 0; i < MANY_NETNS; i++)
		if (socks[i] >= 0)
			close(socks[i]);
}

/* ---- checks: the control ioctls (KBPF_IOC_GET_VERSION and up) ---------- */

/* Where the control ioctls write the reason of a failure. */
static char ctl_why[KBPF_CTL_LOG_SIZE];

#define CTL_HDR(a, fl)							\
	.hdr = { .size = sizeof(a), .flags = (fl),			\
		 .log_buf = ptr(ctl_why), .log_size = sizeof(ctl_why) }

static int ctl(unsigned long req, void *attr)
{
	memset(ctl_why, 0, sizeof(ctl_why));
	return dev_ioctl(req, attr);
}

/* The last control ioctl's reason contains part. */
static void __printf(2, 3)
expect_reason(const char *part, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	expect_true(strstr(ctl_why, part) != NULL, ctl_why[0] ? ctl_why : "none",
		    part, "%s: the reason says so", what);
}

static int ctl_attach(__u32 id, __u32 family, __u32 hook, __s32 nf_prio,
		      __s32 sched_prio, __u32 flags)
{
	struct kbpf_prog_attach_attr a = {
		CTL_HDR(a, flags),
		.prog_id = id,
		.hook = { .family = family, .hook = hook, .nf_prio = nf_prio },
		.sched_prio = sched_prio,
	};

	return ctl(KBPF_IOC_PROG_ATTACH, &a);
}

static int ctl_detach_all(__u32 id)
{
	struct kbpf_prog_detach_attr a = {
		CTL_HDR(a, KBPF_DETACH_F_ALL),
		.prog_id = id,
	};

	return ctl(KBPF_IOC_PROG_DETACH, &a);
}

static int ctl_info(__u32 id, struct kbpf_prog_info_attr *a,
		    struct kbpf_attach_info *links, __u32 room)
{
	memset(a, 0, sizeof(*a));
	*a = (struct kbpf_prog_info_attr) {
		CTL_HDR(*a, 0),
		.prog_id = id,
		.attachments = ptr(links),
		.attach_cnt = links ? room : 0,
		.attach_rec_size = links ? sizeof(*links) : 0,
	};
	return ctl(KBPF_IOC_PROG_GET_INFO, a);
}

static void check_ctl_framing(void)
{
	struct kbpf_version_attr v = { CTL_HDR(v, 0) };
	struct {
		struct kbpf_feature_set_attr a;
		__u64 tail;
	} ext = { .a = { CTL_HDR(ext, KBPF_FEATURE_SET_F_STATS) }, .tail = 1 };
	struct kbpf_obj_attr o = { CTL_HDR(o, 0), .id = 0x7ffffff0 };
	__u32 version = 0;

	expect_err(ctl(KBPF_IOC_GET_VERSION, &v), 0, "ioctl GET_VERSION");
	kbpf_cmd_on(nl_sock, KBPF_CMD_GET_VERSION, REQ(), 0, version_reply,
		    &version);
	expect_u64(v.version, version, "ioctl GET_VERSION: the version netlink gives");
	expect_true(!strcmp(v.profile, ver_profile), v.profile, ver_profile,
		    "ioctl GET_VERSION: the profile netlink gives");
	expect_true(v.nr_cpus > 0 && v.module_version[0], "empty", "set",
		    "ioctl GET_VERSION: CPUs and module version");
	expect_true(v.maps_bytes_max >= v.maps_bytes_used && v.map_bytes_max,
		    "inconsistent", "max >= used", "ioctl GET_VERSION: map memory");

	expect_err(dev_ioctl(_IO(KBPF_IOC_MAGIC, 47), &v), -ENOTTY,
		   "control ioctl number past the last -> ENOTTY");
	expect_err(dev_ioctl(_IOWR(KBPF_IOC_MAGIC, 32, struct kbpf_version_attr),
			     &v), -ENOTTY,
		   "GET_VERSION's number with direction and size bits -> ENOTTY");
	expect_err(ctl(KBPF_IOC_FEATURE_SET, &ext), -E2BIG,
		   "control ioctl, larger struct with a non-zero tail -> E2BIG");

	o.hdr.flags = 1;
	expect_err(ctl(KBPF_IOC_PROG_UNLOAD, &o), -EINVAL,
		   "control ioctl with an unknown flag -> EINVAL");
	expect_reason("unknown flags", "unknown flag");
	o.hdr.flags = 0;
	o.hdr.__reserved = 1;
	expect_err(ctl(KBPF_IOC_PROG_UNLOAD, &o), -EINVAL,
		   "control ioctl with a reserved header member set -> EINVAL");
	expect_reason("reserved", "reserved header member");
	o.hdr.__reserved = 0;
	o.__reserved = 1;
	expect_err(ctl(KBPF_IOC_MAP_DESTROY, &o), -EINVAL,
		   "MAP_DESTROY with its reserved member set -> EINVAL");
	o.__reserved = 0;
	o.hdr.log_size = 0;
	expect_err(ctl(KBPF_IOC_PROG_UNLOAD, &o), -EINVAL,
		   "a log buffer without a size -> EINVAL");
	o.hdr.log_size = 5;
	memset(ctl_why, 'x', sizeof(ctl_why));
	expect_err(dev_ioctl(KBPF_IOC_PROG_UNLOAD, &o), -ENOENT,
		   "PROG_UNLOAD of an unknown id -> ENOENT");
	expect_true(!memcmp(ctl_why, "no s", 5) && ctl_why[5] == 'x',
		    ctl_why, "\"no s\" NUL, then untouched",
		    "the reason is cut to log_size, NUL-terminated");
	o.hdr.log_size = sizeof(ctl_why);
	o.hdr.log_buf = BAD_PTR;
	expect_err(ctl(KBPF_IOC_PROG_UNLOAD, &o), -EFAULT,
		   "a reason that cannot be written -> EFAULT");
	o.hdr.log_buf = ptr(ctl_why);
	memcpy(o.name, "0123456789abcdef", sizeof(o.name));
	o.id = 0;
	expect_err(ctl(KBPF_IOC_PROG_UNLOAD, &o), -EINVAL,
		   "a name without its NUL -> EINVAL");
	memset(o.name, 0, sizeof(o.name));
	expect_err(ctl(KBPF_IOC_PROG_UNLOAD, &o), -EINVAL,
		   "neither id nor name -> EINVAL");
	expect_reason("id or name required", "neither id nor name");
	snprintf(o.name, sizeof(o.name), "abi_none");
	expect_err(ctl(KBPF_IOC_MAP_DESTROY, &o), -ENOENT,
		   "MAP_DESTROY by an unknown name -> ENOENT");
	expect_reason("no such map", "unknown map");
}

/* The ids GET_NEXT_ID walks, against what netlink dumps. */
static void check_ctl_next_id(__u32 prog_a, __u32 map_id)
{
	struct kbpf_next_id_attr n = { CTL_HDR(n, 0) };
	struct prog_list list;
	__u32 seen = 0, found = 0;
	int err;

	prog_dump(&list);
	while (!(err = ctl(KBPF_IOC_PROG_GET_NEXT_ID, &n)) && seen < 1000) {
		expect_true(n.next_id > n.start_id, "not above", "above",
			    "PROG_GET_NEXT_ID %u -> %u", n.start_id, n.next_id);
		found += prog_find(&list, n.next_id) != NULL;
		seen++;
		n.start_id = n.next_id;
	}
	expect_err(err, -ENOENT, "PROG_GET_NEXT_ID past the last -> ENOENT");
	expect_reason("no program after", "past the last");
	expect_u64(seen, list.count, "PROG_GET_NEXT_ID walks as many programs as the dump lists");
	expect_u64(found, list.count, "and the same ids");
	n.start_id = prog_a - 1;
	expect_true(!ctl(KBPF_IOC_PROG_GET_NEXT_ID, &n) && n.next_id == prog_a,
		    "other", "the program", "PROG_GET_NEXT_ID from id - 1 finds it");
	n.start_id = 0xffffffff;
	expect_err(ctl(KBPF_IOC_PROG_GET_NEXT_ID, &n), -ENOENT,
		   "PROG_GET_NEXT_ID from the largest id -> ENOENT");
	n.start_id = map_id - 1;
	expect_true(!ctl(KBPF_IOC_MAP_GET_NEXT_ID, &n) && n.next_id == map_id,
		    "other", "the map", "MAP_GET_NEXT_ID from id - 1 finds it");
}

/* A map's info through both doors: the ioctl's struct and MAP_GET. */
static void map_info_both(__u32 map_id, struct kbpf_map_info_attr *m,
			  struct map_info *nl)
{
	memset(m, 0xff, sizeof(*m));
	*m = (struct kbpf_map_info_attr) { CTL_HDR(*m, 0), .map_id = map_id };
	expect_err(ctl(KBPF_IOC_MAP_GET_INFO, m), 0, "ioctl MAP_GET_INFO");
	memset(nl, 0, sizeof(*nl));
	kbpf_cmd_on(nl_sock, KBPF_CMD_MAP_GET, REQ(.map_id = map_id), 0,
		    map_reply, nl);
}

/*
 * Flags and the frozen state, the members appended last: the same through
 * both doors, before and after a freeze; a caller that knows the struct
 * without them gets the rest and nothing past its size; the reserved
 * member after them must be 0.
 */
static void check_ctl_map_state(void)
{
	struct kbpf_map_create_attr c;
	struct kbpf_map_freeze_attr f = { CTL_HDR(f, 0) };
	struct kbpf_obj_attr o = { CTL_HDR(o, 0) };
	struct kbpf_map_info_attr m;
	struct map_info nl;
	struct {
		struct kbpf_map_info_attr m;
		__u8 canary[8];
	} old;
	size_t old_size = offsetof(struct kbpf_map_info_attr, frozen);

	map_attr_init(&c, KBPF_MAP_TYPE_HASH, 4, 8, 4, "abi_ctl_ro");
	c.flags = KBPF_F_NO_PREALLOC | KBPF_F_RDONLY_PROG;
	if (dev_ioctl(KBPF_IOC_MAP_CREATE, &c))
		bail("cannot create abi_ctl_ro");
	map_info_both(c.map_id, &m, &nl);
	expect_true(m.map_flags == c.flags && nl.flags == c.flags &&
		    !m.frozen && !nl.frozen && !m.__reserved, "other",
		    "the flags, not frozen",
		    "MAP_GET_INFO and MAP_GET: flags NO_PREALLOC|RDONLY_PROG, not frozen");
	f.map_id = c.map_id;
	expect_err(ctl(KBPF_IOC_MAP_FREEZE, &f), 0, "MAP_FREEZE abi_ctl_ro");
	map_info_both(c.map_id, &m, &nl);
	expect_true(m.frozen == 1 && nl.frozen == 1 && m.map_flags == c.flags,
		    "not frozen", "frozen",
		    "MAP_GET_INFO and MAP_GET: frozen after MAP_FREEZE");

	memset(&old, 0xab, sizeof(old));
	memset(&old.m, 0, old_size);
	old.m.hdr = (struct kbpf_ctl_hdr) { .size = old_size };
	old.m.map_id = c.map_id;
	expect_err(ctl(KBPF_IOC_MAP_GET_INFO, &old), 0,
		   "MAP_GET_INFO with the struct before frozen (%zu bytes)",
		   old_size);
	expect_true(old.m.map_flags == c.flags && old.m.netns_cookie &&
		    old.m.frozen == 0xabababab && old.canary[0] == 0xab,
		    "written past its size", "its members only",
		    "an older caller gets its members and nothing past its size");

	m = (struct kbpf_map_info_attr) { CTL_HDR(m, 0), .map_id = c.map_id,
					  .__reserved = 1 };
	expect_err(ctl(KBPF_IOC_MAP_GET_INFO, &m), -EINVAL,
		   "MAP_GET_INFO with its reserved member set -> EINVAL");
	expect_reason("reserved", "MAP_GET_INFO's reserved member");
	o.id = c.map_id;
	expect_err(ctl(KBPF_IOC_MAP_DESTROY, &o), 0, "MAP_DESTROY abi_ctl_ro");
}

static void check_ctl_map_info(__u32 map_id)
{
	struct kbpf_map_info_attr m;
	struct map_info nl;

	map_info_both(map_id, &m, &nl);
	expect_true(m.map_id == nl.id && !strcmp(m.name, nl.name) &&
		    m.map_type == nl.type && m.key_size == nl.key_size &&
		    m.value_size == nl.value_size &&
		    m.max_entries == nl.max_entries && m.netns_cookie &&
		    m.map_flags == nl.flags && m.frozen == nl.frozen,
		    m.name, nl.name, "MAP_GET_INFO says what MAP_GET says");
	m = (struct kbpf_map_info_attr) { CTL_HDR(m, 0) };
	snprintf(m.name, sizeof(m.name), "%s", nl.name);
	expect_true(!ctl(KBPF_IOC_MAP_GET_INFO, &m) && m.map_id == map_id,
		    "other", "the map", "MAP_GET_INFO by name");
	check_ctl_map_state();
}

static int hook_count_reply_n;

static void hook_count_reply(const struct nlmsghdr *h, void *arg)
{
	hook_count_reply_n++;
}

static int ctl_hook_info(const struct kbpf_hook_id *id,
			 struct kbpf_hook_info_attr *hi,
			 struct kbpf_attach_info *chain, __u32 room)
{
	*hi = (struct kbpf_hook_info_attr) {
		CTL_HDR(*hi, 0), .hook = *id, .chain = ptr(chain),
		.chain_cnt = room, .chain_rec_size = sizeof(*chain),
	};
	return ctl(KBPF_IOC_HOOK_GET_INFO, hi);
}

static int ctl_hook_set(const struct kbpf_hook_id *id, __u32 flags,
			__u32 policy, __u64 deadline_ns)
{
	struct kbpf_hook_set_attr a = {
		CTL_HDR(a, flags), .hook = *id, .policy = policy,
		.deadline_ns = deadline_ns,
	};

	return ctl(KBPF_IOC_HOOK_SET, &a);
}

/* b (kbpf priority 9) and a share ipv4/local_out 77; a is on ipv6/local_in. */
static void check_ctl_hooks(__u32 a_id, __u32 b_id)
{
	const struct kbpf_hook_id out77 = {
		KBPF_NF_FAMILY_IPV4, KBPF_NF_HOOK_LOCAL_OUT, 77, 0,
	};
	const struct kbpf_hook_id none = {
		KBPF_NF_FAMILY_IPV4, KBPF_NF_HOOK_FORWARD, 12345, 0,
	};
	struct kbpf_hook_next_attr n = { CTL_HDR(n, 0) };
	struct kbpf_feature_get_attr f = { CTL_HDR(f, 0) };
	struct kbpf_attach_info chain[4];
	struct kbpf_hook_info_attr hi;
	__u32 walked = 0, ordered = 1, found = 0;
	__u64 zero = 0;
	struct nl_req r;
	int err;

	while (!(err = ctl(KBPF_IOC_HOOK_GET_NEXT, &n)) && walked < 1000) {
		const struct kbpf_hook_id *s = &n.start, *x = &n.next;

		if (s->family && (x->family < s->family ||
				  (x->family == s->family && x->hook < s->hook)))
			ordered = 0;
		found += !memcmp(x, &out77, sizeof(*x));
		walked++;
		n.start = n.next;
	}
	expect_err(err, -ENOENT, "HOOK_GET_NEXT past the last -> ENOENT");
	hook_count_reply_n = 0;
	kbpf_cmd_on(nl_sock, KBPF_CMD_HOOK_GET, REQ(), NLM_F_DUMP,
		    hook_count_reply, NULL);
	expect_u64(walked, hook_count_reply_n,
		   "HOOK_GET_NEXT walks as many hook points as HOOK_GET dumps");
	expect_true(ordered && found == 1, "unordered or missing",
		    "in order, ipv4/local_out 77 once", "HOOK_GET_NEXT's order");

	memset(chain, 0xa5, sizeof(chain));
	expect_err(ctl_hook_info(&out77, &hi, chain, 4), 0,
		   "HOOK_GET_INFO ipv4/local_out 77");
	expect_true(hi.chain_cnt == 2 && chain[0].prog_id == b_id &&
		    chain[1].prog_id == a_id && chain[2].prog_id == 0xa5a5a5a5,
		    "other", "b (priority 9), then a",
		    "HOOK_GET_INFO: the chain in run order");
	expect_true((hi.policy == KBPF_SCHED_THROUGHPUT ||
		     hi.policy == KBPF_SCHED_DEADLINE) && hi.deadline_ns > 0,
		    "default or 0", "the policy and deadline in effect",
		    "HOOK_GET_INFO: policy %u, deadline %llu ns", hi.policy,
		    (unsigned long long)hi.deadline_ns);
	expect_err(ctl_hook_info(&out77, &hi, chain, 1), -ENOSPC,
		   "HOOK_GET_INFO with room for 1 of 2 -> ENOSPC");
	expect_err(ctl_hook_info(&none, &hi, NULL, 0), -ENOENT,
		   "HOOK_GET_INFO of a hook point with nothing -> ENOENT");
	expect_reason("nothing is attached", "empty hook point");

	expect_err(ctl_hook_set(&out77, 0, 0, 0), -EINVAL,
		   "HOOK_SET without a flag -> EINVAL");
	expect_reason("nothing to set", "no flag");
	expect_err(ctl_hook_set(&out77, KBPF_HOOK_SET_F_POLICY, 9, 0), -EINVAL,
		   "HOOK_SET, policy 9 -> EINVAL");
	expect_err(ctl_hook_set(&out77, 1 << 7, 0, 0), -EINVAL,
		   "HOOK_SET with an unknown flag -> EINVAL");
	expect_err(ctl_hook_set(&out77, KBPF_HOOK_SET_F_POLICY |
				KBPF_HOOK_SET_F_DEADLINE, KBPF_SCHED_DEADLINE,
				2000000), 0,
		   "HOOK_SET policy deadline, deadline 2 ms");
	ctl_hook_info(&out77, &hi, chain, 4);
	expect_true(hi.policy == KBPF_SCHED_DEADLINE &&
		    hi.deadline_ns == 2000000 &&
		    chain[0].policy == KBPF_SCHED_DEADLINE, "other",
		    "deadline, 2000000", "HOOK_GET_INFO shows the settings");
	expect_err(ctl_hook_set(&out77, KBPF_HOOK_SET_F_POLICY,
				KBPF_SCHED_DEFAULT, 0), 0,
		   "HOOK_SET policy back to the module's");
	ctl_hook_info(&out77, &hi, chain, 4);
	ctl(KBPF_IOC_FEATURE_GET, &f);
	expect_true(hi.policy == f.policy && hi.deadline_ns == 2000000,
		    "other", "the module's policy, deadline kept",
		    "HOOK_SET changes only what its flags name");
	expect_err(ctl_hook_set(&out77, KBPF_HOOK_SET_F_DEADLINE, 0, 0), 0,
		   "HOOK_SET deadline 0: back to the profile's");
	ctl_hook_info(&out77, &hi, chain, 4);
	expect_u64(hi.deadline_ns, f.default_deadline_ns,
		   "HOOK_GET_INFO shows the profile's deadline again");

	/* Netlink's HOOK_SET takes 0 the same way (its policy once refused it). */
	ctl_hook_set(&out77, KBPF_HOOK_SET_F_DEADLINE, 0, 3000000);
	nl_req_init(&r, kbpf_family, KBPF_CMD_HOOK_SET, 0);
	nl_put_u32(&r, KBPF_A_NF_FAMILY, out77.family);
	nl_put_u32(&r, KBPF_A_NF_HOOK, out77.hook);
	nl_put_u32(&r, KBPF_A_NF_PRIORITY, (__u32)out77.nf_prio);
	nl_put(&r, KBPF_A_DEADLINE_NS, &zero, sizeof(zero));
	expect_err(nl_talk(&r, NULL, NULL), 0,
		   "genl HOOK_SET with KBPF_A_DEADLINE_NS 0");
	ctl_hook_info(&out77, &hi, chain, 4);
	expect_u64(hi.deadline_ns, f.default_deadline_ns,
		   "genl HOOK_SET deadline 0: back to the profile's");
}

/* Attach, show, hook walk and settings, replace, detach: all by ioctl. */
static void check_ctl_attach(__u32 a_id, __u32 b_id)
{
	struct kbpf_attach_info links[4];
	struct kbpf_prog_info_attr pi;
	struct kbpf_prog_detach_attr d = { CTL_HDR(d, 0), .prog_id = a_id };
	struct kbpf_prog_replace_attr r = { CTL_HDR(r, 0), .prog_id = a_id,
					    .new_prog_id = b_id };
	struct kbpf_prog_attach_attr at = {
		CTL_HDR(at, KBPF_ATTACH_F_MISS_DROP), .prog_id = b_id,
		.hook = { KBPF_NF_FAMILY_IPV4, KBPF_NF_HOOK_LOCAL_OUT, 77 },
		.sched_prio = 9, .budget = 1234, .deadline_ns = 5000,
		.mode = KBPF_MODE_OBSERVE,
	};
	__u8 big[2][200];
	int err;

	expect_err(ctl_attach(a_id, KBPF_NF_FAMILY_IPV4, KBPF_NF_HOOK_LOCAL_OUT,
			      77, 0, 0), 0, "ioctl PROG_ATTACH ipv4/local_out prio 77");
	expect_err(ctl_attach(a_id, KBPF_NF_FAMILY_IPV4, KBPF_NF_HOOK_LOCAL_OUT,
			      77, 0, 0), -EEXIST, "ioctl PROG_ATTACH again -> EEXIST");
	expect_reason("already attached", "attach again");
	expect_err(ctl_attach(a_id, 7, 0, 0, 0, 0), -EINVAL,
		   "ioctl PROG_ATTACH, family 7 -> EINVAL");
	expect_reason("family must be", "family 7");
	expect_err(ctl_attach(a_id, KBPF_NF_FAMILY_IPV4, 9, 0, 0, 0), -EINVAL,
		   "ioctl PROG_ATTACH, hook 9 -> EINVAL");
	expect_err(ctl_attach(a_id, KBPF_NF_FAMILY_IPV4, KBPF_NF_HOOK_LOCAL_IN,
			      -2147483647 - 1, 0, 0), -ERANGE,
		   "ioctl PROG_ATTACH at NF_IP_PRI_FIRST -> ERANGE");
	expect_err(ctl_attach(a_id, KBPF_NF_FAMILY_NETDEV, KBPF_NF_HOOK_INGRESS,
			      0, 0, 0), -EINVAL,
		   "ioctl PROG_ATTACH netdev/ingress without a device -> EINVAL");
	expect_err(ctl_attach(a_id, KBPF_NF_FAMILY_IPV6, KBPF_NF_HOOK_LOCAL_IN,
			      0, 0, 1 << 5), -EINVAL,
		   "ioctl PROG_ATTACH with an unknown flag -> EINVAL");
	at.mode = 2;
	expect_err(ctl(KBPF_IOC_PROG_ATTACH, &at), -EINVAL,
		   "ioctl PROG_ATTACH, mode 2 -> EINVAL");
	at.mode = KBPF_MODE_OBSERVE;
	expect_err(ctl(KBPF_IOC_PROG_ATTACH, &at), 0,
		   "ioctl PROG_ATTACH with every setting (observer, miss drop)");
	expect_err(ctl_attach(a_id, KBPF_NF_FAMILY_IPV6, KBPF_NF_HOOK_LOCAL_IN,
			      0, 0, 0), 0, "ioctl PROG_ATTACH ipv6/local_in");
	expect_u64(prog_links(a_id), 2, "netlink's dump sees both attachments");

	expect_err(ctl_info(a_id, &pi, NULL, 0), 0,
		   "PROG_GET_INFO without a buffer: the head and the count");
	expect_u64(pi.attach_cnt, 2, "PROG_GET_INFO counts 2 attachments");
	memset(links, 0xa5, sizeof(links));
	expect_err(ctl_info(a_id, &pi, links, 1), -ENOSPC,
		   "PROG_GET_INFO with room for 1 of 2 -> ENOSPC");
	expect_u64(pi.attach_cnt, 2, "ENOSPC: attach_cnt says how many there are");
	expect_true(links[0].prog_id == a_id && links[1].prog_id == 0xa5a5a5a5,
		    "other", "one record, then untouched",
		    "ENOSPC: the record that fits is written, no more");
	expect_err(ctl_info(a_id, &pi, links, 4), 0, "PROG_GET_INFO with room");
	expect_true(pi.prog_id == a_id && !strcmp(pi.name, "abi_ctl_a") &&
		    pi.prog_type == KBPF_PROG_TYPE_NETFILTER &&
		    pi.insn_cnt == ARRAY_SIZE(prog_accept) &&
		    pi.engine == KBPF_ENGINE_INTERPRETER && pi.netns_cookie &&
		    pi.worst_case == ARRAY_SIZE(prog_accept),
		    pi.name, "abi_ctl_a, netfilter, 2 insns",
		    "PROG_GET_INFO's head (worst case %llu)",
		    (unsigned long long)pi.worst_case);
	expect_true(all_bytes(pi.native_module, 0, sizeof(pi.native_module)),
		    "garbage", "zeros", "no native module: its name is all zero");
	expect_true(links[0].family == KBPF_NF_FAMILY_IPV4 &&
		    links[0].hook == KBPF_NF_HOOK_LOCAL_OUT &&
		    links[0].nf_prio == 77 && !strcmp(links[0].prog_name, "abi_ctl_a") &&
		    links[0].mode == KBPF_MODE_INLINE &&
		    links[0].miss_verdict == KBPF_NF_ACCEPT &&
		    links[0].ifindex == 0 && !links[0].ifname[0] &&
		    links[1].family == KBPF_NF_FAMILY_IPV6, "other",
		    "ipv4/local_out 77, then ipv6/local_in",
		    "PROG_GET_INFO's attachments, in attach order");

	/* A newer caller's larger records: our part, then zeros. */
	memset(big, 0xa5, sizeof(big));
	pi = (struct kbpf_prog_info_attr) {
		CTL_HDR(pi, 0), .prog_id = b_id, .attachments = ptr(big),
		.attach_cnt = 2, .attach_rec_size = sizeof(big[0]),
	};
	expect_err(ctl(KBPF_IOC_PROG_GET_INFO, &pi), 0,
		   "PROG_GET_INFO with 200-byte records");
	memcpy(&links[0], big[0], sizeof(links[0]));
	expect_true(all_bytes((char *)big[0] + sizeof(links[0]), 0,
			      sizeof(big[0]) - sizeof(links[0])) &&
		    (__u8)big[1][0] == 0xa5 && links[0].sched_prio == 9 &&
		    links[0].budget == 1234 && links[0].deadline_ns == 5000 &&
		    links[0].miss_verdict == KBPF_NF_DROP &&
		    links[0].mode == KBPF_MODE_OBSERVE, "other",
		    "the settings, zeros to 200, the next record untouched",
		    "a 200-byte record holds the attach settings");
	pi.attach_rec_size = 100;
	expect_err(ctl(KBPF_IOC_PROG_GET_INFO, &pi), -EINVAL,
		   "PROG_GET_INFO, record size 100 -> EINVAL");
	pi.attach_rec_size = 8192;
	expect_err(ctl(KBPF_IOC_PROG_GET_INFO, &pi), -EINVAL,
		   "PROG_GET_INFO, record size 8192 -> EINVAL");
	pi.attachments = 0;
	pi.attach_cnt = 7;
	expect_err(ctl(KBPF_IOC_PROG_GET_INFO, &pi), 0,
		   "PROG_GET_INFO, room and record size without a buffer: the count");
	expect_u64(pi.attach_cnt, 1, "and the count is the program's");
	pi.attach_rec_size = sizeof(links[0]);
	pi.attachments = BAD_PTR;
	expect_err(ctl(KBPF_IOC_PROG_GET_INFO, &pi), -EFAULT,
		   "PROG_GET_INFO into an unmapped buffer -> EFAULT");
	expect_err(ctl_info(0x7ffffff0, &pi, NULL, 0), -ENOENT,
		   "PROG_GET_INFO of an unknown id -> ENOENT");
	expect_reason("no such program", "unknown id");

	check_ctl_hooks(a_id, b_id);

	r.new_prog_id = a_id;
	expect_err(ctl(KBPF_IOC_PROG_REPLACE, &r), -EINVAL,
		   "ioctl PROG_REPLACE of a program by itself -> EINVAL");
	r.new_prog_id = 0x7ffffff0;
	expect_err(ctl(KBPF_IOC_PROG_REPLACE, &r), -ENOENT,
		   "ioctl PROG_REPLACE by an unknown program -> ENOENT");
	expect_reason("no such replacement program", "unknown replacement");
	r.new_prog_id = b_id;
	expect_err(ctl(KBPF_IOC_PROG_REPLACE, &r), -EEXIST,
		   "ioctl PROG_REPLACE by one already in a chain of the old -> EEXIST");
	expect_err(ctl_detach_all(b_id), 0, "ioctl PROG_DETACH, every hook");
	expect_err(ctl_detach_all(b_id), -ENOENT,
		   "ioctl PROG_DETACH, every hook, again -> ENOENT");
	expect_reason("not attached", "detach again");
	expect_err(ctl(KBPF_IOC_PROG_REPLACE, &r), 0, "ioctl PROG_REPLACE");
	expect_true(prog_links(a_id) == 0 && prog_links(b_id) == 2, "other",
		    "0 and 2", "the replacement holds both attachments");

	d.prog_id = b_id;
	expect_err(ctl(KBPF_IOC_PROG_DETACH, &d), -EINVAL,
		   "ioctl PROG_DETACH without a hook or KBPF_DETACH_F_ALL -> EINVAL");
	d.hdr.flags = KBPF_DETACH_F_ALL;
	d.family = KBPF_NF_FAMILY_IPV4;
	expect_err(ctl(KBPF_IOC_PROG_DETACH, &d), -EINVAL,
		   "ioctl PROG_DETACH, KBPF_DETACH_F_ALL with a family -> EINVAL");
	d.hdr.flags = 0;
	d.hook = KBPF_NF_HOOK_LOCAL_OUT;
	expect_err(ctl(KBPF_IOC_PROG_DETACH, &d), 0,
		   "ioctl PROG_DETACH ipv4/local_out");
	err = ctl(KBPF_IOC_PROG_DETACH, &d);
	expect_err(err, -ENOENT, "ioctl PROG_DETACH ipv4/local_out again -> ENOENT");
	expect_reason("not attached to this hook", "detach again");
	expect_err(ctl_detach_all(b_id), 0, "ioctl PROG_DETACH, the rest");
	expect_u64(prog_links(b_id), 0, "nothing is attached any more");
}

static void feature_reply(const struct nlmsghdr *h, void *arg)
{
	const struct nlattr *tb[KBPF_A_MAX + 1], *ft[KBPF_FEAT_A_MAX + 1], *a;
	__u64 *out = arg;
	int rem;

	a = genl_attrs(h, &rem);
	nl_parse(a, rem, tb, KBPF_A_MAX);
	if (!tb[KBPF_A_FEATURE])
		return;
	nl_parse(NLA_DATA(tb[KBPF_A_FEATURE]),
		 tb[KBPF_A_FEATURE]->nla_len - NLA_HDRLEN, ft, KBPF_FEAT_A_MAX);
	if (ft[KBPF_FEAT_A_MAX_PROGS])
		memcpy(&out[0], NLA_DATA(ft[KBPF_FEAT_A_MAX_PROGS]), 8);
	if (ft[KBPF_FEAT_A_MAX_CHAIN])
		memcpy(&out[1], NLA_DATA(ft[KBPF_FEAT_A_MAX_CHAIN]), 8);
	if (ft[KBPF_FEAT_A_TRACE_LINES])
		memcpy(&out[2], NLA_DATA(ft[KBPF_FEAT_A_TRACE_LINES]), 8);
}

static int ctl_stats(__u32 flags, __u32 on)
{
	struct kbpf_feature_set_attr a = {
		CTL_HDR(a, flags), .stats_enabled = on,
	};

	return ctl(KBPF_IOC_FEATURE_SET, &a);
}

static void check_ctl_feature(void)
{
	struct kbpf_feature_get_attr f = { CTL_HDR(f, 0) };
	__u64 nl[3] = { 0 };
	__u32 was;

	expect_err(ctl(KBPF_IOC_FEATURE_GET, &f), 0, "ioctl FEATURE_GET");
	kbpf_cmd_on(nl_sock, KBPF_CMD_FEATURE_GET, REQ(), 0, feature_reply, nl);
	expect_true(!strcmp(f.profile, ver_profile) && f.max_progs == nl[0] &&
		    f.max_chain == nl[1] && f.trace_lines == nl[2] &&
		    f.max_insns && f.default_budget && f.ns_per_insn,
		    f.profile, ver_profile,
		    "FEATURE_GET gives the limits FEATURE_GET over netlink gives");
	expect_true(f.pool_size ? f.pool_used <= f.pool_size &&
				  f.pool_peak >= f.pool_used :
				  !f.pool_used, "inconsistent", "used <= size",
		    "FEATURE_GET: pool usage");
	was = f.stats_enabled;
	expect_err(ctl_stats(KBPF_FEATURE_SET_F_STATS, !was), 0,
		   "ioctl FEATURE_SET statistics %s", was ? "off" : "on");
	ctl(KBPF_IOC_FEATURE_GET, &f);
	expect_u64(f.stats_enabled, !was, "FEATURE_GET shows the switch");
	expect_err(ctl_stats(KBPF_FEATURE_SET_F_STATS, was), 0,
		   "ioctl FEATURE_SET statistics back");
	expect_err(ctl_stats(0, 1), -EINVAL, "FEATURE_SET without a flag -> EINVAL");
	expect_reason("nothing to set", "no flag");
	expect_err(ctl_stats(KBPF_FEATURE_SET_F_STATS, 2), -EINVAL,
		   "FEATURE_SET, statistics 2 -> EINVAL");
	ctl(KBPF_IOC_FEATURE_GET, &f);
	expect_u64(f.stats_enabled, was, "the refused requests changed nothing");
}

/* Destroy and unload by ioctl, with the refusals netlink gives. */
static void check_ctl_remove(__u32 a_id, __u32 b_id, __u32 user_id,
			     __u32 map_id)
{
	struct kbpf_obj_attr o = { CTL_HDR(o, 0), .id = map_id };
	struct kbpf_prog_info_attr pi;

	expect_err(ctl(KBPF_IOC_MAP_DESTROY, &o), -EBUSY,
		   "ioctl MAP_DESTROY of a map a program uses -> EBUSY");
	expect_reason("in use", "map in use");
	o.id = user_id;
	expect_err(ctl(KBPF_IOC_PROG_UNLOAD, &o), 0, "ioctl PROG_UNLOAD by id");
	o.id = 0;
	snprintf(o.name, sizeof(o.name), "abi_ctl_a");
	expect_err(ctl(KBPF_IOC_PROG_UNLOAD, &o), 0, "ioctl PROG_UNLOAD by name");
	expect_err(ctl_info(a_id, &pi, NULL, 0), -ENOENT,
		   "PROG_GET_INFO of the unloaded program -> ENOENT");
	o.id = b_id;
	expect_err(ctl(KBPF_IOC_PROG_UNLOAD, &o), 0, "ioctl PROG_UNLOAD");
	o.id = map_id;
	expect_err(ctl(KBPF_IOC_MAP_DESTROY, &o), 0,
		   "ioctl MAP_DESTROY once nothing uses the map");
	expect_err(ctl(KBPF_IOC_MAP_DESTROY, &o), -ENOENT,
		   "ioctl MAP_DESTROY again -> ENOENT");
}

/* What a process without capabilities gets from the control ioctls. */
struct ctl_unpriv_result {
	int version, feature, next_id, info, map_info, attach, detach, unload;
	int destroy, hook_next, hook_set, feature_set;
	char why[KBPF_CTL_LOG_SIZE];
};

static void ctl_unpriv_child(int out_fd, void *arg)
{
	const __u32 *ids = arg;
	struct ctl_unpriv_result r;
	struct kbpf_version_attr v = { CTL_HDR(v, 0) };
	struct kbpf_feature_get_attr f = { CTL_HDR(f, 0) };
	struct kbpf_next_id_attr n = { CTL_HDR(n, 0) };
	struct kbpf_map_info_attr m = { CTL_HDR(m, 0), .map_id = ids[1] };
	struct kbpf_obj_attr o = { CTL_HDR(o, 0), .id = ids[0] };
	struct kbpf_hook_next_attr hn = { CTL_HDR(hn, 0) };
	struct kbpf_prog_info_attr pi;
	const struct kbpf_hook_id hook = {
		KBPF_NF_FAMILY_IPV4, KBPF_NF_HOOK_LOCAL_IN, 0, 0,
	};

	memset(&r, 0, sizeof(r));
	if (drop_all_caps())
		_exit(2);
	r.version = ctl(KBPF_IOC_GET_VERSION, &v);
	r.feature = ctl(KBPF_IOC_FEATURE_GET, &f);
	r.next_id = ctl(KBPF_IOC_PROG_GET_NEXT_ID, &n);
	memcpy(r.why, ctl_why, sizeof(r.why));
	r.info = ctl_info(ids[0], &pi, NULL, 0);
	r.map_info = ctl(KBPF_IOC_MAP_GET_INFO, &m);
	r.attach = ctl_attach(ids[0], KBPF_NF_FAMILY_IPV4,
			      KBPF_NF_HOOK_LOCAL_IN, 0, 0, 0);
	r.detach = ctl_detach_all(ids[0]);
	r.unload = ctl(KBPF_IOC_PROG_UNLOAD, &o);
	o.id = ids[1];
	r.destroy = ctl(KBPF_IOC_MAP_DESTROY, &o);
	r.hook_next = ctl(KBPF_IOC_HOOK_GET_NEXT, &hn);
	r.hook_set = ctl_hook_set(&hook, KBPF_HOOK_SET_F_POLICY,
				  KBPF_SCHED_DEADLINE, 0);
	r.feature_set = ctl_stats(KBPF_FEATURE_SET_F_STATS, 1);
	_exit(write(out_fd, &r, sizeof(r)) == sizeof(r) ? 0 : 3);
}

static void check_ctl_unprivileged(__u32 prog_id, __u32 map_id)
{
	__u32 ids[2] = { prog_id, map_id };
	struct ctl_unpriv_result r;

	run_child(ctl_unpriv_child, ids, &r, sizeof(r),
		  "a child drops every capability, keeping /dev/kbpf open");
	expect_err(r.version, 0, "without capabilities: ioctl GET_VERSION works");
	expect_err(r.feature, 0, "without capabilities: ioctl FEATURE_GET works");
	expect_err(r.next_id, -EPERM, "without capabilities: PROG_GET_NEXT_ID -> EPERM");
	expect_true(strstr(r.why, "CAP_NET_ADMIN") != NULL, r.why,
		    "needs CAP_NET_ADMIN ...", "the EPERM says what is needed");
	expect_err(r.info, -EPERM, "without capabilities: PROG_GET_INFO -> EPERM");
	expect_err(r.map_info, -EPERM, "without capabilities: MAP_GET_INFO -> EPERM");
	expect_err(r.attach, -EPERM, "without capabilities: PROG_ATTACH -> EPERM");
	expect_err(r.detach, -EPERM, "without capabilities: PROG_DETACH -> EPERM");
	expect_err(r.unload, -EPERM, "without capabilities: PROG_UNLOAD -> EPERM");
	expect_err(r.destroy, -EPERM, "without capabilities: MAP_DESTROY -> EPERM");
	expect_err(r.hook_next, -EPERM, "without capabilities: HOOK_GET_NEXT -> EPERM");
	expect_err(r.hook_set, -EPERM, "without capabilities: HOOK_SET -> EPERM");
	expect_err(r.feature_set, -EPERM, "without capabilities: FEATURE_SET -> EPERM");
	expect_u64(prog_links(prog_id), 0, "the refused attach left nothing");
}

/* The root of a user namespace with its own netns, by ioctl. */
struct ctl_userns_result {
	int enter, host_info, host_attach, next_id, load, attach, hook_next;
	int hook_set, feature_set;
	__u32 own_prog;
};

static void ctl_userns_child(int out_fd, void *arg)
{
	const __u32 *host_prog = arg;
	struct ctl_userns_result r;
	struct kbpf_next_id_attr n = { CTL_HDR(n, 0) };
	struct kbpf_hook_next_attr hn = { CTL_HDR(hn, 0) };
	struct kbpf_prog_info_attr pi;
	const struct kbpf_hook_id hook = {
		KBPF_NF_FAMILY_IPV4, KBPF_NF_HOOK_LOCAL_IN, 0, 0,
	};

	memset(&r, 0, sizeof(r));
	r.enter = enter_userns_netns();
	kbpf_dev = open(KBPF_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (r.enter || kbpf_dev < 0)
		goto out;
	r.host_info = ctl_info(*host_prog, &pi, NULL, 0);
	r.host_attach = ctl_attach(*host_prog, KBPF_NF_FAMILY_IPV4,
				   KBPF_NF_HOOK_LOCAL_IN, 0, 0, 0);
	r.next_id = ctl(KBPF_IOC_PROG_GET_NEXT_ID, &n);
	r.load = prog_load("abi_ctl_ns", prog_accept, ARRAY_SIZE(prog_accept),
			   &r.own_prog);
	r.attach = ctl_attach(r.own_prog, KBPF_NF_FAMILY_IPV4,
			      KBPF_NF_HOOK_LOCAL_IN, 0, 0, 0);
	r.hook_next = ctl(KBPF_IOC_HOOK_GET_NEXT, &hn) ?:
		      (memcmp(&hn.next, &hook, sizeof(hook)) ? -EBADMSG : 0) ?:
		      (ctl(KBPF_IOC_HOOK_GET_NEXT, &(struct kbpf_hook_next_attr){
				CTL_HDR(hn, 0), .start = hook }) == -ENOENT ?
		       0 : -EBADMSG);
	r.hook_set = ctl_hook_set(&hook, KBPF_HOOK_SET_F_POLICY,
				  KBPF_SCHED_DEADLINE, 0);
	r.feature_set = ctl_stats(KBPF_FEATURE_SET_F_STATS, 1);
out:
	if (write(out_fd, &r, sizeof(r)) != sizeof(r))
		_exit(3);
}

static void check_ctl_userns_root(__u32 host_prog)
{
	struct ctl_userns_result r;
	struct prog_list list;
	int tries;

	run_child(ctl_userns_child, &host_prog, &r, sizeof(r),
		  "a child becomes root of a new user and network namespace");
	expect_err(r.enter, 0, "unshare(CLONE_NEWUSER | CLONE_NEWNET)");
	expect_err(r.host_info, -ENOENT,
		   "userns root: PROG_GET_INFO of a host program -> ENOENT");
	expect_err(r.host_attach, -ENOENT,
		   "userns root: PROG_ATTACH of a host program -> ENOENT");
	expect_err(r.next_id, -ENOENT,
		   "userns root: PROG_GET_NEXT_ID sees no host program");
	expect_err(r.load, 0, "userns root: prog load");
	expect_err(r.attach, 0,
		   "userns root: ioctl PROG_ATTACH in its own namespace");
	expect_err(r.hook_next, 0,
		   "userns root: HOOK_GET_NEXT walks its own hook point only");
	expect_err(r.hook_set, 0, "userns root: HOOK_SET in its own namespace");
	expect_err(r.feature_set, -EPERM,
		   "userns root: FEATURE_SET (module-wide) -> EPERM");
	/* Its namespace, and the program with it, go asynchronously. */
	for (tries = 0; tries < 50; tries++) {
		prog_dump(&list);
		if (!prog_find(&list, r.own_prog))
			break;
		usleep(100000);
	}
	expect_true(tries < 50, "still listed", "gone",
		    "userns root: its program goes away with its namespace");
}

/* ---- checks: the test run's context (ctx_in, ctx_out, log_buf) ------- */

/* What prog_ctx_echo wrote into the packet. */
struct ctx_echo {
	__u32 family, hook, ifindex, protocol, mark;
};

/* A test run of prog in ctx (NULL: none), its reason in ctl_why. */
static int run_ctx(__u32 prog, const struct kbpf_nf_ctx *ctx, __u32 repeat,
		   struct ctx_echo *echo, struct kbpf_nf_ctx *out)
{
	unsigned char pkt[20] = { 0x45 }, seen[20];
	struct kbpf_prog_test_run_attr a = {
		.size = sizeof(a),
		.prog_id = prog,
		.data_in = ptr(pkt),
		.data_size_in = sizeof(pkt),
		.data_out = ptr(seen),
		.data_size_out = sizeof(seen),
		.repeat = repeat,
		.ctx_in = ctx ? ptr(ctx) : 0,
		.ctx_size_in = ctx ? sizeof(*ctx) : 0,
		.ctx_out = ptr(out),
		.ctx_size_out = sizeof(*out),
		.log_buf = ptr(ctl_why),
		.log_size = sizeof(ctl_why),
	};
	int err;

	memset(out, 0xa5, sizeof(*out));
	err = ctl(KBPF_IOC_PROG_TEST_RUN, &a);
	memcpy(echo, seen, sizeof(*echo));
	if (!err)
		expect_u64(a.ctx_size_out, sizeof(*out),
			   "ctx_size_out is the context's size");
	return err;
}

static void expect_echo(const struct ctx_echo *e, const struct ctx_echo *want,
			const char *what)
{
	expect_u64(e->family, want->family, "%s: family", what);
	expect_u64(e->hook, want->hook, "%s: hook", what);
	expect_u64(e->ifindex, want->ifindex, "%s: ifindex", what);
	expect_u64(e->protocol, want->protocol, "%s: protocol", what);
	expect_u64(e->mark, want->mark, "%s: mark", what);
}

/* Contexts the program must see as given (lo is ifindex 1). */
static void check_test_run_ctx_given(__u32 prog)
{
	const __u32 ip = htons(0x0800), ip6 = htons(0x86dd), arp = htons(0x0806);
	struct kbpf_nf_ctx ctx = { 0 }, out;
	struct ctx_echo e;

	expect_err(run_ctx(prog, NULL, 0, &e, &out), 0, "test run, no context");
	expect_echo(&e, &(struct ctx_echo){ KBPF_NF_FAMILY_IPV4,
		    KBPF_NF_HOOK_LOCAL_IN, 0, ip, 0 }, "no context: local_in");
	expect_u64(out.mark, 1, "ctx_out holds the mark the run left");
	expect_u64(out.data | out.data_end, 0,
		   "ctx_out holds no kernel address (data, data_end)");
	expect_u64(out.len, 20, "ctx_out's len is the packet's");

	ctx = (struct kbpf_nf_ctx){ .family = KBPF_NF_FAMILY_IPV6,
				    .hook = KBPF_NF_HOOK_FORWARD,
				    .ifindex = 1, .mark = 41 };
	expect_err(run_ctx(prog, &ctx, 3, &e, &out), 0,
		   "test run at ipv6/forward from lo, mark 41, 3 times");
	expect_echo(&e, &(struct ctx_echo){ KBPF_NF_FAMILY_IPV6,
		    KBPF_NF_HOOK_FORWARD, 1, ip6, 41 }, "ipv6/forward");
	expect_u64(out.mark, 42, "every repetition starts from mark 41");

	ctx = (struct kbpf_nf_ctx){ .family = KBPF_NF_FAMILY_IPV4,
				    .hook = KBPF_NF_HOOK_INGRESS, .ifindex = 1 };
	expect_err(run_ctx(prog, &ctx, 0, &e, &out), 0,
		   "test run of an IPv4 frame at ingress");
	expect_echo(&e, &(struct ctx_echo){ KBPF_NF_FAMILY_IPV4,
		    KBPF_NF_HOOK_INGRESS, 1, ip, 0 }, "ingress, IPv4");

	ctx = (struct kbpf_nf_ctx){ .family = KBPF_NF_FAMILY_NETDEV,
				    .hook = KBPF_NF_HOOK_INGRESS, .ifindex = 1,
				    .protocol = arp };
	expect_err(run_ctx(prog, &ctx, 0, &e, &out), 0,
		   "test run of an ARP frame at ingress");
	expect_echo(&e, &(struct ctx_echo){ KBPF_NF_FAMILY_NETDEV,
		    KBPF_NF_HOOK_INGRESS, 1, arp, 0 }, "ingress, ARP");
}

/* One refused context: err and a reason containing part. */
static void expect_ctx_refused(__u32 prog, const struct kbpf_nf_ctx *ctx,
			       int err, const char *part, const char *what)
{
	struct kbpf_nf_ctx out;
	struct ctx_echo e;

	expect_err(run_ctx(prog, ctx, 0, &e, &out), err, "test run, %s", what);
	expect_reason(part, "test run, %s", what);
}

static void check_test_run_ctx_refused(__u32 prog)
{
	const struct { const char *what, *why; int err; struct kbpf_nf_ctx c; } bad[] = {
		{ "family 7", "ctx_in: unknown family 7 (ipv4 2, ipv6 10, netdev 5)",
		  -EINVAL, { .family = 7 } },
		{ "no family", "ctx_in: unknown family 0",
		  -EINVAL, { .hook = KBPF_NF_HOOK_LOCAL_IN, .mark = 1 } },
		{ "hook 6", "ctx_in: unknown hook 6", -EINVAL,
		  { .family = KBPF_NF_FAMILY_IPV4, .hook = 6 } },
		{ "netdev/local_in", "ctx_in: family netdev has only the ingress hook (5)",
		  -EINVAL, { .family = KBPF_NF_FAMILY_NETDEV,
			     .hook = KBPF_NF_HOOK_LOCAL_IN, .ifindex = 1,
			     .protocol = htons(0x0806) } },
		{ "ingress without a device",
		  "ctx_in: ingress frames come in by a device: give its ifindex",
		  -EINVAL, { .family = KBPF_NF_FAMILY_IPV4,
			     .hook = KBPF_NF_HOOK_INGRESS } },
		{ "ifindex no device has",
		  "ctx_in: no device has ifindex 2147483632 in this namespace",
		  -ENODEV, { .family = KBPF_NF_FAMILY_IPV4,
			     .hook = KBPF_NF_HOOK_LOCAL_IN, .ifindex = 0x7ffffff0 } },
		{ "data set", "ctx_in: data, data_end and len come from the packet: leave them 0",
		  -EINVAL, { .data = 1, .family = KBPF_NF_FAMILY_IPV4 } },
		{ "len set", "ctx_in: data, data_end and len come from the packet",
		  -EINVAL, { .len = 20, .family = KBPF_NF_FAMILY_IPV4 } },
		{ "IPv6's protocol for ipv4", "ctx_in: protocol 0x86dd does not go with family 2",
		  -EINVAL, { .family = KBPF_NF_FAMILY_IPV4,
			     .protocol = htons(0x86dd) } },
		{ "IPv4's protocol for netdev", "ctx_in: protocol 0x0800 does not go with family 5",
		  -EINVAL, { .family = KBPF_NF_FAMILY_NETDEV,
			     .hook = KBPF_NF_HOOK_INGRESS, .ifindex = 1,
			     .protocol = htons(0x0800) } },
		{ "netdev without protocol",
		  "ctx_in: a netdev-family frame needs its protocol",
		  -EINVAL, { .family = KBPF_NF_FAMILY_NETDEV,
			     .hook = KBPF_NF_HOOK_INGRESS, .ifindex = 1 } },
		{ "protocol over 16 bits",
		  "ctx_in: protocol 0x10000 is not a 16-bit EtherType",
		  -EINVAL, { .family = KBPF_NF_FAMILY_IPV4, .protocol = 0x10000 } },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		expect_ctx_refused(prog, &bad[i].c, bad[i].err, bad[i].why,
				   bad[i].what);
}

/* The argument itself: sizes, tails, pointers, reserved members, the log. */
static void check_test_run_ctx_framing(__u32 prog)
{
	struct { struct kbpf_nf_ctx c; __u32 tail[2]; } big = {
		.c = { .family = KBPF_NF_FAMILY_IPV4 },
	};
	unsigned char pkt[20] = { 0x45 };
	struct kbpf_nf_ctx out;
	char cut[9];
	struct kbpf_prog_test_run_attr a = {
		.size = sizeof(a),
		.prog_id = prog,
		.data_in = ptr(pkt),
		.data_size_in = sizeof(pkt),
		.ctx_in = ptr(&big),
		.ctx_size_in = sizeof(big),
		.log_buf = ptr(ctl_why),
		.log_size = sizeof(ctl_why),
	};

	expect_err(ctl(KBPF_IOC_PROG_TEST_RUN, &a), 0,
		   "test run, a longer context with a zero tail");
	big.tail[1] = 1;
	expect_err(ctl(KBPF_IOC_PROG_TEST_RUN, &a), -E2BIG,
		   "test run, a longer context with a non-zero tail -> E2BIG");
	expect_reason("ctx_in: bytes past the 40 of struct kbpf_nf_ctx must be 0",
		      "non-zero tail");
	a.ctx_size_in = 4097;
	expect_err(ctl(KBPF_IOC_PROG_TEST_RUN, &a), -E2BIG,
		   "test run, ctx_size_in 4097 -> E2BIG");
	expect_reason("ctx_in: ctx_size_in 4097 is over a page", "ctx_size_in 4097");
	a.ctx_size_in = 0;
	expect_err(ctl(KBPF_IOC_PROG_TEST_RUN, &a), -EINVAL,
		   "test run, ctx_in without ctx_size_in -> EINVAL");
	expect_reason("ctx_in: ctx_in and ctx_size_in go together", "no ctx_size_in");
	a.ctx_size_in = 8;
	a.ctx_in = BAD_PTR;
	expect_err(ctl(KBPF_IOC_PROG_TEST_RUN, &a), -EFAULT,
		   "test run, unmapped ctx_in -> EFAULT");
	a.ctx_in = 0;
	a.ctx_size_in = 0;
	a.__reserved = 1;
	expect_err(ctl(KBPF_IOC_PROG_TEST_RUN, &a), -EINVAL,
		   "test run, __reserved 1 -> EINVAL");
	expect_reason("__reserved must be 0", "test run, __reserved 1");
	a.__reserved = 0;
	/* A little room: what fits, without the kernel's data pointer. */
	memset(&out, 0xa5, sizeof(out));
	a.ctx_out = ptr(&out);
	a.ctx_size_out = 8;
	expect_err(ctl(KBPF_IOC_PROG_TEST_RUN, &a), 0, "test run, 8 bytes of ctx_out");
	expect_u64(a.ctx_size_out, 8, "ctx_size_out is what fit");
	expect_u64(out.data, 0, "ctx_out's data is 0, not an address");
	expect_u64(out.data_end, 0xa5a5a5a5a5a5a5a5ULL, "nothing past the room");
	a.ctx_out = BAD_PTR;
	a.ctx_size_out = sizeof(out);
	expect_err(ctl(KBPF_IOC_PROG_TEST_RUN, &a), -EFAULT,
		   "test run, unmapped ctx_out -> EFAULT");
	a.ctx_out = 0;
	/* A reason is cut to the caller's buffer, NUL-terminated. */
	big.tail[1] = 0;
	big.c.family = 7;
	a.ctx_in = ptr(&big);
	a.ctx_size_in = sizeof(big);
	memset(cut, 'x', sizeof(cut) - 1);
	cut[8] = '\0';
	a.log_buf = ptr(cut);
	a.log_size = 8;
	expect_err(dev_ioctl(KBPF_IOC_PROG_TEST_RUN, &a), -EINVAL,
		   "test run, family 7, an 8-byte log");
	expect_true(!memcmp(cut, "ctx_in:", 8), cut, "ctx_in:",
		    "the reason is cut to 7 bytes and a NUL");
	/* Room for the NUL alone: it is written (fuzz-abi seed 1796106466). */
	cut[0] = 'x';
	a.log_size = 1;
	expect_err(dev_ioctl(KBPF_IOC_PROG_TEST_RUN, &a), -EINVAL,
		   "test run, family 7, a 1-byte log");
	expect_true(cut[0] == '\0', cut, "",
		    "a 1-byte log gets the reason's NUL");
}

static void check_test_run_ctx(void)
{
	__u32 prog;
	int err = prog_load("abi_ctx_echo", prog_ctx_echo,
			    ARRAY_SIZE(prog_ctx_echo), &prog);

	expect_err(err, 0, "prog load, echoes its context into the packet");
	if (err)
		return;
	check_test_run_ctx_given(prog);
	check_test_run_ctx_refused(prog);
	check_test_run_ctx_framing(prog);
	kbpf_cmd(KBPF_CMD_PROG_UNLOAD, REQ(.prog_id = prog));
}

static void check_ctl(void)
{
	const struct kbpf_insn map_user[] = {
		LD_MAP_ID(1, 0), LD_IMM64_HI(0), MOV64_IMM(0, KBPF_NF_ACCEPT), EXIT(),
	};
	struct kbpf_insn insns[ARRAY_SIZE(map_user)];
	__u32 a_id, b_id, user_id, map_id;

	if (prog_load("abi_ctl_a", prog_accept, ARRAY_SIZE(prog_accept), &a_id) ||
	    prog_load("abi_ctl_b", prog_accept, ARRAY_SIZE(prog_accept), &b_id) ||
	    map_create(KBPF_MAP_TYPE_ARRAY, 4, 8, 4, "abi_ctl_m", &map_id))
		bail("cannot load the control ioctls' programs");
	memcpy(insns, map_user, sizeof(insns));
	insns[0].imm = map_id;
	if (prog_load("abi_ctl_u", insns, ARRAY_SIZE(insns), &user_id))
		bail("cannot load abi_ctl_u");
	check_ctl_framing();
	check_ctl_next_id(a_id, map_id);
	check_ctl_map_info(map_id);
	check_ctl_attach(a_id, b_id);
	check_ctl_feature();
	check_ctl_unprivileged(a_id, map_id);
	check_ctl_userns_root(a_id);
	check_ctl_remove(a_id, b_id, user_id, map_id);
}

/* ---- main -------------------------------------------------------------- */

static void setup(void)
{
	kbpf_dev = open(KBPF_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (kbpf_dev < 0)
		bail("open %s: %s (is kbpf.ko loaded?)", KBPF_DEVICE_PATH,
		     strerror(errno));
	nl_sock = nl_open();
	if (nl_sock < 0)
		bail("netlink socket: %s", strerror(-nl_sock));
	if (resolve_family() || !kbpf_family)
		bail("generic netlink family \"%s\" not found", KBPF_GENL_NAME);
}

/* Programs and maps the checks share; unloaded at the end unless -k. */
struct fixture {
	__u32 array_id, hash_id;
	__u32 accept_id, proto_id, map_user_id, keep_id;
};

static void load_fixture(struct fixture *f)
{
	const struct kbpf_insn map_user[] = {
		LD_MAP_ID(1, 0), LD_IMM64_HI(0), MOV64_IMM(0, KBPF_NF_ACCEPT), EXIT(),
	};
	struct kbpf_insn insns[ARRAY_SIZE(map_user)];
	struct kbpf_prog_load_attr a;
	int err;

	expect_err(map_create(KBPF_MAP_TYPE_ARRAY, 4, 8, 4, "abi_array",
			      &f->array_id), 0, "map create, array 4 x u64");
	expect_err(map_create(KBPF_MAP_TYPE_ARRAY, 4, 8, 4, "abi_array",
			      &(__u32){ 0 }), -EEXIST,
		   "map create, a name already taken -> EEXIST");
	expect_err(map_create(KBPF_MAP_TYPE_HASH, 4, 8, 2, "abi_hash",
			      &f->hash_id), 0, "map create, hash 2 x u64");

	load_attr_init(&a, "abi_accept", prog_accept, ARRAY_SIZE(prog_accept));
	err = dev_ioctl(KBPF_IOC_PROG_LOAD, &a);
	f->accept_id = err ? 0 : a.prog_id;
	expect_err(err, 0, "prog load, accept-all");
	expect_true(!err && a.verified_insns > 0, "0", "> 0",
		    "prog load reports verified_insns");
	expect_err(prog_load("abi_accept", prog_accept, ARRAY_SIZE(prog_accept),
			     &(__u32){ 0 }), -EEXIST,
		   "prog load, a name already taken -> EEXIST");
	expect_err(prog_load("abi_proto", prog_proto_odd,
			     ARRAY_SIZE(prog_proto_odd), &f->proto_id), 0,
		   "prog load, packet read checked against data_end");

	memcpy(insns, map_user, sizeof(insns));
	insns[0].imm = f->array_id;
	expect_err(prog_load("abi_mapuser", insns, ARRAY_SIZE(insns),
			     &f->map_user_id), 0,
		   "prog load, a 64-bit load of a map id");
	insns[0].imm = 0x7ffffff0;
	expect_err2(prog_load("abi_nomap", insns, ARRAY_SIZE(insns),
			      &(__u32){ 0 }), -EINVAL, -EACCES,
		    "prog load, a 64-bit load of an unknown map id: rejected");
	if (!f->array_id || !f->hash_id || !f->accept_id || !f->proto_id ||
	    !f->map_user_id)
		bail("the fixture did not load");
}

/* Something for rmmod to clean up: attached, holding a map. */
static void leave_attached(struct fixture *f)
{
	const struct kbpf_insn map_user[] = {
		LD_MAP_ID(1, 0), LD_IMM64_HI(0), MOV64_IMM(0, KBPF_NF_ACCEPT), EXIT(),
	};
	struct kbpf_insn insns[ARRAY_SIZE(map_user)];
	__u32 map_id;

	map_create(KBPF_MAP_TYPE_HASH, 4, 8, 16, "abi_kept", &map_id);
	memcpy(insns, map_user, sizeof(insns));
	insns[0].imm = map_id;
	expect_err(prog_load("abi_kept", insns, ARRAY_SIZE(insns), &f->keep_id),
		   0, "-k: load a program using a map, to leave behind");
	expect_err(kbpf_cmd(KBPF_CMD_PROG_ATTACH,
			    REQ(.prog_id = f->keep_id,
				A_FAMILY(KBPF_NF_FAMILY_IPV4),
				A_HOOK(KBPF_NF_HOOK_PRE_ROUTING))) ?:
		   kbpf_cmd(KBPF_CMD_PROG_ATTACH,
			    REQ(.prog_id = f->keep_id,
				A_FAMILY(KBPF_NF_FAMILY_IPV6),
				A_HOOK(KBPF_NF_HOOK_LOCAL_OUT))), 0,
		   "-k: attach it to ipv4/pre_routing and ipv6/local_out");
}

static void unload_fixture(const struct fixture *f)
{
	struct prog_list list;
	struct map_info m = { 0 };

	expect_err(kbpf_cmd(KBPF_CMD_PROG_UNLOAD, REQ(.prog_id = f->accept_id)) ?:
		   kbpf_cmd(KBPF_CMD_PROG_UNLOAD, REQ(.prog_id = f->proto_id)) ?:
		   kbpf_cmd(KBPF_CMD_MAP_DESTROY, REQ(.map_id = f->hash_id)), 0,
		   "unload the remaining programs and maps");
	prog_dump(&list);
	kbpf_cmd_on(nl_sock, KBPF_CMD_MAP_GET, REQ(), NLM_F_DUMP, map_reply, &m);
	expect_u64(list.count + m.count, 0, "no program or map is left");
}

/* ---- map BTF: kept for userspace (KBPF_IOC_MAP_{SET,GET}_BTF) ---------- */

static int map_btf_op(unsigned long req, __u32 map_id, void *btf, __u32 size,
		      struct kbpf_map_btf_attr *out)
{
	struct kbpf_map_btf_attr a = { .size = sizeof(a) };

	a.map_id = map_id;
	a.btf = ptr(btf);
	a.btf_size = size;
	a.btf_key_type_id = 1;
	a.btf_value_type_id = 2;
	if (out) {
		a.btf_key_type_id = a.btf_value_type_id = 0;
		*out = a;
	}
	return dev_ioctl(req, out ? (void *)out : (void *)&a);
}

static void check_map_btf(__u32 map_id)
{
	/* A BTF header (magic 0xeB9F, version 1) and some bytes: opaque to kbpf. */
	static unsigned char btf[64] = { 0x9f, 0xeb, 1, 0, 24 };
	unsigned char back[64], *big;
	struct kbpf_map_btf_attr a;
	int status = 0;
	pid_t pid;

	expect_err(map_btf_op(KBPF_IOC_MAP_GET_BTF, map_id, back, sizeof(back), &a),
		   -ENODATA, "map get btf: a map without BTF -> ENODATA");
	btf[0] = 0;
	expect_err(map_btf_op(KBPF_IOC_MAP_SET_BTF, map_id, btf, sizeof(btf), NULL),
		   -EINVAL, "map set btf: no BTF magic -> EINVAL");
	btf[0] = 0x9f;
	expect_err(map_btf_op(KBPF_IOC_MAP_SET_BTF, map_id, btf, 8, NULL),
		   -EINVAL, "map set btf: shorter than a BTF header -> EINVAL");
	big = calloc(1, KBPF_MAP_BTF_MAX_SIZE + 1);
	if (!big)
		bail("out of memory");
	memcpy(big, btf, sizeof(btf));
	expect_err(map_btf_op(KBPF_IOC_MAP_SET_BTF, map_id, big,
			      KBPF_MAP_BTF_MAX_SIZE + 1, NULL),
		   -E2BIG, "map set btf: over KBPF_MAP_BTF_MAX_SIZE -> E2BIG");
	free(big);
	expect_err(map_btf_op(KBPF_IOC_MAP_SET_BTF, map_id, (void *)8, sizeof(btf), NULL),
		   -EFAULT, "map set btf: unreadable buffer -> EFAULT");
	expect_err(map_btf_op(KBPF_IOC_MAP_SET_BTF, 0x7ffffff0, btf, sizeof(btf), NULL),
		   -ENOENT, "map set btf: no such map -> ENOENT");

	pid = fork();
	if (pid < 0)
		bail("fork: %s", strerror(errno));
	if (!pid)
		_exit(drop_all_caps() ? 2 :
		      map_btf_op(KBPF_IOC_MAP_SET_BTF, map_id, btf, sizeof(btf),
				 NULL) == -EPERM ? 0 : 1);
	waitpid(pid, &status, 0);
	expect_true(WIFEXITED(status) && !WEXITSTATUS(status), "not EPERM",
		    "EPERM", "without CAP_NET_ADMIN: map set btf -> EPERM");

	expect_err(map_btf_op(KBPF_IOC_MAP_SET_BTF, map_id, btf, sizeof(btf), NULL),
		   0, "map set btf: 64 bytes with type ids 1 and 2");
	expect_err(map_btf_op(KBPF_IOC_MAP_SET_BTF, map_id, btf, sizeof(btf), NULL),
		   -EEXIST, "map set btf: a second time -> EEXIST");
	expect_err(map_btf_op(KBPF_IOC_MAP_GET_BTF, map_id, back, 10, &a),
		   -ENOSPC, "map get btf: 10 bytes of room -> ENOSPC");
	expect_u64(a.btf_size, sizeof(btf), "map get btf: ENOSPC reports the size");
	memset(back, 0, sizeof(back));
	expect_err(map_btf_op(KBPF_IOC_MAP_GET_BTF, map_id, back, sizeof(back), &a),
		   0, "map get btf: with room");
	expect_true(!memcmp(back, btf, sizeof(btf)) && a.btf_key_type_id == 1 &&
		    a.btf_value_type_id == 2, "different bytes or ids",
		    "the same bytes, key id 1, value id 2",
		    "map get btf returns what was set");
	expect_err(map_btf_op(KBPF_IOC_MAP_GET_BTF, 0x7ffffff0, back, sizeof(back), &a),
		   -ENOENT, "map get btf: no such map -> ENOENT");
}

/*
 * What a request copies, at its sizes: a BTF longer than the module's
 * 256-byte pieces comes back whole and nothing past it is written; map
 * elements whose key (8-byte aligned) and value fill the 256 bytes kept on
 * the stack exactly, or one byte over (a request buffer), and a 1000-byte
 * value, go round unchanged.
 */
static void check_request_copies(void)
{
	static unsigned char btf[1000], back[1100], value[1000], got[1000];
	static const __u32 value_sizes[] = { 248, 249, 1000 };
	struct kbpf_map_btf_attr a;
	__u32 map_id, i, k, key = 1;

	for (i = 0; i < sizeof(btf); i++)
		btf[i] = i * 7 + 3;
	btf[0] = 0x9f;
	btf[1] = 0xeb;
	expect_err(map_create(KBPF_MAP_TYPE_ARRAY, 4, 8, 2, "btfpieces", &map_id) ?:
		   map_btf_op(KBPF_IOC_MAP_SET_BTF, map_id, btf, sizeof(btf), NULL),
		   0, "a map with a 1000-byte BTF");
	memset(back, 0xa5, sizeof(back));
	expect_err(map_btf_op(KBPF_IOC_MAP_GET_BTF, map_id, back, sizeof(btf) - 1, &a),
		   -ENOSPC, "map get btf: one byte short of 1000 -> ENOSPC");
	expect_err(map_btf_op(KBPF_IOC_MAP_GET_BTF, map_id, back, sizeof(back), &a),
		   0, "map get btf: 1000 bytes, in pieces");
	for (i = sizeof(btf); i < sizeof(back) && back[i] == 0xa5; i++)
		;
	expect_true(!memcmp(back, btf, sizeof(btf)) && i == sizeof(back) &&
		    a.btf_size == sizeof(btf), "other bytes", "the same 1000 bytes",
		    "map get btf returns a BTF of four pieces whole, nothing past it");
	kbpf_cmd(KBPF_CMD_MAP_DESTROY, REQ(.map_id = map_id));

	for (k = 0; k < sizeof(value_sizes) / sizeof(value_sizes[0]); k++) {
		__u32 vs = value_sizes[k];

		for (i = 0; i < vs; i++)
			value[i] = i * 13 + k;
		memset(got, 0, sizeof(got));
		expect_err(map_create(KBPF_MAP_TYPE_ARRAY, 4, vs, 2, "reqcopy", &map_id) ?:
			   map_op(KBPF_IOC_MAP_UPDATE, map_id, &key, value, 0) ?:
			   map_op(KBPF_IOC_MAP_LOOKUP, map_id, &key, got, 0),
			   0, "array map with %u-byte values: update and lookup", vs);
		expect_true(!memcmp(got, value, vs), "other bytes", "the same bytes",
			    "a %u-byte value goes round unchanged", vs);
		kbpf_cmd(KBPF_CMD_MAP_DESTROY, REQ(.map_id = map_id));
	}
}

/*
 * abi_test -m N ID CMD: attach program ID on every hook of N fresh network
 * namespaces, run CMD (sh -c) while they live, and exit with its status;
 * perms.sh checks kbpfctl's listing of such a program this way, faster
 * than hundreds of kbpfctl attach runs.
 */
static int attach_many_and_run(int argc, char **argv)
{
	int n = argc == 5 ? atoi(argv[2]) : 0, *socks, err, status, i;

	if (n <= 0 || n > 4096) {
		fprintf(stderr, "usage: %s -m NETNS PROG_ID CMD\n", argv[0]);
		return 2;
	}
	setup();
	socks = malloc(n * sizeof(*socks));
	if (!socks)
		bail("out of memory");
	memset(socks, -1, n * sizeof(*socks));
	err = attach_everywhere(strtoul(argv[3], NULL, 0), socks, n);
	if (err) {
		fprintf(stderr, "attach: %s (%s)\n", strerror(-err), nl_extack);
		return 1;
	}
	status = system(argv[4]);
	for (i = 0; i < n; i++)
		if (socks[i] >= 0)
			close(socks[i]);
	free(socks);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv)
{
	bool keep = argc > 1 && !strcmp(argv[1], "-k");
	struct fixture f = { 0 };

	if (argc > 1 && !strcmp(argv[1], "-m"))
		return attach_many_and_run(argc, argv);
	if (argc > 1 && !keep) {
		fprintf(stderr, "usage: %s [-k] | -m NETNS PROG_ID CMD\n",
			argv[0]);
		return 2;
	}
	setup();
	check_device_node();
	check_ioctl_framing();
	check_map_create_attrs();
	check_prog_load_attrs();
	check_verifier_log();
	check_log_stats_kept();
	check_load_failure_leaves_nothing();
	check_prog_load_short_struct();
	load_fixture(&f);
	check_array_map(f.array_id);
	check_hash_map(f.hash_id);
	check_map_btf(f.hash_id);
	check_request_copies();
	check_test_run(f.accept_id, f.proto_id);
	check_test_run_ctx();
	check_genl_version();
	check_genl_attach_errors(f.accept_id);
	check_genl_attach_detach(f.accept_id);
	check_unprivileged(f.accept_id, f.array_id);
	check_userns_root(f.accept_id, f.array_id);
	check_events_isolated();
	check_create_undo();
	check_many_attachments();
	check_genl_maps(f.array_id, f.map_user_id);
	check_events();
	check_ctl();
	unload_fixture(&f);
	if (keep)
		leave_attached(&f);

	printf("%u passed, %u failed\n", n_pass, n_fail);
	return n_fail ? 1 : 0;
}
