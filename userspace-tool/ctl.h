/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control operations on kbpf objects (show, list, attach, detach,
 * replace, unload, destroy, hook points, features), whatever carries them.
 *
 * Two transports carry them: the "kbpf" generic netlink family (netlink.c)
 * and ioctls on /dev/kbpf (ctl_dev.c).  Both fill the same structs, so
 * that what kbpfctl prints does not depend on the transport, and both give
 * a failure's reason as the module wrote it (netlink's extended ack, the
 * ioctl's message buffer).  Every kbpf_ctl_* function that fails has
 * printed one error with p_err() and returns a negative errno.
 *
 * Which transport: the one --via (or KBPFCTL_VIA) names, else the device
 * when the module runs the embedded profile, where nothing may be
 * allocated after load (netlink's skbs are), else netlink.
 */
#ifndef KBPFCTL_CTL_H
#define KBPFCTL_CTL_H

#include <stdbool.h>
#include <linux/types.h>
#include <linux/kbpf.h>

struct nl_sock;
struct obj_ref;

struct kbpf_version {
	__u32 abi_version;
	char profile[32];
	char module_version[KBPF_MODULE_VERSION_LEN];
};

/* Counters of an attachment or a hook point (KBPF_STATS_A_*). */
struct kbpf_stats_info {
	__u64 runs;
	__u64 accepts;
	__u64 drops;
	__u64 overruns;
	__u64 misses;
	__u64 queued;
	__u64 queue_drops;
	__u64 queue_hwm;
	__u64 run_time_ns;
	__u64 run_time_max_ns;
};

struct kbpf_attachment {
	__u32 family;
	__u32 hook;
	__s32 priority;
	__u64 netns_cookie;
	__u32 prog_id;
	char prog_name[KBPF_OBJ_NAME_LEN];
	__s32 sched_prio;
	__u32 budget;
	__u64 deadline_ns;
	__u32 miss_verdict;
	__u32 mode;
	__u32 policy;
	__u32 ifindex;			/* netdev/ingress: the device */
	char ifname[16];		/* and its name (IFNAMSIZ) */
	struct kbpf_stats_info stats;
};

/* Scheduling settings of an attach request; zero means default. */
struct kbpf_attach_req {
	__u32 family;
	__u32 hook;
	__s32 priority;			/* netfilter priority: the hook point */
	__s32 sched_prio;		/* kbpf priority in the chain */
	__u32 budget;
	__u64 deadline_ns;
	__u32 miss_verdict;		/* KBPF_NF_ACCEPT unless set */
	__u32 mode;
	__u32 ifindex;			/* netdev/ingress: the device */
};

/* What a detach names: one hook point, or (has_hook false) all of them. */
struct kbpf_detach_req {
	bool has_hook;
	__u32 family;
	__u32 hook;
	__u32 ifindex;			/* netdev/ingress: the device, else 0 */
};

/* A hook point's settings to change; has_* false leaves one alone. */
struct kbpf_hook_req {
	__u32 family;
	__u32 hook;
	__s32 priority;
	__u32 ifindex;			/* netdev/ingress: the device, else 0 */
	bool has_policy;
	__u32 policy;
	bool has_deadline;
	__u64 deadline_ns;		/* 0: the default */
};

#define KBPF_MAX_CHAIN	64

struct kbpf_hook_info {
	__u32 family;
	__u32 hook;
	__s32 priority;
	__u32 policy;
	__u64 deadline_ns;
	__u32 ifindex;			/* netdev/ingress: the device */
	char ifname[16];
	struct kbpf_stats_info stats;
	__u32 chain_cnt;		/* may exceed KBPF_MAX_CHAIN */
	struct kbpf_attachment chain[KBPF_MAX_CHAIN];
};

struct kbpf_feature_info {
	char profile[32];
	__u32 policy;
	__u32 stats_enabled;
	__u64 feat[KBPF_FEAT_A_MAX + 1];	/* by KBPF_FEAT_A_* */
};

struct kbpf_prog_info {
	__u32 id;
	char name[KBPF_OBJ_NAME_LEN];
	__u32 type;
	__u32 insn_cnt;
	__u64 run_cnt;
	__u64 run_time_ns;
	__u32 engine;			/* enum kbpf_engine */
	char native_module[64];		/* engine native: whose code */
	__u64 netns_cookie;		/* the namespace owning the program */
	__u64 worst_case;		/* KBPF_WORST_CASE_UNBOUNDED if unknown */
	__u32 attach_total;		/* attachments the module counts */
	__u32 attach_cnt;		/* of them, listed in attach[] */
	struct kbpf_attachment *attach;	/* owned by the dump, valid in fn */
};

struct kbpf_map_info {
	__u32 id;
	char name[KBPF_OBJ_NAME_LEN];
	__u32 type;
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	__u32 flags;			/* KBPF_F_* it was created with */
	bool frozen;			/* read-only for userspace for good */
	__u64 netns_cookie;		/* the namespace owning the map */
};

/*
 * Dumps call fn once per object, with every attachment of a program; fn
 * returning nonzero stops the calls (a negative errno also fails the
 * dump).  An error anywhere in the dump fails the whole call: a failed
 * dump is no list at all.
 */
typedef int (*kbpf_prog_fn)(const struct kbpf_prog_info *info, void *arg);
typedef int (*kbpf_map_fn)(const struct kbpf_map_info *info, void *arg);
typedef int (*kbpf_hook_fn)(const struct kbpf_hook_info *info, void *arg);

struct kbpf_ctl_ops;

/* An open connection to the module, through one transport. */
struct kbpf_ctl {
	const struct kbpf_ctl_ops *ops;
	struct nl_sock *sk;		/* netlink: the socket */
	int family;			/* netlink: the family's id */
	int fd;				/* device: /dev/kbpf, else -1 */
	char msg[256];			/* the module's reason for the last
					 * failure, or ""
					 */
};

/*
 * The transports' requests: 0 or a negative errno with the module's
 * reason (if any) in ctl->msg, never printing.  ref names an object by id
 * or by name.  A NULL operation is one the transport does not carry.
 */
struct kbpf_ctl_ops {
	const char *name;		/* as --via spells it */
	/* quiet: a module that is not loaded is -ENOENT, unreported. */
	int (*open)(struct kbpf_ctl *ctl, bool quiet);
	void (*close)(struct kbpf_ctl *ctl);
	int (*get_version)(struct kbpf_ctl *ctl, struct kbpf_version *ver);
	/* Every program the caller sees, or only ref's when ref != NULL. */
	int (*prog_dump)(struct kbpf_ctl *ctl, const struct obj_ref *ref,
			 kbpf_prog_fn fn, void *arg);
	/* One program without its attachments (attach_total counts them). */
	int (*prog_get)(struct kbpf_ctl *ctl, const struct obj_ref *ref,
			struct kbpf_prog_info *info);
	int (*prog_attach)(struct kbpf_ctl *ctl, const struct obj_ref *ref,
			   const struct kbpf_attach_req *req);
	int (*prog_replace)(struct kbpf_ctl *ctl, const struct obj_ref *old,
			    const struct obj_ref *new);
	int (*prog_detach)(struct kbpf_ctl *ctl, const struct obj_ref *ref,
			   const struct kbpf_detach_req *req);
	int (*prog_unload)(struct kbpf_ctl *ctl, const struct obj_ref *ref);
	int (*map_dump)(struct kbpf_ctl *ctl, kbpf_map_fn fn, void *arg);
	int (*map_get)(struct kbpf_ctl *ctl, const struct obj_ref *ref,
		       struct kbpf_map_info *info);
	int (*map_destroy)(struct kbpf_ctl *ctl, const struct obj_ref *ref);
	int (*map_resize)(struct kbpf_ctl *ctl, const struct obj_ref *ref,
			  __u32 max_entries);
	int (*hook_dump)(struct kbpf_ctl *ctl, kbpf_hook_fn fn, void *arg);
	int (*hook_set)(struct kbpf_ctl *ctl, const struct kbpf_hook_req *req);
	int (*feature_get)(struct kbpf_ctl *ctl, struct kbpf_feature_info *f);
	int (*stats_set)(struct kbpf_ctl *ctl, bool on);
};

extern const struct kbpf_ctl_ops kbpf_ctl_netlink;	/* netlink.c */
extern const struct kbpf_ctl_ops kbpf_ctl_dev;		/* ctl_dev.c */

/* ---- choosing the transport ------------------------------------------ */

/* --via WORD (or KBPFCTL_VIA): "dev", "netlink" or "auto"; -1 with p_err(). */
int kbpf_ctl_set_via(const char *word);

/* ---- the connection -------------------------------------------------- */

int kbpf_ctl_open(struct kbpf_ctl *ctl);
/* Like kbpf_ctl_open(), but a module that is not loaded is a quiet -ENOENT. */
int kbpf_ctl_open_quiet(struct kbpf_ctl *ctl);
void kbpf_ctl_close(struct kbpf_ctl *ctl);
/* "netlink" or "dev": the transport an open ctl uses. */
const char *kbpf_ctl_via(const struct kbpf_ctl *ctl);

/* ---- the operations (ids: 0 means "by name") ------------------------- */

int kbpf_ctl_get_version(struct kbpf_ctl *ctl, struct kbpf_version *ver);

int kbpf_ctl_prog_dump(struct kbpf_ctl *ctl, kbpf_prog_fn fn, void *arg);
/* One program, by id (id != 0) or name, with all its attachments. */
int kbpf_ctl_prog_show(struct kbpf_ctl *ctl, __u32 id, const char *name,
		       kbpf_prog_fn fn, void *arg);
/*
 * The same into *info, whose attachments kbpf_prog_info_release() frees.
 */
int kbpf_ctl_prog_get_all(struct kbpf_ctl *ctl, __u32 id, const char *name,
			  struct kbpf_prog_info *info);
void kbpf_prog_info_release(struct kbpf_prog_info *info);
/*
 * Single objects by id (id != 0) or name.  A program comes without its
 * attachments (attach NULL, attach_cnt 0; attach_total counts them).
 */
int kbpf_ctl_prog_get(struct kbpf_ctl *ctl, __u32 id, const char *name,
		      struct kbpf_prog_info *info);
int kbpf_ctl_map_get(struct kbpf_ctl *ctl, __u32 id, const char *name,
		     struct kbpf_map_info *info);
int kbpf_ctl_map_dump(struct kbpf_ctl *ctl, kbpf_map_fn fn, void *arg);

int kbpf_ctl_prog_attach(struct kbpf_ctl *ctl, __u32 id, const char *name,
			 const struct kbpf_attach_req *req);
/* OLD and NEW as the command line gives them: digits are an id. */
int kbpf_ctl_prog_replace(struct kbpf_ctl *ctl, const char *old,
			  const char *new);
int kbpf_ctl_prog_detach(struct kbpf_ctl *ctl, __u32 id, const char *name,
			 const struct kbpf_detach_req *req);
int kbpf_ctl_prog_unload(struct kbpf_ctl *ctl, __u32 id, const char *name);
int kbpf_ctl_map_destroy(struct kbpf_ctl *ctl, __u32 id, const char *name);
/* Give the map max_entries entries (cloud profile; see KBPF_CMD_MAP_RESIZE). */
int kbpf_ctl_map_resize(struct kbpf_ctl *ctl, __u32 id, const char *name,
			__u32 max_entries);

int kbpf_ctl_hook_dump(struct kbpf_ctl *ctl, kbpf_hook_fn fn, void *arg);
int kbpf_ctl_hook_set(struct kbpf_ctl *ctl, const struct kbpf_hook_req *req);
int kbpf_ctl_feature_get(struct kbpf_ctl *ctl, struct kbpf_feature_info *f);
int kbpf_ctl_stats_set(struct kbpf_ctl *ctl, bool on);

/*
 * The id of the program ref names (for the ioctls that take only ids),
 * which must exist; opens its own connection.
 */
int kbpf_ctl_prog_id(const struct obj_ref *ref, __u32 *id);

/* "prog 5" or "prog 'name'" for messages. */
const char *kbpf_ref_str(char *buf, size_t size, const char *what, __u32 id,
			 const char *name);

#endif /* KBPFCTL_CTL_H */
