/* SPDX-License-Identifier: GPL-2.0 */
/* KBPF_IOC_TRACE_OPEN: per-program bpf_printk output as a readable fd. */
#ifndef KBPF_TRACE_H
#define KBPF_TRACE_H

#include <linux/kbpf.h>

#include "perm.h"

/* A new trace descriptor for attr, for caller c; or a negative errno. */
int kbpf_trace_open(const struct kbpf_caller *c,
		    const struct kbpf_trace_open_attr *attr);

#endif /* KBPF_TRACE_H */
