// SPDX-License-Identifier: GPL-2.0
/*
 * Build profiles.  "cloud" is sized like the Linux kernel's own limits;
 * "embedded" keeps every program and map small enough for a device with a
 * few megabytes to spare.
 */
#include "kbpf_core.h"

const struct kbpf_limits kbpf_limits_cloud = {
	.name = "cloud",
	.max_insns = 1000000,
	.max_processed_insns = 1000000,
	.max_states = 65536,
	.max_verifier_bytes = 64ULL << 20,
	.max_maps_per_prog = 64,
	.max_key_size = 512,
	.max_value_size = 65536,
	.max_entries = 1U << 20,
	.max_progs = 1024,
	.max_maps = 1024,
	.max_map_bytes = 1ULL << 30,
	.max_maps_bytes = 4ULL << 30,
	.trace_lines = 1024,
};
KBPF_EXPORT_FOR_KUNIT(kbpf_limits_cloud);

const struct kbpf_limits kbpf_limits_embedded = {
	.name = "embedded",
	.max_insns = 4096,
	.max_processed_insns = 65536,
	.max_states = 4096,
	.max_verifier_bytes = 1ULL << 20,
	.max_maps_per_prog = 8,
	.max_key_size = 64,
	.max_value_size = 1024,
	.max_entries = 4096,
	.max_progs = 64,
	.max_maps = 64,
	.max_map_bytes = 1ULL << 20,
	.max_maps_bytes = 4ULL << 20,
	.trace_lines = 32,
};
KBPF_EXPORT_FOR_KUNIT(kbpf_limits_embedded);

const struct kbpf_limits *kbpf_default_limits(void)
{
#ifdef KBPF_PROFILE_EMBEDDED
	return &kbpf_limits_embedded;
#else
	return &kbpf_limits_cloud;
#endif
}
KBPF_EXPORT_FOR_KUNIT(kbpf_default_limits);

const struct kbpf_limits *kbpf_limits_by_name(const char *name)
{
	if (!name)
		return NULL;
	if (!strcmp(name, kbpf_limits_cloud.name))
		return &kbpf_limits_cloud;
	if (!strcmp(name, kbpf_limits_embedded.name))
		return &kbpf_limits_embedded;
	return NULL;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_limits_by_name);
