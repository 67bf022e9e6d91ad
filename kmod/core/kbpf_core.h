/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The public API of the kbpf core: what kbpf.ko's glue, the userspace tools
 * and the tests call.  Everything here works the same in the kernel and in
 * userspace (see env.h).  Functions return 0 or a negative errno.
 */
#ifndef KBPF_CORE_H
#define KBPF_CORE_H

#include "env.h"
#include "isa.h"
#include "kbpf_native.h"

/* ---- profiles --------------------------------------------------------- */

/*
 * Limits of a build profile.  "cloud" allows large programs and maps;
 * "embedded" is small and fixed.  The module is built for one profile
 * (KBPF_PROFILE_EMBEDDED defined or not); tools may verify against either.
 */
struct kbpf_limits {
	const char *name;		/* "cloud" or "embedded" */
	u32 max_insns;			/* instruction slots per program */
	u32 max_processed_insns;	/* verifier complexity budget */
	u32 max_states;			/* verifier states kept for pruning */
	u64 max_verifier_bytes;		/* verifier memory per load */
	u32 max_maps_per_prog;
	u32 max_key_size;
	u32 max_value_size;
	u32 max_entries;		/* per map */
	u32 max_progs;			/* loaded at once */
	u32 max_maps;			/* created at once */
	u64 max_map_bytes;		/* one map's memory, worst case */
	u64 max_maps_bytes;		/* all maps' memory: the module's default */
	u32 trace_lines;		/* per-program trace buffer, in lines */
	/* Scheduling (see core/sched/sched.h). */
	u32 default_policy;		/* enum kbpf_sched_policy */
	u32 max_chain;			/* attachments per hook point */
	u32 default_budget;		/* instructions per run */
	u64 default_deadline_ns;	/* of a hook point and its programs */
	u32 ns_per_insn;		/* admission's cost of one instruction */
	u32 queue_len;			/* observer requests per CPU */
	u32 snap_len;			/* packet bytes an observer sees */
	u32 pool_size;			/* embedded: bytes reserved at load */
};

extern const struct kbpf_limits kbpf_limits_cloud;
extern const struct kbpf_limits kbpf_limits_embedded;
/* The profile this build was made for. */
const struct kbpf_limits *kbpf_default_limits(void);
/* "cloud" or "embedded" to its limits, NULL for anything else. */
const struct kbpf_limits *kbpf_limits_by_name(const char *name);

/* ---- verifier log ----------------------------------------------------- */

/*
 * Where a streamed log's text goes (the caller's buffer, in the kernel a
 * user pointer).  write() copies len bytes to offset off; read() copies
 * them back (only to cut earlier text back to a line end for the closing
 * message).  0 or a negative errno (-EFAULT).
 */
struct kbpf_log_sink {
	int (*write)(void *priv, u32 off, const char *text, u32 len);
	int (*read)(void *priv, u32 off, char *text, u32 len);
};

/*
 * A bounded text log.  The core writes messages into it; what does not fit
 * is dropped and counted.  Without a sink, buf is the whole destination.
 * With one, buf is a small window holding the text from offset start on:
 * a message that does not fit the window first flushes it to the sink, so
 * a log of any size passes through window_size bytes of memory, as Linux's
 * bpf_verifier_log goes through its 1 KiB kbuf.  A single message must fit
 * the window (KBPF_LOG_WINDOW); a longer one is cut and marks the log
 * truncated.
 */
struct kbpf_log {
	char *buf;		/* NUL-terminated while size > 0 */
	u32 size;		/* bytes of the destination, NUL included */
	u32 len;		/* text bytes written, excluding the NUL */
	u64 len_total;		/* bytes the whole log needs, excluding it */
	u32 level;		/* KBPF_LOG_LEVEL_* bits */
	bool truncated;
	/* Streaming (kbpf_log_init_sink()); without a sink start stays 0. */
	u32 window_size;	/* bytes of buf */
	u32 start;		/* offset in the text of buf[0] */
	const struct kbpf_log_sink *sink;
	void *sink_priv;
	int sink_err;		/* the sink's first error */
};

/* The window the kernel streams a verifier log through (on the stack). */
#define KBPF_LOG_WINDOW		512

void kbpf_log_init(struct kbpf_log *log, char *buf, u32 size, u32 level);
/*
 * A log of size bytes (NUL included) streamed through window to sink.
 * kbpf_log_finish() writes what is left and the NUL.
 */
void kbpf_log_init_sink(struct kbpf_log *log, char *window, u32 window_size,
			u32 size, u32 level, const struct kbpf_log_sink *sink,
			void *sink_priv);
/* Flush a streamed log and terminate it: 0 or the sink's first error. */
int kbpf_log_finish(struct kbpf_log *log);
__printf(2, 3) void kbpf_log_printf(struct kbpf_log *log, const char *fmt, ...);
/*
 * The log's closing message (the statistics line): it is always kept whole
 * when the buffer can hold it, earlier text being cut back to a line end to
 * make room (and the log marked truncated).
 */
__printf(2, 3) void kbpf_log_tail(struct kbpf_log *log, const char *fmt, ...);
/* Bytes a buffer needs to hold the whole log, NUL included; 0: no log. */
u32 kbpf_log_true_size(const struct kbpf_log *log);

/* ---- maps ------------------------------------------------------------- */

struct kbpf_map_attrs {
	u32 type;		/* enum kbpf_map_type */
	u32 key_size;
	u32 value_size;
	u32 max_entries;
	u32 flags;		/* KBPF_F_* */
};

struct kbpf_map_ops;

/*
 * What all maps together may use: the owner (kbpf.ko's registry, a tool)
 * keeps one, and every map created against it is charged its worst-case
 * memory and one map slot before anything is allocated, until it is freed.
 */
struct kbpf_map_budget {
	struct kbpf_lock lock;
	u64 max_bytes;		/* all maps together; may change at any time */
	u64 used_bytes;
	u32 maps;
};

void kbpf_map_budget_init(struct kbpf_map_budget *b, u64 max_bytes);

/* A map.  Refcounted: creators and programs using it hold references. */
struct kbpf_map {
	const struct kbpf_map_ops *ops;
	struct kbpf_map_attrs attrs;
	struct kbpf_refcount refcnt;
	u32 id;			/* set by the owner (registry); 0 if none */
	u64 mem_bytes;		/* worst-case memory, charged to budget */
	struct kbpf_map_budget *budget;	/* NULL: not counted */
	/*
	 * Resizing (kbpf_map_resize()).  Under resize_lock: whether a resize
	 * is under way, and how many loaded programs hold the address of a
	 * value (KBPF_PSEUDO_MAP_VALUE, global data), which fixes the size.
	 */
	struct kbpf_lock resize_lock;
	u32 values_pinned;
	bool resizing;
	/*
	 * kbpf_map_freeze(), under resize_lock: a frozen map refuses every
	 * change from userspace.  A map cannot be frozen while userspace may
	 * still write it: through a writable mapping (a ring buffer's
	 * consumer page) or an update or delete under way; so once
	 * kbpf_map_freeze() returns 0, no userspace change is in flight.
	 */
	u32 writable_mmaps;
	u32 user_writes;
	bool frozen;
};

struct kbpf_map_create_opts {
	const struct kbpf_map_attrs *attrs;
	const struct kbpf_limits *limits;	/* NULL: kbpf_default_limits() */
	struct kbpf_map_budget *budget;		/* NULL: no module-wide cap */
	struct kbpf_log *log;			/* why a create failed; may be NULL */
};

/*
 * Create a map: -EINVAL for attributes the type does not take, -E2BIG past
 * a limit (sizes, entries, per-map or total bytes, number of maps), checked
 * before anything is allocated; -ENOMEM if memory runs out.  The log gets
 * one line saying why.
 */
int kbpf_map_new(const struct kbpf_map_create_opts *opts,
		 struct kbpf_map **mapp);
/* kbpf_map_new() without a budget or a log. */
int kbpf_map_create(const struct kbpf_map_attrs *attrs,
		    const struct kbpf_limits *limits, struct kbpf_map **mapp);
void kbpf_map_get(struct kbpf_map *map);
void kbpf_map_put(struct kbpf_map *map);	/* frees on the last put */

/*
 * Program-side access.  The caller is in a run section (RCU read side): a
 * value pointer stays valid until it leaves it.  A per-CPU map's lookup
 * gives this CPU's value and its update writes this CPU's value.
 */
void *kbpf_map_lookup_elem(struct kbpf_map *map, const void *key);
/* KBPF_ANY, KBPF_NOEXIST or KBPF_EXIST. */
int kbpf_map_update_elem(struct kbpf_map *map, const void *key,
			 const void *value, u64 flags);
int kbpf_map_delete_elem(struct kbpf_map *map, const void *key);

/*
 * Userspace-side access, from any context that may take a spinlock (an
 * update: that may sleep, see below).  Values are in the ioctl layout: for
 * per-CPU maps, kbpf_map_user_value_size() bytes holding every possible
 * CPU's value (see uapi/linux/kbpf.h).
 */
u32 kbpf_map_user_value_size(const struct kbpf_map *map);
/* -ENOENT if absent. */
int kbpf_map_lookup_copy(struct kbpf_map *map, const void *key, void *value);
int kbpf_map_update_user(struct kbpf_map *map, const void *key,
			 const void *value, u64 flags);
/* key NULL: first key.  -ENOENT after the last. */
int kbpf_map_get_next_key(struct kbpf_map *map, const void *key,
			  void *next_key);

/*
 * Elements (or nodes) a map deleted or replaced that still await their
 * grace period: they count against the map's memory until freed.  An
 * update from userspace (kbpf_map_update_user(), which therefore may
 * sleep) that finds the map's memory held by them waits for them to be
 * freed, twice at most, before it fails with -ENOMEM.
 */
u32 kbpf_map_frees_pending(struct kbpf_map *map);

/* Userspace's delete: -EPERM once the map is frozen. */
int kbpf_map_delete_user(struct kbpf_map *map, const void *key);
/*
 * Around a userspace change made elsewhere (a program array's, through
 * the registry): begin refuses it with -EPERM once the map is frozen, and
 * until end, kbpf_map_freeze() refuses with -EBUSY, so a freeze never
 * returns with a change in flight.  kbpf_map_update_user() and
 * kbpf_map_delete_user() do the same themselves.
 */
int kbpf_map_user_write_begin(struct kbpf_map *map);
void kbpf_map_user_write_end(struct kbpf_map *map);

/*
 * Freeze a map (KBPF_IOC_MAP_FREEZE): userspace may no longer change it
 * (kbpf_map_update_user(), kbpf_map_delete_user(), kbpf_map_resize() fail
 * with -EPERM).  -EBUSY, with the reason in log, if it is frozen already or
 * mapped writable.
 */
int kbpf_map_freeze(struct kbpf_map *map, struct kbpf_log *log);
bool kbpf_map_frozen(struct kbpf_map *map);
/*
 * A writable mapping of the map is made (0, or -EPERM if it is frozen),
 * copied (fork, split: the map cannot be frozen while the original
 * exists) or goes away.
 */
int kbpf_map_writable_mmap_get(struct kbpf_map *map);
void kbpf_map_writable_mmap_dup(struct kbpf_map *map);
void kbpf_map_writable_mmap_put(struct kbpf_map *map);

/* 0 if a program may pass this map to helper func_id, else -EINVAL. */
int kbpf_map_check_helper(const struct kbpf_map *map, u32 func_id);

/*
 * Give a map max_entries elements (array, percpu_array and the hash types;
 * profiles with a static pool refuse: -EOPNOTSUPP).  The new size's memory
 * is checked against limits and charged to the map's budget before any
 * allocation.  Lookups and updates, from programs and userspace, may run
 * meanwhile; see docs/architecture.md ("Resizing maps") for what each type
 * keeps and refuses (-EBUSY).  The log gets one line saying why it failed.
 * Process context, outside any RCU read section: a hash map's rehash waits
 * for a grace period.
 */
int kbpf_map_resize(struct kbpf_map *map, u32 max_entries,
		    const struct kbpf_limits *limits, struct kbpf_log *log);

/*
 * Ring buffer maps.  The helpers, by the kernel's numbers; submit and
 * discard find the ring from the record.  The verifier makes sure every
 * reserved record is submitted or discarded exactly once.
 */
#define KBPF_FUNC_RINGBUF_OUTPUT	130
#define KBPF_FUNC_RINGBUF_RESERVE	131
#define KBPF_FUNC_RINGBUF_SUBMIT	132
#define KBPF_FUNC_RINGBUF_DISCARD	133
#define KBPF_FUNC_RINGBUF_QUERY		134

u64 kbpf_ringbuf_output(u64 map, u64 data, u64 size, u64 flags, u64 r5);
u64 kbpf_ringbuf_reserve(u64 map, u64 size, u64 flags, u64 r4, u64 r5);
u64 kbpf_ringbuf_submit(u64 sample, u64 flags, u64 r3, u64 r4, u64 r5);
u64 kbpf_ringbuf_discard(u64 sample, u64 flags, u64 r3, u64 r4, u64 r5);
u64 kbpf_ringbuf_query(u64 map, u64 flags, u64 r3, u64 r4, u64 r5);

/*
 * For the glue's map file (mmap and poll), NULL for other map types: the
 * ring memory and the page userspace offset 0 maps, the wait queue, and
 * whether unread records are there.  kbpf_ringbuf_consumer_page() is the
 * consumer page as userspace maps it (tests read the ring through it).
 */
struct kbpf_ring_mem *kbpf_ringbuf_mem(struct kbpf_map *map, u32 *first_page);
struct kbpf_waitq *kbpf_ringbuf_waitq(struct kbpf_map *map);
bool kbpf_ringbuf_has_data(struct kbpf_map *map);
void *kbpf_ringbuf_consumer_page(struct kbpf_map *map);

/*
 * Program arrays hold references on programs, which the glue owns (the
 * registry).  It lends the core these operations; without them (no
 * registry, as in kbpfctl verify) program arrays exist but stay empty.
 */
struct kbpf_prog;

struct kbpf_prog_ref_ops {
	void (*put)(struct kbpf_prog *prog);	/* drop a slot's reference */
	u32 (*id)(const struct kbpf_prog *prog);
};

void kbpf_set_prog_ref_ops(const struct kbpf_prog_ref_ops *ops);
/*
 * Slot changes, made by the glue under its lock: prog comes with a
 * reference for the slot; *old is the program that was there, whose
 * reference the caller drops.  -E2BIG for an index past the end, -EINVAL
 * for a program of another type than the array's, -ENOENT to delete an
 * empty slot.
 */
int kbpf_prog_array_update(struct kbpf_map *map, const void *key,
			   struct kbpf_prog *prog, struct kbpf_prog **old);
int kbpf_prog_array_delete(struct kbpf_map *map, const void *key,
			   struct kbpf_prog **old);
/* Empty every slot of a program array that holds prog; how many did. */
u32 kbpf_prog_array_drop_prog(struct kbpf_map *map,
			      const struct kbpf_prog *prog);

/* ---- helpers ---------------------------------------------------------- */

/* What a helper argument must be, and what its return value is. */
enum kbpf_arg_type {
	KBPF_ARG_NONE,
	KBPF_ARG_ANYTHING,		/* any initialised scalar, never a pointer */
	KBPF_ARG_CONST_MAP_PTR,		/* a map pointer from ld_imm64 */
	KBPF_ARG_PTR_TO_MAP_KEY,	/* key_size readable bytes */
	KBPF_ARG_PTR_TO_MAP_VALUE,	/* value_size readable bytes */
	KBPF_ARG_PTR_TO_MEM,		/* readable bytes, size in next arg */
	KBPF_ARG_CONST_SIZE,		/* size of the previous argument, > 0 */
	KBPF_ARG_PTR_TO_MEM_OR_NULL,	/* as PTR_TO_MEM, or 0 with size 0 */
	KBPF_ARG_CONST_SIZE_OR_ZERO,	/* size of the previous argument, >= 0 */
	KBPF_ARG_PTR_TO_UNINIT_MEM,	/* writable bytes the helper fills */
	KBPF_ARG_PTR_TO_CTX,		/* the program's unmodified context */
	KBPF_ARG_PTR_TO_FUNC,		/* a callback: ld_imm64 of a subprogram */
	KBPF_ARG_CALLBACK_CTX,		/* stack pointer or scalar for a callback */
	KBPF_ARG_CONST_ZERO,		/* flags: the constant 0 */
	KBPF_ARG_FMT_VALUE,		/* a format argument (typed by the format) */
	KBPF_ARG_PTR_TO_CONST_STR,	/* a format the verifier can read */
	KBPF_ARG_PTR_TO_FMT_DATA,	/* u64 format arguments, size in next arg */
	KBPF_ARG_CONST_ALLOC_SIZE_OR_ZERO, /* a known constant: bytes of the
					    * memory the helper returns
					    */
	KBPF_ARG_PTR_TO_ALLOC_MEM,	/* memory a helper returned with a
					 * reference, unmoved; released
					 */
};

enum kbpf_ret_type {
	KBPF_RET_INTEGER,
	KBPF_RET_VOID,
	KBPF_RET_MAP_VALUE_OR_NULL,
	/*
	 * Memory of the CONST_ALLOC_SIZE argument's size, or NULL; the
	 * program holds a reference until it passes the memory to an
	 * ALLOC_MEM argument (ringbuf_reserve, then submit or discard).
	 */
	KBPF_RET_ALLOC_MEM_OR_NULL,
};

typedef u64 (*kbpf_helper_fn)(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5);

struct kbpf_helper {
	const char *name;		/* "map_lookup_elem" */
	kbpf_helper_fn fn;		/* NULL: no helper with this number */
	enum kbpf_ret_type ret;
	enum kbpf_arg_type args[KBPF_HELPER_ARGS];
	/*
	 * The map type its CONST_MAP_PTR argument must have; 0 for the data
	 * maps (any type but KBPF_MAP_TYPE_PROG_ARRAY).
	 */
	u32 map_type;
	/* Packet data may move: the verifier forgets packet pointers. */
	bool changes_pkt_data;
};

/* A set of helpers indexed by the kernel's helper numbers (BPF_FUNC_*). */
struct kbpf_helper_table {
	const struct kbpf_helper *helpers;
	u32 count;
};

/* The netfilter type's helpers, by which disassembly names helper calls. */
extern const struct kbpf_helper_table kbpf_default_helpers;
/* NULL when id names no helper in table. */
const struct kbpf_helper *kbpf_helper_lookup(const struct kbpf_helper_table *t,
					     u32 id);

/* ---- program types ---------------------------------------------------- */

/* What reading a context field gives the program. */
enum kbpf_ctx_kind {
	KBPF_CTX_SCALAR,	/* a number; may be read in aligned pieces */
	KBPF_CTX_PACKET,	/* the packet start: whole-field reads only */
	KBPF_CTX_PACKET_END,	/* one past the readable packet bytes */
};

/* One field of a context struct a program may touch. */
struct kbpf_ctx_field {
	u16 off;
	u8 size;
	u8 kind;		/* enum kbpf_ctx_kind */
	bool writable;		/* whole-field stores of a scalar */
};

struct kbpf_verifier_env;
struct kbpf_reg_state;

/*
 * Everything the core knows about a program type, in one place (as the
 * kernel's bpf_verifier_ops): its context rules, helper set, entry
 * registers and return range.  One file per type in kmod/core/progtypes/.
 */
struct kbpf_prog_type_ops {
	const char *name;		/* "netfilter" */
	u32 ctx_size;			/* bytes of the context a program sees */
	const struct kbpf_ctx_field *ctx_fields;
	u32 ctx_field_cnt;
	s64 ret_min, ret_max;		/* allowed r0 at exit */
	/* One more r0 allowed when it is exactly this constant. */
	bool has_ret_special;
	s64 ret_special;
	const struct kbpf_helper_table *helpers;
	/* r1..r5 at entry (r10 is set by the verifier); 0 or -errno. */
	int (*init_entry_regs)(struct kbpf_verifier_env *env,
			       struct kbpf_reg_state *regs);
};

/* NULL for an unknown type. */
const struct kbpf_prog_type_ops *kbpf_prog_type_ops(u32 type);
/* The helper set of a type, NULL for an unknown type. */
const struct kbpf_helper_table *kbpf_prog_type_helpers(u32 type);
struct kbpf_prog;
/* At load, after verification: settle prog->ctx_fields (see there). */
void kbpf_ctx_fields_settle(struct kbpf_prog *prog);

/* ---- the netfilter context, kernel side ---------------------------------- */

struct kbpf_nf_ctx_kern;

/*
 * The netfilter context's fields as bits of kbpf_prog.ctx_fields: their
 * order in progtypes/netfilter.c's table.
 */
enum kbpf_nf_ctx_field {
	KBPF_NF_CTX_DATA,
	KBPF_NF_CTX_DATA_END,
	KBPF_NF_CTX_LEN,
	KBPF_NF_CTX_FAMILY,
	KBPF_NF_CTX_HOOK,
	KBPF_NF_CTX_IFINDEX,
	KBPF_NF_CTX_PROTOCOL,
	KBPF_NF_CTX_MARK,
	KBPF_NF_CTX_FIELD_CNT
};

#define KBPF_NF_CTX_ALL		((1u << KBPF_NF_CTX_FIELD_CNT) - 1)
/* data, data_end and len come from the skb together. */
#define KBPF_NF_CTX_PKT		((1u << KBPF_NF_CTX_DATA) | \
				 (1u << KBPF_NF_CTX_DATA_END) | \
				 (1u << KBPF_NF_CTX_LEN))

/*
 * How packet helpers reach the packet behind a netfilter context.  The
 * netfilter glue supplies skb-based operations (also beyond the linear
 * part, making the skb writable first); without them the helpers work on
 * the flat bytes [data, data_end).  Writers refresh ctx.data, ctx.data_end
 * and ctx.len.  0 or a negative errno.
 */
struct kbpf_nf_pkt_ops {
	int (*load_bytes)(struct kbpf_nf_ctx_kern *c, u32 off, void *to,
			  u32 len);
	int (*store_bytes)(struct kbpf_nf_ctx_kern *c, u32 off,
			   const void *from, u32 len, u64 flags);
	int (*l3_csum_replace)(struct kbpf_nf_ctx_kern *c, u32 off, u64 from,
			       u64 to, u64 flags);
	int (*l4_csum_replace)(struct kbpf_nf_ctx_kern *c, u32 off, u64 from,
			       u64 to, u64 flags);
};

/*
 * What a netfilter program's r1 points to: the uapi context, then the
 * hook's private part, which lies past the context size the verifier lets
 * a program reach.
 */
struct kbpf_nf_ctx_kern {
	struct kbpf_nf_ctx ctx;
	const struct kbpf_nf_pkt_ops *pkt_ops;	/* NULL: flat bytes */
	void *skb;				/* for pkt_ops */
};

/*
 * The packet operations on the flat bytes [data, data_end), which helpers
 * use when pkt_ops is NULL: Linux's helpers on a linear skb without
 * checksum offload state.  Test runs wrap them to notice writes.
 */
extern const struct kbpf_nf_pkt_ops kbpf_nf_flat_pkt_ops;

/* Flags of the packet helpers: the kernel's BPF_F_* values. */
#define KBPF_F_RECOMPUTE_CSUM	(1ULL << 0)	/* skb_store_bytes */
#define KBPF_F_INVALIDATE_HASH	(1ULL << 1)	/* skb_store_bytes */
#define KBPF_F_HDR_FIELD_MASK	0xfULL		/* csum_replace: field size */
#define KBPF_F_PSEUDO_HDR	(1ULL << 4)	/* l4: pseudo-header field */
#define KBPF_F_MARK_MANGLED_0	(1ULL << 5)	/* l4: UDP's 0 means none */

/* ---- program output (bpf_printk) -------------------------------------- */

/*
 * A program's trace buffer: the lines its trace_printk calls produced, oldest
 * first, until a reader consumes them.  Writers never wait: a full buffer
 * drops the new line and counts it.  Refcounted: the program holds one
 * reference and every open reader one, so a reader can drain the lines of a
 * program that was unloaded meanwhile.
 */
struct kbpf_trace_buf;

#define KBPF_TRACE_TEXT_MAX	232	/* bytes of one line, without a NUL */

/* One line as a reader receives it. */
struct kbpf_trace_line {
	u64 ts_ns;		/* kbpf_ktime_get_boot_ns() when written */
	u64 dropped;		/* lines dropped just before this one */
	u32 cpu;
	u32 len;		/* bytes in text */
	char text[KBPF_TRACE_TEXT_MAX + 1];	/* NUL-terminated */
};

struct kbpf_trace_stats {
	u64 written;		/* lines stored */
	u64 dropped;		/* lines lost to a full buffer */
};

int kbpf_trace_buf_alloc(u32 lines, struct kbpf_trace_buf **bufp);
void kbpf_trace_buf_get(struct kbpf_trace_buf *buf);
void kbpf_trace_buf_put(struct kbpf_trace_buf *buf);
/* Its program is gone: readers drain what is left, then see the end. */
void kbpf_trace_buf_close(struct kbpf_trace_buf *buf);
/* Closed and empty. */
bool kbpf_trace_buf_done(struct kbpf_trace_buf *buf);
/* Append one line (program side, any context). */
void kbpf_trace_write(struct kbpf_trace_buf *buf, const char *text, u32 len);
/* Move the oldest line into *line: 0, or -ENOENT when there is none. */
int kbpf_trace_read(struct kbpf_trace_buf *buf, struct kbpf_trace_line *line);
/* Timestamp of the oldest line: 0, or -ENOENT when there is none. */
int kbpf_trace_peek(struct kbpf_trace_buf *buf, u64 *ts_ns);
void kbpf_trace_get_stats(struct kbpf_trace_buf *buf,
			  struct kbpf_trace_stats *stats);

/* ---- the running program ----------------------------------------------- */

struct kbpf_prog;

/*
 * What helpers may need to know about the run they are called from.  It
 * lives in the run stack (one per CPU in the kernel), so kbpf_run_current()
 * is valid only inside a helper.
 */
struct kbpf_run_meter;

struct kbpf_run_ctx {
	const struct kbpf_prog *prog;	/* running now; tail calls change it */
	const void *call;		/* image insn of the current helper call */
	u32 depth;			/* its frame */
	u32 tail_calls;			/* taken so far, at most 33 */
	u32 loops_left;			/* bpf_loop iterations this run may still do */
	void *hook_priv;		/* the hook's private data (the skb) */
	struct kbpf_run_meter *meter;	/* metered run: its budget, else NULL */
};

struct kbpf_run_ctx *kbpf_run_current(void);

/* ---- programs --------------------------------------------------------- */

struct kbpf_verifier_stats {
	u32 insns_processed;
	u32 states_total;
	u32 states_peak;
	u64 time_ns;
	u64 mem_peak;		/* bytes of verifier memory at most in use */
	/*
	 * The most instructions any explored path charges, as the meter
	 * counts them (verifier/worst.c); KBPF_WORST_CASE_UNBOUNDED if that
	 * cannot be told.
	 */
	u64 worst_insns;
};

/* Load flags (kbpf_prog_load_opts.flags). */
#define KBPF_LOAD_NO_VERIFY	0x1	/* decode checks only (test runners) */

struct kbpf_prog_load_opts {
	u32 type;				/* enum kbpf_prog_type */
	const struct kbpf_insn *insns;
	u32 insn_cnt;
	u32 flags;				/* KBPF_LOAD_* */
	struct kbpf_log *log;			/* may be NULL */
	const struct kbpf_limits *limits;	/* NULL: kbpf_default_limits() */
	const struct kbpf_helper_table *helpers; /* NULL: the type's set */
	/*
	 * Resolves the map id of a KBPF_PSEUDO_MAP_ID/VALUE load to a map,
	 * taking a reference the program keeps until it is freed.  NULL
	 * return: no such map.  May be NULL when programs use no maps.
	 */
	struct kbpf_map *(*map_by_id)(void *priv, u32 id);
	void *map_priv;
	/*
	 * KBPF_PROG_TYPE_UNSPEC only (kbpf-run --verify, test runners): r1
	 * points at mem_size readable and writable bytes and r2 holds
	 * mem_size.  Without KBPF_LOAD_NO_VERIFY the verifier must know
	 * this layout (see docs/architecture.md).
	 */
	u32 mem_size;
};

struct kbpf_prog_image;		/* the interpreter's decoded form */
struct kbpf_fmt_site;		/* a typed format call site (fmt.h) */

struct kbpf_prog {
	u32 type;
	u32 insn_cnt;
	struct kbpf_insn *insns;	/* as verified, maps resolved */
	struct kbpf_prog_image *image;
	/* Built by kbpf_prog_prepare_metered() for the deadline policy. */
	struct kbpf_prog_image *image_metered;
	/* Instructions a run executes at most, or KBPF_WORST_CASE_UNBOUNDED. */
	u64 worst_case;
	u32 stack_depth;		/* deepest chain of frames, bytes */
	struct kbpf_map **maps;		/* referenced maps, one ref each */
	u32 map_cnt;
	/* Bit i: the program addresses maps[i]'s values (values pinned). */
	u64 maps_values_pinned;
	const struct kbpf_helper_table *helpers;
	struct kbpf_verifier_stats stats;
	bool verified;			/* false: loaded with KBPF_LOAD_NO_VERIFY */
	/*
	 * Ahead-of-time compiled code bound to this program (native.c), run
	 * instead of the interpreter; NULL: the interpreter runs it.
	 */
	kbpf_native_fn native;
	struct kbpf_native_ctx native_ctx;
	/* Whoever provides native (a module) and how to let go of it. */
	void *native_owner;
	void (*native_put)(void *owner);
	/* Allocated when the program calls trace_printk; NULL otherwise. */
	struct kbpf_trace_buf *trace;
	/* Format call sites the verifier typed (fmt.h), fmt_site_cnt of them. */
	struct kbpf_fmt_site *fmt_sites;
	u32 fmt_site_cnt;
	/* The glue's object for this program (the registry's), or NULL. */
	void *owner;
	/* Calls a helper that needs struct kbpf_run_ctx (helpers.h). */
	bool uses_run_ctx;
	/* No bpf-to-bpf call: compiled code uses frame 0 only. */
	bool one_frame;
	/*
	 * Bit i: a run may read or write field i of its type's context
	 * (kbpf_prog_type_ops.ctx_fields), as the verifier found every load
	 * and store through the context pointer; every bit when it cannot
	 * tell (loaded without the verifier, or the context handed to a
	 * helper: a tail call's target, a packet helper).  A hook may leave
	 * the other fields unset (docs/architecture.md, the dispatcher).
	 */
	u32 ctx_fields;
};

/*
 * A run of prog touches frame 0 and the run context only: verified (it
 * reads no stack byte it did not write), no bpf-to-bpf call, and no tail
 * call, bpf_loop or other helper that reaches the run context.  Such runs
 * may use a struct kbpf_run_frame0 on the caller's stack.
 */
static inline bool kbpf_prog_frame0_only(const struct kbpf_prog *prog)
{
	return prog->verified && prog->one_frame && !prog->uses_run_ctx;
}

/*
 * Bytes of scratch memory kbpf_run_stack_acquire() returns, 8-byte aligned:
 * the run's struct kbpf_run_ctx, the interpreter's call frames
 * (KBPF_STACK_SIZE each) and, per frame, the registers a bpf-to-bpf call
 * saves.
 */
#define KBPF_RUN_CTX_SPACE	64	/* the first bytes: struct kbpf_run_ctx */
#define KBPF_RUN_STACK_SIZE	(KBPF_MAX_CALL_FRAMES * (KBPF_STACK_SIZE + 64) + \
				 KBPF_RUN_CTX_SPACE)

/*
 * Decode, verify and prepare a program.  On failure the log says why and
 * nothing is left allocated: -EINVAL for a malformed program, -EACCES for an
 * unsafe one, -E2BIG past a limit, -ENOMEM.
 */
int kbpf_prog_load(const struct kbpf_prog_load_opts *opts,
		   struct kbpf_prog **progp);
void kbpf_prog_free(struct kbpf_prog *prog);

/*
 * Run a loaded program with r1 = ctx and return r0.  In the kernel the
 * caller has bottom halves disabled and is inside an RCU read section.
 */
u64 kbpf_prog_run(const struct kbpf_prog *prog, const void *ctx);
/* Run with r1..r5 = args[0..4] (conformance runner, tests). */
u64 kbpf_prog_run_args(const struct kbpf_prog *prog, const u64 *args);

/* Verified compiled code that calls no helper needing struct kbpf_run_ctx. */
static inline bool kbpf_prog_native_no_run_ctx(const struct kbpf_prog *prog)
{
	return prog->native && prog->verified && !prog->uses_run_ctx;
}

/*
 * Compiled code that needs nothing from a run stack: no BPF stack slots
 * and no helper that needs struct kbpf_run_ctx.  It is called straight.
 */
static inline bool kbpf_prog_native_direct(const struct kbpf_prog *prog)
{
	return kbpf_prog_native_no_run_ctx(prog) && !prog->stack_depth;
}

/*
 * Compiled code of one frame that needs a stack but no struct kbpf_run_ctx:
 * its 512-byte frame lives on the caller's stack, as Linux's JIT keeps a
 * program's, rather than in the per-CPU run stack, whose acquire, set-up and
 * release cost more than the program (docs/architecture.md, "Native code").
 * Left uninitialised, as the run stack is: the verifier lets a program read
 * only the stack bytes it wrote.
 */
static inline bool kbpf_prog_native_framed(const struct kbpf_prog *prog)
{
	return kbpf_prog_native_no_run_ctx(prog) && prog->one_frame;
}

/* Out of line: its frame would otherwise weigh on every inlining caller. */
u64 kbpf_prog_run_native_framed(const struct kbpf_prog *prog, const u64 *args);

/* kbpf_prog_run_hook() of a program that needs a run stack. */
u64 kbpf_prog_run_hook_stacked(const struct kbpf_prog *prog, const u64 *args,
			       void *hook_priv);

/*
 * As kbpf_prog_run(), with the hook's private data for helpers.  Inline,
 * because hooks and test runs call it per packet: compiled code is then
 * one indirect call from the caller, not three calls deep.
 */
static inline u64 kbpf_prog_run_hook(const struct kbpf_prog *prog,
				     const void *ctx, void *hook_priv)
{
	u64 args[KBPF_HELPER_ARGS] = { (u64)(uintptr_t)ctx };

	if (kbpf_prog_native_direct(prog))
		return prog->native(args, NULL, &prog->native_ctx);
	if (kbpf_prog_native_framed(prog))
		return kbpf_prog_run_native_framed(prog, args);
	return kbpf_prog_run_hook_stacked(prog, args, hook_priv);
}

/*
 * A hook's chain: programs run back to back on one CPU share one run stack,
 * taken once by kbpf_run_chain_begin() (NULL if none is free: a bug,
 * reported) and given back by kbpf_run_chain_end().  In between,
 * kbpf_run_chain_prog() runs one program, compiled or interpreted, with
 * r1..r5 = args[0..4]; the caller is as for kbpf_prog_run().
 */
void *kbpf_run_chain_begin(void *hook_priv);
u64 kbpf_run_chain_prog(void *chain, const struct kbpf_prog *prog,
			const u64 *args);
/*
 * What a hook keeps of a program to start its unmetered runs without
 * reading struct kbpf_prog (one block less per packet): fixed once the
 * program is loaded, set by kbpf_run_prog_init().
 */
struct kbpf_run_prog {
	const struct kbpf_prog *prog;
	const struct kbpf_prog_image *image;
	kbpf_native_fn native;
	/* kbpf_prog_frame0_only(): nothing reads the run context. */
	bool frame0_only;
};

static inline void kbpf_run_prog_init(struct kbpf_run_prog *p,
				      const struct kbpf_prog *prog)
{
	p->prog = prog;
	p->image = prog->image;
	p->native = prog->native;
	p->frame0_only = kbpf_prog_frame0_only(prog);
}

/*
 * A hook may keep a small program's plain image inside its own per-packet
 * data (one block less per packet) and point kbpf_run_prog.image at it:
 * the bytes such a copy takes, 0 when prog cannot run from a copy or its
 * image is over max bytes; kbpf_prog_image_copy() fills dst (8-byte
 * aligned, size bytes from the former) and returns the copy.  The copy
 * must not outlive prog.
 */
size_t kbpf_prog_image_copy_size(const struct kbpf_prog *prog, size_t max);
const struct kbpf_prog_image *kbpf_prog_image_copy(const struct kbpf_prog *prog,
						   void *dst, size_t size);

/*
 * The interpreter loop (interp.c): img from start (NULL: its first
 * instruction) at call depth, r1..r5 = args[0..4], on run_stack (a chain's
 * run stack or struct kbpf_run_frame0 while depth is 0).  table_out is the
 * image builder's (NULL for a run).  Out of line, as its label table
 * needs; a hook's chain reaches it through kbpf_run_chain_kept() with no
 * call between, one call and return fewer per program.
 */
struct kbpf_image_insn;
u64 kbpf_interp_exec(const struct kbpf_prog_image *img,
		     const struct kbpf_image_insn *start, u32 depth,
		     const u64 *args, void *run_stack,
		     const void *const **table_out);

/* A run stack's run context set for a run of prog from its start. */
void kbpf_run_chain_start(void *chain, const struct kbpf_prog *prog);

/* kbpf_run_chain_prog() from what p keeps; never metered. */
static inline u64 kbpf_run_chain_kept(void *chain,
				      const struct kbpf_run_prog *p,
				      const u64 *args)
{
	/*
	 * Tail calls, bpf_loop and format helpers read the run context
	 * (kbpf_run_current() finds the per-CPU run stack's); a run of a
	 * frame-0 program reaches none of them and its helper calls set
	 * what they use.
	 */
	if (!p->frame0_only)
		kbpf_run_chain_start(chain, p->prog);
	if (unlikely(p->native))
		return p->native(args, (u8 *)chain + KBPF_RUN_CTX_SPACE,
				 &p->prog->native_ctx);
	return kbpf_interp_exec(p->image, NULL, 0, args, chain, NULL);
}
/*
 * kbpf_run_chain_prog() on prog's metered image (the deadline policy):
 * stops at meter->budget with meter->overrun set; a program without a
 * metered image is a bug, reported, and overruns at once.
 */
u64 kbpf_run_chain_prog_metered(void *chain, const struct kbpf_prog *prog,
				const u64 *args, struct kbpf_run_meter *meter);

static inline void kbpf_run_chain_end(void *chain)
{
	kbpf_run_stack_release(chain);
}

/*
 * The start of a run stack, up to frame 1: room for a chain whose every
 * program is kbpf_prog_frame0_only(), kept on the caller's stack instead of
 * the per-CPU run stack (as Linux's interpreter keeps a program's frame),
 * which a packet would otherwise reach on two pages of its own.  Left
 * uninitialised: the verifier lets a program read only the stack bytes it
 * wrote, and a run sets every field of the run context.
 */
struct kbpf_run_frame0 {
	u64 space[(KBPF_RUN_CTX_SPACE + KBPF_STACK_SIZE) / sizeof(u64)];
};

/* kbpf_run_chain_begin() on f; nothing to end. */
static inline void *kbpf_run_chain_begin_frame0(struct kbpf_run_frame0 *f,
						void *hook_priv)
{
	struct kbpf_run_ctx *run = (struct kbpf_run_ctx *)f->space;

	run->hook_priv = hook_priv;
	run->meter = NULL;
	return f;
}

/* ---- ahead-of-time compiled programs (native.c) ---------------------- */

/*
 * True when np's bytecode is prog's: the same type and instructions, map
 * loads included, where np names its maps by definition (1 + index into
 * np->maps) and prog by reference; each referenced map must match its
 * definition in type, sizes, entries and flags.
 */
bool kbpf_native_matches(const struct kbpf_prog *prog,
			 const struct kbpf_native_prog *np);
/*
 * False (with *bad the instruction) when insns call tail_call or loop,
 * which only the interpreter implements: such programs are never bound.
 */
bool kbpf_native_supported(const struct kbpf_insn *insns, u32 cnt, u32 *bad);
/* Whether insns make a bpf-to-bpf call (have a subprogram). */
bool kbpf_insns_call_subprogram(const struct kbpf_insn *insns, u32 cnt);
/*
 * Make prog run through compiled code: resolve its helpers and map loads
 * into prog->native_ctx.  0, -EOPNOTSUPP (see kbpf_native_supported()) or
 * -ENOMEM.  Only before prog is published
 * (nothing may be running it).  kbpf_prog_free() undoes it and then calls
 * put(owner) when put is not NULL: the owner of run stays pinned until then.
 */
int kbpf_prog_bind_native(struct kbpf_prog *prog, kbpf_native_fn run,
			  void (*put)(void *owner), void *owner);
void kbpf_prog_unbind_native(struct kbpf_prog *prog);
/* struct kbpf_native_ctx's at_call: the helper call at insn is the current. */
void kbpf_native_at_call(u8 *stack, u32 insn);
/*
 * Metered runs: each basic block is charged its instructions on entry (a
 * 64-bit immediate load counts once); a block that would take used past
 * budget is not run: the run stops with overrun set and returns 0.
 * kbpf_prog_prepare_metered() builds the metered image once (0 or -ENOMEM);
 * call it before the first metered run, never concurrently with one.
 */
struct kbpf_run_meter {
	u64 budget;		/* in */
	u64 used;		/* out: instructions charged */
	bool overrun;		/* out: stopped by the budget */
};

int kbpf_prog_prepare_metered(struct kbpf_prog *prog);
u64 kbpf_prog_run_metered(const struct kbpf_prog *prog, const void *ctx,
			  void *hook_priv, struct kbpf_run_meter *meter);

/* ---- disassembly ------------------------------------------------------ */

/*
 * Write one instruction as text ("r0 = *(u32 *)(r1 +4)") into buf.  insn
 * may be the first slot of a 64-bit immediate load; then insn[1] is read.
 */
void kbpf_disasm_insn(const struct kbpf_insn *insn, char *buf, size_t size);

#endif /* KBPF_CORE_H */
