// SPDX-License-Identifier: GPL-2.0
/*
 * kbpfctl feature: the profile's limits as this module enforces them, the
 * scheduling defaults, the observers' queues and the embedded pool's usage.
 */
#include <net/netlink.h>

#include "feature.h"
#include "netfilter.h"
#include "observe.h"
#include "pool.h"
#include "maps.h"

static int put_u64(struct sk_buff *skb, int attr, u64 v)
{
	return nla_put_u64_64bit(skb, attr, v, KBPF_FEAT_A_PAD);
}

int kbpf_feature_fill(struct sk_buff *skb)
{
	const struct kbpf_limits *l = kbpf_default_limits();
	struct kbpf_pool_usage pool;
	u64 maps_max, maps_used;
	struct nlattr *nest;

	kbpf_pool_usage(&pool);
	kbpf_maps_budget_read(&maps_max, &maps_used);
	nest = nla_nest_start(skb, KBPF_A_FEATURE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, KBPF_FEAT_A_STATS_ENABLED, kbpf_nf_stats_enabled()) ||
	    put_u64(skb, KBPF_FEAT_A_MAX_INSNS, l->max_insns) ||
	    put_u64(skb, KBPF_FEAT_A_MAX_PROCESSED_INSNS,
		    l->max_processed_insns) ||
	    put_u64(skb, KBPF_FEAT_A_MAX_STATES, l->max_states) ||
	    put_u64(skb, KBPF_FEAT_A_MAX_MAPS_PER_PROG, l->max_maps_per_prog) ||
	    put_u64(skb, KBPF_FEAT_A_MAX_KEY_SIZE, l->max_key_size) ||
	    put_u64(skb, KBPF_FEAT_A_MAX_VALUE_SIZE, l->max_value_size) ||
	    put_u64(skb, KBPF_FEAT_A_MAX_ENTRIES, l->max_entries) ||
	    put_u64(skb, KBPF_FEAT_A_MAX_PROGS, l->max_progs) ||
	    put_u64(skb, KBPF_FEAT_A_MAX_MAPS, l->max_maps) ||
	    put_u64(skb, KBPF_FEAT_A_MAX_CHAIN, l->max_chain) ||
	    put_u64(skb, KBPF_FEAT_A_DEFAULT_BUDGET, l->default_budget) ||
	    put_u64(skb, KBPF_FEAT_A_DEFAULT_DEADLINE_NS,
		    l->default_deadline_ns) ||
	    put_u64(skb, KBPF_FEAT_A_NS_PER_INSN, kbpf_nf_ns_per_insn()) ||
	    put_u64(skb, KBPF_FEAT_A_QUEUE_LEN, kbpf_obs_queue_len()) ||
	    put_u64(skb, KBPF_FEAT_A_SNAP_LEN, l->snap_len) ||
	    put_u64(skb, KBPF_FEAT_A_POOL_SIZE, pool.size) ||
	    put_u64(skb, KBPF_FEAT_A_POOL_USED, pool.used) ||
	    put_u64(skb, KBPF_FEAT_A_POOL_PEAK, pool.peak) ||
	    put_u64(skb, KBPF_FEAT_A_MAX_VERIFIER_BYTES,
		    l->max_verifier_bytes) ||
	    put_u64(skb, KBPF_FEAT_A_MAX_MAP_BYTES, l->max_map_bytes) ||
	    put_u64(skb, KBPF_FEAT_A_MAX_MAPS_BYTES, maps_max) ||
	    put_u64(skb, KBPF_FEAT_A_MAPS_BYTES_USED, maps_used) ||
	    put_u64(skb, KBPF_FEAT_A_TRACE_LINES, l->trace_lines)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}
