// SPDX-License-Identifier: GPL-2.0
/*
 * Program arrays (KBPF_MAP_TYPE_PROG_ARRAY): the targets of bpf_tail_call().
 *
 * Linux semantics: a u32 key, a u32 value that is a program (here its id,
 * where Linux takes a file descriptor; lookups return the id, as Linux's
 * do), update only with KBPF_ANY, every slot may be empty, and programs
 * can neither read nor write the array (only tail_call takes it).  All
 * programs in one array have one type: the type of the first program
 * stored in it or tail calling through it.
 *
 * References: a slot holds a reference on its program, taken at update
 * and dropped at delete, replace and when the map is freed.  Programs are
 * owned by the glue (the registry), which stores them here under its lock
 * with kbpf_prog_array_update() and drops what comes back; the core only
 * needs struct kbpf_prog_ref_ops to name a program and to drop the
 * references a dying map still holds (without a glue, as in kbpfctl
 * verify, arrays exist but stay empty).  A program that tail calls through
 * an array holds a reference on the map, and the array may hold one on the
 * program: unload breaks that cycle, because it empties every slot that
 * holds the program (kbpf_prog_array_drop_prog()) before dropping its own
 * reference, and waits for the runs that may still be inside it.
 */
#include "map.h"
#include "../helpers.h"

struct kbpf_prog_array {
	struct kbpf_map map;
	u32 owner_type;			/* enum kbpf_prog_type + 1; 0: none yet */
	struct kbpf_prog *progs[];	/* max_entries slots */
};

static const struct kbpf_prog_ref_ops *prog_ref_ops;

void kbpf_set_prog_ref_ops(const struct kbpf_prog_ref_ops *ops)
{
	prog_ref_ops = ops;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_set_prog_ref_ops);

static struct kbpf_prog_array *to_pa(struct kbpf_map *map)
{
	return (struct kbpf_prog_array *)map;
}

static u32 key_index(const void *key)
{
	u32 idx;

	memcpy(&idx, key, sizeof(idx));
	return idx;
}

/* Bind the array to a program type: the first one wins. */
int kbpf_prog_array_bind_type(struct kbpf_map *map, u32 type)
{
	u32 old = kbpf_atomic32_cmpxchg(&to_pa(map)->owner_type, 0, type + 1);

	return old == 0 || old == type + 1 ? 0 : -EINVAL;
}

const struct kbpf_prog *kbpf_prog_array_get(struct kbpf_map *map, u64 index)
{
	if (index >= map->attrs.max_entries)
		return NULL;
	return kbpf_load_acquire_ptr((void *const *)&to_pa(map)->progs[index]);
}

int kbpf_prog_array_update(struct kbpf_map *map, const void *key,
			   struct kbpf_prog *prog, struct kbpf_prog **old)
{
	u32 idx = key_index(key);

	*old = NULL;
	if (map->attrs.type != KBPF_MAP_TYPE_PROG_ARRAY)
		return -EINVAL;
	if (idx >= map->attrs.max_entries)
		return -E2BIG;
	if (kbpf_prog_array_bind_type(map, prog->type))
		return -EINVAL;
	*old = kbpf_xchg_ptr((void **)&to_pa(map)->progs[idx], prog);
	return 0;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_prog_array_update);

int kbpf_prog_array_delete(struct kbpf_map *map, const void *key,
			   struct kbpf_prog **old)
{
	u32 idx = key_index(key);

	*old = NULL;
	if (map->attrs.type != KBPF_MAP_TYPE_PROG_ARRAY)
		return -EINVAL;
	if (idx >= map->attrs.max_entries)
		return -E2BIG;
	*old = kbpf_xchg_ptr((void **)&to_pa(map)->progs[idx], NULL);
	return *old ? 0 : -ENOENT;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_prog_array_delete);

u32 kbpf_prog_array_drop_prog(struct kbpf_map *map, const struct kbpf_prog *prog)
{
	struct kbpf_prog_array *pa = to_pa(map);
	u32 i, n = 0;

	if (map->attrs.type != KBPF_MAP_TYPE_PROG_ARRAY)
		return 0;
	for (i = 0; i < map->attrs.max_entries; i++) {
		if (pa->progs[i] != prog)
			continue;
		kbpf_xchg_ptr((void **)&pa->progs[i], NULL);
		prog_ref_ops->put((struct kbpf_prog *)prog);
		n++;
	}
	return n;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_prog_array_drop_prog);

/* ---- map operations ------------------------------------------------------------ */

static int pa_check(const struct kbpf_map_attrs *attrs,
		    const struct kbpf_limits *limits, struct kbpf_log *log)
{
	int err = kbpf_map_check_sizes(attrs, limits, false, log);

	if (err)
		return err;
	if (attrs->key_size != 4 || attrs->value_size != 4) {
		kbpf_map_log(log, "a prog_array's key_size and value_size must be 4 (an index and a program id), not %u and %u",
			     attrs->key_size, attrs->value_size);
		return -EINVAL;
	}
	return 0;
}

static int pa_cost(const struct kbpf_map_attrs *attrs, u64 *bytes)
{
	return kbpf_mul_add(attrs->max_entries, sizeof(struct kbpf_prog *),
			    sizeof(struct kbpf_prog_array), bytes);
}

static int pa_alloc(const struct kbpf_map_attrs *attrs, struct kbpf_map **mapp)
{
	struct kbpf_prog_array *pa;

	pa = kbpf_zalloc(sizeof(*pa) +
			 (size_t)attrs->max_entries * sizeof(pa->progs[0]));
	if (!pa)
		return -ENOMEM;
	*mapp = &pa->map;
	return 0;
}

static void pa_free(struct kbpf_map *map)
{
	struct kbpf_prog_array *pa = to_pa(map);
	u32 i;

	/* Slots are only ever filled by a glue that lent its ops. */
	for (i = 0; i < map->attrs.max_entries; i++)
		if (pa->progs[i])
			prog_ref_ops->put(pa->progs[i]);
	kbpf_free(pa);
}

/* The id of the program in the slot (userspace lookups, in RCU). */
static int pa_lookup_copy(struct kbpf_map *map, const void *key, void *value)
{
	const struct kbpf_prog *prog = kbpf_prog_array_get(map, key_index(key));
	u32 id;

	if (!prog)
		return -ENOENT;
	id = prog_ref_ops->id(prog);
	memcpy(value, &id, sizeof(id));
	return 0;
}

static int pa_get_next_key(struct kbpf_map *map, const void *key,
			   void *next_key)
{
	u32 idx = key ? key_index(key) : U32_MAX, next;

	next = idx >= map->attrs.max_entries ? 0 : idx + 1;
	if (next >= map->attrs.max_entries)
		return -ENOENT;
	memcpy(next_key, &next, sizeof(next));
	return 0;
}

static bool pa_helper_ok(u32 func_id)
{
	return func_id == KBPF_FUNC_tail_call;
}

/*
 * No update or delete here: slots change only through the glue's
 * kbpf_prog_array_update()/delete(), which hold program references.
 */
const struct kbpf_map_ops kbpf_prog_array_map_ops = {
	.check = pa_check,
	.mem_cost = pa_cost,
	.alloc = pa_alloc,
	.free = pa_free,
	.lookup_copy = pa_lookup_copy,
	.get_next_key = pa_get_next_key,
	.helper_ok = pa_helper_ok,
};
