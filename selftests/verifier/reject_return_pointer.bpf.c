// SPDX-License-Identifier: GPL-2.0
/* EXPECT: reject "R0 leaks addr as return value"
 *
 * Returns a kernel address as the verdict.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

SEC("kbpf/ipv4/local_in")
int return_pointer(struct kbpf_nf_ctx *ctx)
{
	return (long)ctx;
}

char LICENSE[] SEC("license") = "GPL";
