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

static int expect_true_size(const struct log_fixture *f, u32 want,
			    char *msg, size_t msg_size)
{
	u32 got = kbpf_log_true_size(&f->log);

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
	       expect_true_size(&f, 16, msg, msg_size);
}

static int log_true_size_of_a_log_that_fits(char *msg, size_t msg_size)
{
	struct log_fixture f;

	log_fixture_init(&f, LOG_SIZE, KBPF_LOG_LEVEL_ERRORS);
	kbpf_log_printf(&f.log, "abc");
	return expect_true_size(&f, 4, msg, msg_size);
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
	       expect_true_size(&f, 21, msg, msg_size);
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
	       expect_true_size(&f, 15, msg, msg_size);
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
};

KBPF_FN_TEST_SUITE(log_basic, "kbpf_log_basic", log_cases);
