// SPDX-License-Identifier: GPL-2.0
/*
 * kbpfctl verify: run the core verifier in this process, without the
 * module, on an ELF object's programs or on a file of raw instructions.
 * Exit status 0 when every program is accepted, 1 otherwise; the messages
 * are the ones a load through the module prints.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "main.h"

static int do_verify_help(void)
{
	if (json_output) {
		jsonw_null(json_wtr);
		return 0;
	}
	fprintf(stderr,
		"Usage: %1$s verify FILE.o [section SEC] [profile PROFILE]\n"
		"       %1$s verify --raw FILE --type TYPE [profile PROFILE]\n"
		"       %1$s verify help\n"
		"\n"
		"       Runs kbpf's verifier in this process, without the module.\n"
		"       Exit status 0: every program accepted; 1: rejected or error.\n"
		"       TYPE := { netfilter }\n"
		"       PROFILE := { cloud | embedded } (default: the core's)\n"
		"       " HELP_SPEC_OPTIONS "\n",
		bin_name);
	return 0;
}

#ifdef KBPFCTL_HAVE_CORE

#include "core_glue.h"
#include "elf.h"

#define VERIFY_LOG_SIZE		(1024 * 1024)
#define VERIFY_LOG_SIZE_BIG	(64 * 1024 * 1024)

struct verify_opts {
	const char *file;
	const char *section;
	const char *profile;
	bool raw;
	__u32 prog_type;
};

static int core_map_create(void *priv, const struct kbpf_map_spec *spec,
			   __u32 *id)
{
	int err;

	err = kbpfctl_core_map_create(priv, spec->type, spec->key_size,
				      spec->value_size, spec->max_entries,
				      spec->flags, spec->init_value, spec->init_size,
				      spec->rodata, id);
	if (err)
		p_err("map '%s': cannot create (%s, key %u, value %u, max_entries %u): %s",
		      spec->name, kbpf_map_type_name(spec->type),
		      spec->key_size, spec->value_size, spec->max_entries,
		      strerror(-err));
	return err;
}

static void print_verdict(const char *name, const char *profile,
			  const struct kbpfctl_core_stats *st)
{
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "name", name);
		jsonw_bool_field(json_wtr, "accepted", true);
		jsonw_string_field(json_wtr, "profile", profile);
		jsonw_uint_field(json_wtr, "insns_processed",
				 st->insns_processed);
		jsonw_uint_field(json_wtr, "states_total", st->states_total);
		jsonw_uint_field(json_wtr, "states_peak", st->states_peak);
		jsonw_uint_field(json_wtr, "time_ns", st->time_ns);
		jsonw_name(json_wtr, "worst_case");
		if (st->worst_case == KBPF_WORST_CASE_UNBOUNDED)
			jsonw_null(json_wtr);
		else
			jsonw_uint(json_wtr, st->worst_case);
		jsonw_end_object(json_wtr);
		return;
	}
	printf("prog '%s': accepted (%s profile): %u insns processed, %u states, peak %u, %llu us, ",
	       name, profile, st->insns_processed, st->states_total,
	       st->states_peak, (unsigned long long)st->time_ns / 1000);
	if (st->worst_case == KBPF_WORST_CASE_UNBOUNDED)
		printf("worst case unbounded\n");
	else
		printf("worst case %llu insns\n",
		       (unsigned long long)st->worst_case);
}

/* Verify one program; its log goes to stderr as a module load prints it. */
static int verify_insns(struct kbpfctl_core *core, const char *name,
			__u32 type, const struct kbpf_insn *insns, __u32 cnt)
{
	__u32 size = verbose ? VERIFY_LOG_SIZE_BIG : VERIFY_LOG_SIZE;
	/* Stats too: a refused program's log ends with what it cost. */
	__u32 level = KBPF_LOG_LEVEL_ERRORS | KBPF_LOG_LEVEL_STATS;
	struct kbpfctl_core_stats st = { 0 };
	char *log = calloc(1, size);
	int err;

	if (!log) {
		p_err("out of memory");
		return -ENOMEM;
	}
	if (verbose) {
		level |= KBPF_LOG_LEVEL_VERBOSE | KBPF_LOG_LEVEL_STATS;
		fprintf(stderr, "prog '%s': %u insns as submitted:\n", name, cnt);
		kbpfctl_core_disasm(stderr, insns, cnt);
	}
	err = kbpfctl_core_verify(core, type, insns, cnt, level, log, size,
				  &st);
	log[size - 1] = '\0';
	if (log[0] && (err || verbose)) {
		fputs(log, stderr);
		if (log[strlen(log) - 1] != '\n')
			fputc('\n', stderr);
	}
	if (st.log_true_size && (err || verbose))
		p_info("prog '%s': the verifier log above is cut: the whole log needs %u bytes, %u were given (the statistics line is kept)",
		       name, st.log_true_size, size);
	if (err)
		p_err("verifier rejected program '%s': %s", name,
		      strerror(-err));
	else
		print_verdict(name, kbpfctl_core_profile(core), &st);
	free(log);
	return err;
}

static int verify_prog(struct kbpfctl_core *core, struct kbpf_object *obj,
		       struct bpf_program *prog)
{
	struct kbpf_map_backend backend = {
		.create = core_map_create,
		.priv = core,
	};
	char name[KBPF_OBJ_NAME_LEN];
	struct kbpf_section sec;
	struct kbpf_insn *insns;
	__u32 cnt;
	int err;

	err = kbpf_parse_section(prog, &sec);
	if (err)
		return err;
	err = kbpf_object_prog_insns(obj, prog, &backend, &insns, &cnt);
	if (err)
		return err;
	kbpf_obj_name(name, kbpf_prog_name(prog));
	err = verify_insns(core, name, sec.prog_type, insns, cnt);
	free(insns);
	return err;
}

static int verify_object(struct kbpfctl_core *core,
			 const struct verify_opts *o)
{
	struct bpf_program *prog = NULL;
	struct kbpf_object *obj;
	int err = 0;

	if (kbpf_object_open(o->file, &obj))
		return -1;
	if (o->section) {
		prog = kbpf_object_find_prog(obj, o->section);
		err = prog ? verify_prog(core, obj, prog) : -ENOENT;
		goto out;
	}
	if (!kbpf_object_next_prog(obj, NULL)) {
		p_err("'%s' contains no BPF program", o->file);
		err = -ENOENT;
		goto out;
	}
	/* Every program is checked; any rejection fails the whole run. */
	while ((prog = kbpf_object_next_prog(obj, prog)))
		if (verify_prog(core, obj, prog))
			err = -1;
out:
	kbpf_object_close(obj);
	return err;
}

static int read_raw(const char *path, struct kbpf_insn **insnsp, __u32 *cntp)
{
	FILE *f = fopen(path, "rb");
	struct kbpf_insn *insns;
	struct stat st;

	if (!f) {
		p_err("cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) || !st.st_size ||
	    st.st_size % sizeof(struct kbpf_insn) ||
	    st.st_size > (off_t)sizeof(struct kbpf_insn) * 16 * 1024 * 1024) {
		p_err("'%s' is not a file of whole 8-byte instructions", path);
		fclose(f);
		return -1;
	}
	insns = malloc(st.st_size);
	if (!insns || fread(insns, 1, st.st_size, f) != (size_t)st.st_size) {
		p_err("cannot read '%s'", path);
		free(insns);
		fclose(f);
		return -1;
	}
	fclose(f);
	*insnsp = insns;
	*cntp = st.st_size / sizeof(struct kbpf_insn);
	return 0;
}

static int verify_raw(struct kbpfctl_core *core, const struct verify_opts *o)
{
	struct kbpf_insn *insns;
	char name[KBPF_OBJ_NAME_LEN];
	const char *base = strrchr(o->file, '/');
	__u32 cnt;
	int err;

	if (read_raw(o->file, &insns, &cnt))
		return -1;
	kbpf_obj_name(name, base ? base + 1 : o->file);
	err = verify_insns(core, name, o->prog_type, insns, cnt);
	free(insns);
	return err;
}

static int parse_prog_type(const char *s, __u32 *type)
{
	if (!strcmp(s, "netfilter")) {
		*type = KBPF_PROG_TYPE_NETFILTER;
		return 0;
	}
	p_err("unknown program type '%s' (netfilter)", s);
	return -1;
}

/* Words after "verify"; "--raw" and "--type" are accepted with or without dashes. */
static int parse_verify_args(int argc, char **argv, struct verify_opts *o)
{
	const char *kw;

	while (argc) {
		kw = *argv + (strncmp(*argv, "--", 2) ? 0 : 2);
		if (!strcmp(kw, "raw")) {
			o->raw = true;
			NEXT_ARG();
		} else if (!strcmp(kw, "type") || !strcmp(kw, "section") ||
			   !strcmp(kw, "profile")) {
			NEXT_ARG();
			if (!REQ_ARGS(1))
				return -1;
			if (kw[0] == 't' && parse_prog_type(*argv, &o->prog_type))
				return -1;
			if (kw[0] == 's')
				o->section = *argv;
			if (kw[0] == 'p')
				o->profile = *argv;
			NEXT_ARG();
		} else if (!o->file && strncmp(*argv, "--", 2)) {
			o->file = *argv;
			NEXT_ARG();
		} else {
			return BAD_ARG();
		}
	}
	if (!o->file) {
		p_err("'verify' needs a FILE");
		return -1;
	}
	if (o->raw && !o->prog_type) {
		p_err("'verify --raw' needs '--type TYPE'");
		return -1;
	}
	if (o->raw && o->section) {
		p_err("'section' makes no sense with '--raw'");
		return -1;
	}
	return 0;
}

int do_verify(int argc, char **argv)
{
	struct verify_opts o = { 0 };
	struct kbpfctl_core *core;
	int err;

	if (argc == 1 && is_prefix(*argv, "help"))
		return do_verify_help();
	if (parse_verify_args(argc, argv, &o))
		return -1;
	core = kbpfctl_core_new(o.profile);
	if (!core) {
		p_err("unknown profile '%s' (cloud or embedded)", o.profile);
		return -1;
	}
	if (json_output)
		jsonw_start_array(json_wtr);
	err = o.raw ? verify_raw(core, &o) : verify_object(core, &o);
	if (json_output)
		jsonw_end_array(json_wtr);
	kbpfctl_core_free(core);
	return err ? -1 : 0;
}

#else /* !KBPFCTL_HAVE_CORE */

int do_verify(int argc, char **argv)
{
	if (argc == 1 && is_prefix(*argv, "help"))
		return do_verify_help();
	p_err("this kbpfctl was built without the kbpf core; 'verify' is unavailable (use the dynamically linked kbpfctl)");
	return -1;
}

#endif
