// SPDX-License-Identifier: GPL-2.0
/*
 * Offline verification: the very verifier kbpf.ko runs, linked from the core
 * library, with maps created in this process instead of the module.
 */
#include "kbpf_core.h"
#include "core_glue.h"

struct kbpfctl_core {
	const struct kbpf_limits *limits;
	struct kbpf_map **maps;		/* id n is maps[n - 1] */
	u32 map_cnt;
};

struct kbpfctl_core *kbpfctl_core_new(const char *profile)
{
	const struct kbpf_limits *limits;
	struct kbpfctl_core *core;

	limits = profile ? kbpf_limits_by_name(profile) : kbpf_default_limits();
	if (!limits)
		return NULL;
	core = calloc(1, sizeof(*core));
	if (core)
		core->limits = limits;
	return core;
}

void kbpfctl_core_free(struct kbpfctl_core *core)
{
	u32 i;

	if (!core)
		return;
	for (i = 0; i < core->map_cnt; i++)
		kbpf_map_put(core->maps[i]);
	free(core->maps);
	free(core);
}

const char *kbpfctl_core_profile(const struct kbpfctl_core *core)
{
	return core->limits->name;
}

int kbpfctl_core_map_create(struct kbpfctl_core *core, __u32 type,
			    __u32 key_size, __u32 value_size,
			    __u32 max_entries, __u32 flags, const void *init,
			    size_t init_size, bool freeze, __u32 *id)
{
	struct kbpf_map_attrs attrs = {
		.type = type,
		.key_size = key_size,
		.value_size = value_size,
		.max_entries = max_entries,
		.flags = flags,
	};
	struct kbpf_map **maps;
	struct kbpf_map *map;
	u32 zero = 0;
	int err;

	maps = realloc(core->maps, (core->map_cnt + 1) * sizeof(*maps));
	if (!maps)
		return -ENOMEM;
	core->maps = maps;
	err = kbpf_map_create(&attrs, core->limits, &map);
	if (err)
		return err;
	if (init && init_size == value_size)
		err = kbpf_map_update_elem(map, &zero, init, KBPF_ANY);
	/* As the loader leaves .rodata: the verifier reads it as constants. */
	if (!err && freeze)
		err = kbpf_map_freeze(map, NULL);
	if (err) {
		kbpf_map_put(map);
		return err;
	}
	core->maps[core->map_cnt++] = map;
	map->id = core->map_cnt;
	*id = map->id;
	return 0;
}

/* The program keeps its own reference to every map it uses. */
static struct kbpf_map *map_by_id(void *priv, u32 id)
{
	struct kbpfctl_core *core = priv;
	struct kbpf_map *map;

	if (!id || id > core->map_cnt)
		return NULL;
	map = core->maps[id - 1];
	kbpf_map_get(map);
	return map;
}

/*
 * The log streams into the caller's buffer through a window, as the
 * module's does (kmod/chardev.c), so that every offline verification runs
 * the same code that copies a kernel log out.
 */
static int log_buf_write(void *priv, u32 off, const char *text, u32 len)
{
	memcpy((char *)priv + off, text, len);
	return 0;
}

static int log_buf_read(void *priv, u32 off, char *text, u32 len)
{
	memcpy(text, (const char *)priv + off, len);
	return 0;
}

static const struct kbpf_log_sink log_buf_sink = {
	.write = log_buf_write,
	.read = log_buf_read,
};

int kbpfctl_core_verify(struct kbpfctl_core *core, __u32 prog_type,
			const struct kbpf_insn *insns, __u32 cnt,
			__u32 log_level, char *log, __u32 log_size,
			struct kbpfctl_core_stats *stats)
{
	char window[KBPF_LOG_WINDOW];
	struct kbpf_log klog;
	struct kbpf_prog_load_opts opts = {
		.type = prog_type,
		.insns = insns,
		.insn_cnt = cnt,
		.log = &klog,
		.limits = core->limits,
		.map_by_id = map_by_id,
		.map_priv = core,
	};
	struct kbpf_prog *prog = NULL;
	int err;

	kbpf_log_init_sink(&klog, window, sizeof(window), log ? log_size : 0,
			   log_level, &log_buf_sink, log);
	err = kbpf_prog_load(&opts, &prog);
	kbpf_log_finish(&klog);
	stats->log_true_size = klog.truncated ? kbpf_log_true_size(&klog) : 0;
	if (err)
		return err;
	stats->insns_processed = prog->stats.insns_processed;
	stats->states_total = prog->stats.states_total;
	stats->states_peak = prog->stats.states_peak;
	stats->time_ns = prog->stats.time_ns;
	stats->worst_case = prog->worst_case;
	kbpf_prog_free(prog);
	return 0;
}

void kbpfctl_core_disasm(FILE *out, const struct kbpf_insn *insns, __u32 cnt)
{
	char line[128];
	u32 i;

	for (i = 0; i < cnt; i++) {
		kbpf_disasm_insn(&insns[i], line, sizeof(line));
		fprintf(out, "%4u: %s\n", i, line);
		/* The second slot of a 64-bit immediate load is not an insn. */
		if (insns[i].code == (KBPF_LD | KBPF_IMM | KBPF_DW))
			i++;
	}
}
