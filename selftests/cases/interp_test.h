/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Golden-table tests of the interpreter: each case is a program, the bytes
 * r1 points at (r2 = their length), and the r0 (and optionally the memory)
 * it must end with.  Expected values are worked out by hand from RFC 9669.
 * Programs load with KBPF_LOAD_NO_VERIFY: these cases test the interpreter,
 * not the verifier.
 */
#ifndef KBPF_TEST_INTERP_H
#define KBPF_TEST_INTERP_H

#include "cases.h"

#define INTERP_TEST_MAX_INSNS	48
#define INTERP_TEST_MEM		64

struct interp_test {
	const char *name;
	struct kbpf_insn insns[INTERP_TEST_MAX_INSNS];
	u64 expect;			/* r0 at exit */
	u8 mem[INTERP_TEST_MEM];	/* r1 points at a copy */
	bool check_mem;			/* compare the copy with mem_expect */
	u8 mem_expect[INTERP_TEST_MEM];
	/* Optional map, id 1, that pseudo map loads resolve to. */
	struct kbpf_map_attrs map;
	/* Expected load error instead of a run (decode rejections). */
	int load_err;
	const char *log_has;		/* substring the load log must hold */
	bool verify;			/* load through the verifier */
};

/*
 * The program.  Its length is up to the last slot with any nonzero field
 * (a program never ends in an all-zero slot: exit or a jump comes last).
 */
#define T_INSNS(...)	.insns = { __VA_ARGS__ }

/* Test helpers: 5 returns r1 (as bpf_conformance expects), 6 returns
 * r1 + 2*r2 + 3*r3 + 4*r4 + 5*r5 (proves argument order).
 */
#define INTERP_HELPER_RET_ARG1	5
#define INTERP_HELPER_WEIGHTED	6
extern const struct kbpf_helper_table kbpf_test_interp_helpers;

int kbpf_test_interp_run(const struct interp_test *t, char *msg,
			 size_t msg_size);

/* Defines kbpf_suite_<id> over a static table of struct interp_test. */
#define INTERP_TEST_SUITE(id, title, table)				\
	KBPF_TABLE_TEST_SUITE(id, title, table, kbpf_test_interp_run)

#endif /* KBPF_TEST_INTERP_H */
