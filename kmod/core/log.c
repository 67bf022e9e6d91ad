// SPDX-License-Identifier: GPL-2.0
/*
 * The bounded log the verifier and loader explain themselves in.  A message
 * that does not fit is cut at the end of the buffer and the log marked
 * truncated; the buffer always stays NUL-terminated.
 */
#include "kbpf_core.h"

void kbpf_log_init(struct kbpf_log *log, char *buf, u32 size, u32 level)
{
	log->buf = buf;
	log->size = buf ? size : 0;
	log->len = 0;
	log->level = level;
	log->truncated = false;
	if (log->size)
		log->buf[0] = '\0';
}
KBPF_EXPORT_FOR_KUNIT(kbpf_log_init);

void kbpf_log_printf(struct kbpf_log *log, const char *fmt, ...)
{
	u32 room;
	va_list ap;
	int n;

	/* Level 0 means the caller asked for no log at all. */
	if (!log || !log->size || !log->level)
		return;
	if (log->len >= log->size - 1) {
		log->truncated = true;
		return;
	}
	room = log->size - log->len;
	va_start(ap, fmt);
	n = vsnprintf(log->buf + log->len, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((u32)n >= room) {
		log->len = log->size - 1;
		log->truncated = true;
	} else {
		log->len += n;
	}
}
KBPF_EXPORT_FOR_KUNIT(kbpf_log_printf);
