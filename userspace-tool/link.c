// SPDX-License-Identifier: GPL-2.0
/*
 * Linking one program of a BPF ELF object, as libbpf's
 * bpf_object__relocate() does while loading into the kernel -- which is the
 * only time libbpf 1.1 does it.
 *
 * The program's function is copied first.  Its relocations and calls are
 * then resolved in order; a call (or a callback address, ld_imm64 with
 * BPF_PSEUDO_FUNC) to a function not yet in the output appends that function,
 * whose own relocations are resolved when the walk reaches it.  So each
 * program gets exactly the subprograms it can call, in first-call order, and
 * two programs calling different static functions no longer see each
 * other's code.  Calls are rewritten to be relative to the output.
 *
 * Maps are created on first reference through the backend (or were named
 * by the user: kbpf_object_reuse_map()).  CO-RE relocations and externs are
 * refused with the instruction they concern.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "main.h"
#include "elf_priv.h"

#define INSN_SZ		sizeof(struct kbpf_insn)
#define OP_LD_IMM64	0x18	/* BPF_LD | BPF_IMM | BPF_DW */
#define OP_CALL		0x85	/* BPF_JMP | BPF_CALL */
#define PSEUDO_FUNC	4	/* BPF_PSEUDO_FUNC: ld_imm64 of a subprogram */
/* No program needs more: the verifier's own limit is far below. */
#define LINK_MAX_INSNS	(1U << 20)

struct linked_func {
	const struct obj_func *func;
	__u32 out_off;		/* where it starts in the output */
};

struct link_ctx {
	struct kbpf_object *obj;
	const struct kbpf_map_backend *backend;
	const char *prog;
	struct kbpf_insn *insns;
	__u32 cnt;
	struct linked_func *funcs;
	size_t func_cnt;
};

/* ---- output --------------------------------------------------------------- */

static int append_func(struct link_ctx *ctx, const struct obj_func *f,
		       __u32 *out_off)
{
	const struct kbpf_insn *src;
	struct kbpf_insn *insns;
	struct linked_func *funcs;
	__u32 sec_cnt;

	src = obj_sec_insns(ctx->obj, f->shndx, &sec_cnt);
	if (!src || f->off > sec_cnt || sec_cnt - f->off < f->cnt) {
		p_err("elf: '%s': function '%s' lies outside its section",
		      ctx->obj->path, f->name);
		return -EINVAL;
	}
	if (f->cnt > LINK_MAX_INSNS - ctx->cnt) {
		p_err("prog '%s': more than %u instructions once linked",
		      ctx->prog, LINK_MAX_INSNS);
		return -E2BIG;
	}
	insns = realloc(ctx->insns, (ctx->cnt + f->cnt) * INSN_SZ);
	funcs = insns ? realloc(ctx->funcs, (ctx->func_cnt + 1) *
				sizeof(*funcs)) : NULL;
	if (insns)
		ctx->insns = insns;
	if (!funcs) {
		p_err("out of memory");
		return -ENOMEM;
	}
	ctx->funcs = funcs;
	memcpy(ctx->insns + ctx->cnt, src + f->off, f->cnt * INSN_SZ);
	funcs[ctx->func_cnt].func = f;
	funcs[ctx->func_cnt].out_off = ctx->cnt;
	ctx->func_cnt++;
	*out_off = ctx->cnt;
	ctx->cnt += f->cnt;
	return 0;
}

/* Where function f starts in the output, appending it on first use. */
static int func_out_off(struct link_ctx *ctx, const struct obj_func *f,
			__u32 *out_off)
{
	size_t i;

	for (i = 0; i < ctx->func_cnt; i++) {
		if (ctx->funcs[i].func == f) {
			*out_off = ctx->funcs[i].out_off;
			return 0;
		}
	}
	return append_func(ctx, f, out_off);
}

/*
 * Point the call or callback at out_idx to insn target of section shndx,
 * which must start a function.
 */
static int link_call(struct link_ctx *ctx, __u32 out_idx, size_t shndx,
		     __s64 target)
{
	const struct obj_func *f = NULL;
	__u32 out_off;
	int err;

	if (target >= 0 && target <= 0xffffffffLL)
		f = obj_func_at(ctx->obj, shndx, target);
	if (!f) {
		p_err("prog '%s': insn %u: call to insn %lld of section '%s', which starts no function",
		      ctx->prog, out_idx, (long long)target,
		      obj_sec_name(ctx->obj, shndx) ?: "?");
		return -EINVAL;
	}
	err = func_out_off(ctx, f, &out_off);
	if (err)
		return err;
	/* Both are pc-relative: imm is the distance from the next insn. */
	ctx->insns[out_idx].imm = (__s32)((__s64)out_off - (out_idx + 1));
	return 0;
}

/* ---- relocations ------------------------------------------------------------ */

static int reloc_map(struct link_ctx *ctx, __u32 out_idx, const GElf_Sym *sym,
		     const char *sym_name)
{
	struct kbpf_insn *insn = &ctx->insns[out_idx];
	struct obj_map *m;
	__u64 off;
	int err;

	m = obj_map_for_sym(ctx->obj, ctx->prog, out_idx, sym, sym_name);
	if (!m)
		return -EOPNOTSUPP;
	err = obj_map_instantiate(ctx->obj, m, ctx->backend);
	if (err)
		return err;
	if (m->kind != OBJ_MAP_DATA) {
		insn[0].src_reg = KBPF_PSEUDO_MAP_ID;
		insn[0].imm = m->id;
		insn[1].imm = 0;
		return 0;
	}
	/* A section symbol leaves the offset in imm; a variable in st_value. */
	off = sym->st_value + (__u32)insn[0].imm;
	if (off >= m->spec.value_size) {
		p_err("prog '%s': insn %u: offset %llu is outside '%s'",
		      ctx->prog, out_idx, (unsigned long long)off, m->elf_name);
		return -EINVAL;
	}
	insn[0].src_reg = KBPF_PSEUDO_MAP_VALUE;
	insn[0].imm = m->id;
	insn[1].imm = off;
	return 0;
}

static int reloc_extern(struct link_ctx *ctx, __u32 out_idx,
			const char *sym_name)
{
	const struct kbpf_insn *insn = &ctx->insns[out_idx];
	const struct btf *btf = obj_btf(ctx->obj);
	int kconfig = btf ? btf__find_by_name_kind(btf, ".kconfig",
						   BTF_KIND_DATASEC) : -1;

	if (insn->code == OP_CALL)
		p_err("prog '%s': insn %u: call to extern function '%s' (a kfunc) is not supported by kbpf",
		      ctx->prog, out_idx, sym_name);
	else if (kconfig > 0)
		p_err("prog '%s': insn %u: '.kconfig' extern '%s' is not supported by kbpf (it has no kernel configuration to fill in)",
		      ctx->prog, out_idx, sym_name);
	else
		p_err("prog '%s': insn %u: extern '%s' is not supported by kbpf",
		      ctx->prog, out_idx, sym_name);
	return -EOPNOTSUPP;
}

/* One relocation of the instruction at out_idx, in function lf. */
static int reloc_one(struct link_ctx *ctx, const struct linked_func *lf,
		     __u32 idx, const GElf_Sym *sym, const char *sym_name)
{
	__u32 out_idx = lf->out_off + idx;
	struct kbpf_insn *insn = &ctx->insns[out_idx];
	bool ld64 = insn->code == OP_LD_IMM64 && idx + 1 < lf->func->cnt;

	if (sym->st_shndx == SHN_UNDEF)
		return reloc_extern(ctx, out_idx, sym_name);
	if (insn->code == OP_CALL && insn->src_reg == KBPF_PSEUDO_CALL)
		return link_call(ctx, out_idx, sym->st_shndx,
				 (__s64)(sym->st_value / INSN_SZ) +
				 insn->imm + 1);
	if (ld64 && obj_is_exec_section(ctx->obj, sym->st_shndx)) {
		/* The address of a function: a bpf_loop() style callback. */
		insn->src_reg = PSEUDO_FUNC;
		return link_call(ctx, out_idx, sym->st_shndx,
				 ((__s64)sym->st_value + insn->imm) /
				 (__s64)INSN_SZ);
	}
	if (ld64)
		return reloc_map(ctx, out_idx, sym, sym_name);
	p_err("prog '%s': insn %u (code 0x%02x): relocation against '%s' is not supported",
	      ctx->prog, out_idx, insn->code, sym_name);
	return -EOPNOTSUPP;
}

static Elf_Data *rel_data_for(struct kbpf_object *obj, size_t shndx,
			      size_t *count)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(obj->elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_REL ||
		    sh.sh_info != shndx || !sh.sh_entsize)
			continue;
		*count = sh.sh_size / sh.sh_entsize;
		return elf_getdata(scn, NULL);
	}
	*count = 0;
	return NULL;
}

/* Apply the ELF relocations that fall in lf; mark the insns they cover. */
static int reloc_func(struct link_ctx *ctx, const struct linked_func *lf,
		      bool *has_reloc)
{
	const struct obj_func *f = lf->func;
	__u64 start = (__u64)f->off * INSN_SZ, end = start + f->cnt * INSN_SZ;
	size_t i, nrels;
	Elf_Data *rels = rel_data_for(ctx->obj, f->shndx, &nrels);
	const char *sym_name;
	GElf_Rel rel;
	GElf_Sym sym;
	__u32 idx;
	int err;

	for (i = 0; i < nrels; i++) {
		if (!gelf_getrel(rels, i, &rel))
			goto bad;
		if (rel.r_offset < start || rel.r_offset >= end)
			continue;
		if ((rel.r_offset - start) % INSN_SZ ||
		    obj_get_sym(ctx->obj, GELF_R_SYM(rel.r_info), &sym,
				&sym_name))
			goto bad;
		idx = (rel.r_offset - start) / INSN_SZ;
		has_reloc[idx] = true;
		err = reloc_one(ctx, lf, idx, &sym, sym_name);
		if (err)
			return err;
	}
	return 0;
bad:
	p_err("elf: '%s': malformed relocations of section '%s'",
	      ctx->obj->path, obj_sec_name(ctx->obj, f->shndx) ?: "?");
	return -EINVAL;
}

/* Calls with no relocation stay within their own section. */
static int link_local_calls(struct link_ctx *ctx, const struct linked_func *lf,
			    const bool *has_reloc)
{
	const struct obj_func *f = lf->func;
	struct kbpf_insn *insn;
	__u32 i;
	int err;

	for (i = 0; i < f->cnt; i++) {
		insn = &ctx->insns[lf->out_off + i];
		if (has_reloc[i])
			continue;
		if (!(insn->code == OP_CALL && insn->src_reg == KBPF_PSEUDO_CALL) &&
		    !(insn->code == OP_LD_IMM64 && insn->src_reg == PSEUDO_FUNC))
			continue;
		err = link_call(ctx, lf->out_off + i, f->shndx,
				(__s64)f->off + i + insn->imm + 1);
		if (err)
			return err;
	}
	return 0;
}

/* ---- CO-RE: refused, not ignored ----------------------------------------- */

/* The layout of .BTF.ext (tools/lib/bpf/libbpf_internal.h). */
struct btf_ext_hdr {
	__u16 magic;
	__u8 version;
	__u8 flags;
	__u32 hdr_len;
	__u32 func_info_off;
	__u32 func_info_len;
	__u32 line_info_off;
	__u32 line_info_len;
	__u32 core_relo_off;
	__u32 core_relo_len;
};

struct core_relo {
	__u32 insn_off;
	__u32 type_id;
	__u32 access_str_off;
	__u32 kind;
};

static const char *const core_kinds[] = {
	"field byte offset", "field exists", "field size", "field signed",
	"field lshift", "field rshift", "local type id", "target type id",
	"type exists", "type size", "enum value exists", "enum value",
	"type matches",
};

static int refuse_core(struct link_ctx *ctx, const struct linked_func *lf,
		       const struct core_relo *r)
{
	const struct btf *btf = obj_btf(ctx->obj);
	const struct btf_type *t = btf ? btf__type_by_id(btf, r->type_id) : NULL;
	const char *type = t ? btf__name_by_offset(btf, t->name_off) : NULL;

	p_err("prog '%s': insn %u: CO-RE relocation (%s of '%s') is not supported by kbpf; read fields at fixed offsets instead of bpf_core_read()/preserve_access_index",
	      ctx->prog, lf->out_off + (r->insn_off / (__u32)INSN_SZ - lf->func->off),
	      r->kind < ARRAY_SIZE(core_kinds) ? core_kinds[r->kind] : "unknown kind",
	      type && *type ? type : "anonymous type");
	return -EOPNOTSUPP;
}

/* Refuse lf if .BTF.ext carries a CO-RE relocation for any of its insns. */
static int check_core(struct link_ctx *ctx, const struct linked_func *lf)
{
	const Elf_Data *d = ctx->obj->btf_ext;
	const struct btf *btf = obj_btf(ctx->obj);
	const char *sec = obj_sec_name(ctx->obj, lf->func->shndx);
	const struct obj_func *f = lf->func;
	struct btf_ext_hdr h = { 0 };
	struct core_relo r;
	const char *p, *end, *name;
	__u32 rec_size, sec_off, n, i;

	if (!d || !d->d_buf || d->d_size < offsetof(struct btf_ext_hdr, core_relo_off))
		return 0;
	memcpy(&h, d->d_buf, d->d_size < sizeof(h) ? d->d_size : sizeof(h));
	if (h.hdr_len < sizeof(h) || !h.core_relo_len)
		return 0;
	if (h.hdr_len > d->d_size ||
	    h.core_relo_off > d->d_size - h.hdr_len ||
	    h.core_relo_len > d->d_size - h.hdr_len - h.core_relo_off ||
	    h.core_relo_len < sizeof(__u32))
		goto bad;
	p = (const char *)d->d_buf + h.hdr_len + h.core_relo_off;
	end = p + h.core_relo_len;
	memcpy(&rec_size, p, sizeof(rec_size));
	p += sizeof(rec_size);
	if (rec_size < sizeof(r))
		goto bad;
	while (p < end) {
		if (end - p < 8)
			goto bad;
		memcpy(&sec_off, p, 4);
		memcpy(&n, p + 4, 4);
		p += 8;
		if (n > (size_t)(end - p) / rec_size)
			goto bad;
		name = btf ? btf__name_by_offset(btf, sec_off) : NULL;
		for (i = 0; name && sec && !strcmp(name, sec) && i < n; i++) {
			memcpy(&r, p + (size_t)i * rec_size, sizeof(r));
			if (r.insn_off / INSN_SZ >= f->off &&
			    r.insn_off / INSN_SZ < (__u64)f->off + f->cnt)
				return refuse_core(ctx, lf, &r);
		}
		p += (size_t)n * rec_size;
	}
	return 0;
bad:
	p_err("elf: '%s': malformed CO-RE relocations in .BTF.ext",
	      ctx->obj->path);
	return -EINVAL;
}

/* ---- the program ----------------------------------------------------------- */

static int link_func(struct link_ctx *ctx, size_t i)
{
	/* Copied: appending functions moves ctx->funcs. */
	struct linked_func lf = ctx->funcs[i];
	bool *has_reloc;
	int err;

	err = check_core(ctx, &lf);
	if (err)
		return err;
	has_reloc = calloc(lf.func->cnt, sizeof(*has_reloc));
	if (!has_reloc) {
		p_err("out of memory");
		return -ENOMEM;
	}
	err = reloc_func(ctx, &lf, has_reloc);
	if (!err)
		err = link_local_calls(ctx, &lf, has_reloc);
	free(has_reloc);
	return err;
}

/* The program's own function, from its name and section. */
static const struct obj_func *prog_func(struct kbpf_object *obj,
					const struct bpf_program *prog)
{
	const char *name = kbpf_prog_name(prog);
	const char *sec = kbpf_prog_section(prog);
	const char *fsec;
	size_t i;

	for (i = 0; i < obj->func_cnt; i++) {
		fsec = obj_sec_name(obj, obj->funcs[i].shndx);
		if (!strcmp(obj->funcs[i].name, name) && fsec &&
		    !strcmp(fsec, sec))
			return &obj->funcs[i];
	}
	p_err("elf: prog '%s': no function symbol in section '%s'", name, sec);
	return NULL;
}

int kbpf_object_prog_insns(struct kbpf_object *obj, struct bpf_program *prog,
			   const struct kbpf_map_backend *backend,
			   struct kbpf_insn **insnsp, __u32 *cntp)
{
	struct link_ctx ctx = {
		.obj = obj,
		.backend = backend,
		.prog = kbpf_prog_name(prog),
	};
	const struct obj_func *f;
	__u32 off;
	size_t i;
	int err;

	*insnsp = NULL;
	f = prog_func(obj, prog);
	if (!f)
		return -EINVAL;
	err = append_func(&ctx, f, &off);
	/* The list grows while it is walked: each new callee gets its turn. */
	for (i = 0; !err && i < ctx.func_cnt; i++)
		err = link_func(&ctx, i);
	free(ctx.funcs);
	if (err) {
		free(ctx.insns);
		return err;
	}
	*insnsp = ctx.insns;
	*cntp = ctx.cnt;
	return 0;
}
