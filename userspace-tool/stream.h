/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What "kbpfctl events" and "kbpfctl capture" share: a ringbuf map opened
 * for streaming, and the words that bound a stream (count N, timeout SECS).
 */
#ifndef KBPFCTL_STREAM_H
#define KBPFCTL_STREAM_H

#include "ctl.h"
#include "ringbuf.h"

struct stream_limits {
	__u64 count;		/* records to read; 0: until stopped */
	int timeout_ms;		/* < 0: none */
};

struct stream {
	struct kbpf_map_info info;
	int dev_fd;
	struct ringbuf rb;
};

/* 0: consumed "count N" or "timeout SECS"; 1: not one of those; -1: error. */
int stream_parse_limits(int *argc, char ***argv, struct stream_limits *l);
/* The ringbuf map ref, ready to consume; -1 after p_err().  Close anyway. */
int stream_open(const struct obj_ref *ref, struct stream *s);
void stream_close(struct stream *s);

int do_events_help(void);

#endif /* KBPFCTL_STREAM_H */
