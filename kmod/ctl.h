/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Control operations: one implementation of each for both ways in.  The
 * generic netlink handlers (genl.c) and the control ioctls (ctl_dev.c) only
 * turn their requests into the plain structs below and their answers back
 * into attributes or argument structs; the checks, the permissions, the
 * work and the messages (in an extack, which the ioctls copy to the
 * caller's log buffer) are here and in the registry and netfilter code
 * these call.  Nothing here allocates but what an operation keeps (an
 * attachment and its run list, from the pool in the embedded profile).
 */
#ifndef KBPF_CTL_H
#define KBPF_CTL_H

#include <linux/netlink.h>

#include "netfilter.h"
#include "perm.h"
#include "registry.h"

/* A program or map named by id, or when id is 0 by name. */
struct kbpf_ctl_obj {
	u32 id;
	const char *name;		/* NUL-terminated, or NULL */
	/* netlink: the attribute that named it, for the extack; else NULL */
	const struct nlattr *attr;
};

enum kbpf_ctl_kind {
	KBPF_CTL_PROG,
	KBPF_CTL_MAP,
};

/* A detach: from one hook of the caller's namespace, or from all. */
struct kbpf_ctl_detach {
	bool one;			/* false: every hook */
	u32 family;
	u32 hook;
	u32 ifindex;			/* netdev/ingress only */
};

/* A hook set: what the caller gave; the rest stays as it is. */
struct kbpf_ctl_hook_set {
	struct kbpf_hook_id hook;
	bool set_policy;
	u32 policy;
	bool set_deadline;
	u64 deadline_ns;
};

/* A feature set: run-time statistics on or off. */
struct kbpf_ctl_feature_set {
	bool set_stats;
	u32 stats;			/* 0 or 1 */
};

/* Lookups, with the extack message for what they refuse. */
struct kbpf_reg_prog *kbpf_ctl_find_prog_locked(const struct kbpf_caller *c,
						const struct kbpf_ctl_obj *o,
						struct netlink_ext_ack *extack);
struct kbpf_reg_map *kbpf_ctl_find_map_locked(const struct kbpf_caller *c,
					      const struct kbpf_ctl_obj *o,
					      struct netlink_ext_ack *extack);
/* -EPERM, with its message, for a caller who may see no object at all. */
int kbpf_ctl_may_look(const struct kbpf_caller *c,
		      struct netlink_ext_ack *extack);

/* Reports: fill the uapi structs' output members (memset by the caller). */
void kbpf_ctl_version(struct kbpf_version_attr *v);
void kbpf_ctl_prog_info_locked(const struct kbpf_reg_prog *rp,
			       struct kbpf_prog_info_attr *pi);
void kbpf_ctl_map_info_locked(const struct kbpf_reg_map *rm,
			      struct kbpf_map_info_attr *mi);
/* The least visible id above start into *next; -ENOENT past the last. */
int kbpf_ctl_next_id(const struct kbpf_caller *c, enum kbpf_ctl_kind kind,
		     u32 start, u32 *next, struct netlink_ext_ack *extack);

/* Changes. */
int kbpf_ctl_prog_attach(const struct kbpf_caller *c,
			 const struct kbpf_ctl_obj *prog,
			 const struct kbpf_nf_attach_opts *opts, u32 *id,
			 struct netlink_ext_ack *extack);
int kbpf_ctl_prog_detach(const struct kbpf_caller *c,
			 const struct kbpf_ctl_obj *prog,
			 const struct kbpf_ctl_detach *d,
			 struct netlink_ext_ack *extack);
int kbpf_ctl_prog_replace(const struct kbpf_caller *c,
			  const struct kbpf_ctl_obj *old,
			  const struct kbpf_ctl_obj *new,
			  struct netlink_ext_ack *extack);
int kbpf_ctl_prog_unload(const struct kbpf_caller *c,
			 const struct kbpf_ctl_obj *prog,
			 struct netlink_ext_ack *extack);
int kbpf_ctl_map_destroy(const struct kbpf_caller *c,
			 const struct kbpf_ctl_obj *map,
			 struct netlink_ext_ack *extack);
int kbpf_ctl_map_resize(const struct kbpf_caller *c,
			const struct kbpf_ctl_obj *map, u32 max_entries,
			struct netlink_ext_ack *extack);
int kbpf_ctl_hook_set(const struct kbpf_caller *c,
		      const struct kbpf_ctl_hook_set *hs,
		      struct netlink_ext_ack *extack);
int kbpf_ctl_feature_set(const struct kbpf_caller *c,
			 const struct kbpf_ctl_feature_set *fs,
			 struct netlink_ext_ack *extack);

#endif /* KBPF_CTL_H */
