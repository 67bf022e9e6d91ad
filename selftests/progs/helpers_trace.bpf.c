// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_printk per ICMP packet, after writing ctx->mark: the e2e test reads
 * the line back through KBPF_IOC_TRACE_OPEN and finds the mark it wrote.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

SEC("kbpf/ipv4/local_in")
int trace_icmp(struct kbpf_nf_ctx *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct iphdr *ip = data;

	if ((void *)(ip + 1) > end || ip->protocol != IPPROTO_ICMP)
		return KBPF_NF_ACCEPT;
	ctx->mark = 0x2a;
	bpf_printk("icmp len %u mark %x ttl %d", ctx->len, ctx->mark, ip->ttl);
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
