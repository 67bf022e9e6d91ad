// SPDX-License-Identifier: GPL-2.0
/*
 * The scheduler core: run order under both policies, the deadline policy's
 * admission arithmetic (with its messages), the observers' run queue
 * (priority and EDF order, expiry, a full queue refusing, purge) and the
 * embedded pool (exhaustion, fragmentation, coalescing).
 */
#include "cases.h"
#include "../../kmod/core/sched/sched.h"

static const struct kbpf_sched_attr *item_attr(const void *item)
{
	return item;
}

static const char *item_name(const void *ctx, u32 i)
{
	static const char *const names[] = { "a", "b", "c", "d", "e" };

	return i < ARRAY_SIZE(names) ? names[i] : "?";
}

/* Sort attrs (seq = index) and check the order of their indices. */
static int check_order(struct kbpf_sched_attr *attrs, u32 n, u32 policy,
		       const u32 *want, char *msg, size_t msg_size)
{
	void *items[8];
	u32 i;

	for (i = 0; i < n; i++) {
		attrs[i].seq = i;
		items[i] = &attrs[i];
	}
	kbpf_sched_sort(items, n, policy, item_attr);
	for (i = 0; i < n; i++)
		CHECK(items[i] == &attrs[want[i]],
		      "position %u holds attachment %u, expected %u", i,
		      (u32)((struct kbpf_sched_attr *)items[i] - attrs),
		      want[i]);
	return 0;
}

static int order_throughput(char *msg, size_t msg_size)
{
	struct kbpf_sched_attr a[5] = {
		{ .prio = 0, .deadline_ns = 10 },
		{ .prio = 5, .deadline_ns = 90 },
		{ .prio = 0, .deadline_ns = 1 },
		{ .prio = -3 },
		{ .prio = 5, .deadline_ns = 5 },
	};
	/* Higher priority first, attach order among equals; deadlines ignored. */
	static const u32 want[] = { 1, 4, 0, 2, 3 };

	return check_order(a, 5, KBPF_SCHED_THROUGHPUT, want, msg, msg_size);
}

static int order_edf(char *msg, size_t msg_size)
{
	struct kbpf_sched_attr a[5] = {
		{ .prio = 0, .deadline_ns = 30 },
		{ .prio = 9, .deadline_ns = 50 },
		{ .prio = 0, .deadline_ns = 10 },
		{ .prio = 1, .deadline_ns = 30 },
		{ .prio = 0, .deadline_ns = 30 },
	};
	/* Earliest deadline first; then priority, then attach order. */
	static const u32 want[] = { 2, 3, 0, 4, 1 };

	return check_order(a, 5, KBPF_SCHED_DEADLINE, want, msg, msg_size);
}

static int admit(struct kbpf_sched_attr *a, u32 n, u64 hook_ns, u32 ns,
		 char *why, size_t why_size)
{
	const struct kbpf_sched_attr *ptrs[8];
	struct kbpf_admit_params p = { .hook_deadline_ns = hook_ns,
				       .ns_per_insn = ns };
	u32 i;

	for (i = 0; i < n; i++)
		ptrs[i] = &a[i];
	why[0] = '\0';
	return kbpf_sched_admit(ptrs, n, &p, item_name, NULL, why, why_size);
}

static int admission_arithmetic(char *msg, size_t msg_size)
{
	struct kbpf_sched_attr a[3] = {
		{ .budget = 100, .worst_case = 40, .deadline_ns = 1000 },
		{ .budget = 300, .worst_case = KBPF_WORST_CASE_UNBOUNDED,
		  .deadline_ns = 2000 },
		{ .budget = 50, .worst_case = 50, .deadline_ns = 5000 },
	};
	char why[200];
	int err;

	/* Costs 40 + 300 (budget stands in) + 50 = 390 insns at 5 ns. */
	CHECK(kbpf_sched_cost(&a[0]) == 40, "known worst case is the cost");
	CHECK(kbpf_sched_cost(&a[1]) == 300, "unknown worst case costs the budget");
	err = admit(a, 3, 1950, 5, why, sizeof(why));
	CHECK(!err, "1950 ns fits 390 x 5 ns: %d %s", err, why);
	err = admit(a, 3, 1949, 5, why, sizeof(why));
	CHECK(err == -E2BIG, "1949 ns must not fit 1950 ns: %d", err);
	CHECK(!strcmp(why, "chain: 390 insns x 5 ns = 1950 ns > hook deadline 1949 ns"),
	      "message: %s", why);

	/* b finishes at (40 + 300) x 5 = 1700 ns: a deadline of 1699 fails. */
	a[1].deadline_ns = 1699;
	err = admit(a, 3, 100000, 5, why, sizeof(why));
	CHECK(err == -E2BIG, "b past its own deadline: %d", err);
	CHECK(!strcmp(why, "prog b: done at 340 insns x 5 ns = 1700 ns > deadline 1699 ns"),
	      "message: %s", why);
	a[1].deadline_ns = 2000;

	/* A known worst case over the budget is refused outright. */
	a[2].worst_case = 51;
	err = admit(a, 3, 100000, 5, why, sizeof(why));
	CHECK(err == -E2BIG, "worst case over budget: %d", err);
	CHECK(!strcmp(why, "prog c: worst case 51 insns > budget 50"),
	      "message: %s", why);

	/* Observers are not part of the inline chain. */
	a[2].observe = true;
	err = admit(a, 3, 1700, 5, why, sizeof(why));
	CHECK(!err, "observer left out of the sum: %d %s", err, why);
	return 0;
}

static int admission_saturates(char *msg, size_t msg_size)
{
	struct kbpf_sched_attr a[2] = {
		{ .budget = 0xffffffff, .worst_case = KBPF_WORST_CASE_UNBOUNDED,
		  .deadline_ns = U64_MAX },
		{ .budget = 0xffffffff, .worst_case = KBPF_WORST_CASE_UNBOUNDED,
		  .deadline_ns = U64_MAX },
	};
	char why[200];

	/* 2^33 insns x 2^32 ns overflows 64 bits: must refuse, not wrap. */
	CHECK(admit(a, 2, U64_MAX - 1, 0xffffffffu, why, sizeof(why)) == -E2BIG,
	      "overflowing product must saturate and refuse");
	return 0;
}

static int runq_fill(struct kbpf_runq *q, const s32 *prio, const u64 *dl,
		     u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		struct kbpf_runq_req *r = kbpf_runq_reserve(q);

		if (!r)
			return -ENOSPC;
		r->owner = (void *)(uintptr_t)(i + 1);
		r->prio = prio ? prio[i] : 0;
		r->deadline_ns = dl ? dl[i] : 0;
		r->len = 1;
		*(u8 *)kbpf_runq_buf(q, r->slot) = (u8)i;
		kbpf_runq_commit(q);
	}
	return 0;
}

static int runq_priority_fifo(char *msg, size_t msg_size)
{
	static const s32 prio[] = { 1, 7, 1, 7, -2, 3 };
	static const u32 want[] = { 1, 3, 5, 0, 2, 4 };
	struct kbpf_runq q;
	struct kbpf_runq_req r;
	u32 i;
	int err = 0;

	CHECK(!kbpf_runq_init(&q, KBPF_SCHED_THROUGHPUT, 8, 4), "init");
	runq_fill(&q, prio, NULL, 6);
	for (i = 0; i < 6; i++) {
		if (kbpf_runq_pop(&q, 0, &r) != KBPF_RUNQ_READY ||
		    *(u8 *)kbpf_runq_buf(&q, r.slot) != want[i]) {
			snprintf(msg, msg_size, "pop %u: wanted request %u", i,
				 want[i]);
			err = -EINVAL;
			break;
		}
		kbpf_runq_release(&q, r.slot);
	}
	if (!err && kbpf_runq_pop(&q, 0, &r) != KBPF_RUNQ_EMPTY) {
		snprintf(msg, msg_size, "queue not empty after 6 pops");
		err = -EINVAL;
	}
	kbpf_runq_destroy(&q);
	return err;
}

static int runq_edf_expiry(char *msg, size_t msg_size)
{
	static const u64 dl[] = { 500, 100, 300, 100, 50 };
	/* At now = 200: 50 and both 100s are late, 300 and 500 are due. */
	static const u32 want[] = { 4, 1, 3, 2, 0 };
	static const int late[] = { 1, 1, 1, 0, 0 };
	struct kbpf_runq q;
	struct kbpf_runq_req r;
	enum kbpf_runq_pop got;
	u32 i;
	int err = 0;

	CHECK(!kbpf_runq_init(&q, KBPF_SCHED_DEADLINE, 8, 4), "init");
	runq_fill(&q, NULL, dl, 5);
	for (i = 0; i < 5; i++) {
		got = kbpf_runq_pop(&q, 200, &r);
		if (got != (late[i] ? KBPF_RUNQ_EXPIRED : KBPF_RUNQ_READY) ||
		    *(u8 *)kbpf_runq_buf(&q, r.slot) != want[i]) {
			snprintf(msg, msg_size,
				 "pop %u: got request %u (%d), wanted %u (%s)",
				 i, *(u8 *)kbpf_runq_buf(&q, r.slot), got,
				 want[i], late[i] ? "expired" : "ready");
			err = -EINVAL;
			break;
		}
		kbpf_runq_release(&q, r.slot);
	}
	kbpf_runq_destroy(&q);
	return err;
}

static int runq_full_and_purge(char *msg, size_t msg_size)
{
	struct kbpf_runq q;
	struct kbpf_runq_req r;
	u32 n = 0;
	int err = -EINVAL;

	CHECK(!kbpf_runq_init(&q, KBPF_SCHED_THROUGHPUT, 4, 16), "init");
	if (runq_fill(&q, NULL, NULL, 4)) {
		snprintf(msg, msg_size, "4 requests must fit a queue of 4");
		goto out;
	}
	if (kbpf_runq_reserve(&q) || q.drops != 1 || q.hwm != 4) {
		snprintf(msg, msg_size, "5th request: drops %llu hwm %u",
			 (unsigned long long)q.drops, q.hwm);
		goto out;
	}
	/* Owners are 1..4; purge 2 and 4, the rest keep FIFO order. */
	if (kbpf_runq_purge(&q, (void *)2) != 1 ||
	    kbpf_runq_purge(&q, (void *)4) != 1 || q.len != 2) {
		snprintf(msg, msg_size, "purge left %u requests", q.len);
		goto out;
	}
	while (kbpf_runq_pop(&q, 0, &r) == KBPF_RUNQ_READY) {
		if (r.owner != (void *)(uintptr_t)(n ? 3 : 1)) {
			snprintf(msg, msg_size, "after purge, pop %u: owner %p",
				 n, r.owner);
			goto out;
		}
		kbpf_runq_release(&q, r.slot);
		n++;
	}
	/* Every slot came back: the queue takes 4 again. */
	if (n != 2 || runq_fill(&q, NULL, NULL, 4)) {
		snprintf(msg, msg_size, "slots lost after purge and pops");
		goto out;
	}
	err = 0;
out:
	kbpf_runq_destroy(&q);
	return err;
}

#define POOL_BYTES	4096

static int pool_exhaustion(char *msg, size_t msg_size)
{
	u8 *mem = kbpf_zalloc(POOL_BYTES);
	struct kbpf_pool pool;
	void *p[64];
	u32 n = 0, i;
	int err = -EINVAL;

	if (!mem)
		return -ENOMEM;
	kbpf_pool_init(&pool, mem, POOL_BYTES);
	/* 100 bytes round to 112 + a 16-byte header: 32 blocks of 128. */
	while (n < ARRAY_SIZE(p) && (p[n] = kbpf_pool_zalloc(&pool, 100)))
		n++;
	if (n != 32 || pool.used != POOL_BYTES) {
		snprintf(msg, msg_size, "%u blocks, %zu bytes used", n,
			 pool.used);
		goto out;
	}
	if (kbpf_pool_zalloc(&pool, 1)) {
		snprintf(msg, msg_size, "a full pool handed out memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		kbpf_pool_free(&pool, p[i]);
	if (pool.used || pool.allocs ||
	    kbpf_pool_largest_free(&pool) != POOL_BYTES - KBPF_POOL_ALIGN) {
		snprintf(msg, msg_size, "after freeing all: used %zu, largest %zu",
			 pool.used, kbpf_pool_largest_free(&pool));
		goto out;
	}
	if (pool.peak != POOL_BYTES) {
		snprintf(msg, msg_size, "peak %zu", pool.peak);
		goto out;
	}
	err = 0;
out:
	kbpf_free(mem);
	return err;
}

static int pool_fragmentation(char *msg, size_t msg_size)
{
	u8 *mem = kbpf_zalloc(POOL_BYTES);
	struct kbpf_pool pool;
	void *p[32], *big;
	u32 i;
	int err = -EINVAL;

	if (!mem)
		return -ENOMEM;
	kbpf_pool_init(&pool, mem, POOL_BYTES);
	for (i = 0; i < 32; i++)
		p[i] = kbpf_pool_zalloc(&pool, 112);
	/* Free every other block: half the pool is free, in 128-byte holes. */
	for (i = 0; i < 32; i += 2)
		kbpf_pool_free(&pool, p[i]);
	if (pool.used != POOL_BYTES / 2 ||
	    kbpf_pool_largest_free(&pool) != 112) {
		snprintf(msg, msg_size, "holes: used %zu largest %zu", pool.used,
			 kbpf_pool_largest_free(&pool));
		goto out;
	}
	big = kbpf_pool_zalloc(&pool, 200);
	if (big) {
		snprintf(msg, msg_size, "200 bytes from 112-byte holes");
		goto out;
	}
	/* Freeing the odd ones merges everything back into one block. */
	for (i = 1; i < 32; i += 2)
		kbpf_pool_free(&pool, p[i]);
	big = kbpf_pool_zalloc(&pool, POOL_BYTES - KBPF_POOL_ALIGN);
	if (!big) {
		snprintf(msg, msg_size, "free blocks did not coalesce");
		goto out;
	}
	if (((u8 *)big)[0] || ((u8 *)big)[POOL_BYTES - KBPF_POOL_ALIGN - 1]) {
		snprintf(msg, msg_size, "pool memory not zeroed");
		goto out;
	}
	kbpf_pool_free(&pool, big);
	err = 0;
out:
	kbpf_free(mem);
	return err;
}

/*
 * Aligned blocks (ring buffer pages): each starts at a multiple of the
 * alignment and is zeroed; the gap left in front stays free for small
 * blocks; one that fits nowhere aligned is refused; freeing everything
 * merges the pool back into one block.
 */
static int pool_aligned(char *msg, size_t msg_size)
{
	u8 *mem = kbpf_zalloc(2 * POOL_BYTES), *base;
	struct kbpf_pool pool;
	u8 *small, *a, *b, *gap;
	int err = -EINVAL;

	if (!mem)
		return -ENOMEM;
	/* 64 bytes past a multiple of 512: the first aligned block has a gap. */
	base = (u8 *)(((uintptr_t)mem + 511) & ~(uintptr_t)511) + 64;
	kbpf_pool_init(&pool, base, POOL_BYTES);
	small = kbpf_pool_zalloc(&pool, 16);
	memset(base + 64, 0xa5, 1024);	/* free memory the next blocks zero */
	a = kbpf_pool_zalloc_aligned(&pool, 512, 512);
	b = kbpf_pool_zalloc_aligned(&pool, 512, 512);
	if (!small || !a || !b || ((uintptr_t)a | (uintptr_t)b) & 511 ||
	    a == b) {
		snprintf(msg, msg_size, "aligned blocks %p %p", a, b);
		goto out;
	}
	if (a[0] || a[511] || b[0]) {
		snprintf(msg, msg_size, "aligned block not zeroed");
		goto out;
	}
	/* The gap before the first aligned block takes a small block. */
	gap = kbpf_pool_zalloc(&pool, 16);
	if (!gap || gap > a) {
		snprintf(msg, msg_size, "the gap in front was not left free");
		goto out;
	}
	if (kbpf_pool_zalloc_aligned(&pool, 2048, 2048) ||
	    kbpf_pool_zalloc_aligned(&pool, 16, 24)) {
		snprintf(msg, msg_size, "a block that does not fit aligned, or a bad alignment, was handed out");
		goto out;
	}
	kbpf_pool_free(&pool, a);
	kbpf_pool_free(&pool, small);
	kbpf_pool_free(&pool, b);
	kbpf_pool_free(&pool, gap);
	if (pool.used || pool.allocs ||
	    kbpf_pool_largest_free(&pool) != POOL_BYTES - KBPF_POOL_ALIGN) {
		snprintf(msg, msg_size, "after freeing: used %zu, largest %zu",
			 pool.used, kbpf_pool_largest_free(&pool));
		goto out;
	}
	err = 0;
out:
	kbpf_free(mem);
	return err;
}

static const struct kbpf_test_fn_case sched_core_cases[] = {
	{ "throughput: priority, then attach order", order_throughput },
	{ "deadline: earliest deadline first", order_edf },
	{ "admission: sums, per-program deadlines, budgets, messages",
	  admission_arithmetic },
	{ "admission: arithmetic saturates instead of wrapping",
	  admission_saturates },
	{ "run queue: highest priority first, FIFO within", runq_priority_fifo },
	{ "run queue: EDF, late requests come out expired", runq_edf_expiry },
	{ "run queue: full refuses and counts; purge keeps order",
	  runq_full_and_purge },
	{ "pool: fills exactly, refuses when full, frees back to one block",
	  pool_exhaustion },
	{ "pool: fragmentation refuses a large block until neighbours merge",
	  pool_fragmentation },
	{ "pool: aligned blocks, their gaps free, all merging back",
	  pool_aligned },
};

KBPF_FN_TEST_SUITE(sched_core, "kbpf_sched_core", sched_core_cases);
