/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading whole objects, shared by "kbpfctl load" and "kbpfctl apply"
 * (prog.c implements it).
 */
#ifndef KBPFCTL_LOAD_H
#define KBPFCTL_LOAD_H

#include "elf.h"

/* One program of an object, as loaded. */
struct loaded {
	__u32 id;
	struct kbpf_section sec;
	char name[KBPF_OBJ_NAME_LEN];
	const char *elf_name;		/* the program's name in the object */
};

/*
 * Load every program of obj with the maps they use, attaching none, and
 * fill the prog_arrays the object initialises statically.  done
 * has room for every program.  All or nothing: on failure the programs
 * and maps this call made are gone again and the error has been printed.
 */
int load_object_programs(struct kbpf_object *obj, struct loaded *done,
			 __u32 *n);

#endif /* KBPFCTL_LOAD_H */
