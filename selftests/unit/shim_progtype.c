// SPDX-License-Identifier: GPL-2.0
/*
 * Linked into the core library only while kmod/core/progtype.c does not
 * exist (see mk/core.mk): the one program type the ABI defines.
 */
#include "kbpf_core.h"

static const struct kbpf_prog_type_info shim_netfilter = {
	.name = "netfilter",
	.ctx_size = sizeof(struct kbpf_nf_ctx),
	.ret_min = KBPF_NF_DROP,
	.ret_max = KBPF_NF_ACCEPT,
};

const struct kbpf_prog_type_info *kbpf_prog_type_info(u32 type)
{
	return type == KBPF_PROG_TYPE_NETFILTER ? &shim_netfilter : NULL;
}
