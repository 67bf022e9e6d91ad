/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw access to kbpf.ko for the syscall fuzzer and the stress tool: ioctls
 * on /dev/kbpf and hand-built generic netlink messages, with no library in
 * between, so that the bytes the module sees are exactly the bytes the
 * caller chose (including wrong ones).  Listing helpers parse the PROG_GET
 * and MAP_GET dumps into plain arrays for the invariant checks.
 */
#ifndef KBPF_FUZZ_RAW_H
#define KBPF_FUZZ_RAW_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <linux/netlink.h>
#include <linux/kbpf.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)	__attribute__((format(printf, a, b)))

struct kraw {
	int dev;		/* /dev/kbpf */
	int nl;			/* NETLINK_GENERIC socket */
	__u16 family;		/* resolved id of "kbpf" */
	__u32 seq;
	char extack[256];	/* message of the last netlink error, or "" */
};

/* Open both channels; 0 or -errno (the message is printed). */
int kraw_open(struct kraw *k);
void kraw_close(struct kraw *k);

/* One ioctl on /dev/kbpf: 0 or -errno. */
int kraw_ioctl(struct kraw *k, unsigned long req, void *arg);

/* ---- netlink ------------------------------------------------------------ */

#define NLBUF_SIZE	4096

struct nlbuf {
	union {
		struct nlmsghdr hdr;
		char buf[NLBUF_SIZE];
	};
	size_t len;		/* bytes in use; hdr.nlmsg_len is set on send */
};

/* Start a kbpf request (generic netlink header included). */
void nl_begin(struct kraw *k, struct nlbuf *m, __u8 cmd, __u16 flags);
/* Append an attribute; false when it does not fit. */
bool nl_put(struct nlbuf *m, __u16 type, const void *data, __u16 len);
bool nl_put_u32(struct nlbuf *m, __u16 type, __u32 v);
bool nl_put_str(struct nlbuf *m, __u16 type, const char *s);
/* Open and close a nested attribute. */
struct nlattr *nl_nest_start(struct nlbuf *m, __u16 type);
void nl_nest_end(struct nlbuf *m, struct nlattr *nest);

/* Called for every data message of a reply or dump. */
typedef void (*nl_msg_fn)(const struct nlmsghdr *h, void *arg);

/*
 * Send m (nlmsg_len = m->len unless raw_len is non-zero, for deliberately
 * inconsistent headers) and read until the ack, the error or the end of a
 * dump.  Returns 0 or -errno; k->extack holds the error's message.
 */
int nl_transact(struct kraw *k, struct nlbuf *m, size_t raw_len,
		nl_msg_fn fn, void *arg);

/* Attributes of a kbpf message: the first one and the bytes they span. */
const struct nlattr *genl_attrs(const struct nlmsghdr *h, int *rem);
#define NLA_DATA(a)	((void *)((char *)(a) + NLA_HDRLEN))
#define NLA_PAYLOAD(a)	((int)(a)->nla_len - NLA_HDRLEN)
#define NLA_OK(a, rem)	((rem) >= (int)sizeof(struct nlattr) && \
			 (a)->nla_len >= sizeof(struct nlattr) && \
			 (a)->nla_len <= (rem))
#define NLA_NEXT(a, rem) ((rem) -= NLA_ALIGN((a)->nla_len), \
			  (const struct nlattr *)((char *)(a) + NLA_ALIGN((a)->nla_len)))
__u32 nla_u32(const struct nlattr *a);

/* ---- listings ----------------------------------------------------------- */

#define KRAW_MAX_LINKS	64

struct kraw_link {
	__u32 family, hook;
	__s32 prio;
	__u64 netns_cookie;
};

struct kraw_prog {
	__u32 id, type, insn_cnt;
	char name[KBPF_OBJ_NAME_LEN];
	int n_links;
	struct kraw_link links[KRAW_MAX_LINKS];
};

struct kraw_map {
	__u32 id, type, key_size, value_size, max_entries;
	char name[KBPF_OBJ_NAME_LEN];
};

struct kraw_list {
	int n_progs, n_maps;
	struct kraw_prog progs[1100];
	struct kraw_map maps[1100];
	bool malformed;		/* a reply missed a mandatory attribute */
};

/* Dump programs (and their links) and maps; 0 or the dump's -errno. */
int kraw_list(struct kraw *k, struct kraw_list *l);
const struct kraw_prog *kraw_find_prog(const struct kraw_list *l, __u32 id);
const struct kraw_map *kraw_find_map(const struct kraw_list *l, __u32 id);

/* ---- convenience wrappers (well-formed requests) ------------------------ */

int kraw_prog_load(struct kraw *k, const char *name, const struct kbpf_insn *insns,
		   __u32 cnt, __u32 *id);
int kraw_map_create(struct kraw *k, const char *name, __u32 type, __u32 ks,
		    __u32 vs, __u32 max, __u32 *id);
int kraw_map_op(struct kraw *k, unsigned long req, __u32 map_id, const void *key,
		void *value, __u64 flags);
int kraw_attach(struct kraw *k, __u32 prog_id, __u32 family, __u32 hook, __s32 prio);
int kraw_detach(struct kraw *k, __u32 prog_id);
int kraw_unload(struct kraw *k, __u32 prog_id);
int kraw_map_destroy(struct kraw *k, __u32 map_id);

static inline __u64 ptr_to_u64(const void *p)
{
	return (__u64)(unsigned long)p;
}

#endif
