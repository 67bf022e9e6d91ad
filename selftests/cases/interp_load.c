// SPDX-License-Identifier: GPL-2.0
/*
 * kbpf_prog_load() errors before and around decoding: limits, types,
 * flags, and that a failed load gives back every map reference it took.
 */
#include "cases.h"

static const struct kbpf_insn ret0[] = {
	KBPF_MOV64_IMM(0, 0), KBPF_EXIT_INSN(),
};

/* Load insns with opts tweaked by the caller; log into log_buf. */
static int try_load(struct kbpf_prog_load_opts *opts, char *log_buf,
		    u32 log_size)
{
	struct kbpf_log log;
	struct kbpf_prog *prog = (struct kbpf_prog *)1;
	int err;

	kbpf_log_init(&log, log_buf, log_size, KBPF_LOG_LEVEL_ERRORS);
	opts->log = &log;
	err = kbpf_prog_load(opts, &prog);
	opts->log = NULL;
	if (!err)
		kbpf_prog_free(prog);
	else if (prog)
		return -EFAULT;	/* a failed load must leave *progp NULL */
	return err;
}

/* Like try_load() but keeps the program; the log stays in log_buf. */
static int try_load_keep(struct kbpf_prog_load_opts *opts, char *log_buf,
			 u32 log_size, struct kbpf_prog **prog)
{
	struct kbpf_log log;
	int err;

	kbpf_log_init(&log, log_buf, log_size, KBPF_LOG_LEVEL_ERRORS);
	opts->log = &log;
	err = kbpf_prog_load(opts, prog);
	opts->log = NULL;
	return err;
}

/* The load must fail with -EINVAL and a log that holds want. */
static int load_is_einval_with_log(struct kbpf_prog_load_opts *opts,
				   const char *want, char *msg,
				   size_t msg_size)
{
	char log[128];
	int err = try_load(opts, log, sizeof(log));

	CHECK(err == -EINVAL && strstr(log, want),
	      "load returned %d, log: %s", err, log);
	return 0;
}

static int too_many_insns_is_e2big(char *msg, size_t msg_size)
{
	u32 n = kbpf_limits_embedded.max_insns + 1, i;
	struct kbpf_insn *insns = kbpf_zalloc(n * sizeof(*insns));
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_NETFILTER, .insns = insns,
		.insn_cnt = n, .flags = KBPF_LOAD_NO_VERIFY,
		.limits = &kbpf_limits_embedded,
	};
	char log[128];
	bool logged;
	int err;

	CHECK(insns, "out of memory");
	for (i = 0; i < n - 1; i++)
		insns[i] = KBPF_MOV64_IMM(0, 0);
	insns[n - 1] = KBPF_EXIT_INSN();
	err = try_load(&opts, log, sizeof(log));
	logged = strstr(log, "the embedded limit is");
	if (err == -E2BIG) {
		/* One fewer fits. */
		insns[n - 2] = KBPF_EXIT_INSN();
		opts.insn_cnt = n - 1;
		err = try_load(&opts, log, sizeof(log)) ? -EINVAL : -E2BIG;
	}
	kbpf_free(insns);
	CHECK(err == -E2BIG, "load returned %d (limit %u)", err, n - 1);
	CHECK(logged, "the log does not name the limit");
	return 0;
}

static int unknown_type_is_einval(char *msg, size_t msg_size)
{
	struct kbpf_prog_load_opts opts = {
		.type = 99, .insns = ret0, .insn_cnt = 2,
		.flags = KBPF_LOAD_NO_VERIFY,
	};

	return load_is_einval_with_log(&opts, "unknown program type 99",
				       msg, msg_size);
}

static int unspec_needs_no_verify(char *msg, size_t msg_size)
{
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_UNSPEC, .insns = ret0, .insn_cnt = 2,
		.flags = KBPF_LOAD_NO_VERIFY,
	};
	char log[128];
	int err = try_load(&opts, log, sizeof(log));

	CHECK(!err, "unverified UNSPEC load returned %d: %s", err, log);
	/* With the verifier, only a type it knows loads. */
	opts.flags = 0;
	err = try_load(&opts, log, sizeof(log));
	if (!kbpf_prog_type_ops(KBPF_PROG_TYPE_UNSPEC))
		CHECK(err == -EINVAL, "verified UNSPEC load returned %d", err);
	return 0;
}

static int unknown_flags_are_einval(char *msg, size_t msg_size)
{
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_NETFILTER, .insns = ret0, .insn_cnt = 2,
		.flags = KBPF_LOAD_NO_VERIFY | 0x80,
	};

	return load_is_einval_with_log(&opts, "unknown load flags 0x81",
				       msg, msg_size);
}

static int empty_program_is_einval(char *msg, size_t msg_size)
{
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_NETFILTER, .insns = ret0, .insn_cnt = 0,
		.flags = KBPF_LOAD_NO_VERIFY,
	};

	return load_is_einval_with_log(&opts, "no instructions",
				       msg, msg_size);
}

static struct kbpf_map *map_by_id_ref(void *priv, u32 id)
{
	struct kbpf_map **maps = priv;

	if (id < 1 || id > 2)
		return NULL;
	kbpf_map_get(maps[id - 1]);
	return maps[id - 1];
}

/*
 * Two maps, three references to them (one repeated), then a bad
 * instruction: the failed load must leave each map with only its creator's
 * reference.  Then the same program fixed loads and holds one each.
 */
static int failed_load_drops_map_refs(char *msg, size_t msg_size)
{
	struct kbpf_map_attrs attrs = {
		.type = KBPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8,
		.max_entries = 1,
	};
	struct kbpf_insn insns[] = {
		KBPF_LD_MAP_ID(1, 1),
		KBPF_LD_MAP_ID(2, 2),
		KBPF_LD_MAP_ID(3, 1),
		KBPF_MOV64_IMM(0, 0),
		KBPF_RAW_INSN(0xff, 0, 0, 0, 0),
		KBPF_EXIT_INSN(),
	};
	struct kbpf_map *maps[2] = { NULL, NULL };
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_NETFILTER, .insns = insns,
		.insn_cnt = ARRAY_SIZE(insns), .flags = KBPF_LOAD_NO_VERIFY,
		.map_by_id = map_by_id_ref, .map_priv = maps,
	};
	struct kbpf_prog *prog = NULL;
	unsigned int r0, r1, l0, l1;
	char log[128];
	int err, lerr;

	err = kbpf_map_create(&attrs, NULL, &maps[0]);
	if (!err)
		err = kbpf_map_create(&attrs, NULL, &maps[1]);
	if (err) {
		kbpf_map_put(maps[0]);
		CHECK(0, "map create: %d", err);
	}
	err = try_load(&opts, log, sizeof(log));
	r0 = kbpf_refcount_read(&maps[0]->refcnt);
	r1 = kbpf_refcount_read(&maps[1]->refcnt);

	insns[ARRAY_SIZE(insns) - 2] = KBPF_MOV64_IMM(0, 1);
	lerr = try_load_keep(&opts, log, sizeof(log), &prog);
	l0 = kbpf_refcount_read(&maps[0]->refcnt);
	l1 = kbpf_refcount_read(&maps[1]->refcnt);
	kbpf_prog_free(prog);
	kbpf_map_put(maps[0]);
	kbpf_map_put(maps[1]);
	CHECK(err == -EINVAL, "bad load returned %d: %s", err, log);
	CHECK(r0 == 1 && r1 == 1, "after a failed load the maps hold %u and %u refs",
	      r0, r1);
	CHECK(!lerr, "fixed load returned %d: %s", lerr, log);
	CHECK(l0 == 2 && l1 == 2, "a loaded program holds %u and %u refs, not 1 each",
	      l0 - 1, l1 - 1);
	return 0;
}

static int unknown_map_id_drops_earlier_refs(char *msg, size_t msg_size)
{
	struct kbpf_map_attrs attrs = {
		.type = KBPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8,
		.max_entries = 1,
	};
	const struct kbpf_insn insns[] = {
		KBPF_LD_MAP_ID(1, 1),
		KBPF_LD_MAP_ID(2, 9),
		KBPF_MOV64_IMM(0, 0),
		KBPF_EXIT_INSN(),
	};
	struct kbpf_map *maps[2] = { NULL, NULL };
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_NETFILTER, .insns = insns,
		.insn_cnt = ARRAY_SIZE(insns), .flags = KBPF_LOAD_NO_VERIFY,
		.map_by_id = map_by_id_ref, .map_priv = maps,
	};
	unsigned int refs;
	char log[128];
	int err;

	err = kbpf_map_create(&attrs, NULL, &maps[0]);
	CHECK(!err, "map create: %d", err);
	maps[1] = maps[0];	/* id 2 resolves too; id 9 does not */
	err = try_load(&opts, log, sizeof(log));
	refs = kbpf_refcount_read(&maps[0]->refcnt);
	kbpf_map_put(maps[0]);
	CHECK(err == -EINVAL && strstr(log, "insn 2: map id 9 not found"),
	      "load returned %d: %s", err, log);
	CHECK(refs == 1, "the map holds %u refs after the failed load", refs);
	return 0;
}

static const struct kbpf_test_fn_case load_tests[] = {
	{ "one instruction over the profile limit is -E2BIG",
	  too_many_insns_is_e2big },
	{ "an unknown program type is -EINVAL", unknown_type_is_einval },
	{ "UNSPEC loads only without the verifier", unspec_needs_no_verify },
	{ "unknown load flags are -EINVAL", unknown_flags_are_einval },
	{ "a program without instructions is -EINVAL", empty_program_is_einval },
	{ "a failed load gives back every map reference",
	  failed_load_drops_map_refs },
	{ "an unknown map id gives back the earlier references",
	  unknown_map_id_drops_earlier_refs },
};

KBPF_FN_TEST_SUITE(interp_load, "kbpf_interp_load", load_tests);
