// SPDX-License-Identifier: GPL-2.0
/*
 * The runner behind every verifier_*.c golden table: load the program
 * through kbpf_prog_load() (decode + verifier), compare the result and log.
 */
#include "verifier_test.h"

#define VT_LOG_SIZE	16384

static u32 vt_insn_count(const struct verifier_test *t)
{
	u32 n = VT_MAX_INSNS;

	while (n > 0 && !t->insns[n - 1].code && !t->insns[n - 1].dst_reg &&
	       !t->insns[n - 1].src_reg && !t->insns[n - 1].off &&
	       !t->insns[n - 1].imm)
		n--;
	return n;
}

/* Element 0 starts with the bytes of v, then the map is frozen. */
static int vt_map_freeze(struct kbpf_map *map, u64 v)
{
	u8 value[64] = { 0 };
	u32 zero = 0;
	int err;

	if (map->attrs.value_size > sizeof(value))
		return -E2BIG;
	memcpy(value, &v, map->attrs.value_size < sizeof(v) ?
			  map->attrs.value_size : sizeof(v));
	err = kbpf_map_update_user(map, &zero, value, KBPF_ANY);
	return err ?: kbpf_map_freeze(map, NULL);
}

static struct kbpf_map *vt_map_by_id(void *priv, u32 id)
{
	struct kbpf_map *map = priv;

	if (!map || id != 1)
		return NULL;
	kbpf_map_get(map);
	return map;
}

static int vt_check(const struct verifier_test *t, int err,
		    const struct kbpf_prog *prog, const char *log,
		    char *msg, size_t msg_size)
{
	if (err != t->expect) {
		snprintf(msg, msg_size, "load returned %d, expected %d; log: %s",
			 err, t->expect, log);
		return 1;
	}
	if (t->log_has && !strstr(log, t->log_has)) {
		snprintf(msg, msg_size, "log lacks '%s': %s", t->log_has, log);
		return 1;
	}
	if (t->log_lacks && strstr(log, t->log_lacks)) {
		snprintf(msg, msg_size, "log holds '%s': %s", t->log_lacks, log);
		return 1;
	}
	if (t->check_stack && prog && prog->stack_depth != t->stack_depth) {
		snprintf(msg, msg_size, "stack depth %u, expected %u",
			 prog->stack_depth, t->stack_depth);
		return 1;
	}
	return 0;
}

/* Run an accepted raw-type program over its memory; compare r0. */
static int vt_run_raw(const struct verifier_test *t,
		      const struct kbpf_prog *prog, char *msg, size_t msg_size)
{
	u64 args[KBPF_HELPER_ARGS] = { 0 };
	u8 *mem = NULL;
	u64 r0;
	u32 i;

	if (t->mem_size) {
		mem = kbpf_zalloc(t->mem_size);
		if (!mem)
			return -ENOMEM;
		for (i = 0; i < t->mem_size; i++)
			mem[i] = (u8)(i + 1);
	}
	args[0] = (u64)(uintptr_t)mem;
	args[1] = t->mem_size;
	kbpf_run_section_begin();
	r0 = kbpf_prog_run_args(prog, args);
	kbpf_run_section_end();
	kbpf_free(mem);
	if (r0 != t->retval) {
		snprintf(msg, msg_size, "run returned %llu, expected %llu",
			 (unsigned long long)r0, (unsigned long long)t->retval);
		return 1;
	}
	return 0;
}

int kbpf_test_verifier_run(const struct verifier_test *t, char *msg,
			   size_t msg_size)
{
	struct kbpf_limits limits = kbpf_limits_cloud;
	struct kbpf_prog_load_opts opts = {
		.type = t->prog_type ? t->prog_type : KBPF_PROG_TYPE_NETFILTER,
		.insns = t->insns,
		.insn_cnt = vt_insn_count(t),
		.limits = &limits,
		.map_by_id = vt_map_by_id,
		.mem_size = t->mem_size,
	};
	struct kbpf_prog *prog = NULL;
	struct kbpf_map *map = NULL;
	struct kbpf_log log;
	char *buf;
	int err, ret;

	if (t->raw)
		opts.type = KBPF_PROG_TYPE_UNSPEC;
	if (t->max_processed)
		limits.max_processed_insns = t->max_processed;
	buf = kbpf_zalloc(VT_LOG_SIZE);
	if (!buf)
		return -ENOMEM;
	kbpf_log_init(&log, buf, VT_LOG_SIZE,
		      t->log_level ? t->log_level : KBPF_LOG_LEVEL_ERRORS);
	opts.log = &log;
	if (t->map.type) {
		err = kbpf_map_create(&t->map, NULL, &map);
		if (!err && t->map_frozen)
			err = vt_map_freeze(map, t->map_value0);
		if (err) {
			snprintf(msg, msg_size, "map create: %d", err);
			kbpf_map_put(map);
			kbpf_free(buf);
			return 1;
		}
		map->id = 1;
	}
	opts.map_priv = map;
	err = kbpf_prog_load(&opts, &prog);
	ret = vt_check(t, err, prog, buf, msg, msg_size);
	if (!ret && !err && t->run)
		ret = vt_run_raw(t, prog, msg, msg_size);
	if (prog)
		kbpf_prog_free(prog);
	if (map)
		kbpf_map_put(map);
	kbpf_free(buf);
	return ret;
}
