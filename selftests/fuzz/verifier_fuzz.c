// SPDX-License-Identifier: GPL-2.0
/*
 * Soundness fuzzer for the kbpf verifier (libFuzzer).
 *
 * Each input is read as a sequence of choices that build a mostly valid
 * netfilter program (ALU, loads, stores, atomics, conditional jumps, helper
 * calls, map loads, and a few multi-insn idioms: packet bounds checks and
 * map lookups with null checks), ending in "r0 = 0 or 1; exit".  The real
 * verifier loads it; every program it accepts then runs in the interpreter
 * against guarded memory, for several packet lengths:
 *
 *  - the packet sits at the end of a read-only page followed by an
 *    inaccessible one, and (second placement) at the start of a page after
 *    an inaccessible one, so reads past data_end or before data fault;
 *  - the context is a read-only copy at the end of a page before a guard;
 *  - the interpreter's frame memory (kbpf_run_stack_acquire, wrapped at
 *    link time) has a guard page below frame 0 and everything above frame 0
 *    poisoned for ASan (the generated programs make no bpf-to-bpf calls);
 *  - each run happens twice with different junk in the stack frame and the
 *    maps reset in between: a different r0 or different map contents mean
 *    the program read stack bytes it never wrote;
 *  - r0 must be a netfilter verdict (0 or 1).
 *
 * A fault, an ASan/UBSan report, an abort() below, or a libFuzzer timeout
 * (-timeout=, a run past the budget) is a verifier bug.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <sanitizer/asan_interface.h>

#include "kbpf_core.h"

#define FUZZ_MAX_INSNS		64
#define FUZZ_PAGE		4096
#define ARRAY_MAP_ID		1
#define HASH_MAP_ID		2

/* ---- input reader ------------------------------------------------------ */

struct reader {
	const uint8_t *p;
	size_t left;
};

static uint8_t next_byte(struct reader *r)
{
	if (!r->left)
		return 0;
	r->left--;
	return *r->p++;
}

static uint32_t next_u32(struct reader *r)
{
	uint32_t v = next_byte(r);

	v |= (uint32_t)next_byte(r) << 8;
	v |= (uint32_t)next_byte(r) << 16;
	return v | (uint32_t)next_byte(r) << 24;
}

/* An immediate: mostly small, sometimes a boundary value. */
static int32_t pick_imm(struct reader *r)
{
	static const int32_t special[] = {
		0, 1, -1, 2, 4, 7, 8, 14, 16, 20, 31, 32, 40, 63, 64, 255,
		0xffff, 0x7fffffff, INT32_MIN, -8, -16, -512, 511, 4096,
	};
	uint8_t b = next_byte(r);

	if (b < 96)
		return (int8_t)next_byte(r);
	if (b < 224)
		return special[next_byte(r) % (sizeof(special) / sizeof(special[0]))];
	return (int32_t)next_u32(r);
}

static int16_t pick_off(struct reader *r)
{
	uint8_t b = next_byte(r);

	if (b < 200)
		return (int16_t)((int8_t)next_byte(r) % 48);
	return (int16_t)-(next_byte(r) % 520);
}

static uint8_t pick_reg(struct reader *r)
{
	return next_byte(r) % 11;
}

static uint8_t pick_dst(struct reader *r)
{
	return next_byte(r) % 10;
}

static uint8_t pick_size(struct reader *r)
{
	static const uint8_t sizes[] = { KBPF_B, KBPF_H, KBPF_W, KBPF_DW };

	return sizes[next_byte(r) % 4];
}

/* ---- program generator ------------------------------------------------- */

struct gen {
	struct kbpf_insn insns[FUZZ_MAX_INSNS];
	uint32_t n;		/* total length, fixed up front */
	uint32_t pos;
	struct reader *r;
};

/* Room left before the final "r0 = x; exit". */
static uint32_t room(const struct gen *g)
{
	return g->n - 2 - g->pos;
}

static void emit(struct gen *g, struct kbpf_insn insn)
{
	g->insns[g->pos++] = insn;
}

/* A jump offset from the insn about to be emitted, kept inside the program. */
static int16_t jump_off(struct gen *g, int32_t want)
{
	int32_t target = (int32_t)g->pos + 1 + want;

	if (target < 0 || target > (int32_t)g->n - 2)
		target = (int32_t)g->n - 2;
	return (int16_t)(target - (int32_t)g->pos - 1);
}

/* Offset to the final "r0 = x; exit" block. */
static int16_t off_to_exit(const struct gen *g)
{
	return (int16_t)(g->n - 2 - g->pos - 1);
}

static void gen_alu(struct gen *g, bool reg)
{
	static const uint8_t ops[] = {
		KBPF_ADD, KBPF_SUB, KBPF_MUL, KBPF_DIV, KBPF_OR, KBPF_AND,
		KBPF_LSH, KBPF_RSH, KBPF_NEG, KBPF_MOD, KBPF_XOR, KBPF_MOV,
		KBPF_ARSH, KBPF_MOV, KBPF_ADD, KBPF_AND,
	};
	struct reader *r = g->r;
	uint8_t b = next_byte(r);
	uint8_t cls = (b & 1) ? KBPF_ALU : KBPF_ALU64;
	uint8_t op = ops[(b >> 1) % sizeof(ops)];
	uint8_t dst = pick_dst(r);

	if (reg)
		emit(g, KBPF_RAW_INSN(cls | op | KBPF_X, dst, pick_reg(r), 0, 0));
	else
		emit(g, KBPF_RAW_INSN(cls | op | KBPF_K, dst, 0, 0, pick_imm(r)));
}

static void gen_misc_alu(struct gen *g)
{
	struct reader *r = g->r;
	uint8_t b = next_byte(r), dst = pick_dst(r);
	static const int32_t widths[] = { 16, 32, 64 };
	static const int16_t sx[] = { 8, 16, 32 };

	switch (b % 3) {
	case 0:	/* byte swap */
		emit(g, KBPF_RAW_INSN(KBPF_ALU | KBPF_END |
				      ((b & 8) ? KBPF_X : KBPF_K), dst, 0, 0,
				      widths[(b >> 4) % 3]));
		break;
	case 1:	/* movsx */
		emit(g, KBPF_RAW_INSN(((b & 8) ? KBPF_ALU : KBPF_ALU64) |
				      KBPF_MOV | KBPF_X, dst, pick_reg(r),
				      sx[(b >> 4) % ((b & 8) ? 2 : 3)], 0));
		break;
	default: /* sdiv / smod */
		emit(g, KBPF_RAW_INSN(((b & 8) ? KBPF_ALU : KBPF_ALU64) |
				      ((b & 16) ? KBPF_DIV : KBPF_MOD) |
				      ((b & 32) ? KBPF_X : KBPF_K), dst,
				      pick_reg(r), 1, pick_imm(r)));
		break;
	}
}

static void gen_ldx(struct gen *g)
{
	struct reader *r = g->r;
	uint8_t b = next_byte(r);
	uint8_t size = pick_size(r), dst = pick_dst(r), src = pick_reg(r);
	uint8_t mode = (b & 7) == 0 && size != KBPF_DW ? KBPF_MEMSX : KBPF_MEM;

	emit(g, KBPF_RAW_INSN(KBPF_LDX | mode | size, dst, src, pick_off(r), 0));
}

static void gen_store(struct gen *g)
{
	struct reader *r = g->r;
	uint8_t b = next_byte(r);
	uint8_t size = pick_size(r), dst = pick_reg(r);
	int16_t off = pick_off(r);

	if (b & 1)
		emit(g, KBPF_RAW_INSN(KBPF_STX | KBPF_MEM | size, dst,
				      pick_reg(r), off, 0));
	else
		emit(g, KBPF_RAW_INSN(KBPF_ST | KBPF_MEM | size, dst, 0, off,
				      pick_imm(r)));
}

static void gen_atomic(struct gen *g)
{
	static const int32_t ops[] = {
		KBPF_ADD, KBPF_OR, KBPF_AND, KBPF_XOR,
		KBPF_ADD | KBPF_FETCH, KBPF_OR | KBPF_FETCH,
		KBPF_AND | KBPF_FETCH, KBPF_XOR | KBPF_FETCH,
		KBPF_XCHG, KBPF_CMPXCHG,
	};
	struct reader *r = g->r;
	uint8_t b = next_byte(r);

	emit(g, KBPF_RAW_INSN(KBPF_STX | KBPF_ATOMIC |
			      ((b & 1) ? KBPF_W : KBPF_DW), pick_reg(r),
			      pick_reg(r), pick_off(r), ops[(b >> 1) % 10]));
}

static void gen_jmp(struct gen *g)
{
	static const uint8_t ops[] = {
		KBPF_JEQ, KBPF_JGT, KBPF_JGE, KBPF_JSET, KBPF_JNE, KBPF_JSGT,
		KBPF_JSGE, KBPF_JLT, KBPF_JLE, KBPF_JSLT, KBPF_JSLE, KBPF_JA,
	};
	struct reader *r = g->r;
	uint8_t b = next_byte(r), c = next_byte(r);
	uint8_t cls = (b & 1) ? KBPF_JMP32 : KBPF_JMP;
	uint8_t op = ops[(b >> 1) % sizeof(ops)];
	int32_t want = (c & 0x80) ? -(int32_t)(1 + c % 6) : (int32_t)(c % 6);
	int16_t off = jump_off(g, want);
	uint8_t dst = pick_reg(r);

	if (op == KBPF_JA) {
		emit(g, KBPF_RAW_INSN(KBPF_JMP | KBPF_JA, 0, 0, off, 0));
		return;
	}
	if (b & 0x40)
		emit(g, KBPF_RAW_INSN(cls | op | KBPF_X, dst, pick_reg(r), off, 0));
	else
		emit(g, KBPF_RAW_INSN(cls | op | KBPF_K, dst, 0, off, pick_imm(r)));
}

static void gen_ld_map(struct gen *g)
{
	struct reader *r = g->r;
	uint8_t b = next_byte(r);

	emit(g, KBPF_RAW_INSN(KBPF_LD | KBPF_IMM | KBPF_DW, pick_dst(r),
			      KBPF_PSEUDO_MAP_ID, 0,
			      (b & 1) ? HASH_MAP_ID : ARRAY_MAP_ID));
	emit(g, KBPF_RAW_INSN(0, 0, 0, 0, 0));
}

static void gen_call(struct gen *g)
{
	static const int32_t ids[] = { 1, 2, 3, 6, 6, 1, 1, 4 };

	emit(g, KBPF_CALL_HELPER(ids[next_byte(g->r) % 8]));
}

/* rD = data; rE = data_end; rD + k > rE ? exit. */
static void gen_pkt_check(struct gen *g)
{
	struct reader *r = g->r;
	uint8_t d = pick_dst(r), e = pick_dst(r), t = pick_dst(r);
	int32_t k = next_byte(r) % 72;

	if (d == e)
		e = (e + 1) % 10;
	if (t == e)
		t = d;
	emit(g, KBPF_LDX_MEM(DW, d, KBPF_REG_1, 0));
	emit(g, KBPF_LDX_MEM(DW, e, KBPF_REG_1, 8));
	if (t != d)
		emit(g, KBPF_MOV64_REG(t, d));
	else
		emit(g, KBPF_MOV64_REG(t, t));
	emit(g, KBPF_ALU64_IMM(ADD, t, k));
	emit(g, KBPF_RAW_INSN(KBPF_JMP | ((next_byte(r) & 1) ? KBPF_JGT : KBPF_JGE) |
			      KBPF_X, t, e, off_to_exit(g), 0));
}

/* *(u32 *)(fp - 8) = k; r2 = fp - 8; r1 = map; call lookup; r0 == 0 ? exit. */
static void gen_lookup(struct gen *g)
{
	struct reader *r = g->r;
	uint8_t b = next_byte(r);

	emit(g, KBPF_ST_MEM(DW, KBPF_REG_10, -8, b % 6));
	emit(g, KBPF_MOV64_REG(KBPF_REG_2, KBPF_REG_10));
	emit(g, KBPF_ALU64_IMM(ADD, KBPF_REG_2, -8));
	emit(g, KBPF_RAW_INSN(KBPF_LD | KBPF_IMM | KBPF_DW, KBPF_REG_1,
			      KBPF_PSEUDO_MAP_ID, 0,
			      (b & 0x80) ? HASH_MAP_ID : ARRAY_MAP_ID));
	emit(g, KBPF_RAW_INSN(0, 0, 0, 0, 0));
	emit(g, KBPF_CALL_HELPER(1));
	emit(g, KBPF_JMP_IMM(JEQ, KBPF_REG_0, 0, off_to_exit(g)));
	if (b & 0x40)
		emit(g, KBPF_MOV64_REG(6 + (b & 3), KBPF_REG_0));
}

static void gen_one(struct gen *g)
{
	uint8_t form = next_byte(g->r) % 20;

	if (form == 16 && room(g) >= 6) {
		gen_pkt_check(g);
		return;
	}
	if (form == 17 && room(g) >= 9) {
		gen_lookup(g);
		return;
	}
	if (form == 18 && room(g) >= 2) {
		gen_ld_map(g);
		return;
	}
	switch (form % 16) {
	case 0: case 1: case 2:	gen_alu(g, false); break;
	case 3: case 4:		gen_alu(g, true); break;
	case 5: case 6: case 7:	gen_ldx(g); break;
	case 8: case 9:		gen_store(g); break;
	case 10: case 11:	gen_jmp(g); break;
	case 12:		gen_call(g); break;
	case 13:		gen_atomic(g); break;
	case 14:		gen_misc_alu(g); break;
	default:
		emit(g, KBPF_MOV64_IMM(pick_dst(g->r), pick_imm(g->r)));
		break;
	}
}

static void generate(struct gen *g, struct reader *r)
{
	g->r = r;
	g->n = 3 + next_byte(r) % (FUZZ_MAX_INSNS - 3);
	g->pos = 0;
	while (g->pos < g->n - 2)
		gen_one(g);
	emit(g, KBPF_MOV64_IMM(KBPF_REG_0, next_byte(r) & 1));
	emit(g, KBPF_EXIT_INSN());
}

/* ---- helpers, maps ---------------------------------------------------- */

/* Reads every byte it is given: checks the verifier's helper memory rules. */
static u64 fuzz_sum_mem(u64 ptr, u64 size, u64 r3, u64 r4, u64 r5)
{
	const volatile uint8_t *p = (const volatile uint8_t *)(uintptr_t)ptr;
	u64 sum = 0, i;

	for (i = 0; i < size; i++)
		sum = sum * 31 + p[i];
	return sum;
}

/* map_lookup/update/delete_elem and fuzz_sum_mem: all deterministic. */
static struct kbpf_helper fuzz_helpers[7];
static const struct kbpf_helper_table fuzz_helper_table = {
	.helpers = fuzz_helpers,
	.count = 7,
};

static struct kbpf_map *array_map, *hash_map;

static struct kbpf_map *fuzz_map_by_id(void *priv, u32 id)
{
	struct kbpf_map *m = id == ARRAY_MAP_ID ? array_map :
			     id == HASH_MAP_ID ? hash_map : NULL;

	if (m)
		kbpf_map_get(m);
	return m;
}

static void reset_maps(void)
{
	uint8_t zero[16] = { 0 }, key[8], first[8] = { 1 };
	u32 i;

	for (i = 0; i < array_map->attrs.max_entries; i++)
		kbpf_map_update_elem(array_map, &i, zero, KBPF_ANY);
	while (!kbpf_map_get_next_key(hash_map, NULL, key))
		kbpf_map_delete_elem(hash_map, key);
	/* One element, so lookups of key 1 find something. */
	kbpf_map_update_elem(hash_map, first, zero, KBPF_ANY);
}

/* FNV-1a over every map value: what a run left behind. */
static u64 maps_digest(void)
{
	uint8_t key[8], next[8], val[16];
	u64 h = 1469598103934665603ULL;
	u32 i, b;
	const void *prev = NULL;

	for (i = 0; i < array_map->attrs.max_entries; i++) {
		kbpf_map_lookup_copy(array_map, &i, val);
		for (b = 0; b < sizeof(val); b++)
			h = (h ^ val[b]) * 1099511628211ULL;
	}
	while (!kbpf_map_get_next_key(hash_map, prev, next)) {
		memcpy(key, next, sizeof(key));
		prev = key;
		if (kbpf_map_lookup_copy(hash_map, key, val))
			continue;
		for (b = 0; b < sizeof(key); b++)
			h = (h ^ key[b]) * 1099511628211ULL;
		for (b = 0; b < sizeof(val); b++)
			h = (h ^ val[b]) * 1099511628211ULL;
	}
	return h;
}

/* ---- guarded memory ---------------------------------------------------- */

/* guard | page | guard, returning the middle page. */
static uint8_t *guarded_page(void)
{
	uint8_t *p = mmap(NULL, 3 * FUZZ_PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		abort();
	}
	if (mprotect(p, FUZZ_PAGE, PROT_NONE) ||
	    mprotect(p + 2 * FUZZ_PAGE, FUZZ_PAGE, PROT_NONE)) {
		perror("mprotect");
		abort();
	}
	return p + FUZZ_PAGE;
}

static uint8_t *pkt_page, *ctx_page;
static uint8_t *stack_mem;	/* KBPF_RUN_STACK_SIZE after a guard page */

static void set_prot(uint8_t *page, int prot)
{
	if (mprotect(page, FUZZ_PAGE, prot)) {
		perror("mprotect");
		abort();
	}
}

static void setup_stack_mem(void)
{
	size_t len = (KBPF_RUN_STACK_SIZE + FUZZ_PAGE - 1) & ~(size_t)(FUZZ_PAGE - 1);
	uint8_t *p = mmap(NULL, len + FUZZ_PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || mprotect(p, FUZZ_PAGE, PROT_NONE))
		abort();
	stack_mem = p + FUZZ_PAGE;
	/* Only frame 0 may be touched: no program here calls a subprogram. */
	ASAN_POISON_MEMORY_REGION(stack_mem + KBPF_STACK_SIZE,
				  KBPF_RUN_STACK_SIZE - KBPF_STACK_SIZE);
}

void *__wrap_kbpf_run_stack_acquire(void);
void __wrap_kbpf_run_stack_release(void *stack);

void *__wrap_kbpf_run_stack_acquire(void)
{
	return stack_mem;
}

void __wrap_kbpf_run_stack_release(void *stack)
{
}

static int setup(void)
{
	struct kbpf_map_attrs aa = {
		.type = KBPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 16,
		.max_entries = 4,
	};
	struct kbpf_map_attrs ha = {
		.type = KBPF_MAP_TYPE_HASH, .key_size = 8, .value_size = 16,
		.max_entries = 8,
	};
	u32 i;

	for (i = 1; i <= 3; i++)
		fuzz_helpers[i] = kbpf_default_helpers.helpers[i];
	fuzz_helpers[6] = (struct kbpf_helper){
		.name = "fuzz_sum_mem", .fn = fuzz_sum_mem,
		.ret = KBPF_RET_INTEGER,
		.args = { KBPF_ARG_PTR_TO_MEM, KBPF_ARG_CONST_SIZE },
	};
	if (kbpf_map_create(&aa, NULL, &array_map) ||
	    kbpf_map_create(&ha, NULL, &hash_map))
		abort();
	array_map->id = ARRAY_MAP_ID;
	hash_map->id = HASH_MAP_ID;
	pkt_page = guarded_page();
	for (i = 0; i < FUZZ_PAGE; i++)
		pkt_page[i] = (uint8_t)(i * 7 + 0x45);
	set_prot(pkt_page, PROT_READ);
	ctx_page = guarded_page();
	setup_stack_mem();
	return 0;
}

/* ---- running ----------------------------------------------------------- */

static const u32 pkt_lens[] = { 0, 1, 14, 20, 34, 40, 54, 60, 100, 1500 };

static struct kbpf_nf_ctx *place_ctx(const uint8_t *data, u32 len)
{
	struct kbpf_nf_ctx *ctx = (struct kbpf_nf_ctx *)
		(ctx_page + FUZZ_PAGE - sizeof(*ctx));

	set_prot(ctx_page, PROT_READ | PROT_WRITE);
	ctx->data = (u64)(uintptr_t)data;
	ctx->data_end = (u64)(uintptr_t)(data + len);
	ctx->len = len;
	ctx->family = 2;
	ctx->hook = 1;
	ctx->ifindex = 3;
	ctx->protocol = 0x0008;
	ctx->mark = 0x1234;
	set_prot(ctx_page, PROT_READ);
	return ctx;
}

static u64 run_once(const struct kbpf_prog *prog, const void *ctx,
		    uint8_t junk, u64 *digest)
{
	u64 r0;

	memset(stack_mem, junk, KBPF_STACK_SIZE);
	reset_maps();
	r0 = kbpf_prog_run(prog, ctx);
	*digest = maps_digest();
	return r0;
}

static void run_checked(const struct kbpf_prog *prog, const uint8_t *data,
			u32 len)
{
	const struct kbpf_nf_ctx *ctx = place_ctx(data, len);
	u64 d1, d2, r1, r2;

	r1 = run_once(prog, ctx, 0x00, &d1);
	r2 = run_once(prog, ctx, 0xa5, &d2);
	if (r1 > KBPF_NF_ACCEPT) {
		fprintf(stderr, "verifier bug: r0 = %llu is not a verdict (len %u)\n",
			(unsigned long long)r1, len);
		abort();
	}
	if (r1 != r2 || d1 != d2) {
		fprintf(stderr,
			"verifier bug: result depends on uninitialised stack (len %u: r0 %llu vs %llu, maps %llx vs %llx)\n",
			len, (unsigned long long)r1, (unsigned long long)r2,
			(unsigned long long)d1, (unsigned long long)d2);
		abort();
	}
}

static void run_all(const struct kbpf_prog *prog)
{
	u32 i;

	for (i = 0; i < sizeof(pkt_lens) / sizeof(pkt_lens[0]); i++) {
		u32 len = pkt_lens[i];

		/* Ends at the guard after the page, then starts at the one before. */
		run_checked(prog, pkt_page + FUZZ_PAGE - len, len);
		run_checked(prog, pkt_page, len);
	}
}

static void dump_prog(const struct kbpf_insn *insns, u32 n)
{
	char buf[128];
	u32 i;

	for (i = 0; i < n; i++) {
		kbpf_disasm_insn(&insns[i], buf, sizeof(buf));
		fprintf(stderr, "%3u: %s\n", i, buf);
	}
}

/* How much of what was generated the verifier let through. */
static unsigned long n_generated, n_accepted;

static void print_acceptance(void)
{
	fprintf(stderr, "verifier_fuzz: %lu programs, %lu accepted and run\n",
		n_generated, n_accepted);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct kbpf_limits limits = kbpf_limits_cloud;
	struct reader r = { data, size };
	struct kbpf_prog_load_opts opts = { 0 };
	struct kbpf_prog *prog = NULL;
	struct gen g;

	if (!ready) {
		ready = !setup();
		atexit(print_acceptance);
	}
	n_generated++;
	memset(&g, 0, sizeof(g));
	generate(&g, &r);
	limits.max_processed_insns = 50000;
	opts.type = KBPF_PROG_TYPE_NETFILTER;
	opts.insns = g.insns;
	opts.insn_cnt = g.n;
	opts.limits = &limits;
	opts.helpers = &fuzz_helper_table;
	opts.map_by_id = fuzz_map_by_id;
	/* Save the program for `kbpfctl verify --raw FILE --type netfilter`. */
	if (getenv("KBPF_FUZZ_RAW")) {
		FILE *f = fopen(getenv("KBPF_FUZZ_RAW"), "wb");

		if (f) {
			fwrite(g.insns, sizeof(g.insns[0]), g.n, f);
			fclose(f);
		}
	}
	/* Harness self-test: without the verifier the checks must fire. */
	if (getenv("KBPF_FUZZ_NO_VERIFY"))
		opts.flags = KBPF_LOAD_NO_VERIFY;
	if (kbpf_prog_load(&opts, &prog))
		return 0;
	n_accepted++;
	if (getenv("KBPF_FUZZ_DUMP"))
		dump_prog(g.insns, g.n);
	run_all(prog);
	kbpf_prog_free(prog);
	return 0;
}
