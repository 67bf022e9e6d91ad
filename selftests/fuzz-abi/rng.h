/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzzer's random numbers: xorshift64*, seeded from the command line so
 * that a run (without concurrency) replays exactly.
 */
#ifndef KBPF_FUZZ_RNG_H
#define KBPF_FUZZ_RNG_H

#include <linux/types.h>

struct rng {
	__u64 s;
};

static inline void rng_seed(struct rng *r, __u64 seed)
{
	r->s = seed ? seed : 0x9e3779b97f4a7c15ULL;
}

static inline __u64 rng_u64(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

static inline __u32 rng_u32(struct rng *r)
{
	return rng_u64(r) >> 32;
}

/* Uniform in [0, n); 0 when n is 0. */
static inline __u32 rng_below(struct rng *r, __u32 n)
{
	return n ? (__u32)((rng_u32(r) * (__u64)n) >> 32) : 0;
}

/* True with probability pct percent. */
static inline int rng_pct(struct rng *r, __u32 pct)
{
	return rng_below(r, 100) < pct;
}

/* One of the values of an array. */
#define rng_pick(r, arr) ((arr)[rng_below((r), sizeof(arr) / sizeof((arr)[0]))])

/* A number near an edge: 0, 1, powers of two and their neighbours, maxima. */
static inline __u32 rng_edge_u32(struct rng *r)
{
	static const __u32 edges[] = {
		0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 255, 256, 511, 512,
		513, 1023, 1024, 4095, 4096, 4097, 65535, 65536, 65537,
		1U << 20, (1U << 20) + 1, 1U << 24, 0x7fffffff, 0x80000000,
		0xfffffffe, 0xffffffff,
	};

	if (rng_pct(r, 20))
		return rng_u32(r);
	return rng_pick(r, edges);
}

#endif
