// SPDX-License-Identifier: GPL-2.0
/*
 * A burst of deletes and inserts inside one run, where no RCU grace period
 * can end: key i is inserted after key i - 64 was deleted, so the hash map
 * never holds more than its 64 entries, but every deleted element waits
 * for the grace period and counts against the map until then.  The burst
 * stops at the first insert that fails (-ENOMEM once max_entries plus the
 * grace reserve elements are held); then every key left is deleted, so the
 * map is empty again.  results[]: 0 inserts made and 2 keys deleted at
 * the end, both added up over runs, 1 the last failing insert's errno
 * (maps.sh, embedded.sh).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

#define CHURN_ENTRIES	64

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CHURN_ENTRIES);
	__type(key, __u32);
	__type(value, __u64);
} churn SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u64);
} results SEC(".maps");

enum { INSERTED, ERRNO, DELETED };

/* results[idx], or NULL (never: the array has every index). */
static __u64 *result(__u32 idx)
{
	return bpf_map_lookup_elem(&results, &idx);
}

static int churn_step(__u32 i, void *arg)
{
	__u64 one = 1, *inserted = result(INSERTED), *errnum = result(ERRNO);
	__u32 k = i - CHURN_ENTRIES;
	long err;

	if (!inserted || !errnum)
		return 1;
	if (i >= CHURN_ENTRIES)
		bpf_map_delete_elem(&churn, &k);
	k = i;
	err = bpf_map_update_elem(&churn, &k, &one, BPF_NOEXIST);
	if (err) {
		*errnum = -err;
		return 1;
	}
	*inserted += 1;
	return 0;
}

static int drain_step(__u32 i, void *arg)
{
	__u64 *deleted = result(DELETED);
	__u32 k = i;

	if (!deleted)
		return 1;
	if (!bpf_map_delete_elem(&churn, &k))
		*deleted += 1;
	return 0;
}

SEC("kbpf/ipv4/local_in")
int map_churn(struct kbpf_nf_ctx *ctx)
{
	bpf_loop(4096, churn_step, NULL, 0);
	/* Every key the burst may have inserted. */
	bpf_loop(4096, drain_step, NULL, 0);
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
