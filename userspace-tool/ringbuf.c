// SPDX-License-Identifier: GPL-2.0
/*
 * A kbpf ring buffer read the way libbpf's ring_buffer__poll() reads a BPF
 * one (the layout is in uapi/linux/kbpf.h, KBPF_IOC_MAP_GET_FD): acquire
 * producer_pos, walk records from consumer_pos, stop at a busy one, skip
 * discarded ones, release consumer_pos past each record handled.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#include "main.h"
#include "ctl.h"
#include "ringbuf.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	stop_requested = 1;
}

bool ringbuf_stop_requested(void)
{
	return stop_requested;
}

void ringbuf_stop_on_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	/* No SA_RESTART: poll() returns EINTR and the loop sees the flag. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A reader that went away (| head) ends the stream too. */
	sigaction(SIGPIPE, &sa, NULL);
}

int ringbuf_open(int dev_fd, const struct kbpf_map_info *info,
		 struct ringbuf *rb)
{
	struct kbpf_map_get_fd_attr attr = { .size = sizeof(attr) };
	int err;

	memset(rb, 0, sizeof(*rb));
	rb->fd = -1;
	rb->cons = rb->prod = MAP_FAILED;
	if (info->type != KBPF_MAP_TYPE_RINGBUF) {
		p_err("map '%s' is %s, not a ringbuf", info->name,
		      kbpf_map_type_name(info->type));
		return -1;
	}
	attr.map_id = info->id;
	err = kbpf_dev_ioctl(dev_fd, KBPF_IOC_MAP_GET_FD, &attr);
	if (err) {
		p_err("map '%s': cannot open its ring buffer: %s", info->name,
		      strerror(-err));
		return -1;
	}
	rb->fd = attr.fd;
	rb->page = sysconf(_SC_PAGESIZE);
	rb->mask = info->max_entries - 1;
	rb->cons = mmap(NULL, rb->page, PROT_READ | PROT_WRITE, MAP_SHARED,
			rb->fd, 0);
	rb->prod_len = rb->page + 2 * (size_t)info->max_entries;
	rb->prod = mmap(NULL, rb->prod_len, PROT_READ, MAP_SHARED, rb->fd,
			rb->page);
	if (rb->cons == MAP_FAILED || rb->prod == MAP_FAILED) {
		p_err("map '%s': cannot map its ring buffer: %s", info->name,
		      strerror(errno));
		ringbuf_close(rb);
		return -1;
	}
	rb->data = (const unsigned char *)rb->prod + rb->page;
	return 0;
}

void ringbuf_close(struct ringbuf *rb)
{
	if (rb->prod != MAP_FAILED && rb->prod)
		munmap(rb->prod, rb->prod_len);
	if (rb->cons != MAP_FAILED && rb->cons)
		munmap(rb->cons, rb->page);
	if (rb->fd >= 0)
		close(rb->fd);
	rb->fd = -1;
}

/* Every complete record up to the producer; *seen counts them. */
static int consume_ready(struct ringbuf *rb, ringbuf_fn fn, void *arg,
			 __u64 count, __u64 *seen)
{
	__u64 *cons_pos = rb->cons, *prod_pos = rb->prod;
	__u64 cons = __atomic_load_n(cons_pos, __ATOMIC_ACQUIRE);
	__u64 prod = __atomic_load_n(prod_pos, __ATOMIC_ACQUIRE);
	const __u32 *hdr;
	__u32 len;
	int ret;

	while (cons < prod) {
		hdr = (const __u32 *)(rb->data + (cons & rb->mask));
		len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
		if (len & KBPF_RINGBUF_BUSY_BIT)
			break;
		ret = 0;
		if (!(len & KBPF_RINGBUF_DISCARD_BIT)) {
			len &= ~(KBPF_RINGBUF_BUSY_BIT | KBPF_RINGBUF_DISCARD_BIT);
			/* The data area is mapped twice: records never wrap. */
			ret = fn(arg, (const unsigned char *)hdr +
				 KBPF_RINGBUF_HDR_SZ, len);
			(*seen)++;
		} else {
			len &= ~(KBPF_RINGBUF_BUSY_BIT | KBPF_RINGBUF_DISCARD_BIT);
		}
		cons += (KBPF_RINGBUF_HDR_SZ + len + 7) & ~7ULL;
		__atomic_store_n(cons_pos, cons, __ATOMIC_RELEASE);
		if (ret < 0)
			return ret;
		if (ret > 0 || (count && *seen >= count))
			return 1;
	}
	return 0;
}

static __s64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__s64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int ringbuf_consume(struct ringbuf *rb, ringbuf_fn fn, void *arg,
		    __u64 count, int timeout_ms)
{
	__s64 deadline = timeout_ms >= 0 ? now_ms() + timeout_ms : -1;
	struct pollfd pfd = { .fd = rb->fd, .events = POLLIN };
	__u64 seen = 0;
	int ret, wait;

	while (!stop_requested) {
		ret = consume_ready(rb, fn, arg, count, &seen);
		if (ret < 0) {
			p_err("%s", strerror(-ret));
			return -1;
		}
		if (ret > 0)
			return 0;
		wait = 1000;
		if (deadline >= 0) {
			if (now_ms() >= deadline)
				return 0;
			if (deadline - now_ms() < wait)
				wait = deadline - now_ms();
		}
		/* Woken by a record; the timeout also catches lost wakeups. */
		if (poll(&pfd, 1, wait) < 0 && errno != EINTR) {
			p_err("poll: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}
