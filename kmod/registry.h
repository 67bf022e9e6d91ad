/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The object registry: every loaded program and created map, with its id
 * and name.  Objects live until unloaded or destroyed, or until the module
 * goes away.
 *
 * One mutex (kbpf_registry_lock()) serialises every control operation: id
 * and name tables, attach and detach, unload, destroy.  Packets never take
 * it; they reach a program through the netfilter hook's private pointer,
 * which detach clears with nf_unregister_net_hook() before the program can
 * be freed.
 *
 * Every change is announced under the lock, right after it is made, through
 * events.h.  A map destroyed under the lock leaves the id table there, but
 * its last reference is dropped by the kbpf_registry_unlock() that ends the
 * section, after the mutex is released: freeing a map may wait for RCU
 * callbacks, and nothing can find it any more.
 */
#ifndef KBPF_REGISTRY_H
#define KBPF_REGISTRY_H

#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/kbpf.h>

#include "core/kbpf_core.h"
#include "perm.h"

/*
 * What a program ran on.  Packets count in the attachments
 * (struct kbpf_nf_link), not here: a program's figures are its
 * attachments' summed when read, plus those of attachments gone.
 */
struct kbpf_prog_stats {
	u64 run_cnt;
	u64 run_time_ns;	/* while statistics are on */
};

/* What programs and maps have in common: what the id tables hold. */
struct kbpf_reg_obj {
	u32 id;
	char name[KBPF_OBJ_NAME_LEN];
	/* Owning namespace: its pernet exit removes the object first. */
	struct net *owner;
	/* False while reserved: id and name taken, creator not yet told. */
	bool live;
};

struct kbpf_reg_prog {
	struct kbpf_reg_obj obj;
	struct kbpf_prog *prog;
	/* The registry's reference plus one per caller using it unlocked. */
	refcount_t refcnt;
	/* struct kbpf_nf_link.prog_node, under the registry lock. */
	struct list_head links;
	/* Runs through attachments freed since, under the registry lock. */
	struct kbpf_prog_stats gone;
};

/*
 * A map's BTF as userspace gave it (KBPF_IOC_MAP_SET_BTF): kept for tools
 * that print elements typed, never interpreted by kbpf.
 */
struct kbpf_map_btf {
	u32 size;
	u32 key_type_id;
	u32 value_type_id;
	u8 data[];
};

struct kbpf_reg_map {
	struct kbpf_reg_obj obj;
	struct kbpf_map *map;	/* the registry holds one reference */
	struct kbpf_map_btf *btf;	/* NULL until set, then fixed */
	/* Destroyed: on the list kbpf_registry_unlock() releases. */
	struct list_head unlinked_node;
};

int kbpf_registry_init(void);
void kbpf_registry_exit(void);

void kbpf_registry_lock(void);
void kbpf_registry_unlock(void);
void kbpf_registry_assert_locked(void);
/* For rcu_dereference_protected(): held by someone (lockdep checks who). */
bool kbpf_registry_is_locked(void);

/* 0 if name is a valid object name ("" included), else -EINVAL. */
int kbpf_registry_check_name(const char *name, size_t size);

/*
 * Creation is two steps, so that an object appears only once its creator
 * has been told its id: *_reserve() takes the count, the id and the name and
 * returns the object, invisible to every lookup and dump; *_commit() makes
 * it visible and announces it, *_abort() frees it again as if it had never
 * been.  The creator owns a reserved object exclusively; nothing else can
 * find it, so no lock is needed in between.
 *
 * Lookups take the caller (perm.h) and return ERR_PTR(-ENOENT) for what it
 * may not see and ERR_PTR(-EPERM) when it may see nothing at all.  id 0 means
 * "by name"; names are unique within the owning namespace, and a lookup by
 * name searches the caller's namespace, then, for the initial admin, the
 * initial namespace, then every namespace (-ENOTUNIQ if several have it).  The *_locked lookups take no
 * reference: the result is valid while the lock is held.
 */

/*
 * "embedded pool exhausted: N of M bytes in use, for WHAT" (or why else
 * memory ran out) into log; returns -ENOMEM.
 */
int kbpf_registry_log_nomem(struct kbpf_log *log, const char *what);

/*
 * Programs.  The registry entry is allocated before the load, so that a
 * full pool is reported in the load's log; kbpf_registry_prog_reserve()
 * takes over rp and prog, freeing both on failure, and says in log why it
 * failed (the log is finished after it, so a refusal has its reason).
 */
int kbpf_registry_prog_name_free(const struct kbpf_caller *c, const char *name);
/*
 * -ENOSPC, saying so in log, when max_progs programs exist: checked before
 * the verifier runs (the reservation after it checks again).
 */
int kbpf_registry_prog_room(struct kbpf_log *log);
/* Programs holding an id, reserved ones included. */
u32 kbpf_registry_prog_count(void);
struct kbpf_reg_prog *kbpf_registry_prog_new(void);
void kbpf_registry_prog_discard(struct kbpf_reg_prog *rp);
int kbpf_registry_prog_reserve(const struct kbpf_caller *c,
			       struct kbpf_reg_prog *rp,
			       struct kbpf_prog *prog, const char *name,
			       struct kbpf_log *log);
void kbpf_registry_prog_commit(struct kbpf_reg_prog *rp);
void kbpf_registry_prog_abort(struct kbpf_reg_prog *rp);
struct kbpf_reg_prog *kbpf_registry_prog_find_locked(const struct kbpf_caller *c,
						     u32 id, const char *name);
/* The visible program with the least id >= *id, setting *id; or NULL. */
struct kbpf_reg_prog *kbpf_registry_prog_next_locked(const struct kbpf_caller *c,
						     u32 *id);
/* A reference the caller drops with kbpf_registry_prog_put(), or ERR_PTR. */
struct kbpf_reg_prog *kbpf_registry_prog_get(const struct kbpf_caller *c,
					     u32 id);
void kbpf_registry_prog_put(struct kbpf_reg_prog *rp);
void kbpf_registry_prog_unload_locked(struct kbpf_reg_prog *rp);
/* Under the registry lock: what rp ran on, through every attachment. */
void kbpf_registry_prog_read_stats(const struct kbpf_reg_prog *rp,
				   struct kbpf_prog_stats *sum);

/*
 * Maps.  kbpf_registry_map_get() returns a core map with a reference the
 * caller drops with kbpf_map_put(), or ERR_PTR.  kbpf_registry_map_by_id()
 * is the map_by_id resolver of program loads; its priv is the loading
 * struct kbpf_caller, so a program references only maps its loader sees.
 */
struct kbpf_reg_map *kbpf_registry_map_reserve(const struct kbpf_caller *c,
					       const struct kbpf_map_attrs *attrs,
					       const char *name,
					       struct kbpf_log *log);
void kbpf_registry_map_commit(struct kbpf_reg_map *rm);
void kbpf_registry_map_abort(struct kbpf_reg_map *rm);
struct kbpf_reg_map *kbpf_registry_map_find_locked(const struct kbpf_caller *c,
						   u32 id, const char *name);
struct kbpf_reg_map *kbpf_registry_map_next_locked(const struct kbpf_caller *c,
						   u32 *id);
struct kbpf_map *kbpf_registry_map_get(const struct kbpf_caller *c, u32 id);
struct kbpf_map *kbpf_registry_map_by_id(void *priv, u32 id);
/*
 * -EBUSY while anything but the registry holds a reference; else rm is
 * gone from every lookup, its event sent, and the kbpf_registry_unlock()
 * ending the section drops its reference and frees rm, after the mutex.
 */
int kbpf_registry_map_destroy_locked(struct kbpf_reg_map *rm);
/* Give map id its BTF (consumed on success); lookup errors, -EEXIST. */
int kbpf_registry_map_set_btf(const struct kbpf_caller *c, u32 id,
			      struct kbpf_map_btf *btf);
/*
 * Map id's BTF: its header into *hdr (data[] left out) and up to len bytes
 * of its data from off into buf; the bytes copied, or a lookup error or
 * -ENODATA.  A map's BTF never changes once set, so pieces read one after
 * another make up one BTF: the caller needs no copy of it.
 */
int kbpf_registry_map_read_btf(const struct kbpf_caller *c, u32 id, u32 off,
			       void *buf, u32 len, struct kbpf_map_btf *hdr);

/* KBPF_IOC_MAP_UPDATE/DELETE on a program array: slots hold programs. */
int kbpf_registry_prog_array_update(const struct kbpf_caller *c,
				    struct kbpf_map *map, const void *key,
				    const void *value, u64 flags);
int kbpf_registry_prog_array_delete(struct kbpf_map *map, const void *key);

#endif /* KBPF_REGISTRY_H */
