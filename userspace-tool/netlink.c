// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink transport of the control operations (ctl.h): requests to
 * the "kbpf" generic netlink family through libnl-genl.  One request is in
 * flight at a time: send, then read replies until the ack, the end of the
 * dump or an error.  Errors keep the kernel's extended ack message, because
 * the module explains most refusals there ("hook ipv4/local_in: prio
 * taken").  A dump that fails part way reports the error in its final
 * (NLMSG_DONE) message: that is an error like any other, never a short list.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "main.h"
#include "ctl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/*
 * Called for each reply; nonzero stops calling it (the dump still drains),
 * a negative errno also fails the request.
 */
typedef int (*reply_fn)(struct nlmsghdr *nlh, struct nlattr **tb, void *arg);

struct request {
	struct kbpf_ctl *nl;
	reply_fn fn;
	void *arg;
	bool done;
	bool stopped;
	int err;
};

/* The extack attributes of nlh start off bytes into its payload. */
static void save_ext_ack_at(struct kbpf_ctl *nl, const struct nlmsghdr *nlh,
			    size_t off)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	char *payload = (char *)nlh + NLMSG_HDRLEN;
	size_t len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (NLMSG_HDRLEN + off >= nlh->nlmsg_len)
		return;
	len = nlh->nlmsg_len - NLMSG_HDRLEN - off;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)(payload + off),
		      len, NULL) < 0)
		return;
	if (!tb[NLMSGERR_ATTR_MSG])
		return;
	snprintf(nl->msg, sizeof(nl->msg), "%.*s",
		 (int)strnlen(nla_data(tb[NLMSGERR_ATTR_MSG]),
			      nla_len(tb[NLMSGERR_ATTR_MSG])),
		 (const char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
}

/* In an error, the extack follows the error and the (maybe capped) request. */
static void save_ext_ack(struct kbpf_ctl *nl, const struct nlmsgerr *e)
{
	const struct nlmsghdr *nlh = (const void *)((const char *)e - NLMSG_HDRLEN);
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	save_ext_ack_at(nl, nlh, off);
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct request *req = arg;

	req->err = e->error;
	save_ext_ack(req->nl, e);
	req->done = true;
	return NL_STOP;
}

/*
 * The end of a dump carries the dump's error, if any, as an int, then its
 * extack; libnl does not look at it.  An ack (error 0) needs nothing.
 */
static int on_done(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct request *req = arg;
	int err;

	req->done = true;
	if (nlh->nlmsg_type != NLMSG_DONE ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(err)))
		return NL_STOP;
	memcpy(&err, nlmsg_data(nlh), sizeof(err));
	if (err < 0) {
		req->err = err;
		save_ext_ack_at(req->nl, nlh, sizeof(err));
	}
	return NL_STOP;
}

static int on_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[KBPF_A_MAX + 1];
	struct request *req = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int ret;

	if (genlmsg_parse(nlh, 0, tb, KBPF_A_MAX, NULL) < 0) {
		req->err = -EBADMSG;
		return NL_OK;
	}
	if (req->fn && !req->stopped) {
		ret = req->fn(nlh, tb, req->arg);
		if (ret < 0 && !req->err)
			req->err = ret;
		req->stopped = ret != 0;
	}
	return NL_OK;
}

/* Send msg (consumed) and collect replies; returns 0 or -errno. */
static int nl_request(struct kbpf_ctl *nl, struct nl_msg *msg, reply_fn fn,
		      void *arg)
{
	struct request req = { .nl = nl, .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int ret;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_reply, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_done, &req);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &req);

	ret = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		req.err = -EIO;
		snprintf(nl->msg, sizeof(nl->msg), "%s", nl_geterror(ret));
		goto out;
	}
	while (!req.done) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret < 0 && !req.done) {
			req.err = -EIO;
			snprintf(nl->msg, sizeof(nl->msg), "%s",
				 nl_geterror(ret));
			break;
		}
	}
out:
	nl_cb_put(cb);
	return req.err;
}

static struct nl_msg *nl_new(struct kbpf_ctl *nl, __u8 cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, KBPF_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* A message that could not be built (msg may be NULL). */
static int nl_oom(struct kbpf_ctl *nl, struct nl_msg *msg)
{
	nlmsg_free(msg);
	snprintf(nl->msg, sizeof(nl->msg),
		 "out of memory building a netlink message");
	return -ENOMEM;
}

/* quiet: a missing family is -ENOENT without a message. */
static int netlink_open(struct kbpf_ctl *nl, bool quiet)
{
	int one = 1;
	int ret;

	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		p_err("out of memory");
		return -ENOMEM;
	}
	ret = genl_connect(nl->sk);
	if (ret < 0) {
		p_err("cannot open a generic netlink socket: %s",
		      nl_geterror(ret));
		goto err_free;
	}
	/* Both are best effort: old kernels just send bare errors. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));

	ret = genl_ctrl_resolve(nl->sk, KBPF_GENL_NAME);
	if (ret == -NLE_OBJ_NOTFOUND) {
		if (!quiet)
			p_err(ERR_NO_MODULE);
		nl_socket_free(nl->sk);
		nl->sk = NULL;
		return -ENOENT;
	}
	if (ret < 0) {
		p_err("cannot find generic netlink family '%s': %s",
		      KBPF_GENL_NAME, nl_geterror(ret));
		goto err_free;
	}
	nl->family = ret;
	return 0;

err_free:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return -ENODEV;
}

static void netlink_close(struct kbpf_ctl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

static int put_ref(struct nl_msg *msg, int id_attr, int name_attr,
		   const struct obj_ref *ref)
{
	if (ref->name)
		return nla_put_string(msg, name_attr, ref->name);
	return nla_put_u32(msg, id_attr, ref->id);
}

/* A request of cmd naming one object, acked without a reply. */
static int nl_ref_request(struct kbpf_ctl *nl, __u8 cmd, int id_attr,
			  int name_attr, const struct obj_ref *ref)
{
	struct nl_msg *msg = nl_new(nl, cmd, 0);

	if (!msg || put_ref(msg, id_attr, name_attr, ref))
		return nl_oom(nl, msg);
	return nl_request(nl, msg, NULL, NULL);
}

/* ---- version ---------------------------------------------------------- */

static void copy_string(char *dst, size_t size, struct nlattr *attr)
{
	snprintf(dst, size, "%.*s",
		 (int)strnlen(nla_data(attr), nla_len(attr)),
		 (const char *)nla_data(attr));
}

static int parse_version(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct kbpf_version *ver = arg;

	if (tb[KBPF_A_VERSION])
		ver->abi_version = nla_get_u32(tb[KBPF_A_VERSION]);
	if (tb[KBPF_A_PROFILE])
		copy_string(ver->profile, sizeof(ver->profile),
			    tb[KBPF_A_PROFILE]);
	/* Absent from modules older than the attribute. */
	if (tb[KBPF_A_MODULE_VERSION])
		copy_string(ver->module_version, sizeof(ver->module_version),
			    tb[KBPF_A_MODULE_VERSION]);
	return 0;
}

static int netlink_get_version(struct kbpf_ctl *nl, struct kbpf_version *ver)
{
	struct nl_msg *msg = nl_new(nl, KBPF_CMD_GET_VERSION, 0);

	if (!msg)
		return nl_oom(nl, NULL);
	return nl_request(nl, msg, parse_version, ver);
}

/* ---- programs --------------------------------------------------------- */

static void copy_name(char dst[KBPF_OBJ_NAME_LEN], struct nlattr *attr)
{
	memset(dst, 0, KBPF_OBJ_NAME_LEN);
	if (attr)
		copy_string(dst, KBPF_OBJ_NAME_LEN, attr);
}

static __u32 get_u32(struct nlattr *attr)
{
	return attr ? nla_get_u32(attr) : 0;
}

static __u64 get_u64(struct nlattr *attr)
{
	return attr ? nla_get_u64(attr) : 0;
}

static void parse_stats(struct nlattr *nest, struct kbpf_stats_info *st)
{
	struct nlattr *tb[KBPF_STATS_A_MAX + 1];

	memset(st, 0, sizeof(*st));
	if (!nest || nla_parse_nested(tb, KBPF_STATS_A_MAX, nest, NULL) < 0)
		return;
	st->runs = get_u64(tb[KBPF_STATS_A_RUNS]);
	st->accepts = get_u64(tb[KBPF_STATS_A_ACCEPTS]);
	st->drops = get_u64(tb[KBPF_STATS_A_DROPS]);
	st->overruns = get_u64(tb[KBPF_STATS_A_OVERRUNS]);
	st->misses = get_u64(tb[KBPF_STATS_A_MISSES]);
	st->queued = get_u64(tb[KBPF_STATS_A_QUEUED]);
	st->queue_drops = get_u64(tb[KBPF_STATS_A_QUEUE_DROPS]);
	st->queue_hwm = get_u64(tb[KBPF_STATS_A_QUEUE_HWM]);
	st->run_time_ns = get_u64(tb[KBPF_STATS_A_RUN_TIME_NS]);
	st->run_time_max_ns = get_u64(tb[KBPF_STATS_A_RUN_TIME_MAX_NS]);
}

static void parse_attachment(struct nlattr *nest, struct kbpf_attachment *a)
{
	struct nlattr *tb[KBPF_ATTACH_A_MAX + 1];

	memset(a, 0, sizeof(*a));
	if (nla_parse_nested(tb, KBPF_ATTACH_A_MAX, nest, NULL) < 0)
		return;
	a->family = get_u32(tb[KBPF_ATTACH_A_NF_FAMILY]);
	a->hook = get_u32(tb[KBPF_ATTACH_A_NF_HOOK]);
	a->priority = (__s32)get_u32(tb[KBPF_ATTACH_A_NF_PRIORITY]);
	a->netns_cookie = get_u64(tb[KBPF_ATTACH_A_NETNS_COOKIE]);
	a->prog_id = get_u32(tb[KBPF_ATTACH_A_PROG_ID]);
	copy_name(a->prog_name, tb[KBPF_ATTACH_A_PROG_NAME]);
	a->sched_prio = (__s32)get_u32(tb[KBPF_ATTACH_A_SCHED_PRIO]);
	a->budget = get_u32(tb[KBPF_ATTACH_A_BUDGET]);
	a->deadline_ns = get_u64(tb[KBPF_ATTACH_A_DEADLINE_NS]);
	a->miss_verdict = get_u32(tb[KBPF_ATTACH_A_MISS_VERDICT]);
	a->mode = get_u32(tb[KBPF_ATTACH_A_MODE]);
	a->policy = get_u32(tb[KBPF_ATTACH_A_POLICY]);
	a->ifindex = get_u32(tb[KBPF_ATTACH_A_IFINDEX]);
	if (tb[KBPF_ATTACH_A_IFNAME])
		copy_string(a->ifname, sizeof(a->ifname),
			    tb[KBPF_ATTACH_A_IFNAME]);
	parse_stats(tb[KBPF_ATTACH_A_STATS], &a->stats);
}

static void parse_prog_head(struct nlattr **tb, struct kbpf_prog_info *info)
{
	memset(info, 0, sizeof(*info));
	info->id = get_u32(tb[KBPF_A_PROG_ID]);
	copy_name(info->name, tb[KBPF_A_PROG_NAME]);
	info->type = get_u32(tb[KBPF_A_PROG_TYPE]);
	info->insn_cnt = get_u32(tb[KBPF_A_PROG_INSN_CNT]);
	info->run_cnt = get_u64(tb[KBPF_A_PROG_RUN_CNT]);
	info->run_time_ns = get_u64(tb[KBPF_A_PROG_RUN_TIME_NS]);
	info->engine = get_u32(tb[KBPF_A_PROG_ENGINE]);
	if (tb[KBPF_A_PROG_NATIVE_MODULE])
		copy_string(info->native_module, sizeof(info->native_module),
			    tb[KBPF_A_PROG_NATIVE_MODULE]);
	info->netns_cookie = get_u64(tb[KBPF_A_NETNS_COOKIE]);
	info->attach_total = get_u32(tb[KBPF_A_PROG_ATTACH_CNT]);
	info->worst_case = tb[KBPF_A_WORST_CASE] ?
			   get_u64(tb[KBPF_A_WORST_CASE]) :
			   KBPF_WORST_CASE_UNBOUNDED;
}

/*
 * One program being collected: a dump may continue a program's attachments
 * in the next message, which repeats its id.
 */
struct prog_dump {
	kbpf_prog_fn fn;
	void *arg;
	bool pending;		/* info holds a program not yet passed to fn */
	bool stopped;		/* fn asked for no more */
	int err;		/* fn's negative errno */
	__u32 room;		/* entries allocated at info.attach */
	struct kbpf_prog_info info;
};

static int add_attachment(struct prog_dump *d, struct nlattr *nest)
{
	struct kbpf_prog_info *info = &d->info;
	struct kbpf_attachment *a;

	if (info->attach_cnt == d->room) {
		a = realloc(info->attach, (d->room * 2 + 16) * sizeof(*a));
		if (!a)
			return -ENOMEM;
		info->attach = a;
		d->room = d->room * 2 + 16;
	}
	parse_attachment(nest, &info->attach[info->attach_cnt++]);
	return 0;
}

/* Attachments repeat at the top level, so walk every attribute. */
static int add_attachments(struct prog_dump *d, struct nlmsghdr *nlh)
{
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct nlattr *pos;
	int rem;

	nla_for_each_attr(pos, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0),
			  rem)
		if (nla_type(pos) == KBPF_A_ATTACHMENT && add_attachment(d, pos))
			return -ENOMEM;
	return 0;
}

static void flush_prog(struct prog_dump *d)
{
	int ret;

	if (d->pending && !d->stopped && d->fn) {
		ret = d->fn(&d->info, d->arg);
		d->stopped = ret != 0;
		if (ret < 0)
			d->err = ret;
	}
	d->pending = false;
	d->info.attach_cnt = 0;
}

static int on_prog(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct prog_dump *d = arg;
	struct kbpf_attachment *attach = d->info.attach;

	if (!d->pending || get_u32(tb[KBPF_A_PROG_ID]) != d->info.id) {
		flush_prog(d);
		if (d->err)
			return d->err;
		parse_prog_head(tb, &d->info);
		d->info.attach = attach;
		d->pending = true;
	}
	if (add_attachments(d, nlh))
		return -ENOMEM;
	return 0;
}

/* A PROG_GET dump of every program, or of ref's, through fn. */
static int netlink_prog_dump(struct kbpf_ctl *nl, const struct obj_ref *ref,
			kbpf_prog_fn fn, void *arg)
{
	struct prog_dump d = { .fn = fn, .arg = arg };
	struct nl_msg *msg = nl_new(nl, KBPF_CMD_PROG_GET, NLM_F_DUMP);
	int err;

	if (!msg || (ref && put_ref(msg, KBPF_A_PROG_ID, KBPF_A_PROG_NAME, ref)))
		return nl_oom(nl, msg);
	err = nl_request(nl, msg, on_prog, &d);
	/* A failed dump is no list at all: its last program may be partial. */
	if (!err)
		flush_prog(&d);
	free(d.info.attach);
	return err ? err : d.err;
}

static int on_prog_head(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	parse_prog_head(tb, arg);
	return 0;
}

static int netlink_prog_get(struct kbpf_ctl *nl, const struct obj_ref *ref,
		       struct kbpf_prog_info *info)
{
	struct nl_msg *msg = nl_new(nl, KBPF_CMD_PROG_GET, 0);

	if (!msg || put_ref(msg, KBPF_A_PROG_ID, KBPF_A_PROG_NAME, ref))
		return nl_oom(nl, msg);
	return nl_request(nl, msg, on_prog_head, info);
}

static int put_attach_req(struct nl_msg *msg, const struct kbpf_attach_req *r)
{
	return nla_put_u32(msg, KBPF_A_NF_FAMILY, r->family) ||
	       nla_put_u32(msg, KBPF_A_NF_HOOK, r->hook) ||
	       nla_put_s32(msg, KBPF_A_NF_PRIORITY, r->priority) ||
	       nla_put_s32(msg, KBPF_A_SCHED_PRIO, r->sched_prio) ||
	       nla_put_u32(msg, KBPF_A_BUDGET, r->budget) ||
	       (r->deadline_ns &&
		nla_put_u64(msg, KBPF_A_DEADLINE_NS, r->deadline_ns)) ||
	       nla_put_u32(msg, KBPF_A_MISS_VERDICT, r->miss_verdict) ||
	       nla_put_u32(msg, KBPF_A_MODE, r->mode) ||
	       (r->ifindex && nla_put_u32(msg, KBPF_A_IFINDEX, r->ifindex));
}

static int netlink_prog_attach(struct kbpf_ctl *nl, const struct obj_ref *ref,
			  const struct kbpf_attach_req *req)
{
	struct nl_msg *msg = nl_new(nl, KBPF_CMD_PROG_ATTACH, 0);

	if (!msg || put_ref(msg, KBPF_A_PROG_ID, KBPF_A_PROG_NAME, ref) ||
	    put_attach_req(msg, req))
		return nl_oom(nl, msg);
	return nl_request(nl, msg, NULL, NULL);
}

static int netlink_prog_replace(struct kbpf_ctl *nl, const struct obj_ref *old,
			   const struct obj_ref *new)
{
	struct nl_msg *msg = nl_new(nl, KBPF_CMD_PROG_REPLACE, 0);

	if (!msg || put_ref(msg, KBPF_A_PROG_ID, KBPF_A_PROG_NAME, old) ||
	    put_ref(msg, KBPF_A_NEW_PROG_ID, KBPF_A_NEW_PROG_NAME, new))
		return nl_oom(nl, msg);
	return nl_request(nl, msg, NULL, NULL);
}

static int netlink_prog_detach(struct kbpf_ctl *nl, const struct obj_ref *ref,
			  const struct kbpf_detach_req *req)
{
	struct nl_msg *msg = nl_new(nl, KBPF_CMD_PROG_DETACH, 0);

	if (!msg || put_ref(msg, KBPF_A_PROG_ID, KBPF_A_PROG_NAME, ref) ||
	    (req->has_hook &&
	     (nla_put_u32(msg, KBPF_A_NF_FAMILY, req->family) ||
	      nla_put_u32(msg, KBPF_A_NF_HOOK, req->hook))) ||
	    (req->ifindex && nla_put_u32(msg, KBPF_A_IFINDEX, req->ifindex)))
		return nl_oom(nl, msg);
	return nl_request(nl, msg, NULL, NULL);
}

static int netlink_prog_unload(struct kbpf_ctl *nl, const struct obj_ref *ref)
{
	return nl_ref_request(nl, KBPF_CMD_PROG_UNLOAD, KBPF_A_PROG_ID,
			      KBPF_A_PROG_NAME, ref);
}

/* ---- hook points ------------------------------------------------------ */

struct hook_dump {
	kbpf_hook_fn fn;
	void *arg;
	struct kbpf_hook_info info;
};

static int on_hook(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct hook_dump *d = arg;
	struct kbpf_hook_info *h = &d->info;
	struct nlattr *pos;
	int rem;

	memset(h, 0, sizeof(*h));
	h->family = get_u32(tb[KBPF_A_NF_FAMILY]);
	h->hook = get_u32(tb[KBPF_A_NF_HOOK]);
	h->priority = (__s32)get_u32(tb[KBPF_A_NF_PRIORITY]);
	h->policy = get_u32(tb[KBPF_A_POLICY]);
	h->deadline_ns = get_u64(tb[KBPF_A_DEADLINE_NS]);
	h->ifindex = get_u32(tb[KBPF_A_IFINDEX]);
	if (tb[KBPF_A_IFNAME])
		copy_string(h->ifname, sizeof(h->ifname), tb[KBPF_A_IFNAME]);
	parse_stats(tb[KBPF_A_STATS], &h->stats);
	nla_for_each_attr(pos, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0),
			  rem) {
		if (nla_type(pos) != KBPF_A_ATTACHMENT)
			continue;
		if (h->chain_cnt < KBPF_MAX_CHAIN)
			parse_attachment(pos, &h->chain[h->chain_cnt]);
		h->chain_cnt++;
	}
	return d->fn ? d->fn(h, d->arg) : 0;
}

static int netlink_hook_dump(struct kbpf_ctl *nl, kbpf_hook_fn fn, void *arg)
{
	struct hook_dump *d = calloc(1, sizeof(*d));
	struct nl_msg *msg;
	int err;

	if (!d)
		return -ENOMEM;
	d->fn = fn;
	d->arg = arg;
	msg = nl_new(nl, KBPF_CMD_HOOK_GET, NLM_F_DUMP);
	if (!msg) {
		free(d);
		return nl_oom(nl, NULL);
	}
	err = nl_request(nl, msg, on_hook, d);
	free(d);
	return err;
}

static int netlink_hook_set(struct kbpf_ctl *nl, const struct kbpf_hook_req *req)
{
	struct nl_msg *msg = nl_new(nl, KBPF_CMD_HOOK_SET, 0);

	if (!msg || nla_put_u32(msg, KBPF_A_NF_FAMILY, req->family) ||
	    nla_put_u32(msg, KBPF_A_NF_HOOK, req->hook) ||
	    nla_put_s32(msg, KBPF_A_NF_PRIORITY, req->priority) ||
	    (req->ifindex && nla_put_u32(msg, KBPF_A_IFINDEX, req->ifindex)) ||
	    (req->has_policy && nla_put_u32(msg, KBPF_A_POLICY, req->policy)) ||
	    (req->has_deadline &&
	     nla_put_u64(msg, KBPF_A_DEADLINE_NS, req->deadline_ns)))
		return nl_oom(nl, msg);
	return nl_request(nl, msg, NULL, NULL);
}

/* ---- features --------------------------------------------------------- */

static int on_feature(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct kbpf_feature_info *f = arg;
	struct nlattr *ft[KBPF_FEAT_A_MAX + 1];
	int i;

	if (tb[KBPF_A_PROFILE])
		copy_string(f->profile, sizeof(f->profile), tb[KBPF_A_PROFILE]);
	f->policy = get_u32(tb[KBPF_A_POLICY]);
	if (!tb[KBPF_A_FEATURE] ||
	    nla_parse_nested(ft, KBPF_FEAT_A_MAX, tb[KBPF_A_FEATURE], NULL) < 0)
		return 0;
	f->stats_enabled = get_u32(ft[KBPF_FEAT_A_STATS_ENABLED]);
	for (i = KBPF_FEAT_A_MAX_INSNS; i <= KBPF_FEAT_A_MAX; i++)
		if (i != KBPF_FEAT_A_PAD)
			f->feat[i] = get_u64(ft[i]);
	return 0;
}

static int netlink_feature_get(struct kbpf_ctl *nl, struct kbpf_feature_info *info)
{
	struct nl_msg *msg = nl_new(nl, KBPF_CMD_FEATURE_GET, 0);

	if (!msg)
		return nl_oom(nl, NULL);
	return nl_request(nl, msg, on_feature, info);
}

static int netlink_stats_set(struct kbpf_ctl *nl, bool on)
{
	struct nl_msg *msg = nl_new(nl, KBPF_CMD_FEATURE_SET, 0);

	if (!msg || nla_put_u32(msg, KBPF_A_STATS_ENABLED, on))
		return nl_oom(nl, msg);
	return nl_request(nl, msg, NULL, NULL);
}

/* ---- maps ------------------------------------------------------------- */

struct map_dump {
	kbpf_map_fn fn;
	void *arg;
	struct kbpf_map_info info;
};

static int on_map(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct map_dump *d = arg;
	struct kbpf_map_info *info = &d->info;

	memset(info, 0, sizeof(*info));
	info->id = get_u32(tb[KBPF_A_MAP_ID]);
	copy_name(info->name, tb[KBPF_A_MAP_NAME]);
	info->type = get_u32(tb[KBPF_A_MAP_TYPE]);
	info->key_size = get_u32(tb[KBPF_A_MAP_KEY_SIZE]);
	info->value_size = get_u32(tb[KBPF_A_MAP_VALUE_SIZE]);
	info->max_entries = get_u32(tb[KBPF_A_MAP_MAX_ENTRIES]);
	info->flags = get_u32(tb[KBPF_A_MAP_FLAGS]);
	info->frozen = get_u32(tb[KBPF_A_MAP_FROZEN]);
	info->netns_cookie = get_u64(tb[KBPF_A_NETNS_COOKIE]);
	return d->fn ? d->fn(info, d->arg) : 0;
}

static int netlink_map_dump(struct kbpf_ctl *nl, kbpf_map_fn fn, void *arg)
{
	struct map_dump d = { .fn = fn, .arg = arg };
	struct nl_msg *msg = nl_new(nl, KBPF_CMD_MAP_GET, NLM_F_DUMP);

	if (!msg)
		return nl_oom(nl, NULL);
	return nl_request(nl, msg, on_map, &d);
}

static int netlink_map_get(struct kbpf_ctl *nl, const struct obj_ref *ref,
		      struct kbpf_map_info *info)
{
	struct map_dump d = { 0 };
	struct nl_msg *msg = nl_new(nl, KBPF_CMD_MAP_GET, 0);
	int err;

	if (!msg || put_ref(msg, KBPF_A_MAP_ID, KBPF_A_MAP_NAME, ref))
		return nl_oom(nl, msg);
	err = nl_request(nl, msg, on_map, &d);
	if (!err)
		*info = d.info;
	return err;
}

static int netlink_map_resize(struct kbpf_ctl *nl, const struct obj_ref *ref,
			 __u32 max_entries)
{
	struct nl_msg *msg = nl_new(nl, KBPF_CMD_MAP_RESIZE, 0);

	if (!msg || put_ref(msg, KBPF_A_MAP_ID, KBPF_A_MAP_NAME, ref) ||
	    nla_put_u32(msg, KBPF_A_MAP_MAX_ENTRIES, max_entries))
		return nl_oom(nl, msg);
	return nl_request(nl, msg, NULL, NULL);
}

static int netlink_map_destroy(struct kbpf_ctl *nl, const struct obj_ref *ref)
{
	return nl_ref_request(nl, KBPF_CMD_MAP_DESTROY, KBPF_A_MAP_ID,
			      KBPF_A_MAP_NAME, ref);
}

const struct kbpf_ctl_ops kbpf_ctl_netlink = {
	.name		= "netlink",
	.open		= netlink_open,
	.close		= netlink_close,
	.get_version	= netlink_get_version,
	.prog_dump	= netlink_prog_dump,
	.prog_get	= netlink_prog_get,
	.prog_attach	= netlink_prog_attach,
	.prog_replace	= netlink_prog_replace,
	.prog_detach	= netlink_prog_detach,
	.prog_unload	= netlink_prog_unload,
	.map_dump	= netlink_map_dump,
	.map_get	= netlink_map_get,
	.map_destroy	= netlink_map_destroy,
	.map_resize	= netlink_map_resize,
	.hook_dump	= netlink_hook_dump,
	.hook_set	= netlink_hook_set,
	.feature_get	= netlink_feature_get,
	.stats_set	= netlink_stats_set,
};
