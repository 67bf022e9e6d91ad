// SPDX-License-Identifier: GPL-2.0
/*
 * Build profiles.  "cloud" is sized like the Linux kernel's own limits;
 * "embedded" keeps every program and map small enough for a device with a
 * few megabytes to spare.
 *
 * Scheduling defaults: cloud runs throughput (every program inline, to
 * completion); embedded runs deadline (EDF, metered budgets, admission).
 * The default budget times ns_per_insn fits the default deadline, so a
 * program of unknown worst case attaches with the defaults.
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
	.default_policy = KBPF_SCHED_THROUGHPUT,
	.max_chain = 64,
	.default_budget = 1000000,
	.default_deadline_ns = 10000000,	/* 10 ms */
	.ns_per_insn = 4,
	.queue_len = 512,
	.snap_len = 128,
	.pool_size = 0,				/* elastic */
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
	.default_policy = KBPF_SCHED_DEADLINE,
	.max_chain = 16,
	.default_budget = 16384,
	.default_deadline_ns = 1000000,		/* 1 ms */
	.ns_per_insn = 4,
	.queue_len = 16,
	.snap_len = 96,
	.pool_size = 64 * 1024,
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
