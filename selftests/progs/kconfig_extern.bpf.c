// SPDX-License-Identifier: GPL-2.0
/* A .kconfig extern: kbpf has no kernel configuration, the loader refuses. */
#include <linux/types.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

extern int CONFIG_HZ __kconfig;

SEC("kbpf/ipv4/local_in")
int uses_kconfig(struct kbpf_nf_ctx *ctx)
{
	return CONFIG_HZ > 100 ? KBPF_NF_ACCEPT : KBPF_NF_DROP;
}

char LICENSE[] SEC("license") = "GPL";
