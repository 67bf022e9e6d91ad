// SPDX-License-Identifier: GPL-2.0
/*
 * The default helper set, numbered as the Linux kernel numbers them
 * (BPF_FUNC_*) so that programs built against libbpf's bpf_helpers.h call
 * the same functions here.  Each entry also tells the verifier what its
 * arguments must be and what it returns.
 *
 * trace_printk (6) is deliberately absent: formatting with a program-chosen
 * format string needs its own checker before it can be offered safely.
 */
#include "kbpf_core.h"

static void *u64_to_ptr(u64 v)
{
	return (void *)(uintptr_t)v;
}

static u64 helper_map_lookup_elem(u64 map, u64 key, u64 r3, u64 r4, u64 r5)
{
	return (u64)(uintptr_t)kbpf_map_lookup_elem(u64_to_ptr(map),
						    u64_to_ptr(key));
}

static u64 helper_map_update_elem(u64 map, u64 key, u64 value, u64 flags,
				  u64 r5)
{
	return (u64)(s64)kbpf_map_update_elem(u64_to_ptr(map), u64_to_ptr(key),
					      u64_to_ptr(value), flags);
}

static u64 helper_map_delete_elem(u64 map, u64 key, u64 r3, u64 r4, u64 r5)
{
	return (u64)(s64)kbpf_map_delete_elem(u64_to_ptr(map),
					      u64_to_ptr(key));
}

static u64 helper_ktime_get_ns(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return kbpf_ktime_get_ns();
}

static u64 helper_get_prandom_u32(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return kbpf_prandom_u32();
}

static u64 helper_get_smp_processor_id(u64 r1, u64 r2, u64 r3, u64 r4,
				       u64 r5)
{
	return kbpf_processor_id();
}

static const struct kbpf_helper default_helpers[] = {
	[1] = {
		.name = "map_lookup_elem",
		.fn = helper_map_lookup_elem,
		.ret = KBPF_RET_MAP_VALUE_OR_NULL,
		.args = { KBPF_ARG_CONST_MAP_PTR, KBPF_ARG_PTR_TO_MAP_KEY },
	},
	[2] = {
		.name = "map_update_elem",
		.fn = helper_map_update_elem,
		.ret = KBPF_RET_INTEGER,
		.args = { KBPF_ARG_CONST_MAP_PTR, KBPF_ARG_PTR_TO_MAP_KEY,
			  KBPF_ARG_PTR_TO_MAP_VALUE, KBPF_ARG_ANYTHING },
	},
	[3] = {
		.name = "map_delete_elem",
		.fn = helper_map_delete_elem,
		.ret = KBPF_RET_INTEGER,
		.args = { KBPF_ARG_CONST_MAP_PTR, KBPF_ARG_PTR_TO_MAP_KEY },
	},
	[5] = {
		.name = "ktime_get_ns",
		.fn = helper_ktime_get_ns,
		.ret = KBPF_RET_INTEGER,
	},
	[7] = {
		.name = "get_prandom_u32",
		.fn = helper_get_prandom_u32,
		.ret = KBPF_RET_INTEGER,
	},
	[8] = {
		.name = "get_smp_processor_id",
		.fn = helper_get_smp_processor_id,
		.ret = KBPF_RET_INTEGER,
	},
};

const struct kbpf_helper_table kbpf_default_helpers = {
	.helpers = default_helpers,
	.count = ARRAY_SIZE(default_helpers),
};
KBPF_EXPORT_FOR_KUNIT(kbpf_default_helpers);

const struct kbpf_helper *kbpf_helper_lookup(const struct kbpf_helper_table *t,
					     u32 id)
{
	if (!t || id >= t->count || !t->helpers[id].fn)
		return NULL;
	return &t->helpers[id];
}
KBPF_EXPORT_FOR_KUNIT(kbpf_helper_lookup);
