// SPDX-License-Identifier: GPL-2.0
/*
 * kbpfctl feature: the profile's limits as this module enforces them, the
 * scheduling defaults, the observers' queues and the embedded pool's usage,
 * read into the struct KBPF_IOC_FEATURE_GET returns and KBPF_CMD_FEATURE_GET
 * turns into attributes.
 */
#include <linux/string.h>

#include "feature.h"
#include "netfilter.h"
#include "observe.h"
#include "pool.h"
#include "maps.h"

void kbpf_feature_read(struct kbpf_feature_get_attr *f)
{
	const struct kbpf_limits *l = kbpf_default_limits();
	struct kbpf_pool_usage pool;

	kbpf_pool_usage(&pool);
	strscpy_pad(f->profile, l->name, sizeof(f->profile));
	f->policy = kbpf_nf_default_policy();
	f->stats_enabled = kbpf_nf_stats_enabled();
	f->max_insns = l->max_insns;
	f->max_processed_insns = l->max_processed_insns;
	f->max_states = l->max_states;
	f->max_maps_per_prog = l->max_maps_per_prog;
	f->max_key_size = l->max_key_size;
	f->max_value_size = l->max_value_size;
	f->max_entries = l->max_entries;
	f->max_progs = l->max_progs;
	f->max_maps = l->max_maps;
	f->max_chain = l->max_chain;
	f->default_budget = l->default_budget;
	f->default_deadline_ns = l->default_deadline_ns;
	f->ns_per_insn = kbpf_nf_ns_per_insn();
	f->queue_len = kbpf_obs_queue_len();
	f->snap_len = l->snap_len;
	f->pool_size = pool.size;
	f->pool_used = pool.used;
	f->pool_peak = pool.peak;
	f->max_verifier_bytes = l->max_verifier_bytes;
	f->max_map_bytes = l->max_map_bytes;
	kbpf_maps_budget_read(&f->max_maps_bytes, &f->maps_bytes_used);
	f->trace_lines = l->trace_lines;
}
