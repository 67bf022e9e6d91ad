// SPDX-License-Identifier: GPL-2.0
/*
 * Generic map operations: the type table, the creation path shared by every
 * type (attribute checks, memory cost against the per-map and module-wide
 * caps, all before any allocation), reference counting, and dispatch to the
 * type's kbpf_map_ops.
 */
#include "map.h"

#define KBPF_MAP_TYPE_OPS(type, ops) \
	[type] = &(ops),
static const struct kbpf_map_ops *const map_types[] = {
#include "types.h"
};
#undef KBPF_MAP_TYPE_OPS

static const struct kbpf_map_ops *map_type_ops(u32 type)
{
	return type < ARRAY_SIZE(map_types) ? map_types[type] : NULL;
}

int kbpf_map_check_sizes(const struct kbpf_map_attrs *attrs,
			 const struct kbpf_limits *limits, bool percpu,
			 struct kbpf_log *log)
{
	if (!attrs->key_size || !attrs->value_size || !attrs->max_entries) {
		kbpf_map_log(log, "key_size, value_size and max_entries must not be 0");
		return -EINVAL;
	}
	if (attrs->key_size > limits->max_key_size) {
		kbpf_map_log(log, "key_size %u is over the limit of %u",
			     attrs->key_size, limits->max_key_size);
		return -E2BIG;
	}
	if (attrs->value_size > limits->max_value_size) {
		kbpf_map_log(log, "value_size %u is over the limit of %u",
			     attrs->value_size, limits->max_value_size);
		return -E2BIG;
	}
	if (percpu && kbpf_round_up8_64(attrs->value_size) > KBPF_PERCPU_VALUE_MAX) {
		kbpf_map_log(log, "per-CPU value_size %u is over the limit of %u",
			     attrs->value_size, KBPF_PERCPU_VALUE_MAX);
		return -E2BIG;
	}
	if (attrs->max_entries > limits->max_entries) {
		kbpf_map_log(log, "max_entries %u is over the limit of %u",
			     attrs->max_entries, limits->max_entries);
		return -E2BIG;
	}
	return 0;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_check_sizes);

int kbpf_map_values_bytes(u32 size, u64 count, bool percpu, u64 *bytes)
{
	u64 per = kbpf_round_up8_64(size);

	if (percpu && check_mul_overflow(per, (u64)kbpf_nr_cpu_ids(), &per))
		return -E2BIG;
	return check_mul_overflow(per, count, bytes) ? -E2BIG : 0;
}

void kbpf_percpu_to_user(void *dst, const u8 *src, u64 stride, u32 value_size)
{
	u32 cpu, n = 0, vs = kbpf_round_up8(value_size);

	for (cpu = 0; cpu < kbpf_nr_cpu_ids(); cpu++)
		if (kbpf_cpu_possible(cpu))
			memcpy((u8 *)dst + (size_t)vs * n++,
			       src + (size_t)stride * cpu, vs);
}

void kbpf_percpu_from_user(u8 *dst, u64 stride, const void *src,
			   u32 value_size)
{
	u32 cpu, n = 0, vs = kbpf_round_up8(value_size);

	for (cpu = 0; cpu < kbpf_nr_cpu_ids(); cpu++)
		if (kbpf_cpu_possible(cpu))
			memcpy(dst + (size_t)stride * cpu,
			       (const u8 *)src + (size_t)vs * n++, vs);
}

/* ---- budget ------------------------------------------------------------- */

void kbpf_map_budget_init(struct kbpf_map_budget *b, u64 max_bytes)
{
	kbpf_lock_init(&b->lock);
	b->max_bytes = max_bytes;
	b->used_bytes = 0;
	b->maps = 0;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_budget_init);

static int budget_charge(struct kbpf_map_budget *b, u64 bytes,
			 const struct kbpf_limits *limits, struct kbpf_log *log)
{
	bool too_many, too_big;
	u64 max, used;

	if (!b)
		return 0;
	kbpf_lock_acquire(&b->lock);
	max = b->max_bytes;
	used = b->used_bytes;
	too_many = b->maps >= limits->max_maps;
	too_big = bytes > max || used > max - bytes;
	if (!too_many && !too_big) {
		b->maps++;
		b->used_bytes += bytes;
	}
	kbpf_lock_release(&b->lock);
	if (too_many)
		kbpf_map_log(log, "there are already %u maps, the limit",
			     limits->max_maps);
	else if (too_big)
		kbpf_map_log(log, "map of %llu bytes is over the limit for all maps: %llu of %llu bytes in use",
			     (unsigned long long)bytes,
			     (unsigned long long)used, (unsigned long long)max);
	return too_many || too_big ? -E2BIG : 0;
}

static void budget_uncharge(struct kbpf_map_budget *b, u64 bytes)
{
	if (!b)
		return;
	kbpf_lock_acquire(&b->lock);
	b->maps--;
	b->used_bytes -= bytes;
	kbpf_lock_release(&b->lock);
}

/* A resize to more memory: charge the difference, within the cap. */
static int budget_grow(struct kbpf_map_budget *b, u64 grow,
		       struct kbpf_log *log)
{
	bool too_big;
	u64 max, used;

	if (!b || !grow)
		return 0;
	kbpf_lock_acquire(&b->lock);
	max = b->max_bytes;
	used = b->used_bytes;
	too_big = grow > max || used > max - grow;
	if (!too_big)
		b->used_bytes += grow;
	kbpf_lock_release(&b->lock);
	if (too_big)
		kbpf_map_log(log, "over the limit for all maps: %llu of %llu bytes used, resize adds %llu",
			     (unsigned long long)used, (unsigned long long)max,
			     (unsigned long long)grow);
	return too_big ? -E2BIG : 0;
}

static void budget_shrink(struct kbpf_map_budget *b, u64 bytes)
{
	if (!b || !bytes)
		return;
	kbpf_lock_acquire(&b->lock);
	b->used_bytes -= bytes;
	kbpf_lock_release(&b->lock);
}

/* ---- creation ----------------------------------------------------------- */

/* Type, flags, the type's own checks and the memory cost against the caps. */
static int check_create(const struct kbpf_map_create_opts *opts,
			const struct kbpf_limits *limits,
			const struct kbpf_map_ops *ops, u64 *bytes)
{
	const struct kbpf_map_attrs *attrs = opts->attrs;
	int err;

	if (!ops) {
		kbpf_map_log(opts->log, "unknown map type %u", attrs->type);
		return -EINVAL;
	}
	if ((attrs->flags & KBPF_F_PROG_ACCESS) == KBPF_F_PROG_ACCESS) {
		kbpf_map_log(opts->log, "RDONLY_PROG and WRONLY_PROG exclude each other");
		return -EINVAL;
	}
	if (attrs->flags & KBPF_F_PROG_ACCESS & ~ops->create_flags) {
		kbpf_map_log(opts->log, "map type %u takes no RDONLY_PROG or WRONLY_PROG: programs reach it only through its helpers",
			     attrs->type);
		return -EINVAL;
	}
	if (attrs->flags & ~ops->create_flags) {
		kbpf_map_log(opts->log, "flags 0x%x are not valid for map type %u",
			     attrs->flags & ~ops->create_flags, attrs->type);
		return -EINVAL;
	}
	err = ops->check(attrs, limits, opts->log);
	if (err)
		return err;
	err = ops->mem_cost(attrs, bytes);
	if (err || *bytes > limits->max_map_bytes) {
		if (err)
			kbpf_map_log(opts->log, "map size overflows");
		else
			kbpf_map_log(opts->log, "map of %llu bytes is over the per-map limit of %llu",
				     (unsigned long long)*bytes,
				     (unsigned long long)limits->max_map_bytes);
		return -E2BIG;
	}
	return 0;
}

int kbpf_map_new(const struct kbpf_map_create_opts *opts,
		 struct kbpf_map **mapp)
{
	const struct kbpf_limits *limits = opts->limits ?: kbpf_default_limits();
	const struct kbpf_map_ops *ops = map_type_ops(opts->attrs->type);
	struct kbpf_map *map = NULL;
	u64 bytes = 0;
	int err;

	*mapp = NULL;
	err = check_create(opts, limits, ops, &bytes);
	if (err)
		return err;
	err = budget_charge(opts->budget, bytes, limits, opts->log);
	if (err)
		return err;
	err = ops->alloc(opts->attrs, &map);
	if (err) {
		char why[96];

		budget_uncharge(opts->budget, bytes);
		kbpf_mem_describe(why, sizeof(why));
		kbpf_map_log(opts->log, "%s, for a map of %llu bytes", why,
			     (unsigned long long)bytes);
		return err;
	}
	map->ops = ops;
	map->attrs = *opts->attrs;
	map->mem_bytes = bytes;
	map->budget = opts->budget;
	kbpf_lock_init(&map->resize_lock);
	kbpf_refcount_set(&map->refcnt, 1);
	*mapp = map;
	return 0;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_new);

int kbpf_map_create(const struct kbpf_map_attrs *attrs,
		    const struct kbpf_limits *limits, struct kbpf_map **mapp)
{
	struct kbpf_map_create_opts opts = { .attrs = attrs, .limits = limits };

	return kbpf_map_new(&opts, mapp);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_create);

void kbpf_map_get(struct kbpf_map *map)
{
	kbpf_refcount_inc(&map->refcnt);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_get);

void kbpf_map_put(struct kbpf_map *map)
{
	struct kbpf_map_budget *budget;
	u64 bytes;

	if (!map || !kbpf_refcount_dec_and_test(&map->refcnt))
		return;
	budget = map->budget;
	bytes = map->mem_bytes;
	map->ops->free(map);
	budget_uncharge(budget, bytes);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_put);

/* ---- resizing ----------------------------------------------------------- */

void kbpf_map_pin_values(struct kbpf_map *map)
{
	kbpf_lock_acquire(&map->resize_lock);
	map->values_pinned++;
	kbpf_lock_release(&map->resize_lock);
}

void kbpf_map_unpin_values(struct kbpf_map *map)
{
	kbpf_lock_acquire(&map->resize_lock);
	map->values_pinned--;
	kbpf_lock_release(&map->resize_lock);
}

bool kbpf_map_values_unpinned_locked(struct kbpf_map *map,
				     struct kbpf_log *log)
{
	if (!map->values_pinned)
		return true;
	kbpf_map_log(log, "%u loaded program(s) use the values as global data: size fixed",
		     map->values_pinned);
	return false;
}

/* What the profile and the type allow, before anything changes. */
static int resize_check(const struct kbpf_map *map, u32 max_entries,
			const struct kbpf_limits *limits, struct kbpf_log *log,
			u64 *bytes)
{
	if (limits->pool_size) {
		kbpf_map_log(log, "the %s profile sizes maps once, from its static pool: no resize",
			     limits->name);
		return -EOPNOTSUPP;
	}
	if (!map->ops->resize) {
		kbpf_map_log(log, "map type %u cannot be resized (array and hash maps can)",
			     map->attrs.type);
		return -EOPNOTSUPP;
	}
	if (!max_entries) {
		kbpf_map_log(log, "max_entries must not be 0");
		return -EINVAL;
	}
	if (max_entries > limits->max_entries) {
		kbpf_map_log(log, "max_entries %u is over the limit of %u",
			     max_entries, limits->max_entries);
		return -E2BIG;
	}
	if (map->ops->resize_cost(map, max_entries, bytes) ||
	    *bytes > limits->max_map_bytes) {
		kbpf_map_log(log, "map of %u entries is over the per-map limit of %llu bytes",
			     max_entries,
			     (unsigned long long)limits->max_map_bytes);
		return -E2BIG;
	}
	return 0;
}

/*
 * One resize of a map at a time: the type's resize relies on it.  None of
 * a frozen map, whose size is fixed with its contents, and no freeze while
 * a resize runs (both decided under resize_lock).
 */
static int resize_begin(struct kbpf_map *map, struct kbpf_log *log)
{
	bool busy, frozen;

	kbpf_lock_acquire(&map->resize_lock);
	frozen = map->frozen;
	busy = map->resizing;
	if (!frozen)
		map->resizing = true;
	kbpf_lock_release(&map->resize_lock);
	if (frozen) {
		kbpf_map_log(log, "the map is frozen: its size is fixed too");
		return -EPERM;
	}
	if (busy)
		kbpf_map_log(log, "the map is being resized already");
	return busy ? -EBUSY : 0;
}

static void resize_end(struct kbpf_map *map)
{
	kbpf_lock_acquire(&map->resize_lock);
	map->resizing = false;
	kbpf_lock_release(&map->resize_lock);
}

/*
 * Charge the growth and what the resize holds while it runs, resize, then
 * give back the latter and what the map no longer uses.
 */
static int resize_charged(struct kbpf_map *map, u32 max_entries, u64 bytes,
			  struct kbpf_log *log)
{
	u64 old = map->mem_bytes, held = 0, grow;
	char why[96];
	int err;

	if (map->ops->resize_transient)
		held = map->ops->resize_transient(map, max_entries);
	/* Saturated, the budget refuses it with the figures. */
	if (check_add_overflow(bytes > old ? bytes - old : 0, held, &grow))
		grow = U64_MAX;
	err = budget_grow(map->budget, grow, log);
	if (err)
		return err;
	err = map->ops->resize(map, max_entries, log);
	if (err) {
		budget_shrink(map->budget, grow);
		if (err == -ENOMEM) {
			kbpf_mem_describe(why, sizeof(why));
			kbpf_map_log(log, "%s, resizing to %llu bytes", why,
				     (unsigned long long)bytes);
		}
		return err;
	}
	budget_shrink(map->budget, held + (old > bytes ? old - bytes : 0));
	map->mem_bytes = bytes;
	return 0;
}

int kbpf_map_resize(struct kbpf_map *map, u32 max_entries,
		    const struct kbpf_limits *limits, struct kbpf_log *log)
{
	u64 bytes = 0;
	int err;

	err = resize_check(map, max_entries, limits ?: kbpf_default_limits(),
			   log, &bytes);
	if (err)
		return err;
	err = resize_begin(map, log);
	if (err)
		return err;
	if (max_entries != map->attrs.max_entries)
		err = resize_charged(map, max_entries, bytes, log);
	resize_end(map);
	return err;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_resize);

/* ---- elements ----------------------------------------------------------- */

void *kbpf_map_lookup_elem(struct kbpf_map *map, const void *key)
{
	return map->ops->lookup ? map->ops->lookup(map, key) : NULL;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_lookup_elem);

int kbpf_map_update_elem(struct kbpf_map *map, const void *key,
			 const void *value, u64 flags)
{
	if (flags > KBPF_EXIST)
		return -EINVAL;
	if (!map->ops->update)
		return -EOPNOTSUPP;
	return map->ops->update(map, key, value, flags);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_update_elem);

int kbpf_map_delete_elem(struct kbpf_map *map, const void *key)
{
	int err;

	if (!map->ops->delete)
		return -EOPNOTSUPP;
	kbpf_rcu_read_lock();
	err = map->ops->delete(map, key);
	kbpf_rcu_read_unlock();
	return err;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_delete_elem);

u32 kbpf_map_user_value_size(const struct kbpf_map *map)
{
	if (!map->ops->percpu)
		return map->attrs.value_size;
	return kbpf_round_up8(map->attrs.value_size) * kbpf_num_possible_cpus();
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_user_value_size);

int kbpf_map_lookup_copy(struct kbpf_map *map, const void *key, void *value)
{
	int err;

	if (!map->ops->lookup_copy)
		return -EOPNOTSUPP;
	kbpf_rcu_read_lock();
	err = map->ops->lookup_copy(map, key, value);
	kbpf_rcu_read_unlock();
	return err;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_lookup_copy);

/* ---- freezing ----------------------------------------------------------- */

/*
 * One more userspace writer of the map (*writers: a change under way or
 * a writable mapping), unless the map is frozen: -EPERM.
 */
static int writer_get(struct kbpf_map *map, u32 *writers, bool if_unfrozen)
{
	bool refused;

	kbpf_lock_acquire(&map->resize_lock);
	refused = if_unfrozen && map->frozen;
	if (!refused)
		(*writers)++;
	kbpf_lock_release(&map->resize_lock);
	return refused ? -EPERM : 0;
}

static void writer_put(struct kbpf_map *map, u32 *writers)
{
	kbpf_lock_acquire(&map->resize_lock);
	(*writers)--;
	kbpf_lock_release(&map->resize_lock);
}

int kbpf_map_user_write_begin(struct kbpf_map *map)
{
	return writer_get(map, &map->user_writes, true);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_user_write_begin);

void kbpf_map_user_write_end(struct kbpf_map *map)
{
	writer_put(map, &map->user_writes);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_user_write_end);

int kbpf_map_writable_mmap_get(struct kbpf_map *map)
{
	return writer_get(map, &map->writable_mmaps, true);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_writable_mmap_get);

/* A copy of a writable mapping: the map cannot be frozen meanwhile. */
void kbpf_map_writable_mmap_dup(struct kbpf_map *map)
{
	writer_get(map, &map->writable_mmaps, false);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_writable_mmap_dup);

void kbpf_map_writable_mmap_put(struct kbpf_map *map)
{
	writer_put(map, &map->writable_mmaps);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_writable_mmap_put);

int kbpf_map_freeze(struct kbpf_map *map, struct kbpf_log *log)
{
	bool frozen, resizing;
	u32 mmaps, writes;

	kbpf_lock_acquire(&map->resize_lock);
	frozen = map->frozen;
	resizing = map->resizing;
	mmaps = map->writable_mmaps;
	writes = map->user_writes;
	if (!frozen && !resizing && !mmaps && !writes)
		map->frozen = true;
	kbpf_lock_release(&map->resize_lock);
	if (frozen)
		kbpf_map_log(log, "the map is frozen already");
	else if (resizing)
		kbpf_map_log(log, "the map is being resized");
	else if (mmaps)
		kbpf_map_log(log, "the map is mapped writable %u time(s): unmap it first",
			     mmaps);
	else if (writes)
		kbpf_map_log(log, "%u userspace update(s) or delete(s) of the map are under way",
			     writes);
	return frozen || resizing || mmaps || writes ? -EBUSY : 0;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_freeze);

bool kbpf_map_frozen(struct kbpf_map *map)
{
	bool frozen;

	kbpf_lock_acquire(&map->resize_lock);
	frozen = map->frozen;
	kbpf_lock_release(&map->resize_lock);
	return frozen;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_frozen);

/* ---- elements, from userspace ------------------------------------------- */

u32 kbpf_map_frees_pending(struct kbpf_map *map)
{
	return map->ops->frees_pending ? map->ops->frees_pending(map) : 0;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_frees_pending);

static int update_user_once(struct kbpf_map *map, const void *key,
			    const void *value, u64 flags)
{
	int err;

	kbpf_rcu_read_lock();
	if (map->ops->update_user)
		err = map->ops->update_user(map, key, value, flags);
	else
		err = map->ops->update(map, key, value, flags);
	kbpf_rcu_read_unlock();
	return err;
}

/*
 * Grace periods an update from userspace waits for when the map's memory
 * is held by deleted elements: more only while programs keep deleting as
 * fast, and then the update gets -ENOMEM as theirs do.
 */
#define KBPF_MAP_GRACE_WAITS	2

int kbpf_map_update_user(struct kbpf_map *map, const void *key,
			 const void *value, u64 flags)
{
	u32 waits = 0;
	int err;

	if (flags > KBPF_EXIST)
		return -EINVAL;
	if (!map->ops->update)
		return -EOPNOTSUPP;
	err = kbpf_map_user_write_begin(map);
	if (err)
		return err;
	/*
	 * Out of memory while elements await their grace period: the caller
	 * may sleep, so wait for them to be freed, as a user who just
	 * deleted expects room for an insert.
	 */
	while ((err = update_user_once(map, key, value, flags)) == -ENOMEM &&
	       waits++ < KBPF_MAP_GRACE_WAITS && kbpf_map_frees_pending(map))
		kbpf_rcu_barrier();
	kbpf_map_user_write_end(map);
	return err;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_update_user);

int kbpf_map_delete_user(struct kbpf_map *map, const void *key)
{
	int err;

	if (!map->ops->delete)
		return -EOPNOTSUPP;
	err = kbpf_map_user_write_begin(map);
	if (err)
		return err;
	err = kbpf_map_delete_elem(map, key);
	kbpf_map_user_write_end(map);
	return err;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_delete_user);

int kbpf_map_get_next_key(struct kbpf_map *map, const void *key,
			  void *next_key)
{
	int err;

	if (!map->ops->get_next_key)
		return -EOPNOTSUPP;
	kbpf_rcu_read_lock();
	err = map->ops->get_next_key(map, key, next_key);
	kbpf_rcu_read_unlock();
	return err;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_get_next_key);

/* The element helpers' numbers (BPF_FUNC_map_*_elem). */
static bool elem_helper(u32 func_id)
{
	return func_id >= 1 && func_id <= 3;
}

int kbpf_map_check_helper(const struct kbpf_map *map, u32 func_id)
{
	bool ok = map->ops->helper_ok ? map->ops->helper_ok(func_id) :
					elem_helper(func_id);

	return ok ? 0 : -EINVAL;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_map_check_helper);

int kbpf_map_direct_value_addr(struct kbpf_map *map, u32 off, u64 *addr)
{
	void *p;

	if (!map->ops->direct_value || off >= map->attrs.value_size)
		return -EINVAL;
	p = map->ops->direct_value(map, off);
	if (!p)
		return -EINVAL;
	*addr = (u64)(uintptr_t)p;
	return 0;
}
