// SPDX-License-Identifier: GPL-2.0
/*
 * Raw ioctls and generic netlink for the kbpf fuzzer and stress tool (see
 * raw.h).  No libnl: requests are built byte by byte so that a caller can
 * also build wrong ones.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "raw.h"

/* A reply slower than this under TCG means the kernel sent none. */
#define NL_REPLY_TIMEOUT_MS	10000

static __u16 u16_of(const struct nlattr *a)
{
	__u16 v;

	memcpy(&v, NLA_DATA(a), sizeof(v));
	return v;
}

__u32 nla_u32(const struct nlattr *a)
{
	__u32 v = 0;

	if (a && NLA_PAYLOAD(a) >= (int)sizeof(v))
		memcpy(&v, NLA_DATA(a), sizeof(v));
	return v;
}

static __u64 nla_u64(const struct nlattr *a)
{
	__u64 v = 0;

	if (a && NLA_PAYLOAD(a) >= (int)sizeof(v))
		memcpy(&v, NLA_DATA(a), sizeof(v));
	return v;
}

static void nl_parse(const struct nlattr *a, int rem,
		     const struct nlattr **tb, unsigned int max)
{
	memset(tb, 0, (max + 1) * sizeof(*tb));
	for (; NLA_OK(a, rem); a = NLA_NEXT(a, rem))
		if ((a->nla_type & NLA_TYPE_MASK) <= max)
			tb[a->nla_type & NLA_TYPE_MASK] = a;
}

const struct nlattr *genl_attrs(const struct nlmsghdr *h, int *rem)
{
	*rem = (int)h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	return (const void *)((const char *)NLMSG_DATA(h) + GENL_HDRLEN);
}

int kraw_ioctl(struct kraw *k, unsigned long req, void *arg)
{
	return ioctl(k->dev, req, arg) < 0 ? -errno : 0;
}

/* ---- building requests --------------------------------------------------- */

static void nl_begin_family(struct kraw *k, struct nlbuf *m, __u16 family,
			    __u8 cmd, __u8 version, __u16 flags)
{
	struct genlmsghdr *g;

	memset(m->buf, 0, NLMSG_LENGTH(GENL_HDRLEN));
	m->hdr.nlmsg_type = family;
	m->hdr.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	m->hdr.nlmsg_seq = ++k->seq;
	g = NLMSG_DATA(&m->hdr);
	g->cmd = cmd;
	g->version = version;
	m->len = NLMSG_LENGTH(GENL_HDRLEN);
}

void nl_begin(struct kraw *k, struct nlbuf *m, __u8 cmd, __u16 flags)
{
	nl_begin_family(k, m, k->family, cmd, KBPF_GENL_VERSION, flags);
}

bool nl_put(struct nlbuf *m, __u16 type, const void *data, __u16 len)
{
	struct nlattr *a = (void *)(m->buf + NLMSG_ALIGN(m->len));

	if (NLMSG_ALIGN(m->len) + NLA_HDRLEN + NLA_ALIGN((size_t)len) > sizeof(m->buf))
		return false;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(NLA_DATA(a), data, len);
	m->len = NLMSG_ALIGN(m->len) + NLA_ALIGN(a->nla_len);
	return true;
}

bool nl_put_u32(struct nlbuf *m, __u16 type, __u32 v)
{
	return nl_put(m, type, &v, sizeof(v));
}

bool nl_put_str(struct nlbuf *m, __u16 type, const char *s)
{
	return nl_put(m, type, s, strlen(s) + 1);
}

struct nlattr *nl_nest_start(struct nlbuf *m, __u16 type)
{
	struct nlattr *a = (void *)(m->buf + NLMSG_ALIGN(m->len));

	if (!nl_put(m, type | NLA_F_NESTED, NULL, 0))
		return NULL;
	return a;
}

void nl_nest_end(struct nlbuf *m, struct nlattr *nest)
{
	if (nest)
		nest->nla_len = (char *)m->buf + m->len - (char *)nest;
}

/* ---- talking ------------------------------------------------------------- */

static void nl_save_extack(struct kraw *k, const struct nlmsghdr *h)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	int off = sizeof(*e);

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	if ((int)h->nlmsg_len - NLMSG_HDRLEN - off <= 0)
		return;
	nl_parse((const void *)((const char *)e + off),
		 h->nlmsg_len - NLMSG_HDRLEN - off, tb, NLMSGERR_ATTR_MAX);
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(k->extack, sizeof(k->extack), "%.*s",
			 NLA_PAYLOAD(tb[NLMSGERR_ATTR_MSG]),
			 (const char *)NLA_DATA(tb[NLMSGERR_ATTR_MSG]));
}

/* Wait for a reply; -ETIMEDOUT when none comes. */
static int nl_wait(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n;

	do {
		n = poll(&p, 1, NL_REPLY_TIMEOUT_MS);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n ? 0 : -ETIMEDOUT;
}

int nl_transact(struct kraw *k, struct nlbuf *m, size_t raw_len,
		nl_msg_fn fn, void *arg)
{
	static char buf[1 << 17];
	__u32 seq = m->hdr.nlmsg_seq;
	struct nlmsghdr *h;
	int len, err;

	k->extack[0] = '\0';
	m->hdr.nlmsg_len = m->len;
	if (raw_len)
		m->hdr.nlmsg_len = raw_len;
	if (send(k->nl, m->buf, m->len, 0) < 0)
		return -errno;
	for (;;) {
		err = nl_wait(k->nl);
		if (err)
			return err;
		len = recv(k->nl, buf, sizeof(buf), MSG_DONTWAIT);
		if (len < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -errno;
		}
		for (h = (void *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE) {
				/* A dump that failed says so in DONE. */
				if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
					return *(int *)NLMSG_DATA(h);
				return 0;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				nl_save_extack(k, h);
				return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			}
			if (fn)
				fn(h, arg);
		}
	}
}

static void family_reply(const struct nlmsghdr *h, void *arg)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1], *a;
	__u16 *family = arg;
	int rem;

	a = genl_attrs(h, &rem);
	nl_parse(a, rem, tb, CTRL_ATTR_MAX);
	if (tb[CTRL_ATTR_FAMILY_ID])
		*family = u16_of(tb[CTRL_ATTR_FAMILY_ID]);
}

static int resolve_family(struct kraw *k)
{
	struct nlbuf m;
	int err;

	nl_begin_family(k, &m, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 2, 0);
	nl_put_str(&m, CTRL_ATTR_FAMILY_NAME, KBPF_GENL_NAME);
	k->family = 0;
	err = nl_transact(k, &m, 0, family_reply, &k->family);
	if (!err && !k->family)
		err = -ENOENT;
	return err;
}

int kraw_open(struct kraw *k)
{
	int one = 1, rcvbuf = 1 << 20, err;

	memset(k, 0, sizeof(*k));
	k->nl = -1;
	k->dev = open(KBPF_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (k->dev < 0) {
		err = -errno;
		fprintf(stderr, "open %s: %s\n", KBPF_DEVICE_PATH, strerror(errno));
		return err;
	}
	k->nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (k->nl < 0) {
		err = -errno;
		fprintf(stderr, "netlink socket: %s\n", strerror(errno));
		kraw_close(k);
		return err;
	}
	setsockopt(k->nl, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(k->nl, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(k->nl, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	err = resolve_family(k);
	if (err) {
		fprintf(stderr, "generic netlink family %s: %s\n", KBPF_GENL_NAME,
			strerror(-err));
		kraw_close(k);
	}
	return err;
}

void kraw_close(struct kraw *k)
{
	if (k->dev >= 0)
		close(k->dev);
	if (k->nl >= 0)
		close(k->nl);
	k->dev = k->nl = -1;
}

/* ---- listings ------------------------------------------------------------ */

static void parse_link(const struct nlattr *nest, struct kraw_link *l)
{
	const struct nlattr *tb[KBPF_ATTACH_A_MAX + 1];

	nl_parse(NLA_DATA(nest), NLA_PAYLOAD(nest), tb, KBPF_ATTACH_A_MAX);
	l->family = nla_u32(tb[KBPF_ATTACH_A_NF_FAMILY]);
	l->hook = nla_u32(tb[KBPF_ATTACH_A_NF_HOOK]);
	l->prio = (__s32)nla_u32(tb[KBPF_ATTACH_A_NF_PRIORITY]);
	l->netns_cookie = nla_u64(tb[KBPF_ATTACH_A_NETNS_COOKIE]);
}

static void copy_name(char *dst, const struct nlattr *a)
{
	int n = a ? NLA_PAYLOAD(a) : 0;

	if (n >= KBPF_OBJ_NAME_LEN)
		n = KBPF_OBJ_NAME_LEN - 1;
	memcpy(dst, a ? NLA_DATA(a) : "", n);
	dst[n] = '\0';
}

static void prog_reply(const struct nlmsghdr *h, void *arg)
{
	struct kraw_list *l = arg;
	const struct nlattr *a, *tb[KBPF_A_MAX + 1];
	struct kraw_prog *p;
	int rem;

	if (l->n_progs >= (int)ARRAY_SIZE(l->progs))
		return;
	p = &l->progs[l->n_progs++];
	memset(p, 0, sizeof(*p));
	a = genl_attrs(h, &rem);
	nl_parse(a, rem, tb, KBPF_A_MAX);
	if (!tb[KBPF_A_PROG_ID] || !tb[KBPF_A_PROG_NAME] || !tb[KBPF_A_PROG_TYPE])
		l->malformed = true;
	p->id = nla_u32(tb[KBPF_A_PROG_ID]);
	p->type = nla_u32(tb[KBPF_A_PROG_TYPE]);
	p->insn_cnt = nla_u32(tb[KBPF_A_PROG_INSN_CNT]);
	copy_name(p->name, tb[KBPF_A_PROG_NAME]);
	for (a = genl_attrs(h, &rem); NLA_OK(a, rem); a = NLA_NEXT(a, rem))
		if ((a->nla_type & NLA_TYPE_MASK) == KBPF_A_ATTACHMENT &&
		    p->n_links < KRAW_MAX_LINKS)
			parse_link(a, &p->links[p->n_links++]);
}

static void map_reply(const struct nlmsghdr *h, void *arg)
{
	struct kraw_list *l = arg;
	const struct nlattr *a, *tb[KBPF_A_MAX + 1];
	struct kraw_map *m;
	int rem;

	if (l->n_maps >= (int)ARRAY_SIZE(l->maps))
		return;
	m = &l->maps[l->n_maps++];
	a = genl_attrs(h, &rem);
	nl_parse(a, rem, tb, KBPF_A_MAX);
	if (!tb[KBPF_A_MAP_ID] || !tb[KBPF_A_MAP_NAME] || !tb[KBPF_A_MAP_TYPE])
		l->malformed = true;
	m->id = nla_u32(tb[KBPF_A_MAP_ID]);
	m->type = nla_u32(tb[KBPF_A_MAP_TYPE]);
	m->key_size = nla_u32(tb[KBPF_A_MAP_KEY_SIZE]);
	m->value_size = nla_u32(tb[KBPF_A_MAP_VALUE_SIZE]);
	m->max_entries = nla_u32(tb[KBPF_A_MAP_MAX_ENTRIES]);
	copy_name(m->name, tb[KBPF_A_MAP_NAME]);
}

int kraw_list(struct kraw *k, struct kraw_list *l)
{
	struct nlbuf m;
	int err;

	l->n_progs = l->n_maps = 0;
	l->malformed = false;
	nl_begin(k, &m, KBPF_CMD_PROG_GET, NLM_F_DUMP);
	err = nl_transact(k, &m, 0, prog_reply, l);
	if (err)
		return err;
	nl_begin(k, &m, KBPF_CMD_MAP_GET, NLM_F_DUMP);
	return nl_transact(k, &m, 0, map_reply, l);
}

const struct kraw_prog *kraw_find_prog(const struct kraw_list *l, __u32 id)
{
	int i;

	for (i = 0; i < l->n_progs; i++)
		if (l->progs[i].id == id)
			return &l->progs[i];
	return NULL;
}

const struct kraw_map *kraw_find_map(const struct kraw_list *l, __u32 id)
{
	int i;

	for (i = 0; i < l->n_maps; i++)
		if (l->maps[i].id == id)
			return &l->maps[i];
	return NULL;
}

/* ---- well-formed requests ------------------------------------------------ */

int kraw_prog_load(struct kraw *k, const char *name, const struct kbpf_insn *insns,
		   __u32 cnt, __u32 *id)
{
	struct kbpf_prog_load_attr a = {
		.size = sizeof(a),
		.prog_type = KBPF_PROG_TYPE_NETFILTER,
		.insns = ptr_to_u64(insns),
		.insn_cnt = cnt,
	};
	int err;

	snprintf(a.name, sizeof(a.name), "%s", name);
	err = kraw_ioctl(k, KBPF_IOC_PROG_LOAD, &a);
	if (!err && id)
		*id = a.prog_id;
	return err;
}

int kraw_map_create(struct kraw *k, const char *name, __u32 type, __u32 ks,
		    __u32 vs, __u32 max, __u32 *id)
{
	struct kbpf_map_create_attr a = {
		.size = sizeof(a),
		.map_type = type,
		.key_size = ks,
		.value_size = vs,
		.max_entries = max,
	};
	int err;

	snprintf(a.name, sizeof(a.name), "%s", name);
	err = kraw_ioctl(k, KBPF_IOC_MAP_CREATE, &a);
	if (!err && id)
		*id = a.map_id;
	return err;
}

int kraw_map_op(struct kraw *k, unsigned long req, __u32 map_id, const void *key,
		void *value, __u64 flags)
{
	struct kbpf_map_elem_attr a = {
		.size = sizeof(a),
		.map_id = map_id,
		.key = ptr_to_u64(key),
		.value = ptr_to_u64(value),
		.flags = flags,
	};

	return kraw_ioctl(k, req, &a);
}

static int kraw_prog_cmd(struct kraw *k, __u8 cmd, __u32 prog_id)
{
	struct nlbuf m;

	nl_begin(k, &m, cmd, 0);
	nl_put_u32(&m, KBPF_A_PROG_ID, prog_id);
	return nl_transact(k, &m, 0, NULL, NULL);
}

int kraw_attach(struct kraw *k, __u32 prog_id, __u32 family, __u32 hook, __s32 prio)
{
	struct nlbuf m;

	nl_begin(k, &m, KBPF_CMD_PROG_ATTACH, 0);
	nl_put_u32(&m, KBPF_A_PROG_ID, prog_id);
	nl_put_u32(&m, KBPF_A_NF_FAMILY, family);
	nl_put_u32(&m, KBPF_A_NF_HOOK, hook);
	nl_put_u32(&m, KBPF_A_NF_PRIORITY, (__u32)prio);
	return nl_transact(k, &m, 0, NULL, NULL);
}

int kraw_detach(struct kraw *k, __u32 prog_id)
{
	return kraw_prog_cmd(k, KBPF_CMD_PROG_DETACH, prog_id);
}

int kraw_unload(struct kraw *k, __u32 prog_id)
{
	return kraw_prog_cmd(k, KBPF_CMD_PROG_UNLOAD, prog_id);
}

int kraw_map_destroy(struct kraw *k, __u32 map_id)
{
	struct nlbuf m;

	nl_begin(k, &m, KBPF_CMD_MAP_DESTROY, 0);
	nl_put_u32(&m, KBPF_A_MAP_ID, map_id);
	return nl_transact(k, &m, 0, NULL, NULL);
}
