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
 */
#ifndef KBPF_REGISTRY_H
#define KBPF_REGISTRY_H

#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/u64_stats_sync.h>
#include <linux/kbpf.h>

#include "core/kbpf_core.h"

/* Counters of the packets a program ran on, one set per CPU. */
struct kbpf_prog_stats {
	u64 run_cnt;
	u64 run_time_ns;
	u64 bad_verdicts;	/* r0 neither drop nor accept: accepted */
	struct u64_stats_sync syncp;
};

struct kbpf_reg_prog {
	struct kbpf_prog *prog;
	u32 id;
	char name[KBPF_OBJ_NAME_LEN];
	/* The registry's reference plus one per caller using it unlocked. */
	refcount_t refcnt;
	/* struct kbpf_nf_link.prog_node, under the registry lock. */
	struct list_head links;
	struct kbpf_prog_stats __percpu *stats;
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
	struct kbpf_map *map;	/* the registry holds one reference */
	u32 id;
	char name[KBPF_OBJ_NAME_LEN];
	struct kbpf_map_btf *btf;	/* NULL until set, then fixed */
};

int kbpf_registry_init(void);
void kbpf_registry_exit(void);

void kbpf_registry_lock(void);
void kbpf_registry_unlock(void);
void kbpf_registry_assert_locked(void);

/* 0 if name is a valid object name ("" included), else -EINVAL. */
int kbpf_registry_check_name(const char *name, size_t size);

/*
 * Programs.  kbpf_registry_add_prog() takes over prog (freeing it on
 * failure) and returns the new object's id.  The *_find_locked lookups take
 * no reference: the result is valid while the lock is held.  id 0 means
 * "by name".
 */
int kbpf_registry_prog_name_free(const char *name);
int kbpf_registry_add_prog(struct kbpf_prog *prog, const char *name, u32 *id);
struct kbpf_reg_prog *kbpf_registry_prog_find_locked(u32 id, const char *name);
struct kbpf_reg_prog *kbpf_registry_prog_next_locked(u32 *id);
struct kbpf_reg_prog *kbpf_registry_prog_get(u32 id);
void kbpf_registry_prog_put(struct kbpf_reg_prog *rp);
void kbpf_registry_prog_unload_locked(struct kbpf_reg_prog *rp);
void kbpf_registry_prog_read_stats(const struct kbpf_reg_prog *rp,
				   struct kbpf_prog_stats *sum);

/*
 * Maps.  kbpf_registry_map_get() returns a core map with a reference the
 * caller drops with kbpf_map_put(), or NULL.  It is also the map_by_id
 * resolver of program loads.
 */
int kbpf_registry_create_map(const struct kbpf_map_attrs *attrs,
			     const char *name, struct kbpf_log *log, u32 *id);
struct kbpf_reg_map *kbpf_registry_map_find_locked(u32 id, const char *name);
struct kbpf_reg_map *kbpf_registry_map_next_locked(u32 *id);
struct kbpf_map *kbpf_registry_map_get(u32 id);
struct kbpf_map *kbpf_registry_map_by_id(void *priv, u32 id);
int kbpf_registry_map_destroy_locked(struct kbpf_reg_map *rm);
/* Give map id its BTF (consumed on success); -ENOENT, -EEXIST. */
int kbpf_registry_map_set_btf(u32 id, struct kbpf_map_btf *btf);
/* A copy of map id's BTF (kvfree() it); ERR_PTR(-ENOENT or -ENODATA). */
struct kbpf_map_btf *kbpf_registry_map_dup_btf(u32 id);

#endif /* KBPF_REGISTRY_H */
