// SPDX-License-Identifier: GPL-2.0
/*
 * aot-diff: a differential test of the ahead-of-time translator against the
 * interpreter, over random programs built to make every operation count.
 *
 * The soundness fuzzer's programs end in a verdict (0 or 1), so a
 * translation error that changes an intermediate value rarely shows.  Here
 * every program is of the raw type: it reads its starting values from
 * memory, runs a random mix of every ALU, byte swap, jump, load, store and
 * atomic form of RFC 9669 on them, stores into memory, and returns the XOR
 * of all its registers.  Each accepted program runs in the interpreter and as
 * native code (many programs per compiler run) on the same memory, several
 * times with different memory; r0 and the memory afterwards must match.
 * Half the memory operations go to global data instead: r1 is a map-value
 * load (KBPF_PSEUDO_MAP_VALUE, at an offset) into a one-element array, as
 * libbpf's .data is reached, and the map's contents must match too.
 *
 *   aot-diff [-n PROGRAMS] [-s SEED] [-v]
 *
 * Deterministic for a given seed.  Exit status 1 on the first mismatch,
 * after printing the program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../kmod/core/kbpf_core.h"
#include "../../userspace-tool/aot/aot_user.h"

#define DIFF_MEM	64	/* bytes r1 points at */
#define DIFF_BATCH	200	/* programs per compiler run */
#define DIFF_MAX_INSNS	96
#define DIFF_RUNS	3	/* memory contents per program */
/* Global data: DIFF_DATA bytes, r1 at byte DIFF_DATA_OFF of them. */
#define DIFF_DATA	(2 * DIFF_MEM)
#define DIFF_DATA_OFF	DIFF_MEM

static const u8 scalar_regs[] = { 0, 2, 3, 4, 5, 7, 8, 9 };
static u64 rng_state;

static u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static u32 pick(u32 n)
{
	return (u32)(rnd() % n);
}

static u8 any_reg(void)
{
	return scalar_regs[pick(sizeof(scalar_regs))];
}

/* Immediates that hit the corner cases often: 0, -1, 1, extremes, random. */
static s32 any_imm(void)
{
	static const s32 corner[] = { 0, 1, -1, 2, 31, 32, 63, 64, 0x7fffffff,
				      (s32)0x80000000, 0xff, 0xffff, -2 };

	return pick(3) ? corner[pick(ARRAY_SIZE(corner))] : (s32)rnd();
}

struct gen {
	struct kbpf_insn insns[DIFF_MAX_INSNS];
	u32 n;
};

static void put(struct gen *g, struct kbpf_insn in)
{
	g->insns[g->n++] = in;
}

static void gen_alu(struct gen *g)
{
	static const u8 ops[] = { KBPF_ADD, KBPF_SUB, KBPF_MUL, KBPF_DIV,
				  KBPF_OR, KBPF_AND, KBPF_LSH, KBPF_RSH,
				  KBPF_NEG, KBPF_MOD, KBPF_XOR, KBPF_MOV,
				  KBPF_ARSH, KBPF_END };
	u8 cls = pick(2) ? KBPF_ALU64 : KBPF_ALU, op = ops[pick(ARRAY_SIZE(ops))];
	bool x = pick(2);
	struct kbpf_insn in = { .dst_reg = any_reg() };

	if (op == KBPF_END) {
		static const s32 widths[] = { 16, 32, 64 };

		/* ALU64 | END is the unconditional swap: TO_LE only. */
		x = cls == KBPF_ALU && pick(2);
		in.imm = widths[pick(3)];
	} else if (op == KBPF_NEG) {
		x = false;
	} else if (x) {
		in.src_reg = any_reg();
	} else if (op == KBPF_LSH || op == KBPF_RSH || op == KBPF_ARSH) {
		/* the verifier refuses constant shifts past the width */
		in.imm = (s32)pick(cls == KBPF_ALU64 ? 64 : 32);
	} else {
		in.imm = any_imm();
		/* ... and constant division by zero */
		if (!in.imm && (op == KBPF_DIV || op == KBPF_MOD))
			in.imm = -1;
	}
	if ((op == KBPF_DIV || op == KBPF_MOD) && pick(2))
		in.off = 1;
	if (op == KBPF_MOV && x && pick(2)) {
		static const s16 widths[] = { 8, 16, 32 };

		in.off = widths[pick(cls == KBPF_ALU64 ? 3 : 2)];
	}
	in.code = cls | op | (x ? KBPF_X : KBPF_K);
	put(g, in);
}

static void gen_jump(struct gen *g, u32 body_end)
{
	static const u8 ops[] = { KBPF_JEQ, KBPF_JGT, KBPF_JGE, KBPF_JSET,
				  KBPF_JNE, KBPF_JSGT, KBPF_JSGE, KBPF_JLT,
				  KBPF_JLE, KBPF_JSLT, KBPF_JSLE };
	bool x = pick(2);
	u32 room = body_end - g->n - 1;
	struct kbpf_insn in = {
		.code = (pick(2) ? KBPF_JMP : KBPF_JMP32) |
			ops[pick(ARRAY_SIZE(ops))] | (x ? KBPF_X : KBPF_K),
		.dst_reg = any_reg(),
		.off = (s16)(room ? 1 + pick(room < 3 ? room : 3) : 0),
	};

	if (x)
		in.src_reg = any_reg();
	else
		in.imm = any_imm();
	put(g, in);
}

static u8 size_code(u32 bytes)
{
	return bytes == 1 ? KBPF_B : bytes == 2 ? KBPF_H :
	       bytes == 4 ? KBPF_W : KBPF_DW;
}

/* r6 (the memory) or r1 (global data): both have DIFF_MEM bytes ahead. */
static u8 any_base(void)
{
	return pick(2) ? KBPF_REG_6 : KBPF_REG_1;
}

static void gen_mem(struct gen *g)
{
	u32 bytes = 1u << pick(4), kind = pick(3);
	u8 base = any_base();
	s16 off = (s16)(pick(DIFF_MEM / bytes) * bytes);

	if (kind == 0) {	/* load, zero- or sign-extending */
		u8 mode = bytes < 8 && pick(2) ? KBPF_MEMSX : KBPF_MEM;

		put(g, (struct kbpf_insn){ .code = KBPF_LDX | mode | size_code(bytes),
					   .dst_reg = any_reg(), .src_reg = base,
					   .off = off });
	} else if (kind == 1) {
		put(g, (struct kbpf_insn){ .code = KBPF_STX | KBPF_MEM | size_code(bytes),
					   .dst_reg = base, .src_reg = any_reg(),
					   .off = off });
	} else {
		put(g, (struct kbpf_insn){ .code = KBPF_ST | KBPF_MEM | size_code(bytes),
					   .dst_reg = base, .off = off,
					   .imm = any_imm() });
	}
}

static void gen_atomic(struct gen *g)
{
	static const s32 ops[] = {
		KBPF_ADD, KBPF_OR, KBPF_AND, KBPF_XOR,
		KBPF_ADD | KBPF_FETCH, KBPF_OR | KBPF_FETCH,
		KBPF_AND | KBPF_FETCH, KBPF_XOR | KBPF_FETCH,
		KBPF_XCHG, KBPF_CMPXCHG,
	};
	u32 bytes = pick(2) ? 8 : 4;

	put(g, (struct kbpf_insn){
		.code = KBPF_STX | KBPF_ATOMIC | size_code(bytes),
		.dst_reg = any_base(), .src_reg = any_reg(),
		.off = (s16)(pick(DIFF_MEM / bytes) * bytes),
		.imm = ops[pick(ARRAY_SIZE(ops))],
	});
}

/*
 * Starting values from memory or immediates; r6 keeps the memory pointer,
 * r1 points into global data (map 1).
 */
static void gen_prologue(struct gen *g)
{
	struct kbpf_insn data[2] = {
		KBPF_LD_IMM64_RAW(KBPF_REG_1, KBPF_PSEUDO_MAP_VALUE,
				  ((u64)DIFF_DATA_OFF << 32) | 1),
	};
	u32 i;

	put(g, KBPF_MOV64_REG(KBPF_REG_6, KBPF_REG_1));
	put(g, data[0]);
	put(g, data[1]);
	for (i = 0; i < ARRAY_SIZE(scalar_regs); i++) {
		u8 r = scalar_regs[i];

		if (pick(3))
			put(g, KBPF_LDX_MEM(DW, r, KBPF_REG_6, (s16)(8 * pick(8))));
		else
			put(g, KBPF_MOV64_IMM(r, any_imm()));
	}
}

static void generate(struct gen *g)
{
	u32 body_end, i;

	g->n = 0;
	gen_prologue(g);
	body_end = g->n + 16 + pick(DIFF_MAX_INSNS - g->n - 16 - 10);
	while (g->n < body_end) {
		u32 k = pick(100);

		if (k < 50)
			gen_alu(g);
		else if (k < 65)
			gen_jump(g, body_end);
		else if (k < 88)
			gen_mem(g);
		else
			gen_atomic(g);
	}
	/* r0 = the XOR of every scalar register: each value counts. */
	for (i = 1; i < ARRAY_SIZE(scalar_regs); i++)
		put(g, KBPF_ALU64_REG(XOR, KBPF_REG_0, scalar_regs[i]));
	put(g, KBPF_EXIT_INSN());
}

static const struct kbpf_map_attrs data_attrs = {
	.type = KBPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = DIFF_DATA,
	.max_entries = 1,
};

static struct kbpf_map *data_map_by_id(void *priv, u32 id)
{
	struct kbpf_map *map = priv;

	if (id != 1)
		return NULL;
	kbpf_map_get(map);
	return map;
}

static u8 *data_of(const struct kbpf_prog *prog)
{
	u32 zero = 0;

	return kbpf_map_lookup_elem(prog->maps[0], &zero);
}

/* The program with a fresh global-data map of its own, or NULL. */
static struct kbpf_prog *load(const struct gen *g)
{
	struct kbpf_prog_load_opts opts = {
		.type = KBPF_PROG_TYPE_UNSPEC,
		.insns = g->insns,
		.insn_cnt = g->n,
		.mem_size = DIFF_MEM,
		.map_by_id = data_map_by_id,
	};
	static char buf[4096];
	struct kbpf_prog *prog;
	struct kbpf_map *map;
	struct kbpf_log log;
	int err;

	if (kbpf_map_create(&data_attrs, NULL, &map)) {
		fprintf(stderr, "aot-diff: cannot create the data map\n");
		exit(1);
	}
	kbpf_log_init(&log, buf, sizeof(buf), KBPF_LOG_LEVEL_ERRORS);
	opts.log = &log;
	opts.map_priv = map;
	err = kbpf_prog_load(&opts, &prog);
	kbpf_map_put(map);
	if (!err)
		return prog;
	/* AOT_DIFF_WHY=1: why the verifier refused a generated program. */
	if (getenv("AOT_DIFF_WHY"))
		fprintf(stderr, "refused: %s", buf);
	return NULL;
}

static u64 run(const struct kbpf_prog *prog, u8 *mem)
{
	u64 args[KBPF_HELPER_ARGS] = { (u64)(uintptr_t)mem, DIFF_MEM };

	return kbpf_prog_run_args(prog, args);
}

static void hex(const char *what, const void *data, size_t len)
{
	const u8 *p = data;
	size_t i;

	fprintf(stderr, "%s", what);
	for (i = 0; i < len; i++)
		fprintf(stderr, "%02x", p[i]);
	fprintf(stderr, "\n");
}

/*
 * The program and memory, for `kbpf-run [--aot] --verify MEM < PROG`
 * (which has no global data: a mismatch there needs this program's map).
 */
static void dump(const struct kbpf_prog *prog, const u8 *mem, const u8 *data)
{
	char text[128];
	u32 i;

	for (i = 0; i < prog->insn_cnt; i++) {
		kbpf_disasm_insn(&prog->insns[i], text, sizeof(text));
		fprintf(stderr, "%3u: %s\n", i, text);
	}
	hex("program: ", prog->insns, prog->insn_cnt * sizeof(prog->insns[0]));
	hex("memory:  ", mem, DIFF_MEM);
	hex("data:    ", data, DIFF_DATA);
}

/* Both engines on DIFF_RUNS memory contents; 0 when they agree. */
static int compare(struct kbpf_prog *prog, kbpf_native_fn native)
{
	u8 seed_mem[DIFF_MEM], mi[DIFF_MEM], mn[DIFF_MEM];
	u8 seed_data[DIFF_DATA], di[DIFF_DATA], *data = data_of(prog);
	u64 ri, rn;
	u32 k, b;

	for (k = 0; k < DIFF_RUNS; k++) {
		for (b = 0; b < DIFF_MEM; b++)
			seed_mem[b] = (u8)rnd();
		for (b = 0; b < DIFF_DATA; b++)
			seed_data[b] = (u8)rnd();
		memcpy(mi, seed_mem, DIFF_MEM);
		memcpy(mn, seed_mem, DIFF_MEM);
		memcpy(data, seed_data, DIFF_DATA);
		ri = run(prog, mi);
		memcpy(di, data, DIFF_DATA);
		memcpy(data, seed_data, DIFF_DATA);
		if (kbpf_prog_bind_native(prog, native, NULL, NULL))
			return -1;
		rn = run(prog, mn);
		kbpf_prog_unbind_native(prog);
		if (ri == rn && !memcmp(mi, mn, DIFF_MEM) &&
		    !memcmp(di, data, DIFF_DATA))
			continue;
		fprintf(stderr, "aot-diff: mismatch: r0 %llx (interpreter) vs %llx (native)\n",
			(unsigned long long)ri, (unsigned long long)rn);
		for (b = 0; b < DIFF_MEM; b++)
			if (mi[b] != mn[b])
				fprintf(stderr, "  memory byte %u: %02x (interpreter) vs %02x (native), was %02x\n",
					b, mi[b], mn[b], seed_mem[b]);
		for (b = 0; b < DIFF_DATA; b++)
			if (di[b] != data[b])
				fprintf(stderr, "  global data byte %u: %02x (interpreter) vs %02x (native), was %02x\n",
					b, di[b], data[b], seed_data[b]);
		dump(prog, seed_mem, seed_data);
		return -1;
	}
	return 0;
}

static int run_batch(u32 want, unsigned long *accepted, unsigned long *refused)
{
	static struct kbpf_prog *progs[DIFF_BATCH];
	static kbpf_native_fn fns[DIFF_BATCH];
	struct aot_user_obj obj;
	struct gen g;
	u32 n = 0, i;
	int err = 0;

	while (n < want) {
		generate(&g);
		progs[n] = load(&g);
		if (progs[n])
			n++;
		else if (++*refused > 100UL * (*accepted + want))
			break;	/* the generator no longer fits the verifier */
	}
	if (!n) {
		fprintf(stderr, "aot-diff: the verifier refuses every generated program\n");
		return -1;
	}
	*accepted += n;
	err = aot_user_build(progs, n, &obj, fns);
	for (i = 0; i < n && !err; i++)
		err = compare(progs[i], fns[i]);
	if (!err)
		aot_user_release(NULL, &obj);
	for (i = 0; i < n; i++)
		kbpf_prog_free(progs[i]);
	return err;
}

int main(int argc, char **argv)
{
	unsigned long accepted = 0, refused = 0, want = 2000;
	u64 seed = 0x6b627066;	/* "kbpf" */
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			want = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else {
			fprintf(stderr, "usage: aot-diff [-n PROGRAMS] [-s SEED]\n");
			return 2;
		}
	}
	rng_state = seed ? seed : 1;
	while (accepted < want) {
		u32 batch = want - accepted < DIFF_BATCH ? (u32)(want - accepted) :
			    DIFF_BATCH;

		if (run_batch(batch, &accepted, &refused)) {
			fprintf(stderr, "aot-diff: FAILED (seed 0x%llx)\n",
				(unsigned long long)seed);
			return 1;
		}
	}
	printf("aot-diff: %lu programs (%lu generated ones refused by the verifier), %lu runs on each engine, no difference\n",
	       accepted, refused, accepted * DIFF_RUNS);
	return 0;
}
