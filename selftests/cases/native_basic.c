// SPDX-License-Identifier: GPL-2.0
/*
 * Binding ahead-of-time compiled code to loaded programs (core/native.c):
 * which bytecode counts as the same program, what the bound code is given,
 * and that runs switch engines and let go of the code's owner.  The
 * "compiled code" here is a C function of this file, so the suite runs the
 * same in userspace and in KUnit.
 */
#include "cases.h"
#include "../../kmod/core/helpers.h"

/* r0 = r1 + 1 */
static const struct kbpf_insn plus_one[] = {
	KBPF_MOV64_REG(KBPF_REG_0, KBPF_REG_1),
	KBPF_ALU64_IMM(ADD, KBPF_REG_0, 1),
	KBPF_EXIT_INSN(),
};

/* r1 = map 1; r0 = 0; exit */
static const struct kbpf_insn map_load[] = {
	KBPF_LD_IMM64_RAW(KBPF_REG_1, KBPF_PSEUDO_MAP_ID, 1),
	KBPF_MOV64_IMM(KBPF_REG_0, 0),
	KBPF_EXIT_INSN(),
};

static const struct kbpf_map_attrs map_attrs = {
	.type = KBPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8,
	.max_entries = 2,
};

static struct kbpf_map *one_map(void *priv, u32 id)
{
	struct kbpf_map *map = priv;

	if (id != 1)
		return NULL;
	kbpf_map_get(map);
	return map;
}

/* Unverified, with map as map 1 (may be NULL). */
static int load_as(u32 type, const struct kbpf_insn *insns, u32 cnt,
		   struct kbpf_map *map, struct kbpf_prog **prog)
{
	struct kbpf_prog_load_opts opts = {
		.type = type,
		.insns = insns,
		.insn_cnt = cnt,
		.flags = KBPF_LOAD_NO_VERIFY,
		.map_by_id = one_map,
		.map_priv = map,
	};

	return kbpf_prog_load(&opts, prog);
}

static int load(const struct kbpf_insn *insns, u32 cnt, struct kbpf_map *map,
		struct kbpf_prog **prog)
{
	return load_as(KBPF_PROG_TYPE_UNSPEC, insns, cnt, map, prog);
}

static struct kbpf_native_prog native_of(const struct kbpf_insn *insns,
					 u32 cnt)
{
	struct kbpf_native_prog np = {
		.abi_version = KBPF_NATIVE_ABI_VERSION,
		.prog_type = KBPF_PROG_TYPE_UNSPEC,
		.insns = insns,
		.insn_cnt = cnt,
	};

	return np;
}

static int same_bytecode_matches(char *msg, size_t msg_size)
{
	struct kbpf_insn other[ARRAY_SIZE(plus_one)];
	struct kbpf_native_prog np = native_of(plus_one, ARRAY_SIZE(plus_one));
	struct kbpf_prog *prog;
	bool same, changed, typed, versioned;

	CHECK(!load(plus_one, ARRAY_SIZE(plus_one), NULL, &prog), "load");
	same = kbpf_native_matches(prog, &np);
	memcpy(other, plus_one, sizeof(other));
	other[1].imm = 2;
	np.insns = other;
	changed = kbpf_native_matches(prog, &np);
	np.insns = plus_one;
	np.prog_type = KBPF_PROG_TYPE_NETFILTER;
	typed = kbpf_native_matches(prog, &np);
	np.prog_type = KBPF_PROG_TYPE_UNSPEC;
	np.abi_version = KBPF_NATIVE_ABI_VERSION + 1;
	versioned = kbpf_native_matches(prog, &np);
	kbpf_prog_free(prog);
	CHECK(same, "the program's own bytecode does not match");
	CHECK(!changed, "an instruction with another imm matches");
	CHECK(!typed, "another program type matches");
	CHECK(!versioned, "another ABI version matches");
	return 0;
}

static int map_loads_match_by_definition(char *msg, size_t msg_size)
{
	struct kbpf_native_map_def defs[1] = { {
		.type = KBPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8,
		.max_entries = 2,
	} };
	struct kbpf_native_prog np = native_of(map_load, ARRAY_SIZE(map_load));
	struct kbpf_insn other[ARRAY_SIZE(map_load) + 1];
	struct kbpf_prog *prog = NULL;
	struct kbpf_map *map;
	bool same, resized, missing;
	int err;

	CHECK(!kbpf_map_create(&map_attrs, NULL, &map), "map create");
	err = load(map_load, ARRAY_SIZE(map_load), map, &prog);
	kbpf_map_put(map);
	CHECK(!err, "load: %d", err);
	np.maps = defs;
	np.map_cnt = 1;
	same = kbpf_native_matches(prog, &np);
	defs[0].value_size = 16;
	resized = kbpf_native_matches(prog, &np);
	defs[0].value_size = 8;
	/* The load names definition 2 of 1. */
	memcpy(other, map_load, sizeof(map_load));
	other[0].imm = 2;
	np.insns = other;
	missing = kbpf_native_matches(prog, &np);
	kbpf_prog_free(prog);
	CHECK(same, "a map of the definition's shape does not match");
	CHECK(!resized, "a map of another value size matches");
	CHECK(!missing, "a load of a definition that does not exist matches");
	return 0;
}

static u64 plus_two(const u64 *args, u8 *stack, const struct kbpf_native_ctx *ctx)
{
	return args[0] + 2;
}

static void count_put(void *owner)
{
	(*(int *)owner)++;
}

static int bound_code_runs_until_freed(char *msg, size_t msg_size)
{
	u64 args[KBPF_HELPER_ARGS] = { 40 };
	struct kbpf_prog *prog;
	u64 before, bound, after;
	int puts = 0, err;

	CHECK(!load(plus_one, ARRAY_SIZE(plus_one), NULL, &prog), "load");
	before = kbpf_test_prog_run_args(prog, args);
	err = kbpf_prog_bind_native(prog, plus_two, count_put, &puts);
	bound = kbpf_test_prog_run_args(prog, args);
	kbpf_prog_unbind_native(prog);
	after = kbpf_test_prog_run_args(prog, args);
	if (!err)
		err = kbpf_prog_bind_native(prog, plus_two, count_put, &puts);
	kbpf_prog_free(prog);
	CHECK(!err, "bind: %d", err);
	CHECK(before == 41 && after == 41, "the interpreter gave %llu, %llu",
	      (unsigned long long)before, (unsigned long long)after);
	CHECK(bound == 42, "bound code did not run: r0 %llu",
	      (unsigned long long)bound);
	CHECK(puts == 2, "the owner was let go %d times, not twice", puts);
	return 0;
}

static u64 check_ctx(const u64 *args, u8 *stack, const struct kbpf_native_ctx *ctx)
{
	const struct kbpf_helper *lookup =
		kbpf_helper_lookup(&kbpf_default_helpers, 1);

	return ctx->ld_imm64[0] == args[0] && ctx->helpers[1] == lookup->fn &&
	       !ctx->helpers[0];
}

static int bound_code_gets_helpers_and_maps(char *msg, size_t msg_size)
{
	struct kbpf_prog *prog = NULL;
	u64 args[KBPF_HELPER_ARGS];
	struct kbpf_map *map;
	u64 ok = 0;
	int err;

	CHECK(!kbpf_map_create(&map_attrs, NULL, &map), "map create");
	err = load(map_load, ARRAY_SIZE(map_load), map, &prog);
	args[0] = (u64)(uintptr_t)map;
	kbpf_map_put(map);
	if (!err)
		err = kbpf_prog_bind_native(prog, check_ctx, NULL, NULL);
	if (!err)
		ok = kbpf_test_prog_run_args(prog, args);
	kbpf_prog_free(prog);
	CHECK(!err, "load or bind: %d", err);
	CHECK(ok == 1, "the code did not get the map's address and helper 1");
	return 0;
}

/* tail_call(ctx, 0, 0); r0 = 1: only ever inspected, never run */
static const struct kbpf_insn tail_caller[] = {
	KBPF_MOV64_IMM(KBPF_REG_2, 0),
	KBPF_MOV64_IMM(KBPF_REG_3, 0),
	KBPF_CALL_HELPER(12),
	KBPF_MOV64_IMM(KBPF_REG_0, 1),
	KBPF_EXIT_INSN(),
};

static int tail_calls_and_loops_stay_interpreted(char *msg, size_t msg_size)
{
	struct kbpf_insn loop_caller[ARRAY_SIZE(tail_caller)];
	int puts = 0, err_tail, err_loop;
	u32 bad = 0, bad_loop = 0;
	bool tail_ok, loop_ok;
	struct kbpf_prog *prog;

	memcpy(loop_caller, tail_caller, sizeof(loop_caller));
	loop_caller[2].imm = 181;
	tail_ok = kbpf_native_supported(tail_caller, ARRAY_SIZE(tail_caller), &bad);
	loop_ok = kbpf_native_supported(loop_caller, ARRAY_SIZE(loop_caller),
					&bad_loop);
	CHECK(!tail_ok && bad == 2, "tail_call accepted for native code");
	CHECK(!loop_ok && bad_loop == 2, "loop accepted for native code");
	CHECK(kbpf_native_supported(plus_one, ARRAY_SIZE(plus_one), &bad),
	      "a plain program refused for native code");
	CHECK(!load(plus_one, ARRAY_SIZE(plus_one), NULL, &prog), "load");
	/* Pretend the program tail-calls: binding must refuse it. */
	prog->insns[1] = tail_caller[2];
	err_tail = kbpf_prog_bind_native(prog, plus_two, count_put, &puts);
	prog->insns[1].imm = 181;
	err_loop = kbpf_prog_bind_native(prog, plus_two, count_put, &puts);
	prog->insns[1] = plus_one[1];
	kbpf_prog_free(prog);
	CHECK(err_tail == -EOPNOTSUPP && err_loop == -EOPNOTSUPP,
	      "binding a tail-calling or looping program gave %d, %d",
	      err_tail, err_loop);
	CHECK(!puts, "a refused binding let go of an owner it never held");
	return 0;
}

/* r1 = &map 1's value + 0; r0 = 0; exit: a program reading global data. */
static const struct kbpf_insn value_load[] = {
	KBPF_LD_IMM64_RAW(KBPF_REG_1, KBPF_PSEUDO_MAP_VALUE, 1),
	KBPF_MOV64_IMM(KBPF_REG_0, 0),
	KBPF_EXIT_INSN(),
};

static const struct kbpf_map_attrs data_attrs = {
	.type = KBPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8,
	.max_entries = 1,
};

/* A map of data_attrs holding value. */
static int data_map(const char *value, struct kbpf_map **map)
{
	u8 v[8] = { 0 };
	u32 zero = 0;
	int err;

	memcpy(v, value, strlen(value));
	err = kbpf_map_create(&data_attrs, NULL, map);
	if (!err)
		err = kbpf_map_update_elem(*map, &zero, v, KBPF_ANY);
	return err;
}

static int rodata_binds_by_contents(char *msg, size_t msg_size)
{
	static const u8 same[8] = "%d", other[8] = "%s";
	struct kbpf_native_map_def defs[1] = { {
		.type = KBPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8,
		.max_entries = 1, .data = same, .rodata = 1,
	} };
	struct kbpf_native_prog np = native_of(value_load, ARRAY_SIZE(value_load));
	bool ro_same, ro_other, ro_zeros, rw_other;
	struct kbpf_prog *prog = NULL;
	struct kbpf_map *map;
	int err;

	CHECK(!data_map("%d", &map), "map create");
	err = load(value_load, ARRAY_SIZE(value_load), map, &prog);
	kbpf_map_put(map);
	CHECK(!err, "load: %d", err);
	np.maps = defs;
	np.map_cnt = 1;
	ro_same = kbpf_native_matches(prog, &np);
	defs[0].data = other;
	ro_other = kbpf_native_matches(prog, &np);
	defs[0].data = NULL;
	ro_zeros = kbpf_native_matches(prog, &np);
	defs[0].data = other;
	defs[0].rodata = 0;
	rw_other = kbpf_native_matches(prog, &np);
	kbpf_prog_free(prog);
	CHECK(ro_same, "read-only data with the registered bytes does not match");
	CHECK(!ro_other, "read-only data with other bytes matches");
	CHECK(!ro_zeros, "read-only data registered as zeros matches other bytes");
	CHECK(rw_other, "writable data does not match by shape alone");
	return 0;
}

/* r1 = map 1 value; r1 = map 2 value; exit: two maps of one shape. */
static const struct kbpf_insn two_value_loads[] = {
	KBPF_LD_IMM64_RAW(KBPF_REG_1, KBPF_PSEUDO_MAP_VALUE, 1),
	KBPF_LD_IMM64_RAW(KBPF_REG_1, KBPF_PSEUDO_MAP_VALUE, 2),
	KBPF_MOV64_IMM(KBPF_REG_0, 0),
	KBPF_EXIT_INSN(),
};

static struct kbpf_map *two_maps(void *priv, u32 id)
{
	struct kbpf_map **maps = priv;

	if (id != 1 && id != 2)
		return NULL;
	kbpf_map_get(maps[id - 1]);
	return maps[id - 1];
}

static int a_definition_is_one_map(char *msg, size_t msg_size)
{
	struct kbpf_native_map_def defs[2] = {
		{ .type = KBPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8,
		  .max_entries = 1 },
		{ .type = KBPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8,
		  .max_entries = 1 },
	};
	struct kbpf_native_prog np = native_of(two_value_loads,
					       ARRAY_SIZE(two_value_loads));
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_UNSPEC,
		.insns = two_value_loads,
		.insn_cnt = ARRAY_SIZE(two_value_loads),
		.flags = KBPF_LOAD_NO_VERIFY,
		.map_by_id = two_maps,
	};
	struct kbpf_insn merged[ARRAY_SIZE(two_value_loads)];
	struct kbpf_map *maps[2] = { NULL, NULL };
	struct kbpf_prog *prog = NULL;
	bool same, one_for_two;
	int err;

	err = kbpf_map_create(&data_attrs, NULL, &maps[0]) ?:
	      kbpf_map_create(&data_attrs, NULL, &maps[1]);
	opts.map_priv = maps;
	if (!err)
		err = kbpf_prog_load(&opts, &prog);
	kbpf_map_put(maps[0]);
	kbpf_map_put(maps[1]);
	CHECK(!err, "load: %d", err);
	np.maps = defs;
	np.map_cnt = 2;
	same = kbpf_native_matches(prog, &np);
	/* The module's bytecode says both loads are of one map. */
	memcpy(merged, two_value_loads, sizeof(merged));
	merged[2].imm = 1;
	np.insns = merged;
	one_for_two = kbpf_native_matches(prog, &np);
	kbpf_prog_free(prog);
	CHECK(same, "two maps of two definitions do not match");
	CHECK(!one_for_two, "one definition matches two different maps");
	return 0;
}

/*
 * snprintf(fp - 16, 16, "%d" from map 1's value, fp - 24 = { 42 }, 8):
 * the helper obeys the argument types the verifier recorded for its call
 * site, which compiled code names with ctx->at_call().
 */
#define FMT_CALL_INSN	9
static const struct kbpf_insn fmt_call[] = {
	KBPF_ST_MEM(DW, KBPF_REG_10, -24, 42),
	KBPF_MOV64_REG(KBPF_REG_1, KBPF_REG_10),
	KBPF_ALU64_IMM(ADD, KBPF_REG_1, -16),
	KBPF_MOV64_IMM(KBPF_REG_2, 16),
	KBPF_LD_IMM64_RAW(KBPF_REG_3, KBPF_PSEUDO_MAP_VALUE, 1),
	KBPF_MOV64_REG(KBPF_REG_4, KBPF_REG_10),
	KBPF_ALU64_IMM(ADD, KBPF_REG_4, -24),
	KBPF_MOV64_IMM(KBPF_REG_5, 8),
	KBPF_CALL_HELPER(KBPF_FUNC_snprintf),
	KBPF_EXIT_INSN(),
};

/* fmt_call by hand, as bpf2c writes it; args[0] != 0: name the call site. */
static u64 fmt_call_native(const u64 *args, u8 *stack,
			   const struct kbpf_native_ctx *ctx)
{
	u8 *fp = stack + KBPF_NATIVE_STACK_SIZE;
	u64 data = 42;

	memcpy(fp - 24, &data, sizeof(data));
	if (args[0])
		ctx->at_call(stack, FMT_CALL_INSN);
	return ctx->helpers[KBPF_FUNC_snprintf]((u64)(uintptr_t)(fp - 16), 16,
						ctx->ld_imm64[0],
						(u64)(uintptr_t)(fp - 24), 8);
}

static int format_helpers_find_their_call_site(char *msg, size_t msg_size)
{
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_UNSPEC,
		.insns = fmt_call,
		.insn_cnt = ARRAY_SIZE(fmt_call),
		.map_by_id = one_map,
	};
	u64 named[KBPF_HELPER_ARGS] = { 1 }, unnamed[KBPF_HELPER_ARGS] = { 0 };
	u64 interp = 0, native = 0, blind = 0;
	struct kbpf_prog *prog = NULL;
	struct kbpf_map *map;
	int err;

	CHECK(fmt_call[FMT_CALL_INSN].imm == KBPF_FUNC_snprintf,
	      "FMT_CALL_INSN is not the call");
	CHECK(!data_map("%d", &map), "map create");
	opts.map_priv = map;
	err = kbpf_prog_load(&opts, &prog);
	kbpf_map_put(map);
	CHECK(!err, "load: %d", err);
	interp = kbpf_test_prog_run_args(prog, named);
	err = kbpf_prog_bind_native(prog, fmt_call_native, NULL, NULL);
	if (!err) {
		native = kbpf_test_prog_run_args(prog, named);
		blind = kbpf_test_prog_run_args(prog, unnamed);
	}
	kbpf_prog_free(prog);
	CHECK(!err, "bind: %d", err);
	CHECK(interp == 3, "the interpreter's snprintf returned %lld, not 3",
	      (long long)interp);
	CHECK(native == interp, "compiled code's snprintf returned %lld",
	      (long long)native);
	CHECK((s64)blind == -EINVAL,
	      "snprintf without its call site returned %lld, not -EINVAL",
	      (long long)blind);
	return 0;
}

/* tail_call(r1, prog array 1, 0); r0 = 99 if it fell through */
static const struct kbpf_insn tail_to_0[] = {
	KBPF_LD_MAP_ID(KBPF_REG_2, 1),
	KBPF_MOV64_IMM(KBPF_REG_3, 0),
	KBPF_CALL_HELPER(12),
	KBPF_MOV64_IMM(KBPF_REG_0, 99),
	KBPF_EXIT_INSN(),
};

static int tail_call_targets_run_their_code(char *msg, size_t msg_size)
{
	struct kbpf_map_attrs pa = {
		.type = KBPF_MAP_TYPE_PROG_ARRAY, .key_size = 4,
		.value_size = 4, .max_entries = 1,
	};
	u64 args[KBPF_HELPER_ARGS] = { 40 };
	struct kbpf_prog *caller = NULL, *target = NULL, *old = NULL;
	u64 interpreted = 0, native = 0;
	struct kbpf_map *array;
	u32 key = 0;
	int puts = 0, err;

	CHECK(!kbpf_map_create(&pa, NULL, &array), "prog array create");
	/* Netfilter programs: their helper set has tail_call. */
	err = load_as(KBPF_PROG_TYPE_NETFILTER, tail_to_0,
		      ARRAY_SIZE(tail_to_0), array, &caller) ?:
	      load_as(KBPF_PROG_TYPE_NETFILTER, plus_one,
		      ARRAY_SIZE(plus_one), NULL, &target) ?:
	      kbpf_prog_array_update(array, &key, target, &old);
	if (!err) {
		interpreted = kbpf_test_prog_run_args(caller, args);
		err = kbpf_prog_bind_native(target, plus_two, count_put, &puts);
		native = kbpf_test_prog_run_args(caller, args);
		if (!kbpf_prog_array_delete(array, &key, &old) && old != target)
			err = -EFAULT;
	}
	kbpf_prog_free(caller);
	kbpf_prog_free(target);
	kbpf_map_put(array);
	CHECK(!err, "setup: %d", err);
	CHECK(interpreted == 41, "the interpreted target gave %llu, not 41",
	      (unsigned long long)interpreted);
	CHECK(native == 42, "the target bound to compiled code gave %llu, not 42",
	      (unsigned long long)native);
	return 0;
}

/* *(u64 *)(r10 - 8) = r1; r0 = *(u64 *)(r10 - 8); exit */
static const struct kbpf_insn one_frame[] = {
	KBPF_STX_MEM(DW, KBPF_REG_10, KBPF_REG_1, -8),
	KBPF_LDX_MEM(DW, KBPF_REG_0, KBPF_REG_10, -8),
	KBPF_EXIT_INSN(),
};

/* The same, through a subprogram: two frames. */
static const struct kbpf_insn two_frames[] = {
	KBPF_RAW_INSN(KBPF_JMP | KBPF_CALL, 0, KBPF_PSEUDO_CALL, 0, 1),
	KBPF_EXIT_INSN(),
	KBPF_STX_MEM(DW, KBPF_REG_10, KBPF_REG_1, -8),
	KBPF_LDX_MEM(DW, KBPF_REG_0, KBPF_REG_10, -8),
	KBPF_EXIT_INSN(),
};

/*
 * Compiled code's view of its frame: 1 when frame 0 (the 512 bytes below
 * stack + 512) holds what it stores and the run took the run stack, 2 when
 * it did not (the frame is the caller's), 0 for no frame at all.
 */
static u64 frame_probe(const u64 *args, u8 *stack,
		       const struct kbpf_native_ctx *ctx)
{
	u64 v = args[0], back;

	if (!stack)
		return 0;
	memcpy(stack + KBPF_STACK_SIZE - 8, &v, sizeof(v));
	memcpy(&back, stack + KBPF_STACK_SIZE - 8, sizeof(back));
	if (back != v)
		return 0;
	return kbpf_run_current() ? 1 : 2;
}

static int frame_of(const struct kbpf_insn *insns, u32 cnt, u64 *where)
{
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_UNSPEC,
		.insns = insns,
		.insn_cnt = cnt,
	};
	struct kbpf_prog *prog = NULL;
	u64 ctx = 7;
	int err;

	err = kbpf_prog_load(&opts, &prog);
	if (!err)
		err = kbpf_prog_bind_native(prog, frame_probe, NULL, NULL);
	if (!err) {
		kbpf_run_section_begin();
		*where = kbpf_prog_run_hook(prog, &ctx, NULL);
		kbpf_run_section_end();
	}
	kbpf_prog_free(prog);
	return err;
}

static int one_frame_lives_on_the_callers_stack(char *msg, size_t msg_size)
{
	u64 one = 0, two = 0;
	int err;

	err = frame_of(one_frame, ARRAY_SIZE(one_frame), &one);
	CHECK(!err, "one frame: load or bind: %d", err);
	err = frame_of(two_frames, ARRAY_SIZE(two_frames), &two);
	CHECK(!err, "two frames: load or bind: %d", err);
	CHECK(one == 2, "one frame: %llu, not 2 (a frame of the caller's)",
	      (unsigned long long)one);
	CHECK(two == 1, "two frames: %llu, not 1 (the run stack)",
	      (unsigned long long)two);
	return 0;
}

static const struct kbpf_test_fn_case native_tests[] = {
	{ "the same bytecode matches, another does not", same_bytecode_matches },
	{ "map loads match maps of the definition's shape",
	  map_loads_match_by_definition },
	{ "bound code runs instead of the interpreter until freed",
	  bound_code_runs_until_freed },
	{ "bound code gets the program's helpers and map addresses",
	  bound_code_gets_helpers_and_maps },
	{ "programs with tail calls or bpf_loop stay in the interpreter",
	  tail_calls_and_loops_stay_interpreted },
	{ "read-only data binds only to the registered contents",
	  rodata_binds_by_contents },
	{ "each map definition stands for one map of the program",
	  a_definition_is_one_map },
	{ "format helpers in compiled code find their verified call site",
	  format_helpers_find_their_call_site },
	{ "a tail call into a program bound to compiled code runs that code",
	  tail_call_targets_run_their_code },
	{ "one frame of compiled code lives on the caller's stack, calls' in the run stack",
	  one_frame_lives_on_the_callers_stack },
};

KBPF_FN_TEST_SUITE(native_basic, "kbpf_native_basic", native_tests);
