// SPDX-License-Identifier: GPL-2.0
/*
 * Program types: the table of struct kbpf_prog_type_ops, one per type,
 * each defined in its own file under progtypes/, and the two questions the
 * verifier asks of them (entry registers, context field access).  A new
 * type is one file there plus its line here.
 */
#include "verifier_types.h"
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
 * May a program of prog_type read (or write) size bytes at off of its
 * context?  0 with *type the kind of value read, or -EACCES.
 */
int kbpf_ctx_field_access(u32 prog_type, s32 off, u32 size, bool write,
			  enum kbpf_reg_type *type)
{
	const struct kbpf_prog_type_ops *ops = kbpf_prog_type_ops(prog_type);
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
		return 0;
	}
	return -EACCES;
}
