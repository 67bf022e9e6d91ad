// SPDX-License-Identifier: GPL-2.0
/*
 * Binding ahead-of-time compiled code to loaded programs.
 *
 * Trust.  A compiled program is only ever bound to a program that kbpf has
 * decoded and verified itself, and only when its embedded bytecode is that
 * program's instruction for instruction (kbpf_native_matches()).  What the
 * compiled code then does is what bpf2c made of that bytecode: the verifier
 * vouches for the bytecode, the translator and the compiler for the code.
 *
 * Binding resolves what the generated code leaves open: the helper
 * functions of the program's type, and the value of each map load.
 */
#include "prog.h"
#include "interp.h"
#include "helpers.h"
#include "maps/map.h"

/*
 * Tail calls and bpf_loop callbacks are the interpreter's: compiled code can
 * neither jump into another program nor be called back from a helper.  A
 * program using either is never bound, so it keeps its full semantics.
 */
bool kbpf_native_supported(const struct kbpf_insn *insns, u32 cnt, u32 *bad)
{
	u32 i;

	for (i = 0; i < cnt; i++) {
		const struct kbpf_insn *in = &insns[i];

		if (in->code != (KBPF_JMP | KBPF_CALL) || in->src_reg)
			continue;
		if (in->imm == KBPF_FUNC_tail_call || in->imm == KBPF_FUNC_loop) {
			*bad = i;
			return false;
		}
	}
	return true;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_native_supported);

bool kbpf_insns_call_subprogram(const struct kbpf_insn *insns, u32 cnt)
{
	u32 i;

	for (i = 0; i < cnt; i++)
		if (insns[i].code == (KBPF_JMP | KBPF_CALL) &&
		    insns[i].src_reg == KBPF_PSEUDO_CALL)
			return true;
	return false;
}

static bool map_matches(const struct kbpf_map *map,
			const struct kbpf_native_map_def *def)
{
	return map->attrs.type == def->type &&
	       map->attrs.key_size == def->key_size &&
	       map->attrs.value_size == def->value_size &&
	       map->attrs.max_entries == def->max_entries &&
	       map->attrs.flags == def->flags;
}

/*
 * Read-only data must hold the bytes the module was registered (and so
 * verified) with: the verifier reads constants there, such as bpf_printk's
 * format, so other contents are another program as far as registration
 * vouched for it.  The program being loaded was verified against these
 * very contents, so this is belt and braces, not the only check.
 */
static bool map_contents_match(struct kbpf_map *map,
			       const struct kbpf_native_map_def *def)
{
	const u8 *value;
	u64 addr;
	u32 i;

	if (!def->rodata)
		return true;
	if (kbpf_map_direct_value_addr(map, 0, &addr))
		return false;
	value = (const u8 *)(uintptr_t)addr;
	if (def->data)
		return !memcmp(value, def->data, def->value_size);
	for (i = 0; i < def->value_size; i++)
		if (value[i])
			return false;
	return true;
}

/*
 * What a match has seen of np's definitions: each definition stands for one
 * map of the program (its bytecode numbers maps 1..n, one per map), and
 * read-only contents are compared once per definition.
 */
struct native_match {
	u8 map_of_def[KBPF_NATIVE_MAX_MAPS];	/* 1 + prog map index, 0: unseen */
};

/* A map load of prog against the same load of np: same map, same slot 2. */
static bool map_load_matches(const struct kbpf_prog *prog,
			     const struct kbpf_native_prog *np,
			     const struct kbpf_insn *ours,
			     const struct kbpf_insn *theirs,
			     struct native_match *m)
{
	struct kbpf_map *map = kbpf_prog_ld_map(prog, ours);
	u32 def = (u32)theirs->imm - 1;

	if (!map || theirs->src_reg != ours->src_reg ||
	    theirs->dst_reg != ours->dst_reg || def >= np->map_cnt ||
	    def >= KBPF_NATIVE_MAX_MAPS ||
	    memcmp(&ours[1], &theirs[1], sizeof(ours[1])))
		return false;
	if (m->map_of_def[def])
		return m->map_of_def[def] == (u32)ours->imm + 1;
	if (!map_matches(map, &np->maps[def]) ||
	    !map_contents_match(map, &np->maps[def]))
		return false;
	m->map_of_def[def] = (u8)(ours->imm + 1);
	return true;
}

bool kbpf_native_matches(const struct kbpf_prog *prog,
			 const struct kbpf_native_prog *np)
{
	const struct kbpf_insn *theirs = np->insns;
	struct native_match m = { 0 };
	u32 i;

	if (np->abi_version != KBPF_NATIVE_ABI_VERSION ||
	    np->prog_type != prog->type || np->insn_cnt != prog->insn_cnt ||
	    prog->map_cnt > KBPF_NATIVE_MAX_MAPS)
		return false;
	for (i = 0; i < prog->insn_cnt; i++) {
		const struct kbpf_insn *ours = &prog->insns[i];

		if (kbpf_insn_is_ld_imm64(ours) && ours->src_reg) {
			if (i + 1 >= prog->insn_cnt ||
			    !map_load_matches(prog, np, ours, &theirs[i], &m))
				return false;
			i++;
			continue;
		}
		if (memcmp(ours, &theirs[i], sizeof(*ours)))
			return false;
		if (kbpf_insn_is_ld_imm64(ours)) {
			if (i + 1 >= prog->insn_cnt ||
			    memcmp(&ours[1], &theirs[i + 1], sizeof(*ours)))
				return false;
			i++;
		}
	}
	return true;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_native_matches);

static u32 count_map_loads(const struct kbpf_prog *prog)
{
	u32 i, n = 0;

	for (i = 0; i < prog->insn_cnt; i++) {
		if (!kbpf_insn_is_ld_imm64(&prog->insns[i]))
			continue;
		if (prog->insns[i].src_reg)
			n++;
		i++;
	}
	return n;
}

static int resolve_map_loads(struct kbpf_prog *prog, u64 *values)
{
	u32 i, n = 0;
	int err;

	for (i = 0; i < prog->insn_cnt; i++) {
		const struct kbpf_insn *in = &prog->insns[i];

		if (!kbpf_insn_is_ld_imm64(in))
			continue;
		if (in->src_reg) {
			err = kbpf_ld_imm64_value(prog, in, &values[n++]);
			if (err)
				return err;
		}
		i++;
	}
	return 0;
}

int kbpf_prog_bind_native(struct kbpf_prog *prog, kbpf_native_fn run,
			  void (*put)(void *owner), void *owner)
{
	const struct kbpf_helper_table *t = prog->helpers;
	kbpf_native_helper_fn *helpers;
	u64 *values;
	u32 i;
	int err;

	if (!kbpf_native_supported(prog->insns, prog->insn_cnt, &i))
		return -EOPNOTSUPP;
	helpers = kbpf_zalloc(((size_t)t->count + 1) * sizeof(*helpers));
	values = kbpf_zalloc(((size_t)count_map_loads(prog) + 1) * sizeof(*values));
	if (!helpers || !values) {
		err = -ENOMEM;
		goto fail;
	}
	for (i = 0; i < t->count; i++)
		helpers[i] = t->helpers[i].fn;
	err = resolve_map_loads(prog, values);
	if (err)
		goto fail;
	kbpf_prog_unbind_native(prog);
	prog->native_ctx.helpers = helpers;
	prog->native_ctx.ld_imm64 = values;
	prog->native_ctx.at_call = kbpf_native_at_call;
	prog->native = run;
	prog->native_put = put;
	prog->native_owner = owner;
	return 0;
fail:
	kbpf_free(helpers);
	kbpf_free(values);
	return err;
}
KBPF_EXPORT_FOR_KUNIT(kbpf_prog_bind_native);

u64 kbpf_prog_run_native_framed(const struct kbpf_prog *prog, const u64 *args)
{
	u64 frame[KBPF_STACK_SIZE / sizeof(u64)] __uninitialized;

	return prog->native(args, (u8 *)frame, &prog->native_ctx);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_prog_run_native_framed);

void kbpf_prog_unbind_native(struct kbpf_prog *prog)
{
	void (*put)(void *owner) = prog->native_put;
	void *owner = prog->native_owner;

	prog->native = NULL;
	prog->native_put = NULL;
	prog->native_owner = NULL;
	kbpf_free((void *)prog->native_ctx.helpers);
	kbpf_free((void *)prog->native_ctx.ld_imm64);
	prog->native_ctx.helpers = NULL;
	prog->native_ctx.ld_imm64 = NULL;
	prog->native_ctx.at_call = NULL;
	if (put)
		put(owner);
}
KBPF_EXPORT_FOR_KUNIT(kbpf_prog_unbind_native);
