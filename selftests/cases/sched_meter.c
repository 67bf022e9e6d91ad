// SPDX-License-Identifier: GPL-2.0
/*
 * Worst-case instruction counts and the metered interpreter.  Every
 * expected count is worked out by hand from the program text: a 64-bit
 * immediate load counts once, a bpf-to-bpf call adds its callee.  A metered
 * run of a program whose path is fixed must charge exactly its worst case.
 */
#include "cases.h"
#include "../../kmod/core/sched/worst_case.h"

#define METER_MAX_INSNS	24

struct meter_case {
	const char *name;
	struct kbpf_insn insns[METER_MAX_INSNS];
	u64 worst;		/* expected worst case */
	u64 r1;			/* argument of the metered run */
	u64 used;		/* instructions a run with r1 charges */
	u64 ret;		/* its r0 */
};

#define M_INSNS(...)	.insns = { __VA_ARGS__ }
#define UNBOUNDED	KBPF_WORST_CASE_UNBOUNDED

static const struct meter_case meter_cases[] = {
	{ "straight line: every instruction once",
	  M_INSNS(KBPF_MOV64_IMM(0, 1), KBPF_ALU64_IMM(ADD, 0, 2),
		  KBPF_ALU64_IMM(MUL, 0, 3), KBPF_EXIT_INSN()),
	  .worst = 4, .used = 4, .ret = 9 },
	{ "ld_imm64 counts once",
	  M_INSNS(KBPF_LD_IMM64(0, 0x100000000ULL), KBPF_EXIT_INSN()),
	  .worst = 2, .used = 2, .ret = 0x100000000ULL },
	{ "diamond: the longer arm counts",
	  M_INSNS(KBPF_MOV64_IMM(0, 0),
		  KBPF_JMP_IMM(JEQ, 1, 0, 3),
		  KBPF_ALU64_IMM(ADD, 0, 1), KBPF_ALU64_IMM(ADD, 0, 1),
		  KBPF_ALU64_IMM(ADD, 0, 1),
		  KBPF_EXIT_INSN()),
	  .worst = 6, .r1 = 0, .used = 3, .ret = 0 },
	{ "diamond, long arm taken",
	  M_INSNS(KBPF_MOV64_IMM(0, 0),
		  KBPF_JMP_IMM(JEQ, 1, 0, 3),
		  KBPF_ALU64_IMM(ADD, 0, 1), KBPF_ALU64_IMM(ADD, 0, 1),
		  KBPF_ALU64_IMM(ADD, 0, 1),
		  KBPF_EXIT_INSN()),
	  .worst = 6, .r1 = 1, .used = 6, .ret = 3 },
	{ "early exit is a path of its own",
	  M_INSNS(KBPF_MOV64_IMM(0, 7), KBPF_JMP_IMM(JNE, 1, 0, 1),
		  KBPF_EXIT_INSN(), KBPF_ALU64_IMM(ADD, 0, 1),
		  KBPF_ALU64_IMM(ADD, 0, 1), KBPF_EXIT_INSN()),
	  .worst = 5, .r1 = 0, .used = 3, .ret = 7 },
	{ "bpf-to-bpf call adds the callee",
	  M_INSNS(KBPF_MOV64_IMM(1, 10), KBPF_CALL_REL(2),
		  KBPF_ALU64_IMM(ADD, 0, 1), KBPF_EXIT_INSN(),
		  KBPF_MOV64_REG(0, 1), KBPF_ALU64_IMM(MUL, 0, 3),
		  KBPF_EXIT_INSN()),
	  .worst = 7, .used = 7, .ret = 31 },
	{ "callee called twice counts twice",
	  M_INSNS(KBPF_CALL_REL(3), KBPF_CALL_REL(2),
		  KBPF_MOV64_IMM(0, 5), KBPF_EXIT_INSN(),
		  KBPF_MOV64_IMM(0, 1), KBPF_ALU64_IMM(ADD, 0, 1),
		  KBPF_EXIT_INSN()),
	  .worst = 10, .used = 10, .ret = 5 },
	/*
	 * r0 = 9; exit is one op in the plain image (fuse_returns()); metered,
	 * the exit that a jump reaches is a block of its own and counts.
	 */
	{ "a constant return before a jumped-to exit charges the exit",
	  M_INSNS(KBPF_MOV64_IMM(0, 7), KBPF_JMP_IMM(JNE, 1, 0, 2),
		  KBPF_MOV64_IMM(2, 1), KBPF_MOV64_IMM(0, 9),
		  KBPF_EXIT_INSN()),
	  .worst = 5, .r1 = 0, .used = 5, .ret = 9 },
	{ "the jump to that exit skips the constant return",
	  M_INSNS(KBPF_MOV64_IMM(0, 7), KBPF_JMP_IMM(JNE, 1, 0, 2),
		  KBPF_MOV64_IMM(2, 1), KBPF_MOV64_IMM(0, 9),
		  KBPF_EXIT_INSN()),
	  .worst = 5, .r1 = 1, .used = 3, .ret = 7 },
	{ "helper call does not end a block",
	  M_INSNS(KBPF_MOV64_IMM(1, 3), KBPF_CALL_HELPER(5),
		  KBPF_EXIT_INSN()),
	  .worst = 3, .used = 3, .ret = 3 },
	{ "ja skips instructions that never count",
	  M_INSNS(KBPF_MOV64_IMM(0, 2), KBPF_JMP_A(2),
		  KBPF_MOV64_IMM(0, 3), KBPF_MOV64_IMM(0, 4),
		  KBPF_EXIT_INSN()),
	  .worst = 3, .used = 3, .ret = 2 },
	{ "a loop is unbounded; the meter charges each iteration",
	  /* r0 = 0; do r0 += 1 while r0 != r1 : 1 + 2 * r1 + 1 */
	  M_INSNS(KBPF_MOV64_IMM(0, 0), KBPF_ALU64_IMM(ADD, 0, 1),
		  KBPF_JMP_REG(JNE, 0, 1, -2), KBPF_EXIT_INSN()),
	  .worst = UNBOUNDED, .r1 = 5, .used = 12, .ret = 5 },
	{ "recursion (unverified) is unbounded",
	  M_INSNS(KBPF_JMP_IMM(JEQ, 1, 0, 2), KBPF_ALU64_IMM(SUB, 1, 1),
		  KBPF_CALL_REL(-3), KBPF_MOV64_IMM(0, 1), KBPF_EXIT_INSN()),
	  .worst = UNBOUNDED, .r1 = 0, .used = 3, .ret = 1 },
};

static u32 meter_insn_count(const struct meter_case *c)
{
	u32 n = METER_MAX_INSNS;

	while (n && !c->insns[n - 1].code && !c->insns[n - 1].imm)
		n--;
	return n;
}

static u64 ret_arg1(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return r1;
}

static struct kbpf_helper meter_helper_array[6];
static const struct kbpf_helper_table meter_helpers = {
	.helpers = meter_helper_array, .count = 6,
};

static int load_raw(const struct kbpf_insn *insns, u32 n,
		    struct kbpf_prog **prog)
{
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_UNSPEC,
		.insns = insns,
		.insn_cnt = n,
		.flags = KBPF_LOAD_NO_VERIFY,
		.helpers = &meter_helpers,
	};

	meter_helper_array[5].name = "ret_arg1";
	meter_helper_array[5].fn = ret_arg1;
	meter_helper_array[5].ret = KBPF_RET_INTEGER;
	meter_helper_array[5].args[0] = KBPF_ARG_ANYTHING;
	return kbpf_prog_load(&opts, prog);
}

static u64 run_metered(struct kbpf_prog *prog, u64 r1,
		       struct kbpf_run_meter *m)
{
	u64 r0;

	kbpf_run_section_begin();
	r0 = kbpf_prog_run_metered(prog, (void *)(uintptr_t)r1, NULL, m);
	kbpf_run_section_end();
	return r0;
}

static int run_meter_case(const struct meter_case *c, char *msg,
			  size_t msg_size)
{
	struct kbpf_run_meter m = { .budget = 1000 };
	struct kbpf_prog *prog;
	u64 r0;
	int err;

	err = load_raw(c->insns, meter_insn_count(c), &prog);
	if (err) {
		snprintf(msg, msg_size, "load: %d", err);
		return err;
	}
	err = -EINVAL;
	if (prog->worst_case != c->worst) {
		snprintf(msg, msg_size, "worst case %llu, expected %llu",
			 (unsigned long long)prog->worst_case,
			 (unsigned long long)c->worst);
		goto out;
	}
	if (kbpf_prog_prepare_metered(prog)) {
		snprintf(msg, msg_size, "no metered image");
		goto out;
	}
	r0 = run_metered(prog, c->r1, &m);
	if (m.overrun || m.used != c->used || r0 != c->ret) {
		snprintf(msg, msg_size,
			 "metered run: r0 %llu used %llu overrun %d, expected r0 %llu used %llu",
			 (unsigned long long)r0, (unsigned long long)m.used,
			 m.overrun, (unsigned long long)c->ret,
			 (unsigned long long)c->used);
		goto out;
	}
	/* A budget one short of what the run needs stops it. */
	m.budget = c->used - 1;
	run_metered(prog, c->r1, &m);
	if (!m.overrun) {
		snprintf(msg, msg_size, "budget %llu did not stop a run of %llu",
			 (unsigned long long)m.budget,
			 (unsigned long long)c->used);
		goto out;
	}
	/* The plain run is unaffected. */
	kbpf_run_section_begin();
	r0 = kbpf_prog_run(prog, (void *)(uintptr_t)c->r1);
	kbpf_run_section_end();
	if (r0 != c->ret) {
		snprintf(msg, msg_size, "plain run returned %llu",
			 (unsigned long long)r0);
		goto out;
	}
	err = 0;
out:
	kbpf_prog_free(prog);
	return err;
}

KBPF_TABLE_TEST_SUITE(sched_meter, "kbpf_sched_meter", meter_cases,
		      run_meter_case);
