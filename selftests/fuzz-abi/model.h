/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the fuzzer believes exists in kbpf.ko: the programs and maps it
 * created (and their attachments), plus a shadow copy of small maps'
 * contents.  Every listing of the module is compared against it.
 */
#ifndef KBPF_FUZZ_MODEL_H
#define KBPF_FUZZ_MODEL_H

#include <stdbool.h>
#include <linux/types.h>
#include <linux/kbpf.h>

#include "progs.h"
#include "raw.h"

#define MODEL_MAX_PROGS	64
#define MODEL_MAX_MAPS	48
/* Shadowed maps use keys k = 0 .. SHADOW_KEYS - 1 (k in the first bytes). */
#define SHADOW_KEYS	64
#define SHADOW_VALUE	256

/* One attachment: family index (0 ipv4, 1 ipv6) * 5 + hook, a bit mask. */
#define LINK_BIT(fam, hook) \
	(1U << (((fam) == KBPF_NF_FAMILY_IPV6 ? 5 : 0) + (hook)))

struct mprog {
	bool live;
	__u32 id;
	char name[KBPF_OBJ_NAME_LEN];
	struct gen_prog gen;	/* what was loaded */
	__u32 links;		/* LINK_BIT()s in the initial namespace */
	bool opaque;		/* found in a listing: maps it uses unknown */
};

struct mmap {
	bool live;
	__u32 id;
	char name[KBPF_OBJ_NAME_LEN];
	__u32 type, key_size, value_size, max_entries;
	__u32 btf_size;		/* KBPF_IOC_MAP_SET_BTF'd bytes, 0 for none */
	__u8 btf_head[64];	/* their first bytes */
	/* Programs that use it may change it: only then is the shadow off. */
	bool shadowed;
	bool present[SHADOW_KEYS];
	__u8 value[SHADOW_KEYS][SHADOW_VALUE];
};

struct model {
	struct mprog progs[MODEL_MAX_PROGS];
	struct mmap maps[MODEL_MAX_MAPS];
	const char *prefix;	/* every name we create starts with it */
	bool exclusive;		/* no other worker: everything listed is ours */
	__u32 max_prog_id, max_map_id;	/* ids are never reused */
};

struct mprog *model_prog(struct model *m, __u32 id);
struct mmap *model_map(struct model *m, __u32 id);
struct mprog *model_prog_slot(struct model *m);
struct mmap *model_map_slot(struct model *m);
int model_live_progs(const struct model *m);
int model_live_maps(const struct model *m);
/* Is a map in use by a live program (destroy must fail with EBUSY)? */
enum map_use { MAP_UNUSED, MAP_USED, MAP_MAYBE_USED };
enum map_use model_map_in_use(const struct model *m, __u32 map_id);
/* Can the map shadow its contents (small, of a plain type)? */
bool model_map_shadowable(const struct mmap *mm);

/*
 * Compare a listing with the model; every difference is reported through
 * finding() and counted in the return value.  Objects listed with our
 * prefix that the model lacks (left behind by a request that failed) are
 * reported once and then adopted, so that they are tracked and removed.
 */
int model_check_listing(struct model *m, const struct kraw_list *l,
			void (*finding)(const char *fmt, ...), const char *last_failed);

/* Adopt, without a report, objects we created but could not learn the id of. */
int model_adopt(struct model *m, const struct kraw_list *l);

#endif
