// SPDX-License-Identifier: GPL-2.0
/*
 * Memory access checks: every load, store and atomic goes through
 * kbpf_check_mem_access() with the pointer register's abstract value.
 *
 *  ctx        only the fields the program type allows, at the unmodified
 *             context pointer; reads of data/data_end yield packet pointers.
 *  stack      fp-512 .. fp-1 of the frame the pointer is into, naturally
 *             aligned.  8-byte aligned stores of a register spill it (the
 *             register's full state comes back on an 8-byte load); other
 *             stores make bytes "misc".  Reading a byte never written is an
 *             error, as is reading part of a spilled pointer.
 *  packet     read-only; [off, off + size) must lie in the range proven by
 *             comparisons against data_end, with a non-negative variable
 *             part.
 *  map value  the whole access, at the smallest and largest variable offset,
 *             inside value_size.  Storing a pointer there would show a
 *             kernel address to userspace: refused.  A map created with
 *             KBPF_F_RDONLY_PROG (.rodata) takes no store, atomic or
 *             helper write; one with KBPF_F_WRONLY_PROG no load, atomic or
 *             helper read.  The pointer carries its map, so a lookup's
 *             result and a direct value load are held to it alike.
 *  mem        (raw type) like a map value of the memory's size; the memory
 *             belongs to the caller, so pointers may not be stored there.
 */
#include "../prog.h"
#include "types.h"
#include "../maps/map.h"

static bool is_pow2_size(u32 size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

struct kbpf_map *kbpf_find_map(struct kbpf_verifier_env *env, u32 insn_idx)
{
	/* The loader replaced the map id by the map's index (prog.h). */
	return kbpf_prog_ld_map(env->prog, &env->insns[insn_idx]);
}

/* ---- context ---------------------------------------------------------------- */

static int check_ctx_access(struct kbpf_verifier_env *env, u32 regno,
			    s32 off, u32 size, bool write, int value_regno,
			    bool sign_ext)
{
	struct kbpf_reg_state *reg = &kbpf_cur_regs(env)[regno];
	enum kbpf_reg_type type;

	if (reg->off || !kbpf_tnum_is_const(reg->var_off) || reg->var_off.value)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "dereference of modified ctx ptr R%u off=%d disallowed\n",
				      regno, reg->off);
	if (write) {
		if (kbpf_ctx_field_access(env->prog, off, size, true, &type))
			return kbpf_verr(env, -EACCES,
					 "cannot write into ctx off=%d size=%u: only whole writable fields of the %s context (mark) may be written\n",
					 off, size, env->type_info->name);
		/* A pointer stored in skb->mark would leave the module. */
		if (value_regno >= 0 &&
		    kbpf_is_pointer(&kbpf_cur_regs(env)[value_regno]))
			return kbpf_verr_regs(env, -EACCES,
					      KBPF_REGMASK(value_regno),
					      "R%d leaks addr into ctx\n",
					      value_regno);
		return 0;
	}
	if (kbpf_ctx_field_access(env->prog, off, size, false, &type) ||
	    (sign_ext && type != KBPF_REG_SCALAR))
		return kbpf_verr(env, -EACCES, "invalid ctx access off=%d size=%u\n",
				 off, size);
	if (value_regno < 0)
		return 0;
	reg = &kbpf_cur_regs(env)[value_regno];
	if (type == KBPF_REG_SCALAR) {
		kbpf_mark_reg_size(reg, size, sign_ext);
		return 0;
	}
	kbpf_mark_reg_known(reg, 0);
	reg->type = type;
	return 0;
}

/* ---- stack ------------------------------------------------------------------ */

static u32 stack_slot(s32 off)
{
	return (u32)(-off - 1) / KBPF_SLOT_SIZE;
}

/* Index into slot->bytes of the byte at fp + off. */
static u32 stack_byte(s32 off)
{
	return (u32)(off + KBPF_STACK_SIZE) % KBPF_SLOT_SIZE;
}

static int check_stack_bounds(struct kbpf_verifier_env *env, u32 regno,
			      s32 off, u32 size)
{
	struct kbpf_reg_state *reg = &kbpf_cur_regs(env)[regno];
	struct kbpf_func_state *f = env->cur->frame[reg->frameno];
	struct kbpf_subprog *sp;
	u32 depth;

	if (!kbpf_tnum_is_const(reg->var_off) || reg->var_off.value)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "variable stack access prohibited\n");
	if (off >= 0 || off < -KBPF_STACK_SIZE || off + (s32)size > 0)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "invalid stack access off=%d size=%u\n",
				      off, size);
	if (off % (s32)size)
		return kbpf_verr(env, -EACCES,
				 "misaligned stack access off=%d size=%u\n",
				 off, size);
	sp = &env->subprogs[f->subprog];
	depth = ((u32)-off + KBPF_SLOT_SIZE - 1) & ~(KBPF_SLOT_SIZE - 1);
	if (depth > sp->stack_depth)
		sp->stack_depth = depth;
	return 0;
}

static bool spills_pointer(const struct kbpf_stack_slot *slot)
{
	return slot && slot->bytes[0] == KBPF_STACK_SPILL &&
	       kbpf_is_pointer(&slot->spilled);
}

/* Byte b of the 8-byte value v as it lies in memory (host byte order). */
static u8 value_byte(u64 v, u32 b)
{
	u8 mem[KBPF_SLOT_SIZE];

	memcpy(mem, &v, sizeof(mem));
	return mem[b];
}

/*
 * Bytes [b0, b0 + size) of slot become type (MISC or ZERO).  The rest of a
 * spilled scalar becomes plain bytes (ZERO where the constant had a zero
 * byte).  The rest of a spilled pointer becomes INVALID: those bytes still
 * hold part of an address, so no load or helper may ever read them.
 */
static void stack_write_bytes(struct kbpf_stack_slot *slot, u32 b0, u32 size,
			      u8 type)
{
	bool ptr = spills_pointer(slot);
	bool known = slot->bytes[0] == KBPF_STACK_SPILL &&
		     kbpf_reg_is_const(&slot->spilled);
	u32 b;

	for (b = 0; b < KBPF_SLOT_SIZE; b++) {
		if (slot->bytes[b] != KBPF_STACK_SPILL)
			continue;
		if (ptr)
			slot->bytes[b] = KBPF_STACK_INVALID;
		else if (known && !value_byte(slot->spilled.var_off.value, b))
			slot->bytes[b] = KBPF_STACK_ZERO;
		else
			slot->bytes[b] = KBPF_STACK_MISC;
	}
	for (b = 0; b < size; b++)
		slot->bytes[b0 + b] = type;
	if (ptr)
		kbpf_mark_reg_not_init(&slot->spilled);
}

/* The whole slot now holds reg: a spill, filled back whole by a u64 load. */
static void stack_spill(struct kbpf_stack_slot *slot,
			const struct kbpf_reg_state *reg)
{
	slot->spilled = *reg;
	memset(slot->bytes, KBPF_STACK_SPILL, sizeof(slot->bytes));
}

/* Does storing size bytes of val (or imm, without val) write only zeros? */
static bool stores_zero(const struct kbpf_reg_state *val, s32 imm, u32 size)
{
	u64 mask = size == 8 ? ~0ULL : (1ULL << (size * 8)) - 1;

	if (!val)
		return !((u64)(s64)imm & mask);
	return kbpf_reg_is_const(val) && !(val->var_off.value & mask);
}

static int check_stack_write(struct kbpf_verifier_env *env, u32 regno,
			     s32 off, u32 size, int value_regno)
{
	struct kbpf_reg_state *ptr = &kbpf_cur_regs(env)[regno];
	struct kbpf_func_state *f = env->cur->frame[ptr->frameno];
	const struct kbpf_insn *insn = &env->insns[env->insn_idx];
	struct kbpf_reg_state *val = NULL, imm;
	struct kbpf_stack_slot *slot;

	if (value_regno >= 0)
		val = &kbpf_cur_regs(env)[value_regno];
	if (val && kbpf_is_pointer(val)) {
		/* A pointer is stored whole and aligned, or not at all. */
		if (size != 8)
			return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(value_regno),
					      "invalid size of register spill\n");
		if (val->type == KBPF_REG_PTR_TO_STACK &&
		    val->frameno > ptr->frameno)
			return kbpf_verr(env, -EACCES,
					 "cannot spill pointers to stack into stack frame of the caller\n");
	}
	slot = kbpf_stack_slot_mut(env, f, stack_slot(off));
	if (!slot)
		return -ENOMEM;
	if (size == 8) {
		if (!val) {
			kbpf_mark_reg_known(&imm, (u64)(s64)insn->imm);
			val = &imm;
		}
		stack_spill(slot, val);
		return 0;
	}
	stack_write_bytes(slot, stack_byte(off), size,
			  stores_zero(val, insn->imm, size) ?
			  KBPF_STACK_ZERO : KBPF_STACK_MISC);
	return 0;
}

/* Bytes [off, off + size) of frame f: all written, no part of a pointer. */
static int check_stack_init(struct kbpf_verifier_env *env,
			    struct kbpf_func_state *f, s32 off, u32 size,
			    bool allow_ptr)
{
	u32 i;

	for (i = 0; i < size; i++) {
		s32 o = off + (s32)i;
		const struct kbpf_stack_slot *slot =
			kbpf_stack_slot_get(f, stack_slot(o));
		u8 byte = slot ? slot->bytes[stack_byte(o)] : KBPF_STACK_INVALID;

		if (byte == KBPF_STACK_INVALID)
			return kbpf_verr(env, -EACCES,
					 "invalid read from stack off %d+%u size %u\n",
					 off, i, size);
		if (!allow_ptr && spills_pointer(slot))
			return kbpf_verr(env, -EACCES,
					 "leaking pointer from stack off %d\n",
					 o & ~(KBPF_SLOT_SIZE - 1));
	}
	return 0;
}

/* A size-byte piece of the known 8-byte value v at byte b0, as a load. */
static u64 value_piece(u64 v, u32 b0, u32 size, bool sign_ext)
{
	u8 mem[KBPF_SLOT_SIZE];
	u8 u8v;
	u16 u16v;
	u32 u32v;

	memcpy(mem, &v, sizeof(mem));
	switch (size) {
	case 1:
		u8v = mem[b0];
		return sign_ext ? (u64)(s64)(s8)u8v : u8v;
	case 2:
		memcpy(&u16v, mem + b0, 2);
		return sign_ext ? (u64)(s64)(s16)u16v : u16v;
	case 4:
		memcpy(&u32v, mem + b0, 4);
		return sign_ext ? (u64)(s64)(s32)u32v : u32v;
	default:
		return v;
	}
}

/*
 * What a load of size bytes at fp + off of f gives (the bytes are known to
 * be initialised): a spilled register whole, a piece of a spilled constant,
 * 0 from zeroed bytes, or an unknown number of that size.
 */
static int stack_read_value(struct kbpf_verifier_env *env,
			    const struct kbpf_func_state *f, s32 off, u32 size,
			    bool sign_ext, struct kbpf_reg_state *dst)
{
	const struct kbpf_stack_slot *slot = kbpf_stack_slot_get(f, stack_slot(off));
	u32 b0 = stack_byte(off), b;

	if (slot->bytes[b0] == KBPF_STACK_SPILL) {
		if (size == 8) {
			*dst = slot->spilled;
			return 0;
		}
		if (slot->spilled.type != KBPF_REG_SCALAR)
			return kbpf_verr(env, -EACCES,
					 "corrupted spill memory: partial read of a spilled %s\n",
					 kbpf_reg_type_str(slot->spilled.type));
		if (kbpf_reg_is_const(&slot->spilled)) {
			kbpf_mark_reg_known(dst, value_piece(slot->spilled.var_off.value,
							     b0, size, sign_ext));
			return 0;
		}
	} else {
		for (b = 0; b < size; b++)
			if (slot->bytes[b0 + b] != KBPF_STACK_ZERO)
				break;
		if (b == size) {
			kbpf_mark_reg_known(dst, 0);
			return 0;
		}
	}
	kbpf_mark_reg_size(dst, size, sign_ext);
	return 0;
}

static int check_stack_read(struct kbpf_verifier_env *env, u32 regno,
			    s32 off, u32 size, int value_regno, bool sign_ext)
{
	struct kbpf_reg_state *ptr = &kbpf_cur_regs(env)[regno];
	struct kbpf_func_state *f = env->cur->frame[ptr->frameno];
	int err;

	err = check_stack_init(env, f, off, size, true);
	if (err)
		return err;
	return stack_read_value(env, f, off, size, sign_ext,
				&kbpf_cur_regs(env)[value_regno]);
}

static int check_stack_access(struct kbpf_verifier_env *env, u32 regno,
			      s32 off, u32 size, bool write, int value_regno,
			      bool sign_ext)
{
	int err;

	/* From here on, off is relative to the frame pointer. */
	off += kbpf_cur_regs(env)[regno].off;
	err = check_stack_bounds(env, regno, off, size);
	if (err)
		return err;
	if (write)
		return check_stack_write(env, regno, off, size, value_regno);
	return check_stack_read(env, regno, off, size, value_regno, sign_ext);
}

/* ---- packet and map value ----------------------------------------------------- */

static int check_var_nonneg(struct kbpf_verifier_env *env, u32 regno)
{
	struct kbpf_reg_state *reg = &kbpf_cur_regs(env)[regno];

	if (reg->smin < 0)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "R%u min value is negative, either use unsigned index or do a if (index >=0) check\n",
				      regno);
	return 0;
}

static int check_packet_access(struct kbpf_verifier_env *env, u32 regno,
			       s32 off, u32 size, bool write)
{
	struct kbpf_reg_state *reg = &kbpf_cur_regs(env)[regno];
	s64 start = (s64)reg->off + off;
	int err;

	if (write)
		return kbpf_verr(env, -EACCES,
				 "cannot write into packet: it is read-only for %s programs\n",
				 env->type_info->name);
	err = check_var_nonneg(env, regno);
	if (err)
		return err;
	if (start < 0 || start + size > reg->range)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "invalid access to packet, off=%lld size=%u, R%u range=%u (check against data_end)\n",
				      (long long)start, size, regno, reg->range);
	return 0;
}

/* A map value or the raw type's memory: both have a fixed size. */
static u32 fixed_mem_size(const struct kbpf_reg_state *reg)
{
	if (reg->type == KBPF_REG_PTR_TO_MEM)
		return reg->range;
	return reg->map->attrs.value_size;
}

static int check_map_value_access(struct kbpf_verifier_env *env, u32 regno,
				  s32 off, u64 size)
{
	struct kbpf_reg_state *reg = &kbpf_cur_regs(env)[regno];
	u32 value_size = fixed_mem_size(reg);
	s64 start = (s64)reg->off + off;
	int err = check_var_nonneg(env, regno);

	if (err)
		return err;
	if (start + reg->smin < 0 || reg->umax > KBPF_MAX_VAR_OFF ||
	    start + (s64)reg->umax + (s64)size > value_size)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "invalid access to %s, %s=%u off=%lld size=%llu\n",
				      reg->type == KBPF_REG_PTR_TO_MEM ?
				      "mem" : "map value",
				      reg->type == KBPF_REG_PTR_TO_MEM ?
				      "mem_size" : "value_size",
				      value_size, (long long)start,
				      (unsigned long long)size);
	return 0;
}

int kbpf_check_map_access_type(struct kbpf_verifier_env *env, u32 regno,
			       s64 off, u64 size, u32 access)
{
	const struct kbpf_reg_state *reg = &kbpf_cur_regs(env)[regno];
	u32 flags;

	if (reg->type != KBPF_REG_PTR_TO_MAP_VALUE)
		return 0;
	flags = reg->map->attrs.flags;
	if ((access & KBPF_MAP_WRITE) && (flags & KBPF_F_RDONLY_PROG))
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "write into map forbidden, value_size=%u off=%lld size=%llu: the map is read-only for programs (RDONLY_PROG, as .rodata is)\n",
				      reg->map->attrs.value_size,
				      (long long)(reg->off + off),
				      (unsigned long long)size);
	if ((access & KBPF_MAP_READ) && (flags & KBPF_F_WRONLY_PROG))
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "read from map forbidden, value_size=%u off=%lld size=%llu: the map is write-only for programs (WRONLY_PROG)\n",
				      reg->map->attrs.value_size,
				      (long long)(reg->off + off),
				      (unsigned long long)size);
	return 0;
}

/*
 * A load from a map no one can change any more reads what every run will
 * read, so it is that constant, as Linux has it for .rodata: the map is
 * frozen (userspace cannot write it, nor resize it) and RDONLY_PROG (no
 * program can), a single-element array (the element a pointer is into is
 * known), and the offset is constant.  *val is the loaded value.
 */
static bool map_value_known(const struct kbpf_reg_state *reg, s32 off,
			    u32 size, bool sign_ext, u64 *val)
{
	struct kbpf_map *map = reg->map;
	u64 addr;
	s64 start;

	if (reg->type != KBPF_REG_PTR_TO_MAP_VALUE ||
	    !(map->attrs.flags & KBPF_F_RDONLY_PROG) ||
	    map->attrs.max_entries != 1 || !kbpf_tnum_is_const(reg->var_off) ||
	    !kbpf_map_frozen(map))
		return false;
	/* In bounds: check_map_value_access() passed. */
	start = (s64)reg->off + off + (s64)reg->var_off.value;
	if (kbpf_map_direct_value_addr(map, (u32)start, &addr))
		return false;
	*val = 0;
	memcpy(val, (const void *)(uintptr_t)addr, size);
	*val = value_piece(*val, 0, size, sign_ext);
	return true;
}

static int check_map_value_rw(struct kbpf_verifier_env *env, u32 regno,
			      s32 off, u32 size, bool write, int value_regno,
			      bool sign_ext)
{
	u64 val;
	int err;

	err = kbpf_check_map_access_type(env, regno, off, size,
					 write ? KBPF_MAP_WRITE : KBPF_MAP_READ);
	if (err)
		return err;
	if (write && value_regno >= 0 &&
	    kbpf_is_pointer(&kbpf_cur_regs(env)[value_regno]))
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(value_regno),
				      "R%d leaks addr into %s\n", value_regno,
				      kbpf_cur_regs(env)[regno].type == KBPF_REG_PTR_TO_MEM ?
				      "mem: the caller can read it" :
				      "map: userspace can read map values");
	err = check_map_value_access(env, regno, off, size);
	if (err || write)
		return err;
	if (map_value_known(&kbpf_cur_regs(env)[regno], off, size, sign_ext,
			    &val))
		kbpf_mark_reg_known(&kbpf_cur_regs(env)[value_regno], val);
	else
		kbpf_mark_reg_size(&kbpf_cur_regs(env)[value_regno], size,
				   sign_ext);
	return 0;
}

static int invalid_mem(struct kbpf_verifier_env *env, u32 regno)
{
	struct kbpf_reg_state *reg = &kbpf_cur_regs(env)[regno];

	return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
			      "R%u invalid mem access '%s'\n", regno,
			      kbpf_reg_type_str(reg->type));
}

/*
 * Load (value_regno receives the value) or store (value_regno is the source,
 * or -1 for a store of insn->imm) of size bytes at regno + off.
 */
int kbpf_check_mem_access(struct kbpf_verifier_env *env, u32 regno, s32 off,
			  u32 size, bool write, int value_regno, bool sign_ext)
{
	struct kbpf_reg_state *reg = &kbpf_cur_regs(env)[regno];
	int err;

	if (!is_pow2_size(size))
		return kbpf_verr(env, -EINVAL, "invalid access size %u\n", size);
	switch (reg->type) {
	case KBPF_REG_PTR_TO_CTX:
		err = check_ctx_access(env, regno, off, size, write, value_regno,
				       sign_ext);
		break;
	case KBPF_REG_PTR_TO_STACK:
		err = check_stack_access(env, regno, off, size, write,
					 value_regno, sign_ext);
		break;
	case KBPF_REG_PTR_TO_PACKET:
		err = check_packet_access(env, regno, off, size, write);
		if (!err && !write)
			kbpf_mark_reg_size(&kbpf_cur_regs(env)[value_regno],
					   size, sign_ext);
		break;
	case KBPF_REG_PTR_TO_MAP_VALUE:
	case KBPF_REG_PTR_TO_MEM:
		err = check_map_value_rw(env, regno, off, size, write,
					 value_regno, sign_ext);
		break;
	default:
		return invalid_mem(env, regno);
	}
	return err;
}

/*
 * The size bytes a helper reads or writes at the stack pointer regno lie
 * within its frame at a constant offset; the deepest byte sets the frame's
 * depth.
 */
static int check_helper_stack_bytes(struct kbpf_verifier_env *env, u32 regno,
				    u64 size, const char *what)
{
	const struct kbpf_reg_state *reg = &kbpf_cur_regs(env)[regno];
	s64 off = reg->off;

	if (size > KBPF_STACK_SIZE || off + (s64)size > 0 ||
	    off < -KBPF_STACK_SIZE || !kbpf_tnum_is_const(reg->var_off) ||
	    reg->var_off.value)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "invalid stack access for %s: R%u off=%lld size=%llu\n",
				      what, regno, (long long)off,
				      (unsigned long long)size);
	return check_stack_bounds(env, regno, (s32)off, 1);
}

/*
 * A helper reads size bytes at regno: they must exist and, on the stack, be
 * initialised and hold no pointer (the helper could copy it to a map).
 */
int kbpf_check_mem_region(struct kbpf_verifier_env *env, u32 regno,
			  u64 size, const char *what)
{
	struct kbpf_reg_state *reg = &kbpf_cur_regs(env)[regno];
	int err;

	switch (reg->type) {
	case KBPF_REG_PTR_TO_STACK:
		err = check_helper_stack_bytes(env, regno, size, what);
		if (err)
			return err;
		return check_stack_init(env, env->cur->frame[reg->frameno],
					reg->off, (u32)size, false);
	case KBPF_REG_PTR_TO_PACKET:
		if (size > KBPF_MAX_PACKET_OFF)
			return kbpf_verr(env, -EACCES, "%s of %llu bytes is too large\n",
					 what, (unsigned long long)size);
		return check_packet_access(env, regno, 0, (u32)size, false);
	case KBPF_REG_PTR_TO_MAP_VALUE:
	case KBPF_REG_PTR_TO_MEM:
		return kbpf_check_map_access_type(env, regno, 0, size,
						  KBPF_MAP_READ) ?:
		       check_map_value_access(env, regno, 0, size);
	default:
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "R%u type=%s expected=fp, pkt, map_value, mem for %s\n",
				      regno, kbpf_reg_type_str(reg->type), what);
	}
}

/*
 * Two pointers into the same object with constant offsets: 1 if they are
 * equal, 0 if not, -1 if that cannot be told without knowing the address.
 */
static int same_address(const struct kbpf_reg_state *a,
			const struct kbpf_reg_state *b)
{
	bool one_object;

	if (a->type != b->type || !kbpf_tnum_is_const(a->var_off) ||
	    !kbpf_tnum_is_const(b->var_off))
		return -1;
	switch (a->type) {
	case KBPF_REG_PTR_TO_STACK:
		one_object = a->frameno == b->frameno;
		break;
	case KBPF_REG_PTR_TO_CTX:
	case KBPF_REG_PTR_TO_PACKET:
	case KBPF_REG_PTR_TO_PACKET_END:
	case KBPF_REG_PTR_TO_MEM:
		one_object = true;
		break;
	default:	/* two map values may be two elements */
		one_object = false;
		break;
	}
	if (!one_object)
		return -1;
	return (s64)a->off + (s64)a->var_off.value ==
	       (s64)b->off + (s64)b->var_off.value;
}

/*
 * cmpxchg on the stack with a pointer in r0 (clang emits it for a
 * compare-and-swap of a local pointer variable).  Which way it goes must not
 * depend on the pointer's value, or the program learns about the address:
 * the slot must hold a pointer into the same object (the outcome follows
 * from the offsets) or a constant no address can equal (never equal).
 * *old receives the slot's value; on a match the slot takes src.
 */
static int stack_cmpxchg_pointer(struct kbpf_verifier_env *env,
				 struct kbpf_func_state *f, s32 off, u32 size,
				 const struct kbpf_reg_state *src,
				 struct kbpf_reg_state *old)
{
	const struct kbpf_reg_state *r0 = &kbpf_cur_regs(env)[KBPF_REG_0];
	const struct kbpf_stack_slot *slot;
	struct kbpf_stack_slot *w;
	int err, equal;

	if (size != 8)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(KBPF_REG_0),
				      "R0 leaks addr into mem: a 32-bit cmpxchg compares half a pointer\n");
	err = check_stack_init(env, f, off, size, true);
	if (err)
		return err;
	slot = kbpf_stack_slot_get(f, stack_slot(off));
	if (spills_pointer(slot)) {
		equal = same_address(&slot->spilled, r0);
		*old = slot->spilled;
	} else {
		err = stack_read_value(env, f, off, size, false, old);
		if (err)
			return err;
		equal = kbpf_reg_is_const(old) &&
			kbpf_never_an_address(old->var_off.value) ? 0 : -1;
	}
	if (equal < 0)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(KBPF_REG_0),
				      "R0 leaks addr into mem: cmpxchg would compare a pointer with a value that could equal it\n");
	if (!equal)
		return 0;
	w = kbpf_stack_slot_mut(env, f, stack_slot(off));
	if (!w)
		return -ENOMEM;
	stack_spill(w, src);
	return 0;
}

/*
 * An atomic on the stack: the bytes must be initialised scalar bytes (or,
 * for cmpxchg with a pointer in r0, see above).  The old value is fetched
 * as a load would read it, so a constant stays a constant; afterwards the
 * slot holds src (xchg, 8 bytes) or unknown bytes.
 */
static int check_stack_atomic(struct kbpf_verifier_env *env,
			      const struct kbpf_insn *insn, u32 size,
			      u32 load_reg)
{
	struct kbpf_reg_state *regs = kbpf_cur_regs(env);
	struct kbpf_reg_state *dst = &regs[insn->dst_reg];
	struct kbpf_func_state *f = env->cur->frame[dst->frameno];
	struct kbpf_reg_state src = regs[insn->src_reg], old;
	s32 off = dst->off + insn->off;
	struct kbpf_stack_slot *slot;
	int err;

	err = check_stack_bounds(env, insn->dst_reg, off, size);
	if (err)
		return err;
	if (insn->imm == KBPF_CMPXCHG && kbpf_is_pointer(&regs[KBPF_REG_0])) {
		err = stack_cmpxchg_pointer(env, f, off, size, &src, &old);
		if (!err)
			regs[KBPF_REG_0] = old;
		return err;
	}
	err = check_stack_init(env, f, off, size, false);
	if (!err)
		err = stack_read_value(env, f, off, size, false, &old);
	if (err)
		return err;
	slot = kbpf_stack_slot_mut(env, f, stack_slot(off));
	if (!slot)
		return -ENOMEM;
	if (insn->imm == KBPF_XCHG && size == 8)
		stack_spill(slot, &src);
	else
		stack_write_bytes(slot, stack_byte(off), size, KBPF_STACK_MISC);
	if (insn->imm & KBPF_FETCH)
		regs[load_reg] = old;
	return 0;
}

/*
 * A helper writes size bytes at regno: they must exist and be writable by
 * the program itself (stack, map value, raw memory; never the packet or the
 * context).  Stack bytes need not be initialised.
 */
int kbpf_check_mem_writable(struct kbpf_verifier_env *env, u32 regno,
			    u64 size, const char *what)
{
	struct kbpf_reg_state *reg = &kbpf_cur_regs(env)[regno];

	switch (reg->type) {
	case KBPF_REG_PTR_TO_STACK:
		return check_helper_stack_bytes(env, regno, size, what);
	case KBPF_REG_PTR_TO_MAP_VALUE:
	case KBPF_REG_PTR_TO_MEM:
		return kbpf_check_map_access_type(env, regno, 0, size,
						  KBPF_MAP_WRITE) ?:
		       check_map_value_access(env, regno, 0, size);
	default:
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(regno),
				      "R%u type=%s expected=fp, map_value, mem for %s the helper writes\n",
				      regno, kbpf_reg_type_str(reg->type), what);
	}
}

/*
 * The helper wrote at least size bytes at the stack pointer regno: they are
 * initialised scalar bytes now (what is left of a spilled pointer there
 * becomes unreadable, as for any partial store).
 */
int kbpf_mark_mem_written(struct kbpf_verifier_env *env, u32 regno, u64 size)
{
	struct kbpf_reg_state *reg = &kbpf_cur_regs(env)[regno];
	struct kbpf_func_state *f;
	s32 off = reg->off, o;

	if (reg->type != KBPF_REG_PTR_TO_STACK || !size)
		return 0;
	f = env->cur->frame[reg->frameno];
	for (o = off; o < off + (s32)size; o++) {
		struct kbpf_stack_slot *slot =
			kbpf_stack_slot_mut(env, f, stack_slot(o));

		if (!slot)
			return -ENOMEM;
		stack_write_bytes(slot, stack_byte(o), 1, KBPF_STACK_MISC);
	}
	return 0;
}

/*
 * How many bytes from the stack pointer reg up to its frame's top are
 * initialised and hold no part of a pointer (at most max): what %s may
 * read there.
 */
u32 kbpf_stack_readable_bytes(struct kbpf_verifier_env *env,
			      const struct kbpf_reg_state *reg, u32 max)
{
	const struct kbpf_func_state *f = env->cur->frame[reg->frameno];
	s32 o = reg->off;
	u32 n = 0;

	if (!kbpf_tnum_is_const(reg->var_off) || reg->var_off.value ||
	    o < -KBPF_STACK_SIZE)
		return 0;
	for (; o < 0 && n < max; o++, n++) {
		const struct kbpf_stack_slot *slot =
			kbpf_stack_slot_get(f, stack_slot(o));
		u8 byte = slot ? slot->bytes[stack_byte(o)] : KBPF_STACK_INVALID;

		if (byte == KBPF_STACK_INVALID || spills_pointer(slot))
			break;
	}
	return n;
}

/* lock *(size *)(dst + off) op= src, maybe fetching the old value. */
int kbpf_check_atomic(struct kbpf_verifier_env *env,
		      const struct kbpf_insn *insn)
{
	struct kbpf_reg_state *regs = kbpf_cur_regs(env);
	struct kbpf_reg_state *dst = &regs[insn->dst_reg];
	u32 size = KBPF_SIZE(insn->code) == KBPF_DW ? 8 : 4;
	u32 load_reg = insn->imm == KBPF_CMPXCHG ? KBPF_REG_0 : insn->src_reg;
	s64 align_off;
	int err;

	/* The stored value reaches memory: a pointer there is a leak. */
	if (kbpf_is_pointer(&regs[insn->src_reg]))
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(insn->src_reg),
				      "R%u leaks addr into mem\n", insn->src_reg);
	if (insn->imm == KBPF_CMPXCHG &&
	    (regs[KBPF_REG_0].type == KBPF_REG_NOT_INIT ||
	     (kbpf_is_pointer(&regs[KBPF_REG_0]) &&
	      dst->type != KBPF_REG_PTR_TO_STACK)))
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(KBPF_REG_0),
				      "R0 must hold the scalar to compare for cmpxchg\n");
	if (dst->type != KBPF_REG_PTR_TO_STACK &&
	    dst->type != KBPF_REG_PTR_TO_MAP_VALUE &&
	    dst->type != KBPF_REG_PTR_TO_MEM)
		return kbpf_verr_regs(env, -EACCES, KBPF_REGMASK(insn->dst_reg),
				      "atomic operation on %s prohibited\n",
				      kbpf_reg_type_str(dst->type));
	align_off = (s64)dst->off + insn->off + (s64)dst->var_off.value;
	if ((dst->var_off.mask & (size - 1)) || (align_off & (size - 1)))
		return kbpf_verr(env, -EACCES,
				 "misaligned atomic access off=%lld size=%u\n",
				 (long long)align_off, size);
	if (dst->type == KBPF_REG_PTR_TO_STACK)
		return check_stack_atomic(env, insn, size, load_reg);
	/* Every atomic reads the old value and writes the new one. */
	err = kbpf_check_map_access_type(env, insn->dst_reg, insn->off, size,
					 KBPF_MAP_READ | KBPF_MAP_WRITE) ?:
	      check_map_value_access(env, insn->dst_reg, insn->off, size);
	if (err)
		return err;
	if (insn->imm & KBPF_FETCH)
		kbpf_mark_reg_size(&regs[load_reg], size, false);
	return 0;
}
