// SPDX-License-Identifier: GPL-2.0
/*
 * The control ioctls of /dev/kbpf (KBPF_IOC_GET_VERSION and up, numbers 32
 * and up): the netlink family's operations, for a system that drives kbpf
 * through the device alone.  Each one reads its struct, refuses what the
 * ABI does not define (unknown flags, reserved members, record sizes out
 * of bounds), turns it into the plain request of ctl.h and calls the one
 * implementation netlink calls too; a refusal's extack message goes to the
 * caller's log buffer.
 *
 * Nothing here allocates.  Structs live on the stack; answers are built in
 * a zeroed struct holding only the caller's own inputs besides, so no
 * kernel byte reaches userspace unset.  Arrays (a program's attachments, a
 * hook point's chain) go out in pieces of KBPF_CTL_PIECE records: each
 * piece is read under the registry lock and copied to the caller after
 * dropping it, so a faulting or userfaultfd-backed buffer never holds the
 * registry, as for KBPF_IOC_MAP_GET_BTF.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "chardev.h"
#include "ctl.h"
#include "feature.h"

/* Largest record size a caller may name (a newer, larger kbpf_attach_info). */
#define KBPF_CTL_REC_MAX	4096
/* Records read per registry lock (on the stack). */
#define KBPF_CTL_PIECE		4

/* ---- arguments and reasons --------------------------------------------- */

int kbpf_ctl_reserved(u32 reserved, struct netlink_ext_ack *extack)
{
	if (!reserved)
		return 0;
	NL_SET_ERR_MSG(extack, "reserved members must be 0");
	return -EINVAL;
}

int kbpf_ctl_hdr_in(void *attr, size_t ksize, const void __user *uattr,
		    u32 known, struct netlink_ext_ack *extack)
{
	struct kbpf_ctl_hdr *h = attr;
	int err;

	err = kbpf_attr_in(attr, ksize, uattr);
	if (err)
		return err;
	/* Without both there is nowhere to say why. */
	if (!h->log_buf != !h->log_size)
		return -EINVAL;
	err = kbpf_ctl_reserved(h->__reserved, extack);
	if (err)
		return err;
	if (h->flags & ~known) {
		NL_SET_ERR_MSG(extack, "unknown flags");
		return -EINVAL;
	}
	return 0;
}

int kbpf_ctl_reason_out(const struct kbpf_ctl_hdr *h,
			const struct netlink_ext_ack *extack)
{
	char __user *ubuf = u64_to_user_ptr(h->log_buf);
	size_t len;

	if (!h->log_size || !extack->_msg)
		return 0;
	len = min_t(size_t, strlen(extack->_msg), h->log_size - 1);
	if (copy_to_user(ubuf, extack->_msg, len) || put_user('\0', ubuf + len))
		return -EFAULT;
	return 0;
}

/* The whole answer, as far as the caller's struct reaches. */
static int kbpf_ctl_out(void __user *uattr, const void *attr, size_t ksize)
{
	u32 usize = ((const struct kbpf_ctl_hdr *)attr)->size;

	return copy_to_user(uattr, attr, min_t(size_t, usize, ksize)) ?
	       -EFAULT : 0;
}

/* An object named by id, or when that is 0 by name. */
static int kbpf_ctl_dev_obj(struct kbpf_ctl_obj *o, u32 id, const char *name,
			    size_t size, struct netlink_ext_ack *extack)
{
	if (kbpf_registry_check_name(name, size)) {
		NL_SET_ERR_MSG(extack,
			       "a name is at most 15 bytes of [A-Za-z0-9_.], NUL-terminated");
		return -EINVAL;
	}
	*o = (struct kbpf_ctl_obj) { .id = id, .name = name[0] ? name : NULL };
	return 0;
}

/* ---- arrays of attachments --------------------------------------------- */

struct kbpf_ctl_array {
	u64 ubuf;		/* struct kbpf_attach_info[], or 0 */
	u32 room;		/* records there */
	u32 rec_size;		/* bytes of one, as the caller knows it */
};

static int kbpf_ctl_array_check(const struct kbpf_ctl_array *a,
				struct netlink_ext_ack *extack)
{
	/* No buffer asks for the count only: room and size then mean nothing. */
	if (!a->ubuf)
		return 0;
	if (a->rec_size < KBPF_ATTACH_INFO_SIZE_VER0 ||
	    a->rec_size > KBPF_CTL_REC_MAX) {
		NL_SET_ERR_MSG(extack,
			       "record size must be 168 (KBPF_ATTACH_INFO_SIZE_VER0) to 4096");
		return -EINVAL;
	}
	return 0;
}

struct kbpf_ctl_piece {
	struct kbpf_attach_info rec[KBPF_CTL_PIECE];
	u32 n;
	u32 max;
};

static int kbpf_ctl_piece_add(void *arg, const struct kbpf_attach_info *ai)
{
	struct kbpf_ctl_piece *p = arg;

	p->rec[p->n++] = *ai;
	return p->n == p->max;	/* full: stop the walk */
}

/*
 * Read the records from pos on into p, under the registry lock: 0 or 1, or
 * -ENOENT when the object has gone meanwhile.
 */
typedef int (*kbpf_ctl_read_fn)(const void *key, u32 pos,
				struct kbpf_ctl_piece *p);

/* Records go out over rec_size bytes each, zero past what we know. */
static int kbpf_ctl_rec_out(u8 __user *dst, const struct kbpf_attach_info *ai,
			    u32 rec_size)
{
	size_t n = min_t(size_t, rec_size, sizeof(*ai));

	if (copy_to_user(dst, ai, n))
		return -EFAULT;
	if (rec_size > n && clear_user(dst + n, rec_size - n))
		return -EFAULT;
	return 0;
}

/*
 * Up to total records into the caller's array; -ENOSPC with the count when
 * it has less room.  The list may change between pieces: records are then
 * those read, and the walk ends where the list does.
 */
static int kbpf_ctl_array_out(const struct kbpf_ctl_array *a, u32 total,
			      kbpf_ctl_read_fn read, const void *key,
			      struct netlink_ext_ack *extack)
{
	u8 __user *ubuf = u64_to_user_ptr(a->ubuf);
	u32 want = min(a->room, total), pos = 0, i;
	struct kbpf_ctl_piece p;
	int err;

	if (!a->ubuf)
		return 0;
	while (pos < want) {
		p.n = 0;
		p.max = min_t(u32, want - pos, KBPF_CTL_PIECE);
		err = read(key, pos, &p);
		if (err < 0)
			return err;
		if (!p.n)
			break;
		for (i = 0; i < p.n; i++, pos++) {
			err = kbpf_ctl_rec_out(ubuf + (size_t)pos * a->rec_size,
					       &p.rec[i], a->rec_size);
			if (err)
				return err;
		}
	}
	if (a->room < total) {
		kbpf_nf_errmsg(extack, "room for %u of %u records",
			       a->room, total);
		return -ENOSPC;
	}
	return 0;
}

/* ---- reports ----------------------------------------------------------- */

static int kbpf_ctl_get_version(const struct kbpf_caller *c, void *attr,
				void __user *uattr,
				struct netlink_ext_ack *extack)
{
	struct kbpf_version_attr *in = attr;
	struct kbpf_version_attr v = { .hdr = in->hdr };

	kbpf_ctl_version(&v);
	return kbpf_ctl_out(uattr, &v, sizeof(v));
}

static int kbpf_ctl_next_id_op(const struct kbpf_caller *c, void *attr,
			       void __user *uattr,
			       struct netlink_ext_ack *extack,
			       enum kbpf_ctl_kind kind)
{
	struct kbpf_next_id_attr *in = attr;
	struct kbpf_next_id_attr out = {
		.hdr = in->hdr,
		.start_id = in->start_id,
	};
	int err;

	err = kbpf_ctl_next_id(c, kind, in->start_id, &out.next_id, extack);
	return err ?: kbpf_ctl_out(uattr, &out, sizeof(out));
}

static int kbpf_ctl_prog_next_id(const struct kbpf_caller *c, void *attr,
				 void __user *uattr,
				 struct netlink_ext_ack *extack)
{
	return kbpf_ctl_next_id_op(c, attr, uattr, extack, KBPF_CTL_PROG);
}

static int kbpf_ctl_map_next_id(const struct kbpf_caller *c, void *attr,
				void __user *uattr,
				struct netlink_ext_ack *extack)
{
	return kbpf_ctl_next_id_op(c, attr, uattr, extack, KBPF_CTL_MAP);
}

/* Which program a piece of attachments is read from. */
struct kbpf_ctl_prog_key {
	const struct kbpf_caller *c;
	u32 id;
};

static int kbpf_ctl_read_prog_links(const void *key, u32 pos,
				    struct kbpf_ctl_piece *p)
{
	const struct kbpf_ctl_prog_key *k = key;
	struct kbpf_reg_prog *rp;
	int err;

	kbpf_registry_lock();
	rp = kbpf_registry_prog_find_locked(k->c, k->id, NULL);
	err = IS_ERR(rp) ? PTR_ERR(rp) :
	      kbpf_nf_prog_links_locked(rp, pos, kbpf_ctl_piece_add, p);
	kbpf_registry_unlock();
	return err;
}

static int kbpf_ctl_prog_get_info(const struct kbpf_caller *c, void *attr,
				  void __user *uattr,
				  struct netlink_ext_ack *extack)
{
	struct kbpf_prog_info_attr *in = attr;
	struct kbpf_ctl_array arr = {
		.ubuf = in->attachments,
		.room = in->attach_cnt,
		.rec_size = in->attach_rec_size,
	};
	struct kbpf_prog_info_attr out = {
		.hdr = in->hdr,
		.attachments = in->attachments,
		.attach_rec_size = in->attach_rec_size,
	};
	struct kbpf_ctl_prog_key key = { .c = c };
	struct kbpf_reg_prog *rp;
	struct kbpf_ctl_obj o;
	int err;

	err = kbpf_ctl_dev_obj(&o, in->prog_id, in->name, sizeof(in->name),
			       extack) ?:
	      kbpf_ctl_array_check(&arr, extack);
	if (err)
		return err;
	kbpf_registry_lock();
	rp = kbpf_ctl_find_prog_locked(c, &o, extack);
	if (!IS_ERR(rp))
		kbpf_ctl_prog_info_locked(rp, &out);
	kbpf_registry_unlock();
	if (IS_ERR(rp))
		return PTR_ERR(rp);
	/* The count first: with ENOSPC it tells how much room to make. */
	err = kbpf_ctl_out(uattr, &out, sizeof(out));
	if (err)
		return err;
	key.id = out.prog_id;
	return kbpf_ctl_array_out(&arr, out.attach_cnt,
				  kbpf_ctl_read_prog_links, &key, extack);
}

static int kbpf_ctl_map_get_info(const struct kbpf_caller *c, void *attr,
				 void __user *uattr,
				 struct netlink_ext_ack *extack)
{
	struct kbpf_map_info_attr *in = attr;
	struct kbpf_map_info_attr out = { .hdr = in->hdr };
	struct kbpf_reg_map *rm;
	struct kbpf_ctl_obj o;
	int err;

	err = kbpf_ctl_reserved(in->__reserved, extack) ?:
	      kbpf_ctl_dev_obj(&o, in->map_id, in->name, sizeof(in->name),
			       extack);
	if (err)
		return err;
	kbpf_registry_lock();
	rm = kbpf_ctl_find_map_locked(c, &o, extack);
	if (!IS_ERR(rm))
		kbpf_ctl_map_info_locked(rm, &out);
	kbpf_registry_unlock();
	if (IS_ERR(rm))
		return PTR_ERR(rm);
	return kbpf_ctl_out(uattr, &out, sizeof(out));
}

static int kbpf_ctl_hook_get_next(const struct kbpf_caller *c, void *attr,
				  void __user *uattr,
				  struct netlink_ext_ack *extack)
{
	struct kbpf_hook_next_attr *in = attr;
	struct kbpf_hook_next_attr out = {
		.hdr = in->hdr,
		.start = in->start,
	};
	struct kbpf_nf_hookpt *hp;
	int err;

	err = kbpf_ctl_may_look(c, extack);
	if (err)
		return err;
	kbpf_registry_lock();
	hp = kbpf_nf_hook_after_locked(c->net, &in->start);
	if (hp)
		kbpf_nf_hook_id(hp, &out.next);
	kbpf_registry_unlock();
	if (!hp) {
		NL_SET_ERR_MSG(extack, "no hook point after this one");
		return -ENOENT;
	}
	return kbpf_ctl_out(uattr, &out, sizeof(out));
}

/* Which hook point a piece of its chain is read from. */
struct kbpf_ctl_hook_key {
	struct net *net;
	struct kbpf_hook_id id;
};

static int kbpf_ctl_read_hook_links(const void *key, u32 pos,
				    struct kbpf_ctl_piece *p)
{
	const struct kbpf_ctl_hook_key *k = key;
	struct kbpf_nf_hookpt *hp;
	int err;

	kbpf_registry_lock();
	hp = kbpf_nf_hook_find_locked(k->net, &k->id);
	err = !hp ? -ENOENT :
	      kbpf_nf_hook_links_locked(hp, pos, kbpf_ctl_piece_add, p);
	kbpf_registry_unlock();
	return err;
}

static int kbpf_ctl_hook_get_info(const struct kbpf_caller *c, void *attr,
				  void __user *uattr,
				  struct netlink_ext_ack *extack)
{
	struct kbpf_hook_info_attr *in = attr;
	struct kbpf_ctl_array arr = {
		.ubuf = in->chain,
		.room = in->chain_cnt,
		.rec_size = in->chain_rec_size,
	};
	struct kbpf_hook_info_attr out = {
		.hdr = in->hdr,
		.chain = in->chain,
		.chain_rec_size = in->chain_rec_size,
	};
	struct kbpf_ctl_hook_key key = { .net = c->net, .id = in->hook };
	struct kbpf_nf_hookpt *hp;
	int err;

	err = kbpf_ctl_reserved(in->__reserved, extack) ?:
	      kbpf_ctl_array_check(&arr, extack) ?:
	      kbpf_ctl_may_look(c, extack);
	if (err)
		return err;
	kbpf_registry_lock();
	hp = kbpf_nf_hook_find_locked(c->net, &in->hook);
	if (hp)
		kbpf_nf_hook_info_locked(hp, &out);
	kbpf_registry_unlock();
	if (!hp) {
		NL_SET_ERR_MSG(extack,
			       "nothing is attached or set at this hook point in this namespace");
		return -ENOENT;
	}
	err = kbpf_ctl_out(uattr, &out, sizeof(out));
	if (err)
		return err;
	return kbpf_ctl_array_out(&arr, out.chain_cnt,
				  kbpf_ctl_read_hook_links, &key, extack);
}

static int kbpf_ctl_feature_get(const struct kbpf_caller *c, void *attr,
				void __user *uattr,
				struct netlink_ext_ack *extack)
{
	struct kbpf_feature_get_attr *in = attr;
	struct kbpf_feature_get_attr out = { .hdr = in->hdr };

	kbpf_feature_read(&out);
	return kbpf_ctl_out(uattr, &out, sizeof(out));
}

/* ---- changes ----------------------------------------------------------- */

static int kbpf_ctl_prog_attach_op(const struct kbpf_caller *c, void *attr,
				   void __user *uattr,
				   struct netlink_ext_ack *extack)
{
	struct kbpf_prog_attach_attr *a = attr;
	struct kbpf_nf_attach_opts opts = {
		.family = a->hook.family,
		.hook = a->hook.hook,
		.nf_prio = a->hook.nf_prio,
		.ifindex = a->hook.ifindex,
		.sched_prio = a->sched_prio,
		.budget = a->budget,
		.deadline_ns = a->deadline_ns,
		.miss_verdict = a->hdr.flags & KBPF_ATTACH_F_MISS_DROP ?
				KBPF_NF_DROP : KBPF_NF_ACCEPT,
		.mode = a->mode,
	};
	struct kbpf_ctl_obj o;
	u32 id;
	int err;

	err = kbpf_ctl_dev_obj(&o, a->prog_id, a->name, sizeof(a->name),
			       extack);
	return err ?: kbpf_ctl_prog_attach(c, &o, &opts, &id, extack);
}

static int kbpf_ctl_prog_detach_op(const struct kbpf_caller *c, void *attr,
				   void __user *uattr,
				   struct netlink_ext_ack *extack)
{
	struct kbpf_prog_detach_attr *a = attr;
	struct kbpf_ctl_detach d = {
		.one = !(a->hdr.flags & KBPF_DETACH_F_ALL),
		.family = a->family,
		.hook = a->hook,
		.ifindex = a->ifindex,
	};
	struct kbpf_ctl_obj o;
	int err;

	if (!d.one && (a->family || a->hook)) {
		NL_SET_ERR_MSG(extack,
			       "KBPF_DETACH_F_ALL detaches from every hook: family and hook are 0");
		return -EINVAL;
	}
	if (d.one && !a->family) {
		NL_SET_ERR_MSG(extack,
			       "give a family and a hook, or KBPF_DETACH_F_ALL");
		return -EINVAL;
	}
	err = kbpf_ctl_dev_obj(&o, a->prog_id, a->name, sizeof(a->name),
			       extack);
	return err ?: kbpf_ctl_prog_detach(c, &o, &d, extack);
}

static int kbpf_ctl_prog_replace_op(const struct kbpf_caller *c, void *attr,
				    void __user *uattr,
				    struct netlink_ext_ack *extack)
{
	struct kbpf_prog_replace_attr *a = attr;
	struct kbpf_ctl_obj old, new;

	return kbpf_ctl_dev_obj(&old, a->prog_id, a->name, sizeof(a->name),
				extack) ?:
	       kbpf_ctl_dev_obj(&new, a->new_prog_id, a->new_name,
				sizeof(a->new_name), extack) ?:
	       kbpf_ctl_prog_replace(c, &old, &new, extack);
}

static int kbpf_ctl_prog_unload_op(const struct kbpf_caller *c, void *attr,
				   void __user *uattr,
				   struct netlink_ext_ack *extack)
{
	struct kbpf_obj_attr *a = attr;
	struct kbpf_ctl_obj o;

	return kbpf_ctl_reserved(a->__reserved, extack) ?:
	       kbpf_ctl_dev_obj(&o, a->id, a->name, sizeof(a->name), extack) ?:
	       kbpf_ctl_prog_unload(c, &o, extack);
}

static int kbpf_ctl_map_destroy_op(const struct kbpf_caller *c, void *attr,
				   void __user *uattr,
				   struct netlink_ext_ack *extack)
{
	struct kbpf_obj_attr *a = attr;
	struct kbpf_ctl_obj o;

	return kbpf_ctl_reserved(a->__reserved, extack) ?:
	       kbpf_ctl_dev_obj(&o, a->id, a->name, sizeof(a->name), extack) ?:
	       kbpf_ctl_map_destroy(c, &o, extack);
}

static int kbpf_ctl_hook_set_op(const struct kbpf_caller *c, void *attr,
				void __user *uattr,
				struct netlink_ext_ack *extack)
{
	struct kbpf_hook_set_attr *a = attr;
	struct kbpf_ctl_hook_set hs = {
		.hook = a->hook,
		.set_policy = a->hdr.flags & KBPF_HOOK_SET_F_POLICY,
		.policy = a->policy,
		.set_deadline = a->hdr.flags & KBPF_HOOK_SET_F_DEADLINE,
		.deadline_ns = a->deadline_ns,
	};

	return kbpf_ctl_reserved(a->__reserved, extack) ?:
	       kbpf_ctl_hook_set(c, &hs, extack);
}

static int kbpf_ctl_feature_set_op(const struct kbpf_caller *c, void *attr,
				   void __user *uattr,
				   struct netlink_ext_ack *extack)
{
	struct kbpf_feature_set_attr *a = attr;
	struct kbpf_ctl_feature_set fs = {
		.set_stats = a->hdr.flags & KBPF_FEATURE_SET_F_STATS,
		.stats = a->stats_enabled,
	};

	return kbpf_ctl_reserved(a->__reserved, extack) ?:
	       kbpf_ctl_feature_set(c, &fs, extack);
}

/* ---- dispatch ---------------------------------------------------------- */

union kbpf_ctl_attrs {
	struct kbpf_ctl_hdr hdr;
	struct kbpf_version_attr version;
	struct kbpf_next_id_attr next_id;
	struct kbpf_prog_info_attr prog_info;
	struct kbpf_map_info_attr map_info;
	struct kbpf_prog_attach_attr attach;
	struct kbpf_prog_detach_attr detach;
	struct kbpf_prog_replace_attr replace;
	struct kbpf_obj_attr obj;
	struct kbpf_hook_next_attr hook_next;
	struct kbpf_hook_info_attr hook_info;
	struct kbpf_hook_set_attr hook_set;
	struct kbpf_feature_get_attr feature_get;
	struct kbpf_feature_set_attr feature_set;
};

struct kbpf_ctl_ioctl {
	size_t size;		/* of its struct */
	u32 flags;		/* the flags it knows */
	int (*fn)(const struct kbpf_caller *c, void *attr, void __user *uattr,
		  struct netlink_ext_ack *extack);
};

#define KBPF_CTL_NR(cmd)	(_IOC_NR(cmd) - _IOC_NR(KBPF_IOC_GET_VERSION))
#define KBPF_CTL(cmd, type, known, func)				\
	[KBPF_CTL_NR(cmd)] = { sizeof(struct type), known, func }

static const struct kbpf_ctl_ioctl kbpf_ctl_ioctls[] = {
	KBPF_CTL(KBPF_IOC_GET_VERSION, kbpf_version_attr, 0,
		 kbpf_ctl_get_version),
	KBPF_CTL(KBPF_IOC_PROG_GET_NEXT_ID, kbpf_next_id_attr, 0,
		 kbpf_ctl_prog_next_id),
	KBPF_CTL(KBPF_IOC_MAP_GET_NEXT_ID, kbpf_next_id_attr, 0,
		 kbpf_ctl_map_next_id),
	KBPF_CTL(KBPF_IOC_PROG_GET_INFO, kbpf_prog_info_attr, 0,
		 kbpf_ctl_prog_get_info),
	KBPF_CTL(KBPF_IOC_MAP_GET_INFO, kbpf_map_info_attr, 0,
		 kbpf_ctl_map_get_info),
	KBPF_CTL(KBPF_IOC_PROG_ATTACH, kbpf_prog_attach_attr,
		 KBPF_ATTACH_F_MISS_DROP, kbpf_ctl_prog_attach_op),
	KBPF_CTL(KBPF_IOC_PROG_DETACH, kbpf_prog_detach_attr,
		 KBPF_DETACH_F_ALL, kbpf_ctl_prog_detach_op),
	KBPF_CTL(KBPF_IOC_PROG_REPLACE, kbpf_prog_replace_attr, 0,
		 kbpf_ctl_prog_replace_op),
	KBPF_CTL(KBPF_IOC_PROG_UNLOAD, kbpf_obj_attr, 0,
		 kbpf_ctl_prog_unload_op),
	KBPF_CTL(KBPF_IOC_MAP_DESTROY, kbpf_obj_attr, 0,
		 kbpf_ctl_map_destroy_op),
	KBPF_CTL(KBPF_IOC_HOOK_GET_NEXT, kbpf_hook_next_attr, 0,
		 kbpf_ctl_hook_get_next),
	KBPF_CTL(KBPF_IOC_HOOK_GET_INFO, kbpf_hook_info_attr, 0,
		 kbpf_ctl_hook_get_info),
	KBPF_CTL(KBPF_IOC_HOOK_SET, kbpf_hook_set_attr,
		 KBPF_HOOK_SET_F_POLICY | KBPF_HOOK_SET_F_DEADLINE,
		 kbpf_ctl_hook_set_op),
	KBPF_CTL(KBPF_IOC_FEATURE_GET, kbpf_feature_get_attr, 0,
		 kbpf_ctl_feature_get),
	KBPF_CTL(KBPF_IOC_FEATURE_SET, kbpf_feature_set_attr,
		 KBPF_FEATURE_SET_F_STATS, kbpf_ctl_feature_set_op),
};

static const struct kbpf_ctl_ioctl *kbpf_ctl_ioctl_of(unsigned int cmd)
{
	unsigned int nr = KBPF_CTL_NR(cmd);	/* huge below the first */

	/* The numbers are _IO(): no direction or size bits to vary. */
	if (cmd != _IO(KBPF_IOC_MAGIC, _IOC_NR(cmd)) ||
	    nr >= ARRAY_SIZE(kbpf_ctl_ioctls) || !kbpf_ctl_ioctls[nr].fn)
		return NULL;
	return &kbpf_ctl_ioctls[nr];
}

long kbpf_ctl_ioctl(const struct kbpf_caller *c, unsigned int cmd,
		    void __user *uattr)
{
	const struct kbpf_ctl_ioctl *op = kbpf_ctl_ioctl_of(cmd);
	struct netlink_ext_ack extack = {};
	union kbpf_ctl_attrs attr;
	int err, reason_err;

	BUILD_BUG_ON(sizeof(struct kbpf_attach_info) !=
		     KBPF_ATTACH_INFO_SIZE_VER0);
	if (!op)
		return -ENOTTY;
	err = kbpf_ctl_hdr_in(&attr, op->size, uattr, op->flags, &extack);
	if (err && !extack._msg)
		return err;	/* the header itself is not to be trusted */
	if (!err)
		err = op->fn(c, &attr, uattr, &extack);
	if (!err)
		return 0;
	reason_err = kbpf_ctl_reason_out(&attr.hdr, &extack);
	return reason_err ?: err;
}
