// SPDX-License-Identifier: GPL-2.0
/*
 * Program types: what a program of each type gets in r1 and must return,
 * and which context fields it may touch.
 *
 * A netfilter program's context (struct kbpf_nf_ctx) is read-only.  Its
 * data and data_end members, read as whole 8-byte words, turn into packet
 * and packet-end pointers; the u32 members read as plain numbers, also in
 * aligned 1- or 2-byte pieces (clang narrows loads of masked fields).
 *
 * The raw type (KBPF_PROG_TYPE_UNSPEC, for kbpf-run --verify and the
 * conformance suite) has no context: r1 points at opts->mem_size bytes the
 * program may read and write, r2 holds mem_size, and any r0 is fine.  The
 * glue refuses this type from userspace, so it never reaches the kernel.
 */
#include "verifier_types.h"

static const struct kbpf_prog_type_info kbpf_prog_types[] = {
	[KBPF_PROG_TYPE_UNSPEC] = {
		.name = "raw",
		.ctx_size = 0,
		.ret_min = S64_MIN,
		.ret_max = S64_MAX,
	},
	[KBPF_PROG_TYPE_NETFILTER] = {
		.name = "netfilter",
		.ctx_size = sizeof(struct kbpf_nf_ctx),
		.ret_min = KBPF_NF_DROP,
		.ret_max = KBPF_NF_ACCEPT,
	},
};

const struct kbpf_prog_type_info *kbpf_prog_type_info(u32 type)
{
	if (type >= ARRAY_SIZE(kbpf_prog_types) || !kbpf_prog_types[type].name)
		return NULL;
	return &kbpf_prog_types[type];
}
KBPF_EXPORT_FOR_KUNIT(kbpf_prog_type_info);

/* r1 and r2 of the raw type: the memory and its size. */
static int init_raw_regs(struct kbpf_verifier_env *env,
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

/* The registers a program of env's type starts with, besides r10. */
int kbpf_init_entry_regs(struct kbpf_verifier_env *env,
			 struct kbpf_reg_state *regs)
{
	if (env->prog->type == KBPF_PROG_TYPE_UNSPEC)
		return init_raw_regs(env, regs);
	kbpf_mark_reg_known(&regs[KBPF_REG_1], 0);
	regs[KBPF_REG_1].type = KBPF_REG_PTR_TO_CTX;
	return 0;
}

static int nf_ctx_access(s32 off, u32 size, bool write,
			 enum kbpf_reg_type *type)
{
	const s32 first_u32 = offsetof(struct kbpf_nf_ctx, len);
	s32 field;

	if (write)
		return -EACCES;
	if (off == offsetof(struct kbpf_nf_ctx, data) && size == 8) {
		*type = KBPF_REG_PTR_TO_PACKET;
		return 0;
	}
	if (off == offsetof(struct kbpf_nf_ctx, data_end) && size == 8) {
		*type = KBPF_REG_PTR_TO_PACKET_END;
		return 0;
	}
	if (off < first_u32 || off >= (s32)sizeof(struct kbpf_nf_ctx))
		return -EACCES;
	if (size > 4 || off % size)
		return -EACCES;
	field = off - (off - first_u32) % 4;
	if (off + (s32)size > field + 4)
		return -EACCES;
	*type = KBPF_REG_SCALAR;
	return 0;
}

/*
 * May a program of prog_type read (or write) size bytes at off of its
 * context?  0 with *type the kind of value read, or -EACCES.
 */
int kbpf_ctx_field_access(u32 prog_type, s32 off, u32 size, bool write,
			  enum kbpf_reg_type *type)
{
	switch (prog_type) {
	case KBPF_PROG_TYPE_NETFILTER:
		return nf_ctx_access(off, size, write, type);
	default:
		return -EACCES;
	}
}
