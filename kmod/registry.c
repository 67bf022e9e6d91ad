// SPDX-License-Identifier: GPL-2.0
/*
 * The object registry: ids, names, lifetimes and limits of programs and maps.
 *
 * Ids come from fixed id tables (core/idtab.c), one slot per object the
 * profile allows (max_progs, max_maps), reserved at load: cyclic from 1, so
 * an id is never 0 and is not handed out again until the 31-bit space
 * wraps, and neither creating nor destroying an object allocates for its id.  Names, when not empty, are
 * unique within each kind and owning namespace.  Who sees what is perm.c's
 * decision; every lookup and dump step here asks it.  A program holds a reference to every map it
 * uses (taken by kbpf_registry_map_by_id() during the load), which is how a
 * map destroy knows to fail with -EBUSY.
 */
#include <linux/ctype.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/net_namespace.h>

#include "registry.h"
#include "core/idtab.h"
#include "netfilter.h"
#include "events.h"
#include "maps.h"

static DEFINE_MUTEX(kbpf_registry_mutex);

/*
 * Maps taken out of the id table under the lock, waiting for the unlock
 * that releases them (kbpf_registry_unlock()); under the lock.
 */
static LIST_HEAD(kbpf_maps_unlinked);

static void kbpf_reg_maps_release(struct list_head *unlinked);

/*
 * One kind of object: id -> struct kbpf_reg_obj, reserved ones too; the
 * table's size is the profile's limit, so its use is the object count.
 */
struct kbpf_reg_kind {
	struct kbpf_idtab ids;
};

static struct kbpf_reg_kind kbpf_progs;
static struct kbpf_reg_kind kbpf_maps;

void kbpf_registry_lock(void)
{
	mutex_lock(&kbpf_registry_mutex);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_registry_lock);

/*
 * Maps destroyed in the section are released after the mutex: a map's last
 * put may wait for RCU callbacks (kbpf_rcu_barrier() of hash and trie
 * maps), which must not hold up every other control operation.  Nothing can
 * find them any more: they left the id table under the lock.
 */
void kbpf_registry_unlock(void)
{
	LIST_HEAD(unlinked);

	list_splice_init(&kbpf_maps_unlinked, &unlinked);
	mutex_unlock(&kbpf_registry_mutex);
	kbpf_reg_maps_release(&unlinked);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_registry_unlock);

void kbpf_registry_assert_locked(void)
{
	lockdep_assert_held(&kbpf_registry_mutex);
}

bool kbpf_registry_is_locked(void)
{
	return mutex_is_locked(&kbpf_registry_mutex);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_registry_is_locked);

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

/* ---- either kind ------------------------------------------------------- */

/* Reserved objects count: their names are taken. */
static struct kbpf_reg_obj *kbpf_obj_by_name_locked(struct kbpf_reg_kind *k,
						    const struct net *net,
						    const char *name)
{
	struct kbpf_reg_obj *obj;
	u32 i;

	if (!name || !name[0])
		return NULL;
	kbpf_idtab_for_each(&k->ids, obj, i)
		if (net_eq(obj->owner, net) && !strcmp(obj->name, name))
			return obj;
	return NULL;
}

/*
 * The initial admin's lookup by a name its own namespace does not have: the
 * initial namespace's object of that name, else the only live one of any
 * namespace; a name several namespaces use needs the id (-ENOTUNIQ).
 */
static struct kbpf_reg_obj *
kbpf_obj_by_name_elsewhere_locked(struct kbpf_reg_kind *k,
				  const struct net *except, const char *name)
{
	struct kbpf_reg_obj *obj, *found = NULL;
	u32 i;

	obj = kbpf_obj_by_name_locked(k, &init_net, name);
	if (obj || !name || !name[0])
		return obj;
	kbpf_idtab_for_each(&k->ids, obj, i) {
		if (!obj->live || net_eq(obj->owner, except) ||
		    strcmp(obj->name, name))
			continue;
		if (found)
			return ERR_PTR(-ENOTUNIQ);
		found = obj;
	}
	return found;
}

/* By id, or by name in the caller's namespace; what c may see, or ERR_PTR. */
static struct kbpf_reg_obj *kbpf_obj_find_locked(struct kbpf_reg_kind *k,
						 const struct kbpf_caller *c,
						 u32 id, const char *name)
{
	struct kbpf_reg_obj *obj;
	int err;

	lockdep_assert_held(&kbpf_registry_mutex);
	if (id)
		obj = kbpf_idtab_find(&k->ids, id);
	else
		obj = kbpf_obj_by_name_locked(k, c->net, name);
	/* The initial admin also names what it sees elsewhere (see below). */
	if (!id && !obj && c->init_admin)
		obj = kbpf_obj_by_name_elsewhere_locked(k, c->net, name);
	if (IS_ERR(obj))
		return obj;
	if (obj && !obj->live)
		obj = NULL;
	/* Not found looks like not visible, once c may look at all. */
	err = kbpf_perm_check(c, KBPF_PERM_USE, obj ? obj->owner : c->net);
	if (err)
		return ERR_PTR(err);
	return obj ?: ERR_PTR(-ENOENT);
}

static struct kbpf_reg_obj *kbpf_obj_next_locked(struct kbpf_reg_kind *k,
						 const struct kbpf_caller *c,
						 u32 *id)
{
	struct kbpf_reg_obj *obj;
	u32 next = *id;

	lockdep_assert_held(&kbpf_registry_mutex);
	for (; (obj = kbpf_idtab_next(&k->ids, &next)); next++) {
		if (obj->live && !kbpf_perm_check(c, KBPF_PERM_USE, obj->owner)) {
			*id = next;
			return obj;
		}
	}
	return NULL;
}

/* Take a count, an id and the name for obj, owned by c's namespace. */
static int kbpf_obj_reserve_locked(struct kbpf_reg_kind *k, u32 max,
				   struct kbpf_reg_obj *obj,
				   const struct kbpf_caller *c,
				   const char *name)
{
	lockdep_assert_held(&kbpf_registry_mutex);
	if (k->ids.used >= max)
		return -ENOSPC;
	if (kbpf_obj_by_name_locked(k, c->net, name))
		return -EEXIST;
	strscpy(obj->name, name, sizeof(obj->name));
	obj->owner = c->net;
	obj->live = false;
	return kbpf_idtab_alloc(&k->ids, obj, &obj->id);
}

static void kbpf_obj_remove_locked(struct kbpf_reg_kind *k,
				   struct kbpf_reg_obj *obj)
{
	lockdep_assert_held(&kbpf_registry_mutex);
	if (kbpf_idtab_remove(&k->ids, obj->id) != obj)
		kbpf_bug("%s id %u not in its table", obj->name, obj->id);
}

/* To the object's namespace (events.h), after the change, under the lock. */
static void kbpf_obj_announce_locked(enum kbpf_event type,
				     const struct kbpf_reg_obj *obj)
{
	struct kbpf_obj_event ev = {
		.type = type,
		.net = obj->owner,
		.obj = obj,
	};

	kbpf_events_notify(&ev);
}

/* ---- programs ---------------------------------------------------------- */

static struct kbpf_reg_prog *kbpf_reg_prog_of(struct kbpf_reg_obj *obj)
{
	return IS_ERR_OR_NULL(obj) ? ERR_CAST(obj) :
	       container_of(obj, struct kbpf_reg_prog, obj);
}

struct kbpf_reg_prog *kbpf_registry_prog_find_locked(const struct kbpf_caller *c,
						     u32 id, const char *name)
{
	return kbpf_reg_prog_of(kbpf_obj_find_locked(&kbpf_progs, c, id, name));
}
KBPF_EXPORT_FOR_KUNIT(kbpf_registry_prog_find_locked);

struct kbpf_reg_prog *kbpf_registry_prog_next_locked(const struct kbpf_caller *c,
						     u32 *id)
{
	return kbpf_reg_prog_of(kbpf_obj_next_locked(&kbpf_progs, c, id));
}

int kbpf_registry_prog_name_free(const struct kbpf_caller *c, const char *name)
{
	int err = 0;

	kbpf_registry_lock();
	if (kbpf_obj_by_name_locked(&kbpf_progs, c->net, name))
		err = -EEXIST;
	kbpf_registry_unlock();
	return err;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_registry_prog_name_free);

static void kbpf_reg_prog_free(struct kbpf_reg_prog *rp)
{
	kbpf_prog_free(rp->prog);
	kbpf_free(rp);
}

int kbpf_registry_log_nomem(struct kbpf_log *log, const char *what)
{
	char why[96];

	kbpf_mem_describe(why, sizeof(why));
	kbpf_log_printf(log, "%s, for %s", why, what);
	return -ENOMEM;
}

int kbpf_registry_prog_room(struct kbpf_log *log)
{
	u32 max = kbpf_default_limits()->max_progs;
	bool full;

	kbpf_registry_lock();
	full = kbpf_progs.ids.used >= max;
	kbpf_registry_unlock();
	if (!full)
		return 0;
	kbpf_log_printf(log, "there are already %u programs, the limit\n", max);
	return -ENOSPC;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_registry_prog_room);

/* Programs holding an id, reserved ones included (tests check counts). */
u32 kbpf_registry_prog_count(void)
{
	u32 n;

	kbpf_registry_lock();
	n = kbpf_progs.ids.used;
	kbpf_registry_unlock();
	return n;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_registry_prog_count);

/*
 * Registry objects come from kbpf_zalloc(), as the core's do: the embedded
 * pool, or memory charged to the caller's memory cgroup.
 */
struct kbpf_reg_prog *kbpf_registry_prog_new(void)
{
	struct kbpf_reg_prog *rp;

	rp = kbpf_zalloc(sizeof(*rp));
	if (!rp)
		return NULL;
	refcount_set(&rp->refcnt, 1);
	INIT_LIST_HEAD(&rp->links);
	return rp;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_registry_prog_new);

void kbpf_registry_prog_discard(struct kbpf_reg_prog *rp)
{
	if (rp)
		kbpf_reg_prog_free(rp);
}

int kbpf_registry_prog_reserve(const struct kbpf_caller *c,
			       struct kbpf_reg_prog *rp,
			       struct kbpf_prog *prog, const char *name,
			       struct kbpf_log *log)
{
	u32 max = kbpf_default_limits()->max_progs;
	int err;

	rp->prog = prog;
	prog->owner = rp;
	kbpf_registry_lock();
	err = kbpf_obj_reserve_locked(&kbpf_progs, max, &rp->obj, c, name);
	kbpf_registry_unlock();
	/* Another load took the room or the name while this one verified. */
	if (err == -ENOSPC)
		kbpf_log_printf(log, "there are already %u programs, the limit\n",
				max);
	else if (err == -EEXIST)
		kbpf_log_printf(log, "a program named '%s' was loaded meanwhile\n",
				name);
	if (err)
		kbpf_reg_prog_free(rp);
	return err;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_registry_prog_reserve);

void kbpf_registry_prog_commit(struct kbpf_reg_prog *rp)
{
	kbpf_registry_lock();
	rp->obj.live = true;
	kbpf_obj_announce_locked(KBPF_EVENT_PROG_LOADED, &rp->obj);
	kbpf_registry_unlock();
}
KBPF_EXPORT_FOR_KUNIT(kbpf_registry_prog_commit);

void kbpf_registry_prog_abort(struct kbpf_reg_prog *rp)
{
	kbpf_registry_lock();
	kbpf_obj_remove_locked(&kbpf_progs, &rp->obj);
	kbpf_registry_unlock();
	kbpf_reg_prog_free(rp);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_registry_prog_abort);

struct kbpf_reg_prog *kbpf_registry_prog_get(const struct kbpf_caller *c,
					     u32 id)
{
	struct kbpf_reg_prog *rp;

	kbpf_registry_lock();
	rp = kbpf_registry_prog_find_locked(c, id, NULL);
	if (!IS_ERR(rp))
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

/*
 * Empty every program array slot holding rp, then wait for the runs that
 * may have entered it by a tail call before the slot emptied.  This is
 * what lets a program array and the programs in it (which may tail call
 * through it) go away: no reference cycle survives an unload.
 */
static struct kbpf_reg_map *kbpf_reg_map_of(struct kbpf_reg_obj *obj);

static void kbpf_registry_drop_tail_calls_locked(struct kbpf_reg_prog *rp)
{
	struct kbpf_reg_obj *obj;
	u32 dropped = 0;
	u32 i;

	kbpf_idtab_for_each(&kbpf_maps.ids, obj, i) {
		/* A map being created holds its id before it has a map. */
		if (!obj->live)
			continue;
		dropped += kbpf_prog_array_drop_prog(kbpf_reg_map_of(obj)->map,
						     rp->prog);
	}
	if (dropped)
		synchronize_rcu();
}

void kbpf_registry_prog_unload_locked(struct kbpf_reg_prog *rp)
{
	lockdep_assert_held(&kbpf_registry_mutex);
	kbpf_nf_detach_prog_locked(rp);
	kbpf_registry_drop_tail_calls_locked(rp);
	kbpf_obj_remove_locked(&kbpf_progs, &rp->obj);
	kbpf_obj_announce_locked(KBPF_EVENT_PROG_UNLOADED, &rp->obj);
	kbpf_registry_prog_put(rp);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_registry_prog_unload_locked);

/*
 * Packets count in the attachments only (one block per run instead of
 * three), so a program's figures are summed here: exact, since an
 * attachment is folded into rp->gone only after its last run, and both
 * happen under the lock held here.
 */
void kbpf_registry_prog_read_stats(const struct kbpf_reg_prog *rp,
				   struct kbpf_prog_stats *sum)
{
	lockdep_assert_held(&kbpf_registry_mutex);
	*sum = rp->gone;
	kbpf_nf_add_prog_stats_locked(rp, sum);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_registry_prog_read_stats);

/* ---- maps -------------------------------------------------------------- */

static struct kbpf_reg_map *kbpf_reg_map_of(struct kbpf_reg_obj *obj)
{
	return IS_ERR_OR_NULL(obj) ? ERR_CAST(obj) :
	       container_of(obj, struct kbpf_reg_map, obj);
}

struct kbpf_reg_map *kbpf_registry_map_find_locked(const struct kbpf_caller *c,
						   u32 id, const char *name)
{
	return kbpf_reg_map_of(kbpf_obj_find_locked(&kbpf_maps, c, id, name));
}
KBPF_EXPORT_FOR_KUNIT(kbpf_registry_map_find_locked);

struct kbpf_reg_map *kbpf_registry_map_next_locked(const struct kbpf_caller *c,
						   u32 *id)
{
	return kbpf_reg_map_of(kbpf_obj_next_locked(&kbpf_maps, c, id));
}

/*
 * The count, id and name are taken before the map is allocated, so that a
 * caller over max_maps or with a name in use costs no memory.  log gets the
 * reason a map is refused.
 */
struct kbpf_reg_map *kbpf_registry_map_reserve(const struct kbpf_caller *c,
					       const struct kbpf_map_attrs *attrs,
					       const char *name,
					       struct kbpf_log *log)
{
	struct kbpf_map_create_opts opts = {
		.attrs = attrs,
		.limits = kbpf_default_limits(),
		.budget = kbpf_maps_budget(),	/* also counts max_maps */
		.log = log,
	};
	struct kbpf_reg_map *rm;
	int err;

	rm = kbpf_zalloc(sizeof(*rm));
	if (!rm) {
		kbpf_registry_log_nomem(log, "the map's registry entry");
		return ERR_PTR(-ENOMEM);
	}
	kbpf_registry_lock();
	err = kbpf_obj_reserve_locked(&kbpf_maps,
				      kbpf_default_limits()->max_maps,
				      &rm->obj, c, name);
	kbpf_registry_unlock();
	if (err == -ENOSPC)
		kbpf_log_printf(log, "there are already %u maps, the limit",
				opts.limits->max_maps);
	if (err) {
		kbpf_free(rm);
		return ERR_PTR(err);
	}
	err = kbpf_map_new(&opts, &rm->map);
	if (err) {
		rm->map = NULL;
		kbpf_registry_map_abort(rm);
		return ERR_PTR(err);
	}
	rm->map->id = rm->obj.id;
	return rm;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_registry_map_reserve);

void kbpf_registry_map_commit(struct kbpf_reg_map *rm)
{
	kbpf_registry_lock();
	rm->obj.live = true;
	kbpf_obj_announce_locked(KBPF_EVENT_MAP_CREATED, &rm->obj);
	kbpf_registry_unlock();
}
KBPF_EXPORT_FOR_KUNIT(kbpf_registry_map_commit);

/* rm's map reference, BTF and entry, outside the lock. */
static void kbpf_reg_map_release(struct kbpf_reg_map *rm)
{
	lockdep_assert_not_held(&kbpf_registry_mutex);
	if (rm->map)
		kbpf_map_put(rm->map);
	kbpf_free(rm->btf);
	kbpf_free(rm);
}

static void kbpf_reg_maps_release(struct list_head *unlinked)
{
	struct kbpf_reg_map *rm, *tmp;

	list_for_each_entry_safe(rm, tmp, unlinked, unlinked_node)
		kbpf_reg_map_release(rm);
}

void kbpf_registry_map_abort(struct kbpf_reg_map *rm)
{
	kbpf_registry_lock();
	kbpf_obj_remove_locked(&kbpf_maps, &rm->obj);
	kbpf_registry_unlock();
	kbpf_reg_map_release(rm);
}

struct kbpf_map *kbpf_registry_map_get(const struct kbpf_caller *c, u32 id)
{
	struct kbpf_reg_map *rm;
	struct kbpf_map *map;

	kbpf_registry_lock();
	rm = kbpf_registry_map_find_locked(c, id, NULL);
	if (IS_ERR(rm)) {
		map = ERR_CAST(rm);
	} else {
		map = rm->map;
		kbpf_map_get(map);
	}
	kbpf_registry_unlock();
	return map;
}

struct kbpf_map *kbpf_registry_map_by_id(void *priv, u32 id)
{
	struct kbpf_map *map;

	if (!id)
		return NULL;
	map = kbpf_registry_map_get(priv, id);
	return IS_ERR(map) ? NULL : map;
}

/* Out of the id table now; released by the unlock ending this section. */
static void kbpf_reg_map_unlink_locked(struct kbpf_reg_map *rm)
{
	kbpf_obj_remove_locked(&kbpf_maps, &rm->obj);
	list_add_tail(&rm->unlinked_node, &kbpf_maps_unlinked);
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
	kbpf_obj_announce_locked(KBPF_EVENT_MAP_DESTROYED, &rm->obj);
	kbpf_reg_map_unlink_locked(rm);
	return 0;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_registry_map_destroy_locked);

int kbpf_registry_map_set_btf(const struct kbpf_caller *c, u32 id,
			      struct kbpf_map_btf *btf)
{
	struct kbpf_reg_map *rm;
	int err = 0;

	kbpf_registry_lock();
	rm = kbpf_registry_map_find_locked(c, id, NULL);
	if (IS_ERR(rm))
		err = PTR_ERR(rm);
	else if (rm->btf)
		err = -EEXIST;
	else
		rm->btf = btf;
	kbpf_registry_unlock();
	return err;
}

int kbpf_registry_map_read_btf(const struct kbpf_caller *c, u32 id, u32 off,
			       void *buf, u32 len, struct kbpf_map_btf *hdr)
{
	struct kbpf_reg_map *rm;
	int n;

	/* Read under the lock: the map may be destroyed right after. */
	kbpf_registry_lock();
	rm = kbpf_registry_map_find_locked(c, id, NULL);
	if (IS_ERR(rm)) {
		n = PTR_ERR(rm);
	} else if (!rm->btf) {
		n = -ENODATA;
	} else {
		memcpy(hdr, rm->btf, sizeof(*hdr));
		n = off < hdr->size ? min(len, hdr->size - off) : 0;
		if (n)
			memcpy(buf, rm->btf->data + off, n);
	}
	kbpf_registry_unlock();
	return n;
}

/* ---- namespaces -------------------------------------------------------- */

/*
 * A namespace is going away: so do its objects.  Its programs are unloaded
 * (netfilter's pre_exit has already unhooked them).  A map that a program
 * of another namespace still uses (only the initial admin can make such a
 * reference) passes to the initial namespace instead.
 */
static void __net_exit kbpf_registry_net_exit(struct net *net)
{
	struct kbpf_reg_obj *obj;
	struct kbpf_reg_map *rm;
	u32 i;

	kbpf_registry_lock();
	kbpf_idtab_for_each(&kbpf_progs.ids, obj, i)
		if (net_eq(obj->owner, net))
			kbpf_registry_prog_unload_locked(kbpf_reg_prog_of(obj));
	kbpf_idtab_for_each(&kbpf_maps.ids, obj, i) {
		if (!net_eq(obj->owner, net))
			continue;
		rm = kbpf_reg_map_of(obj);
		if (kbpf_registry_map_destroy_locked(rm) == -EBUSY)
			obj->owner = &init_net;
	}
	kbpf_registry_unlock();
}

static struct pernet_operations kbpf_registry_net_ops = {
	.exit = kbpf_registry_net_exit,
};

/* ---- module lifetime --------------------------------------------------- */

/*
 * Program array slots from userspace: under the registry lock, so that a
 * program being unloaded (which empties every slot holding it) cannot be
 * stored meanwhile.  The reference dropped for the old program is never
 * the last: a program in an array is still loaded.
 */
int kbpf_registry_prog_array_update(const struct kbpf_caller *c,
				    struct kbpf_map *map, const void *key,
				    const void *value, u64 flags)
{
	struct kbpf_prog *old = NULL;
	struct kbpf_reg_prog *rp;
	u32 id;
	int err;

	if (flags != KBPF_ANY)
		return -EINVAL;
	memcpy(&id, value, sizeof(id));
	kbpf_registry_lock();
	rp = kbpf_registry_prog_find_locked(c, id, NULL);
	if (IS_ERR(rp)) {
		err = PTR_ERR(rp);
	} else {
		refcount_inc(&rp->refcnt);
		err = kbpf_prog_array_update(map, key, rp->prog, &old);
		if (err)
			kbpf_registry_prog_put(rp);
	}
	kbpf_registry_unlock();
	if (old)
		kbpf_registry_prog_put(old->owner);
	return err;
}

int kbpf_registry_prog_array_delete(struct kbpf_map *map, const void *key)
{
	struct kbpf_prog *old;
	int err;

	kbpf_registry_lock();
	err = kbpf_prog_array_delete(map, key, &old);
	kbpf_registry_unlock();
	if (old)
		kbpf_registry_prog_put(old->owner);
	return err;
}

/* What program arrays need of the registry. */
static void kbpf_registry_ref_put(struct kbpf_prog *prog)
{
	kbpf_registry_prog_put(prog->owner);
}

static u32 kbpf_registry_ref_id(const struct kbpf_prog *prog)
{
	return ((const struct kbpf_reg_prog *)prog->owner)->obj.id;
}

static const struct kbpf_prog_ref_ops kbpf_registry_ref_ops = {
	.put = kbpf_registry_ref_put,
	.id = kbpf_registry_ref_id,
};

/*
 * One slot per object the profile allows, from kbpf_zalloc() (the embedded
 * pool) at load: 16 bytes a slot, 2 KiB for embedded's 64 + 64, 32 KiB for
 * cloud's 1024 + 1024.  That is why both profiles use it: an IDR would
 * save cloud little and allocate on every create.
 */
static int kbpf_reg_kind_init(struct kbpf_reg_kind *k, u32 max)
{
	size_t bytes = kbpf_idtab_bytes(max);
	struct kbpf_idtab_slot *slots;

	slots = bytes ? kbpf_zalloc(bytes) : NULL;
	if (!slots)
		return -ENOMEM;
	kbpf_idtab_init(&k->ids, slots, max, INT_MAX);
	return 0;
}

static void kbpf_reg_kind_exit(struct kbpf_reg_kind *k)
{
	if (k->ids.used)
		kbpf_bug("%u ids still in use at exit", k->ids.used);
	kbpf_free(k->ids.slots);
	memset(&k->ids, 0, sizeof(k->ids));
}

int kbpf_registry_init(void)
{
	const struct kbpf_limits *limits = kbpf_default_limits();
	int err;

	err = kbpf_reg_kind_init(&kbpf_progs, limits->max_progs);
	if (!err)
		err = kbpf_reg_kind_init(&kbpf_maps, limits->max_maps);
	if (!err)
		err = register_pernet_subsys(&kbpf_registry_net_ops);
	if (err) {
		kbpf_reg_kind_exit(&kbpf_maps);
		kbpf_reg_kind_exit(&kbpf_progs);
		return err;
	}
	kbpf_set_prog_ref_ops(&kbpf_registry_ref_ops);
	pr_info("profile %s: up to %u programs of %u instructions, %u maps\n",
		limits->name, limits->max_progs, limits->max_insns,
		limits->max_maps);
	return 0;
}

/*
 * Module removal: the netfilter part has already unhooked every program, and
 * neither the device nor the netlink family can start new operations.
 * Leaving every namespace removes every object: programs first, so that the
 * maps they reference lose those references.
 */
void kbpf_registry_exit(void)
{
	struct kbpf_reg_obj *obj;
	u32 i;

	unregister_pernet_subsys(&kbpf_registry_net_ops);
	/* Maps handed to a namespace already left, once their users are gone. */
	kbpf_registry_lock();
	kbpf_idtab_for_each(&kbpf_progs.ids, obj, i)
		kbpf_registry_prog_unload_locked(kbpf_reg_prog_of(obj));
	kbpf_idtab_for_each(&kbpf_maps.ids, obj, i) {
		struct kbpf_reg_map *rm = kbpf_reg_map_of(obj);

		if (kbpf_refcount_read(&rm->map->refcnt) > 1)
			kbpf_bug("map %u still referenced at exit", obj->id);
		kbpf_reg_map_unlink_locked(rm);
	}
	/* Which releases the maps. */
	kbpf_registry_unlock();
	kbpf_reg_kind_exit(&kbpf_maps);
	kbpf_reg_kind_exit(&kbpf_progs);
}
