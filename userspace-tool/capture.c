// SPDX-License-Identifier: GPL-2.0
/*
 * kbpfctl capture MAP -w FILE [--snaplen N]: the packets a program copies
 * into a ringbuf map (struct kbpf_capture_hdr + the packet from its network
 * header, see uapi/linux/kbpf.h) written as a pcap file of link type RAW,
 * which tcpdump and Wireshark read; "-w -" streams it to stdout, so
 * "kbpfctl capture MAP -w - | tcpdump -r -" shows packets as they come.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "main.h"
#include "stream.h"

#define PCAP_MAGIC_NSEC		0xa1b23c4d	/* timestamps in nanoseconds */
#define PCAP_LINKTYPE_RAW	101		/* IPv4 or IPv6, no link layer */
#define SNAPLEN_DEFAULT		262144		/* tcpdump's */

struct pcap_file_hdr {
	__u32 magic;
	__u16 version_major;
	__u16 version_minor;
	__s32 thiszone;
	__u32 sigfigs;
	__u32 snaplen;
	__u32 linktype;
};

struct pcap_rec_hdr {
	__u32 ts_sec;
	__u32 ts_nsec;
	__u32 incl_len;
	__u32 orig_len;
};

struct capture_ctx {
	FILE *out;
	__u32 snaplen;
	__s64 boot_to_real_ns;		/* CLOCK_REALTIME - CLOCK_BOOTTIME */
	__u64 packets;
	__u64 skipped;
};

static __s64 clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (__s64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int write_file_hdr(struct capture_ctx *c)
{
	struct pcap_file_hdr h = {
		.magic = PCAP_MAGIC_NSEC,
		.version_major = 2,
		.version_minor = 4,
		.snaplen = c->snaplen,
		.linktype = PCAP_LINKTYPE_RAW,
	};

	return fwrite(&h, sizeof(h), 1, c->out) == 1 && !fflush(c->out) ?
	       0 : -errno;
}

static int write_packet(void *arg, const void *rec, __u32 len)
{
	struct capture_ctx *c = arg;
	struct kbpf_capture_hdr h;
	struct pcap_rec_hdr r;
	__s64 ts;

	if (len < sizeof(h)) {
		c->skipped++;
		return 0;
	}
	memcpy(&h, rec, sizeof(h));
	if (h.caplen > len - sizeof(h)) {
		c->skipped++;
		return 0;
	}
	ts = (__s64)h.tstamp_ns + c->boot_to_real_ns;
	r.ts_sec = ts / 1000000000;
	r.ts_nsec = ts % 1000000000;
	r.incl_len = h.caplen < c->snaplen ? h.caplen : c->snaplen;
	r.orig_len = h.len > h.caplen ? h.len : h.caplen;
	if (fwrite(&r, sizeof(r), 1, c->out) != 1 ||
	    fwrite((const char *)rec + sizeof(h), 1, r.incl_len, c->out) !=
	    r.incl_len || fflush(c->out))
		return -(errno ?: EIO);
	c->packets++;
	return 0;
}

static int capture_help(void)
{
	if (json_output) {
		jsonw_null(json_wtr);
		return 0;
	}
	fprintf(stderr,
		"Usage: %1$s capture MAP -w FILE [--snaplen N] [count N] [timeout SECS]\n"
		"       Write the packets programs copy into the ringbuf MAP (each record\n"
		"       struct kbpf_capture_hdr + the packet from its IP header) to FILE\n"
		"       as pcap (link type RAW); '-w -' writes to stdout:\n"
		"           %1$s capture MAP -w - | tcpdump -n -r -\n"
		"       Stops after N packets, after SECS seconds, or on Ctrl-C.\n"
		"       N (snaplen) := 1..%2$u, default %2$u: bytes kept of each packet\n"
		"       MAP := { ID | NAME | id ID | name NAME }\n",
		bin_name, SNAPLEN_DEFAULT);
	return 0;
}

static void print_summary(const struct capture_ctx *c, const char *file)
{
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "file", file);
		jsonw_uint_field(json_wtr, "packets", c->packets);
		jsonw_uint_field(json_wtr, "skipped", c->skipped);
		jsonw_end_object(json_wtr);
		return;
	}
	fprintf(stderr, "%llu packet%s captured",
		(unsigned long long)c->packets, c->packets == 1 ? "" : "s");
	if (c->skipped)
		fprintf(stderr, ", %llu malformed record%s skipped",
			(unsigned long long)c->skipped,
			c->skipped == 1 ? "" : "s");
	fputc('\n', stderr);
}

static int parse_capture(int argc, char **argv, struct obj_ref *ref,
			 const char **file, __u32 *snaplen,
			 struct stream_limits *lim)
{
	__s64 v;
	int ret;

	if (parse_obj_ref(&argc, &argv, "map", ref))
		return -1;
	while (argc) {
		ret = stream_parse_limits(&argc, &argv, lim);
		if (ret < 0)
			return -1;
		if (!ret)
			continue;
		if (!strcmp(*argv, "-w")) {
			NEXT_ARG();
			if (!REQ_ARGS(1))
				return -1;
			*file = *argv;
		} else if (!strcmp(*argv, "--snaplen") ||
			   !strcmp(*argv, "snaplen")) {
			NEXT_ARG();
			if (!REQ_ARGS(1) ||
			    parse_s64(*argv, "snaplen", 1, SNAPLEN_DEFAULT, &v))
				return -1;
			*snaplen = v;
		} else {
			return BAD_ARG();
		}
		NEXT_ARG();
	}
	if (!*file) {
		p_err("'capture' needs '-w FILE' (or '-w -' for stdout)");
		return -1;
	}
	if (!strcmp(*file, "-") && json_output) {
		p_err("'-j' and '-w -' would both write to stdout");
		return -1;
	}
	return 0;
}

int do_capture(int argc, char **argv)
{
	struct stream_limits lim = { .count = 0, .timeout_ms = -1 };
	struct capture_ctx c = { .snaplen = SNAPLEN_DEFAULT };
	const char *file = NULL;
	struct obj_ref ref;
	struct stream s;
	int err = -1;

	if (argc == 1 && is_prefix(*argv, "help"))
		return capture_help();
	if (parse_capture(argc, argv, &ref, &file, &c.snaplen, &lim))
		return -1;
	if (stream_open(&ref, &s))
		goto out;
	c.out = strcmp(file, "-") ? fopen(file, "wb") : stdout;
	if (!c.out) {
		p_err("cannot write '%s': %s", file, strerror(errno));
		goto out;
	}
	c.boot_to_real_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
	if (write_file_hdr(&c)) {
		p_err("cannot write '%s': %s", file, strerror(errno));
		goto out;
	}
	err = ringbuf_consume(&s.rb, write_packet, &c, lim.count,
			      lim.timeout_ms);
	if (!err)
		print_summary(&c, file);
out:
	if (c.out && c.out != stdout && fclose(c.out) && !err) {
		p_err("cannot write '%s': %s", file, strerror(errno));
		err = -1;
	}
	stream_close(&s);
	return err ? -1 : 0;
}
