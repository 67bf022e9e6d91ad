// SPDX-License-Identifier: GPL-2.0
/*
 * The runner behind every interp_*.c golden table: load, run, compare.
 */
#include "interp_test.h"

static u64 helper_ret_arg1(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return r1;
}

static u64 helper_weighted(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return r1 + 2 * r2 + 3 * r3 + 4 * r4 + 5 * r5;
}

static struct kbpf_helper test_helpers[8];

static const struct kbpf_helper *test_helper_array(void)
{
	/* The map helpers of the default set plus the two test helpers. */
	if (!test_helpers[INTERP_HELPER_RET_ARG1].fn) {
		u32 i;

		for (i = 1; i <= 3; i++)
			test_helpers[i] = *kbpf_helper_lookup(&kbpf_default_helpers, i);
		test_helpers[INTERP_HELPER_RET_ARG1] = (struct kbpf_helper){
			.name = "ret_arg1", .fn = helper_ret_arg1,
			.ret = KBPF_RET_INTEGER,
			.args = { KBPF_ARG_ANYTHING },
		};
		test_helpers[INTERP_HELPER_WEIGHTED] = (struct kbpf_helper){
			.name = "weighted", .fn = helper_weighted,
			.ret = KBPF_RET_INTEGER,
			.args = { KBPF_ARG_ANYTHING, KBPF_ARG_ANYTHING,
				  KBPF_ARG_ANYTHING, KBPF_ARG_ANYTHING,
				  KBPF_ARG_ANYTHING },
		};
	}
	return test_helpers;
}

const struct kbpf_helper_table kbpf_test_interp_helpers = {
	.helpers = test_helpers,
	.count = ARRAY_SIZE(test_helpers),
};

static u32 insn_count(const struct interp_test *t)
{
	u32 n = INTERP_TEST_MAX_INSNS;

	while (n > 0 && !t->insns[n - 1].code && !t->insns[n - 1].dst_reg &&
	       !t->insns[n - 1].src_reg && !t->insns[n - 1].off &&
	       !t->insns[n - 1].imm)
		n--;
	return n;
}

static struct kbpf_map *test_map_by_id(void *priv, u32 id)
{
	struct kbpf_map *map = priv;

	if (!map || id != 1)
		return NULL;
	kbpf_map_get(map);
	return map;
}

const struct kbpf_test_engine *kbpf_test_engine;

struct interp_run_state {
	struct kbpf_map *map;
	struct kbpf_prog *prog;
	void *engine_cookie;
	u8 *mem;
	char *log_buf;
};

static void release_state(struct interp_run_state *st)
{
	if (kbpf_test_engine && st->engine_cookie)
		kbpf_test_engine->release(st->prog, st->engine_cookie);
	kbpf_prog_free(st->prog);
	kbpf_map_put(st->map);
	kbpf_free(st->mem);
	kbpf_free(st->log_buf);
}

static int load_case(const struct interp_test *t, struct interp_run_state *st,
		     char *msg, size_t msg_size)
{
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_NETFILTER,
		.insns = t->insns,
		.insn_cnt = insn_count(t),
		.flags = t->verify ? 0 : KBPF_LOAD_NO_VERIFY,
		.helpers = &kbpf_test_interp_helpers,
		.map_by_id = test_map_by_id,
	};
	struct kbpf_log log;
	int err;

	test_helper_array();
	st->log_buf = kbpf_zalloc(1024);
	if (!st->log_buf)
		return -ENOMEM;
	kbpf_log_init(&log, st->log_buf, 1024, KBPF_LOG_LEVEL_ERRORS);
	opts.log = &log;
	if (t->map.type) {
		err = kbpf_map_create(&t->map, NULL, &st->map);
		if (err) {
			snprintf(msg, msg_size, "map create: %d", err);
			return err;
		}
	}
	opts.map_priv = st->map;
	err = kbpf_prog_load(&opts, &st->prog);
	if (err != t->load_err) {
		snprintf(msg, msg_size, "load returned %d, expected %d; log: %s",
			 err, t->load_err, st->log_buf);
		return err ? err : -EINVAL;
	}
	if (t->log_has && !strstr(st->log_buf, t->log_has)) {
		snprintf(msg, msg_size, "log lacks '%s': %s", t->log_has,
			 st->log_buf);
		return -EINVAL;
	}
	if (err || !kbpf_test_engine)
		return 0;
	err = kbpf_test_engine->bind(st->prog, &st->engine_cookie);
	if (err)
		snprintf(msg, msg_size, "%s engine: bind failed: %d",
			 kbpf_test_engine->name, err);
	return err;
}

int kbpf_test_interp_run(const struct interp_test *t, char *msg,
			 size_t msg_size)
{
	struct interp_run_state st = { 0 };
	u64 args[KBPF_HELPER_ARGS] = { 0 };
	u64 r0;
	int err;

	err = load_case(t, &st, msg, msg_size);
	if (err || t->load_err)
		goto out;
	st.mem = kbpf_zalloc(INTERP_TEST_MEM);
	if (!st.mem) {
		err = -ENOMEM;
		goto out;
	}
	memcpy(st.mem, t->mem, INTERP_TEST_MEM);
	args[0] = (u64)(uintptr_t)st.mem;
	args[1] = INTERP_TEST_MEM;
	kbpf_run_section_begin();
	r0 = kbpf_prog_run_args(st.prog, args);
	kbpf_run_section_end();
	if (r0 != t->expect) {
		snprintf(msg, msg_size, "r0 = 0x%llx, expected 0x%llx",
			 (unsigned long long)r0, (unsigned long long)t->expect);
		err = -EINVAL;
	} else if (t->check_mem &&
		   memcmp(st.mem, t->mem_expect, INTERP_TEST_MEM)) {
		u32 i;

		for (i = 0; st.mem[i] == t->mem_expect[i]; i++)
			;
		snprintf(msg, msg_size,
			 "memory differs at byte %u: 0x%02x, expected 0x%02x",
			 i, st.mem[i], t->mem_expect[i]);
		err = -EINVAL;
	}
out:
	release_state(&st);
	return err ? 1 : 0;
}
