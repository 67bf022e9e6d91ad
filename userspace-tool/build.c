// SPDX-License-Identifier: GPL-2.0
/*
 * kbpfctl prog build: compile an object's programs ahead of time into
 * kernel modules, one kbpf_prog_<name>.ko per program.
 *
 * Each program is relocated as for a load (its maps numbered 1..n in the
 * order it uses them, their definitions kept), verified here with the core
 * so a refusal shows up now rather than at insmod, translated to C by bpf2c
 * (userspace-tool/aot/) and built against KDIR with the kernel's own Kbuild.
 * The module embeds the bytecode and the map definitions: at insmod kbpf
 * verifies them again under its own profile, and a later `kbpfctl prog load`
 * of the same program runs the compiled code (kmod/native.c).
 */
#define _GNU_SOURCE	/* vasprintf */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "main.h"

static int do_build_help(void)
{
	if (json_output) {
		jsonw_null(json_wtr);
		return 0;
	}
	fprintf(stderr,
		"Usage: %1$s prog build FILE.o [section SEC] [-o DIR] [KDIR=DIR]\n"
		"\n"
		"       Compiles each program of FILE.o (or the one in SEC) into a\n"
		"       kernel module DIR/kbpf_prog_NAME.ko (DIR: default '.'),\n"
		"       against the kernel headers in KDIR (default: the running\n"
		"       kernel's).  insmod it, then 'prog load' the same program:\n"
		"       it runs as native code instead of in the interpreter.\n"
		"       " HELP_SPEC_OPTIONS "\n",
		bin_name);
	return 0;
}

#ifdef KBPFCTL_HAVE_CORE

#include "core_glue.h"
#include "elf.h"
#include "aot/bpf2c.h"

#define BUILD_LOG_SIZE	(1024 * 1024)

struct build_opts {
	const char *file;
	const char *section;
	const char *dir;
	const char *kdir;
};

/* Maps for the offline verifier, their definitions kept for the module. */
struct build_maps {
	struct kbpfctl_core *core;
	struct bpf2c_map_def defs[64];
	__u32 cnt;
};

static int build_map_create(void *priv, const struct kbpf_map_spec *spec,
			    __u32 *id)
{
	struct build_maps *bm = priv;
	struct bpf2c_map_def *def;
	int err;

	if (bm->cnt == sizeof(bm->defs) / sizeof(bm->defs[0])) {
		p_err("map '%s': a program may use at most %zu maps",
		      spec->name, sizeof(bm->defs) / sizeof(bm->defs[0]));
		return -E2BIG;
	}
	if (spec->init_value && spec->init_size != spec->value_size) {
		p_err("map '%s': initial value of %zu bytes for a value of %u",
		      spec->name, spec->init_size, spec->value_size);
		return -EINVAL;
	}
	err = kbpfctl_core_map_create(bm->core, spec->type, spec->key_size,
				      spec->value_size, spec->max_entries,
				      spec->flags, spec->init_value,
				      spec->init_size, spec->rodata, id);
	if (err) {
		p_err("map '%s': cannot create: %s", spec->name, strerror(-err));
		return err;
	}
	/* The core numbers maps 1..n as created: the module's convention. */
	if (*id != bm->cnt + 1) {
		p_err("map '%s': unexpected id %u", spec->name, *id);
		return -EINVAL;
	}
	def = &bm->defs[bm->cnt++];
	memset(def, 0, sizeof(*def));
	snprintf(def->name, sizeof(def->name), "%s", spec->name);
	def->type = spec->type;
	def->key_size = spec->key_size;
	def->value_size = spec->value_size;
	def->max_entries = spec->max_entries;
	def->flags = spec->flags;
	def->data = spec->init_value;
	def->rodata = spec->rodata;
	return 0;
}

static int verify_for_build(struct kbpfctl_core *core, const char *name,
			    __u32 type, const struct kbpf_insn *insns, __u32 cnt)
{
	struct kbpfctl_core_stats st = { 0 };
	char *log = calloc(1, BUILD_LOG_SIZE);
	int err;

	if (!log) {
		p_err("out of memory");
		return -ENOMEM;
	}
	err = kbpfctl_core_verify(core, type, insns, cnt,
				  KBPF_LOG_LEVEL_ERRORS, log, BUILD_LOG_SIZE,
				  &st);
	log[BUILD_LOG_SIZE - 1] = '\0';
	if (err) {
		fputs(log, stderr);
		p_err("verifier rejected program '%s': %s; not built", name,
		      strerror(-err));
	}
	free(log);
	return err;
}

static int write_text(const char *dir, const char *file, const char *text)
{
	int err = bpf2c_write_file(dir, file, text);

	if (err)
		p_err("cannot write '%s/%s': %s", dir, file, strerror(-err));
	return err;
}

static int translate_to(const char *dir, const char *name,
			const struct bpf2c_opts *bo,
			const struct kbpf_insn *insns, __u32 cnt)
{
	char path[PATH_MAX], why[256];
	FILE *f;
	int err;

	snprintf(path, sizeof(path), "%s/kbpf_prog_%s.c", dir, name);
	f = fopen(path, "w");
	if (!f) {
		p_err("cannot create '%s': %s", path, strerror(errno));
		return -1;
	}
	err = bpf2c_translate(f, insns, cnt, bo, why, sizeof(why));
	if (fclose(f) && !err)
		err = -EIO;
	if (err)
		p_err("prog '%s': cannot translate: %s", name,
		      err == -EIO ? "write error" : why);
	return err;
}

/* A program only the interpreter runs (tail calls, bpf_loop): not an error. */
#define BUILD_SKIPPED	1

/* Programs by name: a section (plain "kbpf", say) may hold several. */
static struct bpf_program *find_prog(struct kbpf_object *obj,
				     const char *prog_name)
{
	struct bpf_program *prog = NULL;

	while ((prog = kbpf_object_next_prog(obj, prog)))
		if (!strcmp(kbpf_prog_name(prog), prog_name))
			return prog;
	p_err("no program '%s'", prog_name);
	return NULL;
}

/*
 * Relocate, verify and translate one program: DIR/kbpf_prog_NAME.c.  0,
 * BUILD_SKIPPED or an error.
 */
static int build_prog_source(const struct build_opts *o, const char *prog_name,
			     char name[KBPF_OBJ_NAME_LEN])
{
	struct build_maps bm = { 0 };
	struct kbpf_map_backend backend = {
		.create = build_map_create,
		.priv = &bm,
	};
	struct bpf2c_opts bo = { .target = BPF2C_MODULE, .verified = true };
	struct kbpf_object *obj = NULL;
	struct kbpf_insn *insns = NULL;
	struct bpf_program *prog;
	struct kbpf_section sec;
	char origin[PATH_MAX + 64];
	__u32 cnt, bad;
	int err = -1;

	/* A fresh object and core per program: its maps are numbered 1..n. */
	bm.core = kbpfctl_core_new(NULL);
	if (!bm.core || kbpf_object_open(o->file, &obj))
		goto out;
	prog = find_prog(obj, prog_name);
	if (!prog || kbpf_parse_section(prog, &sec))
		goto out;
	kbpf_obj_name(name, kbpf_prog_name(prog));
	err = kbpf_object_prog_insns(obj, prog, &backend, &insns, &cnt);
	if (err)
		goto out;
	if (!bpf2c_supported(insns, cnt, &bad)) {
		p_info("prog '%s': not built: insn %u calls tail_call or bpf_loop, which run only in the interpreter",
		       name, bad);
		err = BUILD_SKIPPED;
		goto out;
	}
	err = verify_for_build(bm.core, name, sec.prog_type, insns, cnt);
	if (err)
		goto out;
	snprintf(origin, sizeof(origin), "%s, section %s", o->file,
		 kbpf_prog_section(prog));
	bo.name = name;
	bo.origin = origin;
	bo.prog_type = sec.prog_type;
	bo.maps = bm.defs;
	bo.map_cnt = bm.cnt;
	err = translate_to(o->dir, name, &bo, insns, cnt);
out:
	free(insns);
	if (obj)
		kbpf_object_close(obj);
	if (bm.core)
		kbpfctl_core_free(bm.core);
	return err;
}

/* Run the shell command that fmt makes; its exit status, or -1. */
static __attribute__((format(printf, 1, 2))) int run_cmd(const char *fmt, ...)
{
	char *cmd = NULL;
	va_list ap;
	int status, n;

	va_start(ap, fmt);
	n = vasprintf(&cmd, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	status = system(cmd);
	free(cmd);
	if (status == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int run_kbuild(const struct build_opts *o)
{
	char dir[PATH_MAX];

	if (!realpath(o->dir, dir)) {
		p_err("'%s': %s", o->dir, strerror(errno));
		return -1;
	}
	if (!run_cmd("make -C '%s' M='%s' modules >'%s/build.log' 2>&1",
		     o->kdir, dir, dir))
		return 0;
	if (run_cmd("tail -n 30 '%s/build.log' >&2", dir))
		p_info("see %s/build.log", dir);
	p_err("building the modules against '%s' failed (log: %s/build.log)",
	      o->kdir, dir);
	return -1;
}

static const char *default_kdir(void)
{
	static char path[PATH_MAX];
	struct utsname u;

	if (uname(&u))
		return NULL;
	snprintf(path, sizeof(path), "/lib/modules/%s/build", u.release);
	return path;
}

static int parse_build_args(int argc, char **argv, struct build_opts *o)
{
	if (argc < 1) {
		p_err("expected FILE.o");
		return -1;
	}
	o->file = *argv;
	NEXT_ARG();
	while (argc) {
		if (is_prefix(*argv, "section")) {
			NEXT_ARG();
			if (!REQ_ARGS(1))
				return -1;
			o->section = *argv;
		} else if (!strcmp(*argv, "-o")) {
			NEXT_ARG();
			if (!REQ_ARGS(1))
				return -1;
			o->dir = *argv;
		} else if (!strncmp(*argv, "KDIR=", 5)) {
			o->kdir = *argv + 5;
		} else {
			return BAD_ARG();
		}
		NEXT_ARG();
	}
	return 0;
}

static int check_dirs(const struct build_opts *o)
{
	char path[PATH_MAX + 16];
	struct stat st;

	if (mkdir(o->dir, 0755) && errno != EEXIST) {
		p_err("cannot create '%s': %s", o->dir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/Makefile", o->kdir);
	if (stat(path, &st)) {
		p_err("no kernel build tree at '%s': install the headers (linux-headers-$(uname -r)) or pass KDIR=",
		      o->kdir);
		return -1;
	}
	return 0;
}

static void print_built(const struct build_opts *o, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/kbpf_prog_%s.ko", o->dir, name);
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "name", name);
		jsonw_string_field(json_wtr, "module", path);
		jsonw_end_object(json_wtr);
		return;
	}
	printf("%s\n", path);
}

int do_prog_build(int argc, char **argv)
{
	struct build_opts o = { .dir = "." };
	char names[64][KBPF_OBJ_NAME_LEN], kbuild[64 * (KBPF_OBJ_NAME_LEN + 32)];
	const char *progs[64];
	struct bpf_program *prog = NULL;
	struct kbpf_object *obj;
	size_t n = 0, i, len = 0, built = 0;
	int err = 0;

	if (argc && is_prefix(*argv, "help"))
		return do_build_help();
	if (parse_build_args(argc, argv, &o))
		return -1;
	if (!o.kdir)
		o.kdir = default_kdir();
	if (!o.kdir || check_dirs(&o))
		return -1;
	if (kbpf_object_open(o.file, &obj))
		return -1;
	while ((prog = kbpf_object_next_prog(obj, prog)) && n < 64) {
		if (o.section && strcmp(kbpf_prog_section(prog), o.section))
			continue;
		progs[n++] = strdup(kbpf_prog_name(prog));
	}
	kbpf_object_close(obj);
	if (!n) {
		p_err(o.section ? "'%s' has no program in section '%s'" :
		      "'%s' contains no BPF program", o.file, o.section);
		return -1;
	}

	len = snprintf(kbuild, sizeof(kbuild),
		       "# Generated by kbpfctl prog build from %s\n", o.file);
	for (i = 0; i < n && err <= 0; i++) {
		err = progs[i] ? build_prog_source(&o, progs[i], names[i]) :
				    -ENOMEM;
		if (err == BUILD_SKIPPED) {
			names[i][0] = '\0';
			err = 0;
		} else if (!err) {
			len += snprintf(kbuild + len, sizeof(kbuild) - len,
					"obj-m += kbpf_prog_%s.o\n", names[i]);
			built++;
		}
	}
	for (i = 0; i < n; i++)
		free((void *)progs[i]);
	if (!err && !built) {
		p_err("'%s': no program to build: each one runs only in the interpreter",
		      o.file);
		return -1;
	}
	if (err || write_text(o.dir, "kbpf_native.h", bpf2c_native_header) ||
	    write_text(o.dir, "Kbuild", kbuild) || run_kbuild(&o))
		return -1;
	if (json_output)
		jsonw_start_array(json_wtr);
	for (i = 0; i < n; i++)
		if (names[i][0])
			print_built(&o, names[i]);
	if (json_output)
		jsonw_end_array(json_wtr);
	return 0;
}

#else /* !KBPFCTL_HAVE_CORE */

int do_prog_build(int argc, char **argv)
{
	if (argc && is_prefix(*argv, "help"))
		return do_build_help();
	p_err("this kbpfctl was built without the kbpf core (KBPFCTL_CORE=0 or static): prog build is unavailable");
	return -1;
}

#endif /* KBPFCTL_HAVE_CORE */
