// SPDX-License-Identifier: GPL-2.0
/*
 * Say hello for every IPv4 packet arriving at this host, with its protocol
 * and length, and accept it.  The lines go to this program's own trace
 * buffer, not the kernel's trace_pipe:
 *
 *	kbpfctl load build/examples/hello.bpf.o
 *	kbpfctl trace hello
 *	1733000000.123456 0 7 hello: hello: proto 1 len 84
 */
#include <linux/types.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

SEC("kbpf/ipv4/local_in")
int hello(struct kbpf_nf_ctx *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;
	__u32 proto = 0;

	if (data + 10 <= data_end)
		proto = data[9];
	bpf_printk("hello: proto %u len %u", proto, ctx->len);
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
