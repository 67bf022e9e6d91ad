// SPDX-License-Identifier: GPL-2.0
/*
 * The raw program type (KBPF_PROG_TYPE_UNSPEC), for kbpf-run --verify, the
 * conformance suite and tests: r1 points at opts->mem_size bytes the
 * program may read and write, r2 holds mem_size, and any r0 is fine.  It
 * has no context struct, so no helper that needs one (tail_call, the
 * packet helpers).  The glue refuses this type from userspace, so it never
 * reaches the kernel's packet path.
 */
#include "../helpers.h"
#include "../verifier/types.h"

static const struct kbpf_helper raw_helpers[] = {
	KBPF_HELPER_MAP_LOOKUP_ELEM, KBPF_HELPER_MAP_UPDATE_ELEM,
	KBPF_HELPER_MAP_DELETE_ELEM, KBPF_HELPER_KTIME_GET_NS,
	KBPF_HELPER_TRACE_PRINTK, KBPF_HELPER_GET_PRANDOM_U32,
	KBPF_HELPER_GET_SMP_PROCESSOR_ID, KBPF_HELPER_CSUM_DIFF,
	KBPF_HELPER_JIFFIES64, KBPF_HELPER_KTIME_GET_BOOT_NS,
	KBPF_HELPER_SNPRINTF, KBPF_HELPER_LOOP,
	KBPF_HELPER_RINGBUF_OUTPUT, KBPF_HELPER_RINGBUF_RESERVE,
	KBPF_HELPER_RINGBUF_SUBMIT, KBPF_HELPER_RINGBUF_DISCARD,
	KBPF_HELPER_RINGBUF_QUERY,
};

static const struct kbpf_helper_table raw_helper_table = {
	.helpers = raw_helpers,
	.count = ARRAY_SIZE(raw_helpers),
};

/* r1 and r2: the memory and its size. */
static int raw_init_entry_regs(struct kbpf_verifier_env *env,
			       struct kbpf_reg_state *regs)
{
	u32 size = env->opts->mem_size;

	if (size > KBPF_MAX_VAR_OFF)
		return kbpf_verr(env, -E2BIG,
				 "memory of %u bytes is too large, the limit is %u\n",
				 size, KBPF_MAX_VAR_OFF);
	kbpf_mark_reg_known(&regs[KBPF_REG_1], 0);
	if (size) {
		regs[KBPF_REG_1].type = KBPF_REG_PTR_TO_MEM;
		regs[KBPF_REG_1].range = size;
	}
	kbpf_mark_reg_known(&regs[KBPF_REG_2], size);
	return 0;
}

const struct kbpf_prog_type_ops kbpf_raw_prog_type = {
	.name = "raw",
	.ctx_size = 0,
	.ret_min = S64_MIN,
	.ret_max = S64_MAX,
	.helpers = &raw_helper_table,
	.init_entry_regs = raw_init_entry_regs,
};
