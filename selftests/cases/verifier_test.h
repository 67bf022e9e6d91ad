/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Golden-table tests of the verifier: each case is a program, the result
 * kbpf_prog_load() must give (0, -EINVAL, -EACCES, -E2BIG) and a fragment
 * its log must hold.  Every rule is tested from both sides: a program that
 * follows it loads, one that breaks it is refused with the right reason.
 * Expected results are worked out by hand from the rules in verifier.c.
 */
#ifndef KBPF_TEST_VERIFIER_H
#define KBPF_TEST_VERIFIER_H

#include "cases.h"

#define VT_MAX_INSNS	64

struct verifier_test {
	const char *name;
	struct kbpf_insn insns[VT_MAX_INSNS];
	int expect;			/* kbpf_prog_load() result */
	const char *log_has;		/* substring the log must hold */
	const char *log_lacks;		/* substring it must not hold */
	u32 log_level;			/* 0: KBPF_LOG_LEVEL_ERRORS */
	/* Optional map, id 1, that pseudo map loads resolve to. */
	struct kbpf_map_attrs map;
	/*
	 * Frozen (kbpf_map_freeze()) before the load, element 0 holding
	 * map_value0 in its first bytes (at most 8 of them, the rest zero).
	 */
	bool map_frozen;
	u64 map_value0;
	u32 prog_type;			/* 0: KBPF_PROG_TYPE_NETFILTER */
	u32 max_processed;		/* 0: the cloud profile's budget */
	bool check_stack;		/* compare prog->stack_depth too */
	u32 stack_depth;
	/*
	 * The raw type (KBPF_PROG_TYPE_UNSPEC): r1 = mem_size bytes, byte i
	 * holding i + 1, r2 = mem_size.  With run set, an accepted program
	 * is also run and must return retval.
	 */
	bool raw;
	u32 mem_size;
	bool run;
	u64 retval;
};

/* Short names for registers in the tables. */
#define VR(n)		KBPF_REG_##n

/* ctx offsets of struct kbpf_nf_ctx, spelled out for the tables. */
#define NF_DATA		0
#define NF_DATA_END	8
#define NF_LEN		16
#define NF_PROTOCOL	32
#define NF_MARK		36

/* return v */
#define VT_RET(v)	KBPF_MOV64_IMM(VR(0), v), KBPF_EXIT_INSN()
/* r2 = ctx->data, r3 = ctx->data_end */
#define VT_PKT()	KBPF_LDX_MEM(DW, VR(2), VR(1), NF_DATA),	\
			KBPF_LDX_MEM(DW, VR(3), VR(1), NF_DATA_END)
/* r0 = ctx->mark: an unknown u32 */
#define VT_MARK(r)	KBPF_LDX_MEM(W, r, VR(1), NF_MARK)
/* r0 = bpf_map_lookup_elem(map 1, &(u32)0 at fp-4): 6 slots */
#define VT_LOOKUP()	KBPF_ST_MEM(W, VR(10), -4, 0),			\
			KBPF_MOV64_REG(VR(2), VR(10)),			\
			KBPF_ALU64_IMM(ADD, VR(2), -4),			\
			KBPF_LD_MAP_ID(VR(1), 1),			\
			KBPF_CALL_HELPER(1)
/*
 * A 64-bit immediate load given as its two 32-bit halves (isa.h's
 * KBPF_LD_IMM64 truncates a wider constant with a cast sparse warns about).
 */
#define VT_LD_IMM64(DST, SRC, LO, HI)					\
	KBPF_RAW_INSN(KBPF_LD | KBPF_IMM | KBPF_DW, DST, SRC, 0, LO),	\
	KBPF_RAW_INSN(0, 0, 0, 0, HI)
/* An array map of 4 u64 values. */
#define VT_ARRAY_MAP	{ .type = KBPF_MAP_TYPE_ARRAY, .key_size = 4,	\
			  .value_size = 8, .max_entries = 4 }

int kbpf_test_verifier_run(const struct verifier_test *t, char *msg,
			   size_t msg_size);

/* Defines kbpf_suite_<id> over a static table of struct verifier_test. */
#define VERIFIER_TEST_SUITE(id, title, table)				\
	KBPF_TABLE_TEST_SUITE(id, title, table, kbpf_test_verifier_run)

#endif /* KBPF_TEST_VERIFIER_H */
