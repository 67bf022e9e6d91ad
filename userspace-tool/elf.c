// SPDX-License-Identifier: GPL-2.0
/*
 * BPF ELF objects for kbpf: the object model.  libbpf parses programs, BTF
 * map definitions, global data and BTF; libelf gives the symbols, the
 * functions and what libbpf 1.x no longer reads (legacy SEC("maps")).
 * Linking programs is link.c's job.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "main.h"
#include "elf_priv.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

#define INSN_SZ			sizeof(struct kbpf_insn)
#define LEGACY_MAPS_SEC		"maps"

/* struct bpf_map_def of the old libbpf, as SEC("maps") objects lay it out. */
struct legacy_map_def {
	__u32 type;
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	__u32 map_flags;
};

const char *kbpf_object_path(const struct kbpf_object *obj)
{
	return obj->path;
}

const struct btf *obj_btf(const struct kbpf_object *obj)
{
	return bpf_object__btf(obj->bobj);
}

const void *kbpf_object_btf_data(const struct kbpf_object *obj, __u32 *size)
{
	const struct btf *btf = obj_btf(obj);

	*size = 0;
	return btf ? btf__raw_data(btf, size) : NULL;
}

const char *obj_sec_name(struct kbpf_object *obj, size_t shndx)
{
	Elf_Scn *scn = elf_getscn(obj->elf, shndx);
	GElf_Shdr sh;

	if (!scn || !gelf_getshdr(scn, &sh))
		return NULL;
	return elf_strptr(obj->elf, obj->shstrndx, sh.sh_name);
}

int obj_get_sym(struct kbpf_object *obj, size_t idx, GElf_Sym *sym,
		const char **name)
{
	if (idx >= obj->nsyms || !gelf_getsym(obj->symtab, idx, sym))
		return -EINVAL;
	*name = elf_strptr(obj->elf, obj->strtabndx, sym->st_name);
	if (!*name)
		*name = "";
	return 0;
}

const struct kbpf_insn *obj_sec_insns(struct kbpf_object *obj, size_t shndx,
				      __u32 *cnt)
{
	Elf_Scn *scn = elf_getscn(obj->elf, shndx);
	Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;

	*cnt = 0;
	if (!d || !d->d_buf)
		return NULL;
	*cnt = d->d_size / INSN_SZ;
	return d->d_buf;
}

/* ---- sections and functions ------------------------------------------- */

/* Find the symbol table, .maps, maps and .BTF.ext once. */
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
		} else if (!strcmp(name, LEGACY_MAPS_SEC)) {
			obj->legacy_shndx = elf_ndxscn(scn);
		} else if (!strcmp(name, ".BTF")) {
			obj->btf_shndx = elf_ndxscn(scn);
		} else if (!strcmp(name, ".BTF.ext")) {
			obj->btf_ext = elf_getdata(scn, NULL);
		}
	}
	return obj->symtab ? 0 : -1;
}

bool obj_is_exec_section(struct kbpf_object *obj, size_t shndx)
{
	Elf_Scn *scn = elf_getscn(obj->elf, shndx);
	GElf_Shdr sh;

	return scn && gelf_getshdr(scn, &sh) && sh.sh_type == SHT_PROGBITS &&
	       (sh.sh_flags & SHF_EXECINSTR);
}

/* Every function symbol of an executable section: programs and subprograms. */
static int collect_funcs(struct kbpf_object *obj)
{
	const char *name;
	struct obj_func *f;
	GElf_Sym sym;
	size_t i;

	obj->funcs = calloc(obj->nsyms ? obj->nsyms : 1, sizeof(*obj->funcs));
	if (!obj->funcs)
		return -ENOMEM;
	for (i = 1; i < obj->nsyms; i++) {
		if (obj_get_sym(obj, i, &sym, &name) ||
		    GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE ||
		    !obj_is_exec_section(obj, sym.st_shndx))
			continue;
		if (sym.st_value % INSN_SZ || sym.st_size % INSN_SZ ||
		    !sym.st_size) {
			p_err("elf: '%s': function '%s' is not whole instructions",
			      obj->path, name);
			return -EINVAL;
		}
		f = &obj->funcs[obj->func_cnt++];
		f->name = name;
		f->shndx = sym.st_shndx;
		f->off = sym.st_value / INSN_SZ;
		f->cnt = sym.st_size / INSN_SZ;
	}
	return 0;
}

const struct obj_func *obj_func_at(struct kbpf_object *obj, size_t shndx,
				   __u32 off)
{
	size_t i;

	for (i = 0; i < obj->func_cnt; i++)
		if (obj->funcs[i].shndx == shndx && obj->funcs[i].off == off)
			return &obj->funcs[i];
	return NULL;
}

/* ---- opening ------------------------------------------------------------ */

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

/*
 * Clang leaves the size of a DATASEC zero and libbpf takes it from the ELF
 * section of that name; hidden, "maps" would have none.  Write it into the
 * copy's BTF.  0, or -errno when the BTF cannot be read.
 */
static int size_legacy_datasec(struct kbpf_object *obj, char *image,
			       const Elf64_Shdr *sh)
{
	const Elf64_Shdr *bsh = &sh[obj->btf_shndx];
	const struct btf_type *first, *t;
	struct btf_header hdr;
	struct btf *btf;
	size_t off;
	int id;

	if (!obj->btf_shndx)
		return 0;
	if (bsh->sh_size < sizeof(hdr))
		return -EINVAL;
	memcpy(&hdr, image + bsh->sh_offset, sizeof(hdr));
	btf = btf__new(image + bsh->sh_offset, bsh->sh_size);
	if (!btf)
		return -EINVAL;
	id = btf__find_by_name_kind(btf, LEGACY_MAPS_SEC, BTF_KIND_DATASEC);
	if (id <= 0) {
		btf__free(btf);
		return 0;
	}
	first = btf__type_by_id(btf, 1);
	t = btf__type_by_id(btf, id);
	off = bsh->sh_offset + hdr.hdr_len + hdr.type_off +
	      ((const char *)t - (const char *)first) +
	      offsetof(struct btf_type, size);
	btf__free(btf);
	if (off + sizeof(__u32) > bsh->sh_offset + bsh->sh_size)
		return -EINVAL;
	memcpy(image + off, &(__u32){ sh[obj->legacy_shndx].sh_size },
	       sizeof(__u32));
	return 0;
}

/*
 * libbpf 1.x refuses objects with a legacy "maps" section, and would refuse
 * relocations against it.  Give it a copy in which that section has no name
 * and no relocation section is one (kbpfctl reads both itself from the
 * original), so that it still parses the programs, BTF and global data.
 */
static int hide_legacy_maps(struct kbpf_object *obj, size_t *size)
{
	Elf64_Ehdr *eh;
	Elf64_Shdr *sh;
	off_t len;
	size_t i;

	len = lseek(obj->fd, 0, SEEK_END);
	if (len < (off_t)sizeof(*eh))
		return -EINVAL;
	obj->patched = malloc(len);
	if (!obj->patched)
		return -ENOMEM;
	if (pread(obj->fd, obj->patched, len, 0) != len)
		return -EIO;
	eh = obj->patched;
	if (eh->e_shoff > (__u64)len || eh->e_shentsize != sizeof(*sh) ||
	    eh->e_shnum > ((__u64)len - eh->e_shoff) / sizeof(*sh))
		return -EINVAL;
	sh = (Elf64_Shdr *)((char *)obj->patched + eh->e_shoff);
	for (i = 0; i < eh->e_shnum; i++)
		if (sh[i].sh_type != SHT_NOBITS &&
		    (sh[i].sh_offset > (__u64)len ||
		     sh[i].sh_size > (__u64)len - sh[i].sh_offset))
			return -EINVAL;
	if (obj->legacy_shndx >= eh->e_shnum ||
	    obj->btf_shndx >= eh->e_shnum)
		return -EINVAL;
	sh[obj->legacy_shndx].sh_name = 0;
	for (i = 0; i < eh->e_shnum; i++)
		if (sh[i].sh_type == SHT_REL)
			sh[i].sh_type = SHT_NOTE;
	*size = len;
	return size_legacy_datasec(obj, obj->patched, sh);
}

static int open_libbpf(struct kbpf_object *obj)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = NULL);
	size_t size;
	int err;

	if (!obj->legacy_shndx) {
		obj->bobj = bpf_object__open_file(obj->path, NULL);
	} else {
		err = hide_legacy_maps(obj, &size);
		if (err) {
			p_err("'%s' is not a BPF ELF object (bad section headers)",
			      obj->path);
			return err;
		}
		obj->bobj = bpf_object__open_mem(obj->patched, size, &opts);
	}
	if (!obj->bobj) {
		err = -errno;
		p_err("cannot open BPF object '%s': %s (run with -d for libbpf's reason)",
		      obj->path, strerror(errno));
		return err;
	}
	return 0;
}

static int collect_maps(struct kbpf_object *obj);

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
	if (!err)
		err = open_libbpf(obj);
	if (!err)
		err = collect_funcs(obj);
	if (!err)
		err = collect_maps(obj);
	if (err == -ENOMEM)
		p_err("out of memory");
	if (err) {
		kbpf_object_close(obj);
		return err;
	}
	*objp = obj;
	return 0;
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
	free(obj->patched);
	free(obj->maps);
	free(obj->funcs);
	free(obj->slots);
	free(obj->created_ids);
	free(obj->path);
	free(obj);
}

/* ---- programs ----------------------------------------------------------- */

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

/* ---- sections ----------------------------------------------------------- */

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
	/* A section names no device: netdev/ingress is attached by hand. */
	s->has_hook = s->family != KBPF_NF_FAMILY_NETDEV;
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

/* ---- maps --------------------------------------------------------------- */

static bool is_data_section(const char *name)
{
	return !strcmp(name, ".data") || !strncmp(name, ".data.", 6) ||
	       !strcmp(name, ".rodata") || !strncmp(name, ".rodata.", 8) ||
	       !strcmp(name, ".bss") || !strncmp(name, ".bss.", 5);
}

/*
 * libbpf names a global-data map "<obj>.<section>" for the plain sections
 * (the object name cut to fit) and after the section for the others.
 */
static bool data_map_is_section(const char *map_name, const char *sec)
{
	size_t slen = strlen(sec), nlen = strlen(map_name);

	if (!strncmp(map_name, sec, KBPF_OBJ_NAME_LEN - 1))
		return true;
	return nlen >= slen && !strcmp(map_name + nlen - slen, sec);
}

static size_t data_section_of(struct kbpf_object *obj, const char *map_name)
{
	Elf_Scn *scn = NULL;
	const char *name;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(obj->elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			break;
		name = elf_strptr(obj->elf, obj->shstrndx, sh.sh_name);
		if (name && is_data_section(name) &&
		    data_map_is_section(map_name, name))
			return elf_ndxscn(scn);
	}
	return 0;
}

/* The BTF id of the DATASEC describing a global-data section, or 0. */
static __u32 datasec_type_id(struct kbpf_object *obj, size_t shndx)
{
	const struct btf *btf = obj_btf(obj);
	const char *sec = obj_sec_name(obj, shndx);
	int id;

	if (!btf || !sec)
		return 0;
	id = btf__find_by_name_kind(btf, sec, BTF_KIND_DATASEC);
	return id > 0 ? id : 0;
}

static struct obj_map *new_map(struct kbpf_object *obj, const char *elf_name)
{
	struct obj_map *maps, *m;

	maps = realloc(obj->maps, (obj->map_cnt + 1) * sizeof(*maps));
	if (!maps)
		return NULL;
	obj->maps = maps;
	m = &maps[obj->map_cnt++];
	memset(m, 0, sizeof(*m));
	m->elf_name = elf_name;
	kbpf_obj_name(m->spec.name, elf_name);
	return m;
}

static int add_libbpf_map(struct kbpf_object *obj, const struct bpf_map *bm)
{
	const char *name = bpf_map__name(bm);
	struct obj_map *m = new_map(obj, name);

	if (!m)
		return -ENOMEM;
	m->bmap = bm;
	m->spec.type = bpf_map__type(bm);
	m->spec.key_size = bpf_map__key_size(bm);
	m->spec.value_size = bpf_map__value_size(bm);
	m->spec.max_entries = bpf_map__max_entries(bm);
	m->spec.flags = bpf_map__map_flags(bm);
	if (!bpf_map__is_internal(bm)) {
		m->kind = OBJ_MAP_BTF;
		m->shndx = obj->maps_shndx;
		m->spec.btf_key_type_id = bpf_map__btf_key_type_id(bm);
		m->spec.btf_value_type_id = bpf_map__btf_value_type_id(bm);
		return 0;
	}
	m->kind = OBJ_MAP_DATA;
	/*
	 * .rodata: read-only for programs (KBPF_F_RDONLY_PROG, Linux's value),
	 * and frozen by the loader once its contents are written, as libbpf
	 * does; native builds also bind it by contents (prog build).
	 * libbpf's BPF_F_MMAPABLE is dropped: kbpf's arrays are not mapped.
	 */
	m->spec.rodata = m->spec.flags & BPF_F_RDONLY_PROG;
	m->spec.flags = m->spec.rodata ? KBPF_F_RDONLY_PROG : 0;
	m->shndx = data_section_of(obj, name);
	m->spec.init_value = bpf_map__initial_value((struct bpf_map *)bm,
						    &m->spec.init_size);
	m->spec.btf_value_type_id = datasec_type_id(obj, m->shndx);
	return 0;
}

static int add_legacy_maps(struct kbpf_object *obj)
{
	Elf_Scn *scn = elf_getscn(obj->elf, obj->legacy_shndx);
	Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
	struct legacy_map_def def;
	struct obj_map *m;
	const char *name;
	GElf_Sym sym;
	size_t i;

	for (i = 1; i < obj->nsyms; i++) {
		if (obj_get_sym(obj, i, &sym, &name) ||
		    sym.st_shndx != obj->legacy_shndx ||
		    GELF_ST_TYPE(sym.st_info) == STT_SECTION)
			continue;
		if (!d || !d->d_buf || sym.st_value > d->d_size ||
		    d->d_size - sym.st_value < sizeof(def)) {
			p_err("elf: '%s': legacy map '%s' is not a whole struct bpf_map_def",
			      obj->path, name);
			return -EINVAL;
		}
		memcpy(&def, (char *)d->d_buf + sym.st_value, sizeof(def));
		m = new_map(obj, name);
		if (!m)
			return -ENOMEM;
		m->kind = OBJ_MAP_LEGACY;
		m->shndx = obj->legacy_shndx;
		m->def_off = sym.st_value;
		m->spec.type = def.type;
		m->spec.key_size = def.key_size;
		m->spec.value_size = def.value_size;
		m->spec.max_entries = def.max_entries;
		m->spec.flags = def.map_flags;
	}
	return 0;
}

static struct obj_map *map_by_elf_name(struct kbpf_object *obj,
				       const char *name)
{
	size_t i;

	for (i = 0; i < obj->map_cnt; i++)
		if (!strcmp(obj->maps[i].elf_name, name))
			return &obj->maps[i];
	return NULL;
}

/* ---- prog_array contents: .values = { [i] = &prog } ---------------------- */

/* Byte offset of the member "values" in the type of BTF map var_name. */
static int values_offset(struct kbpf_object *obj, const char *var_name,
			 __u32 *off)
{
	const struct btf *btf = obj_btf(obj);
	const struct btf_type *t;
	const struct btf_member *m;
	int id;
	__u16 i;

	id = btf ? btf__find_by_name_kind(btf, var_name, BTF_KIND_VAR) : -1;
	t = id > 0 ? btf__type_by_id(btf, id) : NULL;
	t = t ? btf__type_by_id(btf, btf__resolve_type(btf, t->type)) : NULL;
	if (!t || !btf_is_struct(t))
		return -EINVAL;
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++) {
		if (strcmp(btf__name_by_offset(btf, m[i].name_off), "values"))
			continue;
		*off = btf_member_bit_offset(t, i) / 8;
		return 0;
	}
	return -EINVAL;
}

/* The BTF map whose definition covers byte off of .maps, and where it starts. */
static struct obj_map *map_at(struct kbpf_object *obj, __u64 off,
			      __u64 *start)
{
	const char *name;
	GElf_Sym sym;
	size_t i;

	for (i = 1; i < obj->nsyms; i++) {
		if (obj_get_sym(obj, i, &sym, &name) ||
		    sym.st_shndx != obj->maps_shndx ||
		    GELF_ST_TYPE(sym.st_info) != STT_OBJECT ||
		    off < sym.st_value || off >= sym.st_value + sym.st_size)
			continue;
		*start = sym.st_value;
		return map_by_elf_name(obj, name);
	}
	return NULL;
}

static int add_prog_slot(struct kbpf_object *obj, const GElf_Rel *rel)
{
	struct kbpf_prog_slot *slots, *sl;
	const char *prog, *why = NULL;
	struct obj_map *m;
	__u64 start = 0;
	__u32 voff = 0;
	GElf_Sym sym;

	m = map_at(obj, rel->r_offset, &start);
	if (obj_get_sym(obj, GELF_R_SYM(rel->r_info), &sym, &prog) ||
	    GELF_ST_TYPE(sym.st_info) != STT_FUNC)
		why = "does not name a program";
	else if (!m || m->spec.type != 3 /* BPF_MAP_TYPE_PROG_ARRAY */)
		why = "is not in a prog_array";
	else if (values_offset(obj, m->elf_name, &voff) ||
		 rel->r_offset < start + voff ||
		 (rel->r_offset - start - voff) % 8)
		why = "is not an element of 'values'";
	if (why) {
		p_err("elf: '%s': a relocation in .maps at offset %llu %s",
		      obj->path, (unsigned long long)rel->r_offset, why);
		return -EINVAL;
	}
	slots = realloc(obj->slots, (obj->slot_cnt + 1) * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	obj->slots = slots;
	sl = &slots[obj->slot_cnt++];
	sl->map = m->elf_name;
	sl->index = (rel->r_offset - start - voff) / 8;
	sl->prog = prog;
	return 0;
}

static int collect_prog_slots(struct kbpf_object *obj)
{
	Elf_Scn *scn = NULL;
	Elf_Data *d;
	GElf_Shdr sh;
	GElf_Rel rel;
	size_t i;
	int err;

	while (obj->maps_shndx && (scn = elf_nextscn(obj->elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_REL ||
		    sh.sh_info != obj->maps_shndx || !sh.sh_entsize)
			continue;
		d = elf_getdata(scn, NULL);
		for (i = 0; d && i < sh.sh_size / sh.sh_entsize; i++) {
			if (!gelf_getrel(d, i, &rel))
				return -EINVAL;
			err = add_prog_slot(obj, &rel);
			if (err)
				return err;
		}
	}
	return 0;
}

__u32 kbpf_object_prog_slots(struct kbpf_object *obj,
			     const struct kbpf_prog_slot **slots)
{
	*slots = obj->slots;
	return obj->slot_cnt;
}

int kbpf_object_map_id(struct kbpf_object *obj, const char *elf_name,
		       __u32 *id)
{
	struct obj_map *m = map_by_elf_name(obj, elf_name);

	if (!m || !m->has_id)
		return -ENOENT;
	*id = m->id;
	return 0;
}

static int collect_maps(struct kbpf_object *obj)
{
	struct bpf_map *bm;
	int err;

	bpf_object__for_each_map(bm, obj->bobj) {
		err = add_libbpf_map(obj, bm);
		if (err)
			return err;
	}
	err = obj->legacy_shndx ? add_legacy_maps(obj) : 0;
	return err ?: collect_prog_slots(obj);
}

struct obj_map *obj_map_for_sym(struct kbpf_object *obj, const char *prog,
				__u32 insn, const GElf_Sym *sym,
				const char *sym_name)
{
	const char *sec = obj_sec_name(obj, sym->st_shndx);
	size_t i;

	for (i = 0; i < obj->map_cnt; i++) {
		struct obj_map *m = &obj->maps[i];

		if (m->shndx != sym->st_shndx)
			continue;
		if (m->kind == OBJ_MAP_DATA ||
		    (m->kind == OBJ_MAP_BTF && !strcmp(m->elf_name, sym_name)) ||
		    (m->kind == OBJ_MAP_LEGACY && m->def_off == sym->st_value))
			return m;
	}
	if (sec && !strcmp(sec, ".kconfig"))
		p_err("prog '%s': insn %u: '.kconfig' variable '%s' is not supported by kbpf (it has no kernel configuration to fill in)",
		      prog, insn, sym_name);
	else
		p_err("prog '%s': insn %u: reference to '%s' in section '%s' is not supported (only maps and .data/.rodata/.bss variables)",
		      prog, insn, sym_name, sec ? sec : "?");
	return NULL;
}

static int remember_created(struct kbpf_object *obj, __u32 id)
{
	__u32 *ids;

	ids = realloc(obj->created_ids, (obj->created_cnt + 1) * sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	obj->created_ids = ids;
	ids[obj->created_cnt++] = id;
	return 0;
}

int obj_map_instantiate(struct kbpf_object *obj, struct obj_map *m,
			const struct kbpf_map_backend *backend)
{
	int err;

	if (m->has_id)
		return 0;
	/* Which types exist is the module's to say: its error is reported. */
	m->spec.btf = kbpf_object_btf_data(obj, &m->spec.btf_size);
	err = backend->create(backend->priv, &m->spec, &m->id);
	if (err)
		return err;
	m->has_id = true;
	if (remember_created(obj, m->id)) {
		p_err("out of memory");
		return -ENOMEM;
	}
	return 0;
}

/* One line naming the first way an existing map differs from the object's. */
static int check_same_shape(const struct obj_map *m, __u32 id,
			    const struct kbpf_map_spec *have)
{
	const struct kbpf_map_spec *want = &m->spec;
	const char *what = NULL;
	__u32 w = 0, h = 0;

	if (want->type != have->type) {
		p_err("map '%s': cannot use map %u '%s': it is %s, the object wants %s",
		      m->elf_name, id, have->name,
		      kbpf_map_type_name(have->type),
		      kbpf_map_type_name(want->type));
		return -EINVAL;
	}
	if (want->key_size != have->key_size)
		what = "key size", w = want->key_size, h = have->key_size;
	else if (want->value_size != have->value_size)
		what = "value size", w = want->value_size, h = have->value_size;
	else if (want->max_entries != have->max_entries)
		what = "max_entries", w = want->max_entries, h = have->max_entries;
	if (!what)
		return 0;
	p_err("map '%s': cannot use map %u '%s': its %s is %u, the object wants %u",
	      m->elf_name, id, have->name, what, h, w);
	return -EINVAL;
}

/* "a, b, c" (cut short if long): what the object does define. */
static void map_names(const struct kbpf_object *obj, char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < obj->map_cnt && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
				obj->maps[i].elf_name);
	if (!obj->map_cnt)
		snprintf(buf, size, "none");
}

int kbpf_object_check_map(struct kbpf_object *obj, const char *elf_name)
{
	char names[256];

	if (map_by_elf_name(obj, elf_name))
		return 0;
	map_names(obj, names, sizeof(names));
	p_err("'%s' has no map '%s' (its maps: %s)", obj->path, elf_name,
	      names);
	return -ENOENT;
}

int kbpf_object_reuse_map(struct kbpf_object *obj, const char *elf_name,
			  __u32 id, const struct kbpf_map_spec *have)
{
	struct obj_map *m = map_by_elf_name(obj, elf_name);

	if (!m)
		return kbpf_object_check_map(obj, elf_name);
	if (m->reused) {
		p_err("map '%s' is named twice", elf_name);
		return -EINVAL;
	}
	if (check_same_shape(m, id, have))
		return -EINVAL;
	m->id = id;
	m->has_id = true;
	m->reused = true;
	return 0;
}

__u32 kbpf_object_created_maps(const struct kbpf_object *obj,
			       const __u32 **ids)
{
	*ids = obj->created_ids;
	return obj->created_cnt;
}
