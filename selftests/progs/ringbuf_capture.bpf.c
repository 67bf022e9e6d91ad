// SPDX-License-Identifier: GPL-2.0
/*
 * Two ring buffers filled from ipv4/local_in, for kbpfctl events and
 * kbpfctl capture: "pkt_events" gets a typed struct pkt_event per packet
 * (bpf_ringbuf_output), "pkt_capture" a struct kbpf_capture_hdr and the
 * first bytes of every ICMP packet, copied from the linear part without a
 * helper (bpf_ringbuf_reserve/submit).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/kbpf.h>
#include <bpf/bpf_helpers.h>

#define SNAP	64

struct pkt_event {
	__u32 proto;
	__u32 len;
	__u32 mark;
	char tag[4];
};

struct pkt_rec {
	struct kbpf_capture_hdr hdr;
	__u8 data[SNAP];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 4096);
} pkt_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 4096);
} pkt_capture SEC(".maps");

SEC("kbpf/ipv4/local_in")
int ringbuf_capture(struct kbpf_nf_ctx *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;
	struct pkt_event ev = { .tag = "pkt" };
	struct pkt_rec *rec;
	__u32 i;

	if (data + 20 > data_end)
		return KBPF_NF_ACCEPT;
	ev.proto = data[9];
	ev.len = ctx->len;
	ev.mark = ctx->mark;
	bpf_ringbuf_output(&pkt_events, &ev, sizeof(ev), 0);
	if (data[9] != 1)
		return KBPF_NF_ACCEPT;

	rec = bpf_ringbuf_reserve(&pkt_capture, sizeof(*rec), 0);
	if (!rec)
		return KBPF_NF_ACCEPT;
	for (i = 0; i < SNAP; i++) {
		if (data + i + 1 > data_end)
			break;
		rec->data[i] = data[i];
	}
	rec->hdr.tstamp_ns = bpf_ktime_get_ns();
	rec->hdr.ifindex = ctx->ifindex;
	rec->hdr.len = ctx->len;
	rec->hdr.caplen = i;
	rec->hdr.__reserved = 0;
	bpf_ringbuf_submit(rec, 0);
	return KBPF_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
