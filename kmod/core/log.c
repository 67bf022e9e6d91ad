// SPDX-License-Identifier: GPL-2.0
/*
 * The bounded log the verifier and loader explain themselves in.  A message
 * that does not fit is cut at the end of the buffer and the log marked
 * truncated; the buffer always stays NUL-terminated.  Every message is
 * measured even when nothing of it fits, so that the caller can be told the
 * size the whole log needs (Linux's log_true_size), and a closing message
 * (kbpf_log_tail(): the statistics line) makes room for itself.
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
	if (log->size)
		log->buf[0] = '\0';
}
KBPF_EXPORT_FOR_KUNIT(kbpf_log_init);

static bool kbpf_log_wanted(const struct kbpf_log *log)
{
	/* Level 0 means the caller asked for no log at all. */
	return log && log->size && log->level;
}

/* Append what fits of a message; a full buffer still measures it. */
static __printf(2, 0) void kbpf_log_append(struct kbpf_log *log,
					    const char *fmt, va_list ap)
{
	u32 room = log->size - log->len;	/* at least the NUL's byte */
	int n;

	n = vsnprintf(log->buf + log->len, room, fmt, ap);
	if (n < 0)
		return;
	log->len_total += n;
	if ((u32)n >= room) {
		log->len = log->size - 1;
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

/* Cut the text back to keep bytes, to the end of a line when there is one. */
static void kbpf_log_cut(struct kbpf_log *log, u32 keep)
{
	u32 at = keep;

	while (at && log->buf[at - 1] != '\n')
		at--;
	if (at)
		keep = at;
	log->len = keep;
	log->buf[keep] = '\0';
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

u32 kbpf_log_true_size(const struct kbpf_log *log)
{
	if (!kbpf_log_wanted(log))
		return 0;
	return log->len_total < U32_MAX ? log->len_total + 1 : U32_MAX;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_log_true_size);
