// SPDX-License-Identifier: GPL-2.0
/*
 * kbpfctl prog {load | attach | detach | unload | list | run | help} and the
 * top-level "kbpfctl load" shorthand (load, then attach as SEC() says).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "main.h"
#include "elf.h"
#include "map_btf.h"
#include "load.h"
#include "ctl.h"

#define LOG_SIZE_DEFAULT	(64 * 1024)
#define LOG_SIZE_VERBOSE	(16 * 1024 * 1024)
/* The largest log the module takes (KBPF_LOG_MAX_SIZE in kmod/chardev.h). */
#define LOG_SIZE_MAX		(16 * 1024 * 1024)

/* What loading through /dev/kbpf needs to carry around. */
struct dev_loader {
	int fd;
};

static bool is_perm_error(int err)
{
	return err == -EPERM || err == -EACCES;
}

/* ---- maps through the device ------------------------------------------ */

static int dev_map_init(int fd, __u32 id, const struct kbpf_map_spec *spec)
{
	struct kbpf_map_elem_attr attr = { .size = sizeof(attr) };
	__u32 zero = 0;
	int err;

	if (!spec->init_value || spec->init_size != spec->value_size)
		return 0;
	attr.map_id = id;
	attr.key = (__u64)(unsigned long)&zero;
	attr.value = (__u64)(unsigned long)spec->init_value;
	attr.flags = KBPF_ANY;
	err = kbpf_dev_ioctl(fd, KBPF_IOC_MAP_UPDATE, &attr);
	if (err)
		p_err("map '%s': cannot set its initial value: %s", spec->name,
		      strerror(-err));
	return err;
}

/* Typed printing is a convenience: a map without its BTF still works. */
static void dev_map_keep_btf(int fd, __u32 id, const struct kbpf_map_spec *spec)
{
	int err;

	/* Kept even without key and value types: ringbuf records use it. */
	if (!spec->btf)
		return;
	err = map_btf_store(fd, id, spec->btf, spec->btf_size,
			    spec->btf_key_type_id, spec->btf_value_type_id);
	if (err)
		p_info("map '%s': its BTF was not kept (%s); elements print as hex",
		       spec->name, strerror(-err));
}

static int dev_map_create(void *priv, const struct kbpf_map_spec *spec,
			  __u32 *id)
{
	struct kbpf_map_create_attr attr = { .size = sizeof(attr) };
	struct dev_loader *ld = priv;
	char reason[256] = "";
	int err;

	attr.map_type = spec->type;
	attr.key_size = spec->key_size;
	attr.value_size = spec->value_size;
	attr.max_entries = spec->max_entries;
	attr.flags = spec->flags;
	attr.log_buf = (__u64)(unsigned long)reason;
	attr.log_size = sizeof(reason);
	memcpy(attr.name, spec->name, sizeof(attr.name));
	err = kbpf_dev_ioctl(ld->fd, KBPF_IOC_MAP_CREATE, &attr);
	reason[sizeof(reason) - 1] = '\0';
	if (err) {
		if (err == -EPERM)
			p_err(ERR_NO_PERM);
		else if (err == -EEXIST)
			p_err("map '%s': a map with this name already exists (kbpfctl map list)",
			      spec->name);
		else
			p_err("map '%s': cannot create (%s, key %u, value %u, max_entries %u, flags 0x%x): %s",
			      spec->name, kbpf_map_type_name(spec->type),
			      spec->key_size, spec->value_size,
			      spec->max_entries, spec->flags,
			      reason[0] ? reason : strerror(-err));
		return err;
	}
	*id = attr.map_id;
	dev_map_keep_btf(ld->fd, *id, spec);
	err = dev_map_init(ld->fd, *id, spec);
	/* Read-only data stays as written: libbpf freezes it too. */
	if (!err && spec->rodata)
		err = kbpf_dev_map_freeze(ld->fd, *id, spec->name);
	return err;
}

/* Best effort: a failed load should not leave its maps behind. */
static void destroy_created_maps(struct kbpf_object *obj)
{
	const __u32 *ids;
	__u32 i, n = kbpf_object_created_maps(obj, &ids);
	struct kbpf_ctl ctl;
	bool saved = json_output;

	if (!n)
		return;
	/* Errors here would bury the one that matters; keep them quiet. */
	if (kbpf_ctl_open(&ctl))
		return;
	json_output = false;
	for (i = 0; i < n; i++)
		if (kbpf_ctl_map_destroy(&ctl, ids[i], NULL))
			fprintf(stderr, "(could not remove map %u)\n", ids[i]);
	json_output = saved;
	kbpf_ctl_close(&ctl);
}

/* ---- maps named on the command line: map NAME=REF ---------------------- */

#define MAX_REUSE	64

struct map_reuse {
	const char *elf_name;		/* the map's name in the object */
	struct obj_ref ref;		/* the existing map to use */
};

struct reuse_list {
	struct map_reuse m[MAX_REUSE];
	int cnt;
};

/* "NAME=REF" after the keyword "map": the object's map NAME is map REF. */
static int parse_map_reuse(const char *word, struct reuse_list *l)
{
	const char *eq = strchr(word, '=');
	struct map_reuse *r;
	__s64 id;

	if (!eq || eq == word || !eq[1]) {
		p_err("'map %s' is not 'map NAME=ID' or 'map NAME=NAME'", word);
		return -1;
	}
	if (l->cnt == MAX_REUSE) {
		p_err("at most %d maps can be named", MAX_REUSE);
		return -1;
	}
	r = &l->m[l->cnt];
	r->elf_name = strndup(word, eq - word);
	if (!r->elf_name) {
		p_err("out of memory");
		return -1;
	}
	l->cnt++;
	if (is_all_digits(eq + 1)) {
		if (parse_s64(eq + 1, "map id", 1, 0xffffffffLL, &id))
			return -1;
		r->ref.id = id;
		r->ref.name = NULL;
		return 0;
	}
	if (strlen(eq + 1) >= KBPF_OBJ_NAME_LEN) {
		p_err("map name '%s' is longer than %d characters", eq + 1,
		      KBPF_OBJ_NAME_LEN - 1);
		return -1;
	}
	r->ref.id = 0;
	r->ref.name = eq + 1;
	return 0;
}

static void free_reuse(struct reuse_list *l)
{
	while (l->cnt)
		free((char *)l->m[--l->cnt].elf_name);
}

/* Look each named map up and let the object use it instead of a new one. */
static int apply_reuse(struct kbpf_object *obj, const struct reuse_list *l)
{
	struct kbpf_map_spec have;
	struct kbpf_map_info info;
	struct kbpf_ctl ctl;
	int i, err = 0;

	if (!l->cnt)
		return 0;
	/* A misspelt name is an error even without the module. */
	for (i = 0; i < l->cnt; i++)
		if (kbpf_object_check_map(obj, l->m[i].elf_name))
			return -1;
	if (kbpf_ctl_open(&ctl))
		return -1;
	for (i = 0; i < l->cnt && !err; i++) {
		err = kbpf_ctl_map_get(&ctl, l->m[i].ref.id, l->m[i].ref.name,
				       &info);
		if (err)
			break;
		memset(&have, 0, sizeof(have));
		memcpy(have.name, info.name, sizeof(have.name));
		have.type = info.type;
		have.key_size = info.key_size;
		have.value_size = info.value_size;
		have.max_entries = info.max_entries;
		err = kbpf_object_reuse_map(obj, l->m[i].elf_name, info.id,
					    &have);
	}
	kbpf_ctl_close(&ctl);
	return err ? -1 : 0;
}

/* ---- program load ----------------------------------------------------- */

static void print_log(const char *log)
{
	size_t len = strlen(log);

	if (!len)
		return;
	fputs(log, stderr);
	if (log[len - 1] != '\n')
		fputc('\n', stderr);
}

/* One PROG_LOAD with a log of log_size bytes; the log is in *logp. */
static int dev_prog_load_once(int fd, struct kbpf_prog_load_attr *attr,
			      __u32 log_size, char **logp)
{
	char *log = calloc(1, log_size);
	int err;

	*logp = log;
	if (!log)
		return -ENOMEM;
	attr->log_buf = (__u64)(unsigned long)log;
	attr->log_size = log_size;
	err = kbpf_dev_ioctl(fd, KBPF_IOC_PROG_LOAD, attr);
	log[log_size - 1] = '\0';
	return err;
}

/*
 * A log that did not fit fails the load with ENOSPC and says how much room
 * it needs: say so and load again with that much, within the module's
 * limit.
 */
static int dev_prog_load(int fd, __u32 type, const struct kbpf_insn *insns,
			 __u32 cnt, const char *name, __u32 *id)
{
	struct kbpf_prog_load_attr attr = { .size = sizeof(attr) };
	__u32 log_size = verbose ? LOG_SIZE_VERBOSE : LOG_SIZE_DEFAULT;
	char *log;
	int err;

	attr.prog_type = type;
	attr.insns = (__u64)(unsigned long)insns;
	attr.insn_cnt = cnt;
	attr.log_level = KBPF_LOG_LEVEL_ERRORS;
	if (verbose)
		attr.log_level |= KBPF_LOG_LEVEL_VERBOSE | KBPF_LOG_LEVEL_STATS;
	kbpf_obj_name(attr.name, name);

	err = dev_prog_load_once(fd, &attr, log_size, &log);
	if (err == -ENOSPC && attr.log_true_size > log_size &&
	    attr.log_true_size <= LOG_SIZE_MAX) {
		p_info("prog '%s': the verifier log needs %u bytes, more than the %u given: loading again with room for it",
		       attr.name, attr.log_true_size, log_size);
		free(log);
		log_size = attr.log_true_size;
		err = dev_prog_load_once(fd, &attr, log_size, &log);
	}
	if (!log) {
		p_err("out of memory");
		return -ENOMEM;
	}
	if (!err) {
		if (verbose)
			print_log(log);
		*id = attr.prog_id;
	} else if (err == -ENOSPC && attr.log_true_size > log_size) {
		print_log(log);
		p_err("prog '%s': not loaded: its verifier log needs %u bytes, more than the module's limit of %u (the log above is cut; its last line is the statistics line when asked for)",
		      attr.name, attr.log_true_size, (__u32)LOG_SIZE_MAX);
	} else if (log[0]) {
		/* The verifier explained itself: that is the error. */
		print_log(log);
		p_err("verifier rejected program '%s': %s", attr.name,
		      strerror(-err));
	} else if (is_perm_error(err)) {
		p_err(ERR_NO_PERM);
	} else if (err == -EEXIST) {
		p_err("prog '%s': a program with this name is already loaded (unload it, or choose another with 'name NAME')",
		      attr.name);
	} else {
		p_err("prog '%s': load failed: %s", attr.name, strerror(-err));
	}
	free(log);
	return err;
}

/* Load one program of an open object; maps come along. */
static int load_one(struct kbpf_object *obj, struct bpf_program *prog,
		    const char *name, struct dev_loader *ld,
		    struct kbpf_section *sec, __u32 *id)
{
	struct kbpf_map_backend backend = {
		.create = dev_map_create,
		.priv = ld,
	};
	struct kbpf_insn *insns;
	__u32 cnt;
	int err;

	err = kbpf_parse_section(prog, sec);
	if (err)
		return err;
	err = kbpf_object_prog_insns(obj, prog, &backend, &insns, &cnt);
	if (err)
		return err;
	err = dev_prog_load(ld->fd, sec->prog_type, insns, cnt,
			    name ? name : kbpf_prog_name(prog), id);
	free(insns);
	return err;
}

static void print_loaded(const char *name, __u32 id,
			 const struct kbpf_section *sec, bool attached)
{
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, "id", id);
		jsonw_string_field(json_wtr, "name", name);
		if (attached) {
			jsonw_string_field(json_wtr, "family",
					   kbpf_family_name(sec->family));
			jsonw_string_field(json_wtr, "hook",
					   kbpf_hook_name(sec->hook));
			jsonw_int_field(json_wtr, "prio", sec->priority);
		}
		jsonw_end_object(json_wtr);
		return;
	}
	if (attached)
		printf("prog '%s' loaded: id %u, attached to %s/%s prio %d\n",
		       name, id, kbpf_family_name(sec->family),
		       kbpf_hook_name(sec->hook), sec->priority);
	else
		printf("prog '%s' loaded: id %u\n", name, id);
}

static int do_prog_load(int argc, char **argv)
{
	const char *file, *section = NULL, *name = NULL;
	struct kbpf_object *obj = NULL;
	struct dev_loader ld = { .fd = -1 };
	struct reuse_list reuse = { .cnt = 0 };
	struct bpf_program *prog;
	struct kbpf_section sec;
	char kname[KBPF_OBJ_NAME_LEN];
	__u32 id;
	int err = -1;

	if (!REQ_ARGS(1))
		return -1;
	file = *argv;
	NEXT_ARG();
	while (argc) {
		if (is_prefix(*argv, "section") || is_prefix(*argv, "name") ||
		    is_prefix(*argv, "map")) {
			const char *kw = *argv;

			NEXT_ARG();
			if (!REQ_ARGS(1))
				goto out;
			if (kw[0] == 's')
				section = *argv;
			else if (kw[0] == 'n')
				name = *argv;
			else if (parse_map_reuse(*argv, &reuse))
				goto out;
			NEXT_ARG();
		} else {
			BAD_ARG();
			goto out;
		}
	}
	if (name && strlen(name) >= KBPF_OBJ_NAME_LEN) {
		p_err("name '%s' is longer than %d characters", name,
		      KBPF_OBJ_NAME_LEN - 1);
		goto out;
	}

	if (kbpf_object_open(file, &obj))
		goto out;
	prog = kbpf_object_find_prog(obj, section);
	if (!prog || kbpf_parse_section(prog, &sec) ||
	    apply_reuse(obj, &reuse))
		goto out;
	ld.fd = kbpf_dev_open();
	if (ld.fd < 0)
		goto out;
	err = load_one(obj, prog, name, &ld, &sec, &id);
	if (err) {
		destroy_created_maps(obj);
		goto out;
	}
	kbpf_obj_name(kname, name ? name : kbpf_prog_name(prog));
	print_loaded(kname, id, &sec, false);
out:
	if (ld.fd >= 0)
		close(ld.fd);
	kbpf_object_close(obj);
	free_reuse(&reuse);
	return err ? -1 : 0;
}

/* ---- kbpfctl load: every program, attached where its section says ----- */

/* Check every section before touching the module: all or nothing. */
static int check_sections(struct kbpf_object *obj, __u32 *count)
{
	struct bpf_program *prog = NULL;
	struct kbpf_section sec;

	*count = 0;
	while ((prog = kbpf_object_next_prog(obj, prog))) {
		/* A section without a hook is loaded, not attached. */
		if (kbpf_parse_section(prog, &sec))
			return -EINVAL;
		(*count)++;
	}
	if (!*count) {
		p_err("'%s' contains no BPF program", kbpf_object_path(obj));
		return -ENOENT;
	}
	return 0;
}

static void undo_loads(struct kbpf_ctl *ctl, struct loaded *done, __u32 n)
{
	bool saved = json_output;
	__u32 i;

	json_output = false;
	for (i = 0; i < n; i++)
		if (kbpf_ctl_prog_unload(ctl, done[i].id, NULL))
			fprintf(stderr, "(could not unload prog %u)\n",
				done[i].id);
	json_output = saved;
}

/* The id of the program the object calls elf_name, if it was loaded. */
static int loaded_id(const struct loaded *done, __u32 n, const char *elf_name,
		     __u32 *id)
{
	__u32 i;

	for (i = 0; i < n; i++) {
		if (!strcmp(done[i].elf_name, elf_name)) {
			*id = done[i].id;
			return 0;
		}
	}
	return -ENOENT;
}

/*
 * Store the programs' ids where the object initialises a prog_array
 * statically (.values = { [i] = &prog }), as libbpf does after loading.  A
 * map no loaded program uses was not created and is skipped.
 */
static int fill_prog_arrays(struct kbpf_object *obj, int fd,
			    const struct loaded *done, __u32 n)
{
	struct kbpf_map_elem_attr attr = { .size = sizeof(attr) };
	const struct kbpf_prog_slot *slots;
	__u32 i, cnt, map_id, prog_id;
	int err;

	cnt = kbpf_object_prog_slots(obj, &slots);
	for (i = 0; i < cnt; i++) {
		if (kbpf_object_map_id(obj, slots[i].map, &map_id))
			continue;
		if (loaded_id(done, n, slots[i].prog, &prog_id)) {
			p_info("map '%s': slot %u stays empty: prog '%s' was not loaded",
			       slots[i].map, slots[i].index, slots[i].prog);
			continue;
		}
		attr.map_id = map_id;
		attr.key = (__u64)(unsigned long)&slots[i].index;
		attr.value = (__u64)(unsigned long)&prog_id;
		attr.flags = KBPF_ANY;
		err = kbpf_dev_ioctl(fd, KBPF_IOC_MAP_UPDATE, &attr);
		if (err) {
			p_err("map '%s': cannot set slot %u to prog '%s': %s",
			      slots[i].map, slots[i].index, slots[i].prog,
			      strerror(-err));
			return err;
		}
	}
	return 0;
}

/* Attach a loaded program where its section says, with default settings. */
static int attach_section(struct kbpf_ctl *ctl, const struct loaded *l)
{
	struct kbpf_attach_req req = {
		.family = l->sec.family, .hook = l->sec.hook,
		.priority = l->sec.priority, .miss_verdict = KBPF_NF_ACCEPT,
	};

	return kbpf_ctl_prog_attach(ctl, l->id, NULL, &req);
}

/*
 * Load every program, fill the prog_arrays, then attach: a program is only
 * attached once everything it can tail-call into is in place.
 */
static int load_and_attach_all(struct kbpf_object *obj, struct kbpf_ctl *ctl,
			       struct dev_loader *ld, struct loaded *done,
			       __u32 *n)
{
	struct bpf_program *prog = NULL;
	struct loaded *l;
	__u32 i;

	*n = 0;
	while ((prog = kbpf_object_next_prog(obj, prog))) {
		l = &done[*n];
		if (load_one(obj, prog, NULL, ld, &l->sec, &l->id))
			return -1;
		kbpf_obj_name(l->name, kbpf_prog_name(prog));
		l->elf_name = kbpf_prog_name(prog);
		(*n)++;
	}
	if (fill_prog_arrays(obj, ld->fd, done, *n))
		return -1;
	for (i = 0; i < *n; i++) {
		l = &done[i];
		if (l->sec.has_hook && attach_section(ctl, l))
			return -1;
	}
	return 0;
}

int load_object_programs(struct kbpf_object *obj, struct loaded *done,
			 __u32 *n)
{
	struct dev_loader ld = { .fd = -1 };
	struct bpf_program *prog = NULL;
	struct kbpf_ctl ctl = { 0 };
	int err = -1;

	*n = 0;
	ld.fd = kbpf_dev_open();
	if (ld.fd < 0 || kbpf_ctl_open(&ctl))
		goto out;
	while ((prog = kbpf_object_next_prog(obj, prog))) {
		struct loaded *l = &done[*n];

		if (load_one(obj, prog, NULL, &ld, &l->sec, &l->id))
			break;
		kbpf_obj_name(l->name, kbpf_prog_name(prog));
		l->elf_name = kbpf_prog_name(prog);
		(*n)++;
	}
	err = prog || fill_prog_arrays(obj, ld.fd, done, *n) ? -1 : 0;
	if (err) {
		undo_loads(&ctl, done, *n);
		destroy_created_maps(obj);
		*n = 0;
	}
out:
	kbpf_ctl_close(&ctl);
	if (ld.fd >= 0)
		close(ld.fd);
	return err;
}

static int do_load_help(void)
{
	if (json_output) {
		jsonw_null(json_wtr);
		return 0;
	}
	fprintf(stderr,
		"Usage: %1$s load FILE.o [map NAME=MAP]...\n"
		"       Load every program of FILE.o and attach each where its\n"
		"       section says: SEC(\"kbpf/FAMILY/HOOK[/PRIO]\").  Programs in\n"
		"       SEC(\"kbpf\") are loaded, not attached (tail call targets), as\n"
		"       are SEC(\"kbpf/netdev/ingress\"): attach them with a device;\n"
		"       prog_arrays initialised in the object get their programs.\n"
		"       map NAME=MAP: the object's map NAME is the existing MAP\n"
		"       (same type, key, value and max_entries), not a new one.\n"
		"       MAP := { ID | NAME }\n",
		bin_name);
	return 0;
}

int do_load(int argc, char **argv)
{
	struct dev_loader ld = { .fd = -1 };
	struct reuse_list reuse = { .cnt = 0 };
	struct kbpf_object *obj = NULL;
	struct loaded *done = NULL;
	struct kbpf_ctl ctl = { 0 };
	__u32 count, n = 0, i;
	const char *file;
	int err = -1;

	if (argc == 1 && is_prefix(*argv, "help"))
		return do_load_help();
	if (!REQ_ARGS(1))
		return -1;
	file = *argv;
	NEXT_ARG();
	while (argc) {
		if (!is_prefix(*argv, "map")) {
			BAD_ARG();
			goto out;
		}
		NEXT_ARG();
		if (!REQ_ARGS(1) || parse_map_reuse(*argv, &reuse))
			goto out;
		NEXT_ARG();
	}
	if (kbpf_object_open(file, &obj))
		goto out;
	if (check_sections(obj, &count) || apply_reuse(obj, &reuse))
		goto out;
	done = calloc(count, sizeof(*done));
	if (!done) {
		p_err("out of memory");
		goto out;
	}
	ld.fd = kbpf_dev_open();
	if (ld.fd < 0 || kbpf_ctl_open(&ctl))
		goto out;

	err = load_and_attach_all(obj, &ctl, &ld, done, &n);
	if (err) {
		undo_loads(&ctl, done, n);
		destroy_created_maps(obj);
		goto out;
	}
	if (json_output)
		jsonw_start_array(json_wtr);
	for (i = 0; i < n; i++)
		print_loaded(done[i].name, done[i].id, &done[i].sec,
			     done[i].sec.has_hook);
	if (json_output)
		jsonw_end_array(json_wtr);
out:
	kbpf_ctl_close(&ctl);
	if (ld.fd >= 0)
		close(ld.fd);
	free(done);
	kbpf_object_close(obj);
	free_reuse(&reuse);
	return err ? -1 : 0;
}

/* ---- attach, detach, unload ------------------------------------------- */

/* One scheduling keyword of 'prog attach' and its value; 1 if not one. */
static int parse_sched_word(const char *kw, const char *val,
			    struct kbpf_attach_req *req)
{
	__s64 v;

	if (is_prefix(kw, "sched-prio")) {
		if (parse_s64(val, "sched-prio", -2147483647LL - 1, 2147483647,
			      &v))
			return -1;
		req->sched_prio = v;
	} else if (is_prefix(kw, "budget")) {
		if (parse_s64(val, "budget", 1, 0xffffffffLL, &v))
			return -1;
		req->budget = v;
	} else if (is_prefix(kw, "deadline")) {
		return parse_duration(val, "deadline", &req->deadline_ns);
	} else if (is_prefix(kw, "miss")) {
		if (strcmp(val, "accept") && strcmp(val, "drop")) {
			p_err("miss '%s': use accept or drop", val);
			return -1;
		}
		req->miss_verdict = val[0] == 'd' ? KBPF_NF_DROP :
				    KBPF_NF_ACCEPT;
	} else if (is_prefix(kw, "mode")) {
		if (strcmp(val, "inline") && strcmp(val, "observe")) {
			p_err("mode '%s': use inline or observe", val);
			return -1;
		}
		req->mode = val[0] == 'o' ? KBPF_MODE_OBSERVE :
			    KBPF_MODE_INLINE;
	} else {
		return 1;
	}
	return 0;
}

static int do_attach(int argc, char **argv)
{
	struct kbpf_attach_req req = { .miss_verdict = KBPF_NF_ACCEPT };
	struct obj_ref ref;
	struct kbpf_ctl ctl;
	bool has_hook = false;
	__s64 prio = 0;
	int err;

	if (parse_obj_ref(&argc, &argv, "prog", &ref))
		return -1;
	while (argc) {
		if (is_prefix(*argv, "hook")) {
			NEXT_ARG();
			if (!REQ_ARGS(1) ||
			    parse_hook(*argv, &req.family, &req.hook))
				return -1;
			has_hook = true;
			NEXT_ARG();
		} else if (!strcmp(*argv, "dev")) {
			NEXT_ARG();
			if (!REQ_ARGS(1) || parse_dev(*argv, &req.ifindex))
				return -1;
			NEXT_ARG();
		} else if (!strcmp(*argv, "prio") ||
			   (is_prefix(*argv, "prio") && strlen(*argv) < 5)) {
			NEXT_ARG();
			if (!REQ_ARGS(1) ||
			    parse_s64(*argv, "priority", KBPF_NF_PRIO_MIN,
				      KBPF_NF_PRIO_MAX, &prio))
				return -1;
			req.priority = prio;
			NEXT_ARG();
		} else {
			const char *kw = *argv;

			NEXT_ARG();
			if (!REQ_ARGS(1))
				return -1;
			err = parse_sched_word(kw, *argv, &req);
			if (err < 0)
				return -1;
			if (err > 0) {
				argv--;
				return BAD_ARG();
			}
			NEXT_ARG();
		}
	}
	if (!has_hook) {
		p_err("'attach' needs 'hook FAMILY/HOOK'");
		return -1;
	}
	if (check_dev(req.family, req.ifindex))
		return -1;
	if (kbpf_ctl_open(&ctl))
		return -1;
	err = kbpf_ctl_prog_attach(&ctl, ref.id, ref.name, &req);
	kbpf_ctl_close(&ctl);
	return finish_quiet(err);
}

static int do_replace(int argc, char **argv)
{
	struct kbpf_ctl ctl;
	int err;

	if (argc != 2) {
		p_err("usage: prog replace OLD NEW");
		return -1;
	}
	if (kbpf_ctl_open(&ctl))
		return -1;
	err = kbpf_ctl_prog_replace(&ctl, argv[0], argv[1]);
	kbpf_ctl_close(&ctl);
	return finish_quiet(err);
}

static int do_detach(int argc, char **argv)
{
	struct kbpf_detach_req req = { .has_hook = false };
	struct obj_ref ref;
	struct kbpf_ctl ctl;
	int err;

	if (parse_obj_ref(&argc, &argv, "prog", &ref))
		return -1;
	while (argc) {
		if (is_prefix(*argv, "hook")) {
			NEXT_ARG();
			if (!REQ_ARGS(1) || parse_hook(*argv, &req.family, &req.hook))
				return -1;
			req.has_hook = true;
			NEXT_ARG();
		} else if (!strcmp(*argv, "dev")) {
			NEXT_ARG();
			if (!REQ_ARGS(1) || parse_dev(*argv, &req.ifindex))
				return -1;
			NEXT_ARG();
		} else {
			return BAD_ARG();
		}
	}
	if ((req.has_hook || req.ifindex) &&
	    check_dev(req.family, req.ifindex))
		return -1;
	if (kbpf_ctl_open(&ctl))
		return -1;
	err = kbpf_ctl_prog_detach(&ctl, ref.id, ref.name, &req);
	kbpf_ctl_close(&ctl);
	return finish_quiet(err);
}

static int do_unload(int argc, char **argv)
{
	struct obj_ref ref;
	struct kbpf_ctl ctl;
	int err;

	if (parse_last_obj_ref(argc, argv, "prog", &ref))
		return -1;
	if (kbpf_ctl_open(&ctl))
		return -1;
	err = kbpf_ctl_prog_unload(&ctl, ref.id, ref.name);
	kbpf_ctl_close(&ctl);
	return finish_quiet(err);
}

/* ---- list ------------------------------------------------------------- */

static const char *prog_engine_name(const struct kbpf_prog_info *info)
{
	return info->engine == KBPF_ENGINE_NATIVE ? "native" : "interpreter";
}

static void print_prog_json(const struct kbpf_prog_info *info)
{
	const struct kbpf_attachment *a;
	__u32 i, n = info->attach_cnt;

	jsonw_start_object(json_wtr);
	jsonw_uint_field(json_wtr, "id", info->id);
	jsonw_string_field(json_wtr, "name", info->name);
	jsonw_string_field(json_wtr, "type", kbpf_prog_type_name(info->type));
	jsonw_uint_field(json_wtr, "insn_cnt", info->insn_cnt);
	jsonw_uint_field(json_wtr, "run_cnt", info->run_cnt);
	jsonw_uint_field(json_wtr, "run_time_ns", info->run_time_ns);
	jsonw_string_field(json_wtr, "engine", prog_engine_name(info));
	if (info->engine == KBPF_ENGINE_NATIVE)
		jsonw_string_field(json_wtr, "native_module",
				   info->native_module);
	jsonw_uint_field(json_wtr, "owner_netns_cookie", info->netns_cookie);
	jsonw_name(json_wtr, "worst_case");
	if (info->worst_case == KBPF_WORST_CASE_UNBOUNDED)
		jsonw_null(json_wtr);
	else
		jsonw_uint(json_wtr, info->worst_case);
	jsonw_name(json_wtr, "attachments");
	jsonw_start_array(json_wtr);
	for (i = 0; i < n; i++) {
		a = &info->attach[i];
		jsonw_start_object(json_wtr);
		print_attachment_json(a);
		jsonw_end_object(json_wtr);
	}
	jsonw_end_array(json_wtr);
	jsonw_end_object(json_wtr);
}

static void print_prog_plain(const struct kbpf_prog_info *info)
{
	const struct kbpf_attachment *a;
	__u32 i, n = info->attach_cnt;

	printf("%u: %s  name %s  insns %u  engine %s", info->id,
	       kbpf_prog_type_name(info->type), info->name, info->insn_cnt,
	       prog_engine_name(info));
	if (info->engine == KBPF_ENGINE_NATIVE)
		printf(" (%s)", info->native_module);
	if (info->worst_case == KBPF_WORST_CASE_UNBOUNDED)
		printf("  worst_case unbounded");
	else
		printf("  worst_case %llu",
		       (unsigned long long)info->worst_case);
	if (info->run_cnt)
		printf("  run_cnt %llu  run_time_ns %llu",
		       (unsigned long long)info->run_cnt,
		       (unsigned long long)info->run_time_ns);
	printf("\n");
	for (i = 0; i < n; i++) {
		a = &info->attach[i];
		printf("\tattached %s/%s%s  prio %d  netns %llu  policy %s\n\t\t",
		       kbpf_family_name(a->family), kbpf_hook_name(a->hook),
		       dev_str(a->ifindex, a->ifname), a->priority,
		       (unsigned long long)a->netns_cookie,
		       kbpf_policy_name(a->policy));
		print_attachment_settings(a);
		printf("\n");
		print_stats_plain("\t\t", &a->stats);
	}
}

static int show_prog(const struct kbpf_prog_info *info, void *arg)
{
	if (json_output)
		print_prog_json(info);
	else
		print_prog_plain(info);
	return 0;
}

static int show_one_prog(struct kbpf_ctl *ctl, const struct obj_ref *ref)
{
	return kbpf_ctl_prog_show(ctl, ref->id, ref->name, show_prog, NULL);
}

static int show_all_progs(struct kbpf_ctl *ctl)
{
	return kbpf_ctl_prog_dump(ctl, show_prog, NULL);
}

static int do_list(int argc, char **argv)
{
	return list_objects(argc, argv, "prog", show_one_prog, show_all_progs);
}

/* ---- run -------------------------------------------------------------- */

static int read_file(const char *path, void **datap, __u32 *sizep)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	void *data;

	if (!f) {
		p_err("cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) ||
	    st.st_size > 0xffff) {
		p_err("'%s' is not a regular file of at most 65535 bytes",
		      path);
		fclose(f);
		return -1;
	}
	data = calloc(1, st.st_size ? st.st_size : 1);
	if (!data || fread(data, 1, st.st_size, f) != (size_t)st.st_size) {
		p_err("cannot read '%s'", path);
		free(data);
		fclose(f);
		return -1;
	}
	fclose(f);
	*datap = data;
	*sizep = st.st_size;
	return 0;
}

static int write_file(const char *path, const void *data, __u32 size)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f)) {
		p_err("cannot write '%s': %s", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	return 0;
}

static void print_run(__u32 id, const struct kbpf_prog_test_run_attr *attr,
		      __u32 repeat, const struct kbpf_nf_ctx *ctx, bool has_ctx)
{
	const char *verdict = attr->retval == KBPF_NF_DROP ? "drop" :
			      attr->retval == KBPF_NF_ACCEPT ? "accept" : "?";
	/* What the module copied out of the context. */
	bool mark = attr->ctx_size_out >= offsetof(struct kbpf_nf_ctx, mark) +
					   sizeof(ctx->mark);

	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, "id", id);
		jsonw_uint_field(json_wtr, "retval", attr->retval);
		jsonw_uint_field(json_wtr, "repeat", repeat);
		jsonw_uint_field(json_wtr, "duration_ns", attr->duration_ns);
		if (mark)
			jsonw_uint_field(json_wtr, "mark", ctx->mark);
		jsonw_end_object(json_wtr);
		return;
	}
	printf("retval %u (%s)\n", attr->retval, verdict);
	printf("duration %llu ns/run (%u run%s)\n",
	       (unsigned long long)attr->duration_ns, repeat,
	       repeat == 1 ? "" : "s");
	/* The mark the run left, when asked for a context or changed. */
	if (mark && (has_ctx || ctx->mark))
		printf("mark %u\n", ctx->mark);
}

/* What a frame of this EtherType (host order) is, as ingress tells. */
static __u32 proto_family(__u32 proto)
{
	return proto == 0x0800 ? KBPF_NF_FAMILY_IPV4 :
	       proto == 0x86dd ? KBPF_NF_FAMILY_IPV6 : KBPF_NF_FAMILY_NETDEV;
}

/*
 * The context's family: an IP hook's own; at netdev/ingress the frame's,
 * from proto when given, else the packet's IP version; without a hook,
 * local_in of the packet's version (as the module assumes without one).
 */
static int run_ctx_family(struct kbpf_nf_ctx *ctx, bool has_hook, __u32 proto,
			  const __u8 *data, __u32 size)
{
	__u32 version = size ? data[0] >> 4 : 0;

	/* The module checks that it goes with the family. */
	ctx->protocol = htons(proto);
	if (has_hook && ctx->hook != KBPF_NF_HOOK_INGRESS)
		return 0;
	if (!has_hook)
		ctx->hook = KBPF_NF_HOOK_LOCAL_IN;
	if (proto) {
		ctx->family = proto_family(proto);
	} else if (version == 4 || version == 6) {
		ctx->family = version == 6 ? KBPF_NF_FAMILY_IPV6 :
					     KBPF_NF_FAMILY_IPV4;
	} else {
		p_err("the packet is not IPv4 or IPv6: give 'proto ETHERTYPE'%s",
		      has_hook ? "" : " and 'hook netdev/ingress'");
		return -1;
	}
	if (!has_hook && ctx->family == KBPF_NF_FAMILY_NETDEV) {
		p_err("proto %#06x is not IP: a frame of it is seen at 'hook netdev/ingress' only",
		      proto);
		return -1;
	}
	return 0;
}

static int do_run(int argc, char **argv)
{
	struct kbpf_prog_test_run_attr attr = { .size = sizeof(attr) };
	const char *data_file = NULL, *out_file = NULL;
	struct kbpf_nf_ctx ctx = { 0 }, ctx_out = { 0 };
	bool has_ctx = false, has_hook = false;
	__s64 repeat = 1, mark = 0, proto = 0;
	char reason[256] = "";
	struct obj_ref ref;
	void *data = NULL;
	__u32 size, id;
	int fd, err;

	if (parse_obj_ref(&argc, &argv, "prog", &ref))
		return -1;
	while (argc) {
		const char *kw = *argv + (strncmp(*argv, "--", 2) ? 0 : 2);

		if (*kw && is_prefix(kw, "data")) {
			NEXT_ARG();
			if (!REQ_ARGS(1))
				return -1;
			data_file = *argv;
			NEXT_ARG();
		} else if (*kw && !strcmp(kw, "out")) {
			NEXT_ARG();
			if (!REQ_ARGS(1))
				return -1;
			out_file = *argv;
			NEXT_ARG();
		} else if (*kw && is_prefix(kw, "repeat")) {
			NEXT_ARG();
			if (!REQ_ARGS(1) ||
			    parse_s64(*argv, "repeat", 1, 0xffffffffLL, &repeat))
				return -1;
			NEXT_ARG();
		} else if (*kw && is_prefix(kw, "hook")) {
			NEXT_ARG();
			if (!REQ_ARGS(1) ||
			    parse_hook(*argv, &ctx.family, &ctx.hook))
				return -1;
			has_hook = has_ctx = true;
			NEXT_ARG();
		} else if (*kw && !strcmp(kw, "dev")) {
			NEXT_ARG();
			if (!REQ_ARGS(1) || parse_dev(*argv, &ctx.ifindex))
				return -1;
			has_ctx = true;
			NEXT_ARG();
		} else if (*kw && !strcmp(kw, "mark")) {
			NEXT_ARG();
			if (!REQ_ARGS(1) ||
			    parse_s64(*argv, "mark", 0, 0xffffffffLL, &mark))
				return -1;
			ctx.mark = mark;
			has_ctx = true;
			NEXT_ARG();
		} else if (*kw && !strcmp(kw, "proto")) {
			NEXT_ARG();
			if (!REQ_ARGS(1) ||
			    parse_s64(*argv, "proto", 1, 0xffff, &proto))
				return -1;
			has_ctx = true;
			NEXT_ARG();
		} else {
			return BAD_ARG();
		}
	}
	if (!data_file) {
		p_err("'run' needs 'data FILE'");
		return -1;
	}
	if (read_file(data_file, &data, &size))
		return -1;
	if ((has_ctx && run_ctx_family(&ctx, has_hook, proto, data, size)) ||
	    kbpf_ctl_prog_id(&ref, &id)) {
		free(data);
		return -1;
	}
	fd = kbpf_dev_open();
	if (fd < 0) {
		free(data);
		return -1;
	}
	attr.prog_id = id;
	attr.data_in = (__u64)(unsigned long)data;
	attr.data_size_in = size;
	if (out_file) {
		/* The packet as the program left it, over the input copy. */
		attr.data_out = (__u64)(unsigned long)data;
		attr.data_size_out = size;
	}
	attr.repeat = repeat;
	if (has_ctx) {
		attr.ctx_in = (__u64)(unsigned long)&ctx;
		attr.ctx_size_in = sizeof(ctx);
	}
	attr.ctx_out = (__u64)(unsigned long)&ctx_out;
	attr.ctx_size_out = sizeof(ctx_out);
	attr.log_buf = (__u64)(unsigned long)reason;
	attr.log_size = sizeof(reason);
	err = kbpf_dev_ioctl(fd, KBPF_IOC_PROG_TEST_RUN, &attr);
	close(fd);
	if (err) {
		free(data);
		if (err == -EPERM)
			p_err(ERR_NO_PERM);
		else if (reason[0])
			p_err("prog %u: test run failed: %s", id, reason);
		else
			p_err("prog %u: test run failed: %s", id,
			      kbpf_strerror(err));
		return -1;
	}
	if (out_file && write_file(out_file, data, attr.data_size_out)) {
		free(data);
		return -1;
	}
	free(data);
	print_run(id, &attr, repeat, &ctx_out, has_ctx);
	return 0;
}

/* ---- help ------------------------------------------------------------- */

static int do_help(int argc, char **argv)
{
	if (json_output) {
		jsonw_null(json_wtr);
		return 0;
	}
	fprintf(stderr,
		"Usage: %1$s %2$s load FILE.o [section SEC] [name NAME] [map NAME=MAP]...\n"
		"       %1$s %2$s attach PROG hook HOOK [dev DEV] [prio PRIO] [SCHED]...\n"
		"       %1$s %2$s replace OLD NEW\n"
		"       %1$s %2$s detach PROG [hook HOOK [dev DEV]]\n"
		"       %1$s %2$s unload PROG\n"
		"       %1$s %2$s { list | show } [PROG]\n"
		"       %1$s %2$s run PROG data FILE [out FILE] [repeat N] [hook HOOK]\n"
		"                 [dev DEV] [mark N] [proto ETHERTYPE]\n"
		"       %1$s %2$s build FILE.o [section SEC] [-o DIR] [KDIR=DIR]\n"
		"       %1$s %2$s help\n"
		"\n"
		"       PROG := { ID | NAME | id ID | name NAME }\n"
		"       HOOK := { FAMILY/{ pre_routing | local_in | forward | local_out |\n"
		"                 post_routing } | netdev/ingress }\n"
		"       FAMILY := { ipv4 | ipv6 }\n"
		"       DEV := interface name or ifindex: netdev/ingress is per interface\n"
		"       PRIO := %3$d..%4$d (default 0): netfilter priority, picks the hook point\n"
		"       SCHED := { sched-prio N | budget INSNS | deadline TIME |\n"
		"                  miss { accept | drop } | mode { inline | observe } }\n"
		"       TIME := N{ns|us|ms|s}\n"
		"       SEC := { kbpf | netfilter }[/FAMILY/HOOK[/PRIO]]  (the program's SEC())\n"
		"       map NAME=MAP: the object's map NAME is the existing MAP, not a new one\n"
		"       run: the packet is at HOOK (default local_in of its IP version),\n"
		"            came in by DEV (leaves by it at local_out, post_routing),\n"
		"            has mark N and, at netdev/ingress, EtherType ETHERTYPE\n"
		"       MAP := { ID | NAME }\n"
		"       " HELP_SPEC_OPTIONS "\n",
		bin_name, "prog", KBPF_NF_PRIO_MIN, KBPF_NF_PRIO_MAX);
	return 0;
}

static const struct cmd cmds[] = {
	{ "help",	do_help },
	{ "load",	do_prog_load },
	{ "attach",	do_attach },
	{ "replace",	do_replace },
	{ "detach",	do_detach },
	{ "unload",	do_unload },
	{ "list",	do_list },
	{ "show",	do_list },
	{ "run",	do_run },
	{ "build",	do_prog_build },
	{ NULL }
};

int do_prog(int argc, char **argv)
{
	return cmd_select(cmds, argc, argv, do_help);
}
