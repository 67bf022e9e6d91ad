// SPDX-License-Identifier: GPL-2.0
/*
 * The device transport of the control operations (ctl.h): the control
 * ioctls on /dev/kbpf (KBPF_IOC_GET_VERSION and up).  The module allocates
 * nothing for them, so in the embedded profile, where nothing may be
 * allocated after load, this is the transport that keeps a control session
 * within the module's pool; netlink's skbs are allocated by the network
 * stack for every request and reply.
 *
 * Each request hands the module ctl->msg for the reason of a failure, the
 * line netlink's extended ack would carry.  Lists walk ids (and hook points)
 * with the GET_NEXT ioctls and fetch each object by its own request; an
 * object removed between the two is skipped, as a netlink dump would not
 * have shown it either.  Arrays (attachments, chains) come in records of
 * the size this file was built with; one that outgrows its buffer is
 * fetched again with the room the module asks for.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "main.h"
#include "ctl.h"

/* Start a control ioctl's struct: its size, flags and our reason buffer. */
static void hdr_init(struct kbpf_ctl *ctl, struct kbpf_ctl_hdr *hdr,
		     size_t size, __u32 flags)
{
	memset(hdr, 0, size);
	hdr->size = size;
	hdr->flags = flags;
	hdr->log_buf = (__u64)(unsigned long)ctl->msg;
	hdr->log_size = sizeof(ctl->msg);
}

#define DEV_INIT(ctl, attr, flags) \
	hdr_init(ctl, &(attr)->hdr, sizeof(*(attr)), flags)

static int dev_request(struct kbpf_ctl *ctl, unsigned long req,
		       struct kbpf_ctl_hdr *hdr)
{
	int err;

	ctl->msg[0] = '\0';
	err = kbpf_dev_ioctl(ctl->fd, req, hdr);
	ctl->msg[sizeof(ctl->msg) - 1] = '\0';
	return err;
}

/* An object by id, or by name when the id is 0 (the ioctls' convention). */
static void put_ref(const struct obj_ref *ref, __u32 *id,
		    char name[KBPF_OBJ_NAME_LEN])
{
	*id = ref->name ? 0 : ref->id;
	if (ref->name)
		snprintf(name, KBPF_OBJ_NAME_LEN, "%s", ref->name);
}

static void copy_name(char dst[KBPF_OBJ_NAME_LEN],
		      const char src[KBPF_OBJ_NAME_LEN])
{
	snprintf(dst, KBPF_OBJ_NAME_LEN, "%.*s", KBPF_OBJ_NAME_LEN - 1, src);
}

static int dev_open(struct kbpf_ctl *ctl, bool quiet)
{
	ctl->fd = kbpf_dev_try_open();
	if (ctl->fd >= 0)
		return 0;
	if (quiet && kbpf_dev_absent(ctl->fd))
		return -ENOENT;
	/* Said the way every other command says it. */
	return kbpf_dev_open();
}

static void dev_close(struct kbpf_ctl *ctl)
{
	if (ctl->fd >= 0)
		close(ctl->fd);
	ctl->fd = -1;
}

static int dev_get_version(struct kbpf_ctl *ctl, struct kbpf_version *ver)
{
	struct kbpf_version_attr attr;
	int err;

	DEV_INIT(ctl, &attr, 0);
	err = dev_request(ctl, KBPF_IOC_GET_VERSION, &attr.hdr);
	if (err)
		return err;
	ver->abi_version = attr.version;
	snprintf(ver->profile, sizeof(ver->profile), "%.*s",
		 (int)sizeof(attr.profile) - 1, attr.profile);
	snprintf(ver->module_version, sizeof(ver->module_version), "%.*s",
		 (int)sizeof(attr.module_version) - 1, attr.module_version);
	return 0;
}

/* ---- attachments ------------------------------------------------------ */

static void copy_stats(struct kbpf_stats_info *dst, const struct kbpf_stats *src)
{
	dst->runs = src->runs;
	dst->accepts = src->accepts;
	dst->drops = src->drops;
	dst->overruns = src->overruns;
	dst->misses = src->misses;
	dst->queued = src->queued;
	dst->queue_drops = src->queue_drops;
	dst->queue_hwm = src->queue_hwm;
	dst->run_time_ns = src->run_time_ns;
	dst->run_time_max_ns = src->run_time_max_ns;
}

static void copy_attachment(struct kbpf_attachment *a,
			    const struct kbpf_attach_info *r)
{
	memset(a, 0, sizeof(*a));
	a->family = r->family;
	a->hook = r->hook;
	a->priority = r->nf_prio;
	a->netns_cookie = r->netns_cookie;
	a->prog_id = r->prog_id;
	copy_name(a->prog_name, r->prog_name);
	a->sched_prio = r->sched_prio;
	a->budget = r->budget;
	a->deadline_ns = r->deadline_ns;
	a->miss_verdict = r->miss_verdict;
	a->mode = r->mode;
	a->policy = r->policy;
	a->ifindex = r->ifindex;
	snprintf(a->ifname, sizeof(a->ifname), "%.*s",
		 (int)sizeof(r->ifname) - 1, r->ifname);
	copy_stats(&a->stats, &r->stats);
}

/* The records the module fills, and their converted copies. */
struct attach_buf {
	struct kbpf_attach_info *recs;
	struct kbpf_attachment *attach;
	__u32 room;
};

static int attach_buf_grow(struct attach_buf *b, __u32 want)
{
	struct kbpf_attach_info *recs;
	struct kbpf_attachment *attach;

	if (want <= b->room)
		return 0;
	/* A little slack: an attach meanwhile should not cost a round. */
	want += 8;
	recs = realloc(b->recs, want * sizeof(*recs));
	if (!recs)
		return -ENOMEM;
	b->recs = recs;
	attach = realloc(b->attach, want * sizeof(*attach));
	if (!attach)
		return -ENOMEM;
	b->attach = attach;
	b->room = want;
	return 0;
}

static void attach_buf_free(struct attach_buf *b)
{
	free(b->recs);
	free(b->attach);
}

/* ---- programs --------------------------------------------------------- */

static void copy_prog_info(struct kbpf_prog_info *info,
			   const struct kbpf_prog_info_attr *attr)
{
	memset(info, 0, sizeof(*info));
	info->id = attr->prog_id;
	copy_name(info->name, attr->name);
	info->type = attr->prog_type;
	info->insn_cnt = attr->insn_cnt;
	info->run_cnt = attr->run_cnt;
	info->run_time_ns = attr->run_time_ns;
	info->engine = attr->engine;
	if (attr->engine == KBPF_ENGINE_NATIVE)
		snprintf(info->native_module, sizeof(info->native_module),
			 "%.*s", (int)sizeof(attr->native_module) - 1,
			 attr->native_module);
	info->netns_cookie = attr->netns_cookie;
	info->worst_case = attr->worst_case;
	info->attach_total = attr->attach_cnt;
}

/*
 * One program, with its attachments into b when b is not NULL: asked again
 * with more room for as long as the module says they do not fit.
 */
static int prog_info(struct kbpf_ctl *ctl, const struct obj_ref *ref,
		     struct attach_buf *b, struct kbpf_prog_info *info)
{
	struct kbpf_prog_info_attr attr;
	__u32 i;
	int err;

	for (;;) {
		DEV_INIT(ctl, &attr, 0);
		put_ref(ref, &attr.prog_id, attr.name);
		/* Without a buffer, the count alone. */
		if (b) {
			attr.attachments = (__u64)(unsigned long)b->recs;
			attr.attach_cnt = b->room;
			attr.attach_rec_size = sizeof(*b->recs);
		}
		err = dev_request(ctl, KBPF_IOC_PROG_GET_INFO, &attr.hdr);
		if (err != -ENOSPC || !b || attr.attach_cnt <= b->room)
			break;
		err = attach_buf_grow(b, attr.attach_cnt);
		if (err)
			return err;
	}
	if (err)
		return err;
	copy_prog_info(info, &attr);
	if (!b)
		return 0;
	info->attach_cnt = attr.attach_cnt;
	for (i = 0; i < info->attach_cnt; i++)
		copy_attachment(&b->attach[i], &b->recs[i]);
	info->attach = b->attach;
	return 0;
}

/* The next id of a list after *id; -ENOENT after the last. */
static int next_id(struct kbpf_ctl *ctl, unsigned long req, __u32 *id)
{
	struct kbpf_next_id_attr attr;
	int err;

	DEV_INIT(ctl, &attr, 0);
	attr.start_id = *id;
	err = dev_request(ctl, req, &attr.hdr);
	if (!err)
		*id = attr.next_id;
	return err;
}

/* fn for one program; 1 when fn wants no more, or a negative errno. */
static int show_prog(struct kbpf_ctl *ctl, const struct obj_ref *ref,
		     struct attach_buf *b, kbpf_prog_fn fn, void *arg)
{
	struct kbpf_prog_info info;
	int err;

	err = prog_info(ctl, ref, b, &info);
	if (err)
		return err;
	err = fn ? fn(&info, arg) : 0;
	return err > 0 ? 1 : err;
}

static int dev_prog_dump(struct kbpf_ctl *ctl, const struct obj_ref *ref,
			 kbpf_prog_fn fn, void *arg)
{
	struct attach_buf b = { 0 };
	struct obj_ref each = { 0 };
	int err;

	err = attach_buf_grow(&b, 8);
	if (!err && ref)
		err = show_prog(ctl, ref, &b, fn, arg);
	while (!err && !ref) {
		err = next_id(ctl, KBPF_IOC_PROG_GET_NEXT_ID, &each.id);
		if (err == -ENOENT) {
			err = 0;
			break;
		}
		if (!err)
			err = show_prog(ctl, &each, &b, fn, arg);
		/* Unloaded since the walk found it. */
		if (err == -ENOENT)
			err = 0;
	}
	attach_buf_free(&b);
	return err < 0 ? err : 0;
}

static int dev_prog_get(struct kbpf_ctl *ctl, const struct obj_ref *ref,
			struct kbpf_prog_info *info)
{
	return prog_info(ctl, ref, NULL, info);
}

static int dev_prog_attach(struct kbpf_ctl *ctl, const struct obj_ref *ref,
			   const struct kbpf_attach_req *req)
{
	struct kbpf_prog_attach_attr attr;

	DEV_INIT(ctl, &attr, req->miss_verdict == KBPF_NF_DROP ?
			     KBPF_ATTACH_F_MISS_DROP : 0);
	put_ref(ref, &attr.prog_id, attr.name);
	attr.hook.family = req->family;
	attr.hook.hook = req->hook;
	attr.hook.nf_prio = req->priority;
	attr.hook.ifindex = req->ifindex;
	attr.sched_prio = req->sched_prio;
	attr.deadline_ns = req->deadline_ns;
	attr.budget = req->budget;
	attr.mode = req->mode;
	return dev_request(ctl, KBPF_IOC_PROG_ATTACH, &attr.hdr);
}

static int dev_prog_replace(struct kbpf_ctl *ctl, const struct obj_ref *old,
			    const struct obj_ref *new)
{
	struct kbpf_prog_replace_attr attr;

	DEV_INIT(ctl, &attr, 0);
	put_ref(old, &attr.prog_id, attr.name);
	put_ref(new, &attr.new_prog_id, attr.new_name);
	return dev_request(ctl, KBPF_IOC_PROG_REPLACE, &attr.hdr);
}

static int dev_prog_detach(struct kbpf_ctl *ctl, const struct obj_ref *ref,
			   const struct kbpf_detach_req *req)
{
	struct kbpf_prog_detach_attr attr;

	DEV_INIT(ctl, &attr, req->has_hook ? 0 : KBPF_DETACH_F_ALL);
	put_ref(ref, &attr.prog_id, attr.name);
	if (req->has_hook) {
		attr.family = req->family;
		attr.hook = req->hook;
		attr.ifindex = req->ifindex;
	}
	return dev_request(ctl, KBPF_IOC_PROG_DETACH, &attr.hdr);
}

/* PROG_UNLOAD and MAP_DESTROY: one object by id or name. */
static int obj_request(struct kbpf_ctl *ctl, unsigned long req,
		       const struct obj_ref *ref)
{
	struct kbpf_obj_attr attr;

	DEV_INIT(ctl, &attr, 0);
	put_ref(ref, &attr.id, attr.name);
	return dev_request(ctl, req, &attr.hdr);
}

static int dev_prog_unload(struct kbpf_ctl *ctl, const struct obj_ref *ref)
{
	return obj_request(ctl, KBPF_IOC_PROG_UNLOAD, ref);
}

/* ---- maps ------------------------------------------------------------- */

static int dev_map_get(struct kbpf_ctl *ctl, const struct obj_ref *ref,
		       struct kbpf_map_info *info)
{
	struct kbpf_map_info_attr attr;
	int err;

	DEV_INIT(ctl, &attr, 0);
	put_ref(ref, &attr.map_id, attr.name);
	err = dev_request(ctl, KBPF_IOC_MAP_GET_INFO, &attr.hdr);
	if (err)
		return err;
	memset(info, 0, sizeof(*info));
	info->id = attr.map_id;
	copy_name(info->name, attr.name);
	info->type = attr.map_type;
	info->key_size = attr.key_size;
	info->value_size = attr.value_size;
	info->max_entries = attr.max_entries;
	info->flags = attr.map_flags;
	info->frozen = attr.frozen;
	info->netns_cookie = attr.netns_cookie;
	return 0;
}

static int dev_map_dump(struct kbpf_ctl *ctl, kbpf_map_fn fn, void *arg)
{
	struct kbpf_map_info info;
	struct obj_ref each = { 0 };
	int err;

	for (;;) {
		err = next_id(ctl, KBPF_IOC_MAP_GET_NEXT_ID, &each.id);
		if (err)
			break;
		err = dev_map_get(ctl, &each, &info);
		/* Destroyed since the walk found it. */
		if (err == -ENOENT)
			continue;
		if (!err && fn)
			err = fn(&info, arg);
		if (err)
			break;
	}
	return err == -ENOENT || err > 0 ? 0 : err;
}

static int dev_map_destroy(struct kbpf_ctl *ctl, const struct obj_ref *ref)
{
	return obj_request(ctl, KBPF_IOC_MAP_DESTROY, ref);
}

/* ---- hook points ------------------------------------------------------ */

static int next_hook(struct kbpf_ctl *ctl, struct kbpf_hook_id *id)
{
	struct kbpf_hook_next_attr attr;
	int err;

	DEV_INIT(ctl, &attr, 0);
	attr.start = *id;
	err = dev_request(ctl, KBPF_IOC_HOOK_GET_NEXT, &attr.hdr);
	if (!err)
		*id = attr.next;
	return err;
}

/*
 * One hook point into h, its chain too: past KBPF_MAX_CHAIN programs only
 * the first are kept and chain_cnt counts them all, as with netlink.
 */
static int hook_info(struct kbpf_ctl *ctl, const struct kbpf_hook_id *id,
		     struct kbpf_attach_info *recs, struct kbpf_hook_info *h)
{
	struct kbpf_hook_info_attr attr;
	__u32 i;
	int err;

	DEV_INIT(ctl, &attr, 0);
	attr.hook = *id;
	attr.chain = (__u64)(unsigned long)recs;
	attr.chain_cnt = KBPF_MAX_CHAIN;
	attr.chain_rec_size = sizeof(*recs);
	err = dev_request(ctl, KBPF_IOC_HOOK_GET_INFO, &attr.hdr);
	if (err == -ENOSPC && attr.chain_cnt > KBPF_MAX_CHAIN)
		err = 0;
	if (err)
		return err;
	memset(h, 0, sizeof(*h));
	h->family = id->family;
	h->hook = id->hook;
	h->priority = id->nf_prio;
	h->ifindex = id->ifindex;
	snprintf(h->ifname, sizeof(h->ifname), "%.*s",
		 (int)sizeof(attr.ifname) - 1, attr.ifname);
	h->policy = attr.policy;
	h->deadline_ns = attr.deadline_ns;
	copy_stats(&h->stats, &attr.stats);
	h->chain_cnt = attr.chain_cnt;
	for (i = 0; i < h->chain_cnt && i < KBPF_MAX_CHAIN; i++)
		copy_attachment(&h->chain[i], &recs[i]);
	return 0;
}

static int dev_hook_dump(struct kbpf_ctl *ctl, kbpf_hook_fn fn, void *arg)
{
	struct kbpf_attach_info *recs = calloc(KBPF_MAX_CHAIN, sizeof(*recs));
	struct kbpf_hook_info *h = calloc(1, sizeof(*h));
	struct kbpf_hook_id id = { 0 };
	int err = recs && h ? 0 : -ENOMEM;

	while (!err) {
		err = next_hook(ctl, &id);
		if (err)
			break;
		err = hook_info(ctl, &id, recs, h);
		/* Emptied since the walk found it. */
		if (err == -ENOENT)
			err = 0;
		else if (!err && fn)
			err = fn(h, arg);
	}
	free(recs);
	free(h);
	return err == -ENOENT || err > 0 ? 0 : err;
}

static int dev_hook_set(struct kbpf_ctl *ctl, const struct kbpf_hook_req *req)
{
	struct kbpf_hook_set_attr attr;

	DEV_INIT(ctl, &attr,
		 (req->has_policy ? KBPF_HOOK_SET_F_POLICY : 0) |
		 (req->has_deadline ? KBPF_HOOK_SET_F_DEADLINE : 0));
	attr.hook.family = req->family;
	attr.hook.hook = req->hook;
	attr.hook.nf_prio = req->priority;
	attr.hook.ifindex = req->ifindex;
	attr.policy = req->policy;
	attr.deadline_ns = req->deadline_ns;
	return dev_request(ctl, KBPF_IOC_HOOK_SET, &attr.hdr);
}

/* ---- features --------------------------------------------------------- */

/* Where each KBPF_FEAT_A_* is in the ioctl's struct. */
#define FEAT(attr, member) { attr, offsetof(struct kbpf_feature_get_attr, member) }

static const struct {
	int attr;
	size_t off;
} feat_members[] = {
	FEAT(KBPF_FEAT_A_MAX_INSNS, max_insns),
	FEAT(KBPF_FEAT_A_MAX_PROCESSED_INSNS, max_processed_insns),
	FEAT(KBPF_FEAT_A_MAX_STATES, max_states),
	FEAT(KBPF_FEAT_A_MAX_MAPS_PER_PROG, max_maps_per_prog),
	FEAT(KBPF_FEAT_A_MAX_KEY_SIZE, max_key_size),
	FEAT(KBPF_FEAT_A_MAX_VALUE_SIZE, max_value_size),
	FEAT(KBPF_FEAT_A_MAX_ENTRIES, max_entries),
	FEAT(KBPF_FEAT_A_MAX_PROGS, max_progs),
	FEAT(KBPF_FEAT_A_MAX_MAPS, max_maps),
	FEAT(KBPF_FEAT_A_MAX_CHAIN, max_chain),
	FEAT(KBPF_FEAT_A_DEFAULT_BUDGET, default_budget),
	FEAT(KBPF_FEAT_A_DEFAULT_DEADLINE_NS, default_deadline_ns),
	FEAT(KBPF_FEAT_A_NS_PER_INSN, ns_per_insn),
	FEAT(KBPF_FEAT_A_QUEUE_LEN, queue_len),
	FEAT(KBPF_FEAT_A_SNAP_LEN, snap_len),
	FEAT(KBPF_FEAT_A_POOL_SIZE, pool_size),
	FEAT(KBPF_FEAT_A_POOL_USED, pool_used),
	FEAT(KBPF_FEAT_A_POOL_PEAK, pool_peak),
	FEAT(KBPF_FEAT_A_MAX_VERIFIER_BYTES, max_verifier_bytes),
	FEAT(KBPF_FEAT_A_MAX_MAP_BYTES, max_map_bytes),
	FEAT(KBPF_FEAT_A_MAX_MAPS_BYTES, max_maps_bytes),
	FEAT(KBPF_FEAT_A_MAPS_BYTES_USED, maps_bytes_used),
	FEAT(KBPF_FEAT_A_TRACE_LINES, trace_lines),
};

static int dev_feature_get(struct kbpf_ctl *ctl, struct kbpf_feature_info *f)
{
	struct kbpf_feature_get_attr attr;
	size_t i;
	int err;

	DEV_INIT(ctl, &attr, 0);
	err = dev_request(ctl, KBPF_IOC_FEATURE_GET, &attr.hdr);
	if (err)
		return err;
	snprintf(f->profile, sizeof(f->profile), "%.*s",
		 (int)sizeof(attr.profile) - 1, attr.profile);
	f->policy = attr.policy;
	f->stats_enabled = attr.stats_enabled;
	for (i = 0; i < ARRAY_SIZE(feat_members); i++)
		memcpy(&f->feat[feat_members[i].attr],
		       (const char *)&attr + feat_members[i].off,
		       sizeof(__u64));
	return 0;
}

static int dev_stats_set(struct kbpf_ctl *ctl, bool on)
{
	struct kbpf_feature_set_attr attr;

	DEV_INIT(ctl, &attr, KBPF_FEATURE_SET_F_STATS);
	attr.stats_enabled = on;
	return dev_request(ctl, KBPF_IOC_FEATURE_SET, &attr.hdr);
}

const struct kbpf_ctl_ops kbpf_ctl_dev = {
	.name		= "dev",
	.open		= dev_open,
	.close		= dev_close,
	.get_version	= dev_get_version,
	.prog_dump	= dev_prog_dump,
	.prog_get	= dev_prog_get,
	.prog_attach	= dev_prog_attach,
	.prog_replace	= dev_prog_replace,
	.prog_detach	= dev_prog_detach,
	.prog_unload	= dev_prog_unload,
	.map_dump	= dev_map_dump,
	.map_get	= dev_map_get,
	.map_destroy	= dev_map_destroy,
	.hook_dump	= dev_hook_dump,
	.hook_set	= dev_hook_set,
	.feature_get	= dev_feature_get,
	.stats_set	= dev_stats_set,
};
