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

struct kbpf_attachment {
	__u32 family;
	__u32 hook;
	__s32 priority;
	__u64 netns_cookie;
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
/* has_hook false: detach from every hook in this namespace. */
int kbpf_nl_prog_detach(struct kbpf_nl *nl, __u32 id, const char *name,
			bool has_hook, __u32 family, __u32 hook);
int kbpf_nl_prog_unload(struct kbpf_nl *nl, __u32 id, const char *name);
int kbpf_nl_map_destroy(struct kbpf_nl *nl, __u32 id, const char *name);

/* "prog 5" or "prog 'name'" for messages. */
const char *kbpf_ref_str(char *buf, size_t size, const char *what, __u32 id,
			 const char *name);

#endif /* KBPFCTL_NETLINK_H */
