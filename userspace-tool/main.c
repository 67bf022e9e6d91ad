// SPDX-License-Identifier: GPL-2.0
/*
 * kbpfctl entry point: global options, the object table, prefix matching
 * and error reporting shared by every command.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <bpf/libbpf.h>

#include "main.h"
#include "ctl.h"

#ifndef KBPFCTL_VERSION
#define KBPFCTL_VERSION "0.1"
#endif

const char *bin_name = "kbpfctl";
bool json_output;
bool pretty_output;
bool verbose;
struct json_writer *json_wtr;

void p_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_name(json_wtr, "error");
		jsonw_vprintf_string(json_wtr, fmt, ap);
		jsonw_end_object(json_wtr);
	} else {
		fputs("Error: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}

/* Informational lines go to stderr so they never corrupt JSON on stdout. */
void p_info(const char *fmt, ...)
{
	va_list ap;

	if (json_output)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

bool is_prefix(const char *pfx, const char *str)
{
	size_t len = strlen(pfx);

	return len && len <= strlen(str) && !memcmp(pfx, str, len);
}

/*
 * Select the command argv[0] names: an exact name wins, otherwise a prefix
 * must match exactly one command (aliases of the same function count once).
 */
static const struct cmd *find_cmd(const struct cmd *cmds, const char *word,
				   int *matches)
{
	const struct cmd *found = NULL;
	int i;

	*matches = 0;
	for (i = 0; cmds[i].cmd; i++) {
		if (!strcmp(word, cmds[i].cmd)) {
			*matches = 1;
			return &cmds[i];
		}
	}
	for (i = 0; cmds[i].cmd; i++) {
		if (!is_prefix(word, cmds[i].cmd))
			continue;
		if (found && found->func == cmds[i].func)
			continue;
		found = &cmds[i];
		(*matches)++;
	}
	return found;
}

/*
 * The words that selected the current command table ("" at the top,
 * " prog" inside prog), so that an error can name the right help.
 */
static char cmd_path[64];

static void cmd_path_push(const char *word)
{
	size_t len = strlen(cmd_path);

	snprintf(cmd_path + len, sizeof(cmd_path) - len, " %s", word);
}

int cmd_select(const struct cmd *cmds, int argc, char **argv,
	       int (*help)(int argc, char **argv))
{
	const struct cmd *cmd;
	int matches;

	if (argc < 1)
		return help(argc, argv);

	cmd = find_cmd(cmds, argv[0], &matches);
	if (matches > 1) {
		p_err("'%s' is ambiguous; run '%s%s help'", argv[0], bin_name,
		      cmd_path);
		return -1;
	}
	if (!cmd) {
		p_err("unknown command '%s'; run '%s%s help'", argv[0],
		      bin_name, cmd_path);
		return -1;
	}
	cmd_path_push(cmd->cmd);
	return cmd->func(argc - 1, argv + 1);
}

static int do_help(int argc, char **argv)
{
	if (json_output) {
		jsonw_null(json_wtr);
		return 0;
	}
	fprintf(stderr,
		"Usage: %1$s [OPTIONS] OBJECT { COMMAND | help }\n"
		"       %1$s load FILE.o [map NAME=MAP]...\n"
		"       %1$s events MAP [type TYPE] [count N] [timeout SECS]\n"
		"       %1$s capture MAP -w FILE [--snaplen N] [count N] [timeout SECS]\n"
		"       %1$s trace [PROG] [count N] [timeout SECS]\n"
		"       %1$s apply FILE [check]\n"
		"       %1$s verify FILE.o [section SEC] [profile PROFILE]\n"
		"       %1$s verify --raw FILE --type TYPE [profile PROFILE]\n"
		"       %1$s version\n"
		"       %1$s { -V | --version }\n"
		"       %1$s help\n"
		"\n"
		"       OBJECT := { prog | map | hook | feature | load | apply | events | capture | trace | verify | version }\n"
		"       " HELP_SPEC_OPTIONS "\n"
		"\n"
		"'%1$s OBJECT help' shows an object's commands; man %1$s has them all.\n",
		bin_name);
	return 0;
}

void usage(void)
{
	do_help(0, NULL);
	jsonw_destroy(&json_wtr);
	exit(1);
}

static void print_version_json(const struct kbpf_version *ver, bool loaded)
{
	jsonw_start_object(json_wtr);
	jsonw_string_field(json_wtr, "kbpfctl", KBPFCTL_VERSION);
	jsonw_uint_field(json_wtr, "uapi_abi_version", KBPF_ABI_VERSION);
	jsonw_name(json_wtr, "module");
	if (loaded) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "version", ver->module_version);
		jsonw_uint_field(json_wtr, "abi_version", ver->abi_version);
		jsonw_string_field(json_wtr, "profile", ver->profile);
		jsonw_end_object(json_wtr);
	} else {
		jsonw_null(json_wtr);
	}
	jsonw_end_object(json_wtr);
}

/*
 * Is kbpf.ko installed for the running kernel?  modules.dep lists every
 * module modprobe can find (DKMS's updates/dkms/kbpf.ko.xz included).
 */
static bool module_installed(const char *release)
{
	char path[256], line[1024];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/lib/modules/%s/modules.dep", release);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		char *base;

		if (!colon)
			continue;
		*colon = '\0';
		base = strrchr(line, '/');
		base = base ? base + 1 : line;
		found = !strncmp(base, "kbpf.ko", 7) &&
			(!base[7] || base[7] == '.');
	}
	fclose(f);
	return found;
}

static void print_not_loaded(void)
{
	struct utsname uts;

	if (uname(&uts) || module_installed(uts.release)) {
		printf("kbpf.ko not loaded (load it with 'modprobe kbpf')\n");
		return;
	}
	/* After a kernel upgrade this is the usual reason: say so. */
	printf("kbpf.ko not loaded, and not installed for Linux %s: 'modprobe kbpf' needs the kbpf-dkms package or 'make dkms-install' ('dkms status kbpf' says why a kernel was skipped); from a build tree: 'insmod kbpf.ko'\n",
	       uts.release);
}

static void print_version_plain(const struct kbpf_version *ver, bool loaded)
{
	printf("kbpfctl %s (uapi abi %d)\n", KBPFCTL_VERSION, KBPF_ABI_VERSION);
	if (!loaded) {
		print_not_loaded();
		return;
	}
	printf("kbpf.ko %s (abi %u, profile %s)\n", ver->module_version,
	       ver->abi_version, ver->profile);
	if (ver->abi_version != KBPF_ABI_VERSION)
		p_info("Warning: kbpfctl speaks abi %d, the module abi %u",
		       KBPF_ABI_VERSION, ver->abi_version);
	else if (strcmp(ver->module_version, KBPFCTL_VERSION) &&
		 strcmp(ver->module_version, "unknown"))
		p_info("Note: kbpfctl and kbpf.ko come from different releases (same abi)");
}

/*
 * The tool's version always; the module's when it is loaded (asking the
 * family loads it when it is installed: the module has the genl alias).
 */
static int do_version(int argc, char **argv)
{
	struct kbpf_version ver = { 0 };
	struct kbpf_ctl ctl;
	bool loaded;
	int err;

	if (argc) {
		p_err("'version' takes no arguments");
		return -1;
	}
	err = kbpf_ctl_open_quiet(&ctl);
	if (err && err != -ENOENT)
		return -1;
	loaded = !err;
	if (loaded) {
		err = kbpf_ctl_get_version(&ctl, &ver);
		kbpf_ctl_close(&ctl);
		if (err)
			return -1;
	}
	if (json_output)
		print_version_json(&ver, loaded);
	else
		print_version_plain(&ver, loaded);
	return 0;
}

static const struct cmd objects[] = {
	{ "help",	do_help },
	{ "prog",	do_prog },
	{ "map",	do_map },
	{ "load",	do_load },
	{ "apply",	do_apply },
	{ "verify",	do_verify },
	{ "events",	do_events },
	{ "capture",	do_capture },
	{ "trace",	do_trace },
	{ "version",	do_version },
	{ "hook",	do_hook },
	{ "feature",	do_feature },
	{ NULL }
};

/* libbpf's own messages only matter when debugging a load. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (!verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json",	no_argument,	NULL,	'j' },
		{ "pretty",	no_argument,	NULL,	'p' },
		{ "debug",	no_argument,	NULL,	'd' },
		{ "help",	no_argument,	NULL,	'h' },
		{ "version",	no_argument,	NULL,	'V' },
		{ "via",	required_argument, NULL, 'v' },
		{ NULL }
	};
	const char *via = getenv("KBPFCTL_VIA");
	int opt, ret;

	libbpf_set_print(libbpf_print);
	/* '+': stop at the first non-option, the rest belongs to OBJECT. */
	while ((opt = getopt_long(argc, argv, "+jpdhV", options, NULL)) >= 0) {
		switch (opt) {
		case 'j':
			json_output = true;
			break;
		case 'p':
			json_output = true;
			pretty_output = true;
			break;
		case 'd':
			verbose = true;
			break;
		case 'h':
			do_help(0, NULL);
			return 0;
		case 'V':
			printf("kbpfctl %s (uapi abi %d)\n", KBPFCTL_VERSION,
			       KBPF_ABI_VERSION);
			return 0;
		case 'v':
			via = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();

	if (json_output) {
		json_wtr = jsonw_new(stdout, pretty_output);
		if (!json_wtr) {
			fprintf(stderr, "Error: out of memory\n");
			return 1;
		}
	}
	/* The option wins over the environment. */
	if (via && *via && kbpf_ctl_set_via(via)) {
		jsonw_destroy(&json_wtr);
		return 1;
	}
	ret = cmd_select(objects, argc, argv, do_help);
	jsonw_destroy(&json_wtr);
	return ret ? 1 : 0;
}
