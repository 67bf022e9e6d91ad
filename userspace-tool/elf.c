// SPDX-License-Identifier: GPL-2.0
/*
 * BPF ELF objects for kbpf: libbpf for the object model, libelf for the
 * relocations libbpf would only apply while loading into bpf().
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "main.h"
#include "elf.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

#define INSN_SZ		sizeof(struct kbpf_insn)
#define OP_LD_IMM64	0x18	/* BPF_LD | BPF_IMM | BPF_DW */
#define OP_CALL		0x85	/* BPF_JMP | BPF_CALL */

struct map_slot {
	const struct bpf_map *map;
	__u32 id;
};

struct kbpf_object {
	char *path;
	int fd;
	Elf *elf;
	struct bpf_object *bobj;
	size_t shstrndx;
	Elf_Data *symtab;
	size_t strtabndx;
	size_t nsyms;
	size_t maps_shndx;		/* 0: none */
	size_t text_shndx;		/* 0: none */
	struct map_slot *maps;		/* maps created so far */
	size_t map_cnt;
	__u32 *created_ids;
};

/* State of one program's relocation. */
struct reloc_ctx {
	struct kbpf_object *obj;
	const struct kbpf_map_backend *backend;
	const char *prog_name;
	struct kbpf_insn *insns;	/* the whole output */
	__u32 text_base;		/* where .text starts in insns */
	__u32 text_cnt;
	bool needs_text;
};

const char *kbpf_object_path(const struct kbpf_object *obj)
{
	return obj->path;
}

static const char *sec_name(struct kbpf_object *obj, size_t shndx)
{
	Elf_Scn *scn = elf_getscn(obj->elf, shndx);
	GElf_Shdr sh;
	const char *name;

	if (!scn || !gelf_getshdr(scn, &sh))
		return NULL;
	name = elf_strptr(obj->elf, obj->shstrndx, sh.sh_name);
	return name;
}

/* Find the symbol table, .maps and .text once. */
static int scan_sections(struct kbpf_object *obj)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	const char *name;

	if (elf_getshdrstrndx(obj->elf, &obj->shstrndx))
		return -1;
	while ((scn = elf_nextscn(obj->elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			return -1;
		name = elf_strptr(obj->elf, obj->shstrndx, sh.sh_name);
		if (!name)
			return -1;
		if (sh.sh_type == SHT_SYMTAB) {
			obj->symtab = elf_getdata(scn, NULL);
			obj->strtabndx = sh.sh_link;
			obj->nsyms = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
		} else if (!strcmp(name, ".maps")) {
			obj->maps_shndx = elf_ndxscn(scn);
		} else if (!strcmp(name, ".text")) {
			obj->text_shndx = elf_ndxscn(scn);
		}
	}
	return obj->symtab ? 0 : -1;
}

static int open_elf(struct kbpf_object *obj)
{
	GElf_Ehdr ehdr;

	obj->fd = open(obj->path, O_RDONLY | O_CLOEXEC);
	if (obj->fd < 0) {
		p_err("cannot open '%s': %s", obj->path, strerror(errno));
		return -errno;
	}
	if (elf_version(EV_CURRENT) == EV_NONE) {
		p_err("elf: libelf is too old");
		return -EINVAL;
	}
	obj->elf = elf_begin(obj->fd, ELF_C_READ_MMAP, NULL);
	if (!obj->elf || elf_kind(obj->elf) != ELF_K_ELF ||
	    !gelf_getehdr(obj->elf, &ehdr) || ehdr.e_machine != EM_BPF ||
	    gelf_getclass(obj->elf) != ELFCLASS64) {
		p_err("'%s' is not a BPF ELF object", obj->path);
		return -EINVAL;
	}
	if (scan_sections(obj)) {
		p_err("'%s' is not a BPF ELF object (no symbol table)",
		      obj->path);
		return -EINVAL;
	}
	return 0;
}

int kbpf_object_open(const char *path, struct kbpf_object **objp)
{
	struct kbpf_object *obj;
	int err;

	*objp = NULL;
	obj = calloc(1, sizeof(*obj));
	if (!obj || !(obj->path = strdup(path))) {
		free(obj);
		p_err("out of memory");
		return -ENOMEM;
	}
	obj->fd = -1;
	err = open_elf(obj);
	if (err)
		goto err_close;

	obj->bobj = bpf_object__open_file(path, NULL);
	if (!obj->bobj) {
		err = -errno;
		p_err("cannot open BPF object '%s': %s (run with -d for libbpf's reason)",
		      path, strerror(errno));
		goto err_close;
	}
	*objp = obj;
	return 0;

err_close:
	kbpf_object_close(obj);
	return err;
}

void kbpf_object_close(struct kbpf_object *obj)
{
	if (!obj)
		return;
	bpf_object__close(obj->bobj);
	if (obj->elf)
		elf_end(obj->elf);
	if (obj->fd >= 0)
		close(obj->fd);
	free(obj->maps);
	free(obj->created_ids);
	free(obj->path);
	free(obj);
}

struct bpf_program *kbpf_object_next_prog(struct kbpf_object *obj,
					  struct bpf_program *prev)
{
	return bpf_object__next_program(obj->bobj, prev);
}

const char *kbpf_prog_name(const struct bpf_program *prog)
{
	return bpf_program__name(prog);
}

const char *kbpf_prog_section(const struct bpf_program *prog)
{
	return bpf_program__section_name(prog);
}

struct bpf_program *kbpf_object_find_prog(struct kbpf_object *obj,
					  const char *section)
{
	struct bpf_program *prog = NULL;

	while ((prog = kbpf_object_next_prog(obj, prog))) {
		if (!section || !strcmp(kbpf_prog_section(prog), section))
			return prog;
	}
	if (section)
		p_err("no program in section '%s' of '%s'", section,
		      obj->path);
	else
		p_err("'%s' contains no BPF program", obj->path);
	return NULL;
}

/* ---- sections --------------------------------------------------------- */

static const char * const prog_prefixes[] = { "kbpf", "netfilter" };

static int parse_section_hook(const char *prog, const char *sec,
			      const char *rest, struct kbpf_section *s)
{
	char hook[64];
	const char *prio;
	size_t len;
	__s64 v;

	/* rest is "<family>/<hook>" optionally followed by "/<prio>". */
	prio = strchr(rest, '/');
	prio = prio ? strchr(prio + 1, '/') : NULL;
	len = prio ? (size_t)(prio - rest) : strlen(rest);
	if (len >= sizeof(hook)) {
		p_err("prog '%s': section '%s' names no known hook", prog, sec);
		return -EINVAL;
	}
	memcpy(hook, rest, len);
	hook[len] = '\0';
	if (parse_hook(hook, &s->family, &s->hook))
		return -EINVAL;
	if (prio && parse_s64(prio + 1, "priority", KBPF_NF_PRIO_MIN,
			      KBPF_NF_PRIO_MAX, &v))
		return -EINVAL;
	s->priority = prio ? (__s32)v : 0;
	s->has_hook = true;
	return 0;
}

int kbpf_parse_section(const struct bpf_program *prog,
		       struct kbpf_section *s)
{
	const char *sec = kbpf_prog_section(prog);
	const char *name = kbpf_prog_name(prog);
	size_t i, len;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < ARRAY_SIZE(prog_prefixes); i++) {
		len = strlen(prog_prefixes[i]);
		if (strncmp(sec, prog_prefixes[i], len))
			continue;
		if (sec[len] != '\0' && sec[len] != '/')
			continue;
		s->prog_type = KBPF_PROG_TYPE_NETFILTER;
		if (sec[len] == '\0')
			return 0;
		return parse_section_hook(name, sec, sec + len + 1, s);
	}
	p_err("prog '%s': unknown section '%s' (expected kbpf/FAMILY/HOOK[/PRIO])",
	      name, sec);
	return -EINVAL;
}

/* ---- maps ------------------------------------------------------------- */

static bool map_type_supported(__u32 type)
{
	switch (type) {
	case KBPF_MAP_TYPE_HASH:
	case KBPF_MAP_TYPE_ARRAY:
	case KBPF_MAP_TYPE_PERCPU_HASH:
	case KBPF_MAP_TYPE_PERCPU_ARRAY:
	case KBPF_MAP_TYPE_LPM_TRIE:
		return true;
	}
	return false;
}

static int remember_map(struct kbpf_object *obj, const struct bpf_map *map,
			__u32 id)
{
	struct map_slot *slots;
	__u32 *ids;

	slots = realloc(obj->maps, (obj->map_cnt + 1) * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	obj->maps = slots;
	ids = realloc(obj->created_ids, (obj->map_cnt + 1) * sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	obj->created_ids = ids;
	slots[obj->map_cnt].map = map;
	slots[obj->map_cnt].id = id;
	ids[obj->map_cnt] = id;
	obj->map_cnt++;
	return 0;
}

/* The kbpf id of a libbpf map, creating the map on first use. */
static int map_id(struct reloc_ctx *ctx, struct bpf_map *map, __u32 *id)
{
	struct kbpf_object *obj = ctx->obj;
	struct kbpf_map_spec spec = { 0 };
	size_t i;
	int err;

	for (i = 0; i < obj->map_cnt; i++) {
		if (obj->maps[i].map == map) {
			*id = obj->maps[i].id;
			return 0;
		}
	}

	kbpf_obj_name(spec.name, bpf_map__name(map));
	spec.type = bpf_map__type(map);
	spec.key_size = bpf_map__key_size(map);
	spec.value_size = bpf_map__value_size(map);
	spec.max_entries = bpf_map__max_entries(map);
	if (!map_type_supported(spec.type)) {
		p_err("map '%s': type %u is not supported by kbpf",
		      bpf_map__name(map), spec.type);
		return -EOPNOTSUPP;
	}
	if (bpf_map__is_internal(map))
		spec.init_value = bpf_map__initial_value(map, &spec.init_size);

	err = ctx->backend->create(ctx->backend->priv, &spec, id);
	if (err)
		return err;
	if (remember_map(obj, map, *id)) {
		p_err("out of memory");
		return -ENOMEM;
	}
	return 0;
}

/* libbpf names global-data maps "<obj>.<section>" or after the section. */
static struct bpf_map *data_map(struct kbpf_object *obj, const char *sec)
{
	size_t slen = strlen(sec), nlen;
	struct bpf_map *map;
	const char *name;

	bpf_object__for_each_map(map, obj->bobj) {
		if (!bpf_map__is_internal(map))
			continue;
		name = bpf_map__name(map);
		nlen = strlen(name);
		if (!strncmp(name, sec, KBPF_OBJ_NAME_LEN - 1))
			return map;
		if (nlen >= slen && !strcmp(name + nlen - slen, sec))
			return map;
	}
	return NULL;
}

static bool is_data_section(const char *name)
{
	return !strncmp(name, ".data", 5) || !strncmp(name, ".rodata", 7) ||
	       !strncmp(name, ".bss", 4);
}

/* ---- relocations ------------------------------------------------------ */

static int get_sym(struct kbpf_object *obj, size_t idx, GElf_Sym *sym,
		   const char **name)
{
	if (idx >= obj->nsyms || !gelf_getsym(obj->symtab, idx, sym))
		return -EINVAL;
	*name = elf_strptr(obj->elf, obj->strtabndx, sym->st_name);
	if (!*name)
		*name = "";
	return 0;
}

static int reloc_ld_imm64(struct reloc_ctx *ctx, struct kbpf_insn *insn,
			  __u32 idx, const GElf_Sym *sym, const char *sym_name)
{
	struct kbpf_object *obj = ctx->obj;
	const char *sec;
	struct bpf_map *map;
	__u32 id;
	__u64 off;
	int err;

	if (sym->st_shndx == SHN_UNDEF) {
		p_err("prog '%s': insn %u: extern '%s' is not supported by kbpf",
		      ctx->prog_name, idx, sym_name);
		return -EOPNOTSUPP;
	}
	if (obj->maps_shndx && sym->st_shndx == obj->maps_shndx) {
		map = bpf_object__find_map_by_name(obj->bobj, sym_name);
		if (!map) {
			p_err("prog '%s': insn %u: no map '%s' in .maps",
			      ctx->prog_name, idx, sym_name);
			return -EINVAL;
		}
		err = map_id(ctx, map, &id);
		if (err)
			return err;
		insn[0].src_reg = KBPF_PSEUDO_MAP_ID;
		insn[0].imm = id;
		insn[1].imm = 0;
		return 0;
	}

	sec = sec_name(obj, sym->st_shndx);
	if (!sec || !is_data_section(sec)) {
		p_err("prog '%s': insn %u: reference to '%s' in section '%s' is not supported",
		      ctx->prog_name, idx, sym_name, sec ? sec : "?");
		return -EOPNOTSUPP;
	}
	map = data_map(obj, sec);
	if (!map) {
		p_err("prog '%s': insn %u: no global data map for section '%s'",
		      ctx->prog_name, idx, sec);
		return -EINVAL;
	}
	err = map_id(ctx, map, &id);
	if (err)
		return err;
	/* A section symbol leaves the offset in imm; a variable in st_value. */
	off = sym->st_value + insn[0].imm;
	if (off >= bpf_map__value_size(map)) {
		p_err("prog '%s': insn %u: offset %llu is outside section '%s'",
		      ctx->prog_name, idx, (unsigned long long)off, sec);
		return -EINVAL;
	}
	insn[0].src_reg = KBPF_PSEUDO_MAP_VALUE;
	insn[0].imm = id;
	insn[1].imm = off;
	return 0;
}

/* A call into .text: point it at .text's copy behind the program. */
static int reloc_call(struct reloc_ctx *ctx, struct kbpf_insn *insn,
		      __u32 out_idx, const GElf_Sym *sym, const char *sym_name)
{
	__s64 target;

	if (!ctx->obj->text_shndx || sym->st_shndx != ctx->obj->text_shndx) {
		p_err("prog '%s': call to '%s' outside .text is not supported",
		      ctx->prog_name, sym_name);
		return -EOPNOTSUPP;
	}
	target = (__s64)(sym->st_value / INSN_SZ) + insn->imm + 1;
	if (target < 0 || target >= ctx->text_cnt) {
		p_err("prog '%s': call to '%s' lands outside .text",
		      ctx->prog_name, sym_name);
		return -EINVAL;
	}
	insn->imm = (__s32)(ctx->text_base + target - (out_idx + 1));
	ctx->needs_text = true;
	return 0;
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

/*
 * Apply the relocations of section shndx that fall in [sec_off, sec_off +
 * cnt insns) to ctx->insns[out_base ...].
 */
static int relocate(struct reloc_ctx *ctx, size_t shndx, __u64 sec_off,
		    __u32 cnt, __u32 out_base)
{
	struct kbpf_object *obj = ctx->obj;
	size_t i, nrels;
	Elf_Data *rels = rel_data_for(obj, shndx, &nrels);
	struct kbpf_insn *insn;
	const char *sym_name;
	GElf_Rel rel;
	GElf_Sym sym;
	__u32 idx;
	int err;

	for (i = 0; i < nrels; i++) {
		if (!gelf_getrel(rels, i, &rel))
			goto bad;
		if (rel.r_offset < sec_off ||
		    rel.r_offset >= sec_off + (__u64)cnt * INSN_SZ)
			continue;
		if ((rel.r_offset - sec_off) % INSN_SZ)
			goto bad;
		idx = (rel.r_offset - sec_off) / INSN_SZ;
		insn = &ctx->insns[out_base + idx];
		if (get_sym(obj, GELF_R_SYM(rel.r_info), &sym, &sym_name))
			goto bad;

		if (insn->code == OP_LD_IMM64 && idx + 1 < cnt)
			err = reloc_ld_imm64(ctx, insn, idx, &sym, sym_name);
		else if (insn->code == OP_CALL &&
			 insn->src_reg == KBPF_PSEUDO_CALL)
			err = reloc_call(ctx, insn, out_base + idx, &sym,
					 sym_name);
		else {
			p_err("prog '%s': insn %u (code 0x%02x): relocation against '%s' is not supported",
			      ctx->prog_name, idx, insn->code, sym_name);
			err = -EOPNOTSUPP;
		}
		if (err)
			return err;
	}
	return 0;
bad:
	p_err("elf: '%s': malformed relocations of section %zu", obj->path,
	      shndx);
	return -EINVAL;
}

/* Byte offset of the program in its section, from its function symbol. */
static int prog_offset(struct kbpf_object *obj, const struct bpf_program *prog,
		       size_t *shndx, __u64 *off)
{
	const char *name = kbpf_prog_name(prog);
	const char *sec = kbpf_prog_section(prog);
	const char *sym_name, *sym_sec;
	GElf_Sym sym;
	size_t i;

	for (i = 1; i < obj->nsyms; i++) {
		if (get_sym(obj, i, &sym, &sym_name))
			continue;
		if (GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    strcmp(sym_name, name))
			continue;
		sym_sec = sec_name(obj, sym.st_shndx);
		if (!sym_sec || strcmp(sym_sec, sec))
			continue;
		*shndx = sym.st_shndx;
		*off = sym.st_value;
		return 0;
	}
	p_err("elf: prog '%s': no function symbol in section '%s'", name, sec);
	return -EINVAL;
}

static int text_insn_cnt(struct kbpf_object *obj, __u32 *cnt,
			 const void **data)
{
	Elf_Scn *scn;
	Elf_Data *d;

	*cnt = 0;
	*data = NULL;
	if (!obj->text_shndx)
		return 0;
	scn = elf_getscn(obj->elf, obj->text_shndx);
	d = scn ? elf_getdata(scn, NULL) : NULL;
	if (!d)
		return -EINVAL;
	*cnt = d->d_size / INSN_SZ;
	*data = d->d_buf;
	return 0;
}

int kbpf_object_prog_insns(struct kbpf_object *obj, struct bpf_program *prog,
			   const struct kbpf_map_backend *backend,
			   struct kbpf_insn **insnsp, __u32 *cntp)
{
	__u32 cnt = bpf_program__insn_cnt(prog);
	struct reloc_ctx ctx = {
		.obj = obj,
		.backend = backend,
		.prog_name = kbpf_prog_name(prog),
		.text_base = cnt,
	};
	const void *text;
	size_t shndx;
	__u64 off;
	int err;

	*insnsp = NULL;
	if (text_insn_cnt(obj, &ctx.text_cnt, &text)) {
		p_err("elf: '%s': cannot read .text", obj->path);
		return -EINVAL;
	}
	err = prog_offset(obj, prog, &shndx, &off);
	if (err)
		return err;

	/* Room for .text behind the program, used only if it is called. */
	ctx.insns = calloc(cnt + ctx.text_cnt, INSN_SZ);
	if (!ctx.insns) {
		p_err("out of memory");
		return -ENOMEM;
	}
	memcpy(ctx.insns, bpf_program__insns(prog), cnt * INSN_SZ);
	if (ctx.text_cnt)
		memcpy(ctx.insns + cnt, text, ctx.text_cnt * INSN_SZ);

	err = relocate(&ctx, shndx, off, cnt, 0);
	if (!err && ctx.needs_text)
		err = relocate(&ctx, obj->text_shndx, 0, ctx.text_cnt,
			       ctx.text_base);
	if (err) {
		free(ctx.insns);
		return err;
	}
	*insnsp = ctx.insns;
	*cntp = cnt + (ctx.needs_text ? ctx.text_cnt : 0);
	return 0;
}

__u32 kbpf_object_created_maps(const struct kbpf_object *obj,
			       const __u32 **ids)
{
	*ids = obj->created_ids;
	return obj->map_cnt;
}
