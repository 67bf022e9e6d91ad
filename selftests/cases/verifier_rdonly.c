// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier: maps programs may only read (KBPF_F_RDONLY_PROG, what .rodata
 * is created with) or only write (KBPF_F_WRONLY_PROG), as Linux has them.
 * The restriction travels with the value pointer, from a direct value load
 * (global data) or a lookup, through copies, offsets and stack spills: a
 * store, an atomic, a helper writing the memory or map_update/delete_elem
 * on an RDONLY_PROG map is refused, and so is a load, an atomic or a helper
 * reading a WRONLY_PROG value.  Each refused program is also run against a
 * plain map, which must accept it: the flag is the only difference.  Loads
 * from a frozen RDONLY_PROG single-element array are the constants it holds.
 */
#include "verifier_test.h"

#define VT_MAP_FLAGS(f)	{ .type = KBPF_MAP_TYPE_ARRAY, .key_size = 4,	\
			  .value_size = 8, .max_entries = 4, .flags = (f) }
#define VT_RO_MAP	VT_MAP_FLAGS(KBPF_F_RDONLY_PROG)
#define VT_WO_MAP	VT_MAP_FLAGS(KBPF_F_WRONLY_PROG)
/* r = &value of map 1 + off (KBPF_PSEUDO_MAP_VALUE: global data). */
#define VT_LD_VALUE(r, off)						\
	KBPF_LD_IMM64_RAW(r, KBPF_PSEUDO_MAP_VALUE, ((u64)(off) << 32) | 1)
/* r0 = a looked-up value of map 1, null-checked (returns 0 when NULL). */
#define VT_LOOKUP_CHECKED()	VT_LOOKUP(),				\
				KBPF_JMP_IMM(JNE, VR(0), 0, 1),		\
				KBPF_EXIT_INSN()

/* A single-element array: what .rodata is. */
#define VT_ONE_MAP(f)	{ .type = KBPF_MAP_TYPE_ARRAY, .key_size = 4,	\
			  .value_size = 8, .max_entries = 1, .flags = (f) }
/*
 * r1 = &value; r2 = what the load(s) given make of it; if r2 == 7 return
 * 0, else read stack never written (refused when explored).
 */
#define KNOWN_7_PROG(...)						\
	VT_LD_VALUE(VR(1), 0),						\
	__VA_ARGS__,							\
	KBPF_JMP_IMM(JEQ, VR(2), 7, 1),					\
	KBPF_LDX_MEM(DW, VR(0), VR(10), -8),				\
	VT_RET(0)

#define RO_WRITE	"write into map forbidden, value_size=8"
#define RO_WHY		"read-only for programs (RDONLY_PROG, as .rodata is)"
#define WO_READ		"read from map forbidden, value_size=8"

/* Every program twice: refused on the restricted map, accepted on a plain one. */
#define REFUSED_AND_PLAIN(nm, flags, why, ...)				\
	{								\
		.name = nm,						\
		.insns = { __VA_ARGS__ },				\
		.map = VT_MAP_FLAGS(flags),				\
		.expect = -EACCES,					\
		.log_has = why,						\
	},								\
	{								\
		.name = nm ": accepted on a plain map",			\
		.insns = { __VA_ARGS__ },				\
		.map = VT_ARRAY_MAP,					\
	}

static const struct verifier_test verifier_rdonly_tests[] = {
	REFUSED_AND_PLAIN("store through a direct value load (global data)",
			  KBPF_F_RDONLY_PROG, "2: (62) *(u32 *)(r1 +4) = 9\n"
			  RO_WRITE " off=4 size=4: the map is " RO_WHY,
			  VT_LD_VALUE(VR(1), 0),
			  KBPF_ST_MEM(W, VR(1), 4, 9),
			  VT_RET(0)),
	REFUSED_AND_PLAIN("register store at an offset into the value",
			  KBPF_F_RDONLY_PROG, RO_WRITE " off=6 size=2",
			  VT_LD_VALUE(VR(1), 2),
			  KBPF_MOV64_IMM(VR(2), 1),
			  KBPF_STX_MEM(H, VR(1), VR(2), 4),
			  VT_RET(0)),
	REFUSED_AND_PLAIN("store through a lookup result",
			  KBPF_F_RDONLY_PROG, RO_WRITE " off=0 size=8",
			  VT_LOOKUP_CHECKED(),
			  KBPF_ST_MEM(DW, VR(0), 0, 1),
			  VT_RET(0)),
	REFUSED_AND_PLAIN("store through a pointer spilled and filled back",
			  KBPF_F_RDONLY_PROG, RO_WRITE,
			  VT_LD_VALUE(VR(1), 0),
			  KBPF_STX_MEM(DW, VR(10), VR(1), -8),
			  KBPF_LDX_MEM(DW, VR(3), VR(10), -8),
			  KBPF_ST_MEM(B, VR(3), 0, 1),
			  VT_RET(0)),
	REFUSED_AND_PLAIN("atomic add on a looked-up value",
			  KBPF_F_RDONLY_PROG, RO_WRITE " off=0 size=8",
			  VT_LOOKUP_CHECKED(),
			  KBPF_MOV64_IMM(VR(1), 1),
			  KBPF_ATOMIC_OP(DW, KBPF_ADD, VR(0), VR(1), 0),
			  VT_RET(0)),
	REFUSED_AND_PLAIN("cmpxchg on global data",
			  KBPF_F_RDONLY_PROG, RO_WRITE,
			  VT_LD_VALUE(VR(1), 0),
			  KBPF_MOV64_IMM(VR(0), 0),
			  KBPF_MOV64_IMM(VR(2), 1),
			  KBPF_ATOMIC_OP(DW, KBPF_CMPXCHG, VR(1), VR(2), 0),
			  VT_RET(0)),
	/* skb_load_bytes(ctx, 0, value, 8) fills the value. */
	REFUSED_AND_PLAIN("a helper writing into the value (skb_load_bytes)",
			  KBPF_F_RDONLY_PROG, RO_WRITE " off=0 size=8",
			  VT_LD_VALUE(VR(3), 0),
			  KBPF_MOV64_IMM(VR(2), 0),
			  KBPF_MOV64_IMM(VR(4), 8),
			  KBPF_CALL_HELPER(26),
			  VT_RET(0)),
	REFUSED_AND_PLAIN("map_update_elem on the map itself",
			  KBPF_F_RDONLY_PROG,
			  "write into map forbidden: map_update_elem#2 changes a map that is " RO_WHY,
			  KBPF_ST_MEM(W, VR(10), -4, 0),
			  KBPF_ST_MEM(DW, VR(10), -16, 0),
			  KBPF_MOV64_REG(VR(2), VR(10)),
			  KBPF_ALU64_IMM(ADD, VR(2), -4),
			  KBPF_MOV64_REG(VR(3), VR(10)),
			  KBPF_ALU64_IMM(ADD, VR(3), -16),
			  KBPF_MOV64_IMM(VR(4), 0),
			  KBPF_LD_MAP_ID(VR(1), 1),
			  KBPF_CALL_HELPER(2),
			  VT_RET(0)),
	REFUSED_AND_PLAIN("map_delete_elem on the map itself",
			  KBPF_F_RDONLY_PROG, "map_delete_elem#3 changes a map",
			  KBPF_ST_MEM(W, VR(10), -4, 0),
			  KBPF_MOV64_REG(VR(2), VR(10)),
			  KBPF_ALU64_IMM(ADD, VR(2), -4),
			  KBPF_LD_MAP_ID(VR(1), 1),
			  KBPF_CALL_HELPER(3),
			  VT_RET(0)),
	{
		.name = "reads of read-only values: direct, looked up, by a helper",
		.insns = {
			VT_LD_VALUE(VR(6), 0),
			KBPF_LDX_MEM(DW, VR(7), VR(6), 0),
			VT_LOOKUP_CHECKED(),
			KBPF_LDX_MEM(W, VR(7), VR(0), 4),
			/* lookup(map, key = the first 4 bytes of the value) */
			KBPF_MOV64_REG(VR(2), VR(6)),
			KBPF_LD_MAP_ID(VR(1), 1),
			KBPF_CALL_HELPER(1),
			VT_RET(0),
		},
		.map = VT_RO_MAP,
	},
	REFUSED_AND_PLAIN("load from write-only global data",
			  KBPF_F_WRONLY_PROG, WO_READ " off=0 size=8: the map is write-only for programs (WRONLY_PROG)",
			  VT_LD_VALUE(VR(1), 0),
			  KBPF_LDX_MEM(DW, VR(0), VR(1), 0),
			  VT_RET(0)),
	REFUSED_AND_PLAIN("load from a write-only looked-up value",
			  KBPF_F_WRONLY_PROG, WO_READ " off=4 size=4",
			  VT_LOOKUP_CHECKED(),
			  KBPF_LDX_MEM(W, VR(0), VR(0), 4),
			  VT_RET(0)),
	REFUSED_AND_PLAIN("atomic add on a write-only value (it reads)",
			  KBPF_F_WRONLY_PROG, WO_READ,
			  VT_LD_VALUE(VR(1), 0),
			  KBPF_MOV64_IMM(VR(2), 1),
			  KBPF_ATOMIC_OP(DW, KBPF_ADD, VR(1), VR(2), 0),
			  VT_RET(0)),
	REFUSED_AND_PLAIN("a write-only value as a helper's key",
			  KBPF_F_WRONLY_PROG, WO_READ " off=0 size=4",
			  VT_LD_VALUE(VR(2), 0),
			  KBPF_LD_MAP_ID(VR(1), 1),
			  KBPF_CALL_HELPER(1),
			  VT_RET(0)),
	{
		.name = "writes of write-only values: direct, looked up, by a helper",
		.insns = {
			KBPF_MOV64_REG(VR(9), VR(1)),
			VT_LD_VALUE(VR(6), 0),
			KBPF_ST_MEM(DW, VR(6), 0, 3),
			VT_LOOKUP_CHECKED(),
			KBPF_ST_MEM(W, VR(0), 4, 3),
			/* skb_load_bytes(ctx, 0, looked-up value, 8) */
			KBPF_MOV64_REG(VR(1), VR(9)),
			KBPF_MOV64_IMM(VR(2), 0),
			KBPF_MOV64_REG(VR(3), VR(0)),
			KBPF_MOV64_IMM(VR(4), 8),
			KBPF_CALL_HELPER(26),
			VT_RET(0),
		},
		.map = VT_WO_MAP,
	},
	/*
	 * A frozen RDONLY_PROG single-element array (frozen .rodata) cannot
	 * change: its loads are constants, so the branch a const volatile
	 * setting rules out is never explored (here: a read of stack never
	 * written).  Anything less is an unknown number.
	 */
	{
		.name = "frozen .rodata: a load is the constant it holds",
		.insns = { KNOWN_7_PROG(KBPF_LDX_MEM(W, VR(2), VR(1), 0)) },
		.map = VT_ONE_MAP(KBPF_F_RDONLY_PROG),
		.map_frozen = true,
		.map_value0 = 7,
	},
	{
		.name = "frozen .rodata: another constant takes the other branch",
		.insns = { KNOWN_7_PROG(KBPF_LDX_MEM(W, VR(2), VR(1), 0)) },
		.map = VT_ONE_MAP(KBPF_F_RDONLY_PROG),
		.map_frozen = true,
		.map_value0 = 8,
		.expect = -EACCES,
		.log_has = "invalid read from stack off -8",
	},
	{
		.name = "frozen .rodata: a byte at an offset, sign-extended",
		.insns = {
			KNOWN_7_PROG(KBPF_RAW_INSN(KBPF_LDX | KBPF_MEMSX | KBPF_B,
						   VR(2), VR(1), 1, 0),
				     KBPF_ALU64_IMM(ADD, VR(2), 8)),
		},
		.map = VT_ONE_MAP(KBPF_F_RDONLY_PROG),
		.map_frozen = true,
		.map_value0 = 0xff07,	/* byte 1: 0xff = -1; -1 + 8 = 7 */
	},
	{
		.name = "read-only but not frozen: userspace may still change it",
		.insns = { KNOWN_7_PROG(KBPF_LDX_MEM(W, VR(2), VR(1), 0)) },
		.map = VT_ONE_MAP(KBPF_F_RDONLY_PROG),
		.expect = -EACCES,
		.log_has = "invalid read from stack off -8",
	},
	{
		.name = "frozen but not RDONLY_PROG: programs may change it",
		.insns = { KNOWN_7_PROG(KBPF_LDX_MEM(W, VR(2), VR(1), 0)) },
		.map = VT_ONE_MAP(0),
		.map_frozen = true,
		.map_value0 = 7,
		.expect = -EACCES,
		.log_has = "invalid read from stack off -8",
	},
	{
		.name = "frozen read-only array of 4: not known (as Linux)",
		.insns = { KNOWN_7_PROG(KBPF_LDX_MEM(W, VR(2), VR(1), 0)) },
		.map = VT_RO_MAP,
		.map_frozen = true,
		.map_value0 = 7,
		.expect = -EACCES,
		.log_has = "invalid read from stack off -8",
	},
};

VERIFIER_TEST_SUITE(verifier_rdonly, "kbpf_verifier_rdonly",
		    verifier_rdonly_tests);
