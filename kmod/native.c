// SPDX-License-Identifier: GPL-2.0
/*
 * Ahead-of-time compiled programs.
 *
 * A module built by `kbpfctl prog build` embeds a program's bytecode, its
 * map definitions and the C translation of the bytecode, compiled.  At its
 * init it calls kbpf_native_register(), which verifies the embedded
 * bytecode under this module's profile (against scratch maps made from the
 * definitions) and refuses what the verifier refuses.  When a program with
 * the same bytecode is later loaded through /dev/kbpf, kbpf_native_bind()
 * makes it run the compiled function instead of the interpreter and pins the
 * module until the program is freed, so the module cannot be removed while
 * its code may run.
 *
 * Trust model: loading a module already takes CAP_SYS_MODULE (and a
 * signature where module signing is enforced), so compiled code is exactly
 * as trusted as any module.  The verifier guards what the bytecode does; the
 * translator (bpf2c) and the compiler are what must be trusted to make the
 * code do the same.  docs/architecture.md has the details.
 *
 * The registration entry and the verification's log come from
 * kbpf_zalloc(), as the scratch maps and the program do: in the embedded
 * profile, inserting a native module takes nothing from the kernel.
 */
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/string.h>

#include "maps.h"
#include "native.h"

#define KBPF_NATIVE_LOG_SIZE	1024

struct kbpf_native_entry {
	struct list_head node;
	struct kbpf_native_prog *np;
};

/* Registered programs; a module's entry lives from its init to its exit. */
static LIST_HEAD(kbpf_natives);
static DEFINE_MUTEX(kbpf_natives_lock);

/* Scratch maps, made from the definitions, to verify the bytecode against. */
struct kbpf_native_maps {
	const struct kbpf_native_prog *np;
	struct kbpf_map *maps[KBPF_MAX_MAPS_PER_NATIVE];
};

static struct kbpf_map *kbpf_native_map_by_id(void *priv, u32 id)
{
	struct kbpf_native_maps *nm = priv;

	if (!id || id > nm->np->map_cnt || !nm->maps[id - 1])
		return NULL;
	kbpf_map_get(nm->maps[id - 1]);
	return nm->maps[id - 1];
}

/*
 * Global data starts with its initial value, and read-only data is then
 * frozen, as a load's maps are (kbpfctl's loader): the verifier reads
 * frozen .rodata as constants, so registration explores what a load does.
 */
static int kbpf_native_map_fill(struct kbpf_map *map,
				const struct kbpf_native_map_def *def)
{
	u32 zero = 0;
	int err;

	if (!def->data && !def->rodata)
		return 0;
	if (def->type != KBPF_MAP_TYPE_ARRAY || def->max_entries != 1)
		return -EINVAL;
	err = def->data ? kbpf_map_update_user(map, &zero, def->data, KBPF_ANY) : 0;
	if (!err && def->rodata)
		err = kbpf_map_freeze(map, NULL);
	return err;
}

/*
 * Charged to the module-wide map budget like any map (and so counted
 * against max_maps) while they exist, which is only for the verification.
 */
static int kbpf_native_map_create(const struct kbpf_native_prog *np,
				  const struct kbpf_native_map_def *def,
				  struct kbpf_map **map)
{
	struct kbpf_map_attrs attrs = {
		.type = def->type,
		.key_size = def->key_size,
		.value_size = def->value_size,
		.max_entries = def->max_entries,
		.flags = def->flags,
	};
	struct kbpf_map_create_opts opts = {
		.attrs = &attrs,
		.limits = kbpf_default_limits(),
		.budget = kbpf_maps_budget(),
	};
	char why[128] = "";
	struct kbpf_log log;
	int err;

	kbpf_log_init(&log, why, sizeof(why), KBPF_LOG_LEVEL_ERRORS);
	opts.log = &log;
	err = kbpf_map_new(&opts, map);
	if (!err) {
		err = kbpf_native_map_fill(*map, def);
		if (err) {
			kbpf_map_put(*map);
			*map = NULL;
			snprintf(why, sizeof(why),
				 "global data must be an array of one element");
		}
	}
	if (err)
		pr_err("native program %s: map %.*s: %s (%d)\n", np->name,
		       (int)sizeof(def->name), def->name, strim(why), err);
	return err;
}

static void kbpf_native_maps_put(struct kbpf_native_maps *nm)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(nm->maps); i++)
		if (nm->maps[i])
			kbpf_map_put(nm->maps[i]);
}

static int kbpf_native_maps_create(struct kbpf_native_maps *nm)
{
	u32 i;
	int err;

	for (i = 0; i < nm->np->map_cnt; i++) {
		err = kbpf_native_map_create(nm->np, &nm->np->maps[i],
					     &nm->maps[i]);
		if (err) {
			kbpf_native_maps_put(nm);
			return err;
		}
	}
	return 0;
}

static int kbpf_native_check(const struct kbpf_native_prog *np)
{
	const struct kbpf_limits *limits = kbpf_default_limits();
	u32 bad;

	if (np->abi_version != KBPF_NATIVE_ABI_VERSION) {
		pr_err("native program: ABI version %u, this kbpf speaks %u: rebuild it with this kbpfctl\n",
		       np->abi_version, KBPF_NATIVE_ABI_VERSION);
		return -EINVAL;
	}
	if (strnlen(np->name, sizeof(np->name)) == sizeof(np->name) ||
	    !np->run || !np->insns || !np->owner ||
	    (np->map_cnt && !np->maps)) {
		pr_err("native program: malformed registration\n");
		return -EINVAL;
	}
	if (np->prog_type == KBPF_PROG_TYPE_UNSPEC) {
		pr_err("native program %s: program type 0 is for tests only\n",
		       np->name);
		return -EINVAL;
	}
	if (!np->insn_cnt || np->insn_cnt > limits->max_insns ||
	    np->map_cnt > min_t(u32, limits->max_maps_per_prog,
				KBPF_MAX_MAPS_PER_NATIVE)) {
		pr_err("native program %s: %u instructions and %u maps exceed the %s profile's limits\n",
		       np->name, np->insn_cnt, np->map_cnt, limits->name);
		return -E2BIG;
	}
	if (!kbpf_native_supported(np->insns, np->insn_cnt, &bad)) {
		pr_err("native program %s: insn %u calls tail_call or loop, which only the interpreter runs\n",
		       np->name, bad);
		return -EOPNOTSUPP;
	}
	return 0;
}

static int kbpf_native_verify(const struct kbpf_native_prog *np)
{
	struct kbpf_native_maps nm = { .np = np };
	struct kbpf_prog_load_opts opts = {
		.type = np->prog_type,
		.insns = np->insns,
		.insn_cnt = np->insn_cnt,
		.limits = kbpf_default_limits(),
		.map_by_id = kbpf_native_map_by_id,
		.map_priv = &nm,
	};
	struct kbpf_prog *prog = NULL;
	struct kbpf_log log;
	char *buf;
	int err;

	buf = kbpf_zalloc(KBPF_NATIVE_LOG_SIZE);
	if (!buf)
		return -ENOMEM;
	err = kbpf_native_maps_create(&nm);
	if (err)
		goto out;
	kbpf_log_init(&log, buf, KBPF_NATIVE_LOG_SIZE, KBPF_LOG_LEVEL_ERRORS);
	opts.log = &log;
	err = kbpf_prog_load(&opts, &prog);
	if (err)
		pr_err("native program %s refused by the verifier (%d): %s\n",
		       np->name, err, strim(buf));
	kbpf_prog_free(prog);
	kbpf_native_maps_put(&nm);
out:
	kbpf_free(buf);
	return err;
}

static struct kbpf_native_entry *kbpf_native_find_locked(const char *name)
{
	struct kbpf_native_entry *e;

	list_for_each_entry(e, &kbpf_natives, node)
		if (!strcmp(e->np->name, name))
			return e;
	return NULL;
}

int kbpf_native_register(struct kbpf_native_prog *np)
{
	struct kbpf_native_entry *e;
	int err;

	err = kbpf_native_check(np) ?: kbpf_native_verify(np);
	if (err)
		return err;
	e = kbpf_zalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->np = np;
	mutex_lock(&kbpf_natives_lock);
	if (kbpf_native_find_locked(np->name)) {
		mutex_unlock(&kbpf_natives_lock);
		kbpf_free(e);
		pr_err("native program %s: a module already registered that name\n",
		       np->name);
		return -EEXIST;
	}
	list_add_tail(&e->node, &kbpf_natives);
	mutex_unlock(&kbpf_natives_lock);
	pr_info("native program %s registered by %s (%u instructions)\n",
		np->name, module_name(np->owner), np->insn_cnt);
	return 0;
}
EXPORT_SYMBOL_GPL(kbpf_native_register);

void kbpf_native_unregister(struct kbpf_native_prog *np)
{
	struct kbpf_native_entry *e;

	mutex_lock(&kbpf_natives_lock);
	e = kbpf_native_find_locked(np->name);
	if (e && e->np == np)
		list_del(&e->node);
	else
		e = NULL;
	mutex_unlock(&kbpf_natives_lock);
	kbpf_free(e);
}
EXPORT_SYMBOL_GPL(kbpf_native_unregister);

static void kbpf_native_module_put(void *owner)
{
	module_put(owner);
}

void kbpf_native_bind(struct kbpf_prog *prog)
{
	struct kbpf_native_entry *e;

	mutex_lock(&kbpf_natives_lock);
	list_for_each_entry(e, &kbpf_natives, node) {
		if (!kbpf_native_matches(prog, e->np) ||
		    !try_module_get(e->np->owner))
			continue;
		if (kbpf_prog_bind_native(prog, e->np->run,
					  kbpf_native_module_put, e->np->owner))
			module_put(e->np->owner);
		break;
	}
	mutex_unlock(&kbpf_natives_lock);
}
