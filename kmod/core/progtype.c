// SPDX-License-Identifier: GPL-2.0
/*
 * Program types: the table of struct kbpf_prog_type_ops, one per type,
 * each defined in its own file under progtypes/, and the two questions the
 * verifier asks of them (entry registers, context field access).  A new
 * type is one file there plus its line here.
 */
#include "verifier/types.h"
#include "helpers.h"

static const struct kbpf_prog_type_ops *const kbpf_prog_types[] = {
	[KBPF_PROG_TYPE_UNSPEC] = &kbpf_raw_prog_type,
	[KBPF_PROG_TYPE_NETFILTER] = &kbpf_netfilter_prog_type,
};

const struct kbpf_prog_type_ops *kbpf_prog_type_ops(u32 type)
{
	if (type >= ARRAY_SIZE(kbpf_prog_types))
		return NULL;
	return kbpf_prog_types[type];
}
KBPF_EXPORT_FOR_KUNIT(kbpf_prog_type_ops);

/* The helpers a program of type has when its loader chose none. */
const struct kbpf_helper_table *kbpf_prog_type_helpers(u32 type)
{
	const struct kbpf_prog_type_ops *ops = kbpf_prog_type_ops(type);

	return ops ? ops->helpers : NULL;
}

/* The registers a program of env's type starts with, besides r10. */
int kbpf_init_entry_regs(struct kbpf_verifier_env *env,
			 struct kbpf_reg_state *regs)
{
	return env->type_info->init_entry_regs(env, regs);
}

static int field_access(const struct kbpf_ctx_field *f, s32 off, u32 size,
			bool write)
{
	if (write && !f->writable)
		return -EACCES;
	/* Pointers and stores: the whole field, nothing less. */
	if (f->kind != KBPF_CTX_SCALAR || write)
		return off == f->off && size == f->size ? 0 : -EACCES;
	if (size > f->size || off % size || off + size > f->off + f->size)
		return -EACCES;
	return 0;
}

/*
 * May prog read (or write) size bytes at off of its context?  0 with
 * *type the kind of value read, noting the field in prog->ctx_fields, or
 * -EACCES.  The verifier asks on every path it walks, so the bits cover
 * every access a run can make.
 */
int kbpf_ctx_field_access(struct kbpf_prog *prog, s32 off, u32 size,
			  bool write, enum kbpf_reg_type *type)
{
	const struct kbpf_prog_type_ops *ops = kbpf_prog_type_ops(prog->type);
	u32 i;

	if (!ops || off < 0)
		return -EACCES;
	for (i = 0; i < ops->ctx_field_cnt; i++) {
		const struct kbpf_ctx_field *f = &ops->ctx_fields[i];

		if (off < f->off || off >= f->off + f->size)
			continue;
		if (field_access(f, off, size, write))
			return -EACCES;
		*type = f->kind == KBPF_CTX_PACKET ? KBPF_REG_PTR_TO_PACKET :
			f->kind == KBPF_CTX_PACKET_END ?
			KBPF_REG_PTR_TO_PACKET_END : KBPF_REG_SCALAR;
		prog->ctx_fields |= 1u << i;
		return 0;
	}
	return -EACCES;
}

/* A helper call in insn given the context (an argument typed ctx). */
static bool passes_ctx(const struct kbpf_prog *prog,
		       const struct kbpf_insn *insn)
{
	const struct kbpf_helper *h;
	u32 i;

	if (insn->code != (KBPF_JMP | KBPF_CALL) || insn->src_reg ||
	    insn->imm < 0 || !prog->helpers ||
	    (u32)insn->imm >= prog->helpers->count)
		return false;
	h = &prog->helpers->helpers[insn->imm];
	for (i = 0; i < KBPF_HELPER_ARGS; i++)
		if (h->args[i] == KBPF_ARG_PTR_TO_CTX)
			return true;
	return false;
}

/*
 * After verification: the fields the verifier saw accessed are what a run
 * reaches, unless the context leaves the program's code, where the
 * verifier does not follow it: a helper reads what it likes (a packet
 * helper the family), a tail call's target is chosen at run time.  Then,
 * and for a program loaded without the verifier, every field.
 */
void kbpf_ctx_fields_settle(struct kbpf_prog *prog)
{
	const struct kbpf_prog_type_ops *ops = kbpf_prog_type_ops(prog->type);
	u32 all = ops && ops->ctx_field_cnt ?
		  (u32)(((u64)1 << ops->ctx_field_cnt) - 1) : 0;
	u32 i;

	if (!prog->verified) {
		prog->ctx_fields = all;
		return;
	}
	for (i = 0; i < prog->insn_cnt; i++) {
		if (passes_ctx(prog, &prog->insns[i])) {
			prog->ctx_fields = all;
			return;
		}
	}
}
