// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/kbpf: the ioctls that move bulk data (program load with its verifier
 * log, map element access, test runs); the control ioctls, numbers 32 and
 * up, are in ctl_dev.c.
 *
 * Argument structs start with their size as the caller knows it.  They are
 * read with copy_struct_from_user(): a shorter struct is zero-extended, a
 * longer one must be zero beyond what we know (else -E2BIG).  Outputs are
 * written back only where they fit in the caller's size.
 *
 * The node is root-only; on top of that, every ioctl asks perm.c about the
 * caller (the task's network namespace, the opener's and the task's
 * capabilities), exactly as the netlink side does.
 *
 * An ioctl that creates something reserves it in the registry, writes its id
 * back, and only then makes it visible: if the write faults, the object is
 * dropped as if it had never been, and nobody saw it.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "chardev.h"
#include "maps.h"
#include "perm.h"
#include "registry.h"
#include "native.h"
#include "testrun.h"
#include "trace.h"

/* Arguments bigger than this are certainly not from a sane caller. */
#define KBPF_ATTR_MAX_SIZE	PAGE_SIZE

#define KBPF_LOG_LEVEL_ALL	(KBPF_LOG_LEVEL_ERRORS | KBPF_LOG_LEVEL_VERBOSE | \
				 KBPF_LOG_LEVEL_STATS)

int kbpf_attr_in(void *attr, size_t ksize, const void __user *uattr)
{
	u32 usize;
	int err;

	if (get_user(usize, (const u32 __user *)uattr))
		return -EFAULT;
	if (usize < sizeof(u32))
		return -EINVAL;
	if (usize > KBPF_ATTR_MAX_SIZE)
		return -E2BIG;
	err = copy_struct_from_user(attr, ksize, uattr, usize);
	if (err)
		return err;
	/* Keep the caller's size: outputs are bounded by it. */
	*(u32 *)attr = usize;
	return 0;
}

/* Like kbpf_attr_in(), for an ioctl that creates an object. */
static int kbpf_attr_in_create(void *attr, size_t ksize,
			       const void __user *uattr,
			       const struct kbpf_caller *c)
{
	int err;

	err = kbpf_attr_in(attr, ksize, uattr);
	if (err)
		return err;
	return kbpf_perm_check(c, KBPF_PERM_CREATE, NULL);
}

/* Write one output member back if it lies within the caller's struct. */
static int kbpf_field_out(void __user *uattr, u32 usize, size_t off,
			  const void *val, size_t len)
{
	if (off + len > usize)
		return 0;
	return copy_to_user(uattr + off, val, len) ? -EFAULT : 0;
}

#define kbpf_attr_out(uattr, attr, field)				\
	kbpf_field_out(uattr, (attr)->size,				\
		       offsetof(typeof(*(attr)), field), &(attr)->field, \
		       sizeof((attr)->field))

/*
 * Request buffers: copies of a request's bulk arguments, freed before the
 * ioctl returns.  They come from kbpf_zalloc_account(): in the embedded
 * profile the pool (a full pool refuses the request with -ENOMEM, the
 * module log saying "embedded pool exhausted: N of M bytes in use"), in
 * the cloud profile memory charged to the caller's memory cgroup.  Their
 * size is bounded by the profile's limits before they are asked for.
 */
static void *kbpf_req_dup_user(const void __user *ubuf, size_t len)
{
	void *buf = kbpf_zalloc_account(len);

	if (!buf)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(buf, ubuf, len)) {
		kbpf_free(buf);
		return ERR_PTR(-EFAULT);
	}
	return buf;
}

/* ---- program load ------------------------------------------------------ */

static int kbpf_check_load_attr(const struct kbpf_prog_load_attr *attr)
{
	bool want_log = attr->log_level || attr->log_size || attr->log_buf;

	if (attr->flags || attr->__reserved)
		return -EINVAL;
	if (attr->prog_type == KBPF_PROG_TYPE_UNSPEC ||
	    attr->prog_type >= __KBPF_PROG_TYPE_MAX)
		return -EINVAL;
	if (kbpf_registry_check_name(attr->name, sizeof(attr->name)))
		return -EINVAL;
	if (!attr->insn_cnt || !attr->insns)
		return -EINVAL;
	if (attr->insn_cnt > kbpf_default_limits()->max_insns)
		return -E2BIG;
	/* A log needs all three of level, buffer and size, or none. */
	if (want_log && (!attr->log_level || !attr->log_buf ||
			 !attr->log_size ||
			 (attr->log_level & ~KBPF_LOG_LEVEL_ALL) ||
			 attr->log_size > KBPF_LOG_MAX_SIZE))
		return -EINVAL;
	return 0;
}

/*
 * The verifier log goes straight to the caller's buffer: the core formats
 * into a KBPF_LOG_WINDOW-byte window on our stack and hands it over each
 * time it fills, as Linux's bpf_verifier_log does with its kbuf.  No
 * log-sized kernel buffer exists in either profile, so a 16 MiB log costs
 * the module nothing and a 64 KiB pool can carry a 64 KiB log.
 */
static char __user *kbpf_log_ubuf(void *attr)
{
	return u64_to_user_ptr(((struct kbpf_prog_load_attr *)attr)->log_buf);
}

static int kbpf_log_user_write(void *attr, u32 off, const char *text, u32 len)
{
	return copy_to_user(kbpf_log_ubuf(attr) + off, text, len) ? -EFAULT : 0;
}

static int kbpf_log_user_read(void *attr, u32 off, char *text, u32 len)
{
	return copy_from_user(text, kbpf_log_ubuf(attr) + off, len) ?
	       -EFAULT : 0;
}

static const struct kbpf_log_sink kbpf_log_user_sink = {
	.write = kbpf_log_user_write,
	.read = kbpf_log_user_read,
};

static int kbpf_load_verified(struct kbpf_prog_load_attr *attr,
			      const struct kbpf_caller *c,
			      struct kbpf_log *log, struct kbpf_prog **progp)
{
	struct kbpf_prog_load_opts opts = {
		.type = attr->prog_type,
		.insn_cnt = attr->insn_cnt,
		.log = log,
		.limits = kbpf_default_limits(),
		/* Only maps the loader sees resolve. */
		.map_by_id = kbpf_registry_map_by_id,
		.map_priv = (void *)c,
	};
	struct kbpf_insn *insns;
	int err;

	insns = kbpf_req_dup_user(u64_to_user_ptr(attr->insns),
				  array_size(attr->insn_cnt, sizeof(*insns)));
	if (insns == ERR_PTR(-ENOMEM))
		return kbpf_registry_log_nomem(log, "the program's instructions\n");
	if (IS_ERR(insns))
		return PTR_ERR(insns);
	opts.insns = insns;
	err = kbpf_prog_load(&opts, progp);
	kbpf_free(insns);
	if (!err)
		kbpf_native_bind(*progp);
	return err;
}

/*
 * Verify the program and reserve its registry entry (id and name, not yet
 * visible), all before the log is finished, so that every refusal,
 * including a limit or a name another load reached first while this one
 * verified, has its reason in the log.  *rpp is set only on success.
 */
static int kbpf_prog_load_reserved(struct kbpf_prog_load_attr *attr,
				   const struct kbpf_caller *c,
				   struct kbpf_log *log,
				   struct kbpf_reg_prog **rpp)
{
	struct kbpf_prog *prog;
	struct kbpf_reg_prog *rp;
	int err;

	err = kbpf_registry_prog_room(log);
	if (err)
		return err;
	rp = kbpf_registry_prog_new();
	if (!rp)
		return kbpf_registry_log_nomem(log, "the program's registry entry\n");
	err = kbpf_load_verified(attr, c, log, &prog);
	if (err) {
		kbpf_registry_prog_discard(rp);
		return err;
	}
	err = kbpf_registry_prog_reserve(c, rp, prog, attr->name, log);
	if (!err)
		*rpp = rp;
	return err;
}

static int kbpf_ioctl_prog_load(const struct kbpf_caller *c,
				void __user *uattr)
{
	struct kbpf_prog_load_attr attr;
	struct kbpf_log log, *logp = NULL;
	char log_window[KBPF_LOG_WINDOW];
	struct kbpf_reg_prog *rp = NULL;
	int err, log_err;

	err = kbpf_attr_in_create(&attr, sizeof(attr), uattr, c);
	if (err)
		return err;
	err = kbpf_check_load_attr(&attr);
	if (err)
		return err;
	/* Fail a name clash before the expensive part. */
	err = kbpf_registry_prog_name_free(c, attr.name);
	if (err)
		return err;

	if (attr.log_level) {
		kbpf_log_init_sink(&log, log_window, sizeof(log_window),
				   attr.log_size, attr.log_level,
				   &kbpf_log_user_sink, &attr);
		logp = &log;
	}

	err = kbpf_prog_load_reserved(&attr, c, logp, &rp);
	/*
	 * The log is complete before the program is committed: a caller
	 * whose log buffer faults gets -EFAULT and no program, never a
	 * program it was not told about.  A log cut short fails the load, as
	 * in Linux.
	 */
	if (logp) {
		attr.log_true_size = kbpf_log_true_size(logp);
		log_err = kbpf_log_finish(logp) ?:
			  kbpf_attr_out(uattr, &attr, log_true_size);
		if (!log_err && logp->truncated)
			err = -ENOSPC;
		err = err ?: log_err;
	}
	if (err) {
		if (rp)
			kbpf_registry_prog_abort(rp);
		return err;
	}

	attr.verified_insns = rp->prog->stats.insns_processed;
	attr.prog_id = rp->obj.id;
	err = kbpf_attr_out(uattr, &attr, prog_id) ?:
	      kbpf_attr_out(uattr, &attr, verified_insns);
	if (err)
		kbpf_registry_prog_abort(rp);
	else
		kbpf_registry_prog_commit(rp);
	return err;
}

/* ---- maps -------------------------------------------------------------- */

/* Copy a map operation's (or test run's) reason out, NUL-terminated, cut. */
static int kbpf_map_reason_out(u64 log_buf, u32 log_size,
			       const struct kbpf_log *log)
{
	char __user *ubuf = u64_to_user_ptr(log_buf);
	u32 len = min(log->len, log_size - 1);

	if (copy_to_user(ubuf, log->buf, len) || put_user('\0', ubuf + len))
		return -EFAULT;
	return 0;
}

/* Longest reason a map create writes; a bigger buffer gets no more. */
#define KBPF_MAP_LOG_SIZE	256

static int kbpf_ioctl_map_create(const struct kbpf_caller *c,
				 void __user *uattr)
{
	struct kbpf_map_create_attr attr;
	char log_buf[KBPF_MAP_LOG_SIZE];
	struct kbpf_map_attrs ma;
	struct kbpf_log log;
	struct kbpf_reg_map *rm;
	int err;

	err = kbpf_attr_in_create(&attr, sizeof(attr), uattr, c);
	if (err)
		return err;
	if (attr.__reserved || attr.__reserved2 ||
	    !attr.log_buf != !attr.log_size ||
	    kbpf_registry_check_name(attr.name, sizeof(attr.name)))
		return -EINVAL;
	kbpf_log_init(&log, log_buf, min_t(u32, sizeof(log_buf),
					   attr.log_size),
		      KBPF_LOG_LEVEL_ERRORS);

	ma = (struct kbpf_map_attrs) {
		.type = attr.map_type,
		.key_size = attr.key_size,
		.value_size = attr.value_size,
		.max_entries = attr.max_entries,
		.flags = attr.flags,
	};
	rm = kbpf_registry_map_reserve(c, &ma, attr.name, &log);
	if (IS_ERR(rm)) {
		if (attr.log_size &&
		    kbpf_map_reason_out(attr.log_buf, attr.log_size, &log))
			return -EFAULT;
		return PTR_ERR(rm);
	}
	attr.map_id = rm->obj.id;
	err = kbpf_attr_out(uattr, &attr, map_id);
	if (err)
		kbpf_registry_map_abort(rm);
	else
		kbpf_registry_map_commit(rm);
	return err;
}

static int kbpf_check_elem_attr(unsigned int cmd,
				const struct kbpf_map_elem_attr *attr)
{
	if (cmd == KBPF_IOC_MAP_UPDATE ? attr->flags > KBPF_EXIST : attr->flags)
		return -EINVAL;
	/* Only NEXT_KEY may go without a key: it then starts at the first. */
	if (!attr->key && cmd != KBPF_IOC_MAP_NEXT_KEY)
		return -EINVAL;
	if (!attr->value && cmd != KBPF_IOC_MAP_DELETE)
		return -EINVAL;
	return 0;
}

/*
 * An element operation's key and value sit side by side in one buffer: on
 * the stack when they fit KBPF_ELEM_STACK bytes (every map of the embedded
 * profile's common sizes, so lookups and updates of small elements work on
 * a full pool and allocate nothing in either profile), else a request
 * buffer.  Per-CPU maps move every possible CPU's value (uapi header).
 */
#define KBPF_ELEM_STACK		256

struct kbpf_elem_bufs {
	u64 stack[KBPF_ELEM_STACK / sizeof(u64)];
	void *key;
	void *value;		/* LOOKUP fills a value; NEXT_KEY a key */
	u32 key_size;
	u32 value_size;
	bool allocated;
};

static int kbpf_elem_bufs_get(struct kbpf_elem_bufs *b, unsigned int cmd,
			      const struct kbpf_map *map,
			      const struct kbpf_map_elem_attr *attr)
{
	size_t key_room;

	b->key_size = map->attrs.key_size;
	b->value_size = cmd == KBPF_IOC_MAP_NEXT_KEY ? b->key_size :
			cmd == KBPF_IOC_MAP_DELETE ? 0 :
			kbpf_map_user_value_size(map);
	/* The value starts 8-byte aligned, as a program's would. */
	key_room = round_up(b->key_size, sizeof(u64));
	b->allocated = key_room + b->value_size > sizeof(b->stack);
	if (b->allocated) {
		b->key = kbpf_zalloc_account(key_room + b->value_size);
		if (!b->key)
			return -ENOMEM;
	} else {
		memset(b->stack, 0, sizeof(b->stack));
		b->key = b->stack;
	}
	b->value = b->key + key_room;
	/* NEXT_KEY may go without a key: it then starts at the first. */
	if (attr->key && copy_from_user(b->key, u64_to_user_ptr(attr->key),
					b->key_size))
		return -EFAULT;
	if (cmd == KBPF_IOC_MAP_UPDATE &&
	    copy_from_user(b->value, u64_to_user_ptr(attr->value),
			   b->value_size))
		return -EFAULT;
	return 0;
}

static void kbpf_elem_bufs_put(struct kbpf_elem_bufs *b)
{
	if (b->allocated)
		kbpf_free(b->key);
}

/* Program arrays hold program references: the registry changes them. */
static int kbpf_prog_array_elem_run(const struct kbpf_caller *c,
				    unsigned int cmd, struct kbpf_map *map,
				    const struct kbpf_map_elem_attr *attr,
				    struct kbpf_elem_bufs *b)
{
	int err = kbpf_map_user_write_begin(map);

	if (err)
		return err;
	if (cmd == KBPF_IOC_MAP_DELETE)
		err = kbpf_registry_prog_array_delete(map, b->key);
	else
		err = kbpf_registry_prog_array_update(c, map, b->key, b->value,
						      attr->flags);
	kbpf_map_user_write_end(map);
	return err;
}

static int kbpf_map_elem_run(const struct kbpf_caller *c, unsigned int cmd,
			     struct kbpf_map *map,
			     const struct kbpf_map_elem_attr *attr,
			     struct kbpf_elem_bufs *b)
{
	void *key = attr->key ? b->key : NULL;

	switch (cmd) {
	case KBPF_IOC_MAP_LOOKUP:
		return kbpf_map_lookup_copy(map, key, b->value);
	case KBPF_IOC_MAP_UPDATE:
	case KBPF_IOC_MAP_DELETE:
		if (map->attrs.type == KBPF_MAP_TYPE_PROG_ARRAY)
			return kbpf_prog_array_elem_run(c, cmd, map, attr, b);
		if (cmd == KBPF_IOC_MAP_DELETE)
			return kbpf_map_delete_user(map, key);
		return kbpf_map_update_user(map, key, b->value, attr->flags);
	default:
		return kbpf_map_get_next_key(map, key, b->value);
	}
}

static int kbpf_map_elem_op(const struct kbpf_caller *c, unsigned int cmd,
			    struct kbpf_map *map,
			    const struct kbpf_map_elem_attr *attr)
{
	struct kbpf_elem_bufs b;
	int err;

	err = kbpf_elem_bufs_get(&b, cmd, map, attr) ?:
	      kbpf_map_elem_run(c, cmd, map, attr, &b);
	if (!err && (cmd == KBPF_IOC_MAP_LOOKUP || cmd == KBPF_IOC_MAP_NEXT_KEY) &&
	    copy_to_user(u64_to_user_ptr(attr->value), b.value, b.value_size))
		err = -EFAULT;
	kbpf_elem_bufs_put(&b);
	return err;
}

static int kbpf_ioctl_map_elem(const struct kbpf_caller *c, unsigned int cmd,
			       void __user *uattr)
{
	struct kbpf_map_elem_attr attr;
	struct kbpf_map *map;
	int err;

	err = kbpf_attr_in(&attr, sizeof(attr), uattr);
	if (err)
		return err;
	err = kbpf_check_elem_attr(cmd, &attr);
	if (err)
		return err;
	map = kbpf_registry_map_get(c, attr.map_id);
	if (IS_ERR(map))
		return PTR_ERR(map);
	err = kbpf_map_elem_op(c, cmd, map, &attr);
	kbpf_map_put(map);
	return err;
}

static int kbpf_ioctl_map_freeze(const struct kbpf_caller *c,
				 void __user *uattr)
{
	struct kbpf_map_freeze_attr attr;
	struct netlink_ext_ack extack = {};
	char log_buf[KBPF_MAP_LOG_SIZE];
	struct kbpf_log log;
	struct kbpf_map *map;
	int err;

	/* The control ioctls' header, checked and explained as theirs are. */
	err = kbpf_ctl_hdr_in(&attr, sizeof(attr), uattr, 0, &extack) ?:
	      kbpf_ctl_reserved(attr.__reserved, &extack);
	if (err)
		return kbpf_ctl_reason_out(&attr.hdr, &extack) ?: err;
	map = kbpf_registry_map_get(c, attr.map_id);
	if (IS_ERR(map))
		return PTR_ERR(map);
	kbpf_log_init(&log, log_buf, min_t(u32, sizeof(log_buf),
					   attr.hdr.log_size),
		      KBPF_LOG_LEVEL_ERRORS);
	err = kbpf_map_freeze(map, &log);
	kbpf_map_put(map);
	if (err && attr.hdr.log_size &&
	    kbpf_map_reason_out(attr.hdr.log_buf, attr.hdr.log_size, &log))
		return -EFAULT;
	return err;
}

/* ---- test run ---------------------------------------------------------- */

/* The program's test run, its reference held meanwhile. */
static int kbpf_ioctl_test_run_prog(const struct kbpf_caller *c,
				    struct kbpf_prog_test_run_attr *attr,
				    struct kbpf_log *log)
{
	struct kbpf_reg_prog *rp;
	int err;

	rp = kbpf_registry_prog_get(c, attr->prog_id);
	if (IS_ERR(rp))
		return PTR_ERR(rp);
	err = kbpf_test_run(c, rp, attr, log);
	kbpf_registry_prog_put(rp);
	return err;
}

static int kbpf_ioctl_prog_test_run(const struct kbpf_caller *c,
				    void __user *uattr)
{
	struct kbpf_prog_test_run_attr attr;
	char log_buf[KBPF_MAP_LOG_SIZE];
	struct kbpf_log log;
	int err;

	err = kbpf_attr_in(&attr, sizeof(attr), uattr);
	if (err)
		return err;
	kbpf_log_init(&log, log_buf, min_t(u32, sizeof(log_buf), attr.log_size),
		      KBPF_LOG_LEVEL_ERRORS);
	if (attr.__reserved) {
		kbpf_log_printf(&log, "__reserved must be 0");
		err = -EINVAL;
	} else {
		err = kbpf_ioctl_test_run_prog(c, &attr, &log);
	}
	if (err) {
		/* What fits of the reason, even none: the buffer is the caller's. */
		if (log.len_total && attr.log_buf && attr.log_size &&
		    kbpf_map_reason_out(attr.log_buf, attr.log_size, &log))
			return -EFAULT;
		return err;
	}
	return kbpf_attr_out(uattr, &attr, data_size_out) ?:
	       kbpf_attr_out(uattr, &attr, retval) ?:
	       kbpf_attr_out(uattr, &attr, duration_ns) ?:
	       kbpf_attr_out(uattr, &attr, ctx_size_out);
}

/* ---- map BTF: kept for userspace, not interpreted ------------------------ */

#define KBPF_BTF_MAGIC	0xeb9f

static int kbpf_ioctl_map_set_btf(const struct kbpf_caller *c,
				  void __user *uattr)
{
	struct kbpf_map_btf_attr attr;
	struct kbpf_map_btf *btf;
	u16 magic;
	int err;

	err = kbpf_attr_in(&attr, sizeof(attr), uattr);
	if (err)
		return err;
	/* A caller who may touch no map at all learns so first. */
	err = kbpf_perm_check(c, KBPF_PERM_USE, c->net);
	if (err)
		return err;
	if (attr.flags || !attr.btf || attr.btf_size < sizeof(u32) * 6)
		return -EINVAL;
	if (attr.btf_size > KBPF_MAP_BTF_MAX_SIZE)
		return -E2BIG;
	/* Kept with the map: from the pool in the embedded profile. */
	btf = kbpf_zalloc(struct_size(btf, data, attr.btf_size));
	if (!btf)
		return -ENOMEM;
	btf->size = attr.btf_size;
	btf->key_type_id = attr.btf_key_type_id;
	btf->value_type_id = attr.btf_value_type_id;
	err = copy_from_user(btf->data, u64_to_user_ptr(attr.btf),
			     attr.btf_size) ? -EFAULT : 0;
	/* Raw BTF starts with its magic: anything else is a mistake. */
	memcpy(&magic, btf->data, sizeof(magic));
	if (!err && magic != KBPF_BTF_MAGIC)
		err = -EINVAL;
	if (!err)
		err = kbpf_registry_map_set_btf(c, attr.map_id, btf);
	if (err)
		kbpf_free(btf);
	return err;
}

/*
 * The BTF goes out in pieces through a buffer on the stack, each read
 * from the map under the registry lock but copied to the caller outside
 * it: no kernel copy of up to KBPF_MAP_BTF_MAX_SIZE bytes, and a caller's
 * faulting buffer never holds the registry.
 */
#define KBPF_BTF_PIECE		256

static int kbpf_map_btf_out(const struct kbpf_caller *c,
			    const struct kbpf_map_btf_attr *attr)
{
	u8 __user *ubuf = u64_to_user_ptr(attr->btf);
	struct kbpf_map_btf hdr;
	u8 piece[KBPF_BTF_PIECE];
	u32 off;
	int n;

	for (off = 0; off < attr->btf_size; off += n) {
		n = kbpf_registry_map_read_btf(c, attr->map_id, off, piece,
					       sizeof(piece), &hdr);
		if (n < 0)
			return n;	/* the map went away meanwhile */
		if (!n)
			break;
		if (copy_to_user(ubuf + off, piece, n))
			return -EFAULT;
	}
	return 0;
}

static int kbpf_ioctl_map_get_btf(const struct kbpf_caller *c,
				  void __user *uattr)
{
	struct kbpf_map_btf_attr attr;
	struct kbpf_map_btf hdr;
	u32 room;
	int err;

	err = kbpf_attr_in(&attr, sizeof(attr), uattr);
	if (err)
		return err;
	if (attr.flags)
		return -EINVAL;
	err = kbpf_registry_map_read_btf(c, attr.map_id, 0, NULL, 0, &hdr);
	if (err < 0)
		return err;
	room = attr.btf_size;
	attr.btf_size = hdr.size;
	attr.btf_key_type_id = hdr.key_type_id;
	attr.btf_value_type_id = hdr.value_type_id;
	if (room < hdr.size || !attr.btf)
		err = -ENOSPC;
	else
		err = kbpf_map_btf_out(c, &attr);
	/* The sizes go back even with ENOSPC: the caller retries with room. */
	return kbpf_attr_out(uattr, &attr, btf_size) ?:
	       kbpf_attr_out(uattr, &attr, btf_key_type_id) ?:
	       kbpf_attr_out(uattr, &attr, btf_value_type_id) ?: err;
}

/*
 * The descriptor is installed only once its number reached the caller: a
 * fault leaves no descriptor behind.
 */
static int kbpf_ioctl_map_get_fd(const struct kbpf_caller *c,
				 void __user *uattr)
{
	struct kbpf_map_get_fd_attr attr;
	struct kbpf_map *map;
	struct file *file;
	int err, fd;

	err = kbpf_attr_in(&attr, sizeof(attr), uattr);
	if (err)
		return err;
	if (attr.flags)
		return -EINVAL;
	map = kbpf_registry_map_get(c, attr.map_id);
	if (IS_ERR(map))
		return PTR_ERR(map);
	file = kbpf_map_file_new(map);
	kbpf_map_put(map);
	if (IS_ERR(file))
		return PTR_ERR(file);
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		fput(file);
		return fd;
	}
	attr.fd = fd;
	err = kbpf_attr_out(uattr, &attr, fd);
	if (err || attr.size < offsetofend(typeof(attr), fd)) {
		put_unused_fd(fd);
		fput(file);
		return err ?: -EINVAL;
	}
	fd_install(fd, file);
	return 0;
}

/* ---- trace output ------------------------------------------------------ */

static int kbpf_ioctl_trace_open(const struct kbpf_caller *c,
				 void __user *uattr)
{
	struct kbpf_trace_open_attr attr;
	int err;

	err = kbpf_attr_in(&attr, sizeof(attr), uattr);
	if (err)
		return err;
	return kbpf_trace_open(c, &attr);
}

static long kbpf_chardev_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	void __user *uattr = (void __user *)arg;
	struct kbpf_caller c;

	kbpf_caller_from_file(&c, file);
	switch (cmd) {
	case KBPF_IOC_PROG_LOAD:
		return kbpf_ioctl_prog_load(&c, uattr);
	case KBPF_IOC_MAP_CREATE:
		return kbpf_ioctl_map_create(&c, uattr);
	case KBPF_IOC_MAP_LOOKUP:
	case KBPF_IOC_MAP_UPDATE:
	case KBPF_IOC_MAP_DELETE:
	case KBPF_IOC_MAP_NEXT_KEY:
		return kbpf_ioctl_map_elem(&c, cmd, uattr);
	case KBPF_IOC_PROG_TEST_RUN:
		return kbpf_ioctl_prog_test_run(&c, uattr);
	case KBPF_IOC_MAP_SET_BTF:
		return kbpf_ioctl_map_set_btf(&c, uattr);
	case KBPF_IOC_MAP_GET_BTF:
		return kbpf_ioctl_map_get_btf(&c, uattr);
	case KBPF_IOC_MAP_GET_FD:
		return kbpf_ioctl_map_get_fd(&c, uattr);
	case KBPF_IOC_TRACE_OPEN:
		return kbpf_ioctl_trace_open(&c, uattr);
	case KBPF_IOC_MAP_FREEZE:
		return kbpf_ioctl_map_freeze(&c, uattr);
	default:
		/* The control ioctls, or -ENOTTY. */
		return kbpf_ctl_ioctl(&c, cmd, uattr);
	}
}

static const struct file_operations kbpf_chardev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = kbpf_chardev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice kbpf_miscdev = {
	.minor = KBPF_MISC_MINOR,
	.name = KBPF_DEVICE_NAME,
	.fops = &kbpf_chardev_fops,
	.mode = 0600,
};

int kbpf_chardev_init(void)
{
	int err;

	err = misc_register(&kbpf_miscdev);
	if (err == -EBUSY)
		pr_err("misc minor %d is taken by another driver\n",
		       KBPF_MISC_MINOR);
	return err;
}

void kbpf_chardev_exit(void)
{
	misc_deregister(&kbpf_miscdev);
}
