/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What elf.c (the object model) and link.c (the linker) share about an
 * open object.  Nothing outside these two files includes this header.
 */
#ifndef KBPFCTL_ELF_PRIV_H
#define KBPFCTL_ELF_PRIV_H

#include <gelf.h>
#include <libelf.h>

#include "elf.h"

struct bpf_map;
struct btf;

/* Where a map of the object came from. */
enum obj_map_kind {
	OBJ_MAP_BTF,		/* struct { __uint(type, ...) } m SEC(".maps") */
	OBJ_MAP_LEGACY,		/* struct bpf_map_def m SEC("maps") */
	OBJ_MAP_DATA,		/* .data, .rodata*, .bss: global variables */
};

struct obj_map {
	struct kbpf_map_spec spec;
	enum obj_map_kind kind;
	const char *elf_name;		/* symbol or libbpf map name */
	const struct bpf_map *bmap;	/* NULL for legacy maps */
	size_t shndx;			/* section the map is defined in */
	__u64 def_off;			/* legacy: offset of its definition */
	__u32 id;			/* kbpf id once created or reused */
	bool has_id;
	bool reused;			/* the user named an existing map */
};

/* A function in an executable section: a program or a subprogram. */
struct obj_func {
	const char *name;
	size_t shndx;
	__u32 off;			/* first insn, in insns of its section */
	__u32 cnt;
};

struct kbpf_object {
	char *path;
	int fd;
	Elf *elf;
	struct bpf_object *bobj;
	void *patched;			/* libbpf's copy when legacy maps hid */
	size_t shstrndx;
	Elf_Data *symtab;
	size_t strtabndx;
	size_t nsyms;
	size_t maps_shndx;		/* .maps, 0: none */
	size_t legacy_shndx;		/* maps, 0: none */
	size_t btf_shndx;		/* .BTF, 0: none */
	Elf_Data *btf_ext;		/* .BTF.ext, NULL: none */
	struct obj_map *maps;
	size_t map_cnt;
	struct obj_func *funcs;
	size_t func_cnt;
	struct kbpf_prog_slot *slots;	/* static prog_array contents */
	size_t slot_cnt;
	__u32 *created_ids;
	size_t created_cnt;
};

const char *obj_sec_name(struct kbpf_object *obj, size_t shndx);
int obj_get_sym(struct kbpf_object *obj, size_t idx, GElf_Sym *sym,
		const char **name);
bool obj_is_exec_section(struct kbpf_object *obj, size_t shndx);
/* The instructions of an executable section, or NULL. */
const struct kbpf_insn *obj_sec_insns(struct kbpf_object *obj, size_t shndx,
				      __u32 *cnt);
/* The function starting at insn off of section shndx, or NULL. */
const struct obj_func *obj_func_at(struct kbpf_object *obj, size_t shndx,
				   __u32 off);
/* The map a relocation's symbol names, or NULL after p_err(). */
struct obj_map *obj_map_for_sym(struct kbpf_object *obj, const char *prog,
				__u32 insn, const GElf_Sym *sym,
				const char *sym_name);
/* Create the map unless it exists; 0 or -errno after p_err(). */
int obj_map_instantiate(struct kbpf_object *obj, struct obj_map *m,
			const struct kbpf_map_backend *backend);
/* The object's BTF as libbpf parsed it, or NULL. */
const struct btf *obj_btf(const struct kbpf_object *obj);

#endif /* KBPFCTL_ELF_PRIV_H */
