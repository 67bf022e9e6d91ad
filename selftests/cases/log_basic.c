// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf_log_basic: the bounded verifier log (kbpf_log_init/kbpf_log_printf,
 * kbpf_log_tail, kbpf_log_true_size).
 *
 * Expected behaviour is the contract in kbpf_core.h and uapi/linux/kbpf.h:
 * messages are appended; the buffer stays NUL-terminated; what does not fit
 * is dropped and the log marked truncated; len counts the bytes held,
 * without the NUL; log level 0 means no log at all.  The true size is what
 * the whole log would need, NUL included, as Linux's log_true_size; the
 * closing (tail) message is kept whole, earlier text cut back to a line end.
 *
 * A streamed log (kbpf_log_init_sink()) must leave in its destination
 * exactly the bytes one buffer of the same size holds, whatever its window,
 * writing in pieces no bigger than the window and never past the NUL.
 */
#include "cases.h"

#define LOG_SIZE 16

struct log_fixture {
	struct kbpf_log log;
	char buf[LOG_SIZE + 1];		/* the last byte guards the end */
};

/* Fill with a marker so bytes the log must not touch can be checked. */
static void log_fixture_init(struct log_fixture *f, u32 size, u32 level)
{
	memset(f->buf, '#', sizeof(f->buf));
	kbpf_log_init(&f->log, f->buf, size, level);
}

/* 0 if the log holds exactly want (and len agrees), else the reason. */
static int expect_log(const struct log_fixture *f, const char *want,
		      bool truncated, char *msg, size_t msg_size)
{
	size_t n = strlen(want);

	if (strnlen(f->buf, sizeof(f->buf)) != n || memcmp(f->buf, want, n)) {
		snprintf(msg, msg_size, "buffer holds \"%.*s\", want \"%s\"",
			 (int)strnlen(f->buf, sizeof(f->buf)), f->buf, want);
		return 1;
	}
	if (f->log.len != n) {
		snprintf(msg, msg_size, "len is %u, want %zu", f->log.len, n);
		return 1;
	}
	if (f->log.truncated != truncated) {
		snprintf(msg, msg_size, "truncated is %d, want %d",
			 f->log.truncated, truncated);
		return 1;
	}
	return 0;
}

static int log_formats_a_message(char *msg, size_t msg_size)
{
	struct log_fixture f;

	log_fixture_init(&f, LOG_SIZE, KBPF_LOG_LEVEL_ERRORS);
	kbpf_log_printf(&f.log, "r%d is %s", 3, "bad");
	return expect_log(&f, "r3 is bad", false, msg, msg_size);
}

static int log_appends_messages(char *msg, size_t msg_size)
{
	struct log_fixture f;

	log_fixture_init(&f, LOG_SIZE, KBPF_LOG_LEVEL_ERRORS);
	kbpf_log_printf(&f.log, "ab");
	kbpf_log_printf(&f.log, "%s", "");
	kbpf_log_printf(&f.log, "c%u", 4U);
	return expect_log(&f, "abc4", false, msg, msg_size);
}

static int log_exact_fit_is_not_truncation(char *msg, size_t msg_size)
{
	struct log_fixture f;

	/* 15 characters plus the NUL fill 16 bytes exactly. */
	log_fixture_init(&f, LOG_SIZE, KBPF_LOG_LEVEL_ERRORS);
	kbpf_log_printf(&f.log, "0123456789abcde");
	return expect_log(&f, "0123456789abcde", false, msg, msg_size);
}

static int log_cuts_a_long_message(char *msg, size_t msg_size)
{
	struct log_fixture f;
	int err;

	log_fixture_init(&f, LOG_SIZE, KBPF_LOG_LEVEL_ERRORS);
	kbpf_log_printf(&f.log, "0123456789abcdef-and-more");
	err = expect_log(&f, "0123456789abcde", true, msg, msg_size);
	if (!err && f.buf[LOG_SIZE] != '#') {
		snprintf(msg, msg_size, "wrote past the end of the buffer");
		err = 1;
	}
	return err;
}

static int log_drops_messages_after_truncation(char *msg, size_t msg_size)
{
	struct log_fixture f;

	log_fixture_init(&f, 8, KBPF_LOG_LEVEL_ERRORS);
	kbpf_log_printf(&f.log, "abcdefghij");
	kbpf_log_printf(&f.log, "x");
	return expect_log(&f, "abcdefg", true, msg, msg_size);
}

static int log_second_message_cut_midway(char *msg, size_t msg_size)
{
	struct log_fixture f;

	log_fixture_init(&f, 8, KBPF_LOG_LEVEL_ERRORS);
	kbpf_log_printf(&f.log, "abcd");
	kbpf_log_printf(&f.log, "%d", 123456);
	return expect_log(&f, "abcd123", true, msg, msg_size);
}

static int log_level_zero_records_nothing(char *msg, size_t msg_size)
{
	struct log_fixture f;

	log_fixture_init(&f, LOG_SIZE, 0);
	kbpf_log_printf(&f.log, "ignored");
	return expect_log(&f, "", false, msg, msg_size);
}

static int log_without_buffer_is_harmless(char *msg, size_t msg_size)
{
	struct kbpf_log log;

	kbpf_log_init(&log, NULL, 0, KBPF_LOG_LEVEL_ERRORS);
	kbpf_log_printf(&log, "nowhere to go %d", 1);
	if (log.len) {
		snprintf(msg, msg_size, "len is %u with no buffer", log.len);
		return 1;
	}
	return 0;
}

static int expect_true_size(const struct kbpf_log *log, u32 want,
			    char *msg, size_t msg_size)
{
	u32 got = kbpf_log_true_size(log);

	if (got != want) {
		snprintf(msg, msg_size, "true size is %u, want %u", got, want);
		return 1;
	}
	return 0;
}

static int log_true_size_counts_what_was_cut(char *msg, size_t msg_size)
{
	struct log_fixture f;

	log_fixture_init(&f, 8, KBPF_LOG_LEVEL_ERRORS);
	kbpf_log_printf(&f.log, "abcdefghij");	/* 10 */
	kbpf_log_printf(&f.log, "%d", 12345);	/* 5, none of it fits */
	return expect_log(&f, "abcdefg", true, msg, msg_size) ?:
	       expect_true_size(&f.log, 16, msg, msg_size);
}

static int log_true_size_of_a_log_that_fits(char *msg, size_t msg_size)
{
	struct log_fixture f;

	log_fixture_init(&f, LOG_SIZE, KBPF_LOG_LEVEL_ERRORS);
	kbpf_log_printf(&f.log, "abc");
	return expect_true_size(&f.log, 4, msg, msg_size);
}

static int log_tail_appends_when_it_fits(char *msg, size_t msg_size)
{
	struct log_fixture f;

	log_fixture_init(&f, LOG_SIZE, KBPF_LOG_LEVEL_ERRORS);
	kbpf_log_printf(&f.log, "a\n");
	kbpf_log_tail(&f.log, "stats\n");
	return expect_log(&f, "a\nstats\n", false, msg, msg_size);
}

static int log_tail_cuts_back_to_a_line_end(char *msg, size_t msg_size)
{
	struct log_fixture f;

	log_fixture_init(&f, LOG_SIZE, KBPF_LOG_LEVEL_ERRORS);
	/* 14 of 15 bytes used; "stats\n" needs 6, so 9 may stay: "two\n" ends at 8. */
	kbpf_log_printf(&f.log, "one\ntwo\nthree\n");
	kbpf_log_tail(&f.log, "stats\n");
	return expect_log(&f, "one\ntwo\nstats\n", true, msg, msg_size) ?:
	       expect_true_size(&f.log, 21, msg, msg_size);
}

static int log_tail_after_truncation(char *msg, size_t msg_size)
{
	struct log_fixture f;
	int err;

	log_fixture_init(&f, LOG_SIZE, KBPF_LOG_LEVEL_ERRORS);
	/* No line end to go back to: 15 - 6 = 9 bytes of it stay. */
	kbpf_log_printf(&f.log, "0123456789abcdef-and-more");
	kbpf_log_tail(&f.log, "stats\n");
	err = expect_log(&f, "012345678stats\n", true, msg, msg_size);
	if (!err && f.buf[LOG_SIZE] != '#') {
		snprintf(msg, msg_size, "wrote past the end of the buffer");
		err = 1;
	}
	return err;
}

static int log_tail_longer_than_the_buffer(char *msg, size_t msg_size)
{
	struct log_fixture f;

	log_fixture_init(&f, 8, KBPF_LOG_LEVEL_ERRORS);
	kbpf_log_printf(&f.log, "ab\n");
	kbpf_log_tail(&f.log, "statistics\n");
	return expect_log(&f, "statist", true, msg, msg_size) ?:
	       expect_true_size(&f.log, 15, msg, msg_size);
}


/* ---- streamed logs ------------------------------------------------------- */

#define SINK_DEST	64

struct sink_fixture {
	struct kbpf_log log;
	char window[SINK_DEST + 1];
	char dest[SINK_DEST + 1];	/* the last byte guards the end */
	u32 writes;			/* calls of write() */
	u32 max_write;			/* the biggest piece written */
	u32 window_size;
	int fail_after;			/* writes that succeed; -1: all */
};

static int sink_write(void *priv, u32 off, const char *text, u32 len)
{
	struct sink_fixture *f = priv;

	if (f->fail_after >= 0 && f->writes >= (u32)f->fail_after)
		return -EFAULT;
	f->writes++;
	if (len > f->max_write)
		f->max_write = len;
	if ((u64)off + len > f->log.size)
		return -EFAULT;		/* caught by the size check below */
	memcpy(f->dest + off, text, len);
	return 0;
}

static int sink_read(void *priv, u32 off, char *text, u32 len)
{
	struct sink_fixture *f = priv;

	if ((u64)off + len > f->log.size)
		return -EFAULT;
	memcpy(text, f->dest + off, len);
	return 0;
}

static const struct kbpf_log_sink test_sink = {
	.write = sink_write,
	.read = sink_read,
};

static void sink_fixture_init(struct sink_fixture *f, u32 window, u32 size)
{
	memset(f, 0, sizeof(*f));
	memset(f->dest, '#', sizeof(f->dest));
	f->window_size = window;
	f->fail_after = -1;
	kbpf_log_init_sink(&f->log, f->window, window, size,
			   KBPF_LOG_LEVEL_ERRORS, &test_sink, f);
}

/*
 * 0 if the destination holds exactly want, NUL-terminated and untouched
 * after the NUL, the log agrees on length and truncation, and no piece was
 * bigger than the window.
 */
static int expect_sink(struct sink_fixture *f, const char *want,
		       bool truncated, char *msg, size_t msg_size)
{
	size_t n = strlen(want), i;
	int err = kbpf_log_finish(&f->log);

	if (err) {
		snprintf(msg, msg_size, "finish failed: %d", err);
		return 1;
	}
	if (memcmp(f->dest, want, n + 1)) {
		snprintf(msg, msg_size, "destination holds \"%.*s\", want \"%s\"",
			 (int)strnlen(f->dest, sizeof(f->dest)), f->dest, want);
		return 1;
	}
	for (i = n + 1; i < sizeof(f->dest); i++) {
		if (f->dest[i] != '#' && i >= f->log.size) {
			snprintf(msg, msg_size, "byte %zu written past the destination", i);
			return 1;
		}
	}
	if (f->log.len != n || f->log.truncated != truncated) {
		snprintf(msg, msg_size, "len %u truncated %d, want %zu and %d",
			 f->log.len, f->log.truncated, n, truncated);
		return 1;
	}
	if (f->max_write > f->window_size && f->max_write > 1) {
		snprintf(msg, msg_size, "wrote %u bytes at once through a %u-byte window",
			 f->max_write, f->window_size);
		return 1;
	}
	return 0;
}

static int sink_flushes_in_window_sized_pieces(char *msg, size_t msg_size)
{
	struct sink_fixture f;
	int err;

	sink_fixture_init(&f, 8, SINK_DEST);
	kbpf_log_printf(&f.log, "abcde\n");
	kbpf_log_printf(&f.log, "fghij\n");
	kbpf_log_printf(&f.log, "%d\n", 123);
	kbpf_log_printf(&f.log, "klmnopq");
	err = expect_sink(&f, "abcde\nfghij\n123\nklmnopq", false, msg, msg_size);
	/* Four window-fulls and the NUL. */
	if (!err && f.writes != 5) {
		snprintf(msg, msg_size, "%u writes, want 5", f.writes);
		err = 1;
	}
	return err;
}

static int sink_exact_fit_at_the_boundary(char *msg, size_t msg_size)
{
	struct sink_fixture f;

	/* 15 characters and the NUL fill 16 bytes, through a 4-byte window. */
	sink_fixture_init(&f, 4, LOG_SIZE);
	kbpf_log_printf(&f.log, "012");
	kbpf_log_printf(&f.log, "345");
	kbpf_log_printf(&f.log, "678");
	kbpf_log_printf(&f.log, "9ab");
	kbpf_log_printf(&f.log, "cde");
	return expect_sink(&f, "0123456789abcde", false, msg, msg_size) ?:
	       expect_true_size(&f.log, 16, msg,
				msg_size);
}

static int sink_one_byte_over_is_truncation(char *msg, size_t msg_size)
{
	struct sink_fixture f;

	sink_fixture_init(&f, 4, LOG_SIZE);
	kbpf_log_printf(&f.log, "012");
	kbpf_log_printf(&f.log, "345");
	kbpf_log_printf(&f.log, "678");
	kbpf_log_printf(&f.log, "9ab");
	kbpf_log_printf(&f.log, "cdef");
	kbpf_log_printf(&f.log, "gh");
	return expect_sink(&f, "0123456789abcde", true, msg, msg_size) ?:
	       expect_true_size(&f.log, 19, msg,
				msg_size);
}

static int sink_tail_cuts_back_into_flushed_text(char *msg, size_t msg_size)
{
	struct sink_fixture f;

	/* As log_tail_cuts_back_to_a_line_end, "two\n" long since flushed. */
	sink_fixture_init(&f, 8, LOG_SIZE);
	kbpf_log_printf(&f.log, "one\n");
	kbpf_log_printf(&f.log, "two\n");
	kbpf_log_printf(&f.log, "thr");
	kbpf_log_printf(&f.log, "ee\n");
	kbpf_log_tail(&f.log, "stats\n");
	return expect_sink(&f, "one\ntwo\nstats\n", true, msg, msg_size) ?:
	       expect_true_size(&f.log, 21, msg,
				msg_size);
}

static int sink_tail_without_a_line_end(char *msg, size_t msg_size)
{
	struct sink_fixture f;

	sink_fixture_init(&f, 8, LOG_SIZE);
	kbpf_log_printf(&f.log, "0123");
	kbpf_log_printf(&f.log, "4567");
	kbpf_log_printf(&f.log, "89ab");
	kbpf_log_printf(&f.log, "cdef-and-more");
	kbpf_log_tail(&f.log, "stats\n");
	return expect_sink(&f, "012345678stats\n", true, msg, msg_size);
}

static int sink_message_longer_than_the_window(char *msg, size_t msg_size)
{
	struct sink_fixture f;

	/* Never silently: the log says it lost text. */
	sink_fixture_init(&f, 4, LOG_SIZE);
	kbpf_log_printf(&f.log, "abcdef");
	return expect_sink(&f, "abc", true, msg, msg_size);
}

static int sink_error_is_reported_once_measured(char *msg, size_t msg_size)
{
	struct sink_fixture f;
	int err;

	sink_fixture_init(&f, 4, LOG_SIZE);
	f.fail_after = 1;
	kbpf_log_printf(&f.log, "abc");
	kbpf_log_printf(&f.log, "def");
	kbpf_log_printf(&f.log, "ghi");
	err = kbpf_log_finish(&f.log);
	if (err != -EFAULT) {
		snprintf(msg, msg_size, "finish returned %d, want -EFAULT", err);
		return 1;
	}
	if (f.writes != 1) {
		snprintf(msg, msg_size, "%u writes after a failing one, want 1",
			 f.writes);
		return 1;
	}
	return expect_true_size(&f.log, 10, msg,
				msg_size);
}

/* A small deterministic generator for the differential test below. */
static u32 lcg_next(u32 *s)
{
	*s = *s * 1103515245U + 12345U;
	return *s >> 8;
}

/* Random messages (words, line ends, a closing line) into a log. */
static void sink_random_messages(struct kbpf_log *log, u32 seed)
{
	static const char text[] = "ab\ncde\nf\nghijklmnop\nqr";
	u32 i, count = lcg_next(&seed) % 12;

	for (i = 0; i < count; i++) {
		u32 off = lcg_next(&seed) % (sizeof(text) - 1);
		u32 len = lcg_next(&seed) % (sizeof(text) - off);

		kbpf_log_printf(log, "%.*s", (int)len, text + off);
	}
	if (lcg_next(&seed) & 1)
		kbpf_log_tail(log, "%s", lcg_next(&seed) & 1 ? "tail\n" : "z\n");
}

static int sink_matches_one_buffer(char *msg, size_t msg_size)
{
	char flat_buf[SINK_DEST];
	struct sink_fixture f;
	struct kbpf_log flat;
	u32 seed, size, window;

	for (seed = 1; seed <= 150; seed++) {
		for (size = 1; size <= SINK_DEST; size++) {
			/* Windows from the longest message (22 bytes) up. */
			for (window = 23; window <= 47; window += 8) {
				kbpf_log_init(&flat, flat_buf, size,
					      KBPF_LOG_LEVEL_ERRORS);
				sink_fixture_init(&f, window, size);
				sink_random_messages(&flat, seed);
				sink_random_messages(&f.log, seed);
				if (kbpf_log_finish(&f.log) ||
				    strcmp(f.dest, flat_buf) ||
				    f.log.truncated != flat.truncated ||
				    kbpf_log_true_size(&f.log) !=
				    kbpf_log_true_size(&flat)) {
					snprintf(msg, msg_size,
						 "seed %u size %u window %u: \"%s\" (%u), one buffer \"%s\" (%u)",
						 seed, size, window, f.dest,
						 kbpf_log_true_size(&f.log),
						 flat_buf,
						 kbpf_log_true_size(&flat));
					return 1;
				}
			}
		}
	}
	return 0;
}

static const struct kbpf_test_fn_case log_cases[] = {
	{ "a message is formatted into the log", log_formats_a_message },
	{ "messages are appended in order", log_appends_messages },
	{ "a message that exactly fills the buffer is not truncation",
	  log_exact_fit_is_not_truncation },
	{ "a long message is cut at the end and the log marked truncated",
	  log_cuts_a_long_message },
	{ "messages after truncation are dropped",
	  log_drops_messages_after_truncation },
	{ "a second message is cut where the buffer ends",
	  log_second_message_cut_midway },
	{ "a log at level 0 records nothing", log_level_zero_records_nothing },
	{ "a log without a buffer accepts messages harmlessly",
	  log_without_buffer_is_harmless },
	{ "the true size counts what was cut, NUL included",
	  log_true_size_counts_what_was_cut },
	{ "the true size of a log that fits is its length plus the NUL",
	  log_true_size_of_a_log_that_fits },
	{ "a closing message that fits is appended",
	  log_tail_appends_when_it_fits },
	{ "a closing message cuts earlier text back to a line end",
	  log_tail_cuts_back_to_a_line_end },
	{ "a closing message after truncation replaces the cut text",
	  log_tail_after_truncation },
	{ "a closing message longer than the buffer is cut itself",
	  log_tail_longer_than_the_buffer },
	{ "a streamed log is written in window-sized pieces",
	  sink_flushes_in_window_sized_pieces },
	{ "a streamed log that exactly fills its destination is whole",
	  sink_exact_fit_at_the_boundary },
	{ "a streamed log one byte over is cut there and truncated",
	  sink_one_byte_over_is_truncation },
	{ "a closing message cuts back into text already streamed out",
	  sink_tail_cuts_back_into_flushed_text },
	{ "a closing message with no line end to go back to, streamed",
	  sink_tail_without_a_line_end },
	{ "a message longer than the window marks the log truncated",
	  sink_message_longer_than_the_window },
	{ "a failing sink is reported and the log still measured",
	  sink_error_is_reported_once_measured },
	{ "a streamed log holds what one buffer holds (random messages)",
	  sink_matches_one_buffer },
};

KBPF_FN_TEST_SUITE(log_basic, "kbpf_log_basic", log_cases);
