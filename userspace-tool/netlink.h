/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "kbpf" generic netlink family through libnl-genl.  Every function
 * that fails has already printed one error with p_err(), using the module's
 * extended ack message when it sent one.
 */
#ifndef KBPFCTL_NETLINK_H
#define KBPFCTL_NETLINK_H

#include <linux/types.h>
#include <linux/kbpf.h>

struct nl_sock;
struct nlattr;

struct kbpf_nl {
	struct nl_sock *sk;
	int family;
	int err;			/* -errno of the last request */
	char ext_msg[256];		/* its extack message, or "" */
};

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
	__u64 netns_cookie;		/* the namespace owning the map */
};

int kbpf_nl_open(struct kbpf_nl *nl);
/* Like kbpf_nl_open(), but a module that is not loaded is a quiet -ENOENT. */
int kbpf_nl_open_quiet(struct kbpf_nl *nl);
void kbpf_nl_close(struct kbpf_nl *nl);

int kbpf_nl_get_version(struct kbpf_nl *nl, struct kbpf_version *ver);

/*
 * Dumps call fn once per object, with every attachment of a program even
 * when the module spread them over several messages; fn returning nonzero
 * stops the calls.  An error anywhere in the dump, its final message
 * included, fails the whole call.
 */
typedef int (*kbpf_prog_fn)(const struct kbpf_prog_info *info, void *arg);
typedef int (*kbpf_map_fn)(const struct kbpf_map_info *info, void *arg);
int kbpf_nl_prog_dump(struct kbpf_nl *nl, kbpf_prog_fn fn, void *arg);
int kbpf_nl_map_dump(struct kbpf_nl *nl, kbpf_map_fn fn, void *arg);
/* One program, by id (id != 0) or name, through a dump narrowed to it. */
int kbpf_nl_prog_show(struct kbpf_nl *nl, __u32 id, const char *name,
		      kbpf_prog_fn fn, void *arg);

/*
 * One program with all its attachments, by a narrowed dump, into *info;
 * kbpf_prog_info_release() frees what it holds.
 */
int kbpf_nl_prog_get_all(struct kbpf_nl *nl, __u32 id, const char *name,
			 struct kbpf_prog_info *info);
void kbpf_prog_info_release(struct kbpf_prog_info *info);

/*
 * Single objects by id (id != 0) or name.  A program comes without its
 * attachments (attach NULL, attach_cnt 0; attach_total counts them).
 */
int kbpf_nl_prog_get(struct kbpf_nl *nl, __u32 id, const char *name,
		     struct kbpf_prog_info *info);
int kbpf_nl_map_get(struct kbpf_nl *nl, __u32 id, const char *name,
		    struct kbpf_map_info *info);

int kbpf_nl_prog_attach(struct kbpf_nl *nl, __u32 id, const char *name,
			__u32 family, __u32 hook, __s32 priority);
int kbpf_nl_prog_attach_req(struct kbpf_nl *nl, __u32 id, const char *name,
			    const struct kbpf_attach_req *req);
int kbpf_nl_prog_replace(struct kbpf_nl *nl, const char *old, const char *new);
typedef int (*kbpf_hook_fn)(const struct kbpf_hook_info *info, void *arg);
int kbpf_nl_hook_dump(struct kbpf_nl *nl, kbpf_hook_fn fn, void *arg);
/* has_policy/has_deadline false: leave that setting alone. */
int kbpf_nl_hook_set(struct kbpf_nl *nl, __u32 family, __u32 hook,
		     __s32 priority, __u32 ifindex, bool has_policy,
		     __u32 policy, bool has_deadline, __u64 deadline_ns);
int kbpf_nl_feature_get(struct kbpf_nl *nl, struct kbpf_feature_info *info);
int kbpf_nl_stats_set(struct kbpf_nl *nl, bool on);
/*
 * has_hook false: detach from every hook in this namespace.  ifindex: the
 * device of netdev/ingress, else 0.
 */
int kbpf_nl_prog_detach(struct kbpf_nl *nl, __u32 id, const char *name,
			bool has_hook, __u32 family, __u32 hook,
			__u32 ifindex);
int kbpf_nl_prog_unload(struct kbpf_nl *nl, __u32 id, const char *name);
int kbpf_nl_map_destroy(struct kbpf_nl *nl, __u32 id, const char *name);
/* Give the map max_entries entries (cloud profile; see KBPF_CMD_MAP_RESIZE). */
int kbpf_nl_map_resize(struct kbpf_nl *nl, __u32 id, const char *name,
		       __u32 max_entries);

/* "prog 5" or "prog 'name'" for messages. */
const char *kbpf_ref_str(char *buf, size_t size, const char *what, __u32 id,
			 const char *name);

#endif /* KBPFCTL_NETLINK_H */
