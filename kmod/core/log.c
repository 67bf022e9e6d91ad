// SPDX-License-Identifier: GPL-2.0
/*
 * The bounded log the verifier and loader explain themselves in.  A message
 * that does not fit is cut at the end of the buffer and the log marked
 * truncated; the buffer always stays NUL-terminated.  Every message is
 * measured even when nothing of it fits, so that the caller can be told the
 * size the whole log needs (Linux's log_true_size), and a closing message
 * (kbpf_log_tail(): the statistics line) makes room for itself.
 *
 * A streamed log (kbpf_log_init_sink()) holds only a window of the text:
 * when the next message does not fit the window, the window goes to the
 * sink and starts over, so the kernel copies a log of up to 16 MiB to the
 * caller's buffer through KBPF_LOG_WINDOW bytes on its stack and never
 * allocates a log-sized buffer.  The text the caller sees is byte for byte
 * what one buffer of the same size would hold.
 */
#include "kbpf_core.h"

void kbpf_log_init(struct kbpf_log *log, char *buf, u32 size, u32 level)
{
	log->buf = buf;
	log->size = buf ? size : 0;
	log->len = 0;
	log->len_total = 0;
	log->level = level;
	log->truncated = false;
	log->window_size = log->size;
	log->start = 0;
	log->sink = NULL;
	log->sink_priv = NULL;
	log->sink_err = 0;
	if (log->size)
		log->buf[0] = '\0';
}
KBPF_EXPORT_FOR_KUNIT(kbpf_log_init);

void kbpf_log_init_sink(struct kbpf_log *log, char *window, u32 window_size,
			u32 size, u32 level, const struct kbpf_log_sink *sink,
			void *sink_priv)
{
	kbpf_log_init(log, window_size ? window : NULL, size, level);
	log->window_size = window_size;
	log->sink = sink;
	log->sink_priv = sink_priv;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_log_init_sink);

static bool kbpf_log_wanted(const struct kbpf_log *log)
{
	/* Level 0 means the caller asked for no log at all. */
	return log && log->size && log->level;
}

static u32 u32_min(u32 a, u32 b)
{
	return a < b ? a : b;
}

/* Where the next byte of text goes in the window. */
static char *kbpf_log_pos(const struct kbpf_log *log)
{
	return log->buf + (log->len - log->start);
}

/* Bytes a message may take now, its NUL included: window and destination. */
static u32 kbpf_log_room(const struct kbpf_log *log)
{
	u32 window = log->window_size - (log->len - log->start);

	return u32_min(window, log->size - log->len);
}

/* Give the window's text to the sink and start it over. */
static void kbpf_log_flush(struct kbpf_log *log)
{
	u32 n = log->len - log->start;

	if (!log->sink || !n)
		return;
	if (!log->sink_err)
		log->sink_err = log->sink->write(log->sink_priv, log->start,
						 log->buf, n);
	log->start = log->len;
	log->buf[0] = '\0';
}

/* Append what fits of a message; a full buffer still measures it. */
static __printf(2, 0) void kbpf_log_append(struct kbpf_log *log,
					    const char *fmt, va_list ap)
{
	u32 room = kbpf_log_room(log);	/* at least the NUL's byte */
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(kbpf_log_pos(log), room, fmt, ap);
	/* Cut by the window, not the destination: flush it and write again. */
	if (n >= 0 && (u32)n >= room && room < log->size - log->len &&
	    log->sink) {
		kbpf_log_flush(log);
		room = kbpf_log_room(log);
		vsnprintf(kbpf_log_pos(log), room, fmt, again);
	}
	va_end(again);
	if (n < 0)
		return;
	log->len_total += n;
	if ((u32)n >= room) {
		log->len += room - 1;
		log->truncated = true;
	} else {
		log->len += n;
	}
}

void kbpf_log_printf(struct kbpf_log *log, const char *fmt, ...)
{
	va_list ap;

	if (!kbpf_log_wanted(log))
		return;
	va_start(ap, fmt);
	kbpf_log_append(log, fmt, ap);
	va_end(ap);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_log_printf);

/* The last line end in the window's text before offset at, or 0. */
static u32 kbpf_log_line_end_in_window(const struct kbpf_log *log, u32 at)
{
	for (; at > log->start; at--)
		if (log->buf[at - 1 - log->start] == '\n')
			return at;
	return 0;
}

/*
 * The last line end in the text before offset at, read back from the sink
 * in window-sized pieces (the window is flushed first, so it is free).
 */
static u32 kbpf_log_line_end_in_sink(struct kbpf_log *log, u32 at)
{
	u32 n, i;

	kbpf_log_flush(log);
	while (at && !log->sink_err) {
		n = u32_min(at, log->window_size);
		log->sink_err = log->sink->read(log->sink_priv, at - n,
						log->buf, n);
		for (i = n; i && !log->sink_err; i--)
			if (log->buf[i - 1] == '\n')
				return at - n + i;
		at -= n;
	}
	return 0;
}

/* Cut the text back to keep bytes, to the end of a line when there is one. */
static void kbpf_log_cut(struct kbpf_log *log, u32 keep)
{
	u32 at = kbpf_log_line_end_in_window(log, keep);

	if (!at && log->start)
		at = kbpf_log_line_end_in_sink(log, u32_min(keep, log->start));
	if (at)
		keep = at;
	if (keep < log->start)
		log->start = keep;	/* what follows is written over */
	log->len = keep;
	*kbpf_log_pos(log) = '\0';
	log->truncated = true;
}

void kbpf_log_tail(struct kbpf_log *log, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!kbpf_log_wanted(log))
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	/* Make room by cutting earlier text, never the closing message. */
	if (log->len + (u32)n >= log->size)
		kbpf_log_cut(log, (u32)n < log->size ? log->size - 1 - n : 0);
	va_start(ap, fmt);
	kbpf_log_append(log, fmt, ap);
	va_end(ap);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_log_tail);

int kbpf_log_finish(struct kbpf_log *log)
{
	if (!log->sink || !kbpf_log_wanted(log))
		return 0;
	kbpf_log_flush(log);
	if (!log->sink_err)
		log->sink_err = log->sink->write(log->sink_priv, log->len, "", 1);
	return log->sink_err;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_log_finish);

u32 kbpf_log_true_size(const struct kbpf_log *log)
{
	if (!kbpf_log_wanted(log))
		return 0;
	return log->len_total < U32_MAX ? log->len_total + 1 : U32_MAX;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_log_true_size);
