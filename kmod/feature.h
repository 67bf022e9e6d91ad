/* SPDX-License-Identifier: GPL-2.0 */
/* What kbpfctl feature shows: profile limits, scheduling, memory. */
#ifndef KBPF_FEATURE_H
#define KBPF_FEATURE_H

#include <linux/kbpf.h>

/* Every output member of f (the caller zeroed it). */
void kbpf_feature_read(struct kbpf_feature_get_attr *f);

#endif /* KBPF_FEATURE_H */
