/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a kbpf RINGBUF map from userspace: the map's descriptor
 * (KBPF_IOC_MAP_GET_FD), its pages mapped as Linux maps a BPF ring buffer,
 * records consumed in place (no copy per record) and poll() to wait.
 * Shared by "kbpfctl events" and "kbpfctl capture".
 */
#ifndef KBPFCTL_RINGBUF_H
#define KBPFCTL_RINGBUF_H

#include <stdbool.h>
#include <linux/types.h>

struct kbpf_map_info;

struct ringbuf {
	int fd;
	size_t page;
	__u64 mask;			/* data size - 1 */
	void *cons;			/* consumer page */
	void *prod;			/* producer page + data, twice */
	const unsigned char *data;
	size_t prod_len;
};

/* What to do with one record: 0 to go on, 1 to stop, -errno to fail. */
typedef int (*ringbuf_fn)(void *arg, const void *rec, __u32 len);

/* Open the ring buffer of map info; -1 after p_err(). */
int ringbuf_open(int dev_fd, const struct kbpf_map_info *info,
		 struct ringbuf *rb);
void ringbuf_close(struct ringbuf *rb);

/*
 * Hand every record to fn until it returns non-zero, count records are
 * seen (0: no limit), timeout_ms passes (< 0: none) or a SIGINT/SIGTERM
 * arrives.  0 on a clean stop, -1 after p_err().
 */
int ringbuf_consume(struct ringbuf *rb, ringbuf_fn fn, void *arg,
		    __u64 count, int timeout_ms);

/* Stop consuming on SIGINT/SIGTERM (a stream's normal end). */
void ringbuf_stop_on_signals(void);
/* A stop signal arrived (for other loops that honour the same signals). */
bool ringbuf_stop_requested(void);

#endif /* KBPFCTL_RINGBUF_H */
