// SPDX-License-Identifier: GPL-2.0
/*
 * Runs one conformance_gen.c entry as kbpf-run runs a corpus program, so the
 * corpus means the same in KUnit as under `make conformance`: type UNSPEC,
 * decode checks only, r1 = a copy of the memory, r2 = its length, and the
 * default helpers with helper 5 answering its first argument.
 */
#include "conformance_test.h"
#include "../../userspace-tool/kbpf-run/conformance_helpers.h"

#define CONFORMANCE_LOG_SIZE		4096

/* Everything one case allocates; zeroed state releases cleanly. */
struct conformance_state {
	struct kbpf_helper *helper_array;
	struct kbpf_helper_table helpers;
	struct kbpf_insn *insns;
	u8 *mem;
	char *log_buf;
	struct kbpf_prog *prog;
};

static void conformance_release(struct conformance_state *st)
{
	kbpf_prog_free(st->prog);
	kbpf_free(st->helper_array);
	kbpf_free(st->insns);
	kbpf_free(st->mem);
	kbpf_free(st->log_buf);
}

/*
 * Copy the table's bytes to the heap: the instructions then have their own
 * alignment, and the program may write to its memory.
 */
static void *conformance_copy(const u8 *bytes, u32 len)
{
	void *p = kbpf_zalloc(len);

	if (p)
		memcpy(p, bytes, len);
	return p;
}

static int conformance_prepare(const struct conformance_test *t,
			       struct conformance_state *st)
{
	int err = kbpf_conformance_helpers_init(&st->helpers,
						&st->helper_array);

	if (err)
		return err;
	st->log_buf = kbpf_zalloc(CONFORMANCE_LOG_SIZE);
	if (!st->log_buf)
		return -ENOMEM;
	if (t->mem_len) {
		st->mem = conformance_copy(t->mem, t->mem_len);
		if (!st->mem)
			return -ENOMEM;
	}
	return 0;
}

/*
 * Load the program; on failure the reason is in st->log_buf.  A length that
 * is no whole number of instructions is refused before loading, with the
 * message kbpf-run gives for it.
 */
static int conformance_load(const struct conformance_test *t,
			    struct conformance_state *st)
{
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_UNSPEC,
		.insn_cnt = t->prog_len / sizeof(struct kbpf_insn),
		.flags = KBPF_LOAD_NO_VERIFY,
		.helpers = &st->helpers,
		.mem_size = t->mem_len,
	};
	struct kbpf_log log;

	if (!t->prog_len || t->prog_len % sizeof(struct kbpf_insn)) {
		snprintf(st->log_buf, CONFORMANCE_LOG_SIZE,
			 "program is %u bytes, not a positive multiple of %zu",
			 t->prog_len, sizeof(struct kbpf_insn));
		return -EINVAL;
	}
	st->insns = conformance_copy(t->prog, t->prog_len);
	if (!st->insns)
		return -ENOMEM;
	opts.insns = st->insns;
	kbpf_log_init(&log, st->log_buf, CONFORMANCE_LOG_SIZE,
		      KBPF_LOG_LEVEL_ERRORS);
	opts.log = &log;
	return kbpf_prog_load(&opts, &st->prog);
}

/* A case expecting an error passes when the load fails saying so. */
static int conformance_check_refusal(const struct conformance_test *t,
				     struct conformance_state *st, int err,
				     char *msg, size_t msg_size)
{
	u64 args[KBPF_HELPER_ARGS] = { 0 };

	if (!err) {
		args[0] = (u64)(uintptr_t)st->mem;
		args[1] = t->mem_len;
		snprintf(msg, msg_size, "ran (r0 0x%llx), expected refusal '%s'",
			 (unsigned long long)kbpf_test_prog_run_args(st->prog,
								     args),
			 t->error);
		return -EINVAL;
	}
	if (!strstr(st->log_buf, t->error)) {
		snprintf(msg, msg_size, "refused (%d), but the log lacks '%s': %s",
			 err, t->error, st->log_buf);
		return -EINVAL;
	}
	return 0;
}

static int conformance_check_result(const struct conformance_test *t,
				    struct conformance_state *st, int err,
				    char *msg, size_t msg_size)
{
	u64 args[KBPF_HELPER_ARGS] = { 0 };
	u64 r0;

	if (err) {
		snprintf(msg, msg_size, "load returned %d: %s", err,
			 st->log_buf);
		return err;
	}
	args[0] = (u64)(uintptr_t)st->mem;
	args[1] = t->mem_len;
	r0 = kbpf_test_prog_run_args(st->prog, args);
	if (r0 != t->result) {
		snprintf(msg, msg_size, "r0 0x%llx, expected 0x%llx",
			 (unsigned long long)r0,
			 (unsigned long long)t->result);
		return -EINVAL;
	}
	return 0;
}

int kbpf_test_conformance_run(const struct conformance_test *t, char *msg,
			      size_t msg_size)
{
	struct conformance_state st = { 0 };
	int err;

	err = conformance_prepare(t, &st);
	if (err) {
		snprintf(msg, msg_size, "cannot set up the case: %d", err);
		goto out;
	}
	err = conformance_load(t, &st);
	if (t->error)
		err = conformance_check_refusal(t, &st, err, msg, msg_size);
	else
		err = conformance_check_result(t, &st, err, msg, msg_size);
out:
	conformance_release(&st);
	return err ? 1 : 0;
}
