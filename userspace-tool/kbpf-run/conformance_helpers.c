// SPDX-License-Identifier: GPL-2.0
#include "conformance_helpers.h"

#define CONFORMANCE_HELPER_IDENTITY	5

static u64 helper_identity(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return r1;
}

int kbpf_conformance_helpers_init(struct kbpf_helper_table *table,
				  struct kbpf_helper **array)
{
	const struct kbpf_helper_table *def = &kbpf_default_helpers;
	u32 count = def->count;
	struct kbpf_helper *h;

	if (count <= CONFORMANCE_HELPER_IDENTITY)
		count = CONFORMANCE_HELPER_IDENTITY + 1;
	h = kbpf_zalloc(count * sizeof(*h));
	if (!h)
		return -ENOMEM;
	memcpy(h, def->helpers, def->count * sizeof(*h));
	h[CONFORMANCE_HELPER_IDENTITY] = (struct kbpf_helper){
		.name = "identity",
		.fn = helper_identity,
		.ret = KBPF_RET_INTEGER,
		.args = { KBPF_ARG_ANYTHING },
	};
	table->helpers = h;
	table->count = count;
	*array = h;
	return 0;
}
