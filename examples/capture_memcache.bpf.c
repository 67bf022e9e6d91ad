// SPDX-License-Identifier: GPL-2.0
/*
 * Capture memcached traffic (TCP port 11211) arriving at this host: each
 * such packet's first 128 bytes go into a ring buffer record headed by
 * struct kbpf_capture_hdr, which `kbpfctl capture` turns into a pcap file.
 * Other packets are not copied.
 *
 *	kbpfctl load build/examples/capture_memcache.bpf.o
 *	kbpfctl capture capture_rb -w - | tcpdump -n -r -
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define SNAPLEN		128
#define MEMCACHE_PORT	11211
#define IPPROTO_TCP_NUM	6

struct capture_rec {
	struct kbpf_capture_hdr hdr;
	__u8 data[SNAPLEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} capture_rb SEC(".maps");

/* The TCP ports of an IPv4 packet, or 0 when it is not a whole TCP header. */
static __u32 tcp_ports(struct kbpf_nf_ctx *ctx, __u16 *sport, __u16 *dport)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;
	__u8 *tcp;
	__u32 ihl;

	if (data + 20 > data_end || data[9] != IPPROTO_TCP_NUM)
		return 0;
	/* A fragment after the first has no TCP header. */
	if ((data[6] & 0x1f) || data[7])
		return 0;
	ihl = (data[0] & 0x0f) * 4;
	if (ihl < 20)
		return 0;
	tcp = data + ihl;
	if (tcp + 4 > data_end)
		return 0;
	*sport = (__u16)tcp[0] << 8 | tcp[1];
	*dport = (__u16)tcp[2] << 8 | tcp[3];
	return 1;
}

SEC("kbpf/ipv4/local_in")
int capture_memcache(struct kbpf_nf_ctx *ctx)
{
	struct capture_rec *rec;
	__u16 sport, dport;
	__u32 n;

	if (!tcp_ports(ctx, &sport, &dport) ||
	    (sport != MEMCACHE_PORT && dport != MEMCACHE_PORT))
		return KBPF_NF_ACCEPT;

	rec = bpf_ringbuf_reserve(&capture_rb, sizeof(*rec), 0);
	if (!rec)
		return KBPF_NF_ACCEPT;	/* full: the reader is behind */
	n = ctx->len < SNAPLEN ? ctx->len : SNAPLEN;
	if (n < 1 || bpf_skb_load_bytes(ctx, 0, rec->data, n) < 0) {
		bpf_ringbuf_discard(rec, 0);
		return KBPF_NF_ACCEPT;
	}
	rec->hdr.tstamp_ns = bpf_ktime_get_boot_ns();
	rec->hdr.ifindex = ctx->ifindex;
	rec->hdr.len = ctx->len;
	rec->hdr.caplen = n;
	rec->hdr.__reserved = 0;
	bpf_ringbuf_submit(rec, 0);
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
