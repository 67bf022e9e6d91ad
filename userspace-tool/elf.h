/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Turning a clang-built BPF ELF object into kbpf programs.
 *
 * libbpf opens the object (programs, sections, BTF map definitions, global
 * data, BTF) but is never asked to load it: it would talk to the kernel's
 * bpf(), and libbpf 1.1 links and relocates only while loading.  So elf.c
 * builds the object model from libbpf plus what libbpf no longer reads
 * (legacy SEC("maps") definitions), and link.c links each program as libbpf
 * does: the subprograms it calls, and only those, are appended in the order
 * first called, calls fixed up; a map reference becomes KBPF_PSEUDO_MAP_ID
 * with the map's kbpf id, a global variable KBPF_PSEUDO_MAP_VALUE into the
 * map holding its section.  What kbpf cannot honour (CO-RE relocations,
 * .kconfig and other externs) is refused by name, never ignored.
 *
 * Maps are made through a backend so the same code serves the module
 * (ioctls) and offline verification (the core library).  Every function
 * that fails has printed one error with p_err().
 */
#ifndef KBPFCTL_ELF_H
#define KBPFCTL_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <linux/kbpf.h>

struct bpf_program;
struct kbpf_object;

/* What a map needs to exist: libbpf's definition, kbpf's naming. */
struct kbpf_map_spec {
	char name[KBPF_OBJ_NAME_LEN];
	__u32 type;
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	__u32 flags;
	const void *init_value;		/* element 0 of global data, or NULL */
	size_t init_size;
	bool rodata;			/* .rodata: libbpf's read-only data,
					 * frozen once init_value is written
					 */
	const void *btf;		/* the object's raw BTF, or NULL */
	__u32 btf_size;
	__u32 btf_key_type_id;		/* in that BTF; 0: none */
	__u32 btf_value_type_id;
};

struct kbpf_map_backend {
	/* Make the map, store its id; 0 or -errno after p_err(). */
	int (*create)(void *priv, const struct kbpf_map_spec *spec,
		      __u32 *id);
	void *priv;
};

/* Where a program's section says it attaches: kbpf/<family>/<hook>[/<prio>]. */
struct kbpf_section {
	__u32 prog_type;
	bool has_hook;
	__u32 family;
	__u32 hook;
	__s32 priority;
};

int kbpf_object_open(const char *path, struct kbpf_object **objp);
void kbpf_object_close(struct kbpf_object *obj);
const char *kbpf_object_path(const struct kbpf_object *obj);

/* First program (section NULL) or the one in section; NULL after p_err(). */
struct bpf_program *kbpf_object_find_prog(struct kbpf_object *obj,
					  const char *section);
/* Iterate programs: prev NULL gives the first. */
struct bpf_program *kbpf_object_next_prog(struct kbpf_object *obj,
					  struct bpf_program *prev);
const char *kbpf_prog_name(const struct bpf_program *prog);
const char *kbpf_prog_section(const struct bpf_program *prog);

int kbpf_parse_section(const struct bpf_program *prog,
		       struct kbpf_section *sec);

/*
 * The program's instructions ready for loading, maps created and
 * referenced by id.  *insnsp is malloc()ed; free() it.
 */
int kbpf_object_prog_insns(struct kbpf_object *obj, struct bpf_program *prog,
			   const struct kbpf_map_backend *backend,
			   struct kbpf_insn **insnsp, __u32 *cntp);

/*
 * Let the object's map elf_name (its name in the object, as in "kbpfctl
 * load FILE.o map NAME=REF") be the existing map id described by have
 * instead of a new one.  Fails with p_err() when the object has no such map
 * or the two differ in type, key size, value size or max_entries.
 */
int kbpf_object_check_map(struct kbpf_object *obj, const char *elf_name);
int kbpf_object_reuse_map(struct kbpf_object *obj, const char *elf_name,
			  __u32 id, const struct kbpf_map_spec *have);

/*
 * A prog_array element the object initialises statically, as libbpf
 * allows: .values = { [index] = &prog }.  The loader stores the program's
 * id there once both exist.
 */
struct kbpf_prog_slot {
	const char *map;		/* the map's name in the object */
	__u32 index;
	const char *prog;		/* the program's name in the object */
};

__u32 kbpf_object_prog_slots(struct kbpf_object *obj,
			     const struct kbpf_prog_slot **slots);
/* The kbpf id of the object's map elf_name, if created or reused. */
int kbpf_object_map_id(struct kbpf_object *obj, const char *elf_name,
		       __u32 *id);

/* The object's raw BTF, NULL when it carries none. */
const void *kbpf_object_btf_data(const struct kbpf_object *obj, __u32 *size);

/* Ids of the maps this object created so far, for cleanup after failures. */
__u32 kbpf_object_created_maps(const struct kbpf_object *obj,
			       const __u32 **ids);

#endif /* KBPFCTL_ELF_H */
