/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Map internals: the operations each map type provides behind the generic
 * kbpf_map_* functions of kbpf_core.h, and the table they register in.
 */
#ifndef KBPF_CORE_MAP_H
#define KBPF_CORE_MAP_H

#include "../kbpf_core.h"

/* The flags that limit what programs may do with values. */
#define KBPF_F_PROG_ACCESS	(KBPF_F_RDONLY_PROG | KBPF_F_WRONLY_PROG)

struct kbpf_map_ops {
	/* KBPF_F_* flags the type accepts at creation. */
	u32 create_flags;
	/*
	 * Creation, in this order: check the attributes (limits has been
	 * applied to nothing yet; log the reason of a failure), compute the
	 * worst-case memory with overflow-safe arithmetic (-E2BIG on
	 * overflow), and only then allocate.  alloc sets nothing but the
	 * type's own fields and ops; the caller fills struct kbpf_map.
	 */
	int (*check)(const struct kbpf_map_attrs *attrs,
		     const struct kbpf_limits *limits, struct kbpf_log *log);
	int (*mem_cost)(const struct kbpf_map_attrs *attrs, u64 *bytes);
	int (*alloc)(const struct kbpf_map_attrs *attrs, struct kbpf_map **mapp);
	/* Release everything the map owns, including the map itself. */
	void (*free)(struct kbpf_map *map);

	/* Program side (see kbpf_core.h); NULL: -EOPNOTSUPP. */
	void *(*lookup)(struct kbpf_map *map, const void *key);
	int (*update)(struct kbpf_map *map, const void *key, const void *value,
		      u64 flags);
	int (*delete)(struct kbpf_map *map, const void *key);
	/* Userspace side, in an RCU read section; values in ioctl layout. */
	int (*lookup_copy)(struct kbpf_map *map, const void *key, void *value);
	/* NULL: the program-side update (the layouts are the same). */
	int (*update_user)(struct kbpf_map *map, const void *key,
			   const void *value, u64 flags);
	int (*get_next_key)(struct kbpf_map *map, const void *key,
			    void *next_key);
	/* Address of byte off of element 0's value, or NULL if the type has
	 * no fixed value memory (only arrays do).
	 */
	void *(*direct_value)(struct kbpf_map *map, u32 off);
	/*
	 * Whether a program may pass the map to helper func_id.  NULL: the
	 * element helpers (lookup, update, delete) only.
	 */
	bool (*helper_ok)(u32 func_id);
	/*
	 * Resizing (NULL: the type keeps its creation size).  resize_cost is
	 * the map's memory at max_entries, as mem_cost for creation; resize
	 * makes it so, the budget already charged, and sets attrs.max_entries.
	 * kbpf_map_resize() lets one resize of a map run at a time.
	 */
	int (*resize_cost)(const struct kbpf_map *map, u32 max_entries,
			   u64 *bytes);
	/*
	 * Bytes a resize to max_entries holds only while it runs (a hash
	 * map's old and new tables both exist), charged with the growth and
	 * given back after.  NULL: none.
	 */
	u64 (*resize_transient)(const struct kbpf_map *map, u32 max_entries);
	int (*resize)(struct kbpf_map *map, u32 max_entries,
		      struct kbpf_log *log);
	/*
	 * Elements (or nodes) deleted or replaced and not freed yet: they
	 * wait for a grace period and count against the map's memory until
	 * then.  NULL: the type frees nothing late.
	 */
	u32 (*frees_pending)(struct kbpf_map *map);
	/* Per-CPU types: one value per possible CPU in the ioctl layout. */
	bool percpu;
};

/*
 * Each type's ops, defined in its file and registered with one line in
 * maps/types.h, which map.c turns into the table indexed by type; nothing
 * else dispatches on the type.
 */
extern const struct kbpf_map_ops kbpf_array_map_ops;
extern const struct kbpf_map_ops kbpf_percpu_array_map_ops;
extern const struct kbpf_map_ops kbpf_hash_map_ops;
extern const struct kbpf_map_ops kbpf_percpu_hash_map_ops;
extern const struct kbpf_map_ops kbpf_lru_hash_map_ops;
extern const struct kbpf_map_ops kbpf_lru_percpu_hash_map_ops;
extern const struct kbpf_map_ops kbpf_ringbuf_map_ops;
extern const struct kbpf_map_ops kbpf_prog_array_map_ops;
extern const struct kbpf_map_ops kbpf_lpm_trie_map_ops;

/*
 * For KBPF_PSEUDO_MAP_VALUE: the address of byte off of element 0's value.
 * -EINVAL if the map type has no direct value or off is past the value.
 */
int kbpf_map_direct_value_addr(struct kbpf_map *map, u32 off, u64 *addr);

/*
 * A program about to take direct value addresses pins the map's values
 * (kbpf_map_resize() then refuses with -EBUSY) until it is freed.  A type's
 * resize publishes new value memory only under map->resize_lock, and only
 * when kbpf_map_values_unpinned_locked().
 */
void kbpf_map_pin_values(struct kbpf_map *map);
void kbpf_map_unpin_values(struct kbpf_map *map);
bool kbpf_map_values_unpinned_locked(struct kbpf_map *map,
				     struct kbpf_log *log);

/*
 * Values are laid out 8-byte aligned so that atomics on them are legal.
 * Only for sizes already checked against the limits; costs use the u64
 * form, which cannot wrap.
 */
static inline u32 kbpf_round_up8(u32 n)
{
	return (n + 7) & ~7U;
}

static inline u64 kbpf_round_up8_64(u32 n)
{
	return ((u64)n + 7) & ~7ULL;
}

/*
 * What a map frees after a grace period (a deleted or replaced element,
 * which a program's run may still read) stays the map's until it is
 * freed, so a burst of deletes and inserts could hold more than the
 * map's max_entries elements.  Types that free so count such elements and
 * stop at max_entries plus this reserve, which their memory cost counts:
 * a quarter of max_entries, and KBPF_MAP_GRACE_MIN for small maps.  Past
 * it, a program's insert or replace fails with -ENOMEM (it cannot wait in
 * its run; the next grace period frees them), and kbpf_map_update_user()
 * waits for the grace period, as a caller who may sleep expects.
 */
#define KBPF_MAP_GRACE_MIN	16

static inline u32 kbpf_map_grace_reserve(u32 max_entries)
{
	return max_entries / 4 + KBPF_MAP_GRACE_MIN;
}

/*
 * One more in an atomic count kept below cap: false, and the count as it
 * was, once it is there.  Fully ordered (a fetch-and-add both ways).
 */
static inline bool kbpf_map_count_take(u32 *count, u64 cap)
{
	if (kbpf_atomic32_fetch_add(count, 1) < cap)
		return true;
	kbpf_atomic32_add(count, (u32)-1);
	return false;
}

static inline void kbpf_map_count_put(u32 *count)
{
	kbpf_atomic32_add(count, (u32)-1);
}

/* Largest per-CPU value (Linux's PCPU_MIN_UNIT_SIZE). */
#define KBPF_PERCPU_VALUE_MAX	32768

/*
 * The checks most types share: non-zero key, value and entries within the
 * profile's limits, and a per-CPU value no bigger than
 * KBPF_PERCPU_VALUE_MAX.  Logs the reason.
 */
int kbpf_map_check_sizes(const struct kbpf_map_attrs *attrs,
			 const struct kbpf_limits *limits, bool percpu,
			 struct kbpf_log *log);

/* Bytes of count values of size each, for every CPU if percpu. */
int kbpf_map_values_bytes(u32 size, u64 count, bool percpu, u64 *bytes);

/* a * b + c, or -E2BIG on overflow. */
static inline int kbpf_mul_add(u64 a, u64 b, u64 c, u64 *out)
{
	u64 m;

	if (check_mul_overflow(a, b, &m) || check_add_overflow(m, c, out))
		return -E2BIG;
	return 0;
}

/*
 * Copy between a per-CPU value array (storage for kbpf_nr_cpu_ids() CPUs,
 * stride bytes apart) and the ioctl layout (possible CPUs packed, each
 * kbpf_round_up8(value_size) bytes).
 */
void kbpf_percpu_to_user(void *dst, const u8 *src, u64 stride, u32 value_size);
void kbpf_percpu_from_user(u8 *dst, u64 stride, const void *src,
			   u32 value_size);

/* The one-line reason of a failed create, without a newline. */
#define kbpf_map_log(log, fmt, ...)					\
	kbpf_log_printf(log, fmt, ##__VA_ARGS__)

#endif /* KBPF_CORE_MAP_H */
