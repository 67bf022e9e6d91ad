// SPDX-License-Identifier: GPL-2.0
/*
 * The object registry: ids, names, lifetimes and limits of programs and maps.
 *
 * Ids come from cyclic IDRs starting at 1, so an id is never 0 and is not
 * handed out again until the 31-bit space wraps.  Names are unique within
 * each kind when not empty.  A program holds a reference to every map it
 * uses (taken by kbpf_registry_map_by_id() during the load), which is how a
 * map destroy knows to fail with -EBUSY.
 */
#include <linux/ctype.h>
#include <linux/idr.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "registry.h"
#include "netfilter.h"
#include "genl.h"
#include "maps.h"

static DEFINE_MUTEX(kbpf_registry_mutex);
static DEFINE_IDR(kbpf_prog_idr);
static DEFINE_IDR(kbpf_map_idr);
static u32 kbpf_prog_count;
static u32 kbpf_map_count;

void kbpf_registry_lock(void)
{
	mutex_lock(&kbpf_registry_mutex);
}

void kbpf_registry_unlock(void)
{
	mutex_unlock(&kbpf_registry_mutex);
}

void kbpf_registry_assert_locked(void)
{
	lockdep_assert_held(&kbpf_registry_mutex);
}

/*
 * [A-Za-z0-9_.] as the uapi header promises: the kernel's isalnum() also
 * takes Latin-1 letters (0xc0-0xff), which are not even UTF-8 on their own.
 */
static bool kbpf_name_char_ok(char c)
{
	return (isascii(c) && isalnum(c)) || c == '_' || c == '.';
}

int kbpf_registry_check_name(const char *name, size_t size)
{
	size_t len = strnlen(name, size);

	if (len == size)
		return -EINVAL;
	while (len--)
		if (!kbpf_name_char_ok(name[len]))
			return -EINVAL;
	return 0;
}

/* The entry of idr with the least id >= *id, setting *id to that id. */
static void *kbpf_idr_next_locked(struct idr *idr, u32 *id)
{
	int next = *id;
	void *entry;

	lockdep_assert_held(&kbpf_registry_mutex);
	if (*id > INT_MAX)
		return NULL;
	entry = idr_get_next(idr, &next);
	if (entry)
		*id = next;
	return entry;
}

/* ---- programs ---------------------------------------------------------- */

struct kbpf_reg_prog *kbpf_registry_prog_find_locked(u32 id, const char *name)
{
	struct kbpf_reg_prog *rp;
	int i;

	lockdep_assert_held(&kbpf_registry_mutex);
	if (id)
		return id <= INT_MAX ? idr_find(&kbpf_prog_idr, id) : NULL;
	if (!name || !name[0])
		return NULL;
	idr_for_each_entry(&kbpf_prog_idr, rp, i)
		if (!strcmp(rp->name, name))
			return rp;
	return NULL;
}

struct kbpf_reg_prog *kbpf_registry_prog_next_locked(u32 *id)
{
	return kbpf_idr_next_locked(&kbpf_prog_idr, id);
}

int kbpf_registry_prog_name_free(const char *name)
{
	int err = 0;

	if (!name[0])
		return 0;
	kbpf_registry_lock();
	if (kbpf_registry_prog_find_locked(0, name))
		err = -EEXIST;
	kbpf_registry_unlock();
	return err;
}

static void kbpf_reg_prog_free(struct kbpf_reg_prog *rp)
{
	kbpf_prog_free(rp->prog);
	free_percpu(rp->stats);
	kfree(rp);
}

int kbpf_registry_add_prog(struct kbpf_prog *prog, const char *name, u32 *id)
{
	const struct kbpf_limits *limits = kbpf_default_limits();
	struct kbpf_reg_prog *rp;
	int err, cpu;

	rp = kzalloc(sizeof(*rp), GFP_KERNEL);
	if (!rp) {
		kbpf_prog_free(prog);
		return -ENOMEM;
	}
	rp->prog = prog;
	strscpy(rp->name, name, sizeof(rp->name));
	refcount_set(&rp->refcnt, 1);
	INIT_LIST_HEAD(&rp->links);
	rp->stats = alloc_percpu(struct kbpf_prog_stats);
	if (!rp->stats) {
		err = -ENOMEM;
		goto err_free;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(rp->stats, cpu)->syncp);

	kbpf_registry_lock();
	if (kbpf_prog_count >= limits->max_progs) {
		err = -ENOSPC;
		goto err_unlock;
	}
	if (rp->name[0] && kbpf_registry_prog_find_locked(0, rp->name)) {
		err = -EEXIST;
		goto err_unlock;
	}
	err = idr_alloc_cyclic(&kbpf_prog_idr, rp, 1, INT_MAX, GFP_KERNEL);
	if (err < 0)
		goto err_unlock;
	rp->id = err;
	*id = rp->id;
	kbpf_prog_count++;
	kbpf_genl_notify_prog(KBPF_EVENT_PROG_LOADED, rp);
	kbpf_registry_unlock();
	return 0;

err_unlock:
	kbpf_registry_unlock();
err_free:
	kbpf_reg_prog_free(rp);
	return err;
}

struct kbpf_reg_prog *kbpf_registry_prog_get(u32 id)
{
	struct kbpf_reg_prog *rp;

	kbpf_registry_lock();
	rp = kbpf_registry_prog_find_locked(id, NULL);
	if (rp)
		refcount_inc(&rp->refcnt);
	kbpf_registry_unlock();
	return rp;
}

void kbpf_registry_prog_put(struct kbpf_reg_prog *rp)
{
	/* Unloaded and detached: no hook can reach it any more. */
	if (refcount_dec_and_test(&rp->refcnt))
		kbpf_reg_prog_free(rp);
}

void kbpf_registry_prog_unload_locked(struct kbpf_reg_prog *rp)
{
	lockdep_assert_held(&kbpf_registry_mutex);
	kbpf_nf_detach_prog_locked(rp);
	idr_remove(&kbpf_prog_idr, rp->id);
	kbpf_prog_count--;
	kbpf_genl_notify_prog(KBPF_EVENT_PROG_UNLOADED, rp);
	kbpf_registry_prog_put(rp);
}

void kbpf_registry_prog_read_stats(const struct kbpf_reg_prog *rp,
				   struct kbpf_prog_stats *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct kbpf_prog_stats *s = per_cpu_ptr(rp->stats, cpu);
		u64 cnt, ns, bad;
		unsigned int seq;

		do {
			seq = u64_stats_fetch_begin(&s->syncp);
			cnt = s->run_cnt;
			ns = s->run_time_ns;
			bad = s->bad_verdicts;
		} while (u64_stats_fetch_retry(&s->syncp, seq));
		sum->run_cnt += cnt;
		sum->run_time_ns += ns;
		sum->bad_verdicts += bad;
	}
}

/* ---- maps -------------------------------------------------------------- */

struct kbpf_reg_map *kbpf_registry_map_find_locked(u32 id, const char *name)
{
	struct kbpf_reg_map *rm;
	int i;

	lockdep_assert_held(&kbpf_registry_mutex);
	if (id)
		return id <= INT_MAX ? idr_find(&kbpf_map_idr, id) : NULL;
	if (!name || !name[0])
		return NULL;
	idr_for_each_entry(&kbpf_map_idr, rm, i)
		if (!strcmp(rm->name, name))
			return rm;
	return NULL;
}

struct kbpf_reg_map *kbpf_registry_map_next_locked(u32 *id)
{
	return kbpf_idr_next_locked(&kbpf_map_idr, id);
}

int kbpf_registry_create_map(const struct kbpf_map_attrs *attrs,
			     const char *name, struct kbpf_log *log, u32 *id)
{
	const struct kbpf_limits *limits = kbpf_default_limits();
	struct kbpf_map_create_opts opts = {
		.attrs = attrs,
		.limits = limits,
		.budget = kbpf_maps_budget(),	/* also counts max_maps */
		.log = log,
	};
	struct kbpf_reg_map *rm;
	int err;

	rm = kzalloc(sizeof(*rm), GFP_KERNEL_ACCOUNT);
	if (!rm)
		return -ENOMEM;
	strscpy(rm->name, name, sizeof(rm->name));
	err = kbpf_map_new(&opts, &rm->map);
	if (err)
		goto err_free;

	kbpf_registry_lock();
	if (kbpf_map_count >= limits->max_maps) {
		err = -ENOSPC;
		goto err_unlock;
	}
	if (rm->name[0] && kbpf_registry_map_find_locked(0, rm->name)) {
		err = -EEXIST;
		goto err_unlock;
	}
	err = idr_alloc_cyclic(&kbpf_map_idr, rm, 1, INT_MAX, GFP_KERNEL);
	if (err < 0)
		goto err_unlock;
	rm->id = err;
	rm->map->id = rm->id;
	*id = rm->id;
	kbpf_map_count++;
	kbpf_genl_notify_map(KBPF_EVENT_MAP_CREATED, rm);
	kbpf_registry_unlock();
	return 0;

err_unlock:
	kbpf_registry_unlock();
	kbpf_map_put(rm->map);
err_free:
	kfree(rm);
	return err;
}

struct kbpf_map *kbpf_registry_map_get(u32 id)
{
	struct kbpf_reg_map *rm;
	struct kbpf_map *map = NULL;

	kbpf_registry_lock();
	rm = kbpf_registry_map_find_locked(id, NULL);
	if (rm) {
		map = rm->map;
		kbpf_map_get(map);
	}
	kbpf_registry_unlock();
	return map;
}

struct kbpf_map *kbpf_registry_map_by_id(void *priv, u32 id)
{
	return id ? kbpf_registry_map_get(id) : NULL;
}

int kbpf_registry_map_destroy_locked(struct kbpf_reg_map *rm)
{
	lockdep_assert_held(&kbpf_registry_mutex);
	/*
	 * Beyond the registry's own, references belong to programs and to
	 * element operations in flight; both need the map to stay.  New ones
	 * are only taken under the lock, so the count cannot rise meanwhile.
	 */
	if (kbpf_refcount_read(&rm->map->refcnt) > 1)
		return -EBUSY;
	idr_remove(&kbpf_map_idr, rm->id);
	kbpf_map_count--;
	kbpf_genl_notify_map(KBPF_EVENT_MAP_DESTROYED, rm);
	kbpf_map_put(rm->map);
	kvfree(rm->btf);
	kfree(rm);
	return 0;
}

int kbpf_registry_map_set_btf(u32 id, struct kbpf_map_btf *btf)
{
	struct kbpf_reg_map *rm;
	int err = 0;

	kbpf_registry_lock();
	rm = kbpf_registry_map_find_locked(id, NULL);
	if (!rm)
		err = -ENOENT;
	else if (rm->btf)
		err = -EEXIST;
	else
		rm->btf = btf;
	kbpf_registry_unlock();
	return err;
}

struct kbpf_map_btf *kbpf_registry_map_dup_btf(u32 id)
{
	struct kbpf_map_btf *copy = ERR_PTR(-ENOENT);
	struct kbpf_reg_map *rm;
	size_t size;

	/* Copied under the lock: the map may be destroyed right after. */
	kbpf_registry_lock();
	rm = kbpf_registry_map_find_locked(id, NULL);
	if (rm && !rm->btf) {
		copy = ERR_PTR(-ENODATA);
	} else if (rm) {
		size = struct_size(rm->btf, data, rm->btf->size);
		copy = kvmalloc(size, GFP_KERNEL);
		if (copy)
			memcpy(copy, rm->btf, size);
		else
			copy = ERR_PTR(-ENOMEM);
	}
	kbpf_registry_unlock();
	return copy;
}

/* ---- module lifetime --------------------------------------------------- */

int kbpf_registry_init(void)
{
	const struct kbpf_limits *limits = kbpf_default_limits();

	pr_info("profile %s: up to %u programs of %u instructions, %u maps\n",
		limits->name, limits->max_progs, limits->max_insns,
		limits->max_maps);
	return 0;
}

/*
 * Module removal: the netfilter part has already unhooked every program, and
 * neither the device nor the netlink family can start new operations.
 * Programs go first so that the maps they reference lose those references.
 */
void kbpf_registry_exit(void)
{
	struct kbpf_reg_prog *rp;
	struct kbpf_reg_map *rm;
	int id;

	kbpf_registry_lock();
	idr_for_each_entry(&kbpf_prog_idr, rp, id)
		kbpf_registry_prog_unload_locked(rp);
	idr_for_each_entry(&kbpf_map_idr, rm, id) {
		if (kbpf_refcount_read(&rm->map->refcnt) > 1)
			kbpf_bug("map %u still referenced at exit", rm->id);
		idr_remove(&kbpf_map_idr, rm->id);
		kbpf_map_put(rm->map);
		kvfree(rm->btf);
		kfree(rm);
	}
	kbpf_map_count = 0;
	kbpf_registry_unlock();
	idr_destroy(&kbpf_prog_idr);
	idr_destroy(&kbpf_map_idr);
}
