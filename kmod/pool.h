/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The embedded profile's memory: one pool reserved at module load
 * (pool_size=, default from the profile) that every core allocation comes
 * from afterwards.  In the cloud profile there is no pool.
 */
#ifndef KBPF_POOL_H
#define KBPF_POOL_H

#include <linux/types.h>

struct kbpf_pool_usage {
	size_t size;		/* 0: no pool (cloud) */
	size_t used;
	size_t peak;
};

int kbpf_pool_setup(void);
void kbpf_pool_teardown(void);
void kbpf_pool_usage(struct kbpf_pool_usage *u);

#endif /* KBPF_POOL_H */
