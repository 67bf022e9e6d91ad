/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Programs for the syscall fuzzer: well-formed templates the verifier must
 * accept (with the r0 a test run must return, when it is known), their
 * structure-aware mutations, and random instruction soup.
 */
#ifndef KBPF_FUZZ_PROGS_H
#define KBPF_FUZZ_PROGS_H

#include <stdbool.h>
#include <linux/types.h>
#include <linux/kbpf.h>

#include "rng.h"

#define GEN_MAX_INSNS	256
#define GEN_MAX_MAPS	4

/* A map a generated program may refer to. */
struct gen_map {
	__u32 id, type, key_size, value_size, max_entries;
};

enum gen_expect {
	GEN_RET_UNKNOWN = -1,	/* r0 depends on time, randomness or a map */
	GEN_RET_PKT_PROTO = -2,	/* 1 below 10 bytes, else byte 9 & 1 */
	GEN_RET_CTX_LEN = -3,	/* ctx->len & 1 */
};

struct gen_prog {
	struct kbpf_insn insns[GEN_MAX_INSNS];
	__u32 cnt;
	const char *what;	/* template name, for reports */
	bool valid;		/* a template: the verifier must accept it */
	int ret;		/* r0 of a test run: 0, 1 or enum gen_expect */
	__u32 maps[GEN_MAX_MAPS];	/* maps it refers to */
	int n_maps;
	bool writes_maps;	/* may change element values */
};

/* A valid program (a template), using maps[] when it needs one. */
void gen_valid(struct rng *r, struct gen_prog *p, const struct gen_map *maps,
	       int n_maps);
/* Change a few instructions or fields; the result is no longer "valid". */
void gen_mutate(struct rng *r, struct gen_prog *p);
/* Random instructions of plausible opcodes. */
void gen_random(struct rng *r, struct gen_prog *p, const struct gen_map *maps,
		int n_maps);
/* r0 the program must return on this packet, or -1 when unknown. */
int gen_expected_ret(const struct gen_prog *p, const __u8 *data, __u32 len);

#endif
