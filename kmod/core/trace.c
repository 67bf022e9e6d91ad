// SPDX-License-Identifier: GPL-2.0
/*
 * Per-program trace buffers: where trace_printk (bpf_printk) lines go
 * instead of the kernel's global trace pipe.
 *
 * A buffer is a ring of fixed-size slots, one line each, under one irq-safe
 * lock.  Writers run inside programs (softirq, any CPU): they take the lock
 * for a copy of at most KBPF_TRACE_TEXT_MAX bytes and never wait for a
 * reader.  When the ring is full the new line is dropped and counted; the
 * count is handed to the reader with the next line it reads, so a reader
 * can say where lines went missing.  Fixed slots keep the accounting
 * trivial: a buffer's memory is known when the program is loaded.
 */
#include "kbpf_core.h"

struct trace_slot {
	u64 ts_ns;
	u64 dropped_before;
	u32 cpu;
	u32 len;
	char text[KBPF_TRACE_TEXT_MAX];
};

struct kbpf_trace_buf {
	struct kbpf_refcount refcnt;
	struct kbpf_lock lock;
	u32 mask;		/* slots - 1; slots is a power of two */
	u32 head;		/* next slot to write (free-running) */
	u32 tail;		/* oldest unread slot (free-running) */
	u64 pending_drops;	/* dropped since the last stored line */
	bool closed;		/* its program is gone: no more lines */
	struct kbpf_trace_stats stats;
	struct trace_slot slots[];
};

static u32 round_down_pow2(u32 n)
{
	u32 p = 1;

	while (p <= n / 2)
		p *= 2;
	return p;
}

int kbpf_trace_buf_alloc(u32 lines, struct kbpf_trace_buf **bufp)
{
	struct kbpf_trace_buf *buf;

	*bufp = NULL;
	if (!lines)
		return -EINVAL;
	lines = round_down_pow2(lines);
	buf = kbpf_zalloc(sizeof(*buf) + (size_t)lines * sizeof(buf->slots[0]));
	if (!buf)
		return -ENOMEM;
	kbpf_refcount_set(&buf->refcnt, 1);
	kbpf_lock_init(&buf->lock);
	buf->mask = lines - 1;
	*bufp = buf;
	return 0;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_trace_buf_alloc);

void kbpf_trace_buf_get(struct kbpf_trace_buf *buf)
{
	kbpf_refcount_inc(&buf->refcnt);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_trace_buf_get);

void kbpf_trace_buf_put(struct kbpf_trace_buf *buf)
{
	if (buf && kbpf_refcount_dec_and_test(&buf->refcnt))
		kbpf_free(buf);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_trace_buf_put);

void kbpf_trace_buf_close(struct kbpf_trace_buf *buf)
{
	if (!buf)
		return;
	kbpf_lock_acquire(&buf->lock);
	buf->closed = true;
	kbpf_lock_release(&buf->lock);
	kbpf_trace_notify();
}
KBPF_EXPORT_FOR_KUNIT(kbpf_trace_buf_close);

bool kbpf_trace_buf_done(struct kbpf_trace_buf *buf)
{
	bool done;

	kbpf_lock_acquire(&buf->lock);
	done = buf->closed && buf->head == buf->tail;
	kbpf_lock_release(&buf->lock);
	return done;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_trace_buf_done);

void kbpf_trace_write(struct kbpf_trace_buf *buf, const char *text, u32 len)
{
	struct trace_slot *slot;
	u64 now = kbpf_ktime_get_boot_ns();
	u32 cpu = kbpf_processor_id();

	if (len > KBPF_TRACE_TEXT_MAX)
		len = KBPF_TRACE_TEXT_MAX;
	kbpf_lock_acquire(&buf->lock);
	if (buf->head - buf->tail > buf->mask) {
		buf->pending_drops++;
		buf->stats.dropped++;
		kbpf_lock_release(&buf->lock);
		return;
	}
	slot = &buf->slots[buf->head & buf->mask];
	slot->ts_ns = now;
	slot->cpu = cpu;
	slot->len = len;
	slot->dropped_before = buf->pending_drops;
	memcpy(slot->text, text, len);
	buf->pending_drops = 0;
	buf->head++;
	buf->stats.written++;
	kbpf_lock_release(&buf->lock);
	kbpf_trace_notify();
}
KBPF_EXPORT_FOR_KUNIT(kbpf_trace_write);

int kbpf_trace_read(struct kbpf_trace_buf *buf, struct kbpf_trace_line *line)
{
	const struct trace_slot *slot;

	kbpf_lock_acquire(&buf->lock);
	if (buf->head == buf->tail) {
		kbpf_lock_release(&buf->lock);
		return -ENOENT;
	}
	slot = &buf->slots[buf->tail & buf->mask];
	line->ts_ns = slot->ts_ns;
	line->dropped = slot->dropped_before;
	line->cpu = slot->cpu;
	line->len = slot->len;
	memcpy(line->text, slot->text, slot->len);
	line->text[slot->len] = '\0';
	buf->tail++;
	kbpf_lock_release(&buf->lock);
	return 0;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_trace_read);

int kbpf_trace_peek(struct kbpf_trace_buf *buf, u64 *ts_ns)
{
	int err = -ENOENT;

	kbpf_lock_acquire(&buf->lock);
	if (buf->head != buf->tail) {
		*ts_ns = buf->slots[buf->tail & buf->mask].ts_ns;
		err = 0;
	}
	kbpf_lock_release(&buf->lock);
	return err;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_trace_peek);

void kbpf_trace_get_stats(struct kbpf_trace_buf *buf,
			  struct kbpf_trace_stats *stats)
{
	kbpf_lock_acquire(&buf->lock);
	*stats = buf->stats;
	kbpf_lock_release(&buf->lock);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_trace_get_stats);
